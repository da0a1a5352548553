// The REST-level client, shaped like @azure-rest/communication-job-router 1.0.0 on top of
// @azure-rest/core-client: JobRouter(...).path(template, ...params).get/put/patch/post/delete(options).
// Requests never leave the process: the last step of the pipeline hands them to a RouterEmulator.

import { createTextDecoder } from "./core-loader.js";
import { bindEmulator, endpointOfConnectionString, lookupEmulator, normalizeEndpoint } from "./emulator.js";

/** The api-version the client adds to every request that has none. */
export const DEFAULT_API_VERSION = "2023-11-01";

const VERBS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

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
  const inner = body && typeof body === "object" ? (body.communicationError ?? body.error) : undefined;
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
class HttpHeaders {
  /** @param {Record<string, unknown>} [raw] */
  constructor(raw) {
    /** @type {Map<string, {name: string, value: string}> | null} (null while _plain holds the headers) */
    this._map = new Map();
    /** @type {Record<string, string> | null} lower-case names -> string values, not yet copied into _map */
    this._plain = null;
    if (raw) {
      for (const name of Object.keys(raw)) this.set(name, raw[name]);
    }
  }
  /**
   * Headers whose names are all lower-case and whose values are all strings (the emulator's responses): kept as
   * they are until something changes them or iterates, which most responses never need.
   * @param {Record<string, string>} plain
   */
  static fromLowerCase(plain) {
    const headers = new HttpHeaders();
    headers._map = null;
    headers._plain = plain;
    return headers;
  }
  /** The Map form (made from _plain on first need). */
  _entries() {
    if (this._map === null) {
      this._map = new Map();
      for (const name of Object.keys(this._plain)) this._map.set(name, { name, value: this._plain[name] });
      this._plain = null;
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
    return this._map.get(key)?.value;
  }
  /** @param {string} name */
  has(name) {
    const key = String(name).toLowerCase();
    return this._plain !== null ? Object.hasOwn(this._plain, key) : this._map.has(key);
  }
  /** @param {string} name */
  delete(name) {
    this._entries().delete(String(name).toLowerCase());
  }
  /** @param {{preserveCase?: boolean}} [options] */
  toJSON(options = {}) {
    if (this._plain !== null) return { ...this._plain };
    const result = {};
    for (const [key, entry] of this._map) result[options.preserveCase ? entry.name : key] = entry.value;
    return result;
  }
  toString() {
    return JSON.stringify(this.toJSON({ preserveCase: true }));
  }
  *[Symbol.iterator]() {
    for (const [key, entry] of this._entries()) yield [key, entry.value];
  }
}

/** @param {Record<string, unknown>} [raw] */
export function createHttpHeaders(raw) {
  return new HttpHeaders(raw);
}

// ---- connection arguments ----------------------------------------------------------------------

function isTokenCredential(value) {
  return Boolean(value) && typeof value === "object" && typeof value.getToken === "function";
}

function isKeyCredential(value) {
  return Boolean(value) && typeof value === "object" && typeof value.key === "string" && value.getToken === undefined;
}

function assertValidEndpoint(host) {
  let url;
  try {
    url = new URL(host);
  } catch {
    throw new Error(`Invalid endpoint url ${host}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.host === "" || (url.pathname !== "" && url.pathname !== "/")) {
    throw new Error(`Invalid endpoint url ${host}`);
  }
}

/** Endpoint from (connection string) or (endpoint, credential), as the official client parses them. */
function parseClientArguments(connectionStringOrUrl, credential) {
  if (credential !== undefined) {
    assertValidEndpoint(connectionStringOrUrl);
    return connectionStringOrUrl;
  }
  const endpoint = endpointOfConnectionString(connectionStringOrUrl);
  if (endpoint === undefined && /^https?:\/\//i.test(connectionStringOrUrl)) {
    // An endpoint URL with no credential: nothing is signed in-process, so it is accepted.
    assertValidEndpoint(connectionStringOrUrl);
    return connectionStringOrUrl;
  }
  if (endpoint === undefined) {
    throw new Error(
      "Invalid connection string: expected \"endpoint=https://<resource>.communication.azure.com/;accesskey=<key>\" " +
        "(or call JobRouter(endpoint, credential) with a KeyCredential or TokenCredential)",
    );
  }
  assertValidEndpoint(endpoint);
  return endpoint;
}

// ---- URL and request building (as @azure-rest/core-client does it) -----------------------------

const PATH_PARAMETER = /\{\w+\}/;

const placeholderCounts = new Map();
function countPathParameters(template) {
  let count = placeholderCounts.get(template);
  if (count === undefined) {
    count = (template.match(/\{\w+\}/g) ?? []).length;
    if (placeholderCounts.size >= 1024) placeholderCounts.clear();
    placeholderCounts.set(template, count);
  }
  return count;
}

// Characters that the WHATWG URL parser copies unchanged into the path / the query of an http(s) URL.
const PLAIN_PATH = /^[A-Za-z0-9\-_.~!$&()*+,;=:@/%]*$/;
const PLAIN_QUERY = /^[A-Za-z0-9\-_.~!$&()*+,;=:@/%?]*$/;
// A segment the parser would resolve ("." or "..", also percent-encoded).
const DOT_SEGMENT = /(^|\/)(\.|%2e)/i;

/** True when `path` (no query) would come out of URL parsing exactly as it went in. */
function isPlainPath(path) {
  return PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path);
}

/**
 * The origin of `baseUrl` when the base is a bare origin ("https://host[:port][/]"): request URLs of such a client
 * can be built by concatenation. undefined otherwise (they are built with URL).
 */
function plainOrigin(baseUrl) {
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
 */
function plainTarget(url, origin) {
  if (!url.startsWith(origin) || url.charCodeAt(origin.length) !== 47 /* "/" */) return undefined;
  const rest = url.slice(origin.length);
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  if (!isPlainPath(path)) return undefined;
  if (q < 0) return path;
  const query = rest.slice(q + 1);
  if (!PLAIN_QUERY.test(query)) return undefined;
  return query === "" ? path : rest;
}

// A path template split at its placeholders ("/routing/jobs/{jobId}" -> ["/routing/jobs/", ""]), remembered.
const templatePieces = new Map();
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
 */
function fillTemplate(routePath, pathParameters, options) {
  const pieces = splitTemplate(routePath);
  // A raw value (skipUrlEncoding) may itself hold a placeholder that the next parameter then replaces: such
  // paths are filled step by step. Encoded values hold no braces, so filling the pieces in order is the same.
  if (options.skipUrlEncoding || pieces.length - 1 > pathParameters.length) {
    let path = routePath;
    for (const parameter of pathParameters) {
      const value = options.skipUrlEncoding ? String(parameter) : encodeURIComponent(parameter);
      path = path.replace(PATH_PARAMETER, () => value);
    }
    return path;
  }
  let path = pieces[0];
  for (let i = 1; i < pieces.length; i++) path += encodeURIComponent(pathParameters[i - 1]) + pieces[i];
  return path;
}

function buildRequestUrl(baseUrl, routePath, pathParameters, options, origin) {
  if (routePath.startsWith("https://") || routePath.startsWith("http://")) {
    return routePath;
  }
  const path = fillTemplate(routePath, pathParameters, options);
  if (origin !== undefined && options.queryParameters === undefined && isPlainPath(path)) {
    // What URL parsing and the duplicate-slash rule below give, without parsing.
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

function requestContentType(options) {
  return options.contentType ?? options.headers?.["content-type"] ?? defaultContentType(options.body);
}

/** The media type of a content-type value ("application/json; charset=utf-8" -> "application/json"). */
function mediaType(contentType) {
  const semicolon = contentType.indexOf(";");
  return semicolon < 0 ? contentType : contentType.slice(0, semicolon);
}

function serializeBody(body, contentType = "") {
  if (body === undefined) return undefined;
  const firstType = mediaType(contentType);
  if (firstType === "application/json") return JSON.stringify(body);
  if (ArrayBuffer.isView(body)) return body instanceof Uint8Array ? body : JSON.stringify(body);
  if (firstType === "text/plain") return String(body);
  if (typeof body === "string") return body;
  return JSON.stringify(body);
}

function bodyText(body) {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return createTextDecoder().decode(body);
  return String(body);
}

/** A deep copy of a JSON.parse result (own properties only; "__proto__" stays an own property, as JSON.parse makes it). */
function copyParsedJson(value) {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyParsedJson(value[i]);
    return out;
  }
  const out = {};
  for (const key of Object.keys(value)) {
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
let repeatedParse;  // undefined until the text is seen a second time; never handed out
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

function parseResponseBody(response) {
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

function buildPipelineRequest(method, url, options, allowInsecureConnection) {
  const contentType = requestContentType(options);
  const body = serializeBody(options.body, contentType);
  // The caller's headers, then accept and content-type over them (a later spelling of a name replaces an
  // earlier one and keeps its place, as with the official client's object spread).
  const headers = new HttpHeaders(options.headers);
  headers.set("accept", options.accept ?? options.headers?.accept ?? "application/json");
  if (body !== undefined && contentType) headers.set("content-type", contentType);
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
class Pipeline {
  constructor() {
    /** @type {{name: string, sendRequest: Function}[]} */
    this._policies = [];
  }
  addPolicy(policy, _options = {}) {
    if (!policy || typeof policy.sendRequest !== "function") {
      throw new TypeError("a pipeline policy needs a sendRequest(request, next) method");
    }
    this._policies.push(policy);
  }
  removePolicy(options = {}) {
    const removed = this._policies.filter((policy) => options.name !== undefined && policy.name === options.name);
    this._policies = this._policies.filter((policy) => !removed.includes(policy));
    return removed;
  }
  getOrderedPolicies() {
    return [...this._policies];
  }
  sendRequest(httpClient, request) {
    const policies = [...this._policies];
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
function plainHeaders(headers) {
  if (headers === null || typeof headers !== "object") return false;
  for (const name of Object.keys(headers)) {
    if (typeof headers[name] !== "string" || name !== name.toLowerCase()) return false;
  }
  return true;
}

/** The "HTTP client" at the end of the pipeline: sends the request to an emulator in-process. */
function emulatorHttpClient(ownKey, getOwnEmulator) {
  // request URL -> its plainTarget (null: must be parsed), for the URLs this client sends again and again
  const targets = new Map();
  const ownProtocol = ownKey.slice(0, ownKey.indexOf(":") + 1);
  return {
    sendRequest(request) {
      // The usual request (to this client's own endpoint, nothing to normalise) is not parsed.
      let known = targets.get(request.url);
      if (known === undefined) {
        known = plainTarget(request.url, ownKey) ?? null;
        if (targets.size >= 1024) targets.clear();
        targets.set(request.url, known);
      }
      const target = known ?? undefined;
      const url = target === undefined ? new URL(request.url) : undefined;
      const protocol = url ? url.protocol : ownProtocol;
      if (protocol !== "https:" && !request.allowInsecureConnection) {
        throw new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`);
      }
      if (request.abortSignal?.aborted) {
        const error = new Error("The operation was aborted.");
        error.name = "AbortError";
        throw error;
      }
      const key = url ? url.origin.toLowerCase() : ownKey;
      const emulator = key === ownKey ? getOwnEmulator() : lookupEmulator(key);
      if (!emulator) {
        throw new RestError(
          `jobrouter-emulator: no emulated resource at ${url.origin} (a request can only reach the ` +
            "endpoint of a client or of RouterEmulator.for())",
          { code: RestError.REQUEST_SEND_ERROR, request },
        );
      }
      const headers = request.headers.toJSON();
      return emulator
        .handle(request.method, target ?? `${url.pathname}${url.search}`, headers, bodyText(request.body))
        .then((response) => ({
          request,
          status: response.status,
          headers: plainHeaders(response.headers) ? HttpHeaders.fromLowerCase(response.headers) : createHttpHeaders(response.headers),
          bodyAsText: response.body,
        }));
    },
  };
}

