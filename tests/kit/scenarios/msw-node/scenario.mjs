// MSW in Node: setupServer(...jobRouterHandlers({ endpoint })) from jobrouter-emulator/msw (the tarball's), the
// shared lifecycle sent with plain fetch to the endpoint and answered by the endpoint's shared emulator. Then under
// require() (msw-app.cjs): a resource made through the main entry's client is fetched through the handlers.
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
    const cjs = await ctx.run(ctx.node, ["msw-app.cjs"], { timeout: 45_000 });
    if (cjs.code !== 0) throw new Error(`msw-app.cjs: exit ${cjs.code}\n${tail(cjs.stderr)}`);
    const out = lastJson(cjs.stdout);
    if (out.created !== "201" || out.fetched !== 200 || out.id !== "dp-cjs") {
      throw new Error(`require(): the /msw handlers did not answer from the main entry's emulator (${JSON.stringify(out)})`);
    }
  },
};
