// @ts-check
// @ts-check
// Loads the WebAssembly core (js/generated/jobrouter-core.js: Emscripten's glue with the wasm embedded,
// gzip-compressed) once per JS realm, on first use.
//
// Nothing happens when the package is imported: no top-level await (so the package works from require(),
// in every bundler and under jest), no Node built-in (so browser bundles need no configuration).
// - Under Node the package's `node` entry (js/node.js) first imports js/node-platform.js, which hands this
//   file zlib and Node's text codecs: the core then loads synchronously the first time something needs it
//   (a client's request, clock.now(), exportState() ...), which takes a few tens of milliseconds once.
// - Elsewhere (browsers, web workers, a bundle of any kind) the core loads asynchronously with the web
//   platform's DecompressionStream and WebAssembly.instantiate: the first request waits for it, and the
//   synchronous calls (clock.now(), exportState() ...) throw a clear error until it is there
//   (`await emulator.ready()` waits for it).
// A missing or broken module never fails the import: the error is kept and thrown by the first operation
// that needs the core (a request rejects with it).
//
// Internal module: not part of the package's public API.

import createJobRouterCore, { wasmGzipBase64 } from "./generated/jobrouter-core.js";

/**
 * The loaded Emscripten module (wasm/bindings.cpp). Only js/core-adapter.js and js/core-channel.js call into it.
 * @typedef {object} CoreModule
 * @property {new (optionsJson: string) => EmbindRouter} Router
 * @property {() => string} requestHeaderNames JSON array of the request headers the core reads
 * @property {() => string} jsonTapeKinds JSON object of the JSON tape's entry kinds (core/util/json_tape.hpp)
 * @property {Uint8Array} HEAPU8 the module's memory (a new view after the memory grows)
 * @property {Int32Array} HEAP32 the same memory as 32-bit words
 */
/**
 * The embind Router (see wasm/bindings.cpp).
 * @typedef {object} EmbindRouter
 * @property {(method: string, pathAndQuery: string, headersJson: string, body: string) => EmbindResponse} handle
 * @property {(bytes: number) => number} inputBuffer
 * @property {(bytes: number) => boolean} importStateBuffered importState() of the UTF-8 bytes written at
 *   inputBuffer's address; the input buffer is released afterwards
 * @property {(...lengths: number[]) => number} handleBuffered
 * @property {() => number} drainEventsBuffered
 * @property {() => number} drainEventsTape
 * @property {() => number} drainRuleRequestsBuffered
 * @property {() => number} stateVersionAddress
 * @property {() => number} stateVersion
 * @property {() => string} now
 * @property {() => number} nowMillis
 * @property {(ms: number) => void} advance
 * @property {(iso: string) => boolean} setTime
 * @property {() => number} nextDueMillis
 * @property {(jobId: string) => string} explain
 * @property {(requestJson: string) => string} evaluateRule
 * @property {(jobId: string, reason: string) => EmbindResponse} failScheduling
 * @property {(status: number, code: string, message: string, target: string) => EmbindResponse} errorResponse
 * @property {() => string} drainRuleRequests
 * @property {(requestId: string, valueJson: string, error: string) => boolean} answerRuleRequest
 * @property {() => string} drainEvents
 * @property {() => string} exportState
 * @property {(state: string | Uint8Array) => boolean} importState
 * @property {() => void} reset
 * @property {() => void} delete
 */
/** @typedef {{ status: number, headers: string, body: string }} EmbindResponse */

/**
 * What the runtime gives the loader. The default is the web platform's; js/node-platform.js replaces
 * `gunzipSync` and the text codecs with Node's.
 * @typedef {object} Platform
 * @property {string} name
 * @property {((base64: string) => Uint8Array) | null} gunzipSync decompresses synchronously (null: only async)
 * @property {() => Uint8Array | null} readWasmFile the wasm from a file (js/wasm-file.js: the Node bundle's), or
 *   null: the embedded copy is used
 * @property {() => boolean} hasWasmFile whether readWasmFile finds a file (the Node bundle's reads it once and
 *   keeps the bytes for readWasmFile)
 * @property {() => Promise<string>} embeddedWasm the embedded copy (gzip, base64) where the code does not hold it
 *   (the Node bundle keeps it in a chunk of its own, imported only when the wasm file is missing)
 * @property {(() => string) | null} embeddedWasmSync the same copy synchronously, where that can be had (the CommonJS
 *   build's module of its own, required only when the wasm file is missing); null elsewhere
 * @property {typeof TextEncoder | undefined} TextEncoder
 * @property {typeof TextDecoder | undefined} TextDecoder
 */

