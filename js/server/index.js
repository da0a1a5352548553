// The HTTP emulator server: the Job Router REST API at /routing/..., verified with the ACS HMAC
// scheme, served by the same RouterEmulator (and WASM core) as the in-process client; events as a
// Server-Sent-Events stream and to an Event Grid-style webhook; emulator controls under /emulator/;
// the web demo at /; optional state file.
//
//   import { startServer } from "jobrouter-emulator/server";
//   const server = await startServer({ port: 0, clock: "manual" });
//   // server.url, server.connectionString, server.emulator, await server.close()

import http from "node:http";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import "../node-platform.js";  // the core loads synchronously through Node's zlib
import { RouterEmulator } from "../emulator.js";
import { ALLOW_HEADERS, ALLOW_METHODS, EXPOSE_HEADERS, emulatorFailureMessage, gatewayErrorBody } from "../route-target.js";
import { DEVELOPMENT_ACCESS_KEY, verifyRequest } from "./auth.js";
import { EventStream } from "./event-stream.js";
import { WebhookDelivery } from "./webhook.js";
import { StateFileError } from "./state-file.js";
import { Journal } from "./journal.js";
import { serveStatic } from "./static-files.js";
import { httpRuleCaller } from "./http-rules.js";
import { handleControl } from "./control.js";
import {
  checkControlKey,
  controlGate,
  hostCheck,
  isJsonContentType,
  isLoopbackHost,
  normalizeAllowedHost,
  normalizeOrigin,
  secretScrubber,
} from "./security.js";
import { PACKAGE_VERSION } from "./version.js";

export { DEVELOPMENT_ACCESS_KEY, StateFileError };

/**
 * Largest request body accepted (bytes); larger ones get 413 before reaching the core. It equals the
 * core's own limit (256 KiB, which in-process clients meet too); --max-body-bytes can lower it.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Largest snapshot PUT /emulator/state takes (about the longest string V8 makes). */
export const MAX_STATE_BODY_BYTES = 512 * 1024 * 1024 - 64;

/** @type {Record<string, string>} */
const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": ALLOW_METHODS,
  // the interceptors' list, and Last-Event-ID for resuming the event stream
  "access-control-allow-headers": `${ALLOW_HEADERS}, last-event-id`,
  "access-control-expose-headers": EXPOSE_HEADERS.join(", "),
  "access-control-max-age": "86400",
};

/**
 * startServer's options and their defaults.
 * @typedef {object} ServerOptions
 * @property {string} host
 * @property {number} port
 * @property {"real" | "manual"} clock
 * @property {number} speed
 * @property {number} seed
 * @property {string | undefined} startTime
 * @property {string | undefined} state
 * @property {"always" | "batch" | "none"} stateSync
 * @property {string | undefined} record
 * @property {string} accessKey
 * @property {boolean} auth
 * @property {boolean} loose
 * @property {boolean} skipApiVersionCheck
 * @property {"real" | "spec"} errorShape
 * @property {"json" | "dotnet"} eventLabelText
 * @property {Record<string, number> | undefined} limits
 * @property {string | undefined} eventWebhook
 * @property {string | undefined} debug
 * @property {boolean} silent
 * @property {number} maxBodyBytes
 * @property {boolean} rulesOverHttp
 * @property {((line: string) => void) | undefined} log
 * @property {string[]} corsOrigins
 * @property {string[]} allowedHosts
 * @property {boolean | undefined} requireControlKey
 */

/** @type {ServerOptions} */
const DEFAULTS = {
  host: "127.0.0.1",
  port: 8089,
  clock: "real",
  speed: 1,
  seed: 1,
  startTime: undefined,
  state: undefined,
  stateSync: "batch",
  record: undefined,
  accessKey: DEVELOPMENT_ACCESS_KEY,
  auth: true,
  loose: false,
  skipApiVersionCheck: false,
  errorShape: "real",
  eventLabelText: "json",
  limits: undefined,
  eventWebhook: undefined,
  debug: undefined,
  silent: false,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  rulesOverHttp: true,
  log: undefined,
  // security (README "Security"): origins allowed to use /emulator/* besides the server's own, host
  // names served besides the bound address, localhost and IP addresses, and whether /emulator/* needs
  // the access key (default: when the server listens beyond loopback)
  corsOrigins: [],
  allowedHosts: [],
  requireControlKey: undefined,
};

