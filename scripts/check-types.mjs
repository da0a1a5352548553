#!/usr/bin/env node
// Type-checks the package's declarations (hand-written, and js/generated/api.d.ts from scripts/gen-api.mjs) the way
// a TypeScript user meets them:
//
//   1. the declarations (js/**/*.d.ts) and the types tests (tests/types/*.ts: positive cases and
//      `@ts-expect-error` cases) under `tsc --strict --noEmit` with skipLibCheck false;
//   2. the JavaScript files of CHECKED_JS (each marked `// @ts-check`) under `tsc --strict --noEmit --allowJs`:
//      their JSDoc types are checked, the modules they import are read for types but not checked themselves
//      (without Node's types, as browsers and bundlers read them: the Node-only files are scripts/check-js.mjs's,
//      which checks them with @types/node, a devDependency);
//   3. every ```js / ```javascript / ```ts / ```typescript block of README.md, written to a temporary
//      .mts module each (top-level await allowed), under `tsc --strict --noEmit`.
//
// Both run twice: module/moduleResolution "nodenext" and "esnext"/"bundler" (lib es2022 + dom). A third
// run reads the top-level declarations as the CommonJS build ships them (js/*.d.ts copied into a folder
// with {"type": "commonjs"}, as scripts/build-cjs.mjs does) from a .cts file that require()s them.
// "jobrouter-emulator" and its subpaths resolve to this repository's declarations (tsconfig "paths"
// built from package.json "exports"); other packages resolve from node_modules when installed there,
// and are declared as `any` modules otherwise. A README block that is not meant to compile on its own
// is skipped when the line before its fence (blank lines aside) is `<!-- types: skip -->` (text may
// follow "skip", e.g. `<!-- types: skip (needs a running server) -->`).
//
// Last, for every entry of package.json "exports", the names its declarations export as values are
// compared with what its JS module (the "node" / "import" / "default" target) exports at run time:
// a value declared and not exported (or exported and not declared) fails the check.
//
// Usage: node scripts/check-types.mjs [--keep] [--markdown FILE]
//   --keep           leaves the temporary directory (a dot folder in the repository root) for a look
//   --markdown FILE  checks the code blocks of FILE instead of README.md
// Exit code 0 when every run passes; 1 with tsc's messages (README blocks reported by README.md line).

import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const PACKAGE_NAME = PACKAGE.name;
const KEEP = process.argv.includes("--keep");
const markdownIndex = process.argv.indexOf("--markdown");
const MARKDOWN = resolve(markdownIndex > 0 && process.argv[markdownIndex + 1] ? process.argv[markdownIndex + 1] : join(ROOT, "README.md"));
const MARKDOWN_NAME = relative(ROOT, MARKDOWN).startsWith("..") ? MARKDOWN : relative(ROOT, MARKDOWN);

/** A `// @ts-check` line among a file's first lines (after a generated-file note, say). */
const TS_CHECK = /^\/\/ @ts-check$/m;
/** JavaScript files whose JSDoc types are checked (relative to the repository root; each has `// @ts-check`). */
const CHECKED_JS = [
  "js/client.js",
  "js/core-client.js",
  "js/event-types.js",
  "js/faults.js",
  "js/generated/events.js",
  "js/generated/operations.js",
  "js/http-client.js",
];
const CODE_LANGUAGES = new Set(["js", "javascript", "ts", "typescript", "mjs", "mts"]);
const SKIP_MARKER = /^<!--\s*types:\s*skip\b[\s\S]*-->$/;
const MODES = [
  { name: "nodenext", module: "nodenext", moduleResolution: "nodenext" },
  { name: "bundler", module: "esnext", moduleResolution: "bundler" },
];

function fail(message) {
  process.stderr.write(`check-types: ${message}\n`);
  process.exit(1);
}

function findTsc() {
  try {
    return createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    return fail("typescript is not installed (npm install: it is a devDependency)");
  }
}

/** Files under `dir` (recursively) whose name passes `keep`, skipping node_modules and dot folders. */
function walk(dir, keep, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, out);
    else if (keep(name)) out.push(path);
  }
  return out;
}

