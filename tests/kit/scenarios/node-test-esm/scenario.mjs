// node:test in an ES module project: `node --test` finds lifecycle.test.mjs and imports the package (the `node`
// condition: js/bundle/node.js, the bundle of js/node.js).
import { tail } from "../../lib/util.mjs";

export default {
  title: "node:test (ESM)",
  timeout: 60_000,
  async run(ctx) {
    const result = await ctx.run(ctx.node, ["--test", "lifecycle.test.mjs"], { timeout: 50_000 });
    if (result.code !== 0 || !/# pass 2\b/.test(result.stdout)) throw new Error(`node --test: exit ${result.code}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  },
};
