// @ts-check
// Fault and latency injection of one RouterEmulator (`emulator.faults`): throttling like the real service
// (1,000 requests per 10 s per resource → 429 + Retry-After), failures of the next requests, and response
// latency. Off by default; applied at the start of RouterEmulator.handle, so the in-process client, the HTTP
// server and every adapter see it. Deterministic: throttle windows run on the emulator's clock and latency
// jitter comes from a PRNG seeded with the emulator's seed.

/** The default throttle: the service's documented limit for general requests, per resource. */
export const DEFAULT_THROTTLE = Object.freeze({ requests: 1000, perSeconds: 10 });

/** The code of a throttled request's error: the name the service's documentation gives that error. */
export const THROTTLE_ERROR_CODE = "ThrottleLimitExceededException";

/** Wall-clock milliseconds between checks of responses held for virtual-clock latency (a real clock moves by
 * itself; clock.advance and clock.setTime release what fell due at once). */
const VIRTUAL_POLL_MS = 5;

/** @typedef {import("./core-adapter.js").CoreResponse} CoreResponse */
/** @typedef {import("./index.js").RouterFailNextRule} RouterFailNextRule */
/** @typedef {import("./index.js").RouterFailNextOptions} RouterFailNextOptions */
/** @typedef {import("./index.js").RouterFaultsState} RouterFaultsState */
/** @typedef {{ requests: number, perSeconds: number }} ThrottleSettings */
/** @typedef {{ ms: number, jitterMs: number, clock: "real" | "virtual" }} LatencySettings */
/**
 * A validated failNext rule: what get() shows (RouterFailNextRule) and what matching needs.
 * @typedef {RouterFailNextRule & { pattern?: RegExp, onTarget?: boolean }} FaultRule
 */
/**
 * A served request's outcome, held for latency: its response, or the error it failed with.
 * @typedef {{ response?: CoreResponse, error?: unknown }} Outcome
 */
/**
 * A response held for virtual-clock latency.
 * @typedef {{ due: number, seq: number, release: () => void }} HeldResponse
 */

const THROTTLE_KEYS = ["requests", "perSeconds"];
const RULE_KEYS = ["count", "status", "method", "path", "body", "headers", "retryAfterSeconds"];
const LATENCY_KEYS = ["ms", "jitterMs", "clock"];
const CONFIG_KEYS = ["throttle", "failNext", "latency"];

/**
 * Error code and message of a failed request, by status (others: `HttpError<status>`).
 * @type {Record<number, [string, string]>}
 */
const STATUS_ERRORS = {
  400: ["BadRequest", "The request is not valid"],
  401: ["Unauthorized", "The request is not authorized"],
  403: ["Forbidden", "The request is forbidden"],
  404: ["NotFound", "The item was not found"],
  405: ["MethodNotAllowed", "The method is not allowed"],
  408: ["RequestTimeout", "The request timed out"],
  409: ["Conflict", "The request conflicts with the current state"],
  412: ["PreconditionFailed", "A precondition failed"],
  413: ["RequestEntityTooLarge", "The request is too large"],
  429: ["TooManyRequests", "Too many requests"],
  500: ["InternalServerError", "An internal server error occurred"],
  501: ["NotImplemented", "The operation is not implemented"],
  502: ["BadGateway", "The gateway received a bad response"],
  503: ["ServiceUnavailable", "The service is temporarily unavailable"],
  504: ["GatewayTimeout", "The gateway timed out"],
};

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RegExp);
}

/**
 * @param {object} value
 * @param {string[]} accepted
 * @param {string} what
 */
