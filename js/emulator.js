// @ts-check
// RouterEmulator: one emulated Job Router resource (one WASM Router), its clock, events and state
// controls, plus the registry that lets every client of one endpoint share one resource.

import { coreAvailableNow, coreLoaded, openCore, whenCoreAvailable } from "./core-adapter.js";
import { normalizeEventType } from "./event-types.js";
import { FaultInjector } from "./faults.js";
import { waitForEvent } from "./wait-for-event.js";
import { Recorder, replayTrace, startRecording } from "./recording.js";

/** @typedef {import("./core-adapter.js").Core} Core */
/** @typedef {import("./core-adapter.js").CoreResponse} CoreResponse */
/**
 * What a function/webhook rule's host function gets beside the payload (registerFunction).
 * @typedef {{ requestId: string, jobId: string, kind: string, uri: string, rule: object }} RuleContext
 */

const DEFAULT_MANUAL_START = "2024-01-01T00:00:00Z";
/** Longest stretch of virtual time one core call advances (see RouterClock._advanceTo). */
const ADVANCE_SLICE_MS = 60 * 60 * 1000;

/**
 * The message of a thrown value, for a failed function rule.
 * @param {unknown} error
 */
function errorMessage(error) {
  if (error instanceof Error) return error.message || String(error);
  return String(error);
}
const OPTION_KEYS = new Set([
  "clock", "speed", "seed", "startTime", "checkApiVersion", "apiVersionCheck", "errorShape", "eventLabelText", "limits",
]);
/** The core's resource limits (README "Storage limits"): stored JSON bytes, and counts per resource kind. */
const LIMIT_KEYS = ["storedBytes", "jobs", "workers", "queues", "policies"];

/**
 * Validates the `limits` option: an object of whole numbers >= 0 (0: no limit); absent keys keep the defaults.
 * @param {unknown} limits
 * @returns {Readonly<Record<string, number>>}
 */
function normalizeLimits(limits) {
  if (limits === undefined || limits === null) return Object.freeze({});
  if (typeof limits !== "object" || Array.isArray(limits)) {
    throw new TypeError(`RouterEmulator option limits must be an object {${LIMIT_KEYS.join(", ")}}`);
  }
  /** @type {Record<string, number>} */
  const out = {};
  for (const [key, value] of Object.entries(limits)) {
    if (!LIMIT_KEYS.includes(key)) {
      throw new TypeError(`Unknown RouterEmulator limits key "${key}" (known: ${LIMIT_KEYS.join(", ")})`);
    }
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`RouterEmulator option limits.${key} must be a whole number >= 0 (0: no limit), got ${String(value)}`);
    }
    out[key] = value;
  }
  return Object.freeze(out);
}

/** @type {Map<string, RouterEmulator>} normalized endpoint (lower-case origin) -> emulator */
const registry = new Map();

// A GET's response depends on its target, its body and the request headers the core reads
// (core.requestHeaderNames()) alone, so they make the key of the GET cache (other headers — request ids, dates,
// signatures — differ on every request an SDK sends).
/**
 * The GET cache key of a request, or null when its headers cannot be read.
 * @param {readonly string[]} headerNames
 * @param {string} target
 * @param {unknown} headers
 * @param {string} body
 * @returns {string | null}
 */
function getCacheKey(headerNames, target, headers, body) {
  let key = `${target.length}:${target}${body.length}:${body}`;  // lengths: no two requests share a key
  if (headers == null) return key;
  if (typeof headers !== "object") return null;
  const record = /** @type {Record<string, unknown>} */ (headers);
  for (const name of Object.keys(record)) {
    const lower = name.toLowerCase();
    if (headerNames.includes(lower)) key += `\n${lower}:${JSON.stringify(record[name])}`;  // JSON: no newlines
  }
  return key;
}

/**
 * Normalizes an endpoint URL to the key of the shared-resource registry: its lower-case origin
 * (`https://contoso.communication.azure.com/` -> `https://contoso.communication.azure.com`).
 * @param {string} endpoint
 * @returns {string}
 */
export function normalizeEndpoint(endpoint) {
  let url;
  try {
    url = new URL(String(endpoint));
  } catch {
    throw new Error(`Invalid endpoint url ${endpoint}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`Invalid endpoint url ${endpoint}`);
  }
  return url.origin.toLowerCase();
}

/**
 * The endpoint of a connection string `endpoint=...;accesskey=...` (case-insensitive keys, as the
 * official client parses it), or undefined when the text is not one.
 * @param {string} text
 * @returns {string | undefined}
 */
export function endpointOfConnectionString(text) {
  const match = /endpoint=(.*);accesskey=(.*)/i.exec(String(text));
  return match && match[1] && match[2] ? match[1] : undefined;
}

/** @param {string} endpointOrConnectionString */
function endpointKey(endpointOrConnectionString) {
  const text = String(endpointOrConnectionString);
  return normalizeEndpoint(endpointOfConnectionString(text) ?? text);
}

/**
 * The options of a RouterEmulator (README "RouterEmulator options").
 * @typedef {object} EmulatorOptions
 * @property {"real" | "manual"} [clock] "real" (default): the virtual clock follows wall time; "manual": it moves
 *   only through clock.advance() / clock.setTime().
 * @property {number} [speed] real clock only: virtual ms per wall ms (default 1).
 * @property {number} [seed] seed of the generated ids (default 1).
 * @property {string | Date | number} [startTime] initial virtual time (default: the current wall time with the
 *   real clock, 2024-01-01T00:00:00Z with the manual clock).
 * @property {boolean} [checkApiVersion] false accepts any or no api-version (default true).
 * @property {boolean} [apiVersionCheck] alias of checkApiVersion.
 * @property {"real" | "spec"} [errorShape] "real" (default): {"communicationError": {...}}; "spec": {"error":
 *   {...}} plus the x-ms-error-code header.
 * @property {"json" | "dotnet"} [eventLabelText] text of number and boolean label values in events.
 * @property {Record<string, number>} [limits] storedBytes, jobs, workers, queues, policies (0: no limit).
 */

/**
 * Validates and fills emulator options.
 * @param {EmulatorOptions} [options]
 */
function normalizeOptions(options = {}) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError("RouterEmulator options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(
        `Unknown RouterEmulator option "${key}" (known: ${[...OPTION_KEYS].join(", ")})`,
      );
    }
  }
  const clock = options.clock ?? "real";
  if (clock !== "real" && clock !== "manual") {
    throw new TypeError(`RouterEmulator option clock must be "real" or "manual", got ${JSON.stringify(clock)}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`RouterEmulator option seed must be a non-negative integer, got ${String(seed)}`);
  }
  let startTime;
  if (options.startTime !== undefined) {
    const raw = options.startTime;
    startTime =
      raw instanceof Date ? raw.toISOString() : typeof raw === "number" ? new Date(raw).toISOString() : raw;
    if (typeof startTime !== "string" || Number.isNaN(Date.parse(startTime))) {
      throw new TypeError(`RouterEmulator option startTime must be an ISO-8601 date-time, got ${String(raw)}`);
    }
  }
  if (options.checkApiVersion !== undefined && options.apiVersionCheck !== undefined &&
      options.checkApiVersion !== options.apiVersionCheck) {
    throw new TypeError("RouterEmulator options checkApiVersion and apiVersionCheck disagree");
  }
  const checkApiVersion = options.checkApiVersion ?? options.apiVersionCheck ?? true;
  if (typeof checkApiVersion !== "boolean") {
    throw new TypeError("RouterEmulator option checkApiVersion must be a boolean");
  }
  const errorShape = String(options.errorShape ?? "real").toLowerCase();
  if (errorShape !== "real" && errorShape !== "spec") {
    throw new TypeError(`RouterEmulator option errorShape must be "real" or "spec", got ${String(options.errorShape)}`);
  }
  const speed = options.speed ?? 1;
  if (typeof speed !== "number" || !Number.isFinite(speed) || speed <= 0) {
    throw new TypeError(`RouterEmulator option speed must be a finite number > 0, got ${String(options.speed)}`);
  }
  const eventLabelText = String(options.eventLabelText ?? "json").toLowerCase();
  if (eventLabelText !== "json" && eventLabelText !== "dotnet") {
    throw new TypeError(
      `RouterEmulator option eventLabelText must be "json" or "dotnet", got ${String(options.eventLabelText)}`,
    );
  }
  const limits = normalizeLimits(options.limits);
  return Object.freeze({ clock, speed, seed, startTime, checkApiVersion, errorShape, eventLabelText, limits });
}

