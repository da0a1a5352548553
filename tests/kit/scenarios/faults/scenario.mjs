// Fault injection (emulator.faults) from the tarball: throttling with 429 + Retry-After on the package's client,
// a failNext 429 with Retry-After that the official pipeline's throttling retry policy waits out and retries,
// a failNext 503 that surfaces.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { lastJson, tail } from "../../lib/util.mjs";

export default {
  title: "fault injection (429 + Retry-After)",
  timeout: 60_000,
  async run(ctx) {
    cpSync(join(ctx.kitDir, "shared", "official-client.mjs"), join(ctx.dir, "src", "official-client.mjs"));
    const result = await ctx.run(ctx.node, ["faults-app.mjs"], { timeout: 45_000 });
    if (result.code !== 0) throw new Error(`faults-app.mjs: exit ${result.code}\n${tail(result.stderr)}`);
    const out = lastJson(result.stdout);
    const problems = [];
    const { throttle, retry, failNext } = out;
    if (JSON.stringify(throttle.statuses) !== JSON.stringify(["404", "404", "404", "429", "404"])) problems.push(`throttle statuses ${throttle.statuses}`);
    if (!throttle.throttled || !/^\d+$/.test(String(throttle.throttled.retryAfter)) || !throttle.throttled.unexpected) problems.push(`429 response ${JSON.stringify(throttle.throttled)}`);
    if (retry.status !== "201" || retry.attempts !== 2 || retry.waitedMs < 900 || retry.left !== 0) problems.push(`official pipeline retry ${JSON.stringify(retry)}`);
    if (JSON.stringify(failNext) !== JSON.stringify(["503", "404"])) problems.push(`failNext 503 ${failNext}`);
    if (problems.length > 0) throw new Error(`fault injection:\n  ${problems.join("\n  ")}\n${JSON.stringify(out)}`);
    ctx.note(`throttled: Retry-After ${throttle.throttled.retryAfter} s, code ${throttle.throttled.code}; official pipeline retried after ${retry.waitedMs} ms`);
  },
};
