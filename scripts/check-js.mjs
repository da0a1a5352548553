#!/usr/bin/env node
// Type-checks the package's JavaScript with TypeScript (a devDependency), from its JSDoc, under strict options
// (allowJs, checkJs, noEmit, strict, ES2022 + DOM libs, NodeNext modules, Node's types):
//   - every js/ file that starts with a `// @ts-check` line (js/cjs/, js/bundle/ and js/generated/ are generated and
//     skipped): the files browsers load too, which scripts/check-types.mjs also checks without Node's types;
//   - the Node-only files of NODE_CHECKED below (the server, the bin, the Node platform), which need Node's types
//     and so carry no `// @ts-check` line.
// The files they import are read for types; only the checked files are reported. A js/ file in neither group fails
// the check (a new file must opt in, or be listed below): every file of js/ is type-checked.
//
//   node scripts/check-js.mjs          exit 1 with tsc's messages when a checked file has a type error, or when a
//                                      js/ file is not checked. Needs a build (js/generated/jobrouter-core.js).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** Node-only files checked with Node's types (no `// @ts-check` line: check-types.mjs reads that without them). */
const NODE_CHECKED = [
  "js/bin.js", "js/node-platform.js", "js/server/auth.js", "js/server/cli.js", "js/server/control.js",
  "js/server/event-stream.js", "js/server/faults.js", "js/server/http-rules.js", "js/server/index.js",
  "js/server/rules-evaluate.js", "js/server/security.js", "js/server/static-files.js", "js/server/version.js",
  "js/server/webhook.js", "js/server/state-file.js", "js/server/journal.js", "js/server/replay.js",
  "js/server/compact-worker.js",
];

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "cjs" && name !== "bundle" && name !== "generated" && name !== "node_modules") out.push(...jsFiles(path));
    } else if (name.endsWith(".js")) {
      out.push(path);
    }
  }
  return out;
}

/** true when the file opts in: a `// @ts-check` line before its first statement. @param {string} path */
function optsIn(path) {
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const text = line.trim();
    if (text === "// @ts-check") return true;
    if (text !== "" && !text.startsWith("//") && !text.startsWith("#!")) return false;
  }
  return false;
}

function main() {
  let ts;
  try {
    ts = require("typescript");
  } catch {
    console.error("check-js: the typescript package is missing: run npm install (it is a devDependency)");
    return 1;
  }
  // js/core-loader.js imports the built core module; its types come from it (npm test builds before it checks)
  if (!existsSync(join(root, "js", "generated", "jobrouter-core.js"))) {
    console.error("check-js: js/generated/jobrouter-core.js is missing: build it first (npm run build)");
    return 1;
  }
  const all = jsFiles(join(root, "js"));
  const missing = NODE_CHECKED.filter((file) => !all.includes(join(root, file)));
  if (missing.length > 0) {
    console.error(`check-js: NODE_CHECKED names files that do not exist: ${missing.join(", ")} (update scripts/check-js.mjs)`);
    return 1;
  }
  const checked = all.filter((path) => optsIn(path) || NODE_CHECKED.includes(relative(root, path).split("\\").join("/")));
  const program = ts.createProgram(checked, {
    allowJs: true,
    checkJs: true,  // every file is checked; only those above are reported
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    skipLibCheck: true,
  });
  const wanted = new Set(checked.map((path) => relative(root, path)));
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || wanted.has(relative(root, d.file.fileName)));
  const host = { getCanonicalFileName: (/** @type {string} */ f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  if (diagnostics.length > 0) process.stderr.write(ts.formatDiagnostics(diagnostics, host));
  const unchecked = all.filter((p) => !checked.includes(p)).map((p) => relative(root, p));
  for (const path of unchecked) {
    console.error(`check-js: ${path} is not type-checked: start it with a "// @ts-check" line (or, for a Node-only ` +
      "file, add it to NODE_CHECKED in scripts/check-js.mjs)");
  }
  console.log(`check-js: ${checked.length} of ${all.length} js/ files type-checked, ${diagnostics.length} errors`);
  return diagnostics.length === 0 && unchecked.length === 0 ? 0 : 1;
}

process.exitCode = main();