/**
 * @param {ReturnType<typeof normalizeOptions>} a
 * @param {ReturnType<typeof normalizeOptions>} b
 */
function sameOptions(a, b) {
  return (
    a.clock === b.clock &&
    a.speed === b.speed &&
    a.seed === b.seed &&
    a.checkApiVersion === b.checkApiVersion &&
    a.errorShape === b.errorShape &&
    a.eventLabelText === b.eventLabelText &&
    LIMIT_KEYS.every((key) => a.limits[key] === b.limits[key]) &&
    (a.startTime === b.startTime ||
      (a.startTime !== undefined && b.startTime !== undefined && Date.parse(a.startTime) === Date.parse(b.startTime)))
  );
}


/**
 * What a RouterClock asks of its emulator: no more than these (RouterEmulator gives them, bound to itself).
 * @typedef {object} ClockHost
 * @property {() => Core} useCore the core (made on first use; throws while it loads asynchronously)
 * @property {() => boolean} mustWaitForCore whether calls must wait for the core to load
 * @property {() => Promise<void>} ready resolves once the core is loaded
 * @property {<T>(action: (core: Core) => T) => Promise<T>} run runs `action` on the core like a request: its
 *   events are delivered and the timers rescheduled before the promise resolves
 * @property {() => void} rescheduleTicker re-arms the real clock's wall-time timer (after a change of speed)
 * @property {(mode: "real" | "manual", speed: number) => void} modeChanged a change of mode or speed (recorded)
 * @property {() => void} releaseDueResponses answers the responses held by virtual-clock latency whose time came
 */

/**
 * The virtual clock of one emulator (`emulator.clock`). It owns the clock's mode and speed and the wall time a
 * real clock last caught up with; the time itself is the core's, reached through the ClockHost.
 */
class RouterClock {
  /**
   * @param {ClockHost} host
   * @param {"real" | "manual"} mode
   * @param {number} speed
   */
  constructor(host, mode, speed) {
    this._host = host;
    /** @type {"real" | "manual"} */
    this._mode = mode;
    this._speed = speed;
    /** wall time (ms) a real clock last caught up with */
    this._lastWall = 0;
    /** fraction of a virtual millisecond a real clock owes (speeds that are not whole numbers) */
    this._carry = 0;
  }

  /** "real" (follows wall time, times `speed`) or "manual" (moves only through advance/setTime). */
  get mode() {
    return this._mode;
  }

  /** How many virtual milliseconds pass per wall-clock millisecond while the mode is "real" (default 1). */
  get speed() {
    return this._speed;
  }

  /**
   * Switches between "real" and "manual" at run time. Leaving "real" first brings the virtual clock
   * up to date; entering "real" makes it follow wall time from this moment on (no jump).
   * @param {"real" | "manual"} mode
   * @returns {this}
   */
  setMode(mode) {
    if (mode !== "real" && mode !== "manual") {
      throw new TypeError(`clock.setMode(mode) needs "real" or "manual", got ${JSON.stringify(mode)}`);
    }
    const host = this._host;
    this._sync(host.useCore());
    this._mode = mode;
    this._restart();
    host.modeChanged(mode, this._speed);
    host.run(() => {}).catch(() => {});  // fires timers that fell due in the final sync, reschedules
    return this;
  }

