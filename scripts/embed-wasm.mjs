// Makes the product module js/generated/jobrouter-core.mjs — one ES module, nothing to fetch — from what
// Emscripten links: its ES-module glue and the separate .wasm file.
//
//   node scripts/embed-wasm.mjs <glue.mjs> <module.wasm> <output.mjs>
//
// Emscripten's own single-file mode embeds the wasm as base64 of the raw bytes (4/3 of the wasm). Here the
// wasm is gzip-compressed first (about a third of its size) and then base64-encoded; the default export
// decompresses it (zlib under Node, DecompressionStream in browsers) and hands the bytes to
// Emscripten's factory as `wasmBinary`, so the glue never looks for a file. The factory's signature and
// result are unchanged: `await createJobRouterCore(moduleOverrides?)` resolves to the module.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gzipSync, constants } from "node:zlib";

function fail(message) {
  process.stderr.write(`embed-wasm: ${message}\n`);
  process.exit(1);
}

const [glueFile, wasmFile, outFile] = process.argv.slice(2);
if (!glueFile || !wasmFile || !outFile) fail("usage: node scripts/embed-wasm.mjs <glue.mjs> <module.wasm> <output.mjs>");

let glue = readFileSync(glueFile, "utf8");
const wasm = readFileSync(wasmFile);
if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmFile} is not a WebAssembly module`);

/** Replaces exactly one occurrence of `from` (the glue of another Emscripten version would need a look). */
function replaceOnce(text, from, to, what) {
  const first = text.indexOf(from);
  if (first < 0 || text.indexOf(from, first + from.length) >= 0) {
    fail(`expected exactly one ${what} in ${glueFile} (Emscripten's output changed?)`);
  }
  return text.slice(0, first) + to + text.slice(first + from.length);
}

// The glue names its .wasm with `new URL("x.wasm", import.meta.url)`, which bundlers try to resolve as an
// asset; there is no such file here, so it becomes a plain name (only compared with, never loaded).
const wasmName = wasmFile.split(/[\\/]/).pop();
glue = replaceOnce(glue, `new URL("${wasmName}",import.meta.url).toString()`, JSON.stringify(wasmName),
  "reference to the .wasm file");

const exportMatch = /^export default (\w+);\s*$/m.exec(glue);
if (!exportMatch) fail(`no "export default <factory>;" line in ${glueFile}`);
const factory = exportMatch[1];
glue = glue.slice(0, exportMatch.index) + glue.slice(exportMatch.index + exportMatch[0].length);

const compressed = gzipSync(wasm, { level: constants.Z_BEST_COMPRESSION });
const embedded = compressed.toString("base64");

const wrapper = `
// ---- the wasm: gzip, then base64 (made by scripts/embed-wasm.mjs from ${wasmName}, ${wasm.length} bytes) ----
const __jrWasmGzipBase64 = "${embedded}";

function __jrBase64Bytes(text) {
  if (typeof Buffer === "function") return new Uint8Array(Buffer.from(text, "base64"));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let __jrWasmBytes = null;
async function __jrWasmBinary() {
  if (__jrWasmBytes === null && typeof require === "function") {
    // Node (the glue's preamble defines require there): zlib is much quicker to start than web streams.
    __jrWasmBytes = new Uint8Array(require("zlib").gunzipSync(__jrBase64Bytes(__jrWasmGzipBase64)));
  }
  if (__jrWasmBytes === null) {
    if (typeof DecompressionStream !== "function") {
      throw new Error("jobrouter-core: this runtime has no DecompressionStream (Node >= 18 or a current browser is needed)");
    }
    const stream = new Blob([__jrBase64Bytes(__jrWasmGzipBase64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    __jrWasmBytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return __jrWasmBytes;
}

/** Emscripten's factory with the embedded wasm: \`await createJobRouterCore(moduleOverrides?)\`. */
export default async function createJobRouterCoreEmbedded(moduleOverrides = {}) {
  const wasmBinary = moduleOverrides.wasmBinary ?? (await __jrWasmBinary());
  const overrides = { ...moduleOverrides, wasmBinary };
  if (typeof require === "function" && overrides.instantiateWasm === undefined) {
    // Node: compile and instantiate synchronously (V8 compiles function bodies lazily, on first call), which
    // starts quicker than the asynchronous path. Browsers refuse synchronous compiles of big modules on the
    // main thread, so they keep Emscripten's WebAssembly.instantiate.
    overrides.instantiateWasm = (imports, receiveInstance) => {
      const module = new WebAssembly.Module(wasmBinary);
      const instance = new WebAssembly.Instance(module, imports);
      receiveInstance(instance, module);
      return instance.exports;
    };
  }
  return ${factory}(overrides);
}
`;

mkdirSync(dirname(outFile), { recursive: true });  // js/generated/ is not in a fresh clone
const temporary = `${outFile}.tmp`;
writeFileSync(temporary, glue.trimEnd() + "\n" + wrapper);
renameSync(temporary, outFile);
process.stdout.write(
  `embed-wasm: ${outFile}: wasm ${wasm.length} B -> gzip ${compressed.length} B -> base64 ${embedded.length} B; ` +
    `module ${glue.length + wrapper.length} B\n`,
);
