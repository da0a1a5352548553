// webpack 5 for a server (target "node", as Next.js and other SSR builds do; mode production, default output): webpack resolves the package's `node` entry (Node's zlib, node: built-ins left to Node); the bundle is
// run with this Node and must run the lifecycle and read the clock before any request. Then the same app written
// with require() (TypeScript compiled to CommonJS, NestJS): webpack takes the `require` entry, the CommonJS bundle,
// with no warning, and its bundle must load the core synchronously too (the package's wasm file, found up the tree).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary } from "../../lib/checks.mjs";
import { assertFromTarball, lastJson, sizes, tail } from "../../lib/util.mjs";
import { webpackBuild } from "../webpack/scenario.mjs";

/** The app after its imports: the clock read before any request, then the lifecycle. */
const APP_BODY = `
const early = new RouterEmulator({ clock: "manual" });
const syncNow = early.clock.now();
early.dispose();
lifecycle(JobRouter, isUnexpected).then(
  (summary) => console.log(JSON.stringify({ summary, syncNow })),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
`;
const APP = `import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { lifecycle } from "./lifecycle.mjs";
${APP_BODY}`;
const CJS_APP = `const { default: JobRouter, isUnexpected, RouterEmulator } = require("jobrouter-emulator");
const { lifecycle } = require("./lifecycle.cjs");
${APP_BODY}`;

/** Runs a bundle with this Node: the lifecycle's summary and the clock read before any request. */
async function runBundle(ctx, file, what) {
  const result = await ctx.run(ctx.node, [file], { timeout: 30_000 });
  if (result.code !== 0) throw new Error(`node ${file}: exit ${result.code}\n${tail(result.stderr)}`);
  const out = lastJson(result.stdout);
  assertSummary(out.summary, what);
  if (out.syncNow !== "2024-01-01T00:00:00+00:00") throw new Error(`${what}: clock.now() before any request gave ${out.syncNow}`);
}

export default {
  title: "webpack 5 target node (SSR)",
  type: "commonjs",
  timeout: 120_000,
  async run(ctx) {
    // An ES module entry (.mjs) in a CommonJS project, so that the CommonJS bundle dist/main.js runs under Node.
    writeFileSync(join(ctx.dir, "src", "index.mjs"), APP);
    ctx.config('webpack.config: target: "node", entry "./src/index.mjs"');
    const { ids } = await webpackBuild(ctx, { mode: "production", target: "node", entry: "./src/index.mjs" });
    const used = assertFromTarball(ids, ctx);
    if (!used.includes("js/bundle/node.js")) throw new Error(`webpack target node did not take the package's node entry (${used.join(", ")})`);
    ctx.bundle({ ...sizes([join(ctx.dir, "dist", "main.js")]), file: "dist/main.js" });
    await runBundle(ctx, "dist/main.js", "webpack target node bundle");

    writeFileSync(join(ctx.dir, "src", "index.cjs"), CJS_APP);
    ctx.config('and a CommonJS entry "./src/index.cjs" (require) into dist-cjs/');
    const cjs = await webpackBuild(ctx, { mode: "production", target: "node", entry: "./src/index.cjs",
      output: { path: join(ctx.dir, "dist-cjs") } });
    const usedCjs = assertFromTarball(cjs.ids, ctx);
    if (!usedCjs.includes("js/cjs/bundle.js")) throw new Error(`webpack target node did not take the package's require entry (${usedCjs.join(", ")})`);
    await runBundle(ctx, "dist-cjs/main.js", "webpack target node bundle of require()");
  },
};
