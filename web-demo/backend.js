// The two ways the demo reaches a Job Router, behind one interface so the rest of the page does not
// care which one it runs on:
//
//   { mode, client, connectSnippet, clock, onEvent(fn), reset(), explain(jobId), evaluateRule(rule, labels),
//     faults: { get(), configure({ throttle?, failNext?, latency? }), failNext(rule) } }
//
// - "server": the page is served by `npx jobrouter-emulator`, which answers GET emulator/config.
//   REST calls go over fetch (signed with the ACS HMAC-SHA256 scheme when the server asks for it),
//   events arrive as Server-Sent Events, the clock lives in the server. A server that listens beyond
//   loopback wants the access key on its controls: the page asks for it once and keeps it in
//   sessionStorage (this tab only).
// - "in-process": any static file server; the package runs in the page on its WebAssembly core,
//   with a RouterEmulator whose clock the page controls.
//
// Every URL is relative to the page, so the same files work at "/" (server) and "/web-demo/".

import JobRouter, { RouterEmulator } from "../js/index.js";
import { hmacSha256Base64, sha256Base64 } from "./crypto.js";
import { configureFaults } from "../js/faults.js";
// Every event type the emulator publishes (EventSource needs one listener per named event): the package's list.
import { EVENT_PREFIX, EVENT_TYPES } from "../js/event-types.js";

export { EVENT_TYPES };
export const API_VERSION = "2023-11-01";

/** Resolves a page-relative path ("routing/jobs?...") to a URL object. */
function pageUrl(relative) {
  return new URL(relative, document.baseURI);
}

/**
 * Picks the mode: server when emulator/config answers 200 with JSON, otherwise in-process.
 * @returns {Promise<object>} the backend
 */
export async function connect() {
  // Served from a static file server at the repository root, the page lives under /web-demo/; the
  // emulator server serves it at "/". Skipping the probe there keeps the console free of a 404.
  // ?mode=in-process or ?mode=server overrides the guess.
  const wanted = new URLSearchParams(location.search).get("mode");
  if (wanted === "in-process") return connectInProcess();
  if (wanted !== "server" && /\/web-demo\/(index\.html)?$/.test(location.pathname)) return connectInProcess();
  let config;
  let controlKey = storedControlKey();
  try {
    for (let attempt = 0; ; attempt++) {
      const headers = { accept: "application/json" };
      if (controlKey) headers.authorization = `Bearer ${controlKey}`;
      const response = await fetch(pageUrl("emulator/config"), { headers });
      if (response.status === 401 && attempt < 3) {
        // The server listens beyond loopback: its controls need the access key.
        controlKey = askControlKey(attempt > 0 || Boolean(storedControlKey()));
        if (!controlKey) break;
        continue;
      }
      if (response.ok && (response.headers.get("content-type") ?? "").includes("json")) {
        config = await response.json();
      }
      break;
    }
  } catch {
    config = undefined;
  }
  if (config && typeof config === "object" && config.clock) {
    if (controlKey) rememberControlKey(controlKey);
    return connectServer(config, controlKey);
  }
  return connectInProcess();
}

// ---- the control key (servers beyond loopback) ----------------------------------------------------

const CONTROL_KEY_ITEM = "jobrouter-emulator.controlKey";

function storedControlKey() {
  try {
    return sessionStorage.getItem(CONTROL_KEY_ITEM) || null;
  } catch {
    return null;
  }
}

function rememberControlKey(key) {
  try {
    sessionStorage.setItem(CONTROL_KEY_ITEM, key);
  } catch {
    // storage disabled: the page asks again on reload
  }
}

/** Asks for the access key; null when the user cancels. */
function askControlKey(again) {
  try {
    sessionStorage.removeItem(CONTROL_KEY_ITEM);
  } catch {
    // storage disabled
  }
  const answer = window.prompt(
    (again ? "That key was not accepted. " : "") +
      "This emulator listens beyond loopback, so its controls need the access key (printed by the server at start). " +
      "It is kept for this tab only.\n\nAccess key:",
  );
  const key = answer?.trim();
  return key ? key : null;
}

// ---- in-process -------------------------------------------------------------------------------

