// @ts-check
// The WebAssembly core as a file, for the synchronous load under Node: none in the unbundled package (the core is
// read from js/generated/jobrouter-core.js, where it is embedded gzip-compressed). The Node bundle
// (scripts/build-node-esm.mjs) and the CommonJS build (scripts/build-cjs.mjs) replace this module with one that
// reads js/bundle/jobrouter-core.wasm (scripts/wasm-file-module.mjs), so a cold start skips loading zlib and
// decompressing (about 6 ms), and that keeps the embedded copy out of the code a cold start parses (about 3 ms
// more): in a module of its own, loaded only when no wasm file is found.
//
// Internal module: not part of the package's public API.

/** @returns {Uint8Array | null} the wasm's bytes, or null when there is no such file */
export function readWasmFile() {
  return null;
}

/** @returns {boolean} whether readWasmFile() finds a file */
export function hasWasmFile() {
  return false;
}

/**
 * The embedded copy (gzip, base64) synchronously where the loaded code does not hold it: a function in the CommonJS
 * build (which keeps it in a module of its own), null here and in the Node bundle.
 * @type {(() => string) | null}
 */
export const embeddedWasmSync = null;

/** @returns {Promise<string>} the embedded copy where the loaded code does not hold it (never, unbundled) */
export function embeddedWasm() {
  return Promise.reject(new Error("the unbundled package holds its embedded copy in js/generated/jobrouter-core.js"));
}