  /**
   * Sets the real-clock speed: `n` virtual milliseconds per wall millisecond (e.g. 60: one minute per
   * second). Time already elapsed is counted at the old speed.
   * @param {number} n a finite number > 0
   * @returns {this}
   */
  setSpeed(n) {
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
      throw new TypeError(`clock.setSpeed(n) needs a finite number > 0, got ${String(n)}`);
    }
    const host = this._host;
    this._sync(host.useCore());
    this._speed = n;
    host.modeChanged(this._mode, n);
    host.rescheduleTicker();
    return this;
  }

  /** Stops the clock: same as setMode("manual"). */
  pause() {
    return this.setMode("manual");
  }

  /** Lets the clock follow wall time again (at `speed`): same as setMode("real"). */
  resume() {
    return this.setMode("real");
  }

  /** Current virtual time, ISO-8601 with a "+00:00" offset (e.g. "2024-01-01T00:00:00+00:00"). */
  now() {
    const core = this._host.useCore();
    this._sync(core);
    return core.now();
  }

  /** Current virtual time in Unix epoch milliseconds. */
  nowMillis() {
    const core = this._host.useCore();
    this._sync(core);
    return core.nowMillis();
  }

  /**
   * Moves the clock forward by `ms` milliseconds, firing every due timer in order; resolves once
   * the resulting events have been delivered to the listeners.
   * @param {number} ms
   * @returns {Promise<void>}
   */
  advance(ms) {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new TypeError(`clock.advance(ms) needs a finite number >= 0, got ${String(ms)}`));
    }
    if (this._host.mustWaitForCore()) return this._host.ready().then(() => this.advance(ms));
    const target = this.nowMillis() + Math.floor(ms);
    return this._advanceTo(target, (core) => core.advance(target - core.nowMillis()));
  }

  /**
   * Moves the clock forward to `time` (ISO-8601 text or a Date), firing due timers in order.
   * Rejects when the time is unparsable or earlier than now.
   * @param {string | Date} time
   * @returns {Promise<void>}
   */
  setTime(time) {
    const iso = time instanceof Date ? time.toISOString() : time;
    if (typeof iso !== "string") {
      return Promise.reject(new TypeError("clock.setTime(time) needs an ISO-8601 string or a Date"));
    }
    if (this._host.mustWaitForCore()) return this._host.ready().then(() => this.setTime(time));
    /** @param {Core} core */
    const finish = (core) => {
      if (!core.setTime(iso)) {
        throw new RangeError(
          `clock.setTime: ${JSON.stringify(iso)} is not an ISO-8601 date-time at or after the current time ${core.now()}`,
        );
      }
    };
    const target = Date.parse(iso);
    if (Number.isNaN(target)) return this._host.run(finish);  // the core's parser decides and explains
    return this._advanceTo(target, finish);
  }

  /**
   * Long jumps run in slices of at most ADVANCE_SLICE_MS of virtual time, each followed by the
   * delivery of its events, so a jump of months with recurring timers (offers expiring and being
   * re-issued every minute) keeps memory flat. The first slice runs synchronously, like a request.
   * @param {number} targetMillis
   * @param {(core: Core) => void} finish
   */
  async _advanceTo(targetMillis, finish) {
    const host = this._host;
    for (;;) {
      const now = this.nowMillis();
      if (targetMillis - now <= ADVANCE_SLICE_MS) break;
      await host.run((core) => core.advance(ADVANCE_SLICE_MS));
    }
    await host.run(finish);
    // Responses held by virtual-clock latency whose time has come are answered before the move resolves.
    host.releaseDueResponses();
  }

  // ---- for the emulator and recording.js ----

  /**
   * Real clock: moves the core's clock by the wall time elapsed since the last sync (times the speed).
   * @param {Core} core
   */
  _sync(core) {
    if (this._mode !== "real") return;
    const wall = Date.now();
    const scaled = (wall - this._lastWall) * this._speed + this._carry;
    this._lastWall = wall;
    const whole = Math.floor(scaled);
    this._carry = scaled - whole;
    if (whole > 0) core.advance(whole);
  }

  /** A real clock follows wall time from now on (after the core's time was set, or a new core made). */
  _restart() {
    this._lastWall = Date.now();
    this._carry = 0;
  }

  /**
   * Wall-clock ms until the core's next timer is due (a real clock), or null when there is none to wait for.
   * @param {Core} core
   * @returns {number | null}
   */
  _wallDelayToNextTimer(core) {
    if (this._mode !== "real") return null;
    const due = core.nextDueMillis();
    if (!(due >= 0)) return null;
    const virtualDelay = Math.max(0, due - core.nowMillis());
    return Math.min(Math.ceil(virtualDelay / this._speed), 2 ** 31 - 1);
  }

  /**
   * Stops a real clock while a replay drives the core's time (recording.js), without a "mode" record; the
   * returned function puts the mode back.
   * @returns {() => void}
   */
  _holdForReplay() {
    const saved = this._mode;
    this._mode = "manual";
    return () => {
      this._mode = saved;
      this._restart();
    };
  }
}

/** @type {readonly Function[]} */
const NO_LISTENERS = Object.freeze([]);

/** One delivery of events to listeners (RouterEmulator._deliver): where it is, and the first error. */
class Delivery {
  /**
   * @param {Map<string, readonly Function[]>} listeners the emulator's (lists are replaced, never changed in place)
   * @param {Record<string, any>[]} events
   */
  constructor(listeners, events) {
    this.listeners = listeners;
    this.events = events;
    this.eventIndex = 0;
    /** @type {readonly Function[] | null} the current event's type listeners (null: its turn has not come) */
    this.typed = null;
    /** @type {readonly Function[]} the current event's "*" listeners */
    this.star = NO_LISTENERS;
    this.listenerIndex = 0;
    this.failed = false;
    /** @type {unknown} */
    this.error = undefined;
  }

  /** @param {unknown} error */
  fail(error) {
    if (!this.failed) {
      this.failed = true;
      this.error = error;
    }
  }

  /**
   * Calls listeners in order until one returns a thenable (returned: the caller waits for it, then calls run()
   * again) or none is left (undefined).
   * @returns {PromiseLike<unknown> | undefined}
   */
  run() {
    for (; this.eventIndex < this.events.length; this.eventIndex++) {
      const event = this.events[this.eventIndex];
      if (this.typed === null) {
        const type = event && typeof event.eventType === "string" ? event.eventType : "";
        this.typed = this.listeners.get(type) ?? NO_LISTENERS;
        this.star = this.listeners.get("*") ?? NO_LISTENERS;
        this.listenerIndex = 0;
      }
      const typed = this.typed;
      const count = typed.length + this.star.length;
      while (this.listenerIndex < count) {
        const index = this.listenerIndex++;
        const listener = index < typed.length ? typed[index] : this.star[index - typed.length];
        try {
          const returned = listener(event);
          if (returned !== null && (typeof returned === "object" || typeof returned === "function") &&
              typeof returned.then === "function") {
            return returned;
          }
        } catch (error) {
          this.fail(error);
        }
      }
      this.typed = null;
    }
    return undefined;
  }
}

