// @ts-check
// createEmulatorHttpClient: an HttpClient, as @azure/core-rest-pipeline defines it, that answers every
// request with a RouterEmulator in this JS realm. Pass it as the `httpClient` option of the official SDK
// (`@azure-rest/communication-job-router`, or getClient of `@azure-rest/core-client`): the SDK's own code
// (URL building, policies, HMAC signing, retries, deserialization) runs unchanged and only the transport
// is replaced.
//
//   import JobRouterClient from "@azure-rest/communication-job-router";
//   import { createEmulatorHttpClient } from "jobrouter-emulator";
//   const client = JobRouterClient(conn, { httpClient: createEmulatorHttpClient(conn) });
//
// Browser-safe: no Node built-in is imported (a Node stream for a streamed response body is made through
// process.getBuiltinModule when it exists), and the peer packages are not imported at all.

import { createTextDecoder, encodeText } from "./core-loader.js";
import { RouterEmulator } from "./emulator.js";

/** @typedef {import("./http-client.js").PipelineRequestLike & { timeout?: number }} PipelineRequest */
/** @typedef {import("./http-client.js").PipelineResponseLike} PipelineResponse */
/** @typedef {NonNullable<PipelineRequest["abortSignal"]>} AbortSignalLike */
/** @typedef {Pick<RouterEmulator, "handle">} EmulatorLike */

// ---- response headers ------------------------------------------------------------------------------

/** Case-insensitive headers with the members of core-rest-pipeline's HttpHeaders. */
class EmulatorHttpHeaders {
  /** @param {Record<string, string>} [raw] */
  constructor(raw) {
    /** @type {Map<string, {name: string, value: string}>} lower-case name -> name as set, value */
    this._map = new Map();
    if (raw) for (const name of Object.keys(raw)) this.set(name, raw[name]);
  }
  /** @param {string} name */
  get(name) {
    return this._map.get(String(name).toLowerCase())?.value;
  }
  /** @param {string} name */
  has(name) {
    return this._map.has(String(name).toLowerCase());
  }
  /**
   * @param {string} name
   * @param {string | number | boolean} value
   */
  set(name, value) {
    this._map.set(String(name).toLowerCase(), { name: String(name), value: String(value) });
  }
  /** @param {string} name */
  delete(name) {
    this._map.delete(String(name).toLowerCase());
  }
  /**
   * @param {{preserveCase?: boolean}} [options]
   * @returns {Record<string, string>}
   */
  toJSON(options = {}) {
    /** @type {Record<string, string>} */
    const result = {};
    for (const [key, entry] of this._map) result[options.preserveCase ? entry.name : key] = entry.value;
    return result;
  }
  toString() {
    return JSON.stringify(this.toJSON({ preserveCase: true }));
  }
  /** @returns {Generator<[string, string]>} */
  *[Symbol.iterator]() {
    for (const [key, entry] of this._map) yield [key, entry.value];
  }
}

// ---- request pieces --------------------------------------------------------------------------------

/**
 * The request's headers as a plain object with lower-case names and string values.
 * @param {unknown} headers an HttpHeaders object, an iterable of [name, value] or a plain object
 * @returns {Record<string, string>}
 */
function requestHeaders(headers) {
  /** @type {Record<string, string>} */
  const out = {};
  if (headers === undefined || headers === null) return out;
  if (typeof headers !== "object") throw new TypeError("request.headers must be an HttpHeaders object");
  const source = /** @type {{ toJSON?: unknown, [Symbol.iterator]?: unknown, [name: string]: unknown }} */ (headers);
  if (typeof source.toJSON === "function") {
    const json = source.toJSON();
    for (const name of Object.keys(json)) out[name.toLowerCase()] = String(json[name]);
    return out;
  }
  if (typeof source[Symbol.iterator] === "function") {
    for (const [name, value] of /** @type {Iterable<[unknown, unknown]>} */ (source)) out[String(name).toLowerCase()] = String(value);
    return out;
  }
  for (const name of Object.keys(source)) out[name.toLowerCase()] = String(source[name]);
  return out;
}

