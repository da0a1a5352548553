// The three Upsert Job examples of the 2023-11-01 specification (create, create scheduled, update), sent through
// the JS client on a manual clock, with the scheduled job followed through activation. Skips, saying so, when the
// reference material is absent.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findReference } from "./reference-dir.mjs";

const coreUrl = new URL("../../js/generated/jobrouter-core.js", import.meta.url);

const examples = findReference(["jobrouter-2023-11-01/examples", "examples", ""], "Jobs_CreateJob.json");
const skip = !existsSync(coreUrl)
  ? "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)"
  : examples === null
    ? "specification examples not found (shared/reference/jobrouter-2023-11-01/examples, or JOBROUTER_REFERENCE_DIR): skipped"
    : false;

const { default: JobRouter, isUnexpected } = await import("../../js/node.js");
const MERGE = "application/merge-patch+json";
const load = (name) => JSON.parse(readFileSync(join(examples, name), "utf8")).parameters;

describe("Upsert Job examples of the specification", { skip }, () => {
  test("create, create scheduled (through activation), update", async () => {
    const client = JobRouter("endpoint=https://spec-examples.communication.azure.com/;accesskey=ZGV2", {
      emulator: { clock: "manual", startTime: "2023-05-26T23:00:00Z" },
    });
    const upsert = (template, id, body) => client.path(template, id).patch({ contentType: MERGE, body });
    const create = load("Jobs_CreateJob.json");
    const scheduled = load("Jobs_CreateScheduledJob.json");
    const update = load("Jobs_UpdateJob.json");
    // The queue the examples name, and a worker with the "Sales" label they select.
    assert.equal((await upsert("/routing/distributionPolicies/{distributionPolicyId}", "dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } })).status, "201");
    assert.equal((await upsert("/routing/queues/{queueId}", create.resource.queueId, { distributionPolicyId: "dp" })).status, "201");
    await upsert("/routing/workers/{workerId}", "sales-agent", {
      capacity: 2,
      queues: [create.resource.queueId],
      labels: { Sales: true },
      channels: [{ channelId: create.resource.channelId, capacityCostPerJob: 1 }],
      availableForOffers: true,
    });

    // 1. Create: 201, created; queued (and offered to the Sales worker) before the next request.
    const created = await upsert("/routing/jobs/{jobId}", create.jobId, create.resource);
    assert.equal(created.status, "201");
    assert.equal(isUnexpected(created), false);
    assert.equal(created.body.status, "created");
    assert.equal(created.body.priority, 5);
    assert.deepEqual(created.body.requestedWorkerSelectors, [{ expedite: false, status: "active", key: "Sales", labelOperator: "equal", value: true }]);
    const createdLater = await client.path("/routing/jobs/{jobId}", create.jobId).get();
    assert.equal(createdLater.body.status, "queued");

    // 2. Create scheduled: pendingSchedule → scheduled → waitingForActivation at scheduleAt → queued on activation.
    const scheduledId = `${scheduled.jobId}-scheduled`;
    const pending = await upsert("/routing/jobs/{jobId}", scheduledId, scheduled.resource);
    assert.equal(pending.status, "201");
    assert.equal(pending.body.status, "pendingSchedule");
    assert.equal(pending.body.matchingMode.scheduleAt, "2023-05-26T23:22:12.0774222+00:00");
    assert.equal((await client.path("/routing/jobs/{jobId}", scheduledId).get()).body.status, "scheduled");
    const listed = await client.path("/routing/jobs").get({ queryParameters: { scheduledBefore: "2023-05-27T00:00:00Z" } });
    assert.deepEqual(listed.body.value.map((j) => j.id), [scheduledId]);
    const waiting = [];
    client.emulator.on("RouterJobWaitingForActivation", (e) => waiting.push(e.data.jobId));
    await client.emulator.clock.setTime("2023-05-26T23:22:12.0774222Z");
    assert.deepEqual(waiting, [scheduledId]);
    const asleep = await client.path("/routing/jobs/{jobId}", scheduledId).get();
    assert.equal(asleep.body.status, "waitingForActivation");
    assert.equal(asleep.body.scheduledAt, "2023-05-26T23:22:12.0774222+00:00");
    const activated = await upsert("/routing/jobs/{jobId}", scheduledId, { matchingMode: { kind: "queueAndMatch" } });
    assert.equal(activated.status, "200");
    assert.equal(activated.body.status, "queued");
    const offers = (await client.path("/routing/workers/{workerId}", "sales-agent").get()).body.offers.map((o) => o.jobId);
    assert.deepEqual(offers.sort(), [create.jobId, scheduledId].sort());

    // 3. Update: the example's id does not exist here, so the upsert creates it — and needs a channel and a queue.
    const bare = await upsert("/routing/jobs/{jobId}", update.jobId, update.resource);
    assert.equal(bare.status, "400");
    const updated = await upsert("/routing/jobs/{jobId}", create.jobId, update.resource);
    assert.equal(updated.status, "200");
    assert.equal(updated.body.channelReference, update.resource.channelReference);
    client.emulator.dispose();
  });
});
