// The app every kit scenario runs, whatever bundles or loads it: one emulated Job Router resource on a
// manual clock; a distribution policy, a queue, a worker and a job; the offer seen on the worker, left to
// expire by moving the clock, offered again, accepted, the job completed and closed. Returns a plain summary
// the harness compares with EXPECTED (tests/kit/shared/expected.mjs).
//
// Copied into each scenario's scratch project (and turned into CommonJS for require() scenarios by the
// harness): it imports nothing itself, the scenario hands it the package's exports.

export async function lifecycle(JobRouter, isUnexpected, options = {}) {
  const endpoint = options.endpoint ?? "https://kit.communication.azure.com";
  const client = JobRouter(`endpoint=${endpoint}/;accesskey=a2l0`, {
    emulator: { clock: "manual", seed: 11 },
  });
  const emulator = client.emulator;
  const steps = [];
  const events = [];
  emulator.on("*", (event) => events.push(event.eventType.replace("Microsoft.Communication.", "")));

  async function call(name, promise) {
    const res = await promise;
    steps.push(`${name}:${res.status}`);
    if (isUnexpected(res)) {
      throw new Error(`${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res;
  }
  const merge = (body) => ({ contentType: "application/merge-patch+json", body });

  await call("policy", client.path("/routing/distributionPolicies/{distributionPolicyId}", "kit-policy").patch(
    merge({ name: "kit", offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } }),
  ));
  // The clock can be read once the core is there (the first request waited for it).
  const start = emulator.clock.now();
  await call("queue", client.path("/routing/queues/{queueId}", "kit-queue").patch(
    merge({ name: "kit queue", distributionPolicyId: "kit-policy" }),
  ));
  await call("worker", client.path("/routing/workers/{workerId}", "kit-worker").patch(merge({
    capacity: 1,
    queues: ["kit-queue"],
    channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
    availableForOffers: true,
  })));
  await call("job", client.path("/routing/jobs/{jobId}", "kit-job").patch(
    merge({ channelId: "voice", queueId: "kit-queue", priority: 1 }),
  ));
  const worker = () => client.path("/routing/workers/{workerId}", "kit-worker").get();
  const first = (await call("offered", worker())).body.offers;

  // Clock control: the 30 s offer expires at +30 s, and the job is offered again.
  await emulator.clock.advance(31_000);
  const afterAdvance = emulator.clock.now();
  const second = (await call("reoffered", worker())).body.offers;

  const accepted = await call("accept", client.path(
    "/routing/workers/{workerId}/offers/{offerId}:accept", "kit-worker", second[0].offerId,
  ).post());
  const { assignmentId, jobId } = accepted.body;
  await call("complete", client.path(
    "/routing/jobs/{jobId}/assignments/{assignmentId}:complete", jobId, assignmentId,
  ).post({ body: {} }));
  await call("close", client.path(
    "/routing/jobs/{jobId}/assignments/{assignmentId}:close", jobId, assignmentId,
  ).post({ body: { dispositionCode: "Resolved" } }));
  const job = (await call("getJob", client.path("/routing/jobs/{jobId}", "kit-job").get())).body;
  const missing = await client.path("/routing/jobs/{jobId}", "no-such-job").get();

  return {
    steps,
    events,
    start,
    afterAdvance,
    offers: [first.length, second.length, first[0]?.offerId !== second[0]?.offerId],
    job: { id: job.id, status: job.status, dispositionCode: job.dispositionCode, assignments: Object.keys(job.assignments ?? {}).length },
    missing: { status: missing.status, unexpected: isUnexpected(missing) },
  };
}
