// The front-end kit (tests/kit/): the package as `npm pack` makes it, in a scratch project per scenario
// (build/kit-work/run-<pid>/<scenario>/), through every bundler and test runner the kit covers — one subtest per scenario.
// The scenarios run two at a time in their own processes (tests/kit/harness.mjs); the matrix is printed and
// written to test-output/kit-matrix.json.
//
// KIT_SCENARIOS=esbuild,jest-esm limits the run to the scenarios named.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runKit, scenarioNames } from "../kit/harness.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const missingCore = existsSync(join(root, "js", "generated", "jobrouter-core.js"))
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const wanted = process.env.KIT_SCENARIOS ? process.env.KIT_SCENARIOS.split(",").map((name) => name.trim()).filter(Boolean) : null;
const names = scenarioNames().filter((name) => !wanted || wanted.includes(name));

const kit = missingCore ? null : runKit({ names, log: (line) => process.stderr.write(`${line}\n`) });
// Reported by the last subtest; awaited there so an npm pack failure is not an unhandled rejection.
const matrix = kit ? kit.done.catch((error) => error) : null;

for (const name of names) {
  test(`kit: ${name}`, { skip: missingCore, timeout: 600_000 }, async (t) => {
    const result = await kit.results.get(name);
    if (result.status === "skip") {
      t.skip(result.reason);
      return;
    }
    for (const line of [...(result.config ?? []).map((c) => `config: ${c}`), ...(result.notes ?? [])]) t.diagnostic(line);
    if (result.bundle) t.diagnostic(`bundle ${result.bundle.file}: ${result.bundle.raw} B raw, ${result.bundle.gzip} B gzip`);
    t.diagnostic(`${result.seconds} s`);
    assert.equal(result.status, "pass", `${result.title}:\n${result.error}`);
  });
}

test("kit: matrix written", { skip: missingCore, timeout: 600_000 }, async () => {
  const done = await matrix;
  if (done instanceof Error) throw done;
  assert.equal(done.scenarios.length, names.length);
});