/** @type {TextDecoder | null} made on first use (jest's jsdom environment has no global TextDecoder) */
let sharedDecoder = null;
const decoder = {
  /** @param {Uint8Array} bytes */
  decode(bytes) {
    sharedDecoder ??= createTextDecoder();
    return sharedDecoder.decode(bytes);
  },
};

/**
 * @param {any} value
 * @returns {value is Blob}
 */
function isBlob(value) {
  return (
    (typeof Blob === "function" && value instanceof Blob) ||
    (typeof value === "object" && value !== null && typeof value.arrayBuffer === "function" &&
      typeof value.text === "function" && typeof value.stream === "function")
  );
}

/** @param {unknown} value */
function isFormData(value) {
  return typeof FormData === "function" && value instanceof FormData;
}

/**
 * Bytes or text of one stream chunk, as text (a chunk may end in the middle of a UTF-8 sequence).
 * @param {{ text: string, decoder: TextDecoder }} state
 * @param {unknown} chunk
 */
function appendChunk(state, chunk) {
  if (typeof chunk === "string") {
    state.text += state.decoder.decode() + chunk;  // flush pending bytes first
  } else if (chunk instanceof ArrayBuffer) {
    state.text += state.decoder.decode(new Uint8Array(chunk), { stream: true });
  } else if (ArrayBuffer.isView(chunk)) {
    state.text += state.decoder.decode(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), { stream: true });
  } else {
    throw new TypeError(`a request body stream gave a chunk of an unsupported type (${typeof chunk})`);
  }
}

/**
 * Reads a web ReadableStream or a Node readable stream (any async iterable of bytes or strings) to text.
 * @param {any} stream
 * @param {AbortSignalLike | undefined} abortSignal
 * @returns {Promise<string>}
 */
async function readStream(stream, abortSignal) {
  const state = { text: "", decoder: createTextDecoder() };
  if (typeof stream.getReader === "function") {
    const reader = stream.getReader();
    try {
      for (;;) {
        throwIfAborted(abortSignal);
        const { done, value } = await reader.read();
        if (done) break;
        appendChunk(state, value);
      }
    } finally {
      reader.releaseLock?.();
    }
  } else {
    for await (const chunk of stream) {
      throwIfAborted(abortSignal);
      appendChunk(state, chunk);
    }
  }
  return state.text + state.decoder.decode();
}

/** @param {any} value */
function isStream(value) {
  return (
    typeof value === "object" && value !== null &&
    (typeof value.getReader === "function" || typeof value[Symbol.asyncIterator] === "function")
  );
}

/**
 * The request body as text: a string, bytes (ArrayBuffer or a view), a Blob, a web or Node stream, or a
 * function returning a stream; undefined and null are an empty body.
 * @param {PipelineRequest} request
 * @returns {string | Promise<string>}
 */
function requestBodyText(request) {
  if (request.multipartBody !== undefined || request.formData !== undefined) {
    throw new TypeError(
      "jobrouter-emulator: multipart and form-data request bodies are not supported (the Job Router API takes JSON)",
    );
  }
  /** @type {any} */
  let body = request.body;
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body));
  if (ArrayBuffer.isView(body)) return decoder.decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  if (isBlob(body)) return body.text();
  if (typeof body === "function") body = body();
  if (isStream(body)) return readStream(body, request.abortSignal);
  if (isFormData(body)) {
    throw new TypeError("jobrouter-emulator: FormData request bodies are not supported (the Job Router API takes JSON)");
  }
  const kind = body === null ? "null" : typeof body === "object" ? (body.constructor?.name ?? "object") : typeof body;
  throw new TypeError(
    `jobrouter-emulator: unsupported request body type (${kind}); expected a string, an ArrayBuffer or typed array, ` +
      "a Blob, a ReadableStream / Node stream, or a function returning a stream",
  );
}

/** @param {string} [message] */
function abortError(message = "The operation was aborted.") {
  const error = new Error(message);
  error.name = "AbortError";
  return error;
}

/** @param {AbortSignalLike | undefined} signal */
function throwIfAborted(signal) {
  if (signal && signal.aborted) throw abortError();
}

/**
 * Settles with `promise`, or rejects with an AbortError as soon as `signal` fires or `timeoutMs` (wall clock, when
 * > 0) passes, as the SDK's own transports do: the emulator may have served the request all the same, as a server
 * may have when a connection is dropped.
 * @template T
 * @param {Promise<T>} promise
 * @param {AbortSignalLike | undefined} signal
 * @param {number | undefined} timeoutMs
 * @returns {Promise<T>}
 */
