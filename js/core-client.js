// @ts-check
// Stand-ins for the parts of @azure-rest/core-client and @azure/core-rest-pipeline that the client uses: RestError,
// HttpHeaders, the request pipeline and its api-version policy, and building request URLs and bodies and parsing
// response bodies as core-client does. js/client.js builds the Job Router client factory on top of them.

import { createTextDecoder } from "./core-loader.js";

/**
 * The options of one call (core-client's RequestParameters, see js/index.d.ts): read loosely, as callers from
 * plain JavaScript may pass anything.
 * @typedef {Record<string, any>} RequestOptions
 */
/**
 * A request inside the pipeline (core-rest-pipeline's PipelineRequest).
 * @typedef {{url: string, method: string, headers: HttpHeaders, body?: unknown, requestId: string,
 *   allowInsecureConnection?: boolean, abortSignal?: {aborted: boolean}, [key: string]: unknown}} PipelineRequest
 */
/**
 * A response inside the pipeline (status as a number).
 * @typedef {{request: PipelineRequest, status: number, headers: HttpHeaders, bodyAsText?: string | null}} PipelineResponse
 */
/** @typedef {(request: PipelineRequest) => Promise<PipelineResponse>} SendRequest */
/** @typedef {{sendRequest: SendRequest}} HttpClient */
/** @typedef {{name: string, sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>}} PipelinePolicy */

// ---- errors ----------------------------------------------------------------------------------

/**
 * Error for unexpected responses (thrown by paginate() for a failed page and when a JSON body
 * cannot be parsed), shaped like @azure/core-rest-pipeline's RestError.
 */
export class RestError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, statusCode?: number, request?: object, response?: object, details?: unknown}} [options]
   */
  constructor(message, options = {}) {
    super(message);
    this.name = "RestError";
    this.code = options.code;
    this.statusCode = options.statusCode;
    this.request = options.request;
    this.response = options.response;
    this.details = options.details;
  }
}
RestError.REQUEST_SEND_ERROR = "REQUEST_SEND_ERROR";
RestError.PARSE_ERROR = "PARSE_ERROR";

/**
 * Builds a RestError from a response ({status: "400", headers, body, request}); the error code is
 * taken from the body ({"communicationError": {...}} or {"error": {...}}) when there is one.
 * @param {string} message
 * @param {{status: string, headers: Record<string, string>, body?: unknown, request?: object}} response
 */
export function createRestError(message, response) {
  const body = response.body;
  /** @type {any} */
  const wrapper = body;
  const inner = body && typeof body === "object" ? (wrapper.communicationError ?? wrapper.error) : undefined;
  const statusCode = Number.parseInt(response.status, 10);
  return new RestError(message, {
    code: inner && typeof inner.code === "string" ? inner.code : undefined,
    statusCode: Number.isNaN(statusCode) ? undefined : statusCode,
    request: response.request,
    response: {
      request: response.request,
      status: Number.isNaN(statusCode) ? -1 : statusCode,
      headers: createHttpHeaders(response.headers),
      bodyAsText: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      parsedBody: body,
    },
    details: body,
  });
}

// ---- headers -----------------------------------------------------------------------------------