/**
 * A Node built-in module found at run time through process.getBuiltinModule (Node >= 20.16 / 22.3), with no
 * import a bundler would follow: the web platform's fallback where a test environment that runs on Node
 * hides the web APIs (jest's jsdom environment has neither TextEncoder nor DecompressionStream).
 * @param {string} name
 * @returns {any}
 */
function nodeBuiltin(name) {
  const process = /** @type {any} */ (globalThis).process;
  if (!process || typeof process.getBuiltinModule !== "function") return undefined;
  try {
    return process.getBuiltinModule(name);
  } catch {
    return undefined;
  }
}

/** @type {Platform} */
const platform = {
  name: "web",
  gunzipSync: null,
  readWasmFile: () => null,
  hasWasmFile: () => false,
  embeddedWasm: () => Promise.reject(new Error("this build holds no embedded copy of the core")),
  embeddedWasmSync: null,
  TextEncoder: globalThis.TextEncoder ?? nodeBuiltin("node:util")?.TextEncoder,
  TextDecoder: globalThis.TextDecoder ?? nodeBuiltin("node:util")?.TextDecoder,
};

/** @type {(() => Promise<CoreModule>) | null} */
let customFactory = null;
/** @type {CoreModule | null} */
let loadedModule = null;
/** @type {Error | null} */
let loadError = null;
/** @type {Promise<CoreModule> | null} */
let loading = null;

/**
 * Replaces parts of the platform (js/node-platform.js calls it when the package is imported under Node).
 * @param {Partial<Platform>} parts
 */
export function usePlatform(parts) {
  Object.assign(platform, parts);
}

/** @returns {Readonly<Platform>} */
export function currentPlatform() {
  return platform;
}

/**
 * A new TextDecoder (UTF-8) of the platform: the global one, or Node's where a test environment hides it.
 * @param {TextDecoderOptions} [options]
 * @returns {TextDecoder}
 */
export function createTextDecoder(options) {
  if (typeof platform.TextDecoder !== "function") throw new Error("jobrouter-emulator: this runtime has no TextDecoder");
  return new platform.TextDecoder("utf-8", options);
}

/** @type {TextEncoder | null} */
let sharedEncoder = null;

/**
 * The UTF-8 bytes of a text, with the platform's TextEncoder.
 * @param {string} text
 */
export function encodeText(text) {
  if (sharedEncoder === null) {
    if (typeof platform.TextEncoder !== "function") throw new Error("jobrouter-emulator: this runtime has no TextEncoder");
    sharedEncoder = new platform.TextEncoder();
  }
  return sharedEncoder.encode(text);
}

/** @param {string} text */
function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * @param {string} base64
 * @returns {Promise<Uint8Array>}
 */