function raceAbort(promise, signal, timeoutMs) {
  const abortable = signal && typeof signal.addEventListener === "function";
  const timed = typeof timeoutMs === "number" && timeoutMs > 0 && Number.isFinite(timeoutMs);
  if (!abortable && !timed) return promise;
  return new Promise((resolve, reject) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const onAbort = () => {
      cleanup();
      reject(abortError("The operation was aborted. Rejecting from abort signal callback."));
    };
    const cleanup = () => {
      if (abortable) signal.removeEventListener?.("abort", onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };
    if (abortable) signal.addEventListener?.("abort", onAbort, { once: true });  // abortable: addEventListener is a function
    if (timed) {
      timer = setTimeout(() => {
        cleanup();
        reject(abortError(`The operation was aborted: the request timed out after ${timeoutMs} ms.`));
      }, timeoutMs);
    }
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error) => {
        cleanup();
        reject(error);
      },
    );
  });
}

// ---- streamed responses ----------------------------------------------------------------------------

/**
 * @param {PipelineRequest} request
 * @param {number} status
 */
function wantsStream(request, status) {
  const codes = request.streamResponseStatusCodes;
  if (!codes || typeof codes.has !== "function") return false;
  return codes.has(Number.POSITIVE_INFINITY) || codes.has(status);
}

/**
 * A Node Readable of `bytes` when Node's stream module is reachable without an import, else undefined.
 * @param {Uint8Array} bytes
 * @returns {any}
 */
function nodeReadable(bytes) {
  // Read without Node's types: the file is checked for browsers too.
  const nodeGlobal = /** @type {{ process?: { getBuiltinModule?: unknown } }} */ (/** @type {unknown} */ (globalThis));
  const getBuiltin = nodeGlobal.process?.getBuiltinModule;
  if (typeof getBuiltin !== "function") return undefined;
  /** @type {any} */
  let Readable;
  try {
    Readable = getBuiltin("node:stream")?.Readable;
  } catch {
    return undefined;
  }
  if (typeof Readable !== "function") return undefined;
  let pushed = false;
  return new Readable({
    /** @this {{ push(chunk: Uint8Array | null): boolean }} */
    read() {
      if (!pushed && bytes.length > 0) this.push(bytes);
      pushed = true;
      this.push(null);
    },
  });
}

/**
 * @param {Uint8Array} bytes
 * @returns {ReadableStream<Uint8Array> | undefined}
 */
