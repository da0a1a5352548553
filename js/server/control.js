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

function sendJson(res, status, value, cors) {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...cors, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

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
const BODY_FIELDS = {
  "/emulator/clock": ["mode", "speed"],
  "/emulator/clock/advance": ["ms"],
  "/emulator/clock/set": ["time"],
  "/emulator/reset": [],
  "/emulator/webhook/validate": ["code"],
};

/** The message for fields outside `accepted`, or null when there are none. */
export function unknownFieldsMessage(method, route, body, accepted) {
  const unknown = Object.keys(body).filter((name) => !accepted.includes(name));
  if (unknown.length === 0) return null;
  const names = unknown.map((name) => JSON.stringify(name)).join(", ");
  const takes = accepted.length ? `it takes ${accepted.map((name) => JSON.stringify(name)).join(", ")}` : "it takes no fields (send no body or {})";
  return `${method} ${route} does not take the field${unknown.length > 1 ? "s" : ""} ${names}: ${takes}.`;
}

function clockView(emulator) {
  return { now: emulator.clock.now(), mode: emulator.clock.mode, speed: emulator.clock.speed };
}

/**
 * @param {object} ctx { emulator, events, info, persist, webhook(), stateFile }
 * @returns {Promise<void>}
 */
export async function handleControl(ctx, req, res, url, rawBody, cors, sendError) {
  const { emulator } = ctx;
  const method = req.method;
  const route = url.pathname.replace(/\/+$/, "") || "/emulator";
  const ok = (value, status = 200) => sendJson(res, status, value, cors);
  const bad = (message, code = "InvalidRequest") => sendError(res, 400, code, message);
  const allow = (...methods) => {
    if (methods.includes(method)) return true;
    sendError(res, 405, "MethodNotAllowed", `${method} is not allowed on ${route} (allowed: ${methods.join(", ")}).`, {
      allow: methods.join(", "),
    });
    return false;
  };
  let body;
  try {
    body = parseBody(rawBody);
  } catch (error) {
    if (route !== "/emulator/state") return bad(`The request body is not a JSON object: ${error.message}`, "InvalidJson");
  }
  if (body && method !== "GET" && method !== "HEAD" && Object.hasOwn(BODY_FIELDS, route)) {
    const unknown = unknownFieldsMessage(method, route, body, BODY_FIELDS[route]);
    if (unknown) return bad(unknown, "UnknownField");
  }

  switch (route) {
    case "/emulator":
    case "/emulator/health":
      if (!allow("GET", "HEAD")) return;
      return ok({
        status: "ok",
        version: PACKAGE_VERSION,
        clock: clockView(emulator),
        events: { lastId: ctx.events.lastId, streams: ctx.events.clientCount },
        webhook: ctx.webhook() ? ctx.webhook().status() : null,
        stateFile: ctx.stateFile ? ctx.stateFile.status() : null,
      });
    case "/emulator/config":
      if (!allow("GET", "HEAD")) return;
      return ok(ctx.info());
    case "/emulator/clock":
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
      return ok(clockView(emulator));
    case "/emulator/clock/advance": {
      if (!allow("POST")) return;
      const given = body.ms ?? url.searchParams.get("ms");
      const ms = given === null || given === "" || typeof given === "boolean" ? NaN : Number(given);
      if (!Number.isFinite(ms) || ms < 0) return bad("advance needs ms, a number >= 0 (body {\"ms\": 30000} or ?ms=30000)");
      await emulator.clock.advance(ms);
      await ctx.persist();
      return ok(clockView(emulator));
    }
    case "/emulator/clock/set": {
      if (!allow("POST")) return;
      const time = body.time ?? url.searchParams.get("time");
      if (typeof time !== "string") return bad("set needs time, an ISO-8601 date-time (body {\"time\": \"...\"} or ?time=)");
      try {
        await emulator.clock.setTime(time);
      } catch (error) {
        return bad(error.message, "InvalidTime");
      }
      await ctx.persist();
      return ok(clockView(emulator));
    }
    case "/emulator/reset":
      if (!allow("POST")) return;
      emulator.reset();
      await ctx.persist();
      return ok(clockView(emulator));
    case "/emulator/state":
      if (method === "GET" || method === "HEAD") {
        const text = emulator.exportState();
        res.writeHead(200, { ...cors, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
        res.end(method === "HEAD" ? undefined : text);
        return;
      }
      if (!allow("GET", "PUT", "POST")) return;
      try {
        emulator.importState(rawBody.toString("utf8"));
      } catch (error) {
        return bad(error.message, "InvalidState");
      }
      await ctx.persist();
      return ok(clockView(emulator));
    case "/emulator/events":
      if (!allow("GET")) return;
      ctx.events.attach(req, res, url, cors);
      return;
    case "/emulator/webhook": {
      if (!allow("GET")) return;
      const webhook = ctx.webhook();
      if (!webhook) return sendError(res, 404, "NotFound", "No event webhook is configured (--event-webhook URL).");
      return ok({ ...webhook.status(), dropped: webhook.deadLetters });
    }
    case "/emulator/webhook/validate": {
      if (!allow("GET", "POST")) return;
      const webhook = ctx.webhook();
      if (!webhook) return sendError(res, 404, "NotFound", "No event webhook is configured (--event-webhook URL).");
      const code = (method === "POST" ? body.code : undefined) ?? url.searchParams.get("code") ?? "";
      if (!webhook.validate(String(code))) return bad("The validation code does not match.", "InvalidValidationCode");
      return ok({ validated: true });
    }
    default:
      break;
  }
  if (handleFaultsControl(emulator, req, route, body ?? {}, { ok, bad, allow, sendError, res })) return;  // /emulator/faults[/fail-next]
  if (await handleRulesEvaluate(emulator, req, route, body ?? {}, { ok, bad, allow, sendError, res })) return;  // /emulator/rules/evaluate
  if (route.startsWith("/emulator/explain/")) {
    if (!allow("GET")) return;
    let jobId;
    try {
      jobId = decodeURIComponent(route.slice("/emulator/explain/".length));
    } catch {
      return bad("The job id has a malformed percent-encoding.");
    }
    try {
      return ok(emulator.explain(jobId));
    } catch (error) {
      if (error.statusCode === 404) return sendError(res, 404, "NotFound", `Job ${jobId} was not found.`);
      throw error;
    }
  }
  sendError(res, 404, "NotFound", `Unknown emulator control ${route}.`);
}