async function gunzipAsync(base64) {
  if (typeof DecompressionStream !== "function") {
    const zlib = nodeBuiltin("node:zlib");
    if (zlib) return new Uint8Array(zlib.gunzipSync(base64Bytes(base64)));
    throw new Error(
      "this runtime has no DecompressionStream (a current browser, Node >= 18 or Deno is needed; under jest's " +
        "jsdom environment use the package through require(), which loads Node's zlib)",
    );
  }
  const stream = new Blob([base64Bytes(base64)]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Checks what a factory produced and makes it the loaded module.
 * @param {any} module
 * @returns {CoreModule}
 */
function accept(module) {
  if (!module || typeof module.Router !== "function") {
    throw new TypeError("the core module has no Router class");
  }
  loadedModule = module;
  loadError = null;
  return module;
}

/** @param {any} cause */
function failed(cause) {
  const error = new Error(
    "jobrouter-emulator: cannot load the WebAssembly core (js/generated/jobrouter-core.js): " +
      `${cause && cause.message ? cause.message : String(cause)}. ` +
      "In a source checkout, build it first (npm run build).",
    { cause },
  );
  loadError = error;
  return error;
}

/**
 * The wasm's bytes: the platform's file (the Node bundle's and the CommonJS build's), else the embedded copy (this
 * code's, or the CommonJS build's module of its own) decompressed.
 * (One statement per source on purpose: Vite's minifier copied the 300 KB string into a `file ?? gunzip(string)`.)
 * @param {(base64: string) => Uint8Array} gunzipSync
 * @returns {Uint8Array}
 */
function embeddedOrFileWasm(gunzipSync) {
  const fromFile = platform.readWasmFile();
  if (fromFile !== null) return fromFile;
  if (wasmGzipBase64 !== null) return gunzipSync(wasmGzipBase64);
  if (platform.embeddedWasmSync === null) throw new Error("the wasm file is missing and this build embeds no copy of it");
  return gunzipSync(platform.embeddedWasmSync());
}

/**
 * Whether the wasm can be had synchronously: Node's zlib and the embedded copy, or a wasm file. The Node bundle
 * holds no embedded copy in the code it loads (parsing the 320 KB text took about 3 ms of every cold start): where
 * a tool bundled it again and left its wasm file behind, the core loads asynchronously from the chunk that has it.
 * The CommonJS build requires its module of the copy instead: synchronous either way.
 */
function wasmSyncAvailable() {
  return platform.gunzipSync !== null &&
    (wasmGzipBase64 !== null || platform.embeddedWasmSync !== null || platform.hasWasmFile());
}

/**
 * Instantiates the module synchronously (Node: the wasm file of the Node bundle, else the embedded copy through
 * zlib; then a synchronous compile; V8 compiles
 * function bodies lazily, on first call). Emscripten's factory fills the object it is given as its Module,
 * and with a synchronous instantiateWasm the runtime (embind's classes included) is ready when it returns.
 */
function instantiateSync() {
  const gunzipSync = platform.gunzipSync;
  if (gunzipSync === null) throw new Error("this runtime cannot load the core synchronously (await emulator.ready())");
  const wasmBinary = embeddedOrFileWasm(gunzipSync);
  /** @type {any} */
  const module = {
    wasmBinary,
    /**
     * @param {WebAssembly.Imports} imports
     * @param {(instance: WebAssembly.Instance, module: WebAssembly.Module) => void} receiveInstance
     */
    instantiateWasm(imports, receiveInstance) {
      const compiled = new WebAssembly.Module(/** @type {Uint8Array<ArrayBuffer>} */ (wasmBinary));
      const instance = new WebAssembly.Instance(compiled, imports);
      receiveInstance(instance, compiled);
      return instance.exports;
    },
  };
  createJobRouterCore(module).catch(() => {});  // its result is `module` itself; failures throw below
  return accept(module);
}

/**
 * The embedded copy: this code's, else the platform's chunk (the Node bundle's). (No `wasmGzipBase64 ?? …`:
 * minifiers fold that into a second copy of the 320 KB text.)
 * @returns {Promise<string>}
 */
function embeddedWasm() {
  if (wasmGzipBase64 === null) return platform.embeddedWasm();
  return Promise.resolve(wasmGzipBase64);
}

async function instantiateAsync() {
  if (wasmSyncAvailable()) return instantiateSync();
  const base64 = await embeddedWasm();
  const gunzipSync = platform.gunzipSync;
  const wasmBinary = gunzipSync !== null ? gunzipSync(base64) : await gunzipAsync(base64);
  return accept(await createJobRouterCore({ wasmBinary }));
}

/**
 * Loads (once) and returns the core module.
 * @returns {Promise<CoreModule>}
 */
export function loadCore() {
  if (loadedModule) return Promise.resolve(loadedModule);
  if (loading === null) {
    const factory = customFactory;
    loading = (async () => (factory ? accept(await factory()) : instantiateAsync()))().catch((cause) => {
      throw loadError && loadError.cause === cause ? loadError : failed(cause);
    });
  }
  return loading;
}

/** true when the core can be loaded synchronously here (Node, through the package's node entry). */
export function canLoadSync() {
  return loadedModule !== null || (customFactory === null && loadError === null && wasmSyncAvailable());
}

/**
 * The loaded core module, loading it now where that can be done synchronously; throws the load error,
 * or an error that says to await ready() where the core can only load asynchronously and has not yet.
 * @returns {CoreModule}
 */
export function getCoreSync() {
  if (loadedModule) return loadedModule;
  if (loadError) throw loadError;
  if (canLoadSync()) {
    try {
      const module = instantiateSync();
      loading = Promise.resolve(module);
      return module;
    } catch (cause) {
      const error = failed(cause);
      loading = Promise.reject(error);
      loading.catch(() => {});
      throw error;
    }
  }
  loadCore().catch(() => {});
  throw new Error(
    "jobrouter-emulator: the WebAssembly core is still loading (it loads asynchronously in a browser, and under " +
      "Node when its wasm file is not found): " +
      "await emulator.ready() — or any request — before calling clock.now(), exportState(), importState(), " +
      "explain() or reset()",
  );
}

/** @returns {boolean} true once the core module is loaded. */
export function isCoreLoaded() {
  return loadedModule !== null;
}

/**
 * Test hook: replaces the module factory (`null` restores the real module) and loads it.
 * Emulators created earlier keep the Router they already made.
 * @param {(() => Promise<CoreModule> | CoreModule) | null} factory
 * @returns {Promise<CoreModule>}
 */
export function setCoreFactory(factory) {
  customFactory = factory ? async () => factory() : null;
  loadedModule = null;
  loadError = null;
  loading = null;
  return loadCore();
}