async function connectInProcess() {
  const emulator = new RouterEmulator({ clock: "manual", seed: 1 });
  await emulator.ready();
  const connectionString = "endpoint=https://demo.jobrouter.local/;accesskey=ZGVtbw==";
  const client = JobRouter(connectionString, { emulator });
  const listeners = new Set();
  emulator.on("*", (event) => {
    for (const fn of listeners) fn(event);
  });
  return {
    mode: "in-process",
    client,
    emulator,
    connectSnippet:
      'import JobRouter, { RouterEmulator } from "jobrouter-emulator";\n\n' +
      'const emulator = new RouterEmulator({ clock: "manual", seed: 1 });\n' +
      `const client = JobRouter(${JSON.stringify(connectionString)}, { emulator });`,
    clock: new InProcessClock(emulator),
    onEvent(fn) {
      listeners.add(fn);
    },
    async reset() {
      await this.clock.pause();
      emulator.reset();
    },
    async explain(jobId) {
      return emulator.explain(jobId);
    },
    evaluateRule(rule, labels) {
      return emulator.evaluateRule(rule, labels);
    },
    // emulator.faults; every method resolves to what is set, as GET /emulator/faults shows it
    faults: {
      async get() {
        return emulator.faults.get();
      },
      async configure(config) {
        return configureFaults(emulator.faults, config);
      },
      async failNext(rule) {
        return emulator.faults.failNext(rule).get();
      },
    },
  };
}

/**
 * The emulator's clock, driven by the page: "play" lets the emulator's clock follow wall time at a speed
 * (its "real" mode), "pause" stops it (its "manual" mode), and the page can advance it by hand.
 */
class InProcessClock {
  constructor(emulator) {
    this.emulator = emulator;
    this.playing = false;
    this.speed = 1;
  }
  nowMillis() {
    return this.emulator.clock.nowMillis();
  }
  async play() {
    this.playing = true;
    this.emulator.clock.setSpeed(this.speed);
    this.emulator.clock.setMode("real");
  }
  async pause() {
    this.playing = false;
    if (this.emulator.clock.mode !== "manual") this.emulator.clock.setMode("manual");
  }
  async setSpeed(speed) {
    this.speed = speed;
    this.emulator.clock.setSpeed(speed);
  }
  async advance(ms) {
    await this.emulator.clock.advance(ms);
  }
  /** Called by the page's ticker: the emulator's own clock follows wall time, so nothing is left to do here. */
  async tick() {}
}

// ---- server -----------------------------------------------------------------------------------

function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Path and query of a page-relative or absolute URL, as the server sees it. */
function pathAndQueryOf(url) {
  return `${url.pathname}${url.search}`;
}

