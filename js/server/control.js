// Emulator control endpoints under /emulator/. They are not part of the service and need no signature
// on loopback; index.js (with security.js) has already checked the Host, the Origin, the content type
// of POST/PUT and, beyond loopback, the access key before a request gets here.
//
//   GET  /emulator/health                 {status, version, clock, events, webhook}
//   GET  /emulator/config                 endpoint, connection string, access key, auth, clock
//   GET  /emulator/clock                  {now, mode, speed}
//   POST /emulator/clock                  {mode?: "real"|"manual", speed?: number}
//                                         (JSON bodies: a field an endpoint does not take is a 400)
//   POST /emulator/clock/advance          {ms}            (or ?ms=)
//   POST /emulator/clock/set              {time}          (or ?time=)
//   POST /emulator/reset                  empties the resource, clock back to its start
//   GET  /emulator/state                  the exportState() snapshot
//   PUT  /emulator/state                  replaces the state with a snapshot (POST works too)
//   GET  /emulator/explain/{jobId}        why each worker is or is not offered the job
//   GET/PUT/DELETE /emulator/faults, POST /emulator/faults/fail-next   fault injection (faults.js)
//   POST /emulator/rules/evaluate         {rule, job?, worker?} -> {value} or {error, column?} (rules-evaluate.js)
//   GET  /emulator/events                 Server-Sent Events (Last-Event-ID / ?lastEventId= resume, ?types=)
//   GET  /emulator/webhook                delivery status and dropped batches
//   GET  /emulator/webhook/validate?code= manual Event Grid subscription validation

import { PACKAGE_VERSION } from "./version.js";
import { handleFaultsControl } from "./faults.js";
import { handleRulesEvaluate } from "./rules-evaluate.js";

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string>} cors
 */
