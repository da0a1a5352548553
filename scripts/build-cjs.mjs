// Writes the package's CommonJS build, js/cjs/, from its ES modules (run by scripts/build.sh and by
// `npm pack` through the prepack script):
//
//   node scripts/build-cjs.mjs
//
// The modules of js/ that the main, ./msw and ./playwright entries reach are bundled by esbuild into one file,
// js/cjs/bundle.js, so that one require() of the package reads one file instead of 26, and the subpath entries
// share the main entry's emulators (one instance of each module). Each entry is a small file that takes its exports
// from the bundle: js/cjs/node.js eagerly, msw.node.js and playwright.node.js through a function of the bundle
// that evaluates their modules (and requires the msw peer) only then. The wasm is read from js/bundle/'s file
// (scripts/wasm-file-module.mjs; scripts/build-node-esm.mjs writes it, and runs first), and the embedded copy is
// generated/embedded-wasm.js, required only when that file is missing. js/cjs/package.json marks the folder as CommonJS; the declaration files (js/*.d.ts and
// js/generated/*.d.ts) are copied beside the code so TypeScript reads them as CommonJS declarations for `require`
// users. The ES modules stay the source: nothing in js/cjs/ is edited or committed.
import { build, transform } from "esbuild";
import { asciiComments } from "./ascii-output.mjs";
import { WASM_FILE, splitCoreModule, wasmFileReader } from "./wasm-file-module.mjs";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "js");
const target = join(source, "cjs");
// Per process, so that two builds at once (a test packing the package while the build runs) never mix files.
const staging = join(source, `.cjs-staging-${process.pid}`);
const retired = join(source, `.cjs-retired-${process.pid}`);

/** The CommonJS entries (package.json's `require` conditions): file of js/cjs/ → the ES module of js/ it gives. */
const ENTRIES = { "node.js": "main", "msw.node.js": "msw", "playwright.node.js": "playwright" };
/** Peers: resolved from the user's project. */
const EXTERNAL = ["msw"];

function fail(message) {
  process.stderr.write(`build-cjs: ${message}\n`);
  process.exit(1);
}

const generated = join(source, "generated", "jobrouter-core.js");

/** The files of a folder of js/ whose names pass `keep`, as paths. */
function filesOf(folder, keep) {
  return readdirSync(folder).filter(keep).sort().map((name) => join(folder, name));
}

const generatedFolder = dirname(generated);
const declarations = [
  ...filesOf(source, (name) => name.endsWith(".d.ts")),
  ...filesOf(generatedFolder, (name) => name.endsWith(".d.ts")),
];

// What Node needs of the core (scripts/wasm-file-module.mjs): js/wasm-file.js becomes a reader of the package's
// js/bundle/jobrouter-core.wasm, and the core's module loses its embedded copy to generated/embedded-wasm.js,
// required only when no wasm file is found (so the core still loads synchronously, from the copy).
let split;
try {
  split = await splitCoreModule(generated);
} catch (error) {
  fail(error.message);
}
// The wasm file the build reads is js/bundle/'s, written by scripts/build-node-esm.mjs (run first: package.json's
// prepack, scripts/build.sh): it must be this core's, byte for byte (at run time it is trusted by its size).
const wasmFile = join(source, "bundle", WASM_FILE);
if (!existsSync(wasmFile) || !readFileSync(wasmFile).equals(split.wasm)) {
  fail(`js/bundle/${WASM_FILE} is missing or not this core's wasm: run scripts/build-node-esm.mjs first`);
}
const packageName = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name;
const EMBEDDED = "./generated/embedded-wasm.js";
const WASM_FILE_READER = wasmFileReader({
  format: "cjs", wasm: split.wasm, packageName, besideUrl: `../bundle/${WASM_FILE}`, embeddedModule: EMBEDDED,
});
// The bundle's entry: the main entry's namespace, and a function per subpath entry.
const BUNDLE_ENTRY = Object.entries(ENTRIES).map(([file, name]) => name === "main"
  ? `import * as main from "./${file}";\nexport { main };\n`
  : `export function ${name}() {\n  return require("./${file}");\n}\n`).join("");

