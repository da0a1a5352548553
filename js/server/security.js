// Who may use the server, decided before a request reaches the emulator:
//
// - Host check (against DNS rebinding): a browser that a hostile name resolves to this machine sends
//   that name in Host; only the bound address, localhost (and *.localhost), IP addresses (which cannot
//   be rebound) and names given with --allowed-host are served. Others get 421.
// - Control-plane origin (/emulator/*): answered for the server's own origin, for --cors-origin
//   origins and for clients that are not browsers (no Origin header). Another origin gets 403, and
//   CORS headers name only allowed origins (never "*"), so a page elsewhere can neither change nor read
//   the emulator. POST/PUT controls need content-type application/json, which a browser cannot send
//   cross-origin without a preflight.
// - Control key: when the server listens beyond loopback, /emulator/* also needs the access key
//   (Authorization: Bearer <key>, or the REST API's HMAC-SHA256 signature).
// - Scrubbing: the access key, signatures and Bearer tokens never reach the debug log or an error.

import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { verifyRequest } from "./auth.js";

// ---- addresses -----------------------------------------------------------------------------------

/**
 * True for addresses and names that only this machine can reach.
 * @param {string} host
 */
export function isLoopbackHost(host) {
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped ? mapped[1].startsWith("127.") : false;
}

/**
 * The host name of a Host header value, lower-case, without port, brackets or a trailing dot.
 * @param {string} header
 */
export function hostName(header) {
  const value = String(header).trim().toLowerCase();
  let name;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    name = end < 0 ? value : value.slice(1, end);
  } else {
    const colon = value.indexOf(":");
    name = colon < 0 ? value : value.slice(0, colon);
  }
  return name.replace(/\.$/, "");
}

/**
 * Normalizes a --allowed-host entry: a host name ("jobrouter", "emulator.test") or a leading-dot
 * suffix (".example.test": the name and its subdomains). Throws a TypeError for anything else.
 * @param {string} entry
 */
export function normalizeAllowedHost(entry) {
  const text = String(entry).trim().toLowerCase().replace(/\.$/, "");
  const bare = text.startsWith(".") ? text.slice(1) : text;
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(bare)) {
    throw new TypeError(`an allowed host must be a host name (or .suffix), got '${entry}'`);
  }
  return text;
}

/**
 * Normalizes a --cors-origin entry to "scheme://host[:port]"; throws a TypeError for anything else.
 * @param {string} entry
 */
