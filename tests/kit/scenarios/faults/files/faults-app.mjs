// Fault injection from the installed package: throttling (429 + Retry-After on the emulator's clock) seen by the
// package's client, and a failNext 429 with Retry-After retried by the official pipeline's throttling policy.
import JobRouter, { RouterEmulator, isUnexpected } from "jobrouter-emulator";
import { OfficialJobRouter } from "./src/official-client.mjs";

const out = {};
const MERGE = "application/merge-patch+json";

// 1. The package's client: the 4th request within 10 s of the emulator's clock is throttled.
const client = JobRouter("endpoint=https://faults.communication.azure.com/;accesskey=a2l0", { emulator: { clock: "manual" } });
client.emulator.faults.throttle({ requests: 3, perSeconds: 10 });
const statuses = [];
let throttled = null;
for (let i = 0; i < 4; i++) {
  const res = await client.path("/routing/queues/{queueId}", `q${i}`).get();
  statuses.push(res.status);
  if (res.status === "429") throttled = { retryAfter: res.headers["retry-after"], unexpected: isUnexpected(res), code: res.body?.error?.code ?? res.body?.communicationError?.code ?? null };
}
await client.emulator.clock.advance(10_000);
statuses.push((await client.path("/routing/queues/{queueId}", "q9").get()).status);
out.throttle = { statuses, throttled, state: client.emulator.faults.get().throttle };

// 2. The official pipeline: one 429 with Retry-After: 1, retried once by the pipeline, then 201.
const official = OfficialJobRouter("endpoint=https://faults-official.communication.azure.com/;accesskey=a2l0", { emulator: { clock: "manual" } });
let attempts = 0;
official.pipeline.addPolicy({ name: "kit-attempts", sendRequest: (request, next) => (attempts++, next(request)) }, { phase: "Sign" });
official.emulator.faults.failNext({ status: 429, retryAfterSeconds: 1, count: 1, method: "PATCH", path: "/routing/distributionPolicies/{distributionPolicyId}" });
const started = Date.now();
const created = await official.path("/routing/distributionPolicies/{distributionPolicyId}", "retried").patch({
  contentType: MERGE,
  body: { name: "retried", offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } },
});
out.retry = { status: created.status, attempts, waitedMs: Date.now() - started, left: official.emulator.faults.get().failNext.length };

// 3. A 503 from failNext surfaces in the package's client, then the next request is served.
client.emulator.faults.clear();
client.emulator.faults.failNext({ status: 503 });
out.failNext = [(await client.path("/routing/queues/{queueId}", "a").get()).status, (await client.path("/routing/queues/{queueId}", "a").get()).status];
console.log(JSON.stringify(out));
