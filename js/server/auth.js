// Verification of the Azure Communication Services HMAC-SHA256 request signature.
//
// A signed request carries
//   x-ms-date:            an RFC 1123 date (within FRESHNESS_MS of the server's wall clock)
//   x-ms-content-sha256:  base64 SHA-256 of the request body (of "" when there is none)
//   Authorization:        HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>
// where Signature = base64(HMAC-SHA256(base64decode(accessKey), stringToSign)) and
//   stringToSign = VERB + "\n" + pathAndQuery + "\n" + <x-ms-date> + ";" + <host> + ";" + <content hash>.
// The SDKs differ in how they spell pathAndQuery (the JS SDK re-serialises the query with
// URLSearchParams; .NET, Java and Python sign the request target as sent), so both spellings are
// accepted. Rejections use the gateway's error shape: 401 {"error": {"code": "Denied", "message"}}.

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** How far x-ms-date may be from the server's wall clock (either way). */
export const FRESHNESS_MS = 15 * 60 * 1000;

/**
 * The well-known development access key (base64), printed at start like Azurite's account key.
 * Anyone can read it: it protects nothing and only exercises the client's signing code.
 */
export const DEVELOPMENT_ACCESS_KEY =
  "am9icm91dGVyLWVtdWxhdG9yIHdlbGwta25vd24gZGV2ZWxvcG1lbnQga2V5IC0gbm90IGEgc2VjcmV0IC0gZG8gbm90IHVzZSBpbiBwcm9kdWN0aW9u";

const SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256";

/**
 * base64 SHA-256 of a body (Buffer or string).
 * @param {Buffer | string | null | undefined} body
 */
export function contentHash(body) {
  return createHash("sha256").update(body ?? "").digest("base64");
}

/**
 * Signs a request the way the SDKs do (used by tests, the demo's server mode and curl recipes).
 * @param {{ method: string, pathAndQuery: string, host: string, body?: Buffer | string, accessKey: string,
 *   date?: Date }} request
 * @returns {Record<string, string>} the headers to add
 */
export function signRequest({ method, pathAndQuery, host, body = "", accessKey, date = new Date() }) {
  const xMsDate = date.toUTCString();
  const hash = contentHash(body);
  const stringToSign = `${method.toUpperCase()}\n${pathAndQuery}\n${xMsDate};${host};${hash}`;
  const signature = createHmac("sha256", Buffer.from(accessKey, "base64")).update(stringToSign).digest("base64");
  return {
    "x-ms-date": xMsDate,
    "x-ms-content-sha256": hash,
    authorization: `HMAC-SHA256 SignedHeaders=${SIGNED_HEADERS}&Signature=${signature}`,
  };
}

/**
 * The spellings of the request target a client may have signed.
 * @param {string} target
 */
function signedTargets(target) {
  const spellings = new Set([target]);
  try {
    const url = new URL(target, "http://placeholder");
    const query = url.searchParams.toString();
    spellings.add(query ? `${url.pathname}?${query}` : url.pathname);
  } catch {
    // an unparsable target can only match as sent
  }
  return [...spellings];
}

/** @param {string} a @param {string} b */
function equalBase64(a, b) {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks one request. Returns null when it is authentic, or { status: 401, code, message }.
 * @param {object} request
 * @param {string} request.method
 * @param {string} request.target raw request target (path and query)
 * @param {Record<string, string | string[] | undefined>} request.headers lower-case names
 * @param {Buffer} request.body
 * @param {object} options
 * @param {string} options.accessKey base64 access key
 * @param {boolean} [options.loose] accept any x-ms-date and any Bearer token
 * @param {number} [options.now] wall clock in ms (tests)
 */
export function verifyRequest({ method, target, headers, body }, { accessKey, loose = false, now = Date.now() }) {
  const denied = (/** @type {string} */ message) => ({ status: 401, code: "Denied", message });
  const authorization = single(headers.authorization);
  if (!authorization) return denied("The request is not signed: the Authorization header is missing.");
  if (/^bearer\s+\S+/i.test(authorization)) {
    return loose
      ? null
      : denied("Bearer tokens cannot be validated offline; sign with the access key (HMAC-SHA256), or start the emulator with --loose.");
  }
  const match = /^HMAC-SHA256\s+SignedHeaders=([^&\s]+)&Signature=(\S+)$/i.exec(authorization);
  if (!match) {
    return denied("The Authorization header is not 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>'.");
  }
  const [, signedHeaders, signature] = match;
  if (signedHeaders.toLowerCase() !== SIGNED_HEADERS) {
    return denied(`SignedHeaders must be '${SIGNED_HEADERS}', got '${signedHeaders}'.`);
  }
  const xMsDate = single(headers["x-ms-date"]);
  if (!xMsDate) return denied("The x-ms-date header is missing.");
  const signedAt = Date.parse(xMsDate);
  if (Number.isNaN(signedAt)) return denied(`The x-ms-date header '${xMsDate}' is not an RFC 1123 date.`);
  if (!loose && Math.abs(now - signedAt) > FRESHNESS_MS) {
    return denied(
      `The request's x-ms-date '${xMsDate}' is more than ${FRESHNESS_MS / 60000} minutes away from the server time ` +
        `${new Date(now).toUTCString()}.`,
    );
  }
  const claimedHash = single(headers["x-ms-content-sha256"]);
  if (claimedHash === undefined) return denied("The x-ms-content-sha256 header is missing.");
  const actualHash = contentHash(body);
  if (claimedHash !== actualHash) {
    return denied("Request 'x-ms-content-sha256' differs from generated content hash.");
  }
  const host = single(headers.host) ?? "";
  const key = Buffer.from(accessKey, "base64");
  for (const pathAndQuery of signedTargets(target)) {
    const stringToSign = `${method.toUpperCase()}\n${pathAndQuery}\n${xMsDate};${host};${claimedHash}`;
    const expected = createHmac("sha256", key).update(stringToSign).digest("base64");
    if (equalBase64(expected, signature)) return null;
  }
  return denied("The request signature does not match: check the access key, and that host, x-ms-date and the path were signed as sent.");
}

/**
 * @param {string | string[] | undefined} value
 * @returns {string | undefined}
 */
function single(value) {
  return Array.isArray(value) ? value[0] : value;
}
