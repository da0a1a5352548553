// @ts-check
// The WebAssembly core as a file beside the code, for the synchronous load under Node: none in the unbundled
// package (the core is read from js/generated/jobrouter-core.js, where it is embedded gzip-compressed). The Node
// bundle (scripts/build-node-esm.mjs) replaces this module with one that reads js/bundle/jobrouter-core.wasm, so a
// cold start skips loading zlib and decompressing (about 6 ms); it returns null when the file is not there (the
// bundle bundled again by a tool that left the file behind), and the embedded copy is used.
//
// Internal module: not part of the package's public API.

/** @returns {Uint8Array | null} the wasm's bytes, or null when there is no such file */
export function readWasmFile() {
  return null;
}