function webStream(bytes) {
  if (typeof ReadableStream !== "function") return undefined;
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * Sets the streamed body members of `response` as core-rest-pipeline's own clients would.
 * @param {PipelineResponse} response
 * @param {PipelineRequest} request
 * @param {string} text
 */
function attachStream(response, request, text) {
  const bytes = encodeText(text);
  const readable = nodeReadable(bytes);
  if (readable) {
    response.readableStreamBody = readable;
    return;
  }
  if (request.enableBrowserStreams || typeof Blob !== "function") {
    const stream = webStream(bytes);
    if (stream) {
      response.browserStreamBody = stream;
      return;
    }
  }
  if (typeof Blob === "function") {
    response.blobBody = Promise.resolve(new Blob([bytes], { type: response.headers.get("content-type") ?? "" }));
    return;
  }
  response.bodyAsText = text;  // no stream type in this environment: the text is all there is
}

// ---- the client ------------------------------------------------------------------------------------

/**
 * true for a RouterEmulator, or anything serving REST calls through the same handle() method.
 * @param {unknown} value
 * @returns {value is EmulatorLike}
 */
function isEmulatorLike(value) {
  return typeof value === "object" && value !== null && typeof (/** @type {{ handle?: unknown }} */ (value).handle) === "function";
}

/**
 * The emulator a target string names; a TypeError saying what was expected when it names none.
 * @param {string} target
 */
function emulatorOfString(target) {
  try {
    return RouterEmulator.for(target);
  } catch (error) {
    throw new TypeError(
      `createEmulatorHttpClient(target): ${JSON.stringify(target)} is neither an endpoint URL ` +
        "(https://<resource>.communication.azure.com/) nor a connection string " +
        `("endpoint=https://<resource>.communication.azure.com/;accesskey=<key>"): ${/** @type {Error | undefined} */ (error)?.message ?? error}`,
    );
  }
}

/**
 * An HttpClient (`{ sendRequest(request) }`, as @azure/core-rest-pipeline defines it) served by an in-process
 * emulator instead of the network.
 *
 * `target`:
 * - a RouterEmulator: every request goes to it, whatever its URL's host;
 * - an endpoint URL or a connection string ("endpoint=https://x.communication.azure.com/;accesskey=..."):
 *   every request goes to that endpoint's shared emulator (`RouterEmulator.for(target)`, the one the
 *   `JobRouter(conn)` clients of that endpoint use; made again if it is disposed);
 * - omitted: each request goes to the shared emulator of its own URL's origin.
 *
 * Authentication headers are accepted and not checked. `http:` URLs need `allowInsecureConnection`, as with the
 * SDK's own transports. A request whose abortSignal is (or becomes) aborted, or whose `timeout` (ms, wall clock)
 * passes before the emulator answers (injected latency), rejects with an error named "AbortError". Streamed responses (`streamResponseStatusCodes`) get `readableStreamBody` in Node, and
 * `browserStreamBody` or `blobBody` elsewhere.
 *
 * @param {RouterEmulator | EmulatorLike | string | null} [target]
 * @returns {{ sendRequest(request: PipelineRequest): Promise<PipelineResponse> }}
 */
export function createEmulatorHttpClient(target) {
  /** @type {(url: URL) => EmulatorLike} */
  let resolveEmulator;
  if (target === undefined || target === null) {
    resolveEmulator = (url) => RouterEmulator.for(url.origin);
  } else if (typeof target === "string") {
    let current = emulatorOfString(target);
    resolveEmulator = () => {
      if (current.disposed) current = RouterEmulator.for(target);
      return current;
    };
  } else if (isEmulatorLike(target)) {
    resolveEmulator = () => target;
  } else {
    const kind = Array.isArray(target) ? "an array" : typeof target === "object" ? "an object without handle()" : `a ${typeof target}`;
    throw new TypeError(
      "createEmulatorHttpClient(target): target must be a RouterEmulator, an endpoint URL, a connection string " +
        `or omitted; got ${kind}`,
    );
  }

  /**
   * @param {PipelineRequest} request
   * @returns {Promise<PipelineResponse>}
   */
  async function sendRequest(request) {
    if (request === null || typeof request !== "object") {
      throw new TypeError("sendRequest(request): request must be a PipelineRequest object");
    }
    const signal = request.abortSignal;
    throwIfAborted(signal);
    let url;
    try {
      url = new URL(String(request.url));
    } catch {
      throw new TypeError(`sendRequest(request): request.url is not an absolute URL: ${String(request.url)}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`sendRequest(request): only http(s) URLs can be served, got ${url.protocol}`);
    }
    if (url.protocol === "http:" && !request.allowInsecureConnection) {
      throw new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`);
    }
    const method = typeof request.method === "string" && request.method !== "" ? request.method.toUpperCase() : "GET";
    const headers = requestHeaders(request.headers);
    const body = await requestBodyText(request);
    throwIfAborted(signal);
    if (typeof request.onUploadProgress === "function") {
      request.onUploadProgress({ loadedBytes: encodeText(body).length });
    }
    const emulator = resolveEmulator(url);
    const result = await raceAbort(
      Promise.resolve(emulator.handle(method, `${url.pathname}${url.search}`, headers, body)),
      signal,
      request.timeout,
    );
    const text = result.body ?? "";
    /** @type {PipelineResponse} */
    const response = {
      request,
      status: Number(result.status),
      headers: new EmulatorHttpHeaders(result.headers),
    };
    if (wantsStream(request, response.status)) {
      attachStream(response, request, text);
    } else {
      response.bodyAsText = text;
    }
    if (typeof request.onDownloadProgress === "function") {
      request.onDownloadProgress({ loadedBytes: encodeText(text).length });
    }
    return response;
  }

  return { sendRequest };
}
