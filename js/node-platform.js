// Node's part of the core loader: zlib to decompress the embedded wasm synchronously, and Node's own text
// codecs (jest's jsdom environment, for one, has no TextEncoder among its globals). Imported by the package's
// `node` entry (js/node.js) and by the server; never by what browsers load.
//
// Internal module: not part of the package's public API.

import { createRequire } from "node:module";
import { usePlatform } from "./core-loader.js";
import { embeddedWasm, embeddedWasmSync, hasWasmFile, readWasmFile } from "./wasm-file.js";

// Node's built-ins through require(), not `import`: an ES-module import of one evaluates every export it has
// (node:util's and node:buffer's pull in streams, MIME and more), milliseconds of a cold start. zlib is loaded
// only when it is needed (the Node bundle reads the wasm from a file instead).
const requireBuiltin = createRequire("/");
const { TextDecoder, TextEncoder } = requireBuiltin("node:util");

usePlatform({
  name: "node",
  gunzipSync: (base64) =>
    new Uint8Array(requireBuiltin("node:zlib").gunzipSync(requireBuiltin("node:buffer").Buffer.from(base64, "base64"))),
  readWasmFile,
  hasWasmFile,
  embeddedWasm,
  embeddedWasmSync,
  TextEncoder,
  TextDecoder,
});
