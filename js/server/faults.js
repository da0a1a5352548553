// Fault injection in the server: the control endpoints and the command-line flags.
//
//   GET    /emulator/faults             what is set: { throttle, failNext, latency }
//   PUT    /emulator/faults             { throttle?: {requests?, perSeconds?} | true | false,
//                                         failNext?: [rule, ...], latency?: {ms, jitterMs?, clock?} | null }
//                                        each field given replaces that part (failNext: the whole queue)
//   DELETE /emulator/faults             turns every fault off
//   POST   /emulator/faults/fail-next   one rule { count?, status?, method?, path?, body?, headers?,
//                                        retryAfterSeconds? } added to the queue (path: a route template
//                                        or { regexp, flags? })
//
//   --throttle                          the service's limit: 1,000 requests per 10 s
//   --latency MS[:JITTER]               every response delayed by MS (+ up to JITTER) wall-clock ms

import { configureFaults, DEFAULT_THROTTLE } from "../faults.js";

export const FAULT_ROUTES = ["/emulator/faults", "/emulator/faults/fail-next"];

/** @param {unknown} contentType */
function isJson(contentType) {
  return contentType === undefined || /^application\/json\s*(;|$)/i.test(String(contentType));
}

/**
 * Serves /emulator/faults and /emulator/faults/fail-next. Returns false for any other route.
 * @param {import("../emulator.js").RouterEmulator} emulator the server's RouterEmulator
 * @param {import("node:http").IncomingMessage} req
 * @param {string} route the path without a trailing slash
 * @param {object} body the parsed JSON body ({} when empty)
 * @param {{ ok: Function, bad: Function, allow: Function, sendError: Function, res: object }} reply
 * @returns {boolean} true when the request was answered
 */
export function handleFaultsControl(emulator, req, route, body, { ok, bad, allow, sendError, res }) {
  if (!FAULT_ROUTES.includes(route)) return false;
  const method = req.method;
  if (method !== "GET" && method !== "HEAD" && !isJson(req.headers["content-type"])) {
    sendError(res, 415, "UnsupportedMediaType", `${method} ${route} takes content-type application/json.`);
    return true;
  }
  const faults = emulator.faults;
  if (route === "/emulator/faults") {
    if (method === "GET" || method === "HEAD") {
      ok(faults.get());
      return true;
    }
    if (!allow("GET", "PUT", "DELETE")) return true;
    if (method === "DELETE") {
      ok(faults.clear().get());
      return true;
    }
    try {
      ok(configureFaults(faults, body));
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      bad(error.message, "InvalidFaults");
    }
    return true;
  }
  if (!allow("POST")) return true;
  try {
    faults.failNext(body);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    bad(error.message, "InvalidFaults");
    return true;
  }
  ok(faults.get());
  return true;
}

/**
 * The option definitions of the fault flags, for util.parseArgs.
 * @type {NonNullable<import("node:util").ParseArgsConfig["options"]>}
 */
export const FAULT_FLAGS = {
  throttle: { type: "boolean" },
  latency: { type: "string" },
};

/** The fault flags' lines of --help. */
export const FAULT_USAGE =
  `  --throttle                throttle like the service: beyond ${DEFAULT_THROTTLE.requests} requests per ${DEFAULT_THROTTLE.perSeconds} s (on the
                            emulator's clock) a request answers 429 with Retry-After
  --latency MS[:JITTER]     deliver every response MS wall-clock ms late (plus a jitter of 0..JITTER ms
                            drawn from the seed); change it at PUT /emulator/faults
`;

/**
 * The fault configuration the flags ask for, or undefined when none. Throws `makeError(message)` for a
 * malformed value.
 * @param {Record<string, unknown>} values parseArgs values
 * @param {(message: string) => Error} makeError
 */
export function faultsFromFlags(values, makeError) {
  const config = {};
  if (values.throttle) config.throttle = { ...DEFAULT_THROTTLE };
  if (values.latency !== undefined) {
    const match = /^(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(String(values.latency));
    if (!match) throw makeError(`--latency needs MS or MS:JITTER (milliseconds), got '${values.latency}'`);
    config.latency = { ms: Number(match[1]), jitterMs: match[2] === undefined ? 0 : Number(match[2]), clock: "real" };
  }
  return Object.keys(config).length ? config : undefined;
}

/**
 * Applies a configuration from faultsFromFlags to the server's emulator.
 * @param {import("../emulator.js").RouterEmulator} emulator
 * @param {object | null | undefined} config
 */
export function applyFaultFlags(emulator, config) {
  if (config) configureFaults(emulator.faults, config);
}

/**
 * The banner line of the faults that are set, or null when none is.
 * @param {import("../emulator.js").RouterEmulator} emulator
 * @param {string} url
 */
export function faultsBannerLine(emulator, url) {
  const { throttle, failNext, latency } = emulator.faults.get();
  const parts = [];
  if (throttle) parts.push(`throttle ${throttle.requests} requests per ${throttle.perSeconds} s`);
  if (latency) parts.push(`latency ${latency.ms} ms${latency.jitterMs ? ` + 0..${latency.jitterMs} ms` : ""}${latency.clock === "virtual" ? " (virtual clock)" : ""}`);
  if (failNext.length) parts.push(`${failNext.length} failNext rule${failNext.length === 1 ? "" : "s"}`);
  if (parts.length === 0) return null;
  return `  Faults             ${parts.join("; ")} (change: ${url}/emulator/faults)`;
}
