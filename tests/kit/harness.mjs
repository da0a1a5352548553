// The front-end kit: the packed package (npm pack, once) in a scratch project per scenario under build/kit-work/,
// each scenario in its own process, two at a time, with a timeout each; then a matrix (scenario x result x
// bundle size x seconds) printed and written to test-output/kit-matrix.json.
//
//   node tests/kit/harness.mjs [scenario ...]      (all scenarios when none is named)
//
// tests/js/kit.test.mjs runs it under node --test, one subtest per scenario.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { run, tail } from "./lib/util.mjs";

const kitDir = dirname(fileURLToPath(import.meta.url));
const root = join(kitDir, "..", "..");
export const workDir = join(root, "build", "kit-work");
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

/** npm pack (prepack builds js/cjs/) into build/kit-work/_pack/, extracted; resolves to the package folder. */
export async function packOnce(log = () => {}) {
  const packDir = join(workDir, "_pack");
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const started = Date.now();
  const packed = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: root, env: npmEnv, timeout: 120_000 });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${tail(packed.stderr)}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")));
  const tarball = join(packDir, info.filename);
  await run("tar", ["xzf", tarball, "-C", packDir], { check: true });
  log(`[kit] packed ${info.filename}: ${info.entryCount} files, ${info.size} B (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { packageDir: join(packDir, "package"), tarball, files: info.files.map((f) => f.path) };
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
  if (child.stderr.includes("timed out")) outcome = { ...outcome, status: "fail", error: `timed out after ${info.timeout / 1000} s\n${outcome.error ?? ""}` };
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
  const widths = rows[0].map((_, i) => Math.max(...rows.slice(0, -0 || undefined).map((row) => Math.min(row[i].length, i === 5 ? 200 : 40))));
  const lines = rows.map((row) => row.map((cell, i) => (i === 5 ? cell : cell.padEnd(widths[i]))).join("  "));
  lines.splice(1, 0, widths.map((w, i) => "-".repeat(i === 5 ? 24 : w)).join("  "));
  return `[kit] matrix (${matrix.wallSeconds} s wall, ${matrix.concurrency} at a time; test-output/kit-matrix.json)\n${lines.join("\n")}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  const { done } = runKit(names.length > 0 ? { names } : {});
  const matrix = await done;
  process.exitCode = matrix.scenarios.some((r) => r.status === "fail") ? 1 : 0;
}