/** Case-insensitive header collection, like @azure/core-rest-pipeline's HttpHeaders. */
export class HttpHeaders {
  /** @param {Record<string, unknown>} [raw] */
  constructor(raw) {
    /** @type {Map<string, {name: string, value: string}> | null} (null until needed; null while _plain holds them) */
    this._map = null;
    /** @type {Record<string, string> | null} lower-case names -> string values, not yet copied into _map */
    this._plain = null;
    if (raw) {
      for (const name of Object.keys(raw)) this.set(name, /** @type {string} */ (raw[name]));
    }
  }
  /**
   * Headers whose names are all lower-case and whose values are all strings (the emulator's responses): kept as
   * they are until something changes them or iterates, which most responses never need.
   * @param {Record<string, string>} plain
   */
  static fromLowerCase(plain) {
    const headers = new HttpHeaders();
    headers._plain = plain;
    return headers;
  }
  /** The Map form (made from _plain on first need). */
  _entries() {
    if (this._map === null) {
      const plain = this._plain;
      this._map = new Map();
      if (plain !== null) {
        for (const name of Object.keys(plain)) this._map.set(name, { name, value: plain[name] });
        this._plain = null;
      }
    }
    return this._map;
  }
  /** @param {string} name @param {string | number | boolean} value */
  set(name, value) {
    this._entries().set(String(name).toLowerCase(), { name: String(name), value: String(value) });
  }
  /** @param {string} name */
  get(name) {
    const key = String(name).toLowerCase();
    if (this._plain !== null) return Object.hasOwn(this._plain, key) ? this._plain[key] : undefined;
    return this._entries().get(key)?.value;
  }
  /** @param {string} name */
  has(name) {
    const key = String(name).toLowerCase();
    return this._plain !== null ? Object.hasOwn(this._plain, key) : this._entries().has(key);
  }
  /** @param {string} name */
  delete(name) {
    this._entries().delete(String(name).toLowerCase());
  }
  /** @param {{preserveCase?: boolean}} [options] */
  toJSON(options = {}) {
    if (this._plain !== null) return { ...this._plain };
    /** @type {Record<string, string>} */
    const result = {};
    for (const [key, entry] of this._entries()) result[options.preserveCase ? entry.name : key] = entry.value;
    return result;
  }
  toString() {
    return JSON.stringify(this.toJSON({ preserveCase: true }));
  }
  /** @returns {Generator<[string, string]>} */
  *[Symbol.iterator]() {
    for (const [key, entry] of this._entries()) yield [key, entry.value];
  }
}

/** @param {Record<string, unknown>} [raw] */
export function createHttpHeaders(raw) {
  return new HttpHeaders(raw);
}

// ---- URL and request building (as @azure-rest/core-client does it) -----------------------------

const PATH_PARAMETER = /\{\w+\}/;

/** @type {Map<string, number>} */
const placeholderCounts = new Map();
/** The number of "{name}" placeholders of a path template. @param {string} template */
export function countPathParameters(template) {
  let count = placeholderCounts.get(template);
  if (count === undefined) {
    count = (template.match(/\{\w+\}/g) ?? []).length;
    if (placeholderCounts.size >= 1024) placeholderCounts.clear();
    placeholderCounts.set(template, count);
  }
  return count;
}

// A path (no query) that the WHATWG URL parser copies unchanged into an http(s) URL: segments of the characters
// A-Z a-z 0-9 - _ . ~ ! $ & ( ) * + , ; = : @ %, none of which starts with "." or "%2e" (any case: a segment the
// parser would resolve). The query may have those, "/" and "?" too. (No character of a segment is "/" or "?":
// matching never backtracks.)
const SEGMENT = String.raw`(?!\.|%2[eE])[A-Za-z0-9\-_.~!$&()*+,;=:@%]*`;
const PLAIN_PATH = new RegExp(String.raw`^${SEGMENT}(?:\/${SEGMENT})*$`);
const QUERY = String.raw`\?[A-Za-z0-9\-_.~!$&()*+,;=:@/%?]*`;
const PLAIN_PATH_AND_QUERY = new RegExp(String.raw`^${SEGMENT}(?:\/${SEGMENT})*(?:${QUERY})?$`);
const PLAIN_QUERY = new RegExp(`^${QUERY}$`);

// The last URLs this module built as `origin + plain path [+ "?" + plain query]`, with their parts: the transport
// (plainTarget) and isUnexpected (urlPathname) read them without checking the text again. A URL string found here
// was checked when it was built, and its parts are a function of its text, so a hit gives what the checks give.
const PLAIN_URL_NOTES = 4;
/** @typedef {{ url: string, origin: string, target: string, pathEnd: number }} PlainUrlNote */
/** A ring, the newest at nextNote - 1. @type {(PlainUrlNote | undefined)[]} */
const plainUrlNotes = new Array(PLAIN_URL_NOTES).fill(undefined);
let nextNote = 0;

/**
 * Notes a URL known to be `origin` + `target` (a plain path, then an optional plain query).
 * @param {string} url @param {string} origin @param {string} target
 * @param {number} pathEnd where target's path ends (its query's "?", or its length)
 */
