// The front-end kit: the packed package (npm pack once, of a copy of the package's sources) in a scratch project
// per scenario under build/kit-work/, each scenario in its own process, two at a time, with a timeout each; then
// a matrix (scenario x result x bundle size x seconds) printed and written to test-output/kit-matrix.json.
//
//   node tests/kit/harness.mjs [scenario ...]      (all scenarios when none is named)
//
// tests/js/kit.test.mjs runs it under node --test, one subtest per scenario.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { run, tail } from "./lib/util.mjs";

const kitDir = dirname(fileURLToPath(import.meta.url));
const root = join(kitDir, "..", "..");
/**
 * This run's folder, build/kit-work/run-<pid>/ (two runs in one working tree at once do not share scratch
 * projects); folders of earlier runs whose process is gone are removed when a run starts, the last one stays for
 * a look.
 */
export const workDir = join(root, "build", "kit-work", `run-${process.pid}`);

function pruneEarlierRuns() {
  const parent = dirname(workDir);
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const match = /^run-(\d+)$/.exec(name);
    if (!match || Number(match[1]) === process.pid) continue;
    let alive = true;
    try {
      process.kill(Number(match[1]), 0);
    } catch (error) {
      alive = error.code === "EPERM";
    }
    if (!alive) rmSync(join(parent, name), { recursive: true, force: true });
  }
}
const scenariosDir = join(kitDir, "scenarios");

/** Slow scenarios first, so that two workers finish close together. */
const ORDER = [
  "vite-dev", "msw-vite-dev", "vite-build", "webpack", "webpack-node", "msw-browser", "playwright-route", "alias-webpack", "rollup", "esbuild",
  "jest-ts", "jest-babel-cjs", "jest-jsdom", "jest-esm", "jest-esm-jsdom", "alias-jest", "vitest-node", "vitest-jsdom", "alias-vitest",
  "node18", "node22", "cjs-node20", "node-test-esm", "msw-node", "official-pipeline", "faults", "types",
];

