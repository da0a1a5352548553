// @ts-check
// Shared by the request-interception adapters (msw.js, playwright.js): the `{ endpoint, emulator }` option
// check, the emulator lookup, which URLs are the endpoint's REST routes, and the CORS headers browsers need. The
// HTTP server (server/index.js) takes its REST CORS lists and its gateway error body from here too.
// Internal module: not part of the package's public API. No Node built-in is imported (browsers bundle it).

import { RouterEmulator, endpointOfConnectionString, normalizeEndpoint } from "./emulator.js";

/** Methods a preflight may ask for. */
export const ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
/** Request headers allowed when a preflight does not list the ones it needs. */
export const ALLOW_HEADERS =
  "authorization, content-type, if-match, if-unmodified-since, x-ms-date, x-ms-content-sha256, " +
  "x-ms-client-request-id, x-ms-useragent, x-ms-return-client-request-id, accept";
/** Response headers a page may read, beside whatever the emulator's response carries. */
export const EXPOSE_HEADERS = Object.freeze([
  "etag",
  "last-modified",
  "content-type",
  "location",
  "retry-after",
  "trace-id",
  "api-supported-versions",
  "request-context",
  "x-ms-error-code",
  "x-ms-client-request-id",
  "x-ms-request-id",
  "x-azure-ref",
]);

/**
 * true for a RouterEmulator, or a test double with what the adapters call: handle() and ready().
 * @param {unknown} value
 * @returns {value is RouterEmulator}
 */
function isEmulatorLike(value) {
  const candidate = /** @type {any} */ (value);
  return typeof value === "object" && value !== null && typeof candidate.handle === "function" &&
    typeof candidate.ready === "function";
}

/**
 * Checks `{ endpoint, emulator }` and returns the endpoint's lower-case origin and a function giving the
 * emulator to serve each request (`emulator`, or the endpoint's shared one, found again once disposed).
 * @param {string} caller function name for messages
 * @param {unknown} options
 * @returns {{ origin: string, emulator: () => RouterEmulator }}
 */
export function resolveTarget(caller, options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${caller}: expected an options object { endpoint, emulator? }, got ${describe(options)}`);
  }
  const { endpoint, emulator } = /** @type {{ endpoint?: unknown, emulator?: unknown }} */ (options);
  if (typeof endpoint !== "string" || endpoint === "") {
    throw new TypeError(
      `${caller}: options.endpoint must be the endpoint URL (https://<resource>.communication.azure.com/) or a ` +
        `connection string, got ${describe(endpoint)}`,
    );
  }
  let origin;
  try {
    origin = normalizeEndpoint(endpointOfConnectionString(endpoint) ?? endpoint);
  } catch (/** @type {any} */ error) {
    throw new TypeError(
      `${caller}: options.endpoint ${JSON.stringify(endpoint)} is neither an http(s) endpoint URL nor a connection ` +
        `string ("endpoint=https://<resource>.communication.azure.com/;accesskey=<key>"): ${error?.message ?? error}`,
    );
  }
  if (emulator !== undefined && emulator !== null) {
    if (!isEmulatorLike(emulator)) {
      throw new TypeError(
        `${caller}: options.emulator must be a RouterEmulator (or a double with its handle() and ready()), ` +
          `got ${describe(emulator)}`,
      );
    }
    return { origin, emulator: () => emulator };
  }
  /** @type {RouterEmulator | null} */
  let current = null;
  return {
    origin,
    emulator: () => {
      if (current === null || current.disposed) current = RouterEmulator.for(origin);
      return current;
    },
  };
}

/** @param {unknown} value */
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  if (typeof value === "string") return JSON.stringify(value);
  return `a ${typeof value}`;
}

/**
 * True when `url` (a URL) is a REST route of `origin`: the path /routing or below it.
 * @param {URL} url
 * @param {string} origin
 */
export function isRoutingUrl(url, origin) {
  return (
    url.origin.toLowerCase() === origin &&
    (url.pathname === "/routing" || url.pathname.startsWith("/routing/"))
  );
}

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A RegExp matching `origin` + "/routing" and everything below it (query and fragment allowed).
 * @param {string} origin
 */
export function routingPattern(origin) {
  return new RegExp(`^${escapeRegExp(origin)}/routing(?:[/?#].*)?$`, "i");
}

/**
 * The emulator's answer when it failed to handle an intercepted request (a listener or host function threw, the
 * emulator was disposed): 500 EmulatorError, with the failure's message. The one place the interceptors (./msw,
 * ./playwright) make it.
 * @param {unknown} error
 * @returns {{ status: number, headers: Record<string, string>, body: string }}
 */
export function emulatorFailure(error) {
  return {
    status: 500,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: gatewayErrorBody("EmulatorError", emulatorFailureMessage(error)),
  };
}

/**
 * What an EmulatorError (500) says of the failure `error`.
 * @param {unknown} error
 */
export function emulatorFailureMessage(error) {
  return `The emulator failed to process the request: ${/** @type {any} */ (error)?.message ?? error}`;
}

/**
 * The body of an error answered before the service (the gateway's: 401, 404, 413, …, and the emulator's own 500):
 * {"error": {"code", "message"}}. The service's errors come from the core, in its error shape.
 * @param {string} code
 * @param {string} message
 */
export function gatewayErrorBody(code, message) {
  return JSON.stringify({ error: { code, message } });
}

/**
 * CORS headers for a response to a cross-origin REST call: the origin allowed (echoed, with credentials), and
 * every header of the response (plus the service's usual ones) exposed to the page.
 * @param {string} origin the request's Origin ("*" when unknown)
 * @param {Record<string, string>} responseHeaders
 */
export function corsHeaders(origin, responseHeaders) {
  const expose = new Set(EXPOSE_HEADERS);
  for (const name of Object.keys(responseHeaders ?? {})) expose.add(name.toLowerCase());
  /** @type {Record<string, string>} */
  const headers = {
    "access-control-allow-origin": origin || "*",
    "access-control-expose-headers": [...expose].join(", "),
  };
  if (headers["access-control-allow-origin"] !== "*") {
    headers["access-control-allow-credentials"] = "true";
    headers.vary = "Origin";
  }
  return headers;
}

/**
 * Headers of a 204 answer to a preflight: the origin echoed, the methods, the requested headers echoed (or a
 * list of the service's), and a max-age.
 * @param {string | null} origin
 * @param {string | null} requestedHeaders Access-Control-Request-Headers of the preflight
 */
export function corsPreflightHeaders(origin, requestedHeaders) {
  /** @type {Record<string, string>} */
  const headers = {
    "access-control-allow-origin": origin || "*",
    "access-control-allow-methods": ALLOW_METHODS,
    "access-control-allow-headers": requestedHeaders || ALLOW_HEADERS,
    "access-control-max-age": "86400",
  };
  if (headers["access-control-allow-origin"] !== "*") {
    headers["access-control-allow-credentials"] = "true";
    headers.vary = "Origin, Access-Control-Request-Headers";
  }
  return headers;
}
