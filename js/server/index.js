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

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers":
    "authorization, content-type, if-match, if-unmodified-since, x-ms-date, x-ms-content-sha256, " +
    "x-ms-client-request-id, x-ms-useragent, x-ms-return-client-request-id, accept, last-event-id",
  "access-control-expose-headers":
    "etag, last-modified, trace-id, api-supported-versions, x-ms-error-code, request-context, x-azure-ref, retry-after",
  "access-control-max-age": "86400",
};

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

/** A gateway-level error (401, 404, 413, …): {"error": {"code", "message"}}. */
function sendError(res, status, code, message, extra = {}, cors = CORS_HEADERS) {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    ...cors,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

/** Reads the body up to `limit` bytes; resolves null (after answering 413) when it is larger. */
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
    const chunks = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk) => {
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
    req.on("error", (error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
  });
}

function resolveOptions(options) {
  const known = new Set(Object.keys(DEFAULTS));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown startServer option "${key}" (known: ${[...known].join(", ")})`);
  }
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
  const list = (name) => {
    const value = resolved[name];
    if (typeof value === "string") return [value];
    if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of strings`);
    return value;
  };
  resolved.corsOrigins = list("corsOrigins").map(normalizeOrigin);
  resolved.allowedHosts = list("allowedHosts").map(normalizeAllowedHost);
  if (resolved.requireControlKey === undefined) resolved.requireControlKey = !isLoopbackHost(resolved.host);
  if (typeof resolved.requireControlKey !== "boolean") throw new TypeError("requireControlKey must be a boolean");
  return resolved;
}

/**
 * Starts the emulator server. Resolves once it listens.
 * @param {object} [options] see DEFAULTS above and the README's server section
 */