function sendJson(res, status, value, cors) {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...cors, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * @param {Buffer} body
 * @returns {Record<string, any>}
 */
function parseBody(body) {
  if (body.length === 0) return {};
  const value = JSON.parse(body.toString("utf8"));
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SyntaxError("expected a JSON object");
  return value;
}

/**
 * The fields each control endpoint takes in its JSON body. Anything else is a 400 that names them, so
 * a misspelt field ({"seconds": 60}) is not silently ignored.
 */
/** @type {Record<string, string[]>} */
const BODY_FIELDS = {
  "/emulator/clock": ["mode", "speed"],
  "/emulator/clock/advance": ["ms"],
  "/emulator/clock/set": ["time"],
  "/emulator/reset": [],
  "/emulator/webhook/validate": ["code"],
};

/**
 * The message for fields outside `accepted`, or null when there are none.
 * @param {string} method
 * @param {string} route
 * @param {Record<string, unknown>} body
 * @param {string[]} accepted
 */
export function unknownFieldsMessage(method, route, body, accepted) {
  const unknown = Object.keys(body).filter((name) => !accepted.includes(name));
  if (unknown.length === 0) return null;
  const names = unknown.map((name) => JSON.stringify(name)).join(", ");
  const takes = accepted.length ? `it takes ${accepted.map((name) => JSON.stringify(name)).join(", ")}` : "it takes no fields (send no body or {})";
  return `${method} ${route} does not take the field${unknown.length > 1 ? "s" : ""} ${names}: ${takes}.`;
}

/** @param {import("../emulator.js").RouterEmulator} emulator */
function clockView(emulator) {
  return { now: emulator.clock.now(), mode: emulator.clock.mode, speed: emulator.clock.speed };
}

/**
 * One control request as the handlers below see it.
 * @typedef {object} ControlCall
 * @property {import("node:http").IncomingMessage} req
 * @property {import("node:http").ServerResponse} res
 * @property {URL} url
 * @property {string} method
 * @property {string} route the path without trailing slashes
 * @property {Record<string, any>} body the JSON body ({} when empty; undefined for a snapshot that is not JSON)
 * @property {Buffer} rawBody
 * @property {Record<string, string>} cors
 * @property {(value: unknown, status?: number) => void} ok
 * @property {(message: string, code?: string) => void} bad
 * @property {(...methods: string[]) => boolean} allow false (after answering 405) when the method is not one
 * @property {(res: import("node:http").ServerResponse, status: number, code: string, message: string,
 *   extra?: Record<string, string>) => void} sendError
 */

/**
 * What the control endpoints work on (index.js makes it).
 * @typedef {{ emulator: import("../emulator.js").RouterEmulator, events: import("./event-stream.js").EventStream,
 *   info: () => object, persist: () => Promise<void>, webhook: () => any, stateFile: any }} ControlContext
 */

/** @type {(ctx: ControlContext, call: ControlCall) => void} */
function health(ctx, call) {
  if (!call.allow("GET", "HEAD")) return;
  call.ok({
    status: "ok",
    version: PACKAGE_VERSION,
    clock: clockView(ctx.emulator),
    events: { lastId: ctx.events.lastId, streams: ctx.events.clientCount },
    webhook: ctx.webhook() ? ctx.webhook().status() : null,
    stateFile: ctx.stateFile ? ctx.stateFile.status() : null,
  });
}

/** @type {(ctx: ControlContext, call: ControlCall) => void} */
function clock(ctx, { method, body, ok, bad, allow }) {
  const { emulator } = ctx;
  if (method === "GET" || method === "HEAD") return ok(clockView(emulator));
  if (!allow("GET", "POST")) return;
  if (body.speed !== undefined) {
    if (typeof body.speed !== "number" || !Number.isFinite(body.speed) || body.speed <= 0) {
      return bad(`speed must be a number > 0, got ${JSON.stringify(body.speed)}`);
    }
  }
  if (body.mode !== undefined && body.mode !== "real" && body.mode !== "manual") {
    return bad(`mode must be "real" or "manual", got ${JSON.stringify(body.mode)}`);
  }
  if (body.speed !== undefined) emulator.clock.setSpeed(body.speed);
  if (body.mode !== undefined && body.mode !== emulator.clock.mode) emulator.clock.setMode(body.mode);
  ok(clockView(emulator));
}

/** @type {(ctx: ControlContext, call: ControlCall) => Promise<void>} */
async function clockAdvance(ctx, { url, body, ok, bad, allow }) {
  if (!allow("POST")) return;
  const given = body.ms ?? url.searchParams.get("ms");
  const ms = given === null || given === "" || typeof given === "boolean" ? NaN : Number(given);
  if (!Number.isFinite(ms) || ms < 0) return bad("advance needs ms, a number >= 0 (body {\"ms\": 30000} or ?ms=30000)");
  await ctx.emulator.clock.advance(ms);
  await ctx.persist();
  ok(clockView(ctx.emulator));
}

/** @type {(ctx: ControlContext, call: ControlCall) => Promise<void>} */
async function clockSet(ctx, { url, body, ok, bad, allow }) {
  if (!allow("POST")) return;
  const time = body.time ?? url.searchParams.get("time");
  if (typeof time !== "string") return bad("set needs time, an ISO-8601 date-time (body {\"time\": \"...\"} or ?time=)");
  try {
    await ctx.emulator.clock.setTime(time);
  } catch (/** @type {any} */ error) {
    return bad(error.message, "InvalidTime");
  }
  await ctx.persist();
  ok(clockView(ctx.emulator));
}

/** @type {(ctx: ControlContext, call: ControlCall) => Promise<void>} */
async function reset(ctx, { ok, allow }) {
  if (!allow("POST")) return;
  ctx.emulator.reset();
  await ctx.persist();
  ok(clockView(ctx.emulator));
}

/** @type {(ctx: ControlContext, call: ControlCall) => Promise<void>} */
async function state(ctx, { method, res, cors, rawBody, ok, bad, allow }) {
  const { emulator } = ctx;
  if (method === "GET" || method === "HEAD") {
    const text = emulator.exportState();
    res.writeHead(200, { ...cors, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(method === "HEAD" ? undefined : text);
    return;
  }
  if (!allow("GET", "PUT", "POST")) return;
  try {
    emulator.importState(rawBody);  // the bytes as they came: no decoding of a large state
  } catch (/** @type {any} */ error) {
    return bad(error.message, "InvalidState");
  }
  await ctx.persist();
  ok(clockView(emulator));
}

/** @type {(ctx: ControlContext, call: ControlCall) => void} */
function eventStream(ctx, { req, res, url, cors, allow }) {
  if (!allow("GET")) return;
  ctx.events.attach(req, res, url, cors);
}

const NO_WEBHOOK = "No event webhook is configured (--event-webhook URL).";

/** @type {(ctx: ControlContext, call: ControlCall) => void} */
function webhookStatus(ctx, { res, ok, allow, sendError }) {
  if (!allow("GET")) return;
  const webhook = ctx.webhook();
  if (!webhook) return sendError(res, 404, "NotFound", NO_WEBHOOK);
  ok({ ...webhook.status(), dropped: webhook.deadLetters });
}

/** @type {(ctx: ControlContext, call: ControlCall) => void} */
function webhookValidate(ctx, { method, url, body, res, ok, bad, allow, sendError }) {
  if (!allow("GET", "POST")) return;
  const webhook = ctx.webhook();
  if (!webhook) return sendError(res, 404, "NotFound", NO_WEBHOOK);
  const code = (method === "POST" ? body.code : undefined) ?? url.searchParams.get("code") ?? "";
  if (!webhook.validate(String(code))) return bad("The validation code does not match.", "InvalidValidationCode");
  ok({ validated: true });
}

/** @type {(ctx: ControlContext, call: ControlCall) => void} */
function explain(ctx, { route, res, ok, bad, allow, sendError }) {
  if (!allow("GET")) return;
  let jobId;
  try {
    jobId = decodeURIComponent(route.slice("/emulator/explain/".length));
  } catch {
    return bad("The job id has a malformed percent-encoding.");
  }
  try {
    ok(ctx.emulator.explain(jobId));
  } catch (/** @type {any} */ error) {
    if (error.statusCode === 404) return sendError(res, 404, "NotFound", `Job ${jobId} was not found.`);
    throw error;
  }
}

/** The control endpoints with a fixed path. */
const ROUTES = new Map([
  ["/emulator", health],
  ["/emulator/health", health],
  ["/emulator/config", (ctx, call) => call.allow("GET", "HEAD") && call.ok(ctx.info())],
  ["/emulator/clock", clock],
  ["/emulator/clock/advance", clockAdvance],
  ["/emulator/clock/set", clockSet],
  ["/emulator/reset", reset],
  ["/emulator/state", state],
  ["/emulator/events", eventStream],
  ["/emulator/webhook", webhookStatus],
  ["/emulator/webhook/validate", webhookValidate],
]);

/**
 * The call object of one request: its parsed body and the answer helpers. Returns null when the body was refused
 * (400 sent).
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {URL} url
 * @param {Buffer} rawBody
 * @param {Record<string, string>} cors
 * @param {ControlCall["sendError"]} sendError
 * @returns {ControlCall | null}
 */
function controlCall(req, res, url, rawBody, cors, sendError) {
  const method = req.method ?? "GET";
  const route = url.pathname.replace(/\/+$/, "") || "/emulator";
  /** @type {ControlCall["ok"]} */
  const ok = (value, status = 200) => sendJson(res, status, value, cors);
  /** @type {ControlCall["bad"]} */
  const bad = (message, code = "InvalidRequest") => sendError(res, 400, code, message);
  /** @type {ControlCall["allow"]} */
  const allow = (...methods) => {
    if (methods.includes(method)) return true;
    sendError(res, 405, "MethodNotAllowed", `${method} is not allowed on ${route} (allowed: ${methods.join(", ")}).`, {
      allow: methods.join(", "),
    });
    return false;
  };
  /** @type {Record<string, any>} */
  let body = /** @type {any} */ (undefined);
  try {
    body = parseBody(rawBody);
  } catch (/** @type {any} */ error) {
    if (route !== "/emulator/state") {
      bad(`The request body is not a JSON object: ${error.message}`, "InvalidJson");
      return null;
    }
  }
  if (body && method !== "GET" && method !== "HEAD" && Object.hasOwn(BODY_FIELDS, route)) {
    const unknown = unknownFieldsMessage(method, route, body, BODY_FIELDS[route]);
    if (unknown) {
      bad(unknown, "UnknownField");
      return null;
    }
  }
  return { req, res, url, method, route, body, rawBody, cors, ok, bad, allow, sendError };
}

/**
 * Answers one control request (/emulator/*).
 * @param {ControlContext} ctx
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {URL} url
 * @param {Buffer} rawBody
 * @param {Record<string, string>} cors
 * @param {ControlCall["sendError"]} sendError
 * @returns {Promise<void>}
 */
export async function handleControl(ctx, req, res, url, rawBody, cors, sendError) {
  const call = controlCall(req, res, url, rawBody, cors, sendError);
  if (call === null) return;
  const { emulator } = ctx;
  const { route } = call;
  const handler = ROUTES.get(route);
  if (handler !== undefined) {
    await handler(ctx, call);
    return;
  }
  const helpers = { ok: call.ok, bad: call.bad, allow: call.allow, sendError, res };
  if (handleFaultsControl(emulator, req, route, call.body ?? {}, helpers)) return;  // /emulator/faults[/fail-next]
  if (await handleRulesEvaluate(emulator, req, route, call.body ?? {}, helpers)) return;  // /emulator/rules/evaluate
  if (route.startsWith("/emulator/explain/")) {
    explain(ctx, call);
    return;
  }
  sendError(res, 404, "NotFound", `Unknown emulator control ${route}.`);
}
