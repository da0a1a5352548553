// vitest: a test of an app that imports "@azure-rest/communication-job-router", mapped to this package by
// vitest's resolve.alias.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { runVitest } from "../../lib/vitest.mjs";

export default {
  title: "alias: vitest resolve.alias",
  timeout: 160_000,
  async run(ctx) {
    cpSync(join(ctx.kitDir, "shared", "official-app.mjs"), join(ctx.dir, "src", "official-app.mjs"));
    ctx.config('vitest.config.mjs: resolve: { alias: { "@azure-rest/communication-job-router": "jobrouter-emulator" } }');
    await runVitest(ctx, { expectTests: 1 });
  },
};