// ---- README blocks ---------------------------------------------------------------------------------

/** The code blocks of a Markdown text: {language, startLine (1-based, first code line), code, skip}. */
export function extractBlocks(markdown) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  let open = null;
  let previousText = ""; // last non-blank line outside a block
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open === null) {
      const fence = /^ {0,3}(`{3,}|~{3,})\s*([^\s`{]*)[^`]*$/.exec(line);
      if (fence) {
        open = { fence: fence[1], language: fence[2].toLowerCase(), fenceLine: i + 1, skip: SKIP_MARKER.test(previousText), code: [] };
        continue;
      }
      if (line.trim() !== "") previousText = line.trim();
    } else {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
        blocks.push({ language: open.language, startLine: open.fenceLine + 1, code: open.code, skip: open.skip });
        open = null;
        previousText = line.trim();
        continue;
      }
      open.code.push(line);
    }
  }
  return blocks.filter((block) => CODE_LANGUAGES.has(block.language));
}

/** Bare module specifiers a piece of code imports (static, dynamic, re-exports, require). */
function importedSpecifiers(code) {
  const found = new Set();
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[1]);
  return [...found].filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("/"));
}

/** "@scope/name/sub" -> "@scope/name"; "name/sub" -> "name". */
function packageOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

// ---- this package's declarations -------------------------------------------------------------------

/** The "types" file of an exports entry for ESM importers (require-only conditions skipped). */
function typesOf(entry) {
  if (typeof entry === "string") return entry.endsWith(".d.ts") ? entry : undefined;
  if (!entry || typeof entry !== "object") return undefined;
  if (typeof entry.types === "string") return entry.types;
  for (const [condition, value] of Object.entries(entry)) {
    if (condition === "require") continue;
    const found = typesOf(value);
    if (found) return found;
  }
  return undefined;
}

/** tsconfig "paths" sending "jobrouter-emulator" and its subpaths to this repository's declarations. */
function packagePaths() {
  const paths = {};
  const exportsField = PACKAGE.exports ?? {};
  const entries = typeof exportsField === "string" || "types" in exportsField ? { ".": exportsField } : exportsField;
  for (const [subpath, entry] of Object.entries(entries)) {
    if (!subpath.startsWith(".") || subpath.includes("*")) continue;
    const types = typesOf(entry);
    if (!types || !existsSync(join(ROOT, types))) continue;
    paths[subpath === "." ? PACKAGE_NAME : `${PACKAGE_NAME}/${subpath.slice(2)}`] = [join(ROOT, types)];
  }
  if (!paths[PACKAGE_NAME] && PACKAGE.types) paths[PACKAGE_NAME] = [join(ROOT, PACKAGE.types)];
  return paths;
}

/** The JS file an ESM importer under Node gets for an exports entry. */
function runtimeOf(entry) {
  if (typeof entry === "string") return entry.endsWith(".js") || entry.endsWith(".mjs") ? entry : undefined;
  if (!entry || typeof entry !== "object") return undefined;
  for (const condition of ["node", "import", "default"]) {
    if (condition in entry) {
      const found = runtimeOf(entry[condition]);
      if (found) return found;
    }
  }
  return undefined;
}

/** [{subpath, types, runtime}] of package.json "exports" (files that exist). */
function exportEntries() {
  const exportsField = PACKAGE.exports ?? {};
  const entries = typeof exportsField === "string" || "types" in exportsField || "default" in exportsField
    ? { ".": exportsField }
    : exportsField;
  const list = [];
  for (const [subpath, entry] of Object.entries(entries)) {
    if (!subpath.startsWith(".") || subpath.includes("*")) continue;
    const types = typesOf(entry);
    const runtime = runtimeOf(entry);
    if (types && runtime && existsSync(join(ROOT, types)) && existsSync(join(ROOT, runtime))) {
      list.push({ subpath, types: types.replace(/^\.\//, ""), runtime: runtime.replace(/^\.\//, "") });
    }
  }
  return list;
}

/** Value names the declaration file exports (classes, functions, constants, `default`), via the compiler API. */
function declaredValues(ts, file) {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return undefined;
  const names = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & ts.SymbolFlags.Value) names.push(symbol.name);
  }
  return names.sort();
}

/** Compares declared and run-time value exports of every exports entry; returns the problems found. */
async function compareExports(ts) {
  const problems = [];
  const compared = [];
  for (const { subpath, types, runtime } of exportEntries()) {
    const declared = declaredValues(ts, join(ROOT, types));
    if (!declared) {
      problems.push(`${types}: not a module`);
      continue;
    }
    let actual;
    try {
      actual = Object.keys(await import(pathToFileURL(join(ROOT, runtime)).href)).sort();
    } catch (error) {
      problems.push(`${runtime} (exports "${subpath}"): cannot be imported: ${error.message}`);
      continue;
    }
    const missing = declared.filter((name) => !actual.includes(name));
    const undeclared = actual.filter((name) => !declared.includes(name));
    if (missing.length) problems.push(`${types} declares what ${runtime} does not export: ${missing.join(", ")}`);
    if (undeclared.length) problems.push(`${runtime} exports what ${types} does not declare: ${undeclared.join(", ")}`);
    compared.push(subpath);
  }
  return { problems, compared };
}

// ---- running tsc -----------------------------------------------------------------------------------

function tsconfig(mode, files, { skipLibCheck, paths, types }) {
  return {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "es2022",
      lib: ["es2022", "dom", "dom.iterable"],
      module: mode.module,
      moduleResolution: mode.moduleResolution,
      skipLibCheck,
      // TypeScript's own lib files are not ours to check either.
      skipDefaultLibCheck: true,
      forceConsistentCasingInFileNames: true,
      noFallthroughCasesInSwitch: true,
      types,
      paths,
    },
    files,
  };
}

/** Runs tsc on a generated tsconfig; resolves to {ok, output}. */
function runTsc(tsc, configPath) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [tsc, "-p", configPath, "--pretty", "false"], { cwd: ROOT });
    /** @type {Buffer[]} */
    const chunks = [];
    child.stdout.on("data", (chunk) => chunks.push(chunk));
    child.stderr.on("data", (chunk) => chunks.push(chunk));
    child.on("error", (error) => fail(`could not run tsc: ${error.message}`));
    child.on("close", (status) => resolvePromise({ ok: status === 0, output: Buffer.concat(chunks).toString("utf8").trim() }));
  });
}

/** tsc runs at once: each is one single-threaded process, so as many as the machine has cores (at least two). */
const TSC_RUNS_AT_ONCE = Math.max(2, availableParallelism());

/**
 * Runs tsc on each config, TSC_RUNS_AT_ONCE at a time; the results in the configs' order.
 * @param {string} tsc @param {string[]} configPaths @returns {Promise<{ok: boolean, output: string}[]>}
 */
async function runTscAll(tsc, configPaths) {
  const results = new Array(configPaths.length);
  let next = 0;
  const worker = async () => {
    while (next < configPaths.length) {
      const index = next++;
      results[index] = await runTsc(tsc, configPaths[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TSC_RUNS_AT_ONCE, configPaths.length) }, worker));
  return results;
}

async function main() {
  const tsc = findTsc();
  const work = mkdtempSync(join(ROOT, ".check-types-"));
  let failed = false;
  try {
    const paths = packagePaths();
    const types = existsSync(join(ROOT, "node_modules", "@types", "node")) ? ["node"] : [];

    // 1. Declarations and types tests.
    const declarations = walk(join(ROOT, "js"), (name) => name.endsWith(".d.ts")).filter(
      (path) => !relative(ROOT, path).split(sep).includes("cjs"),
    );
    const typeTests = walk(join(ROOT, "tests", "types"), (name) => /\.(m|c)?ts$/.test(name) && !name.endsWith(".d.ts"));
    const checkedJs = CHECKED_JS.map((file) => join(ROOT, file));
    for (const file of checkedJs) {
      if (!existsSync(file)) fail(`${relative(ROOT, file)} (CHECKED_JS) does not exist`);
      if (!TS_CHECK.test(readFileSync(file, "utf8").slice(0, 2000))) fail(`${relative(ROOT, file)} (CHECKED_JS) has no // @ts-check line`);
    }

    // 2. README blocks.
    if (markdownIndex > 0 && !existsSync(MARKDOWN)) fail(`${MARKDOWN_NAME} does not exist`);
    const blocks = existsSync(MARKDOWN) ? extractBlocks(readFileSync(MARKDOWN, "utf8")) : [];
    const checked = blocks.filter((block) => !block.skip);
    const skipped = blocks.filter((block) => block.skip);
    const blockFiles = new Map(); // temp file -> block
    const missing = new Set();
    for (const [index, block] of checked.entries()) {
      const file = join(work, `readme-${String(index + 1).padStart(2, "0")}.mts`);
      // Blank lines first, so tsc's line numbers are README.md's; `export {}` makes every block a module.
      writeFileSync(file, `${"\n".repeat(block.startLine - 1)}${block.code.join("\n")}\nexport {};\n`);
      blockFiles.set(file, block);
      for (const specifier of importedSpecifiers(block.code.join("\n"))) {
        if (specifier.startsWith("node:") || specifier === PACKAGE_NAME || specifier.startsWith(`${PACKAGE_NAME}/`)) continue;
        const name = packageOf(specifier);
        if (!existsSync(join(ROOT, "node_modules", name, "package.json"))) missing.add(specifier);
      }
    }
    const ambient = join(work, "not-installed.d.ts");
    writeFileSync(
      ambient,
      `// Packages ${MARKDOWN_NAME} imports that are not installed here: typed as any.\n` +
        [...missing].sort().map((specifier) => `declare module ${JSON.stringify(specifier)};\n`).join(""),
    );

    const runs = [];
    for (const mode of MODES) {
      runs.push({
        label: `declarations + tests/types (${mode.name})`,
        // No @types/node: the declarations must not need it (browsers and bundlers read them too).
        config: tsconfig(mode, [...declarations, ...typeTests], { skipLibCheck: false, paths, types: [] }),
        file: `declarations-${mode.name}.json`,
      });
      if (checkedJs.length > 0) {
        const config = tsconfig(mode, checkedJs, { skipLibCheck: false, paths, types: [] });
        Object.assign(config.compilerOptions, { allowJs: true, checkJs: false });
        runs.push({ label: `JS files with // @ts-check (${mode.name})`, config, file: `checked-js-${mode.name}.json` });
      }
      if (checked.length > 0) {
        runs.push({
          label: `${MARKDOWN_NAME} blocks (${mode.name})`,
          // Third-party typings are not ours to check; the package's own were checked just above.
          config: tsconfig(mode, [...blockFiles.keys(), ambient], { skipLibCheck: true, paths, types }),
          file: `readme-${mode.name}.json`,
        });
      }
    }

    // 3. The top-level declarations as CommonJS declarations (what require() users of js/cjs/ read).
    const topLevel = readdirSync(join(ROOT, "js")).filter((name) => name.endsWith(".d.ts")).sort();
    if (topLevel.includes("index.d.ts")) {
      const cjs = join(work, "cjs");
      mkdirSync(cjs);
      for (const name of topLevel) copyFileSync(join(ROOT, "js", name), join(cjs, name));
      // The declarations the top-level ones import from js/generated/ (scripts/gen-api.mjs writes them).
      const generatedDir = join(ROOT, "js", "generated");
      const generated = existsSync(generatedDir) ? readdirSync(generatedDir).filter((name) => name.endsWith(".d.ts")) : [];
      if (generated.length > 0) mkdirSync(join(cjs, "generated"));
      for (const name of generated) copyFileSync(join(generatedDir, name), join(cjs, "generated", name));
      writeFileSync(join(cjs, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
      const consumer = join(work, "cjs-consumer.cts");
      writeFileSync(
        consumer,
        [
          "// A CommonJS user of the package: require() gives the named exports and `default`.",
          'import jobRouter = require("./cjs/index.js");',
          'const client = jobRouter.JobRouter("endpoint=https://cjs.communication.azure.com/;accesskey=ZGV2");',
          'const viaDefault: typeof client = jobRouter.default("https://cjs.communication.azure.com");',
          "const emulator: jobRouter.RouterEmulator = client.emulator;",
          "const names: readonly jobRouter.RouterEventShortName[] = jobRouter.EVENT_TYPES;",
          "async function use(): Promise<void> {",
          '  const res = await client.path("/routing/jobs/{jobId}", "j").get();',
          "  if (jobRouter.isUnexpected(res)) throw res.body;",
          "  const id: string = res.body.id;",
          "  void id;",
          "}",
          "void viaDefault, emulator, names, use, jobRouter.paginate, jobRouter.RestError, jobRouter.createClient, jobRouter.createEmulatorHttpClient;",
          // The other top-level entries (./msw, ./playwright, ...) must load as CommonJS declarations too.
          ...topLevel
            .filter((name) => name !== "index.d.ts")
            .map((name, index) => `import entry${index} = require("./cjs/${name.replace(/\.d\.ts$/, ".js")}");\nvoid entry${index};`),
          "",
        ].join("\n"),
      );
      runs.push({
        label: "declarations read as CommonJS (nodenext, .cts)",
        config: tsconfig(MODES[0], [consumer], { skipLibCheck: false, paths: {}, types: [] }),
        file: "cjs.json",
      });
    }

    const configPaths = runs.map((run) => {
      const configPath = join(work, run.file);
      writeFileSync(configPath, `${JSON.stringify(run.config, null, 2)}\n`);
      return configPath;
    });
    const results = await runTscAll(tsc, configPaths);
    for (const [index, run] of runs.entries()) {
      const { ok, output } = results[index];
      const shown = output
        .split("\n")
        .map((line) => {
          for (const [file, block] of blockFiles) {
            if (line.startsWith(file) || line.startsWith(relative(ROOT, file))) {
              const rest = line.slice(line.startsWith(file) ? file.length : relative(ROOT, file).length);
              return `${MARKDOWN_NAME}${rest}  [${block.language} block at line ${block.startLine - 1}]`;
            }
          }
          return line.startsWith(ROOT + sep) ? relative(ROOT, line) : line;
        })
        .join("\n");
      process.stdout.write(`check-types: tsc --strict --noEmit, ${run.label}: ${ok ? "ok" : "FAILED"}\n`);
      if (!ok) {
        failed = true;
        process.stdout.write(`${shown}\n`);
      }
    }

    process.stdout.write(
      `check-types: ${declarations.length} declaration files, ${typeTests.length} types test files, ` +
        `${checkedJs.length} JS files with // @ts-check; ` +
        `${MARKDOWN_NAME}: ${checked.length} code blocks checked, ${skipped.length} skipped` +
        (skipped.length ? ` (lines ${skipped.map((block) => block.startLine - 1).join(", ")})` : "") +
        (missing.size ? `; typed as any (not installed): ${[...missing].sort().join(", ")}` : "") +
        "\n",
    );

    // 4. Declared value exports against the run-time modules.
    const ts = createRequire(join(ROOT, "package.json"))("typescript");
    const { problems, compared } = await compareExports(ts);
    process.stdout.write(
      `check-types: declared value exports = run-time exports (${compared.map((subpath) => `"${subpath}"`).join(", ")}): ` +
        `${problems.length ? "FAILED" : "ok"}\n`,
    );
    for (const problem of problems) process.stdout.write(`  ${problem}\n`);
    if (problems.length) failed = true;
  } finally {
    if (KEEP) process.stdout.write(`check-types: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (failed) {
    process.stdout.write("check-types: FAILED\n");
    process.exit(1);
  }
  process.stdout.write("check-types: all passed\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
