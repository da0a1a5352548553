// Writes js/bundle/: the package's Node entries as ES modules bundled together (run by scripts/build.sh and by
// `npm pack` through the prepack script):
//
//   node scripts/build-node-esm.mjs
//
// Node loads an ES module graph file by file, and each file costs a resolution, a read and a compile: the main
// entry's 17 files took about 8 ms of a cold start (import + first request, `npm run bench`). Here esbuild bundles
// the Node entries — the main one (js/node.js), ./msw, ./playwright, ./server and the server's compaction worker —
// with code splitting, so each entry is one small file over shared chunks: the entries still share one copy of
// every module (one emulator registry, one loaded core), as the unbundled files do. The bundle sits one folder
// below the package root like js/server/, so the server's paths relative to its own file (the package root, the
// compaction worker) stay right. The wasm is also written beside the bundle (js/bundle/jobrouter-core.wasm,
// decompressed from the embedded copy) and js/wasm-file.js is replaced by a reader of it: a cold start then skips
// loading zlib and decompressing. Browsers and bundlers keep the unbundled ES modules (the `default` condition),
// `require` keeps js/cjs/. The ES modules stay the source: nothing in js/bundle/ is edited or committed.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { build } from "esbuild";
import { asciiComments } from "./ascii-output.mjs";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "js");
const target = join(source, "bundle");
// Per process, so that two builds at once (a test packing the package while the build runs) never mix files.
const staging = join(source, `.bundle-staging-${process.pid}`);
const retired = join(source, `.bundle-retired-${process.pid}`);

/** Output name (in js/bundle/) → source file (in js/). Keep in step with package.json's `node` exports. */
const ENTRIES = {
  node: "node.js",
  "msw.node": "msw.node.js",
  "playwright.node": "playwright.node.js",
  server: "server/index.js",
  // js/server/journal.js starts it as new URL("./compact-worker.js", import.meta.url): beside the chunks
  "compact-worker": "server/compact-worker.js",
};

function fail(message) {
  process.stderr.write(`build-node-esm: ${message}\n`);
  process.exit(1);
}

const coreModule = join(source, "generated", "jobrouter-core.js");
if (!existsSync(coreModule)) fail("js/generated/jobrouter-core.js is missing: build the WebAssembly core first (npm run build)");

const WASM_FILE = "jobrouter-core.wasm";
const { wasmGzipBase64, wasmByteLength } = await import(pathToFileURL(coreModule).href);
const packageName = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name;
const wasm = gunzipSync(Buffer.from(wasmGzipBase64, "base64"));
if (wasm.length !== wasmByteLength) fail(`the embedded wasm decompressed to ${wasm.length} bytes, not ${wasmByteLength}`);

// js/wasm-file.js as the bundle has it. The wasm file is looked for beside the bundle's own files (where the
// package has it, and where webpack copies it as an asset), then in node_modules/<package>/js/bundle/ of the
// folders above (the package's own copy, for a bundle a tool made again and wrote elsewhere). A file beside the
// bundle counts with the wasm's size; one found above must also have its SHA-256 (another version of the package
// may sit there). Without one, the embedded copy comes from a chunk of its own, imported on demand.
// (node:fs through require(): an ES-module import of it evaluates all its exports, streams included: 3 ms.)
const WASM_FILE_READER = `import { createRequire } from "node:module";
const requireBuiltin = createRequire("/");
const WASM_BYTES = ${wasmByteLength};
const WASM_SHA256 = "${createHash("sha256").update(wasm).digest("hex")}";
/** @type {Uint8Array | null | undefined} the file's bytes until the loader takes them; null: no file */
let bytes;
/** The places to look, each with whether its content must be hashed. */
function* candidates() {
  yield [new URL("./${WASM_FILE}", import.meta.url), false];
  for (let folder = new URL(".", import.meta.url); ;) {
    yield [new URL("node_modules/${packageName}/js/bundle/${WASM_FILE}", folder), true];
    const parent = new URL("..", folder);
    if (parent.href === folder.href) return;  // the root ("file:///", "file:///C:/", "file://server/")
    folder = parent;
  }
}
function findWasm() {
  const { readFileSync } = requireBuiltin("node:fs");
  try {
    for (const [candidate, hashed] of candidates()) {
      try {
        const read = readFileSync(candidate);
        if (read.length !== WASM_BYTES) continue;
        if (hashed && requireBuiltin("node:crypto").createHash("sha256").update(read).digest("hex") !== WASM_SHA256) continue;
        return new Uint8Array(read.buffer, read.byteOffset, read.length);
      } catch {
        // not there: the next candidate
      }
    }
  } catch {
    // no file URL of this module (bundled again as CommonJS, say): the embedded copy is used
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
export function embeddedWasm() {
  return import("./embedded-wasm.js").then((chunk) => chunk.wasmGzipBase64);
}
`;
// The generated core module without its embedded copy (the glue and the factory stay), and that copy alone.
const coreText = readFileSync(coreModule, "utf8");
const embeddedLiteral = JSON.stringify(wasmGzipBase64);
if (coreText.split(embeddedLiteral).length !== 2) fail("js/generated/jobrouter-core.js does not hold its embedded wasm exactly once");
const CORE_WITHOUT_WASM = coreText.replace(embeddedLiteral, "null");
const EMBEDDED_WASM = `export const wasmGzipBase64 = ${embeddedLiteral};\n`;

