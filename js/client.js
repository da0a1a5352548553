// @ts-check
// The REST-level client, shaped like @azure-rest/communication-job-router 1.0.0 on top of
// @azure-rest/core-client: JobRouter(...).path(template, ...params).get/put/patch/post/delete(options).
// Requests never leave the process: the last step of the pipeline hands them to a RouterEmulator. The
// core-client stand-ins (headers, pipeline, RestError, URLs) are in js/core-client.js; the operations and their
// success statuses come from js/generated/operations.js (npm run gen).

import { bindEmulator, endpointOfConnectionString, lookupEmulator, normalizeEndpoint } from "./emulator.js";
import {
  HttpHeaders,
  Pipeline,
  RestError,
  apiVersionPolicy,
  bodyText,
  buildPipelineRequest,
  buildRequestUrl,
  countPathParameters,
  createHttpHeaders,
  parseResponseBody,
  plainHeaders,
  plainOrigin,
  plainTarget,
  urlPathname,
} from "./core-client.js";
import { API_VERSION, OPERATIONS } from "./generated/operations.js";

/** @typedef {import("./core-client.js").RequestOptions} RequestOptions */
/** @typedef {import("./core-client.js").PipelineRequest} PipelineRequest */
/** @typedef {import("./core-client.js").PipelineResponse} PipelineResponse */
/** @typedef {import("./core-client.js").HttpClient} HttpClient */
/**
 * What the HTTP client needs of an emulator (RouterEmulator, see js/emulator.js).
 * @typedef {{handle(method: string, target: string, headers: Record<string, string>, body: string):
 *   Promise<{status: number, headers: Record<string, string>, body: string}>}} EmulatorLike
 */

export { RestError, createHttpHeaders, createRestError } from "./core-client.js";

/** The api-version the client adds to every request that has none. */
export const DEFAULT_API_VERSION = API_VERSION;

// ---- connection arguments ----------------------------------------------------------------------

/** @param {any} value */
function isTokenCredential(value) {
  return Boolean(value) && typeof value === "object" && typeof value.getToken === "function";
}

/** @param {any} value */
function isKeyCredential(value) {
  return Boolean(value) && typeof value === "object" && typeof value.key === "string" && value.getToken === undefined;
}

/** @param {string} host */
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

/**
 * Endpoint from (connection string) or (endpoint, credential), as the official client parses them.
 * @param {string} connectionStringOrUrl
 * @param {unknown} credential
 * @returns {string}
 */
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


/**
 * The "HTTP client" at the end of the pipeline: sends the request to an emulator in-process.
 * @param {string} ownKey the client's normalised endpoint
 * @param {() => EmulatorLike} getOwnEmulator
 * @returns {HttpClient}
 */
function emulatorHttpClient(ownKey, getOwnEmulator) {
  const ownProtocol = ownKey.slice(0, ownKey.indexOf(":") + 1);
  return {
    /** @param {PipelineRequest} request */
    sendRequest(request) {
      // The usual request (to this client's own endpoint, nothing to normalise) is not parsed.
      const target = plainTarget(request.url, ownKey);
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
      /** @type {EmulatorLike | undefined} */
      const emulator = key === ownKey ? getOwnEmulator() : lookupEmulator(key);
      if (!emulator) {
        throw new RestError(
          `jobrouter-emulator: no emulated resource at ${url?.origin} (a request can only reach the ` +
            "endpoint of a client or of RouterEmulator.for())",
          { code: RestError.REQUEST_SEND_ERROR, request },
        );
      }
      const headers = request.headers.toJSON();
      const pathAndQuery = target ?? `${url?.pathname}${url?.search}`;
      return emulator
        .handle(request.method, pathAndQuery, headers, bodyText(request.body))
        .then((response) => ({
          request,
          status: response.status,
          headers: plainHeaders(response.headers) ? HttpHeaders.fromLowerCase(response.headers) : createHttpHeaders(response.headers),
          bodyAsText: response.body,
        }));
    },
  };
}

// ---- the client factory ------------------------------------------------------------------------

/**
 * The credential and the options of `JobRouter(connectionString, options?)` or
 * `JobRouter(endpoint, credential, options?)`.
 * @param {any} credentialOrOptions
 * @param {any} maybeOptions
 * @returns {{credential: unknown, options: Record<string, any>}}
 */
function credentialAndOptions(credentialOrOptions, maybeOptions) {
  if (isTokenCredential(credentialOrOptions) || isKeyCredential(credentialOrOptions)) {
    return { credential: credentialOrOptions, options: maybeOptions ?? {} };
  }
  return { credential: undefined, options: credentialOrOptions ?? maybeOptions ?? {} };
}

/**
 * Throws unless `path` is a string with a value (neither undefined nor null) for each of its placeholders
 * (an absolute URL has none).
 * @param {unknown} path
 * @param {unknown[]} pathParameters
 */
function assertPathArguments(path, pathParameters) {
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
}

/**
 * The verb methods (get, put, patch, ...) of one resource of a client: `client.path(path, ...pathParameters)`.
 * @param {string} path
 * @param {unknown[]} pathParameters
 * @param {(path: string, pathParameters: unknown[], options: RequestOptions) => string} requestUrl
 * @param {(method: string, url: string, options: RequestOptions) => Promise<unknown>} send
 */