/** Signs requests with the ACS HMAC-SHA256 scheme under `key` (no headers without a key). */
function serverSigner(key) {
  return async function signature(method, url, bodyText) {
    if (!key) return {};
    const date = new Date().toUTCString();
    const hash = await sha256Base64(bodyText);
    const toSign = `${method}\n${pathAndQueryOf(url)}\n${date};${location.host};${hash}`;
    const signed = await hmacSha256Base64(key, toSign);
    return {
      "x-ms-date": date,
      "x-ms-content-sha256": hash,
      authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signed}`,
    };
  };
}

/** One HTTP call over fetch; answers like the package's client: { status: "200", headers, body, request }. */
function serverSender(signature) {
  return async function send(method, url, options = {}) {
    const bodyText = options.body === undefined ? "" : JSON.stringify(options.body);
    const headers = { accept: "application/json", ...(await signature(method, url, bodyText)), ...options.headers };
    if (bodyText) headers["content-type"] = options.contentType ?? "application/json";
    const response = await fetch(url, { method, headers, body: bodyText || undefined });
    const text = await response.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const responseHeaders = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return { status: String(response.status), headers: responseHeaders, body, request: { method, url: url.href } };
  };
}

/** client.path(template, ...ids) over `send`: the same shape as the package's client. */
function serverPaths(send) {
  return function path(template, ...ids) {
    let relative;
    if (/^https?:\/\//.test(template)) {
      const absolute = new URL(template);
      relative = `${absolute.pathname}${absolute.search}`;
    } else {
      let index = 0;
      relative = template.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(ids[index++])));
    }
    // "/routing/..." from the SDK's templates, resolved against the page: "routing/...".
    relative = relative.replace(/^\//, "");
    const verbs = {};
    for (const verb of ["get", "put", "patch", "post", "delete"]) {
      verbs[verb] = (options = {}) => {
        const url = pageUrl(relative);
        for (const [name, value] of Object.entries(options.queryParameters ?? {})) {
          url.searchParams.set(name, String(value));
        }
        if (!url.searchParams.has("api-version")) url.searchParams.set("api-version", API_VERSION);
        return send(verb.toUpperCase(), url, options);
      };
    }
    return verbs;
  };
}

/**
 * The server's /emulator/ controls over `send`: same-origin JSON calls; POSTs always carry a JSON body (the server
 * wants content-type application/json on them), and the access key when the server asks for one. A call that is
 * not answered 2xx throws with the server's message.
 */
function serverControl(send, controlHeaders) {
  return async function control(method, relative, body) {
    const payload = body === undefined && method !== "GET" ? {} : body;
    const response = await send(method, pageUrl(relative), { body: payload, headers: controlHeaders });
    if (!response.status.startsWith("2")) {
      const message = response.body?.error?.message ?? response.body?.communicationError?.message;
      throw new Error(`${method} ${relative} answered ${response.status}${message ? `: ${message}` : ""}`);
    }
    return response.body;
  };
}

/** The server's event stream: returns onEvent(fn), which adds a listener of every event. */
function serverEvents(controlKey, controlHeaders) {
  const listeners = new Set();
  const deliver = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event && typeof event.eventType === "string") for (const fn of listeners) fn(event);
  };
  if (controlKey) {
    // EventSource cannot send an Authorization header: read the stream with fetch instead.
    streamEvents(pageUrl("emulator/events"), controlHeaders, deliver);
  } else {
    const source = new EventSource(pageUrl("emulator/events"));
    for (const type of EVENT_TYPES) source.addEventListener(EVENT_PREFIX + type, deliver);
    source.addEventListener("message", deliver);
  }
  return (fn) => listeners.add(fn);
}

async function connectServer(config, controlKey = null) {
  const key = config.auth && config.accessKey ? base64ToBytes(config.accessKey) : null;
  const send = serverSender(serverSigner(key));
  const path = serverPaths(send);
  const controlHeaders = controlKey ? { authorization: `Bearer ${controlKey}` } : {};
  const control = serverControl(send, controlHeaders);
  const addListener = serverEvents(controlKey, controlHeaders);

  const clock = new ServerClock(control, config.clock);
  const endpoint = config.endpoint ?? location.origin + "/";
  const connectionString = config.connectionString ?? `endpoint=${endpoint};accesskey=${config.accessKey ?? ""}`;
  return {
    mode: "server",
    client: { path, pathUnchecked: path },
    connectSnippet:
      'import JobRouter from "@azure-rest/communication-job-router";\n\n' +
      "// the official client, pointed at this emulator server\n" +
      `const client = JobRouter(${JSON.stringify(connectionString)}, { allowInsecureConnection: true });`,
    clock,
    onEvent(fn) {
      addListener(fn);
    },
    async reset() {
      await control("POST", "emulator/reset", {});
      await clock.sync();
    },
    async explain(jobId) {
      return control("GET", `emulator/explain/${encodeURIComponent(jobId)}`);
    },
    evaluateRule(rule, labels) {
      return control("POST", "emulator/rules/evaluate", { rule, ...labels });
    },
    // /emulator/faults; every method resolves to what is set
    faults: {
      get: () => control("GET", "emulator/faults"),
      configure: (config) => control("PUT", "emulator/faults", config),
      failNext: (rule) => control("POST", "emulator/faults/fail-next", rule),
    },
  };
}

/**
 * Server-Sent Events over fetch (for headers EventSource cannot send): calls deliver({ data }) per
 * event, reconnects after a second with Last-Event-ID, as EventSource would.
 */
function streamEvents(url, headers, deliver) {
  let lastId = null;
  const run = async () => {
    for (;;) {
      try {
        const response = await fetch(url, {
          headers: { ...headers, accept: "text/event-stream", ...(lastId === null ? {} : { "last-event-id": lastId }) },
          cache: "no-store",
        });
        if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, "\n");
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("id:")) lastId = line.slice(3).trim();
              else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
            }
            if (data.length) deliver({ data: data.join("\n") });
          }
        }
      } catch {
        // the connection dropped or was refused: retry below
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  run();
}

/**
 * The server's clock. The page keeps the last answer and extrapolates between syncs while the
 * server's clock runs ("real" mode), so countdowns move smoothly.
 */
class ServerClock {
  constructor(control, initial) {
    this._control = control;
    this._apply(initial);
  }
  _apply(state) {
    this._now = Date.parse(state.now);
    this._at = performance.now();
    this.playing = state.mode === "real";
    this.speed = Number(state.speed) || 1;
  }
  nowMillis() {
    return this.playing ? this._now + (performance.now() - this._at) * this.speed : this._now;
  }
  async sync() {
    this._apply(await this._control("GET", "emulator/clock"));
  }
  async play() {
    this._apply(await this._control("POST", "emulator/clock", { mode: "real", speed: this.speed }));
  }
  async pause() {
    this._apply(await this._control("POST", "emulator/clock", { mode: "manual" }));
  }
  async setSpeed(speed) {
    this._apply(await this._control("POST", "emulator/clock", { speed }));
  }
  async advance(ms) {
    const state = await this._control("POST", "emulator/clock/advance", { ms });
    if (state && state.now) this._apply(state);
    else await this.sync();
  }
  /** Re-reads the server's clock about once a second. */
  async tick() {
    if (performance.now() - this._at > 1000) await this.sync();
  }
}
