// MSW in Node: setupServer(...jobRouterHandlers({ endpoint })) from jobrouter-emulator/msw (the tarball's), the
// shared lifecycle sent with plain fetch to the endpoint and answered by the endpoint's shared emulator.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { assertSummary } from "../../lib/checks.mjs";
import { lastJson, tail } from "../../lib/util.mjs";

export default {
  title: "MSW setupServer (msw/node) + jobRouterHandlers",
  timeout: 60_000,
  async run(ctx) {
    cpSync(join(ctx.kitDir, "shared", "fetch-client.mjs"), join(ctx.dir, "src", "fetch-client.mjs"));
    ctx.config('setupServer(...jobRouterHandlers({ endpoint })) from "jobrouter-emulator/msw"');
    const result = await ctx.run(ctx.node, ["msw-app.mjs"], { timeout: 45_000 });
    if (result.code !== 0) throw new Error(`msw-app.mjs: exit ${result.code}\n${tail(result.stderr)}`);
    assertSummary(lastJson(result.stdout).summary, "MSW in Node");
  },
};