function notePlainUrl(url, origin, target, pathEnd) {
  plainUrlNotes[nextNote] = { url, origin, target, pathEnd };
  nextNote = (nextNote + 1) % PLAIN_URL_NOTES;
}

/** @param {string} url */
function plainUrlNote(url) {
  for (let age = 1; age <= PLAIN_URL_NOTES; age++) {
    const note = plainUrlNotes[(nextNote - age + PLAIN_URL_NOTES) % PLAIN_URL_NOTES];
    if (note !== undefined && note.url === url) return note;
  }
  return undefined;
}

/** True when `path` (no query) would come out of URL parsing exactly as it went in. */
/** @param {string} path */
function isPlainPath(path) {
  return PLAIN_PATH.test(path);
}

/**
 * The origin of `baseUrl` when the base is a bare origin ("https://host[:port][/]"): request URLs of such a client
 * can be built by concatenation. undefined otherwise (they are built with URL).
 * @param {string} baseUrl
 */
export function plainOrigin(baseUrl) {
  try {
    const url = new URL(baseUrl);
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    return bare && (url.protocol === "https:" || url.protocol === "http:") ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `pathAndQuery` of a URL that starts with `origin` + "/" and needs no normalising, as `${url.pathname}${url.search}`
 * of the parsed URL would give it; undefined when the URL must be parsed.
 * @param {string} url
 * @param {string} origin
 */
export function plainTarget(url, origin) {
  const note = plainUrlNote(url);
  if (note !== undefined && note.origin === origin) return note.target;
  if (!url.startsWith(origin) || url.charCodeAt(origin.length) !== 47 /* "/" */) return undefined;
  const rest = url.slice(origin.length);
  if (!PLAIN_PATH_AND_QUERY.test(rest)) return undefined;
  const q = rest.indexOf("?");
  return q === rest.length - 1 ? rest.slice(0, q) : rest;  // an empty query goes
}

/** @type {Map<string, boolean>} "http(s)://authority" -> whether URL parses it (authorities of plain characters) */
const parsedOrigins = new Map();

/**
 * `new URL(url).pathname`, without parsing the usual URL ("http(s)://host[:port]/plain/path[?...][#...]" whose
 * origin parsed before). Throws what URL throws for an invalid URL.
 * @param {unknown} url
 * @returns {string}
 */
export function urlPathname(url) {
  // @ts-ignore -- anything else: URL converts it to a string (or throws) as it does
  if (typeof url !== "string") return new URL(url).pathname;
  const note = plainUrlNote(url);
  if (note !== undefined) return note.target.slice(0, note.pathEnd);
  const schemeEnd = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
  const slash = schemeEnd < 0 ? -1 : url.indexOf("/", schemeEnd);
  if (slash > schemeEnd && plainAuthority(url, schemeEnd, slash)) {
    const origin = url.slice(0, slash);
    let parses = parsedOrigins.get(origin);
    if (parses === undefined) {
      parses = canParse(origin);
      if (parsedOrigins.size >= 64) parsedOrigins.clear();
      parsedOrigins.set(origin, parses);
    }
    let end = url.length;
    for (let i = slash; i < url.length; i++) {
      const c = url.charCodeAt(i);
      if (c === 63 /* "?" */ || c === 35 /* "#" */) {
        end = i;
        break;
      }
    }
    if (parses) {
      const pathname = url.slice(slash, end);
      if (PLAIN_PATH.test(pathname)) return pathname;
    }
  }
  return new URL(url).pathname;
}

/** @param {string} url */
function canParse(url) {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when text[from, to) is a host name of letters, digits, "." and "-", with an optional ":port" of digits.
 * @param {string} text @param {number} from @param {number} to
 */
function plainAuthority(text, from, to) {
  let port = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (port ? !digit : !(digit || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 46 || c === 45)) {
      if (port || c !== 58 /* ":" */ || i === from) return false;
      port = true;
    }
  }
  return true;
}

// A path template split at its placeholders ("/routing/jobs/{jobId}" -> ["/routing/jobs/", ""]), remembered.
/** @type {Map<string, string[]>} */
const templatePieces = new Map();
/** @param {string} template */
function splitTemplate(template) {
  let pieces = templatePieces.get(template);
  if (pieces === undefined) {
    pieces = template.split(/\{\w+\}/);
    if (templatePieces.size >= 1024) templatePieces.clear();
    templatePieces.set(template, pieces);
  }
  return pieces;
}

/**
 * The path of a template with its parameters, as the official client fills it: each parameter in turn replaces the
 * first placeholder left (URL-encoded unless skipUrlEncoding); parameters beyond the placeholders are ignored.
 * @param {string} routePath
 * @param {unknown[]} pathParameters
 * @param {RequestOptions} options
 */
function fillTemplate(routePath, pathParameters, options) {
  const pieces = splitTemplate(routePath);
  // A raw value (skipUrlEncoding) may itself hold a placeholder that the next parameter then replaces: such
  // paths are filled step by step. Encoded values hold no braces, so filling the pieces in order is the same.
  if (options.skipUrlEncoding || pieces.length - 1 > pathParameters.length) {
    let path = routePath;
    for (const parameter of pathParameters) {
      // @ts-ignore -- any value: encodeURIComponent converts it to a string as the official client lets it
      const value = options.skipUrlEncoding ? String(parameter) : encodeURIComponent(parameter);
      path = path.replace(PATH_PARAMETER, () => value);
    }
    return path;
  }
  let path = pieces[0];
  // @ts-ignore -- any value: encodeURIComponent converts it to a string
  for (let i = 1; i < pieces.length; i++) path += encodeURIComponent(pathParameters[i - 1]) + pieces[i];
  return path;
}

/**
 * The URL of a request: `routePath` filled with the parameters, under `baseUrl`, with the options' query.
 * @param {string} baseUrl
 * @param {string} routePath
 * @param {unknown[]} pathParameters
 * @param {RequestOptions} options
 * @param {string | undefined} origin plainOrigin(baseUrl)
 */
export function buildRequestUrl(baseUrl, routePath, pathParameters, options, origin) {
  if (routePath.startsWith("https://") || routePath.startsWith("http://")) {
    return routePath;
  }
  const path = fillTemplate(routePath, pathParameters, options);
  if (origin !== undefined && options.queryParameters === undefined && isPlainPath(path)) {
    // What URL parsing and the duplicate-slash rule below give, without parsing. The usual path ("/routing/...",
    // no "//" in it) loses the slash the join doubles.
    if (path.charCodeAt(0) === 47 /* "/" */ && path.indexOf("//") < 0) {
      const url = origin + path;
      notePlainUrl(url, origin, path, path.length);
      return url;
    }
    const joined = `${origin}/${path}`;
    return joined.indexOf("//", origin.length) < 0 ? joined : joined.replace(/([^:]\/)\/+/g, "$1");
  }
  let url = new URL(`${baseUrl}/${path}`);
  const query = options.queryParameters;
  if (query) {
    for (const key of Object.keys(query)) {
      const parameter = query[key];
      if (parameter === undefined || parameter === null) continue;
      if (typeof parameter.toString !== "function") {
        throw new Error(`Query parameters must be able to be represented as string, ${key} can't`);
      }
      const value = typeof parameter.toISOString === "function" ? parameter.toISOString() : parameter.toString();
      url.searchParams.append(key, value);
    }
    if (options.skipUrlEncoding) {
      const pieces = [];
      for (const [name, value] of url.searchParams) pieces.push(`${name}=${value}`);
      url.search = pieces.length ? `?${pieces.join("&")}` : "";
    }
  }
  return url.toString().replace(/([^:]\/)\/+/g, "$1");
}

/** @param {unknown} body @returns {string | undefined} */
function defaultContentType(body) {
  if (ArrayBuffer.isView(body)) return "application/octet-stream";
  if (typeof body === "string") {
    try {
      JSON.parse(body);
      return "application/json; charset=UTF-8";
    } catch {
      return undefined;
    }
  }
  return "application/json; charset=UTF-8";
}

/** @param {RequestOptions} options @returns {string | undefined} */
function requestContentType(options) {
  return options.contentType ?? options.headers?.["content-type"] ?? defaultContentType(options.body);
}

/** The media type of a content-type value ("application/json; charset=utf-8" -> "application/json"). */
/** @param {string} contentType */
function mediaType(contentType) {
  const semicolon = contentType.indexOf(";");
  return semicolon < 0 ? contentType : contentType.slice(0, semicolon);
}

/** @param {unknown} body @param {string} [contentType] @returns {string | Uint8Array | undefined} */
function serializeBody(body, contentType = "") {
  if (body === undefined) return undefined;
  const firstType = mediaType(contentType);
  if (firstType === "application/json") return JSON.stringify(body);
  if (ArrayBuffer.isView(body)) return body instanceof Uint8Array ? body : JSON.stringify(body);
  if (firstType === "text/plain") return String(body);
  if (typeof body === "string") return body;
  return JSON.stringify(body);
}

/** A request body as text. @param {unknown} body */
export function bodyText(body) {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return createTextDecoder().decode(body);
  return String(body);
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** A deep copy of a JSON.parse result (own properties only; "__proto__" stays an own property, as JSON.parse makes it). */
/** @param {any} value @returns {any} */
function copyParsedJson(value) {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyParsedJson(value[i]);
    return out;
  }
  /** @type {Record<string, unknown>} */
  const out = {};
  // for-in over own keys: the order of Object.keys without allocating its array (1.4× quicker on a job's body)
  for (const key in value) {
    if (!hasOwnProperty.call(value, key)) continue;
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value: copyParsedJson(value[key]), enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = copyParsedJson(value[key]);
    }
  }
  return out;
}

// The same body text again (a GET of an unchanged resource is answered with the very same text) is copied
// from a parse kept aside, which is several times quicker than parsing it again. Each caller gets its own copy.
let repeatedText = "";
/** @type {unknown} */
let repeatedParse;  // undefined until the text is seen a second time; never handed out
/** @param {string} text @returns {unknown} */
function parseJsonText(text) {
  if (text === repeatedText) {
    if (repeatedParse === undefined) repeatedParse = JSON.parse(text);
    return copyParsedJson(repeatedParse);
  }
  const value = JSON.parse(text);
  repeatedText = text;
  repeatedParse = undefined;
  return value;
}

/**
 * The body of a response as core-client parses it: JSON, or text (text/plain, or not JSON and not declared JSON).
 * @param {PipelineResponse} response
 * @returns {unknown}
 */
export function parseResponseBody(response) {
  const contentType = response.headers.get("content-type") ?? "";
  const firstType = mediaType(contentType);
  const text = response.bodyAsText ?? "";
  if (firstType === "text/plain") return String(text);
  try {
    return text ? parseJsonText(text) : undefined;
  } catch (error) {
    if (firstType === "application/json") {
      throw new RestError(`Error "${error}" occurred while parsing the response body - ${text}.`, {
        code: RestError.PARSE_ERROR,
        statusCode: response.status,
        request: response.request,
        response,
      });
    }
    return String(text);
  }
}

let requestCounter = 0;

/**
 * The pipeline request of a call.
 * @param {string} method
 * @param {string} url
 * @param {RequestOptions} options
 * @param {boolean | undefined} allowInsecureConnection the client's setting
 * @returns {PipelineRequest}
 */
export function buildPipelineRequest(method, url, options, allowInsecureConnection) {
  const contentType = requestContentType(options);
  const body = serializeBody(options.body, contentType);
  // The caller's headers, then accept and content-type over them (a later spelling of a name replaces an
  // earlier one and keeps its place, as with the official client's object spread).
  const accept = options.accept ?? options.headers?.accept ?? "application/json";
  const withContentType = body !== undefined && Boolean(contentType);
  /** @type {HttpHeaders} */
  let headers;
  if (options.headers === undefined) {
    // What the sets below give with no caller's headers, kept as a plain object until something changes it.
    headers = HttpHeaders.fromLowerCase(withContentType
      ? { accept: String(accept), "content-type": String(contentType) }
      : { accept: String(accept) });
  } else {
    headers = new HttpHeaders(options.headers);
    headers.set("accept", accept);
    if (withContentType) headers.set("content-type", /** @type {string} */ (contentType));
  }
  requestCounter += 1;
  return {
    url,
    method,
    headers,
    body,
    timeout: options.timeout ?? 0,
    withCredentials: false,
    requestId: headers.get("x-ms-client-request-id") ?? `jobrouter-emulator-request-${requestCounter}`,
    allowInsecureConnection: options.allowInsecureConnection ?? allowInsecureConnection,
    abortSignal: options.abortSignal,
    tracingOptions: options.tracingOptions,
    onUploadProgress: options.onUploadProgress,
    onDownloadProgress: options.onDownloadProgress,
  };
}


// ---- pipeline ----------------------------------------------------------------------------------

/**
 * A minimal request pipeline: policies ({name, sendRequest(request, next)}) run in the order they
 * were added; the last step hands the request to the emulator. The `options` of addPolicy
 * (phase, afterPhase, beforePolicies, afterPolicies) are accepted and ignored.
 */
export class Pipeline {
  constructor() {
    /** @type {PipelinePolicy[]} */
    this._policies = [];
  }
  /** @param {PipelinePolicy} policy @param {object} [_options] */
  addPolicy(policy, _options = {}) {
    if (!policy || typeof policy.sendRequest !== "function") {
      throw new TypeError("a pipeline policy needs a sendRequest(request, next) method");
    }
    this._policies.push(policy);
  }
  /** @param {{name?: string}} [options] */
  removePolicy(options = {}) {
    const removed = this._policies.filter((policy) => options.name !== undefined && policy.name === options.name);
    this._policies = this._policies.filter((policy) => !removed.includes(policy));
    return removed;
  }
  getOrderedPolicies() {
    return [...this._policies];
  }
  /** @param {HttpClient} httpClient @param {PipelineRequest} request @returns {Promise<PipelineResponse>} */
  sendRequest(httpClient, request) {
    const policies = [...this._policies];
    /** @type {(index: number, req: PipelineRequest) => Promise<PipelineResponse>} */
    const dispatch = (index, req) =>
      index < policies.length
        ? policies[index].sendRequest(req, (next) => dispatch(index + 1, next))
        : httpClient.sendRequest(req);
    return dispatch(0, request);
  }
  clone() {
    const copy = new Pipeline();
    copy._policies = [...this._policies];
    return copy;
  }
}

/** True when every name is lower-case and every value a string (what RouterEmulator.handle gives). */
/** @param {unknown} headers @returns {headers is Record<string, string>} */
export function plainHeaders(headers) {
  if (headers === null || typeof headers !== "object") return false;
  const record = /** @type {Record<string, unknown>} */ (headers);
  for (const name of Object.keys(record)) {
    if (typeof record[name] !== "string" || name !== name.toLowerCase()) return false;
  }
  return true;
}



/**
 * core-client's ClientApiVersionPolicy: adds api-version to a request URL that has none.
 * @param {string} apiVersion
 * @returns {PipelinePolicy}
 */
export function apiVersionPolicy(apiVersion) {
  const query = `?api-version=${apiVersion}`;
  const plainQuery = PLAIN_QUERY.test(query);
  return {
    name: "ClientApiVersionPolicy",
    sendRequest(request, next) {
      // A URL without a query or fragment has no api-version: append it without parsing the URL.
      if (apiVersion && !request.url.includes("?") && !request.url.includes("#")) {
        const note = plainQuery ? plainUrlNote(request.url) : undefined;
        request.url = `${request.url}${query}`;
        if (note !== undefined) notePlainUrl(request.url, note.origin, note.target + query, note.target.length);
        return next(request);
      }
      const url = new URL(request.url);
      if (!url.searchParams.get("api-version") && apiVersion) {
        request.url = `${request.url}${Array.from(url.searchParams.keys()).length > 0 ? "&" : "?"}api-version=${apiVersion}`;
      }
      return next(request);
    },
  };
}