/**
 * One emulated Job Router resource.
 *
 * Sharing: clients built with `JobRouter(...)` for the same endpoint (same lower-case origin) share
 * one RouterEmulator, found in a module-level registry. The first client of an endpoint may pass
 * `{ emulator: options }`; a later client of that endpoint that passes options equal to the
 * existing emulator's shares it, and one that passes different options gets an Error (dispose the
 * existing emulator first, or pass an instance). `{ emulator: instance }` binds the client to that
 * instance and makes it the endpoint's shared resource for the clients created afterwards.
 */
export class RouterEmulator {
  /**
   * @param {EmulatorOptions} [options] see EmulatorOptions above
   */
  constructor(options = {}) {
    this.options = normalizeOptions(options);
    this.clock = new RouterClock(this._clockHost(), this.options.clock, this.options.speed);
    /** @type {Core | null} made on first use (_useCore) */
    this._core = null;
    this._disposed = false;
    /** @type {Map<string, readonly Function[]>} event type -> its listeners (a new array on every change) */
    this._listeners = new Map();
    this._ticker = null;
    /** wall time (Date.now()) the armed ticker fires at */
    this._tickerAt = 0;
    this._delivering = 0;
    /** @type {Map<string, Function>} function/webhook rule URI -> host function */
    this._functions = new Map();
    /** @type {Set<Promise<void>>} async function calls still running */
    this._pendingCalls = new Set();
    // GET responses of the current core stateVersion() (see handle()).
    /** @type {Map<string, {status: number, headers: Record<string, string>, body: string}>} */
    this._getCache = new Map();
    this._getCacheVersion = -1;
    /** @type {Promise<unknown> | null} calls waiting for an asynchronously loading core, in call order */
    this._startQueue = null;
    /** @type {Recorder | undefined} the journal's and traces' recorder (recording.js), while one records */
    this._recorder = undefined;
    if (!coreAvailableNow()) whenCoreAvailable().catch(() => {});  // browsers: start loading now, the first call awaits it
  }

  /**
   * Serves function and webhook rules (classification policies' rules with kind "function" or
   * "webhook") with a host function instead of an HTTP call: `fn(payload, context)` gets the payload
   * the service would send (`{ job: <job labels> }`) and `{ requestId, jobId, kind, uri, rule }`, and
   * returns the rule's result (a priority, a boolean, selectors, …) or a promise of it. A throw or a
   * rejection fails classification with its message. While an async function runs, the job waits in
   * pendingClassification, as it would for a real Azure Function; `whenIdle()` waits for all of them.
   * A rule whose URI has no registered function fails classification; a function registered for
   * the URI "*" serves every URI that has none of its own (the HTTP server uses it to call rules over HTTP).
   * @param {string} uri the rule's functionUri (or webhookUri), or "*"
   * @param {(payload: any, context: RuleContext) => unknown} fn
   * @returns {this}
   */
  registerFunction(uri, fn) {
    this._checkAlive();
    if (typeof fn !== "function") throw new TypeError("registerFunction: fn must be a function");
    this._functions.set(String(uri), fn);
    return this;
  }

  /**
   * Removes a function registered with registerFunction().
   * @param {string} uri
   */
  unregisterFunction(uri) {
    this._functions.delete(String(uri));
    return this;
  }

  /** Resolves once every async function call (and the work and events it caused) is done. */
  async whenIdle() {
    while (this._pendingCalls.size > 0) await Promise.allSettled([...this._pendingCalls]);
  }

  /**
   * The shared emulator of an endpoint (or connection string), created on first use.
   * @param {string} endpointOrConnectionString
   * @param {object} [options] emulator options; must equal the existing emulator's, if there is one.
   * @returns {RouterEmulator}
   */
  static for(endpointOrConnectionString, options) {
    return bindEmulator(endpointKey(endpointOrConnectionString), options);
  }

  /**
   * Resolves when the WebAssembly core is loaded and this emulator's resource exists. Under Node the core
   * loads synchronously on first use and this is never needed; in a browser it loads asynchronously, and
   * requests wait for it by themselves, but the synchronous calls (clock.now(), exportState(), importState(),
   * explain(), reset()) throw until it is there.
   * @returns {Promise<void>}
   */
  async ready() {
    if (this._mustWaitForCore()) await whenCoreAvailable();
    if (this._startQueue !== null) await this._startQueue.catch(() => {});
    this._useCore();
  }

  /** true after dispose(). */
  get disposed() {
    return this._disposed;
  }

  /**
   * Subscribes to events: `type` is a short ("RouterJobQueued") or full
   * ("Microsoft.Communication.RouterJobQueued") Event Grid event type, or "*" for all.
   * Events that a request (or clock call) causes are delivered, in order, before its promise
   * resolves; a listener may be async (it is awaited). If a listener throws, the promise of the
   * call that delivered the event rejects with that error (after every listener has run).
   * An unknown type (e.g. "WorkerOfferIssued") throws a TypeError that suggests the closest valid one.
   * @param {string} type
   * @param {(event: object) => unknown} listener
   * @returns {this}
   */
  on(type, listener) {
    this._checkAlive();
    const key = normalizeEventType(type);
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    // Lists are replaced, never changed in place: a delivery holds the lists of its event as they were when the
    // event's turn came (see _deliver).
    this._listeners.set(key, [...(this._listeners.get(key) ?? []), listener]);
    this._updateTicker();
    return this;
  }

  /**
   * Like on(), for the next matching event only.
   * @param {string} type
   * @param {(event: object) => unknown} listener
   * @returns {this}
   */
  once(type, listener) {
    normalizeEventType(type);
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    /** @type {((event: object) => unknown) & { listener?: Function }} */
    const wrapper = (event) => {
      this.off(type, wrapper);
      return listener(event);
    };
    wrapper.listener = listener;
    return this.on(type, wrapper);
  }

  /**
   * Removes a listener added with on() / once() for the same type.
   * @param {string} type
   * @param {(event: object) => unknown} listener
   * @returns {this}
   */
  off(type, listener) {
    const key = normalizeEventType(type);
    const list = this._listeners.get(key);
    if (list) {
      const index = list.findIndex((fn) => fn === listener || /** @type {any} */ (fn).listener === listener);
      if (index >= 0) {
        const rest = list.slice();
        rest.splice(index, 1);
        if (rest.length === 0) this._listeners.delete(key);
        else this._listeners.set(key, rest);
      }
    }
    this._updateTicker();
    return this;
  }

