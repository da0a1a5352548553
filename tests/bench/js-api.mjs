// Latency of single requests and full job lifecycles per second through the public JS API
// (JobRouter(...).path(...).verb(...), the WebAssembly core, events delivered to a listener).
// Prints one JSON object. Usage: node tests/bench/js-api.mjs [lifecycles] [getSamples]
import JobRouter, { isUnexpected } from "../../js/node.js";
import { JOB, MERGE, cpuMillis, expectStatus, minorPageFaults, now, percentile, round, setupQueue, workerBody } from "./common.mjs";

const LIFECYCLES = Number(process.argv[2] ?? 20000);
const GET_SAMPLES = Number(process.argv[3] ?? 50000);

const client = JobRouter("endpoint=https://bench.communication.azure.com/;accesskey=ZGV2", {
  emulator: { clock: "manual", seed: 1 },
});
let events = 0;
let offerId = null;
client.emulator.on("*", () => {
  events += 1;
});
client.emulator.on("RouterWorkerOfferIssued", (event) => {
  offerId = event.data.offerId;
});

await setupQueue(client);
expectStatus(
  await client.path("/routing/workers/{workerId}", "w").patch({ contentType: MERGE, body: workerBody(true) }),
  "201",
);

const jobs = (id) => client.path("/routing/jobs/{jobId}", id);

/** create -> offer -> accept -> complete -> close; with `timings`, each step's time in µs is recorded. */
async function lifecycle(id, timings) {
  let t = timings ? now() : 0;
  const created = await jobs(id).patch({ contentType: MERGE, body: JOB });
  if (timings) timings.patch.push((now() - t) * 1000);
  if (created.status !== "201" || offerId === null) throw new Error(`job ${id} was not offered: ${created.status}`);
  const offer = offerId;
  offerId = null;
  t = timings ? now() : 0;
  const accepted = await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w", offer).post();
  if (timings) timings.accept.push((now() - t) * 1000);
  if (isUnexpected(accepted)) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  const { assignmentId } = accepted.body;
  if (timings) {
    // GET right after a change: the emulator's GET cache cannot answer it, the core serves it.
    t = now();
    const fresh = await jobs(id).get();
    timings.getAfterChange.push((now() - t) * 1000);
    if (fresh.status !== "200") throw new Error("GET failed");
  }
  t = timings ? now() : 0;
  const completed = await client
    .path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", id, assignmentId)
    .post({ body: {} });
  if (timings) timings.complete.push((now() - t) * 1000);
  t = timings ? now() : 0;
  const closed = await client
    .path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", id, assignmentId)
    .post({ body: {} });
  if (timings) timings.close.push((now() - t) * 1000);
  if (completed.status !== "200" || closed.status !== "200") throw new Error("complete/close failed");
}

// Warm-up (JIT, allocator), then timed runs.
for (let i = 0; i < Math.max(2000, LIFECYCLES / 10); i++) await lifecycle(`warm-${i}`);

// 1. Lifecycles per second (no per-step timing inside the loop).
events = 0;
const faultsStart = minorPageFaults();
const cpuStart = process.cpuUsage();
let start = now();
for (let i = 0; i < LIFECYCLES; i++) await lifecycle(`job-${i}`);
const lifecycleMs = now() - start;
const lifecycleCpuMs = cpuMillis(process.cpuUsage(cpuStart));
const lifecycleFaults = minorPageFaults() - faultsStart;
const eventsPerLifecycle = events / LIFECYCLES;

// 2. Per-request latency: each step of further lifecycles (plus a GET of the job right after its accept), and
// repeated GETs of one unchanged job (answered from the emulator's GET cache after the first).
const timings = { patch: [], accept: [], complete: [], close: [], getAfterChange: [] };
for (let i = 0; i < Math.min(LIFECYCLES, 20000); i++) await lifecycle(`timed-${i}`, timings);
const get = [];
const target = jobs("job-1");
for (let i = 0; i < GET_SAMPLES; i++) {
  const t = now();
  const res = await target.get();
  get.push((now() - t) * 1000);
  if (res.status !== "200") throw new Error("GET failed");
}

const summary = (samples) => ({ p50: round(percentile(samples, 50), 2), p99: round(percentile(samples, 99), 2) });
console.log(
  JSON.stringify({
    lifecycles: LIFECYCLES,
    seconds: round(lifecycleMs / 1000, 3),
    lifecyclesPerSecond: round(LIFECYCLES / (lifecycleMs / 1000), 0),
    cpuLifecyclesPerSecond: round(LIFECYCLES / (lifecycleCpuMs / 1000), 0),
    eventsPerLifecycle: round(eventsPerLifecycle, 2),
    // first touches of memory pages: the WebAssembly memory and V8's heap growing with the jobs kept
    pageFaultsPerLifecycle: round(lifecycleFaults / LIFECYCLES, 3),
    latencyMicros: {
      getJob: summary(get),
      getJobAfterChange: summary(timings.getAfterChange),
      patchJobWithMatch: summary(timings.patch),
      accept: summary(timings.accept),
      complete: summary(timings.complete),
      close: summary(timings.close),
    },
  }),
);
