// @ts-check
// The package's entry under Node (the `node` condition of package.json's exports; the CommonJS build is made
// from this file too): the same API as js/index.js, with the WebAssembly core loaded synchronously through
// Node's zlib on first use.

import "./node-platform.js";

export * from "./index.js";
export { default } from "./index.js";
