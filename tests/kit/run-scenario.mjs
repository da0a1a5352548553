// Runs one kit scenario in its own process (the harness, tests/kit/harness.mjs, starts one per scenario):
//
//   node tests/kit/run-scenario.mjs <scenario> <work-dir> <package-dir>
//
// Makes the scenario's scratch project <work-dir>/<scenario>/ (package.json, the scenario's files/, the
// shared app, and the packed package copied into node_modules/jobrouter-emulator), runs the scenario, and
// writes its outcome to <work-dir>/<scenario>/kit-result.json.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { run } from "./lib/util.mjs";

const kitDir = dirname(fileURLToPath(import.meta.url));
const root = join(kitDir, "..", "..");
const [name, workDir, packageDir] = process.argv.slice(2);
const dir = join(workDir, name);
const scenarioDir = join(kitDir, "scenarios", name);

/** A shared module as CommonJS (for require() scenarios): its `export` keywords dropped, its names exported. */
function asCommonJs(file, names) {
  const source = readFileSync(join(kitDir, "shared", file), "utf8").replace(/^export (async function|function|const) /gm, "$1 ");
  return `${source}\nmodule.exports = { ${names.join(", ")} };\n`;
}

const outcome = { status: "fail", config: [], notes: [], bundle: null, error: null, reason: null };
const ctx = {
  name,
  dir,
  root,
  kitDir,
  node: process.execPath,
  /** Configuration the scenario needed (beyond zero configuration), for the matrix. */
  config: (text) => outcome.config.push(text),
  note: (text) => outcome.notes.push(text),
  /** Records the size of a bundle (raw/gzip bytes of its .js files). */
  bundle: (value) => (outcome.bundle = value),
  run: (command, args, options = {}) => run(command, args, { cwd: dir, ...options }),
  /** Where `specifier` resolves with require() from the scratch project. */
  resolve: (specifier) => createRequire(join(dir, "package.json")).resolve(specifier),
  /** Copies the browser app (src/app.js, src/lifecycle.mjs) and index.html with the given script tag. */
  browserApp(scriptTag, { html = "index.html", app = "src/app.js", importFrom = "jobrouter-emulator" } = {}) {
    const source = readFileSync(join(kitDir, "shared", "browser-app.js"), "utf8");
    writeFileSync(join(dir, app), source.replace('from "jobrouter-emulator"', `from "${importFrom}"`));
    const page = readFileSync(join(kitDir, "shared", "index.html"), "utf8").replace("<!--SCRIPT-->", scriptTag);
    writeFileSync(join(dir, html), page);
  },
};

try {
  const scenario = (await import(pathToFileURL(join(scenarioDir, "scenario.mjs")).href)).default;
  const skip = scenario.skip ? await scenario.skip(ctx) : null;
  if (skip) {
    outcome.status = "skip";
    outcome.reason = skip;
  } else {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify({ name: `kit-${name}`, private: true, version: "0.0.0", type: scenario.type ?? "module" }, null, 2)}\n`,
    );
    cpSync(join(kitDir, "shared", "lifecycle.mjs"), join(dir, "src", "lifecycle.mjs"));
    writeFileSync(join(dir, "src", "lifecycle.cjs"), asCommonJs("lifecycle.mjs", ["lifecycle"]));
    cpSync(join(kitDir, "shared", "expected.mjs"), join(dir, "src", "expected.mjs"));
    writeFileSync(join(dir, "src", "expected.cjs"), asCommonJs("expected.mjs", ["EXPECTED", "differences"]));
    if (existsSync(join(scenarioDir, "files"))) cpSync(join(scenarioDir, "files"), dir, { recursive: true });
    cpSync(packageDir, join(dir, "node_modules", "jobrouter-emulator"), { recursive: true });
    // The package must come from the tarball, never from the repository (whose package.json has the same name).
    const resolved = ctx.resolve("jobrouter-emulator");
    if (!resolved.startsWith(join(dir, "node_modules", "jobrouter-emulator") + sep)) {
      throw new Error(`require.resolve("jobrouter-emulator") from the scratch project gives ${resolved}, not the installed tarball`);
    }
    await scenario.run(ctx);
    outcome.status = "pass";
  }
} catch (error) {
  outcome.status = "fail";
  outcome.error = String((error && error.stack) || error);
}
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "kit-result.json"), `${JSON.stringify(outcome, null, 2)}\n`);
// Tools (vite, chromium) may leave handles open: the outcome is written, so leave now.
process.exit(0);