/** Scenario folder names (each a folder of tests/kit/scenarios/ with a scenario.mjs). */
export function scenarioNames() {
  const found = readdirSync(scenariosDir).filter((name) => existsSync(join(scenariosDir, name, "scenario.mjs")));
  const rank = (name) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export async function scenarioInfo(name) {
  const scenario = (await import(pathToFileURL(join(scenariosDir, name, "scenario.mjs")).href)).default;
  return { name, title: scenario.title ?? name, timeout: scenario.timeout ?? 120_000 };
}

const npmEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

/**
 * Files of a tarball's file list that its CommonJS build lacks: js/cjs/ must hold its bundle, the entries
 * package.json's `require` conditions name, the embedded wasm's module and its package.json.
 */
export function missingCjs(files) {
  const have = new Set(files);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const wanted = Object.values(manifest.exports)
    .map((conditions) => conditions.require?.default)
    .filter((entry) => typeof entry === "string")
    .map((entry) => entry.replace(/^\.\//, ""));
  wanted.push("js/cjs/package.json", "js/cjs/bundle.js", "js/cjs/generated/embedded-wasm.js");
  // and the Node entries' ES-module bundle (scripts/build-node-esm.mjs) its package.json exports name
  wanted.push("js/bundle/node.js", "js/bundle/msw.node.js", "js/bundle/playwright.node.js", "js/bundle/server.js",
    "js/bundle/compact-worker.js");
  return wanted.filter((file) => !have.has(file));
}

/**
 * What `npm pack` reads, copied to build/kit-work/_src/: package.json, README and licence, the entries of
 * package.json "files" (js/ without its CommonJS build and Node bundle, web-demo/), and the scripts the prepack
 * script runs (build-cjs.mjs, build-node-esm.mjs, and the scripts/ modules they import). Packing the copy runs prepack there, so the kit never rewrites the working tree's js/cjs/ (which other
 * processes may be reading or building at the same time) and its tarball is made from the sources as they are.
 */
function copyPackageSource() {
  const source = join(workDir, "_src");
  rmSync(source, { recursive: true, force: true });
  mkdirSync(join(source, "scripts"), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const entries = ["package.json", ...readdirSync(root).filter((name) => /^(readme|license|licence)(\.|$)/i.test(name))];
  for (const entry of manifest.files ?? []) {
    if (!entry.startsWith("!")) entries.push(entry.replace(/\/+$/, ""));
  }
  const skipped = [join(root, "js", "cjs"), join(root, "js", ".cjs-staging"), join(root, "js", "bundle"),
    join(root, "js", ".bundle-staging")];
  for (const entry of new Set(entries)) {
    if (!existsSync(join(root, entry))) continue;
    cpSync(join(root, entry), join(source, entry), {
      recursive: true,
      filter: (from) => !skipped.some((skip) => from === skip || from.startsWith(skip + sep)),
    });
  }
  // the scripts package.json's prepack runs, and the scripts of this folder they import
  const scripts = [...(manifest.scripts?.prepack ?? "").matchAll(/scripts\/([\w.-]+\.mjs)/g)].map((match) => match[1]);
  for (let i = 0; i < scripts.length; i++) {
    const text = readFileSync(join(root, "scripts", scripts[i]), "utf8");
    for (const [, imported] of text.matchAll(/from "\.\/([\w.-]+\.mjs)"/g)) if (!scripts.includes(imported)) scripts.push(imported);
    cpSync(join(root, "scripts", scripts[i]), join(source, "scripts", scripts[i]));
  }
  return source;
}

/**
 * npm pack (prepack builds js/cjs/) into build/kit-work/_pack/, extracted; resolves to the package folder.
 * A tarball with an incomplete js/cjs/ (another process rebuilding it in the same working tree at the same
 * moment) is packed again, up to three times.
 */
export async function packOnce(log = () => {}) {
  const packDir = join(workDir, "_pack");
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    rmSync(packDir, { recursive: true, force: true });
    mkdirSync(packDir, { recursive: true });
    const source = copyPackageSource();
    const packed = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: source, env: npmEnv, timeout: 120_000 });
    let info = null;
    try {
      [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")));
    } catch {}
    const files = info ? info.files.map((f) => f.path) : [];
    const missing = info ? missingCjs(files) : [];
    if (packed.code === 0 && info && missing.length === 0) {
      const tarball = join(packDir, info.filename);
      await run("tar", ["xzf", tarball, "-C", packDir], { check: true });
      log(`[kit] packed ${info.filename}: ${info.entryCount} files, ${info.size} B (${((Date.now() - started) / 1000).toFixed(1)} s${attempt > 1 ? `, attempt ${attempt}` : ""})`);
      return { packageDir: join(packDir, "package"), tarball, files };
    }
    const problem = packed.code !== 0 || !info
      ? `npm pack failed:\n${tail(packed.stderr)}`
      : `the tarball's js/cjs/ is incomplete (js/cjs/ rebuilt by another process at the same time?): no ${missing.slice(0, 4).join(", ")}`;
    if (attempt >= 3) throw new Error(problem);
    log(`[kit] ${problem.split("\n")[0]}; packing again`);
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 3000));
  }
}

