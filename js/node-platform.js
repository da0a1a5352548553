// Node's part of the core loader: zlib to decompress the embedded wasm synchronously, and Node's own text
// codecs (jest's jsdom environment, for one, has no TextEncoder among its globals). Imported by the package's
// `node` entry (js/node.js) and by the server; never by what browsers load.
//
// Internal module: not part of the package's public API.

import { Buffer } from "node:buffer";
import { TextDecoder, TextEncoder } from "node:util";
import { gunzipSync } from "node:zlib";
import { usePlatform } from "./core-loader.js";

usePlatform({
  name: "node",
  gunzipSync: (base64) => new Uint8Array(gunzipSync(Buffer.from(base64, "base64"))),
  TextEncoder,
  TextDecoder,
});