function apiVersionPolicy(apiVersion) {
  return {
    name: "ClientApiVersionPolicy",
    sendRequest(request, next) {
      // A URL without a query or fragment has no api-version: append it without parsing the URL.
      if (apiVersion && !request.url.includes("?") && !request.url.includes("#")) {
        request.url = `${request.url}?api-version=${apiVersion}`;
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

// ---- the client factory ------------------------------------------------------------------------

/**
 * Creates a Job Router client served by the in-process emulator, like the official
 * `@azure-rest/communication-job-router` default export:
 * - `JobRouter(connectionString, options?)` with "endpoint=https://...;accesskey=...";
 * - `JobRouter(endpoint, credential, options?)` with a KeyCredential (`{key}`) or a TokenCredential
 *   (`{getToken}`); the credential is accepted and ignored.
 *
 * `options`: the official ClientOptions (`apiVersion`, default "2023-11-01"; `endpoint`/`baseUrl`
 * override; `allowInsecureConnection`; `additionalPolicies`; others accepted and ignored) plus
 * `emulator`: emulator options (`{clock, seed, startTime, checkApiVersion, errorShape}`) or a
 * RouterEmulator instance. Clients of the same endpoint share one emulated resource: see
 * RouterEmulator for what happens when two clients of one endpoint pass different options.
 *
 * @param {string} connectionStringOrEndpoint
 * @param {object} [credentialOrOptions]
 * @param {object} [maybeOptions]
 */
export function JobRouter(connectionStringOrEndpoint, credentialOrOptions, maybeOptions) {
  if (typeof connectionStringOrEndpoint !== "string") {
    throw new TypeError("JobRouter(connectionString | endpoint, ...): the first argument must be a string");
  }
  let credential;
  let options;
  if (isTokenCredential(credentialOrOptions) || isKeyCredential(credentialOrOptions)) {
    credential = credentialOrOptions;
    options = maybeOptions ?? {};
  } else {
    options = credentialOrOptions ?? maybeOptions ?? {};
  }
  const parsedEndpoint = parseClientArguments(connectionStringOrEndpoint, credential);
  const baseUrl = String(options.endpoint ?? options.baseUrl ?? parsedEndpoint);
  const key = normalizeEndpoint(baseUrl);
  const apiVersion = options.apiVersion === undefined ? DEFAULT_API_VERSION : options.apiVersion;
  const emulator = bindEmulator(key, options.emulator);
  const clientAllowInsecure = options.allowInsecureConnection;

  const pipeline = new Pipeline();
  pipeline.addPolicy(apiVersionPolicy(apiVersion));
  for (const { policy } of options.additionalPolicies ?? []) pipeline.addPolicy(policy);
  const httpClient = options.httpClient ?? emulatorHttpClient(key, () => emulator);
  const origin = plainOrigin(baseUrl);

  async function send(method, url, requestOptions) {
    const request = buildPipelineRequest(method, url, requestOptions, clientAllowInsecure);
    const response = await pipeline.sendRequest(httpClient, request);
    const rawHeaders = response.headers.toJSON();
    const parsedBody = parseResponseBody(response);
    if (typeof requestOptions.onResponse === "function") {
      requestOptions.onResponse({ ...response, request, rawHeaders, parsedBody });
    }
    return { request, headers: rawHeaders, status: `${response.status}`, body: parsedBody };
  }

  function resource(path, ...pathParameters) {
    if (typeof path !== "string") throw new TypeError("path(template, ...parameters): the template must be a string");
    const needed = path.startsWith("https://") || path.startsWith("http://") ? 0 : countPathParameters(path);
    if (pathParameters.length < needed) {
      throw new Error(
        `Missing path parameters for "${path}": it has ${needed} placeholder(s), ${pathParameters.length} value(s) given`,
      );
    }
    pathParameters.forEach((value, index) => {
      if (value === undefined || value === null) {
        throw new TypeError(`Path parameter ${index + 1} of "${path}" must not be undefined or null`);
      }
    });
    // This resource's URL when the options add no query and keep the URL-encoding (see requestUrl).
    let plainUrl;
    const memoizable = pathParameters.every((value) => typeof value === "string" || typeof value === "number");
    const methods = {};
    for (const verb of VERBS) {
      const method = verb.toUpperCase();
      methods[verb] = (requestOptions = {}) => {
        const options = requestOptions ?? {};
        let url;
        if (memoizable && options.queryParameters === undefined && !options.skipUrlEncoding) {
          url = plainUrl ??= requestUrl(path, pathParameters, options);
        } else {
          url = requestUrl(path, pathParameters, options);
        }
        return send(method, url, options);
      };
    }
    return methods;
  }

  function requestUrl(path, pathParameters, options) {
    return buildRequestUrl(baseUrl, path, pathParameters, options, origin);
  }

  return {
    path: resource,
    pathUnchecked: resource,
    pipeline,
    /** The emulated resource behind this client. */
    get emulator() {
      return emulator;
    },
  };
}

// ---- isUnexpected ------------------------------------------------------------------------------

/** Expected status codes per operation, as in the official client. */
const RESPONSE_MAP = {
  "PATCH /routing/classificationPolicies/{classificationPolicyId}": ["200", "201"],
  "GET /routing/classificationPolicies/{classificationPolicyId}": ["200"],
  "DELETE /routing/classificationPolicies/{classificationPolicyId}": ["204"],
  "GET /routing/classificationPolicies": ["200"],
  "PATCH /routing/distributionPolicies/{distributionPolicyId}": ["200", "201"],
  "GET /routing/distributionPolicies/{distributionPolicyId}": ["200"],
  "DELETE /routing/distributionPolicies/{distributionPolicyId}": ["204"],
  "GET /routing/distributionPolicies": ["200"],
  "PATCH /routing/exceptionPolicies/{exceptionPolicyId}": ["200", "201"],
  "GET /routing/exceptionPolicies/{exceptionPolicyId}": ["200"],
  "DELETE /routing/exceptionPolicies/{exceptionPolicyId}": ["204"],
  "GET /routing/exceptionPolicies": ["200"],
  "PATCH /routing/queues/{queueId}": ["200", "201"],
  "GET /routing/queues/{queueId}": ["200"],
  "DELETE /routing/queues/{queueId}": ["204"],
  "GET /routing/queues": ["200"],
  "PATCH /routing/jobs/{jobId}": ["200", "201"],
  "GET /routing/jobs/{jobId}": ["200"],
  "DELETE /routing/jobs/{jobId}": ["204"],
  "POST /routing/jobs/{jobId}:reclassify": ["200"],
  "POST /routing/jobs/{jobId}:cancel": ["200"],
  "POST /routing/jobs/{jobId}/assignments/{assignmentId}:complete": ["200"],
  "POST /routing/jobs/{jobId}/assignments/{assignmentId}:close": ["200"],
  "GET /routing/jobs": ["200"],
  "GET /routing/jobs/{jobId}/position": ["200"],
  "POST /routing/jobs/{jobId}/assignments/{assignmentId}:unassign": ["200"],
  "POST /routing/workers/{workerId}/offers/{offerId}:accept": ["200"],
  "POST /routing/workers/{workerId}/offers/{offerId}:decline": ["200"],
  "GET /routing/queues/{queueId}/statistics": ["200"],
  "PATCH /routing/workers/{workerId}": ["200", "201"],
  "GET /routing/workers/{workerId}": ["200"],
  "DELETE /routing/workers/{workerId}": ["204"],
  "GET /routing/workers": ["200"],
};

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** {method, segment matchers, expected statuses} for every entry of RESPONSE_MAP. */
const ROUTE_MATCHERS = Object.entries(RESPONSE_MAP).map(([key, statuses]) => {
  const space = key.indexOf(" ");
  const method = key.slice(0, space);
  const template = key.slice(space + 1);
  const segments = template.split("/").map((segment) => {
    const placeholder = /^\{\w+\}(.*)$/.exec(segment);
    // "{jobId}" matches any non-empty segment; "{jobId}:cancel" any segment ending in ":cancel".
    return placeholder ? new RegExp(`^.+${escapeRegExp(placeholder[1])}$`) : segment;
  });
  return { method, segments, statuses };
});

function expectedStatuses(method, pathname) {
  const exact = RESPONSE_MAP[`${method} ${pathname}`];
  if (exact) return exact;
  // A path matches at most one template of its method (same segment count, literal segments
  // equal, placeholders non-empty with the template's ":action" suffix).
  const parts = pathname.split("/");
  const route = ROUTE_MATCHERS.find(
    (candidate) =>
      candidate.method === method &&
      candidate.segments.length === parts.length &&
      candidate.segments.every((segment, index) =>
        typeof segment === "string" ? segment === parts[index] : segment.test(parts[index]),
      ),
  );
  return route ? route.statuses : [];
}

/**
 * true when the response's status is not one of the success statuses of its operation (found from
 * the request's method and URL, as the official isUnexpected does): PATCH upserts 200/201, GET 200,
 * DELETE 204, POST actions 200. A response of an unknown route is always unexpected.
 * @param {{status: string, headers: Record<string, string>, request: {method: string, url: string}}} response
 * @returns {boolean}
 */
export function isUnexpected(response) {
  const original = response.headers?.["x-ms-original-url"];
  const url = new URL(original ?? response.request.url);
  const method = String(response.request.method).toUpperCase();
  return !expectedStatuses(method, url.pathname).includes(response.status);
}