export async function startServer(options = {}) {
  const o = resolveOptions(options);
  const log = o.log ?? ((line) => {
    if (!o.silent) process.stdout.write(`${line}\n`);
  });
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

  // --state: snapshot + journal (journal.js); the snapshot is loaded and the journal's tail replayed.
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
  // --record FILE: a trace of the session (recording.js), replayable with `jobrouter-emulator replay FILE`.
  let recordFd = -1;
  let recording = null;
  if (o.record) {
    recordFd = fs.openSync(o.record, "w");
    recording = emulator.startRecording({ write: (line) => fs.writeSync(recordFd, line) });
  }
  if (o.rulesOverHttp) emulator.registerFunction("*", httpRuleCaller());

  const events = new EventStream();
  let webhook = null;
  const debugStream = o.debug ? fs.createWriteStream(o.debug, { flags: "a" }) : null;

  // ---- persistence: every change is in the journal when its run ends; persist() waits for the durability
  // the --state-sync mode promises before a change is acknowledged.
  const persist = () => (stateFile ? stateFile.durable() : Promise.resolve());

  emulator.on("*", (event) => {
    events.publish(event);
    if (webhook) webhook.enqueue([event]);
  });

  let serverUrl = "";
  const info = () => {
    const endpoint = `${serverUrl}/`;
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
  };

  // ---- request handling -----------------------------------------------------------------------
  const scrub = secretScrubber(o.accessKey);
  /** sendError with the secrets scrubbed from the message. */
  const fail = (res, status, code, message, extra = {}, cors = CORS_HEADERS) =>
    sendError(res, status, code, scrub(message), extra, cors);
  /** One JSON line in the --debug log, scrubbed of the access key and signatures. */
  const record = (req, target, status, started, fields = {}) => {
    if (!debugStream) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      method: req.method,
      target,
      status,
      ms: Number((performance.now() - started).toFixed(3)),
      ...fields,
    });
    debugStream.write(`${scrub(line)}\n`);
  };
  /** Logs a request answered before the core (401, 403, 413, 415, 421, preflights). */
  const recordRefusal = (req, target, status, started, reason, message) =>
    record(req, target, status, started, { refused: reason, message, origin: req.headers.origin });

  const handleRest = async (req, res, target, body, started) => {
    if (o.auth) {
      const denied = verifyRequest(
        { method: req.method, target, headers: req.headers, body },
        { accessKey: o.accessKey, loose: o.loose },
      );
      if (denied) {
        const message = `${denied.message} ${HOW_TO_AUTHENTICATE}`;
        fail(res, denied.status, denied.code, message, { "www-authenticate": "HMAC-SHA256" });
        recordRefusal(req, target, denied.status, started, "signature", message);
        return denied.status;
      }
    }
    // Node's header object as it is (lower-case names; the emulator joins repeated values with ", "), or a
    // copy that loose mode can change.
    let headers = req.headers;
    if (o.loose && body.length > 0) headers = { ...req.headers, "content-type": "application/json" };
    const result = await emulator.handle(req.method, target, headers, body.length === 0 ? "" : body.toString("utf8"));
    if (req.method !== "GET" && req.method !== "HEAD") await persist();
    // CORS headers go to browsers, which send Origin with every cross-origin request (and preflight first).
    const out = {
      ...(req.headers.origin === undefined ? undefined : CORS_HEADERS),
      ...result.headers,
      "request-context": "appId=",
      "trace-id": randomUUID(),
      "x-azure-ref": `emulator-${randomUUID()}`,
      "x-cache": "CONFIG_NOCACHE",
    };
    const requestId = req.headers["x-ms-client-request-id"];
    if (requestId && req.headers["x-ms-return-client-request-id"] === "true") out["x-ms-client-request-id"] = requestId;
    if (result.body) out["content-length"] = Buffer.byteLength(result.body);
    res.writeHead(result.status, out);
    res.end(req.method === "HEAD" ? undefined : result.body || undefined);
    if (debugStream) {
      record(req, target, result.status, started, {
        request: body.length ? body.toString("utf8").slice(0, 65536) : undefined,
        response: result.body ? result.body.slice(0, 65536) : undefined,
      });
    }
    return result.status;
  };

  const control = {
    emulator,
    events,
    info,
    persist,
    webhook: () => webhook,
    stateFile,
  };

  // ---- control plane (/emulator/*): origin, content type, key -----------------------------------
  const gate = controlGate({ corsOrigins: o.corsOrigins });
  const serveControl = async (req, res, url, target, started) => {
    const { cors, refusal } = gate(req);
    if (refusal) {
      fail(res, 403, "Forbidden", refusal, {}, cors);
      recordRefusal(req, target, 403, started, "origin", refusal);
      return;
    }
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      res.end();
      record(req, target, 204, started, { preflight: true, origin: req.headers.origin });
      return;
    }
    // POST and PUT are what a browser can send cross-origin without a preflight (with a form's content
    // types); the other methods (DELETE, PATCH) are always preflighted, and the preflight is refused.
    if ((req.method === "POST" || req.method === "PUT") && !isJsonContentType(req.headers["content-type"])) {
      const message =
        `${req.method} ${url.pathname} needs 'content-type: application/json' (with a JSON body, or none), ` +
        `got ${req.headers["content-type"] === undefined ? "none" : `'${req.headers["content-type"]}'`}.`;
      fail(res, 415, "UnsupportedMediaType", message, {}, cors);
      recordRefusal(req, target, 415, started, "content-type", message);
      req.resume();
      return;
    }
    const limit = url.pathname.replace(/\/+$/, "") === "/emulator/state" ? MAX_STATE_BODY_BYTES : o.maxBodyBytes;
    const body = await readBody(req, res, limit, cors);
    if (body === null) {
      recordRefusal(req, target, 413, started, "body-size", `larger than ${limit} bytes`);
      return;
    }
    if (o.requireControlKey) {
      const denied = checkControlKey({ method: req.method, target, headers: req.headers, body }, o.accessKey);
      if (denied) {
        fail(res, 401, "Denied", denied, { "www-authenticate": 'Bearer realm="jobrouter-emulator controls"' }, cors);
        recordRefusal(req, target, 401, started, "control-key", denied);
        return;
      }
    }
    await handleControl(control, req, res, url, body, cors, (r, status, code, message, extra = {}) =>
      fail(r, status, code, message, extra, cors),
    );
    // Bodies of control answers are not logged (the config holds the access key, the state is large).
    record(req, target, res.statusCode, started, { control: true });
  };

  const checkHost = hostCheck({ boundHost: o.host, allowedHosts: o.allowedHosts });

  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    const target = req.url ?? "/";
    let url;
    try {
      url = new URL(target, "http://emulator.invalid");
    } catch {
      sendError(res, 400, "InvalidUri", "The request target is not a valid URI.");
      recordRefusal(req, target, 400, started, "uri", "not a valid URI");
      return;
    }
    try {
      const misdirected = checkHost(req.headers.host);
      if (misdirected) {
        fail(res, 421, "MisdirectedRequest", misdirected, {}, {});
        recordRefusal(req, target, 421, started, "host", misdirected);
        req.resume();
        return;
      }
      const pathname = url.pathname;
      if (pathname === "/emulator" || pathname.startsWith("/emulator/")) {
        await serveControl(req, res, url, target, started);
        return;
      }
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS_HEADERS);
        res.end();
        record(req, target, 204, started, { preflight: true, origin: req.headers.origin });
        return;
      }
      if (pathname === "/routing" || pathname.startsWith("/routing/")) {
        const body = await readBody(req, res, o.maxBodyBytes);
        if (body === null) {
          recordRefusal(req, target, 413, started, "body-size", `larger than ${o.maxBodyBytes} bytes`);
          return;
        }
        await handleRest(req, res, target, body, started);
        return;
      }
      if ((req.method === "GET" || req.method === "HEAD") && serveStatic(req, res, decodeURIComponent(pathname))) return;
      sendError(res, 404, "NotFound", `Nothing is served at ${pathname}: the REST API is under /routing/, the emulator controls under /emulator/.`);
    } catch (error) {
      // Never a 5xx without a reason: report it (the core itself never throws; this is the JS layer).
      if (!res.headersSent) {
        const cors = url.pathname.startsWith("/emulator") ? {} : CORS_HEADERS;
        fail(res, 500, "EmulatorError", `The emulator failed to process the request: ${error?.message ?? error}`, {}, cors);
      } else {
        res.destroy();
      }
      log(scrub(`jobrouter-emulator: ${req.method} ${target} failed: ${error?.stack ?? error}`));
    }
  });
  server.keepAliveTimeout = 65_000;

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  const shownHost = o.host === "0.0.0.0" || o.host === "::" ? "127.0.0.1" : o.host.includes(":") ? `[${o.host}]` : o.host;
  serverUrl = `http://${shownHost}:${port}`;

  if (o.eventWebhook) {
    webhook = new WebhookDelivery({ url: o.eventWebhook, validationUrl: `${serverUrl}/emulator/webhook/validate`, log });
    webhook.start();
  }

  let closing = null;
  const close = () => {
    if (closing) return closing;
    closing = (async () => {
      events.closeAll();
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      if (webhook) webhook.close();
      if (recording) {
        recording.stop();
        fs.closeSync(recordFd);
      }
      if (stateFile) {
        try {
          await stateFile.close();
        } catch (error) {
          log(`jobrouter-emulator: could not save the state file on shutdown: ${error.message}`);
        }
      }
      if (debugStream) await new Promise((resolve) => debugStream.end(resolve));
      emulator.dispose();
    })();
    return closing;
  };

  return {
    url: serverUrl,
    host: o.host,
    port,
    endpoint: `${serverUrl}/`,
    connectionString: `endpoint=${serverUrl}/;accesskey=${o.accessKey}`,
    accessKey: o.accessKey,
    emulator,
    events,
    get webhook() {
      return webhook;
    },
    stateFile,
    options: o,
    close,
  };
}