function resourceMethods(path, pathParameters, requestUrl, send) {
  // This resource's URL when the options add no query and keep the URL-encoding (see requestUrl).
  /** @type {string | undefined} */
  let plainUrl;
  const memoizable = pathParameters.every((value) => typeof value === "string" || typeof value === "number");
  /** @param {string} method @param {RequestOptions} requestOptions */
  const call = (method, requestOptions) => {
    const options = requestOptions ?? {};
    let url;
    if (memoizable && options.queryParameters === undefined && !options.skipUrlEncoding) {
      url = plainUrl ??= requestUrl(path, pathParameters, options);
    } else {
      url = requestUrl(path, pathParameters, options);
    }
    return send(method, url, options);
  };
  // One method per HTTP verb, as own properties (as the official client has them).
  return {
    get: (requestOptions = {}) => call("GET", requestOptions),
    post: (requestOptions = {}) => call("POST", requestOptions),
    put: (requestOptions = {}) => call("PUT", requestOptions),
    patch: (requestOptions = {}) => call("PATCH", requestOptions),
    delete: (requestOptions = {}) => call("DELETE", requestOptions),
    head: (requestOptions = {}) => call("HEAD", requestOptions),
    options: (requestOptions = {}) => call("OPTIONS", requestOptions),
    trace: (requestOptions = {}) => call("TRACE", requestOptions),
  };
}

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
 * @param {any} [credentialOrOptions]
 * @param {any} [maybeOptions]
 */
export function JobRouter(connectionStringOrEndpoint, credentialOrOptions, maybeOptions) {
  if (typeof connectionStringOrEndpoint !== "string") {
    throw new TypeError("JobRouter(connectionString | endpoint, ...): the first argument must be a string");
  }
  const { credential, options } = credentialAndOptions(credentialOrOptions, maybeOptions);
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

  /** @param {string} method @param {string} url @param {RequestOptions} requestOptions */
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

  /** @param {string} path @param {...unknown} pathParameters */
  function resource(path, ...pathParameters) {
    assertPathArguments(path, pathParameters);
    return resourceMethods(path, pathParameters, requestUrl, send);
  }

  /** @param {string} path @param {unknown[]} pathParameters @param {RequestOptions} options */
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

/**
 * Success statuses per "METHOD /route/template" (the official client's responseMap), from the generated
 * operations table.
 * @type {Record<string, readonly string[]>}
 */
const RESPONSE_MAP = Object.fromEntries(OPERATIONS.map((op) => [`${op.method} ${op.route}`, op.successStatuses]));

/**
 * One segment of a route template: a literal, or a placeholder ("{jobId}" matches any non-empty segment,
 * "{jobId}:cancel" any segment ending in ":cancel" with something before it).
 * @typedef {string | { suffix: string }} SegmentMatcher
 */

/** {method, segment matchers, expected statuses} for every entry of RESPONSE_MAP, in its order. */
const ROUTE_MATCHERS = Object.entries(RESPONSE_MAP).map(([key, statuses]) => {
  const space = key.indexOf(" ");
  const method = key.slice(0, space);
  const template = key.slice(space + 1);
  /** @type {SegmentMatcher[]} */
  const segments = template.split("/").map((segment) => {
    const placeholder = /^\{\w+\}(.*)$/.exec(segment);
    return placeholder ? { suffix: placeholder[1] } : segment;
  });
  return { method, segments, statuses };
});

/** @type {Map<string, typeof ROUTE_MATCHERS>} "METHOD segmentCount" -> ROUTE_MATCHERS' entries of it, in order */
const MATCHERS_BY_SHAPE = new Map();
for (const matcher of ROUTE_MATCHERS) {
  const shape = `${matcher.method} ${matcher.segments.length}`;
  MATCHERS_BY_SHAPE.set(shape, [...(MATCHERS_BY_SHAPE.get(shape) ?? []), matcher]);
}

// What a regular expression's "." does not match: a placeholder's part before its suffix has none of these.
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** @param {SegmentMatcher} segment @param {string} part */
function segmentMatches(segment, part) {
  if (typeof segment === "string") return segment === part;
  return part.length > segment.suffix.length && part.endsWith(segment.suffix) && !LINE_TERMINATOR.test(part);
}

/**
 * The statuses of the first template of `method` that `pathname` matches (same segment count, literal segments
 * equal, placeholders non-empty with the template's ":action" suffix); none for an unknown route.
 * @param {string} method @param {string} pathname @returns {readonly string[]}
 */
function matchedStatuses(method, pathname) {
  const parts = pathname.split("/");
  const candidates = MATCHERS_BY_SHAPE.get(`${method} ${parts.length}`) ?? [];
  const route = candidates.find((candidate) =>
    candidate.segments.every((segment, index) => segmentMatches(segment, parts[index])));
  return route ? route.statuses : [];
}

// A path that is itself a template ("/routing/jobs/{jobId}") has that template's statuses. For (nearly) every
// template, matching gives the same; the others are looked up by name first.
/** @type {Map<string, readonly string[]>} */
const TEMPLATES_MATCHED_OTHERWISE = new Map();
for (const [key, statuses] of Object.entries(RESPONSE_MAP)) {
  const space = key.indexOf(" ");
  if (matchedStatuses(key.slice(0, space), key.slice(space + 1)) !== statuses) TEMPLATES_MATCHED_OTHERWISE.set(key, statuses);
}

/** @param {string} method @param {string} pathname @returns {readonly string[]} */
function expectedStatuses(method, pathname) {
  if (TEMPLATES_MATCHED_OTHERWISE.size > 0) {
    const exact = TEMPLATES_MATCHED_OTHERWISE.get(`${method} ${pathname}`);
    if (exact) return exact;
  }
  return matchedStatuses(method, pathname);
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
  const pathname = urlPathname(original ?? response.request.url);
  const method = String(response.request.method).toUpperCase();
  return !expectedStatuses(method, pathname).includes(response.status);
}