function checkKeys(value, accepted, what) {
  for (const key of Object.keys(value)) {
    if (!accepted.includes(key)) {
      throw new TypeError(`${what}: unknown field "${key}" (accepted: ${accepted.join(", ")})`);
    }
  }
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {number}
 */
function positiveInteger(value, what) {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw new TypeError(`${what} must be a whole number >= 1, got ${String(value)}`);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {number}
 */
function nonNegativeNumber(value, what) {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${what} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Validates throttle settings: true/undefined → the default, false/null → off, or { requests, perSeconds }.
 * @param {unknown} value
 * @returns {ThrottleSettings | null}
 */
export function normalizeThrottle(value) {
  if (value === false || value === null) return null;
  if (value === undefined || value === true) return { ...DEFAULT_THROTTLE };
  if (!isPlainObject(value)) throw new TypeError("faults.throttle(options) needs { requests, perSeconds }, true or false");
  checkKeys(value, THROTTLE_KEYS, "faults.throttle");
  const requests = positiveInteger(value.requests ?? DEFAULT_THROTTLE.requests, "faults.throttle: requests");
  const perSeconds = value.perSeconds ?? DEFAULT_THROTTLE.perSeconds;
  if (typeof perSeconds !== "number" || !Number.isFinite(perSeconds) || perSeconds <= 0) {
    throw new TypeError(`faults.throttle: perSeconds must be a finite number > 0, got ${String(perSeconds)}`);
  }
  return { requests, perSeconds };
}

/**
 * Validates latency settings: null/false → off, a number → { ms }, or { ms, jitterMs, clock }.
 * @param {unknown} value
 * @returns {LatencySettings | null}
 */
export function normalizeLatency(value) {
  if (value === null || value === false || value === undefined) return null;
  if (typeof value === "number") value = { ms: value };
  if (!isPlainObject(value)) throw new TypeError("faults.latency(options) needs { ms, jitterMs?, clock? } or null");
  checkKeys(value, LATENCY_KEYS, "faults.latency");
  const ms = nonNegativeNumber(value.ms, "faults.latency: ms");
  const jitterMs = nonNegativeNumber(value.jitterMs ?? 0, "faults.latency: jitterMs");
  const clock = value.clock ?? "real";
  if (clock !== "real" && clock !== "virtual") {
    throw new TypeError(`faults.latency: clock must be "real" or "virtual", got ${JSON.stringify(clock)}`);
  }
  return { ms, jitterMs, clock };
}

/** "/routing/jobs/{jobId}" → a RegExp matching a request path (no query) with one segment per placeholder. */
/** @param {string} template */
function templatePattern(template) {
  const path = template.startsWith("/") ? template : `/${template}`;
  let source = "^";
  for (const part of path.split(/(\{[^{}/]*\})/)) {
    if (part.startsWith("{") && part.endsWith("}")) source += "[^/]+";
    else source += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${source}$`);
}

/**
 * Validates one failNext rule; the result keeps what get() shows and what matching needs.
 * @param {unknown} value
 * @returns {FaultRule}
 */
export function normalizeRule(value) {
  if (value === undefined) value = {};
  if (!isPlainObject(value)) throw new TypeError("faults.failNext(options) needs an object");
  checkKeys(value, RULE_KEYS, "faults.failNext");
  const count = positiveInteger(value.count ?? 1, "faults.failNext: count");
  const status = value.status ?? 503;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new TypeError(`faults.failNext: status must be an HTTP status from 100 to 599, got ${String(status)}`);
  }
  /** @type {FaultRule} */
  const rule = { count, status };
  if (value.method !== undefined && value.method !== null) {
    if (typeof value.method !== "string" || value.method === "") throw new TypeError("faults.failNext: method must be an HTTP method name");
    rule.method = value.method.toUpperCase();
  }
  if (value.path !== undefined && value.path !== null) {
    const path = value.path;
    if (typeof path === "string") {
      if (path === "") throw new TypeError("faults.failNext: path must not be empty");
      rule.path = path;
      rule.pattern = templatePattern(path);
      rule.onTarget = false;
    } else if (path instanceof RegExp) {
      rule.path = { regexp: path.source, flags: path.flags };
      rule.pattern = path;
      rule.onTarget = true;
    } else if (isPlainObject(path) && typeof path.regexp === "string") {
      checkKeys(path, ["regexp", "flags"], "faults.failNext: path");
      try {
        rule.pattern = new RegExp(path.regexp, /** @type {string | undefined} */ (path.flags ?? ""));
      } catch (error) {
        throw new TypeError(`faults.failNext: path.regexp is not a valid regular expression: ${/** @type {Error} */ (error).message}`);
      }
      rule.path = { regexp: rule.pattern.source, flags: rule.pattern.flags };
      rule.onTarget = true;
    } else {
      throw new TypeError('faults.failNext: path must be a route template ("/routing/jobs/{jobId}"), a RegExp or { regexp, flags? }');
    }
  }
  if (value.body !== undefined) {
    if (value.body !== null && typeof value.body !== "string" && typeof value.body !== "object") {
      throw new TypeError("faults.failNext: body must be a string, a JSON value (object or array) or null");
    }
    rule.body = value.body;
  }
  if (value.headers !== undefined && value.headers !== null) {
    if (!isPlainObject(value.headers)) throw new TypeError("faults.failNext: headers must be an object of header names and values");
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, text] of Object.entries(value.headers)) headers[name.toLowerCase()] = String(text);
    rule.headers = headers;
  }
  if (value.retryAfterSeconds !== undefined && value.retryAfterSeconds !== null) {
    const seconds = value.retryAfterSeconds;
    if (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds < 0) {
      throw new TypeError(`faults.failNext: retryAfterSeconds must be a whole number >= 0, got ${String(seconds)}`);
    }
    rule.retryAfterSeconds = seconds;
  }
  return rule;
}

/**
 * The public (JSON) view of a rule.
 * @param {FaultRule} rule
 * @returns {RouterFailNextRule}
 */
function ruleView(rule) {
  /** @type {RouterFailNextRule} */
  const view = { count: rule.count, status: rule.status };
  if (rule.method !== undefined) view.method = rule.method;
  if (rule.path !== undefined) view.path = typeof rule.path === "string" ? rule.path : { ...rule.path };
  if (rule.body !== undefined) view.body = rule.body;
  if (rule.headers !== undefined) view.headers = { ...rule.headers };
  if (rule.retryAfterSeconds !== undefined) view.retryAfterSeconds = rule.retryAfterSeconds;
  return view;
}

/**
 * Validates a whole configuration `{ throttle?, failNext?, latency? }` (what PUT /emulator/faults takes) and
 * applies it: each field given replaces that part (failNext: the whole queue), fields not given stay as they
 * are. Throws a TypeError, changing nothing, when any part is not valid.
 * @param {FaultInjector} faults
 * @param {unknown} config
 * @returns {RouterFaultsState}
 */
export function configureFaults(faults, config) {
  if (!isPlainObject(config)) throw new TypeError("the fault configuration must be a JSON object");
  checkKeys(config, CONFIG_KEYS, "faults");
  const has = (/** @type {string} */ key) => Object.prototype.hasOwnProperty.call(config, key);
  const throttle = has("throttle") ? normalizeThrottle(config.throttle) : undefined;
  /** @type {FaultRule[] | undefined} */
  let rules;
  if (has("failNext")) {
    const list = config.failNext === null ? [] : config.failNext;
    if (!Array.isArray(list)) throw new TypeError("faults: failNext must be an array of rules");
    rules = list.map((rule) => normalizeRule(rule));
  }
  const latency = has("latency") ? normalizeLatency(config.latency) : undefined;
  if (throttle !== undefined) faults._setThrottle(throttle);
  if (rules !== undefined) faults._setRules(rules);
  if (latency !== undefined) faults._setLatency(latency);
  return faults.get();
}

/**
 * A small deterministic PRNG (mulberry32) of 32-bit state, for latency jitter.
 * @param {number} seed
 * @returns {() => number}
 */
function jitterRandom(seed) {
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  let state = (low ^ Math.imul(high ^ 0x5bd1e995, 0x9e3779b1) ^ 0x6a09e667) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The request path without query or fragment.
 * @param {string} target
 */
function pathOf(target) {
  const cut = target.search(/[?#]/);
  return cut < 0 ? target : target.slice(0, cut);
}

/**
 * What a FaultInjector asks of its emulator: no more than these (RouterEmulator._faultsHost() binds them).
 * @typedef {object} FaultsHost
 * @property {number} seed the emulator's seed (the latency jitter's sequence starts from it)
 * @property {() => boolean} mustWaitForCore whether calls must wait for the core to load
 * @property {() => Promise<void>} ready resolves once the core is loaded
 * @property {() => boolean} disposed whether the emulator was disposed
 * @property {() => number} nowMillis the emulator's clock, in Unix epoch milliseconds
 * @property {(method: string, target: string, headers: Record<string, unknown> | undefined, body: string | undefined) => Promise<CoreResponse>} serve
 *   the emulator's own answer to a request (no fault applied)
 * @property {(status: number, code: string, message: string, path: string) => CoreResponse} errorResponse an error
 *   answer as the core writes its own (the emulator's errorShape)
 * @property {(settings: RouterFaultsState) => void} settingsChanged the settings after a change (recorded)
 */

/**
 * `emulator.faults`. Every method that changes something returns the injector, so calls chain.
 */
export class FaultInjector {
  /** @param {FaultsHost} host */
  constructor(host) {
    this._host = host;
    /** true when any fault is set (RouterEmulator.handle then goes through handle() below) */
    this.active = false;
    /** @type {ThrottleSettings | null} */
    this._throttle = null;
    this._windowStart = 0;
    this._windowEnd = -Infinity;
    this._windowCount = 0;
    /** @type {FaultRule[]} */
    this._rules = [];
    /** @type {LatencySettings | null} */
    this._latency = null;
    this._random = jitterRandom(host.seed);
    /** @type {HeldResponse[]} responses waiting for virtual-clock latency */
    this._held = [];
    this._heldSeq = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this._poll = null;
  }

  /**
   * Throttles requests like the service: beyond `requests` within a window of `perSeconds` (on the emulator's
   * clock), a request answers 429 with the service's error body and `Retry-After` (seconds until the window
   * ends, rounded up), reaching nothing. `throttle()` uses the service's limit, 1,000 per 10 s;
   * `throttle(false)` turns it off.
   * @param {{ requests?: number, perSeconds?: number } | boolean} [options]
   * @returns {this}
   */
  throttle(options) {
    this._setThrottle(normalizeThrottle(options));
    return this;
  }

  /**
   * The next `count` requests that match `method` (any case; any if omitted) and `path` (a route template such
   * as "/routing/jobs/{jobId}", each placeholder one segment, compared with the path without the query; a
   * RegExp, tested on path and query; any if omitted) answer `status` with `body` (default: the service's
   * error body with a code for the status) and change nothing. Rules queue in the order they were added; a
   * request takes the first rule it matches.
   * @param {RouterFailNextOptions} [options]
   * @returns {this}
   */
  failNext(options) {
    this._rules.push(normalizeRule(options));
    this._update();
    return this;
  }

  /**
   * Delays every response by `ms` (+ a uniform jitter in [0, jitterMs], drawn from a PRNG seeded with the
   * emulator's seed). The request is still served at once, in order; only its answer waits. clock "real":
   * wall time (setTimeout); "virtual": until the emulator's clock has moved by that much. null turns it off.
   * @param {{ ms: number, jitterMs?: number, clock?: "real" | "virtual" } | number | null} options
   * @returns {this}
   */
  latency(options) {
    this._setLatency(normalizeLatency(options));
    return this;
  }

  /** Turns every fault off and drops the queued failNext rules (responses already held still arrive). */
  clear() {
    this._throttle = null;
    this._rules = [];
    this._latency = null;
    this._random = jitterRandom(this._host.seed);
    this._restartWindow();
    this._update();
    return this;
  }

  /**
   * What is set, as plain JSON (PUT /emulator/faults takes the same shape back):
   * `{ throttle: { requests, perSeconds } | false, failNext: [{ count, status, method?, path?, body?, headers?,
   * retryAfterSeconds? }], latency: { ms, jitterMs, clock } | null }` (`count`: the requests still to fail;
   * a RegExp path shows as `{ regexp, flags }`).
   * @returns {RouterFaultsState}
   */
  get() {
    return {
      throttle: this._throttle ? { ...this._throttle } : false,
      failNext: this._rules.map(ruleView),
      latency: this._latency ? { ...this._latency } : null,
    };
  }

  // ---- internals ------------------------------------------------------------------------------

  /** @param {ThrottleSettings | null} throttle */
  _setThrottle(throttle) {
    this._throttle = throttle;
    this._restartWindow();
    this._update();
  }

  /** @param {FaultRule[]} rules */
  _setRules(rules) {
    this._rules = rules;
    this._update();
  }

  /** @param {LatencySettings | null} latency */
  _setLatency(latency) {
    this._latency = latency;
    this._random = jitterRandom(this._host.seed);
    this._update();
  }

  _restartWindow() {
    this._windowStart = 0;
    this._windowEnd = -Infinity;
    this._windowCount = 0;
  }

  _update() {
    this.active = this._throttle !== null || this._rules.length > 0 || this._latency !== null;
    this._host.settingsChanged(this.get());  // journal, traces
  }

  /** emulator.reset(): throttle windows and the jitter sequence start again (the settings stay). */
  _onReset() {
    this._restartWindow();
    this._random = jitterRandom(this._host.seed);
  }

  /**
   * RouterEmulator.handle while a fault is set: throttle, then failNext, then the emulator itself; the answer
   * then waits for the latency.
   * @param {string} method
   * @param {string} pathAndQuery
   * @param {Record<string, unknown>} [headers]
   * @param {string} [body]
   * @returns {Promise<CoreResponse>}
   */
  handle(method, pathAndQuery, headers, body) {
    const host = this._host;
    // A core still loading (browsers): the clock cannot be read yet; wait for it, then decide.
    if (host.mustWaitForCore()) {
      return host.ready().then(() => this.handle(method, pathAndQuery, headers, body));
    }
    const verb = String(method).toUpperCase();
    const target = String(pathAndQuery);
    /** @type {Promise<CoreResponse>} */
    let result;
    let due = 0;
    try {
      const latency = this._latency;
      const needsClock = this._throttle !== null || (latency !== null && latency.clock === "virtual");
      const now = needsClock ? host.nowMillis() : 0;
      let delay = 0;
      if (latency !== null) {
        delay = latency.ms + (latency.jitterMs > 0 ? Math.floor(this._random() * (Math.floor(latency.jitterMs) + 1)) : 0);
        due = latency.clock === "virtual" ? now + delay : delay;
      }
      const synthetic = this._throttled(now, target) ?? this._failed(verb, target);
      result = synthetic !== null ? Promise.resolve(synthetic) : host.serve(verb, target, headers, body);
    } catch (error) {
      result = Promise.reject(error);
    }
    const latency = this._latency;
    if (latency === null) return result;
    /** @type {(outcome: Outcome) => Promise<CoreResponse>} */
    const wait = latency.clock === "virtual" ? (value) => this._holdVirtual(due, value) : (value) => this._holdReal(due, value);
    return result.then(
      (response) => wait({ response }),
      (error) => wait({ error }),
    );
  }

  /**
   * A 429 when the throttle's budget of the current window is spent, else null.
   * @param {number} now
   * @param {string} target
   * @returns {CoreResponse | null}
   */
  _throttled(now, target) {
    const throttle = this._throttle;
    if (throttle === null) return null;
    const period = throttle.perSeconds * 1000;
    if (now < this._windowStart || now >= this._windowEnd) {
      this._windowStart = now;
      this._windowEnd = now + period;
      this._windowCount = 0;
    }
    this._windowCount++;
    if (this._windowCount <= throttle.requests) return null;
    const retryAfter = Math.max(1, Math.ceil((this._windowEnd - now) / 1000));
    const limit = `${throttle.requests} request${throttle.requests === 1 ? "" : "s"} per ${throttle.perSeconds} second${throttle.perSeconds === 1 ? "" : "s"}`;
    return this._errorResponse(
      429,
      THROTTLE_ERROR_CODE,
      `The request rate limit of this resource (${limit}) was exceeded: requests are dropped until the ` +
        `window ends. Retry after ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
      target,
      { "retry-after": String(retryAfter) },
    );
  }

  /**
   * The answer of the first failNext rule the request matches (using it up by one), else null.
   * @param {string} verb
   * @param {string} target
   * @returns {CoreResponse | null}
   */
  _failed(verb, target) {
    const rules = this._rules;
    if (rules.length === 0) return null;
    let index = -1;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.method !== undefined && rule.method !== verb) continue;
      if (rule.pattern !== undefined) {
        rule.pattern.lastIndex = 0;  // a global or sticky RegExp starts at the beginning every time
        if (!rule.pattern.test(rule.onTarget ? target : pathOf(target))) continue;
      }
      index = i;
      break;
    }
    if (index < 0) return null;
    const rule = rules[index];
    rule.count--;
    if (rule.count <= 0) {
      rules.splice(index, 1);
      this._update();
    }
    /** @type {Record<string, string>} */
    const extra = rule.retryAfterSeconds === undefined ? {} : { "retry-after": String(rule.retryAfterSeconds) };
    /** @type {CoreResponse} */
    let response;
    if (rule.body === undefined) {
      if (rule.status >= 400) {
        const [code, text] = STATUS_ERRORS[rule.status] ?? [`HttpError${rule.status}`, `The request failed with status ${rule.status}`];
        response = this._errorResponse(rule.status, code, `${text}. (Injected by the emulator: faults.failNext.)`, target, extra);
      } else {
        response = { status: rule.status, headers: { "api-supported-versions": "2023-11-01", ...extra }, body: "" };
      }
    } else {
      const text = rule.body === null ? "" : typeof rule.body === "string" ? rule.body : JSON.stringify(rule.body);
      /** @type {Record<string, string>} */
      const headers = { "api-supported-versions": "2023-11-01", ...extra };
      if (text !== "") headers["content-type"] = "application/json; charset=utf-8";
      response = { status: rule.status, headers, body: text };
    }
    if (rule.headers !== undefined) Object.assign(response.headers, rule.headers);
    return response;
  }

  /**
   * An error as the core writes its own (its errorShape, "real" or "spec"), plus `extraHeaders`.
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {string} target
   * @param {Record<string, string>} extraHeaders
   * @returns {CoreResponse}
   */
  _errorResponse(status, code, message, target, extraHeaders) {
    const response = this._host.errorResponse(status, code, message, pathOf(target));
    Object.assign(response.headers, extraHeaders);
    return response;
  }

  /**
   * @param {number} delay
   * @param {Outcome} outcome
   * @returns {Promise<CoreResponse>}
   */
  _holdReal(delay, outcome) {
    return new Promise((resolve, reject) => {
      setTimeout(() => (outcome.error !== undefined ? reject(outcome.error) : resolve(/** @type {CoreResponse} */ (outcome.response))), delay);
    });
  }

  /**
   * @param {number} due
   * @param {Outcome} outcome
   * @returns {Promise<CoreResponse>}
   */
  _holdVirtual(due, outcome) {
    return new Promise((resolve, reject) => {
      const release = () => (outcome.error !== undefined ? reject(outcome.error) : resolve(/** @type {CoreResponse} */ (outcome.response)));
      this._held.push({ due, seq: this._heldSeq++, release });
      this._releaseDue();
    });
  }

  /** Releases the held responses whose time has come, in due order; polls while any are left. */
  _releaseDue() {
    const host = this._host;
    /** @type {number} */
    let now;
    try {
      now = host.disposed() ? Infinity : host.nowMillis();
    } catch {
      now = Infinity;  // the emulator cannot tell the time any more: nothing waits for it
    }
    const due = this._held.filter((entry) => entry.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq);
    if (due.length > 0) {
      this._held = this._held.filter((entry) => entry.due > now);
      for (const entry of due) entry.release();
    }
    if (this._held.length > 0 && this._poll === null) {
      // A held response is a request in flight: the timer keeps a Node process alive until it is answered.
      this._poll = setTimeout(() => {
        this._poll = null;
        this._releaseDue();
      }, VIRTUAL_POLL_MS);
    }
  }
}
