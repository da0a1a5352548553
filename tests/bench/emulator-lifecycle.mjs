// Lifecycles per second one layer below the client: raw REST calls through RouterEmulator.handle (the WebAssembly
// core, events parsed and delivered to a "*" listener), the same lifecycle as js-api.mjs and `native_bench
// lifecycle`. The gap to js-api.mjs is the client's cost, the gap to native_bench the WebAssembly core's and the
// emulator's. Prints one JSON object. Usage: node tests/bench/emulator-lifecycle.mjs [lifecycles]
import { RouterEmulator } from "../../js/node.js";
import { API, DISTRIBUTION_POLICY, JOB, MERGE, QUEUE, cpuMillis, minorPageFaults, now, round, workerBody } from "./common.mjs";

const LIFECYCLES = Number(process.argv[2] ?? 20000);

const emulator = new RouterEmulator({ clock: "manual", seed: 1 });
await emulator.ready();
const merge = { "content-type": MERGE };
let events = 0;
let offerId = null;
emulator.on("*", (event) => {
  events += 1;
  if (event.eventType.endsWith("RouterWorkerOfferIssued")) offerId = event.data.offerId;
});

async function call(method, path, body, expected) {
  const res = await emulator.handle(method, `${path}?${API}`, body === undefined ? {} : merge,
    body === undefined ? "" : JSON.stringify(body));
  if (res.status !== expected) throw new Error(`${method} ${path} -> ${res.status}: ${res.body}`);
  return res;
}

await call("PATCH", "/routing/distributionPolicies/dp", DISTRIBUTION_POLICY, 201);
await call("PATCH", "/routing/queues/q", QUEUE, 201);
await call("PATCH", "/routing/workers/w", workerBody(true), 201);

async function lifecycle(id) {
  offerId = null;
  await call("PATCH", `/routing/jobs/${id}`, JOB, 201);
  if (offerId === null) throw new Error(`job ${id} was not offered`);
  const accepted = await call("POST", `/routing/workers/w/offers/${offerId}:accept`, undefined, 200);
  const { assignmentId } = JSON.parse(accepted.body);
  await call("POST", `/routing/jobs/${id}/assignments/${assignmentId}:complete`, {}, 200);
  await call("POST", `/routing/jobs/${id}/assignments/${assignmentId}:close`, {}, 200);
}

for (let i = 0; i < Math.max(2000, LIFECYCLES / 10); i++) await lifecycle(`warm-${i}`);
events = 0;
const faultsStart = minorPageFaults();
const cpuStart = process.cpuUsage();
const start = now();
for (let i = 0; i < LIFECYCLES; i++) await lifecycle(`job-${i}`);
const ms = now() - start;
const cpuMs = cpuMillis(process.cpuUsage(cpuStart));
const faults = minorPageFaults() - faultsStart;
console.log(
  JSON.stringify({
    lifecycles: LIFECYCLES,
    seconds: round(ms / 1000, 3),
    lifecyclesPerSecond: round(LIFECYCLES / (ms / 1000), 0),
    // per second of this process's CPU time: steadier than the wall-clock rate on a shared machine
    cpuLifecyclesPerSecond: round(LIFECYCLES / (cpuMs / 1000), 0),
    eventsPerLifecycle: round(events / LIFECYCLES, 2),
    // first touches of memory pages: the WebAssembly memory and V8's heap growing with the jobs kept
    pageFaultsPerLifecycle: round(faults / LIFECYCLES, 3),
  }),
);
