// The Node apps of the runtime scenarios: app.cjs (require) and app.mjs (import), each running the lifecycle and
// reading the clock synchronously before the first request (under Node the core loads on first use).
import { writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { assertSummary } from "./checks.mjs";
import { lastJson, tail } from "./util.mjs";

const CJS = `const { JobRouter, isUnexpected, RouterEmulator } = require("jobrouter-emulator");
const { lifecycle } = require("./src/lifecycle.cjs");
const defaultExport = require("jobrouter-emulator").default;
(async () => {
  const early = new RouterEmulator({ clock: "manual" });
  const syncNow = early.clock.now();
  early.dispose();
  const summary = await lifecycle(JobRouter, isUnexpected);
  console.log(JSON.stringify({ summary, syncNow, sameDefault: defaultExport === JobRouter, resolved: require.resolve("jobrouter-emulator"), node: process.version }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

const ESM = `import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { createRequire } from "node:module";
import { lifecycle } from "./src/lifecycle.mjs";
const early = new RouterEmulator({ clock: "manual" });
const syncNow = early.clock.now();
early.dispose();
const summary = await lifecycle(JobRouter, isUnexpected);
const resolved = import.meta.resolve ? import.meta.resolve("jobrouter-emulator") : null;
console.log(JSON.stringify({ summary, syncNow, sameDefault: true, resolved: resolved && resolved.replace("file://", ""), node: process.version }));
`;

async function runOne(ctx, nodeBinary, file, where, expectEntry) {
  const result = await ctx.run(nodeBinary, [file], { timeout: 45_000 });
  if (result.code !== 0) throw new Error(`${where}: exit ${result.code}\n${tail(result.stderr)}`);
  const out = lastJson(result.stdout);
  assertSummary(out.summary, where);
  if (out.syncNow !== "2024-01-01T00:00:00+00:00") throw new Error(`${where}: clock.now() before any request gave ${out.syncNow}`);
  if (!out.sameDefault) throw new Error(`${where}: require(...).default is not JobRouter`);
  if (out.resolved) {
    const installed = join(ctx.dir, "node_modules", "jobrouter-emulator") + sep;
    if (!decodeURIComponent(out.resolved).startsWith(installed) || !out.resolved.endsWith(expectEntry)) {
      throw new Error(`${where}: resolved ${out.resolved}, expected ${installed}${expectEntry}`);
    }
  }
  return out;
}

/** Runs app.cjs and/or app.mjs with nodeBinary in the scratch project; throws on any difference. */
export async function runNodeApp(ctx, nodeBinary, { cjs = true, esm = true } = {}) {
  const versions = [];
  if (cjs) {
    writeFileSync(join(ctx.dir, "app.cjs"), CJS);
    versions.push((await runOne(ctx, nodeBinary, "app.cjs", "require()", "js/cjs/node.js")).node);
  }
  if (esm) {
    writeFileSync(join(ctx.dir, "app.mjs"), ESM);
    versions.push((await runOne(ctx, nodeBinary, "app.mjs", "import", "js/bundle/node.js")).node);
  }
  ctx.note(`node ${versions[0]}: ${[cjs && "require()", esm && "import"].filter(Boolean).join(" and ")}`);
}
