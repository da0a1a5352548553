// The soak run of scripts/soak.mjs (npm run soak): concurrent job lifecycles, worker churn, SSE readers and a
// webhook receiver against the server with --state, then kill -9 and a restart that must hold every
// acknowledged write. Fails on errors or lost writes, never on speed. Runs when JR_SOAK_SECONDS (its length,
// e.g. 60) or CI is set; skipped otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const seconds = Number(process.env.JR_SOAK_SECONDS ?? (process.env.CI ? 60 : 0));
const skip = !existsSync(path.join(ROOT, "js", "generated", "jobrouter-core.js"))
  ? "js/generated/jobrouter-core.js is absent (npm run build)"
  : seconds > 0 ? false : "set JR_SOAK_SECONDS=60 (or CI) to run the soak";

test(`soak: ${seconds || 60} s of lifecycles with --state, then kill -9: no errors, no lost writes`, { skip, timeout: (seconds + 120) * 1000 }, () => {
  const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "soak.mjs"), "--seconds", String(seconds)], {
    cwd: ROOT, encoding: "utf8", timeout: (seconds + 110) * 1000,
  });
  process.stdout.write(run.stdout.split("\n").map((line) => `# ${line}`).join("\n") + "\n");
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, / 0 errors, 0 acknowledged writes lost/);
});
