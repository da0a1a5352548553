// The wasm as a file for Node, shared by the two builds that give Node its code: the ES-module bundle
// (scripts/build-node-esm.mjs: js/bundle/) and the CommonJS build (scripts/build-cjs.mjs: js/cjs/). Both replace
// js/wasm-file.js (which finds nothing: the unbundled ES modules are what browsers and bundlers load) with a reader
// of js/bundle/jobrouter-core.wasm, and keep the embedded copy (gzip, base64) out of the code a cold start parses:
// the core's module loses its copy, which moves to a module of its own, loaded only when no wasm file is found.
// Skipping the 320 KB text's parse, zlib and the decompression took a CommonJS cold start (require + first request)
// from 54 to 41 ms; the ES-module bundle did it first.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

export const WASM_FILE = "jobrouter-core.wasm";

/**
 * The generated core module (js/generated/jobrouter-core.js) split: its text without the embedded copy, the copy as
 * a module of its own, and the wasm's bytes. Throws with what to do when the module is missing or inconsistent.
 * @param {string} coreModule the generated module's path
 */
export async function splitCoreModule(coreModule) {
  if (!existsSync(coreModule)) {
    throw new Error("js/generated/jobrouter-core.js is missing: build the WebAssembly core first (npm run build)");
  }
  const { wasmGzipBase64, wasmByteLength } = await import(pathToFileURL(coreModule).href);
  const wasm = gunzipSync(Buffer.from(wasmGzipBase64, "base64"));
  if (wasm.length !== wasmByteLength) throw new Error(`the embedded wasm decompressed to ${wasm.length} bytes, not ${wasmByteLength}`);
  const coreText = readFileSync(coreModule, "utf8");
  const embeddedLiteral = JSON.stringify(wasmGzipBase64);
  if (coreText.split(embeddedLiteral).length !== 2) throw new Error("js/generated/jobrouter-core.js does not hold its embedded wasm exactly once");
  return {
    wasm,
    embeddedLiteral,
    /** the glue and the factory, with `wasmGzipBase64` null */
    coreWithoutWasm: coreText.replace(embeddedLiteral, "null"),
    /** the embedded copy alone, as an ES module */
    embeddedWasmModule: `export const wasmGzipBase64 = ${embeddedLiteral};\n`,
  };
}

/**
 * js/wasm-file.js as the Node bundle (format "esm") or the CommonJS build ("cjs") has it, as ES-module text (the
 * CommonJS build converts it with the rest). The wasm file is looked for at `besideUrl` (relative to the module: where
 * the package has it, and where webpack copies it as an asset), then in node_modules/<package>/js/bundle/ of the
 * folders above (the package's own copy, for a bundle a tool made again and wrote elsewhere). A file found first
 * counts with the wasm's size; one found above must also have its SHA-256 (another version of the package may sit
 * there). Without one, the embedded copy is used: the bundle imports its chunk (asynchronously), the CommonJS build
 * requires its module (synchronously).
 * (Under ES modules node:fs comes through require(): an import of it evaluates all its exports, streams included:
 * 3 ms of a cold start.)
 * In the CommonJS build the first place is the package's own js/bundle/ only while the code runs from the
 * package's js/cjs/bundle.js (the builds check at build time that the two files agree); bundled again by a tool,
 * that relative path leads outside the package, and a file there must have the SHA-256 too. Node's built-ins are
 * required by their literal names, which bundlers that bundle the CommonJS build again (webpack) can follow.
 * @param {{ format: "esm" | "cjs", wasm: Uint8Array, packageName: string, besideUrl: string, embeddedModule: string }} options
 */
export function wasmFileReader({ format, wasm, packageName, besideUrl, embeddedModule }) {
  const esm = format === "esm";
  // (the bundle's text keeps webpack's asset pattern, new URL("./file", import.meta.url))
  const header = esm
    ? `import { createRequire } from "node:module";
const requireBuiltin = createRequire("/");
const fileSystem = () => requireBuiltin("node:fs");
const crypto = () => requireBuiltin("node:crypto");
const besideIsOwn = () => true;
`
    : `const fileSystem = () => require("node:fs");
const crypto = () => require("node:crypto");
function moduleUrl() {
  return require("node:url").pathToFileURL(__filename).href;
}
function besideIsOwn() {  // this code is the package's js/cjs/bundle.js
  const { basename, dirname } = require("node:path");
  const folder = dirname(__filename);
  return basename(__filename) === "bundle.js" && basename(folder) === "cjs" && basename(dirname(folder)) === "js";
}
`;
  const base = esm ? "import.meta.url" : "moduleUrl()";
  const embedded = esm
    ? `export const embeddedWasmSync = null;
export function embeddedWasm() {
  return import("${embeddedModule}").then((chunk) => chunk.wasmGzipBase64);
}
`
    : `export function embeddedWasmSync() {
  return require("${embeddedModule}").wasmGzipBase64;
}
export function embeddedWasm() {
  return Promise.resolve().then(embeddedWasmSync);
}
`;
  return `${header}const WASM_BYTES = ${wasm.length};
const WASM_SHA256 = "${createHash("sha256").update(wasm).digest("hex")}";
/** @type {Uint8Array | null | undefined} the file's bytes until the loader takes them; null: no file */
let bytes;
/** The places to look, each with whether its content must be hashed. */
function* candidates() {
  yield [new URL("${besideUrl}", ${base}), !besideIsOwn()];
  for (let folder = new URL(".", ${base}); ;) {
    yield [new URL("node_modules/${packageName}/js/bundle/${WASM_FILE}", folder), true];
    const parent = new URL("..", folder);
    if (parent.href === folder.href) return;  // the root ("file:///", "file:///C:/", "file://server/")
    folder = parent;
  }
}
function findWasm() {
  try {
    const { readFileSync } = fileSystem();
    for (const [candidate, hashed] of candidates()) {
      try {
        const read = readFileSync(candidate);
        if (read.length !== WASM_BYTES) continue;
        if (hashed && crypto().createHash("sha256").update(read).digest("hex") !== WASM_SHA256) continue;
        return new Uint8Array(read.buffer, read.byteOffset, read.length);
      } catch {
        // not there: the next candidate
      }
    }
  } catch {
    // no file system or no file URL of this module (bundled again, say): the embedded copy is used
  }
  return null;
}
export function hasWasmFile() {
  if (bytes === undefined) bytes = findWasm();
  return bytes !== null;
}
export function readWasmFile() {
  if (!hasWasmFile()) return null;
  const read = bytes;
  bytes = undefined;  // read again should the core be loaded again (a test resetting the loader)
  return read;
}
${embedded}`;
}