/** The environment of scenario processes: no NODE_OPTIONS, and not marked as a child of node --test. */
function scenarioEnv() {
  const env = { ...process.env, NODE_OPTIONS: "" };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs one scenario's process; resolves to its outcome plus name, title and seconds. */
async function runScenario(info, packageDir, log) {
  const started = Date.now();
  rmSync(join(workDir, info.name, "kit-result.json"), { force: true }); // never an outcome of an earlier run
  const child = await run(process.execPath, [join(kitDir, "run-scenario.mjs"), info.name, workDir, packageDir], {
    cwd: root,
    timeout: info.timeout,
    env: scenarioEnv(),
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  let outcome;
  try {
    outcome = JSON.parse(await readFile(join(workDir, info.name, "kit-result.json"), "utf8"));
  } catch {
    outcome = {
      status: "fail",
      config: [],
      notes: [],
      bundle: null,
      error: `the scenario process ended without an outcome (exit ${child.code}${child.signal ? `, ${child.signal}` : ""}):\n${tail(child.stdout)}\n${tail(child.stderr)}`,
    };
  }
  if (child.timedOut) outcome = { ...outcome, status: "fail", error: `timed out after ${info.timeout / 1000} s\n${outcome.error ?? ""}` };
  const result = { scenario: info.name, title: info.title, ...outcome, seconds };
  log(`[kit] ${result.status.padEnd(4)} ${info.name} (${seconds} s)${result.status === "fail" ? `\n${tail(result.error, 20)}` : result.reason ? `: ${result.reason}` : ""}`);
  return result;
}

/**
 * Runs scenarios `concurrency` at a time. Returns { results: Map name -> Promise<result>, done: Promise<matrix> }
 * at once, so that a caller can await each scenario as it finishes.
 */
export function runKit({ names = scenarioNames(), concurrency = 2, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const started = Date.now();
  const settle = new Map();
  const results = new Map();
  for (const name of names) {
    results.set(name, new Promise((resolvePromise) => settle.set(name, resolvePromise)));
  }
  const done = (async () => {
    pruneEarlierRuns();
    let pack;
    try {
      pack = await packOnce(log);
    } catch (error) {
      for (const name of names) {
        settle.get(name)({ scenario: name, title: name, status: "fail", error: `npm pack: ${error.message}`, seconds: 0, config: [], notes: [] });
      }
      throw error;
    }
    const queue = [...names];
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      while (queue.length > 0) {
        const name = queue.shift();
        let result;
        try {
          result = await runScenario(await scenarioInfo(name), pack.packageDir, log);
        } catch (error) {
          result = { scenario: name, title: name, status: "fail", error: String(error.stack || error), seconds: 0, config: [], notes: [] };
        }
        settle.get(name)(result);
      }
    });
    await Promise.all(workers);
    const rows = await Promise.all(names.map((name) => results.get(name)));
    const matrix = {
      generated: new Date().toISOString(),
      node: process.version,
      wallSeconds: Math.round((Date.now() - started) / 100) / 10,
      concurrency,
      tarballFiles: pack.files.length,
      scenarios: rows,
    };
    mkdirSync(join(root, "test-output"), { recursive: true });
    writeFileSync(join(root, "test-output", "kit-matrix.json"), `${JSON.stringify(matrix, null, 2)}\n`);
    log(formatMatrix(matrix));
    return matrix;
  })();
  return { results, done };
}

const kb = (bytes) => (bytes === undefined || bytes === null ? "" : `${(bytes / 1024).toFixed(1)} KB`);

/** The matrix as a text table. */
export function formatMatrix(matrix) {
  const rows = [["scenario", "result", "raw", "gzip", "s", "configuration / reason"]];
  for (const r of matrix.scenarios) {
    const extra = r.status === "skip" ? r.reason : r.status === "fail" ? String(r.error ?? "").split("\n")[0].slice(0, 100) : (r.config ?? []).join("; ") || "none";
    rows.push([r.scenario, r.status, kb(r.bundle?.raw), kb(r.bundle?.gzip), String(r.seconds), extra]);
  }
  const last = rows[0].length - 1; // the free-text column: not padded
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === last ? cell : cell.padEnd(widths[i]))).join("  "));
  lines.splice(1, 0, widths.map((w, i) => "-".repeat(i === last ? 24 : w)).join("  "));
  return `[kit] matrix (${matrix.wallSeconds} s wall, ${matrix.concurrency} at a time; test-output/kit-matrix.json)\n${lines.join("\n")}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  const { done } = runKit(names.length > 0 ? { names } : {});
  const matrix = await done;
  process.exitCode = matrix.scenarios.some((r) => r.status === "fail") ? 1 : 0;
}
