import { expect, test } from "@jest/globals";
import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import type { RouterJobOutput } from "jobrouter-emulator";

const MERGE = "application/merge-patch+json" as const;

test("typed lifecycle", async () => {
  const client = JobRouter("endpoint=https://ts.communication.azure.com/;accesskey=a2l0", { emulator: { clock: "manual" } });
  const policy = await client.path("/routing/distributionPolicies/{distributionPolicyId}", "p").patch({
    contentType: MERGE,
    body: { name: "ts", offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } },
  });
  if (isUnexpected(policy)) throw new Error(policy.body.error?.message);
  const policyName: string | undefined = policy.body.name;
  expect(policyName).toBe("ts");

  await client.path("/routing/queues/{queueId}", "q").patch({ contentType: MERGE, body: { distributionPolicyId: "p" } });
  await client.path("/routing/workers/{workerId}", "w").patch({
    contentType: MERGE,
    body: { capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true },
  });
  const created = await client.path("/routing/jobs/{jobId}", "j").patch({ contentType: MERGE, body: { channelId: "voice", queueId: "q" } });
  if (isUnexpected(created)) throw new Error("job not created");

  const worker = await client.path("/routing/workers/{workerId}", "w").get();
  if (isUnexpected(worker)) throw new Error("no worker");
  const offerId: string = worker.body.offers![0].offerId;
  const accepted = await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w", offerId).post();
  if (isUnexpected(accepted)) throw new Error("not accepted");
  const { assignmentId, jobId } = accepted.body;
  await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", jobId, assignmentId).post({ body: {} });
  await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", jobId, assignmentId).post({ body: { dispositionCode: "Resolved" } });

  await client.emulator.clock.advance(60_000);
  const job = await client.path("/routing/jobs/{jobId}", "j").get();
  if (isUnexpected(job)) throw new Error("no job");
  const closed: RouterJobOutput = job.body;
  expect(closed.status).toBe("closed");
  expect(client.emulator.clock.now()).toBe("2024-01-01T00:01:00+00:00");
});

test("RouterEmulator types", () => {
  const emulator = new RouterEmulator({ clock: "manual", seed: 3 });
  const now: string = emulator.clock.now();
  expect(now).toBe("2024-01-01T00:00:00+00:00");
  emulator.dispose();
});