  /**
   * Empties the resource and puts the clock back to its start. Event listeners stay unless
   * `{ listeners: true }` is passed; fault settings (`faults`) stay too (their throttle windows and
   * latency jitter start again), `faults.clear()` removes them.
   * @param {{ listeners?: boolean }} [options]
   */
  reset(options = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("reset(options): options must be an object");
    for (const key of Object.keys(options)) {
      if (key !== "listeners") throw new TypeError(`reset: unknown option "${key}" (accepted: listeners)`);
    }
    const core = this._useCore();
    core.reset();
    if (this.options.clock === "real" && this.options.startTime === undefined) {
      core.setTime(new Date().toISOString());
    }
    this.clock._restart();
    core.drainEvents(false);
    if (this._recorder !== undefined) this._recorder.reset(core);
    if (this._faults !== undefined) this._faults._onReset();
    if (options.listeners === true) this.removeAllListeners();
  }

  /**
   * Removes every listener of `type` (short or full name, or "*" for the listeners added with "*"), or
   * every listener of every type when `type` is omitted.
   * @param {string} [type]
   * @returns {this}
   */
  removeAllListeners(type) {
    if (type === undefined) this._listeners.clear();
    else this._listeners.delete(normalizeEventType(type));
    if (!this._disposed) this._updateTicker();
    return this;
  }

  /**
   * A promise of the first event of `type` (short or full name, or "*") that `predicate` accepts, delivered
   * after this call. Rejects after `timeout` wall-clock ms (default 5000; Infinity waits forever) with an
   * Error that names the type and lists the events that did arrive meanwhile; rejects with a TypeError for
   * an unknown type. Options may come second: `waitForEvent(type, { timeout })`. Its listener is removed
   * when the promise settles.
   * @param {string} type
   * @param {((event: object) => unknown) | { timeout?: number }} [predicate]
   * @param {{ timeout?: number }} [options]
   * @returns {Promise<object>}
   */
  waitForEvent(type, predicate, options) {
    return waitForEvent(this, type, predicate, options);
  }

  /**
   * Fault and latency injection (off until set): `throttle()`, `failNext()`, `latency()`, `clear()`, `get()`.
   * Applied at the start of handle(), so every client, the HTTP server and the adapters see it.
   * @returns {FaultInjector}
   */
  get faults() {
    if (this._faults === undefined) this._faults = new FaultInjector(this._faultsHost());
    return this._faults;
  }