/** How a REST request gets past a 401 (appended to the reason). */
const HOW_TO_AUTHENTICATE =
  "Sign requests with the access key of the connection string printed at start (HMAC-SHA256, as the Azure " +
  "SDKs do: see the README's \"Connection string and authentication\"), or start the emulator with --no-auth.";

/**
 * A gateway-level error (401, 404, 413, …): {"error": {"code", "message"}}.
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, string>} [extra]
 * @param {Record<string, string>} [cors]
 */
function sendError(res, status, code, message, extra = {}, cors = CORS_HEADERS) {
  const body = gatewayErrorBody(code, message);
  res.writeHead(status, {
    ...cors,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

/**
 * Reads the body up to `limit` bytes; resolves null (after answering 413) when it is larger.
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {number} limit
 * @param {Record<string, string>} [cors]
 * @returns {Promise<Buffer | null>}
 */
function readBody(req, res, limit, cors = CORS_HEADERS) {
  const declared = Number(req.headers["content-length"]);
  const tooLarge = () =>
    sendError(res, 413, "RequestEntityTooLarge", `The request body is larger than the limit of ${limit} bytes.`, {
      connection: "close",
    }, cors);
  if (Number.isFinite(declared) && declared > limit) {
    tooLarge();
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let done = false;
    req.on("data", (/** @type {Buffer} */ chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        tooLarge();
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on("error", (/** @type {Error} */ error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
  });
}

/**
 * Checks startServer's options and fills in the defaults.
 * @param {Record<string, any>} options
 * @returns {ServerOptions & { requireControlKey: boolean }}
 */
function resolveOptions(options) {
  const known = new Set(Object.keys(DEFAULTS));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown startServer option "${key}" (known: ${[...known].join(", ")})`);
  }
  /** @type {Record<string, any>} */
  const resolved = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) resolved[key] = value;
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) {
    throw new TypeError(`port must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  if (typeof resolved.accessKey !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(resolved.accessKey)) {
    throw new TypeError("accessKey must be a base64 string");
  }
  if (!["always", "batch", "none"].includes(resolved.stateSync)) {
    throw new TypeError(`stateSync must be "always", "batch" or "none", got ${JSON.stringify(resolved.stateSync)}`);
  }
  if (!Number.isInteger(resolved.maxBodyBytes) || resolved.maxBodyBytes < 1) {
    throw new TypeError("maxBodyBytes must be a positive integer");
  }
  const list = (/** @type {string} */ name) => {
    const value = resolved[name];
    if (typeof value === "string") return [value];
    if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of strings`);
    return value;
  };
  resolved.corsOrigins = list("corsOrigins").map(normalizeOrigin);
  resolved.allowedHosts = list("allowedHosts").map(normalizeAllowedHost);
  if (resolved.requireControlKey === undefined) resolved.requireControlKey = !isLoopbackHost(resolved.host);
  if (typeof resolved.requireControlKey !== "boolean") throw new TypeError("requireControlKey must be a boolean");
  return /** @type {ServerOptions & { requireControlKey: boolean }} */ (resolved);
}

/**
 * Everything one running server shares among its request handlers.
 * @typedef {object} ServerContext
 * @property {ReturnType<typeof resolveOptions>} o
 * @property {(line: string) => void} log
 * @property {RouterEmulator} emulator
 * @property {Journal | null} stateFile
 * @property {EventStream} events
 * @property {WebhookDelivery | null} webhook
 * @property {string} serverUrl
 * @property {(message: string) => string} scrub
 * @property {fs.WriteStream | null} debugStream
 * @property {() => Promise<void>} persist
 * @property {ReturnType<typeof controlGate>} gate
 * @property {ReturnType<typeof hostCheck>} checkHost
 * @property {import("./control.js").ControlContext} control what handleControl works on (control.js)
 */

/**
 * The server's emulator, with the --state file opened (snapshot loaded, journal tail replayed) when there is one.
 * @param {ReturnType<typeof resolveOptions>} o
 * @param {(line: string) => void} log
 * @returns {Promise<{ emulator: RouterEmulator, stateFile: Journal | null }>}
 */
async function openEmulator(o, log) {
  const emulator = new RouterEmulator({
    clock: o.clock,
    speed: o.speed,
    seed: o.seed,
    startTime: o.startTime,
    checkApiVersion: !(o.skipApiVersionCheck || o.loose),
    errorShape: o.errorShape,
    eventLabelText: o.eventLabelText,
    limits: o.limits,
  });
  await emulator.ready();
  const stateFile = o.state ? new Journal(o.state, { sync: o.stateSync, log }) : null;
  if (stateFile) {
    const existed = fs.existsSync(stateFile.file);
    try {
      await stateFile.open(emulator);
    } catch (error) {
      emulator.dispose();
      throw error;
    }
    // A real clock catches up with the time the server was down: offers expire, schedules fire.
    if (existed && o.clock === "real" && o.startTime === undefined && emulator.clock.nowMillis() < Date.now()) {
      await emulator.clock.setTime(new Date());
    }
  }
  return { emulator, stateFile };
}

/**
 * The GET /emulator/info answer (and what control.js reports).
 * @param {ServerContext} ctx
 */
function serverInfo(ctx) {
  const { o, emulator } = ctx;
  const endpoint = `${ctx.serverUrl}/`;
  return {
    endpoint,
    connectionString: `endpoint=${endpoint};accesskey=${o.accessKey}`,
    accessKey: o.accessKey,
    auth: o.auth,
    loose: o.loose,
    apiVersion: "2023-11-01",
    version: PACKAGE_VERSION,
    clock: { now: emulator.clock.now(), mode: emulator.clock.mode, speed: emulator.clock.speed },
  };
}

/**
 * sendError with the secrets scrubbed from the message.
 * @param {ServerContext} ctx
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, string>} [extra]
 * @param {Record<string, string>} [cors]
 */
function fail(ctx, res, status, code, message, extra = {}, cors = CORS_HEADERS) {
  sendError(res, status, code, ctx.scrub(message), extra, cors);
}

/**
 * One JSON line in the --debug log, scrubbed of the access key and signatures.
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {string} target
 * @param {number} status
 * @param {number} started performance.now() when the request came
 * @param {object} [fields]
 */
function debugRecord(ctx, req, target, status, started, fields = {}) {
  if (!ctx.debugStream) return;
  const line = JSON.stringify({
    time: new Date().toISOString(),
    method: req.method,
    target,
    status,
    ms: Number((performance.now() - started).toFixed(3)),
    ...fields,
  });
  ctx.debugStream.write(`${ctx.scrub(line)}\n`);
}

/**
 * Logs a request answered before the core (401, 403, 413, 415, 421, preflights).
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {string} target
 * @param {number} status
 * @param {number} started
 * @param {string} reason
 * @param {string} message
 */
function recordRefusal(ctx, req, target, status, started, reason, message) {
  debugRecord(ctx, req, target, status, started, { refused: reason, message, origin: req.headers.origin });
}

/**
 * A REST call under /routing/: the signature, then the emulator; answers with the service's extra headers.
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {string} target
 * @param {Buffer} body
 * @param {number} started
 */
async function handleRest(ctx, req, res, target, body, started) {
  const { o } = ctx;
  if (o.auth) {
    const denied = verifyRequest(
      { method: req.method ?? "GET", target, headers: req.headers, body },
      { accessKey: o.accessKey, loose: o.loose },
    );
    if (denied) {
      const message = `${denied.message} ${HOW_TO_AUTHENTICATE}`;
      fail(ctx, res, denied.status, denied.code, message, { "www-authenticate": "HMAC-SHA256" });
      recordRefusal(ctx, req, target, denied.status, started, "signature", message);
      return denied.status;
    }
  }
  // Node's header object as it is (lower-case names; the emulator joins repeated values with ", "), or a
  // copy that loose mode can change.
  let headers = req.headers;
  if (o.loose && body.length > 0) headers = { ...req.headers, "content-type": "application/json" };
  const result = await ctx.emulator.handle(req.method ?? "GET", target, headers, body.length === 0 ? "" : body.toString("utf8"));
  if (req.method !== "GET" && req.method !== "HEAD") await ctx.persist();
  // CORS headers go to browsers, which send Origin with every cross-origin request (and preflight first).
  /** @type {Record<string, string | number>} */
  const out = {
    ...(req.headers.origin === undefined ? undefined : CORS_HEADERS),
    ...result.headers,
    "request-context": "appId=",
    "trace-id": randomUUID(),
    "x-azure-ref": `emulator-${randomUUID()}`,
    "x-cache": "CONFIG_NOCACHE",
  };
  const requestId = req.headers["x-ms-client-request-id"];
  if (typeof requestId === "string" && requestId && req.headers["x-ms-return-client-request-id"] === "true") {
    out["x-ms-client-request-id"] = requestId;
  }
  if (result.body) out["content-length"] = Buffer.byteLength(result.body);
  res.writeHead(result.status, out);
  res.end(req.method === "HEAD" ? undefined : result.body || undefined);
  if (ctx.debugStream) {
    debugRecord(ctx, req, target, result.status, started, {
      request: body.length ? body.toString("utf8").slice(0, 65536) : undefined,
      response: result.body ? result.body.slice(0, 65536) : undefined,
    });
  }
  return result.status;
}

/**
 * The control plane's gate before the body is read (/emulator/*): origin, preflight, content type. Returns the
 * CORS headers to answer with, or null when the request has been answered.
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {URL} url
 * @param {string} target
 * @param {number} started
 * @returns {Record<string, string> | null}
 */
function admitControl(ctx, req, res, url, target, started) {
  const gated = ctx.gate(req);
  const cors = /** @type {Record<string, string>} */ (gated.cors);
  const refusal = gated.refusal;
  if (refusal) {
    fail(ctx, res, 403, "Forbidden", refusal, {}, cors);
    recordRefusal(ctx, req, target, 403, started, "origin", refusal);
    return null;
  }
  if (req.method === "OPTIONS") {
    res.writeHead(204, cors);
    res.end();
    debugRecord(ctx, req, target, 204, started, { preflight: true, origin: req.headers.origin });
    return null;
  }
  // POST and PUT are what a browser can send cross-origin without a preflight (with a form's content
  // types); the other methods (DELETE, PATCH) are always preflighted, and the preflight is refused.
  if ((req.method === "POST" || req.method === "PUT") && !isJsonContentType(req.headers["content-type"])) {
    const message =
      `${req.method} ${url.pathname} needs 'content-type: application/json' (with a JSON body, or none), ` +
      `got ${req.headers["content-type"] === undefined ? "none" : `'${req.headers["content-type"]}'`}.`;
    fail(ctx, res, 415, "UnsupportedMediaType", message, {}, cors);
    recordRefusal(ctx, req, target, 415, started, "content-type", message);
    req.resume();
    return null;
  }
  return cors;
}

/**
 * A control request (/emulator/*): the gate, the body (up to its limit), the control key, then control.js.
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {URL} url
 * @param {string} target
 * @param {number} started
 */
async function serveControl(ctx, req, res, url, target, started) {
  const { o } = ctx;
  const cors = admitControl(ctx, req, res, url, target, started);
  if (cors === null) return;
  const limit = url.pathname.replace(/\/+$/, "") === "/emulator/state" ? MAX_STATE_BODY_BYTES : o.maxBodyBytes;
  const body = await readBody(req, res, limit, cors);
  if (body === null) {
    recordRefusal(ctx, req, target, 413, started, "body-size", `larger than ${limit} bytes`);
    return;
  }
  if (o.requireControlKey) {
    const denied = checkControlKey({ method: req.method ?? "GET", target, headers: req.headers, body }, o.accessKey);
    if (denied) {
      fail(ctx, res, 401, "Denied", denied, { "www-authenticate": 'Bearer realm="jobrouter-emulator controls"' }, cors);
      recordRefusal(ctx, req, target, 401, started, "control-key", denied);
      return;
    }
  }
  await handleControl(ctx.control, req, res, url, body, cors, (r, status, code, message, extra = {}) =>
    fail(ctx, r, status, code, message, extra, cors));
  // Bodies of control answers are not logged (the config holds the access key, the state is large).
  debugRecord(ctx, req, target, res.statusCode, started, { control: true });
}

/**
 * Routes one request once its URL parsed and its Host passed: controls, preflights, REST, the web demo, else 404.
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {URL} url
 * @param {string} target
 * @param {number} started
 */
async function route(ctx, req, res, url, target, started) {
  const pathname = url.pathname;
  if (pathname === "/emulator" || pathname.startsWith("/emulator/")) {
    await serveControl(ctx, req, res, url, target, started);
    return;
  }
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS_HEADERS);
    res.end();
    debugRecord(ctx, req, target, 204, started, { preflight: true, origin: req.headers.origin });
    return;
  }
  if (pathname === "/routing" || pathname.startsWith("/routing/")) {
    const body = await readBody(req, res, ctx.o.maxBodyBytes);
    if (body === null) {
      recordRefusal(ctx, req, target, 413, started, "body-size", `larger than ${ctx.o.maxBodyBytes} bytes`);
      return;
    }
    await handleRest(ctx, req, res, target, body, started);
    return;
  }
  if ((req.method === "GET" || req.method === "HEAD") && serveStatic(req, res, decodeURIComponent(pathname))) return;
  sendError(res, 404, "NotFound", `Nothing is served at ${pathname}: the REST API is under /routing/, the emulator controls under /emulator/.`);
}

/**
 * The server's request listener: a valid URI and an allowed Host, then route(); a failure of the JS layer is a
 * 500 that says what failed.
 * @param {ServerContext} ctx
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function onRequest(ctx, req, res) {
  const started = performance.now();
  const target = req.url ?? "/";
  let url;
  try {
    url = new URL(target, "http://emulator.invalid");
  } catch {
    sendError(res, 400, "InvalidUri", "The request target is not a valid URI.");
    recordRefusal(ctx, req, target, 400, started, "uri", "not a valid URI");
    return;
  }
  try {
    const misdirected = ctx.checkHost(req.headers.host);
    if (misdirected) {
      fail(ctx, res, 421, "MisdirectedRequest", misdirected, {}, {});
      recordRefusal(ctx, req, target, 421, started, "host", misdirected);
      req.resume();
      return;
    }
    await route(ctx, req, res, url, target, started);
  } catch (/** @type {any} */ error) {
    // Never a 5xx without a reason: report it (the core itself never throws; this is the JS layer).
    if (!res.headersSent) {
      const cors = url.pathname.startsWith("/emulator") ? {} : CORS_HEADERS;
      fail(ctx, res, 500, "EmulatorError", emulatorFailureMessage(error), {}, cors);
    } else {
      res.destroy();
    }
    ctx.log(ctx.scrub(`jobrouter-emulator: ${req.method} ${target} failed: ${error?.stack ?? error}`));
  }
}

/**
 * Listens on o.host:o.port; resolves to the port (the one chosen for port 0) and the URL clients use.
 * @param {http.Server} server
 * @param {ReturnType<typeof resolveOptions>} o
 * @returns {Promise<{ port: number, serverUrl: string }>}
 */
async function listen(server, o) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  const shownHost = o.host === "0.0.0.0" || o.host === "::" ? "127.0.0.1" : o.host.includes(":") ? `[${o.host}]` : o.host;
  return { port, serverUrl: `http://${shownHost}:${port}` };
}

/**
 * Stops everything the server started, once: connections, the webhook, the trace, the state file, the emulator.
 * @param {ServerContext} ctx
 * @param {http.Server} server
 * @param {{ stop(): string } | null} recording
 * @param {number} recordFd
 */
async function shutDown(ctx, server, recording, recordFd) {
  ctx.events.closeAll();
  await new Promise((resolve) => {
    server.close(() => resolve(undefined));
    server.closeAllConnections?.();
  });
  if (ctx.webhook) ctx.webhook.close();
  if (recording) {
    recording.stop();
    fs.closeSync(recordFd);
  }
  if (ctx.stateFile) {
    try {
      await ctx.stateFile.close();
    } catch (/** @type {any} */ error) {
      ctx.log(`jobrouter-emulator: could not save the state file on shutdown: ${error.message}`);
    }
  }
  const debugStream = ctx.debugStream;
  if (debugStream) await new Promise((resolve) => debugStream.end(resolve));
  ctx.emulator.dispose();
}

/**
 * Starts the emulator server. Resolves once it listens.
 * @param {object} [options] see DEFAULTS above and the README's server section
 */
export async function startServer(options = {}) {
  const o = resolveOptions(options);
  const log = o.log ?? ((/** @type {string} */ line) => {
    if (!o.silent) process.stdout.write(`${line}\n`);
  });
  const { emulator, stateFile } = await openEmulator(o, log);
  // --record FILE: a trace of the session (recording.js), replayable with `jobrouter-emulator replay FILE`.
  const recordFd = o.record ? fs.openSync(o.record, "w") : -1;
  const recording = o.record ? emulator.startRecording({ write: (line) => fs.writeSync(recordFd, line) }) : null;
  if (o.rulesOverHttp) emulator.registerFunction("*", httpRuleCaller());

  /** @type {ServerContext} */
  const ctx = {
    o, log, emulator, stateFile,
    events: new EventStream(),
    webhook: null,
    serverUrl: "",
    scrub: secretScrubber(o.accessKey),
    debugStream: o.debug ? fs.createWriteStream(o.debug, { flags: "a" }) : null,
    // Every change is in the journal when its run ends; persist() waits for the durability the --state-sync mode
    // promises before a change is acknowledged.
    persist: () => (stateFile ? stateFile.durable() : Promise.resolve()),
    gate: controlGate({ corsOrigins: o.corsOrigins }),
    checkHost: hostCheck({ boundHost: o.host, allowedHosts: o.allowedHosts }),
    control: /** @type {any} */ (null),
  };
  ctx.control = { emulator, events: ctx.events, info: () => serverInfo(ctx), persist: ctx.persist, webhook: () => ctx.webhook, stateFile };
  emulator.on("*", (event) => {
    ctx.events.publish(event);
    if (ctx.webhook) ctx.webhook.enqueue([event]);
  });

  const server = http.createServer((req, res) => onRequest(ctx, req, res));
  server.keepAliveTimeout = 65_000;
  const { port, serverUrl } = await listen(server, o);
  ctx.serverUrl = serverUrl;
  if (o.eventWebhook) {
    ctx.webhook = new WebhookDelivery({ url: o.eventWebhook, validationUrl: `${serverUrl}/emulator/webhook/validate`, log });
    ctx.webhook.start();
  }

  /** @type {Promise<void> | null} */
  let closing = null;
  const close = () => (closing ??= shutDown(ctx, server, recording, recordFd));
  return {
    url: serverUrl,
    host: o.host,
    port,
    endpoint: `${serverUrl}/`,
    connectionString: `endpoint=${serverUrl}/;accesskey=${o.accessKey}`,
    accessKey: o.accessKey,
    emulator,
    events: ctx.events,
    get webhook() {
      return ctx.webhook;
    },
    stateFile,
    options: o,
    close,
  };
}
