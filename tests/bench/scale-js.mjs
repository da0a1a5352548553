// Cost per operation as the resource grows, through RouterEmulator.handle (the WebAssembly core):
// <jobs> queued jobs wait in queue q; <workers> workers serve it, each holding one assigned job, except that
// worker w0 cycles: completing and closing its job frees it, and matching offers it the head of the backlog.
// Same scenario as `native_bench scale`. Prints one JSON object.
// Usage: node tests/bench/scale-js.mjs <jobs> <workers> [samples]
import { RouterEmulator } from "../../js/node.js";
import "../../js/node-platform.js";
import { getCoreSync } from "../../js/core-loader.js";
import { API, DISTRIBUTION_POLICY, JOB, QUEUE, median, now, round, workerBody } from "./common.mjs";

const JOBS = Number(process.argv[2] ?? 1000);
const WORKERS = Number(process.argv[3] ?? 100);
const SAMPLES = Number(process.argv[4] ?? 200);

const emulator = new RouterEmulator({ clock: "manual", seed: 1 });
await emulator.ready();
const headers = { "content-type": "application/merge-patch+json" };
let lastEvents = [];
emulator.on("*", (event) => {
  lastEvents.push(event);
});

async function call(method, path, body, expected) {
  lastEvents = [];
  const res = await emulator.handle(method, `${path}?${API}`, body === undefined ? {} : headers,
    body === undefined ? "" : JSON.stringify(body));
  if (res.status !== expected) throw new Error(`${method} ${path} -> ${res.status}: ${res.body}`);
  return res;
}
const lastOffer = () => lastEvents.filter((e) => e.eventType.endsWith("RouterWorkerOfferIssued")).at(-1)?.data;

const wasmBytes = () => getCoreSync().HEAP8.buffer.byteLength;
const memoryBefore = { wasm: wasmBytes(), rss: process.memoryUsage().rss };
const setupStart = now();
await call("PATCH", "/routing/distributionPolicies/dp", DISTRIBUTION_POLICY, 201);
await call("PATCH", "/routing/queues/q", QUEUE, 201);
for (let i = 0; i < WORKERS; i++) {
  await call("PATCH", `/routing/workers/w${i}`, workerBody(true), 201);
  await call("PATCH", `/routing/jobs/busy-${i}`, JOB, 201);
  const offer = lastOffer();
  await call("POST", `/routing/workers/w${i}/offers/${offer.offerId}:accept`, undefined, 200);
}
for (let i = 0; i < JOBS; i++) await call("PATCH", `/routing/jobs/queued-${i}`, JOB, 201);
const setupSeconds = (now() - setupStart) / 1000;
const memoryAfter = { wasm: wasmBytes(), rss: process.memoryUsage().rss };

const t = { get: [], create: [], complete: [], closeAndMatch: [], accept: [] };
let heldJob = "busy-0";
// assignments: an object keyed by assignment id
let heldAssignment = Object.keys(JSON.parse((await call("GET", "/routing/jobs/busy-0", undefined, 200)).body).assignments)[0];
const time = async (list, fn) => {
  const start = now();
  const result = await fn();
  list.push((now() - start) * 1000);
  return result;
};
for (let s = 0; s < SAMPLES; s++) {
  await time(t.get, () => call("GET", `/routing/jobs/queued-${(JOBS >> 1) + s}`, undefined, 200));
  await time(t.create, () => call("PATCH", `/routing/jobs/extra-${s}`, JOB, 201));
  await time(t.complete, () =>
    call("POST", `/routing/jobs/${heldJob}/assignments/${heldAssignment}:complete`, {}, 200));
  await time(t.closeAndMatch, () =>
    call("POST", `/routing/jobs/${heldJob}/assignments/${heldAssignment}:close`, {}, 200));
  const offer = lastOffer();
  if (!offer) throw new Error("no offer after close");
  heldJob = offer.jobId;
  const accepted = await time(t.accept, () =>
    call("POST", `/routing/workers/w0/offers/${offer.offerId}:accept`, undefined, 200));
  heldAssignment = JSON.parse(accepted.body).assignmentId;
}

console.log(
  JSON.stringify({
    jobs: JOBS,
    workers: WORKERS,
    samples: SAMPLES,
    setupSeconds: round(setupSeconds, 2),
    wasmMemoryBytes: memoryAfter.wasm,
    wasmMemoryGrowthBytes: memoryAfter.wasm - memoryBefore.wasm,
    rssGrowthBytes: memoryAfter.rss - memoryBefore.rss,
    getJobMicros: round(median(t.get), 2),
    createJobMicros: round(median(t.create), 2),
    closeAndMatchMicros: round(median(t.closeAndMatch), 2),
    acceptMicros: round(median(t.accept), 2),
    completeMicros: round(median(t.complete), 2),
  }),
);
emulator.dispose();