/** @type {import("esbuild").Plugin} */
const cjsPlugin = {
  name: "cjs-build",
  setup(plugins) {
    plugins.onResolve({ filter: /^bundle-entry$/ }, () => ({ path: "bundle-entry", namespace: "bundle-entry" }));
    plugins.onLoad({ filter: /.*/, namespace: "bundle-entry" }, () => ({ contents: BUNDLE_ENTRY, loader: "js", resolveDir: source }));
    plugins.onResolve({ filter: /[\\/]wasm-file\.js$|^\.\/wasm-file\.js$/ }, () => ({ path: "wasm-file", namespace: "wasm-file" }));
    plugins.onLoad({ filter: /.*/, namespace: "wasm-file" }, () => ({ contents: WASM_FILE_READER, loader: "js", resolveDir: source }));
    plugins.onResolve({ filter: /^\.\/generated\/embedded-wasm\.js$/ }, () => ({ path: EMBEDDED, external: true }));
    plugins.onResolve({ filter: /[\\/]generated[\\/]jobrouter-core\.js$/ }, () => ({ path: "jobrouter-core", namespace: "core-without-wasm" }));
    plugins.onLoad({ filter: /.*/, namespace: "core-without-wasm" }, () => ({ contents: split.coreWithoutWasm, loader: "js", resolveDir: generatedFolder }));
  },
};

/** The names each ES-module entry exports (esbuild's metafile of a bundle of it alone). */
async function exportNames(file) {
  const result = await build({ entryPoints: [join(source, file)], bundle: true, write: false, metafile: true,
    format: "esm", platform: "node", external: EXTERNAL, outdir: "out", logLevel: "silent", plugins: [cjsPlugin] });
  return Object.values(result.metafile.outputs).find((output) => output.entryPoint).exports;
}

/**
 * A CommonJS entry: its exports taken from the bundle (esbuild writes the __esModule marker and export names). Each is
 * read once, at require: the entries export functions, classes and frozen objects, none a binding that changes.
 */
async function entryModule(file, name) {
  const names = await exportNames(file);
  const entry = name === "main" ? `import { main as entry } from "./bundle.js";\n`
    : `import { ${name} } from "./bundle.js";\nconst entry = ${name}();\n`;
  const lines = names.map((exported) => exported === "default"
    ? "export default entry.default;" : `export const ${exported} = entry.${exported};`);
  return (await transform(`${entry}${lines.join("\n")}\n`, { format: "cjs", platform: "node", target: "node18" })).code;
}

/** Writes a generated file of js/cjs/ (ASCII-only: scripts/ascii-output.mjs). */
async function writeGenerated(relativePath, from, code) {
  let ascii;
  try {
    ascii = await asciiComments(code, `js/cjs/${relativePath}`);
  } catch (error) {
    fail(error.message);
  }
  mkdirSync(dirname(join(staging, relativePath)), { recursive: true });
  writeFileSync(join(staging, relativePath), `// Generated by scripts/build-cjs.mjs from ${from}: do not edit.\n${ascii}`);
  return ascii.length;
}

rmSync(staging, { recursive: true, force: true });
let bytes = 0;
let bundled;
try {
  bundled = await build({
    entryPoints: ["bundle-entry"], bundle: true, write: false, format: "cjs", platform: "node", target: "node18",
    external: EXTERNAL, legalComments: "none", outfile: "bundle.js", logLevel: "silent", plugins: [cjsPlugin],
  });
} catch (error) {
  fail(error.message);
}
if (bundled.warnings.length > 0) fail(bundled.warnings.map((w) => w.text).join("; "));
bytes += await writeGenerated("bundle.js", "the modules of js/", bundled.outputFiles[0].text);
for (const [file, name] of Object.entries(ENTRIES)) {
  try {
    bytes += await writeGenerated(file, `js/${file}`, await entryModule(file, name));
  } catch (error) {
    fail(`js/${file}: ${error.message}`);
  }
}
const embedded = await transform(split.embeddedWasmModule, { format: "cjs", platform: "node", target: "node18" });
bytes += await writeGenerated(EMBEDDED.slice(2), "js/generated/jobrouter-core.js (its embedded wasm)", embedded.code);
for (const file of declarations) {
  mkdirSync(dirname(join(staging, relative(source, file))), { recursive: true });
  copyFileSync(file, join(staging, relative(source, file)));
}
writeFileSync(join(staging, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

// Swap: the old folder is moved aside first, so js/cjs/ is whole at every moment but one rename.
rmSync(retired, { recursive: true, force: true });
if (existsSync(target)) renameSync(target, retired);
renameSync(staging, target);
rmSync(retired, { recursive: true, force: true });
process.stderr.write(
  `build-cjs: js/cjs/: the bundle, ${Object.keys(ENTRIES).length} entries and the embedded wasm (${bytes} B), ` +
    `${declarations.length} declaration files\n`,
);
