// Makes the product module js/generated/jobrouter-core.js — one ES module, nothing to fetch, no Node built-in —
// from what Emscripten links: its ES-module glue (linked for the web environment) and the separate .wasm file.
//
//   node scripts/embed-wasm.mjs <glue.mjs> <module.wasm> <output.js>
//
// Emscripten's own single-file mode embeds the wasm as base64 of the raw bytes (4/3 of the wasm). Here the
// wasm is gzip-compressed first (with Zopfli, about 5% smaller than zlib's best level; about a third of the wasm)
// and then base64-encoded, and the whole module is minified with esbuild (the glue's names; Emscripten would use
// the Closure Compiler, which needs Java). Both are development dependencies; without them (no `npm ci`) the
// module is made with zlib and unminified, and a note says so. The module exports
//   default           Emscripten's factory, unchanged: `factory(moduleOverrides)` (the caller passes
//                     `wasmBinary` or `instantiateWasm`, so the glue never looks for a file)
//   wasmGzipBase64    the compressed wasm
// js/core-loader.js decompresses and instantiates it: synchronously under Node (zlib), asynchronously in
// browsers (DecompressionStream). The glue's only reference to `import.meta` (its own URL, used to find the
// .wasm file it never loads here) is removed, so the same text also converts to CommonJS.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Buffer } from "node:buffer";
import { gzipSync, constants } from "node:zlib";

function fail(message) {
  process.stderr.write(`embed-wasm: ${message}\n`);
  process.exit(1);
}

const [glueFile, wasmFile, outFile] = process.argv.slice(2);
if (!glueFile || !wasmFile || !outFile) fail("usage: node scripts/embed-wasm.mjs <glue.mjs> <module.wasm> <output.js>");

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

// What is left of import.meta.url is the script directory, only used to locate files: none is loaded.
glue = glue.replaceAll("import.meta.url", "undefined");
if (/\bimport\s*\(|\brequire\s*\(/.test(glue)) fail(`${glueFile} imports or requires something (was it linked for the web environment only?)`);

const exportMatch = /^export default (\w+);\s*$/m.exec(glue);
if (!exportMatch) fail(`no "export default <factory>;" line in ${glueFile}`);
const factory = exportMatch[1];
glue = glue.slice(0, exportMatch.index) + glue.slice(exportMatch.index + exportMatch[0].length);

/** Loads a development dependency, or returns null (with a note) when it is not installed. */
async function optional(name, purpose) {
  try {
    return await import(name);
  } catch {
    process.stderr.write(`embed-wasm: note: ${name} is not installed (run npm ci); ${purpose}\n`);
    return null;
  }
}

/** The wasm, gzip-compressed: by Zopfli when it is installed (a smaller stream that every gunzip reads). */
async function compress(bytes) {
  const zopfli = await optional("@gfx/zopfli", "the wasm is compressed with zlib instead (about 5% larger)");
  if (zopfli === null) return gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
  const gzip = zopfli.gzipAsync ?? zopfli.default?.gzipAsync;
  return Buffer.from(await gzip(bytes, { numiterations: 15 }));
}

/** The module's text minified (identifiers, whitespace and syntax) when esbuild is installed. */
async function minify(text) {
  const esbuild = await optional("esbuild", "the module is written unminified (about 25 KB larger)");
  if (esbuild === null) return text;
  return (await esbuild.transform(text, { format: "esm", minify: true, legalComments: "none" })).code;
}

const compressed = await compress(wasm);
const embedded = compressed.toString("base64");

const wrapper = `
// ---- the wasm: gzip, then base64 (made by scripts/embed-wasm.mjs from ${wasmName}, ${wasm.length} bytes) ----
export const wasmGzipBase64 = "${embedded}";
export const wasmByteLength = ${wasm.length};
export default ${factory};
`;

mkdirSync(dirname(outFile), { recursive: true });  // js/generated/ is not in a fresh clone
const temporary = `${outFile}.tmp`;
const moduleText = await minify(glue.trimEnd() + "\n" + wrapper);
writeFileSync(temporary, moduleText);
renameSync(temporary, outFile);
process.stdout.write(
  `embed-wasm: ${outFile}: wasm ${wasm.length} B -> gzip ${compressed.length} B -> base64 ${embedded.length} B; ` +
    `module ${moduleText.length} B\n`,
);
