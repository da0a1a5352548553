// Node's part of the core loader: zlib to decompress the embedded wasm synchronously, and Node's own text
// codecs (jest's jsdom environment, for one, has no TextEncoder among its globals). Imported by the package's
// `node` entry (js/node.js) and by the server; never by what browsers load.
//
// Internal module: not part of the package's public API.

import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { TextDecoder, TextEncoder } from "node:util";
import { usePlatform } from "./core-loader.js";
import { readWasmFile } from "./wasm-file.js";

// zlib is loaded when it is first needed (about 3 ms): the Node bundle reads the wasm from a file instead.
const requireBuiltin = createRequire("/");

usePlatform({
  name: "node",
  gunzipSync: (base64) => new Uint8Array(requireBuiltin("node:zlib").gunzipSync(Buffer.from(base64, "base64"))),
  readWasmFile,
  TextEncoder,
  TextDecoder,
});