export function normalizeOrigin(entry) {
  let url;
  try {
    url = new URL(String(entry));
  } catch {
    throw new TypeError(`an allowed origin must look like http://localhost:3000, got '${entry}'`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin === "null" ||
      url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new TypeError(`an allowed origin must be scheme://host[:port] (http or https), got '${entry}'`);
  }
  return url.origin;
}

/**
 * Returns check(hostHeader) → null when the Host may be served, else the 421 message.
 * @param {{ boundHost: string, allowedHosts: string[] }} options
 */
export function hostCheck({ boundHost, allowedHosts }) {
  const exact = new Set(["localhost", "127.0.0.1", "::1", hostName(boundHost.includes(":") && !boundHost.startsWith("[") ? `[${boundHost}]` : boundHost)]);
  /** @type {string[]} */
  const suffixes = [];
  for (const entry of allowedHosts) {
    if (entry.startsWith(".")) suffixes.push(entry);
    else exact.add(entry);
  }
  return (/** @type {string | string[] | undefined} */ header) => {
    if (header === undefined || header === "") return null;  // HTTP/1.0 tools; browsers always send Host
    const name = hostName(Array.isArray(header) ? header[0] : header);
    if (exact.has(name) || name.endsWith(".localhost") || isIP(name) !== 0) return null;
    for (const suffix of suffixes) if (name === suffix.slice(1) || name.endsWith(suffix)) return null;
    return (
      `This emulator does not serve the host name '${name}' (a guard against DNS rebinding): it answers ` +
      "its bound address, localhost and IP addresses. Start it with --allowed-host " +
      `${/^[a-z0-9._-]+$/.test(name) ? name : "NAME"} to accept that name.`
    );
  };
}

// ---- control-plane origins -----------------------------------------------------------------------

const CONTROL_CORS_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS";
const CONTROL_CORS_HEADERS =
  "authorization, content-type, accept, last-event-id, x-ms-date, x-ms-content-sha256, x-ms-client-request-id";

/**
 * @param {string | string[] | undefined} value
 * @returns {string | undefined}
 */
function single(value) {
  return Array.isArray(value) ? value[0] : value;
}

/** @param {string} origin @param {string | undefined} hostHeader */
function sameOrigin(origin, hostHeader) {
  if (!hostHeader) return false;
  try {
    return new URL(origin).origin === new URL(`http://${hostHeader}`).origin;
  } catch {
    return false;
  }
}

/**
 * Returns gate(req) → { cors, refusal } for a /emulator/* request: `cors` are the headers to answer
 * with (the Origin echoed only when it is allowed), `refusal` a 403 message or null.
 * @param {{ corsOrigins: string[] }} options normalized origins allowed besides the server's own
 */
export function controlGate({ corsOrigins }) {
  const allowed = new Set(corsOrigins);
  return (/** @type {import("node:http").IncomingMessage} */ req) => {
    const origin = single(req.headers.origin);
    const safe = req.method === "GET" || req.method === "HEAD";
    if (origin !== undefined) {
      if (origin !== "null" && (allowed.has(origin) || sameOrigin(origin, single(req.headers.host)))) {
        return {
          refusal: null,
          cors: {
            "access-control-allow-origin": origin,
            "access-control-allow-methods": CONTROL_CORS_METHODS,
            "access-control-allow-headers": CONTROL_CORS_HEADERS,
            "access-control-max-age": "600",
            vary: "Origin",
          },
        };
      }
      return {
        cors: { vary: "Origin" },
        refusal:
          `The emulator controls do not answer pages of another origin (${origin}): they change and reveal ` +
          "the whole emulator. Start the emulator with --cors-origin ORIGIN to allow one.",
      };
    }
    // No Origin: a client that is not a browser, or a browser's navigation / no-cors load. Browsers send
    // Origin with every POST and PUT, so this only refuses cross-site loads that bypass it.
    const site = single(req.headers["sec-fetch-site"]);
    const mode = single(req.headers["sec-fetch-mode"]);
    if ((site === "cross-site" || site === "same-site") && (!safe || mode !== "navigate")) {
      return {
        cors: { vary: "Origin" },
        refusal: `The emulator controls do not answer requests from other sites (Sec-Fetch-Site: ${site}).`,
      };
    }
    return { refusal: null, cors: { vary: "Origin" } };
  };
}

/**
 * True when a content-type header value is application/json (parameters such as charset allowed).
 * @param {string | string[] | undefined} value
 */
export function isJsonContentType(value) {
  const type = String(single(value) ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json";
}

// ---- the control key -----------------------------------------------------------------------------

/**
 * Checks the access key on a control request: `Authorization: Bearer <key>` or the HMAC-SHA256
 * signature of the REST API (never loose). Returns null when it is there, else a 401 message.
 * @param {{ method: string, target: string, headers: Record<string, string | string[] | undefined>, body: Buffer }} request
 * @param {string} accessKey
 */
export function checkControlKey({ method, target, headers, body }, accessKey) {
  const authorization = single(headers.authorization) ?? "";
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) {
    const given = Buffer.from(bearer[1], "utf8");
    const wanted = Buffer.from(accessKey, "utf8");
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return null;
    return "The Bearer token is not the emulator's access key.";
  }
  if (/^hmac-sha256\s/i.test(authorization)) {
    const denied = verifyRequest({ method, target, headers, body }, { accessKey, loose: false });
    return denied ? denied.message : null;
  }
  return (
    "The emulator controls need the access key because the server listens beyond loopback: send " +
    "'Authorization: Bearer <access key>' (the key printed at start) or sign the request like the REST API " +
    "(HMAC-SHA256). --no-auth does not lift this; listen on 127.0.0.1 to use the controls without a key."
  );
}

// ---- scrubbing -----------------------------------------------------------------------------------

/**
 * Returns scrub(text) that removes the access key (as is and URL-encoded), HMAC signatures and Bearer
 * tokens from a log line or an error message.
 * @param {string} accessKey
 */
export function secretScrubber(accessKey) {
  const spellings = [...new Set([accessKey, encodeURIComponent(accessKey), accessKey.replace(/=+$/, "")])]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (/** @type {unknown} */ text) => {
    let out = String(text);
    for (const secret of spellings) out = out.split(secret).join("[redacted]");
    return out
      .replace(/(Signature=)[^&\s"',;]+/gi, "$1[redacted]")
      .replace(/(Bearer\s+)(?![<\[])[^\s"',;]+/gi, "$1[redacted]");
  };
}
