// Loads the WebAssembly core (js/generated/jobrouter-core.mjs, one ES module with the wasm
// embedded) once per JS realm.
//
// The module is imported and instantiated when this file is first imported (top-level await), so
// that everything built on it can be synchronous afterwards: a client's factory, the emulator's
// clock.now(), exportState() ... A missing or broken module does not make the import fail: the
// error is kept and thrown by the first operation that needs the core (a request rejects with it).
//
// Internal module: not part of the package's public API.

/** @typedef {{ Router: new (optionsJson: string) => CoreRouter }} CoreModule */
/**
 * The embind Router (see wasm/bindings.cpp).
 * @typedef {object} CoreRouter
 * @property {(method: string, pathAndQuery: string, headersJson: string, body: string) =>
 *   {status: number, headers: string, body: string}} handle
 * @property {() => string} now
 * @property {() => number} nowMillis
 * @property {(ms: number) => void} advance
 * @property {(iso: string) => boolean} setTime
 * @property {() => string} drainEvents
 * @property {() => string} exportState
 * @property {(state: string) => boolean} importState
 * @property {() => void} reset
 * @property {() => void} delete
 */

/** @type {(() => Promise<CoreModule>) | null} */
let customFactory = null;
/** @type {CoreModule | null} */
let loadedModule = null;
/** @type {Error | null} */
let loadError = null;
/** @type {Promise<CoreModule> | null} */
let loading = null;

async function importDefaultFactory() {
  const mod = await import("./generated/jobrouter-core.mjs");
  const factory = mod.default;
  if (typeof factory !== "function") {
    throw new TypeError("generated/jobrouter-core.mjs has no default export factory");
  }
  return factory();
}

/**
 * Loads (once) and returns the core module.
 * @returns {Promise<CoreModule>}
 */
export function loadCore() {
  if (loading === null) {
    const factory = customFactory;
    loading = (async () => (factory ? factory() : importDefaultFactory()))().then(
      (module) => {
        if (!module || typeof module.Router !== "function") {
          throw new TypeError("the core module has no Router class");
        }
        loadedModule = module;
        loadError = null;
        return module;
      },
      (cause) => {
        const error = new Error(
          "jobrouter-emulator: cannot load the WebAssembly core (js/generated/jobrouter-core.mjs): " +
            `${cause && cause.message ? cause.message : String(cause)}. ` +
            "In a source checkout, build it first (npm run build).",
          { cause },
        );
        loadError = error;
        throw error;
      },
    );
  }
  return loading;
}

/**
 * The loaded core module; throws the load error (or a "not loaded yet" error) when unavailable.
 * @returns {CoreModule}
 */
export function getCoreSync() {
  if (loadedModule) return loadedModule;
  if (loadError) throw loadError;
  throw new Error("jobrouter-emulator: the WebAssembly core is still loading; await emulator.ready() first");
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

// Preload, so that the synchronous parts of the API work as soon as the package is imported.
await loadCore().catch(() => {});
