// The official pipeline in-process: getClient (@azure-rest/core-client) + createCommunicationAuthPolicy
// (@azure/communication-common) — what @azure-rest/communication-job-router's createClient builds — with
// { httpClient: createEmulatorHttpClient(emulator) } from the tarball; the shared lifecycle through it.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { assertSummary } from "../../lib/checks.mjs";
import { lastJson, tail } from "../../lib/util.mjs";

export default {
  title: "official pipeline + createEmulatorHttpClient",
  timeout: 60_000,
  async run(ctx) {
    cpSync(join(ctx.kitDir, "shared", "official-client.mjs"), join(ctx.dir, "src", "official-client.mjs"));
    ctx.config('JobRouterClient(conn, { httpClient: createEmulatorHttpClient(conn) }) — here getClient(url, { apiVersion: "2023-11-01", httpClient }) + createCommunicationAuthPolicy');
    const result = await ctx.run(ctx.node, ["official-app.mjs"], { timeout: 45_000 });
    if (result.code !== 0) throw new Error(`official-app.mjs: exit ${result.code}\n${tail(result.stderr)}`);
    const out = lastJson(result.stdout);
    assertSummary(out.summary, "official pipeline");
    if (out.signed < out.summary.steps.length) throw new Error(`only ${out.signed} of the requests were HMAC-signed by the pipeline`);
    ctx.note(`${out.signed} requests HMAC-signed by the official auth policy`);
  },
};