/** @type {import("esbuild").Plugin} */
const wasmFilePlugin = {
  name: "wasm-file",
  setup(plugins) {
    plugins.onResolve({ filter: /[\\/]wasm-file\.js$|^\.\/wasm-file\.js$/ }, () => ({ path: "wasm-file", namespace: "wasm-file" }));
    plugins.onLoad({ filter: /.*/, namespace: "wasm-file" }, () => ({ contents: WASM_FILE_READER, loader: "js" }));
    plugins.onResolve({ filter: /^\.\/embedded-wasm\.js$/, namespace: "wasm-file" }, () => ({ path: "embedded-wasm", namespace: "embedded-wasm" }));
    plugins.onLoad({ filter: /.*/, namespace: "embedded-wasm" }, () => ({ contents: EMBEDDED_WASM, loader: "js" }));
    plugins.onResolve({ filter: /[\\/]generated[\\/]jobrouter-core\.js$/ }, () => ({ path: "jobrouter-core", namespace: "core-without-wasm" }));
    plugins.onLoad({ filter: /.*/, namespace: "core-without-wasm" }, () => ({ contents: CORE_WITHOUT_WASM, loader: "js" }));
  },
};

rmSync(staging, { recursive: true, force: true });
const entryPoints = Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(source, file)]));
let result;
try {
  result = await build({
    entryPoints,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node18",
    external: ["msw"],  // a peer of the ./msw entry, resolved from the user's project
    chunkNames: "chunk-[hash]",
    legalComments: "none",
    banner: { js: "// Generated by scripts/build-node-esm.mjs from js/: do not edit." },
    logLevel: "silent",
    metafile: true,
    plugins: [wasmFilePlugin],
  });
} catch (error) {
  fail(error.message);
}
if (result.warnings.length > 0) fail(result.warnings.map((w) => w.text).join("; "));

// The worker is found by its name next to the code that starts it: check the bundle still says so.
const journalChunk = readdirSync(staging).filter((name) => name.endsWith(".js")).find((name) =>
  readFileSync(join(staging, name), "utf8").includes('new URL("./compact-worker.js", import.meta.url)'));
if (journalChunk === undefined) fail("no bundled file starts ./compact-worker.js relative to itself (js/server/journal.js changed?)");

// ASCII only (scripts/ascii-output.mjs): V8 would hold a file with one other character as UTF-16.
for (const name of readdirSync(staging).filter((file) => file.endsWith(".js"))) {
  const code = readFileSync(join(staging, name), "utf8");
  try {
    const ascii = await asciiComments(code, `js/bundle/${name}`);
    if (ascii !== code) writeFileSync(join(staging, name), ascii);
  } catch (error) {
    fail(error.message);
  }
}

writeFileSync(join(staging, WASM_FILE), wasm);
if (!readdirSync(staging).some((name) => readFileSync(join(staging, name), "utf8").includes(`new URL("./${WASM_FILE}", import.meta.url)`))) {
  fail(`no bundled file reads ./${WASM_FILE} (js/wasm-file.js is no longer imported?)`);
}
// The embedded copy is in one chunk, which no entry loads but through a dynamic import.
const holders = readdirSync(staging).filter((name) => name.endsWith(".js") && readFileSync(join(staging, name), "utf8").includes(embeddedLiteral));
if (holders.length !== 1) fail(`the embedded wasm is in ${holders.length} bundled files, not 1`);
for (const entry of Object.keys(ENTRIES)) {
  const seen = new Set();
  const visit = (output) => {
    if (seen.has(output)) return;
    seen.add(output);
    if (output.endsWith(`/${holders[0]}`)) fail(`${entry}.js loads the embedded wasm's chunk statically`);
    for (const imported of result.metafile.outputs[output]?.imports ?? []) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(Object.keys(result.metafile.outputs).find((output) => output.endsWith(`/${entry}.js`)));
}

// Swap: the old folder is moved aside first, so js/bundle/ is whole at every moment but one rename.
rmSync(retired, { recursive: true, force: true });
if (existsSync(target)) renameSync(target, retired);
renameSync(staging, target);
rmSync(retired, { recursive: true, force: true });
const outputs = Object.entries(result.metafile.outputs);
const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
process.stderr.write(
  `build-node-esm: js/bundle/: ${outputs.length} files (${bytes} B) for ${Object.keys(ENTRIES).length} entries, ` +
    `and ${WASM_FILE} (${wasm.length} B)\n`,
);