  /**
   * Tries one router rule (static, directMap, expression, function or webhook) against the given job and
   * worker labels, exactly as classification and scoring evaluate it, without creating anything. Resolves to
   * `{ value }` (Blank is `{ value: null }`) or `{ error, column? }` (`column`: 1-based, in the expression's
   * characters, when the error names one). Function and webhook rules call the function registered for their
   * URI (`registerFunction`) with `{ job, worker? }` and take its (awaited) answer as the value.
   * @param {object} rule a RouterRule, e.g. `{ kind: "expression", expression: "If(job.Escalated = true, 10, 1)" }`
   * @param {{ job?: Record<string, unknown>, worker?: Record<string, unknown> }} [labels]
   * @returns {Promise<{ value: unknown } | { error: string, column?: number }>}
   */
  async evaluateRule(rule, labels = {}) {
    this._checkAlive();
    if (this._mustWaitForCore()) await whenCoreAvailable();
    const { job, worker } = labels ?? {};
    const answer = JSON.parse(this._useCore().evaluateRule(JSON.stringify({ rule, job, worker })));
    if (!answer.external) return answer;
    const { kind, uri, rule: canonical, payload } = answer.external;
    const fn = this._functions.get(uri) ?? this._functions.get("*");
    if (!fn) return { error: `no function is registered for ${uri} (emulator.registerFunction)` };
    try {
      const value = await fn(payload, { requestId: "", jobId: "", kind, uri, rule: canonical });  // no request, no job
      return { value: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }

  /**
   * Why each worker would or would not be offered a job right now: for every worker, `eligible` or the
   * first reason it is not (`code`: WorkerNotAvailable, QueueNotServed, ChannelNotServed, AlreadyOffered,
   * Declined, NoCapacity, SelectorNotMatched, JobNotQueued; `reason`: a sentence).
   * Throws an Error with `statusCode` 404 for an unknown job.
   * @param {string} jobId
   * @returns {{ jobId: string, status: string, queueId?: string,
   *   workers: Array<{ workerId: string, eligible: boolean, code?: string, reason?: string }> }}
   */
  explain(jobId) {
    const core = this._useCore();
    this.clock._sync(core);
    const result = JSON.parse(core.explain(String(jobId)));
    if (result && typeof result === "object" && (result.communicationError || result.error)) {
      throw Object.assign(new Error(`RouterEmulator.explain: job '${jobId}' was not found`), { statusCode: 404 });
    }
    return result;
  }

  /**
   * Fault injection, which the real service does not offer: the job (pendingSchedule or scheduled) fails
   * scheduling. It becomes scheduleFailed, its scheduleAt no longer fires, and RouterJobSchedulingFailed is
   * published with `reason` as failureReason (a default text without one), before the promise resolves.
   * Resolves to the job as GET shows it; rejects with an Error carrying `statusCode` and `code` for an
   * unknown job (404 NotFound) or any other status (409 Conflict), changing nothing.
   * @param {string} jobId
   * @param {string} [reason]
   * @returns {Promise<object>}
   */
  failScheduling(jobId, reason) {
    /** @type {object} */
    let job = {};
    return this._run((core) => {
      if (reason !== undefined && typeof reason !== "string") {
        throw new TypeError("failScheduling(jobId, reason): reason must be a string");
      }
      const raw = core.failScheduling(String(jobId), reason ?? "");
      /** @type {Record<string, any>} */
      let body = {};
      try {
        body = raw.body ? JSON.parse(raw.body) : {};
      } catch {
        body = {};
      }
      if (Number(raw.status) !== 200) {
        const inner = body.communicationError ?? body.error ?? {};
        const message = `RouterEmulator.failScheduling: ${inner.message ?? `status ${raw.status}`}`;
        throw Object.assign(new Error(message), { statusCode: Number(raw.status), code: inner.code });
      }
      job = body;
    }).then(() => job);
  }

  /** The whole state (resources, clock, pending timers) as JSON text. */
  exportState() {
    const core = this._useCore();
    this.clock._sync(core);
    return core.exportState();
  }

  /**
   * Replaces the whole state with one from exportState(): its JSON text, the text's UTF-8 bytes (a Uint8Array,
   * e.g. a file read without decoding: the fastest for large states) or the parsed object.
   * Throws (and changes nothing) when the state is not valid.
   * @param {string | Uint8Array | object} state
   */
  importState(state) {
    const core = this._useCore();
    const text = typeof state === "string" || state instanceof Uint8Array ? state : JSON.stringify(state);
    if ((typeof text !== "string" && !(text instanceof Uint8Array)) || !core.importState(text)) {
      throw new Error("RouterEmulator.importState: the state is not a valid exportState() snapshot");
    }
    this.clock._restart();
    core.drainEvents(false);
    this._serveRuleRequests(core);  // requests pending in the snapshot go to this host's functions
    core.drainEvents(false);
    if (this._recorder !== undefined) this._recorder.imported(typeof text === "string" ? text : new TextDecoder().decode(text), core);
  }

  /**
   * Starts recording this emulator's inputs (and, unless `outputs: false`, every response and event) as a
   * trace (README "Trace files"). Returns `{ stop(), text(), records }`; `stop()` returns the trace text when
   * no `write(line)` sink was given. `RouterEmulator.replay(trace)` re-runs it.
   * @param {{ write?: (line: string) => void, outputs?: boolean }} [options]
   */
  startRecording(options) {
    return startRecording(this, options);
  }

  /**
   * Re-runs a trace (text or Buffer from startRecording() or --record) in a new emulator with a manual clock.
   * `until`: stop after record N; `verify`: compare every response and event with the trace and stop at the
   * first difference (`mismatch: { n, what, detail }`). Resolves to `{ emulator, applied, last, mismatch }`.
   * @param {string | Uint8Array} trace
   * @param {{ until?: number, verify?: boolean }} [options]
   */
  static replay(trace, options) {
    return replayTrace(RouterEmulator, trace, options);
  }

  /** Frees the WebAssembly Router and removes this emulator from the endpoint registry. */
  dispose() {
    if (this._disposed) return;
    this._disposed = true;
    this._stopTicker();
    for (const [key, emulator] of registry) {
      if (emulator === this) registry.delete(key);
    }
    this._listeners.clear();
    if (this._core !== null) {
      this._core.dispose();
      this._core = null;
    }
  }

  /**
   * Serves one REST call (what the clients and the HTTP server use).
   * The core call happens synchronously, so calls are served in the order they are made. Faults set with
   * `faults` (throttle, failNext, latency) apply first.
   * @param {string} method
   * @param {string} pathAndQuery e.g. "/routing/jobs/j1?api-version=2023-11-01"
   * @param {Record<string, unknown>} [headers] lower-case names (the values: strings; others as the core reads JSON)
   * @param {string} [body]
   * @returns {Promise<{status: number, headers: Record<string, string>, body: string}>}
   */
  handle(method, pathAndQuery, headers = {}, body = "") {
    if (this._faults !== undefined && this._faults.active) return this._faults.handle(method, pathAndQuery, headers, body);
    return this._serve(method, pathAndQuery, headers, body);
  }

  /**
   * handle() without fault injection.
   * @param {string} method
   * @param {string} pathAndQuery
   * @param {unknown} [headers]
   * @param {string} [body]
   * @returns {Promise<{status: number, headers: Record<string, string>, body: string}>}
   */
  _serve(method, pathAndQuery, headers = {}, body = "") {
    const verb = String(method).toUpperCase();
    const target = String(pathAndQuery);
    const bodyString = body == null ? "" : String(body);
    // Until the core exists (its first request) there is nothing cached, and no key to make.
    const core = this._core;
    const cacheKey = verb === "GET" && core !== null ? getCacheKey(core.requestHeaderNames(), target, headers, bodyString) : null;
    if (cacheKey !== null) {
      const cached = this._cachedGet(cacheKey);
      if (cached) return cached;
    }
    const input = this._recorder === undefined ? undefined : Recorder.requestInput(verb, target, bodyString);
    /** @type {((core: Core) => CoreResponse) & { input?: object }} */
    const action = (core) => {
      const versionBefore = cacheKey !== null ? core.stateVersion() : -1;
      if (input !== undefined) input.h = Recorder.recordedHeaders(core.requestHeaderNames(), headers);
      const response = core.handle(verb, target, headers, bodyString);
      if (input !== undefined) input.res = response;
      // Only a GET that changed nothing (no left-over work done) is answered again from memory.
      if (cacheKey !== null && core.stateVersion() === versionBefore) this._rememberGet(versionBefore, cacheKey, response);
      return response;
    };
    if (input !== undefined) action.input = input;
    return this._run(action);
  }

  // ---- internals -------------------------------------------------------------------------------

  /**
   * A GET answered before at the core's current stateVersion() is answered again from memory: the core
   * guarantees the same response (same status, headers and body) while that number stays the same, and a GET
   * that leaves the number unchanged publishes no events and raises no rule requests. Returns null when the
   * core must be asked (cache miss, a real clock that has moved).
   * @param {string} key
   */
  _cachedGet(key) {
    if (this._getCache.size === 0 || this._disposed || this._core === null) return null;
    if (this._pendingCalls.size > 0) return null;
    const core = this._core;
    try {
      this.clock._sync(core);
    } catch (error) {
      return Promise.reject(error);
    }
    if (core.stateVersion() !== this._getCacheVersion) {
      this._getCache.clear();
      return null;
    }
    const hit = this._getCache.get(key);
    if (!hit) return null;
    return Promise.resolve({ status: hit.status, headers: { ...hit.headers }, body: hit.body });
  }

  /**
   * @param {number} version
   * @param {string} key
   * @param {{status: number, headers: Record<string, string>, body: string}} response
   */
  _rememberGet(version, key, response) {
    if (version !== this._getCacheVersion) {
      this._getCache.clear();
      this._getCacheVersion = version;
    }
    if (this._getCache.size >= 512) this._getCache.clear();
    this._getCache.set(key, {
      status: response.status,
      headers: { ...response.headers },
      body: response.body,
    });
  }

  _checkAlive() {
    if (this._disposed) throw new Error("this RouterEmulator has been disposed");
  }

  /**
   * This emulator's recorder (recording.js: traces, and the server's journal), made when the first sink comes;
   * it detaches itself when its last sink goes.
   * @returns {Recorder}
   */
  _recorderForSinks() {
    if (this._recorder === undefined) {
      const recorder = new Recorder({
        core: () => this._core,
        disposed: () => this.disposed,
        listen: (listener) => void this.on("*", listener),
        unlisten: (listener) => void this.off("*", listener),
        detach: () => {
          if (this._recorder === recorder) this._recorder = undefined;
        },
      });
      this._recorder = recorder;
    }
    return this._recorder;
  }

  /**
   * What a trace replay may do with this emulator (recording.js's replayRecords reaches nothing else of it).
   * @returns {import("./recording.js").ReplayHost}
   */
  _replayHost() {
    return {
      begin: (answerRules) => {
        const restoreClock = this.clock._holdForReplay();
        const savedFunctions = this._functions;
        const savedRecorder = this._recorder;
        this._recorder = undefined;
        this._stopTicker();
        this._functions = new Map([["*", answerRules]]);
        return () => {
          this._functions = savedFunctions;
          this._recorder = savedRecorder;
          restoreClock();
          this._updateTicker();
        };
      },
      run: (action) => this._run(action),
      requestReplayed: () => this._getCache.clear(),
      useCore: () => this._useCore(),
    };
  }

  /**
   * What this emulator's fault injector may ask of it (faults.js reaches nothing else of the emulator).
   * @returns {import("./faults.js").FaultsHost}
   */
  _faultsHost() {
    return {
      seed: this.options.seed,
      mustWaitForCore: () => this._mustWaitForCore(),
      ready: () => this.ready(),
      disposed: () => this.disposed,
      nowMillis: () => this.clock.nowMillis(),
      serve: (method, target, headers, body) => this._serve(method, target, headers, body),
      errorResponse: (status, code, message, path) => this._useCore().errorResponse(status, code, message, path),
      settingsChanged: (settings) => this._recorder?.faults(settings),
    };
  }

  /**
   * What this emulator's clock may ask of it (RouterClock reaches nothing else of the emulator).
   * @returns {ClockHost}
   */
  _clockHost() {
    return {
      useCore: () => this._useCore(),
      mustWaitForCore: () => this._mustWaitForCore(),
      ready: () => this.ready(),
      run: (action) => this._run(action),
      rescheduleTicker: () => this._updateTicker(),
      modeChanged: (mode, speed) => this._recorder?.clockMode(mode, speed),
      releaseDueResponses: () => this._faults?._releaseDue(),
    };
  }

  /**
   * This emulator's core, made on first use.
   * @returns {Core}
   */
  _useCore() {
    this._checkAlive();
    if (this._core === null) {
      const startTime =
        this.options.startTime ?? (this.options.clock === "real" ? new Date().toISOString() : DEFAULT_MANUAL_START);
      this._core = openCore({
        seed: this.options.seed,
        startTime,
        checkApiVersion: this.options.checkApiVersion,
        errorShape: this.options.errorShape,
        eventLabelText: this.options.eventLabelText,
        limits: this.options.limits,
      });
      this.clock._restart();
    }
    return this._core;
  }

  /** true while the core is still to be loaded asynchronously (browsers), or calls are queued behind it. */
  _mustWaitForCore() {
    return this._startQueue !== null || (this._core === null && !coreAvailableNow());
  }

  /**
   * Runs `action(core)` synchronously (after syncing a real clock), drains the events it caused
   * and returns a promise of the action's result that resolves once they are delivered. While the core loads
   * asynchronously (browsers), calls wait for it in a queue, in the order they were made.
   * @template T
   * @param {((core: Core) => T) & { input?: object }} action
   * @returns {Promise<T>}
   */
  _run(action) {
    if (this._mustWaitForCore()) {
      const previous = this._startQueue ?? whenCoreAvailable();
      const queued = previous.then(
        () => this._runNow(action),
        // a call ahead in the queue failed (a listener threw): this one still runs; a failed load fails it too
        (error) => (coreLoaded() ? this._runNow(action) : Promise.reject(error)),
      );
      this._startQueue = queued;
      const settle = () => {
        if (this._startQueue === queued) this._startQueue = null;
      };
      queued.then(settle, settle);
      return queued;
    }
    return this._runNow(action);
  }

  /**
   * @template T
   * @param {((core: Core) => T) & { input?: object }} action
   * @returns {Promise<T>}
   */
  _runNow(action) {
    let events;
    let result;
    try {
      const core = this._useCore();
      const recorder = this._recorder;  // recording.js: journal and traces
      const mark = recorder === undefined ? undefined : recorder.begin(action.input);
      this.clock._sync(core);
      if (mark !== undefined) mark.t = core.nowMillis();
      result = action(core);
      this._serveRuleRequests(core);
      events = this._drain(core);
      if (recorder !== undefined && mark !== undefined) recorder.end(mark, events);
      this._updateTicker();
    } catch (error) {
      return Promise.reject(error);
    }
    return this._deliver(events, result);
  }

  /**
   * Answers the core's function/webhook rule requests: sync results at once, async ones when they settle.
   * @param {Core} core
   */
  _serveRuleRequests(core) {
    for (;;) {
      let requests;
      try {
        const text = core.drainRuleRequests();
        if (text === "[]") return;  // the usual case: skip the parse
        requests = JSON.parse(text);
      } catch {
        return;
      }
      if (!Array.isArray(requests) || requests.length === 0) return;
      for (const request of requests) this._callRuleFunction(core, request);
    }
  }

  /**
   * Calls the host function of one rule request and gives the core its answer (now, or when a promise settles).
   * @param {Core} core
   * @param {{ requestId: string, uri: string, jobId: string, kind: string, rule: object, payload: object }} request
   */
  _callRuleFunction(core, request) {
    const { requestId } = request;
    const fn = this._functions.get(request.uri) ?? this._functions.get("*");
    if (!fn) {
      this._answerRule(core, requestId, "", `no function is registered for ${request.uri} (emulator.registerFunction)`);
      return;
    }
    let result;
    try {
      const { jobId, kind, uri, rule } = request;
      result = fn(request.payload, { requestId, jobId, kind, uri, rule });
    } catch (error) {
      this._answerRule(core, requestId, "", errorMessage(error));
      return;
    }
    if (result === null || typeof result !== "object" || typeof result.then !== "function") {
      this._answerRule(core, requestId, JSON.stringify(result ?? null), "");
      return;
    }
    const call = Promise.resolve(result)
      .then(
        (value) => this._run((c) => this._answerRule(c, requestId, JSON.stringify(value ?? null), "", true)),
        (error) => this._run((c) => this._answerRule(c, requestId, "", errorMessage(error), true)),
      )
      .catch((error) => {
        if (!this._disposed) console.error("jobrouter-emulator: an event listener threw:", error);
      })
      .finally(() => this._pendingCalls.delete(call));
    this._pendingCalls.add(call);
  }

  /**
   * Gives a function/webhook rule's answer to the core (and to a recording).
   * @param {Core} core
   * @param {string} requestId
   * @param {string} value
   * @param {string} error
   * @param {boolean} [async]
   */
  _answerRule(core, requestId, value, error, async = false) {
    core.answerRuleRequest(requestId, value, error);
    if (this._recorder !== undefined) this._recorder.answer(requestId, value, error, async);
  }

  /**
   * The events the core collected, parsed (none when nobody listens: they are dropped undecoded).
   * @param {Core} core
   * @returns {Record<string, any>[]}
   */
  _drain(core) {
    return core.drainEvents(this._listeners.size > 0);
  }

  /**
   * Delivers events to their listeners and resolves to `result` once every listener has run; rejects with the
   * first error a listener threw (or its promise rejected with) after every listener has run. Each event goes to
   * its type's listeners, then to "*"'s, as they were when the event's turn came. A listener's result is awaited
   * when it is a thenable (an async listener) before the next listener runs; the others run one after another.
   * @template T
   * @param {Record<string, any>[]} events
   * @param {T} result
   * @returns {Promise<T>}
   */
  _deliver(events, result) {
    if (events.length === 0 || this._listeners.size === 0) return Promise.resolve(result);
    const delivery = new Delivery(this._listeners, events);
    this._delivering++;
    const pending = delivery.run();
    if (pending !== undefined) return this._deliverAsync(delivery, pending, result);
    this._delivering--;
    return delivery.failed ? Promise.reject(delivery.error) : Promise.resolve(result);
  }

  /**
   * The rest of a delivery once a listener returned a thenable: waits for it, then goes on.
   * @template T
   * @param {Delivery} delivery
   * @param {PromiseLike<unknown>} pending
   * @param {T} result
   * @returns {Promise<T>}
   */
  async _deliverAsync(delivery, pending, result) {
    try {
      for (let waiting = /** @type {PromiseLike<unknown> | undefined} */ (pending); waiting !== undefined;) {
        try {
          await waiting;
        } catch (error) {
          delivery.fail(error);
        }
        waiting = delivery.run();
      }
    } finally {
      this._delivering--;
    }
    if (delivery.failed) throw delivery.error;
    return result;
  }

  /**
   * Real clock: one wall-clock timer (unref'd in Node) aimed at the core's next due timer, so offer
   * expiry, scheduleAt, closeAt and the rest happen on time even with no requests.
   */
  _updateTicker() {
    if (this._disposed || this._core === null) {
      this._stopTicker();
      return;
    }
    const delay = this.clock._wallDelayToNextTimer(this._core);
    if (delay === null) {
      this._stopTicker();
      return;
    }
    // The armed timer stays when it fires no later than needed and at most 1 ms early (a timer that fires early
    // only arms the next one): re-arming on every request would cost more than the request's own JS.
    const fireAt = Date.now() + delay;
    if (this._ticker !== null && this._tickerAt <= fireAt && fireAt - this._tickerAt <= 1) return;
    this._stopTicker();
    this._tickerAt = fireAt;
    this._ticker = setTimeout(() => {
      this._ticker = null;
      this._tick();
    }, delay);
    if (typeof this._ticker === "object" && typeof this._ticker.unref === "function") this._ticker.unref();
  }

  _stopTicker() {
    if (this._ticker !== null) {
      clearTimeout(this._ticker);
      this._ticker = null;
    }
  }

  /** Real clock with listeners: fires due timers on wall time even when no request comes. */
  _tick() {
    if (this._disposed || this._core === null) return;
    if (this._delivering > 0) {
      this._updateTicker();  // try again once the current delivery is done
      return;
    }
    this._run(() => {}).catch((error) => {
      console.error("jobrouter-emulator: an event listener threw:", error);
    });
  }
}

/**
 * The live shared emulator of a normalized endpoint key, without creating one.
 * @param {string} key
 * @returns {RouterEmulator | undefined}
 */
export function lookupEmulator(key) {
  const emulator = registry.get(key);
  return emulator && !emulator.disposed ? emulator : undefined;
}

/**
 * Finds or creates the shared emulator of a normalized endpoint key.
 * @param {string} key
 * @param {RouterEmulator | object | undefined} emulatorOption
 * @returns {RouterEmulator}
 */
export function bindEmulator(key, emulatorOption) {
  const existing = registry.get(key);
  if (emulatorOption instanceof RouterEmulator) {
    if (emulatorOption.disposed) throw new Error("the RouterEmulator passed in options.emulator has been disposed");
    registry.set(key, emulatorOption);
    return emulatorOption;
  }
  if (emulatorOption !== undefined && emulatorOption !== null) {
    const wanted = normalizeOptions(emulatorOption);
    if (existing && !existing.disposed) {
      if (!sameOptions(existing.options, wanted)) {
        throw new Error(
          `An emulated resource already exists for ${key} with other options ` +
            `(${JSON.stringify(existing.options)}); call RouterEmulator.for(${JSON.stringify(key)}).dispose() ` +
            "first, or pass the same options, or pass a RouterEmulator instance as options.emulator",
        );
      }
      return existing;
    }
    const created = new RouterEmulator(emulatorOption);
    registry.set(key, created);
    return created;
  }
  if (existing && !existing.disposed) return existing;
  const created = new RouterEmulator();
  registry.set(key, created);
  return created;
}
