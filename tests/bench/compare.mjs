// Before/after in one run: the lifecycle and cold-start benchmarks of two checkouts, alternated process by process so that both
// see the same machine load, and the ratio of their medians. Each checkout runs this checkout's benchmark
// scripts (copied into a temporary directory beside its js/, so the scripts are the same and only the package
// differs); both must have a built js/generated/jobrouter-core.js.
//
//   node tests/bench/compare.mjs <before checkout> <after checkout> [rounds = 5] [lifecycles = 20000]
//
// Prints a table and one JSON line. Rates are lifecycles per second of wall-clock time and per second of the
// benchmark process's CPU time (steadier on a shared machine); the cold start is the package imported by its name
// plus the first request in a fresh process (each checkout's own package.json exports), in milliseconds.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median, sig } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [before, after, roundsArg, lifecyclesArg] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node tests/bench/compare.mjs <before checkout> <after checkout> [rounds] [lifecycles]");
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);
const lifecycles = Number(lifecyclesArg ?? 20000);
const lifecycleRates = (out) => ({
  "lifecycles/s (wall clock)": out.lifecyclesPerSecond,
  "lifecycles/s (per CPU second)": out.cpuLifecyclesPerSecond,
});
/** Each bench's script, its arguments, runs per round and side, and the measures it gives (name → value). */
const benches = [
  { name: "JS API", file: "js-api.mjs", argv: [lifecycles, 2000], runs: 1, measures: lifecycleRates },
  { name: "RouterEmulator.handle", file: "emulator-lifecycle.mjs", argv: [lifecycles], runs: 1, measures: lifecycleRates },
  // the package imported by its name in a fresh process (each checkout's own package.json exports)
  { name: "cold start", file: "cold-start.mjs", argv: [], runs: 3, measures: (out) => ({ "ms, import + first request": out.totalMs }) },
];

/** This checkout's benchmark scripts in a new directory beside the checkout's tests/bench (they import ../../js/). */
function scriptsIn(checkout) {
  const dir = mkdtempSync(join(resolve(checkout), "tests", "bench-compare-"));
  cpSync(here, dir, { recursive: true, filter: (path) => !path.endsWith(".cpp") });
  return { dir, scripts: dir };
}

const sides = { before: scriptsIn(before), after: scriptsIn(after) };
/** @type {Record<string, Record<string, { before: number[], after: number[] }>>} bench → measure → side → values */
const values = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const bench of benches) {
      for (let run = 0; run < bench.runs; run++) {
        // alternate which side goes first
        for (const side of (round + run) % 2 === 0 ? ["before", "after"] : ["after", "before"]) {
          const result = spawnSync(process.execPath, ["--expose-gc", join(sides[side].scripts, bench.file), ...bench.argv.map(String)],
            { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 });
          if (result.status !== 0) throw new Error(`${side} ${bench.file} failed (${result.status ?? result.signal})`);
          const out = JSON.parse(result.stdout.trim().split("\n").pop());
          for (const [measure, value] of Object.entries(bench.measures(out))) {
            (((values[bench.name] ??= {})[measure] ??= { before: [], after: [] })[side]).push(value);
          }
          process.stderr.write(`[compare] round ${round + 1}/${rounds} ${bench.name} ${side}: ${JSON.stringify(bench.measures(out))}\n`);
        }
      }
    }
  }
} finally {
  for (const side of Object.values(sides)) rmSync(side.dir, { recursive: true, force: true });
}

const rows = [];
const summary = {};
for (const bench of benches) {
  for (const [measure, sides] of Object.entries(values[bench.name])) {
    const b = median(sides.before);
    const a = median(sides.after);
    rows.push([`${bench.name} ${measure}`, sig(b), sig(a), `${sig(a / b)}×`]);
    summary[`${bench.name} ${measure}`] = { before: b, after: a, ratio: Math.round((a / b) * 100) / 100 };
  }
}
const widths = [0, 1, 2, 3].map((i) => Math.max(...[["metric", "before", "after", "after / before"], ...rows].map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(line(["metric", "before", "after", "after / before"]));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
console.log(`medians of ${rounds} alternated runs of ${lifecycles} lifecycles each (cold start: ${rounds * 3} runs a side)`);
console.log(JSON.stringify({ rounds, lifecycles, summary }));
