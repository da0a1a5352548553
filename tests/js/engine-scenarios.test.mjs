// Routing-engine scenarios end to end through the JS client on a manual clock: declines (with and without
// retryOfferAt), offer expiry, each distribution mode's order, unassign, cancel with offers outstanding, capacity
// limits and draining workers — checked as a user sees them (statuses, bodies, event order, worker GETs, instants).
// Classification and exception scenarios: engine-classification.test.mjs; clock, statistics, snapshots and fault
// injection: engine-clock.test.mjs.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  skip, at, freshClient, queues, worker, job, distributionPolicy, queue, getJob, getWorker, offersOf, offeredTo,
  accept, decline, recordEvents,
} from "./engine-support.mjs";

describe("declining offers", { skip }, () => {
  test("without retryOfferAt: the next eligible worker gets the job; the decliner only after it re-registers", async () => {
    const client = freshClient("decline");
    await queues(client);
    await worker(client, "w1");
    await worker(client, "w2");
    const events = recordEvents(client);
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    assert.deepEqual(await offeredTo(client, "j1", ["w1", "w2"]), ["w1"], "equal idle time: lowest id first");
    const [first] = await offersOf(client, "w1");

    events.clear();
    const declined = await decline(client, "w1", first.offerId);
    assert.equal(declined.status, "200");
    assert.deepEqual(declined.body, {});
    assert.deepEqual(events.types(), ["RouterWorkerOfferDeclined", "RouterWorkerOfferIssued"]);
    assert.equal(events.log[0].data.workerId, "w1");
    assert.equal(events.log[0].data.offerId, first.offerId);
    assert.equal(events.log[1].data.workerId, "w2");
    assert.deepEqual(await offersOf(client, "w1"), []);
    const [second] = await offersOf(client, "w2");
    assert.equal(second.jobId, "j1");

    // The SDKs' default retryOfferAt (0001-01-01) counts as no retry time.
    events.clear();
    assert.equal((await decline(client, "w2", second.offerId, { retryOfferAt: "0001-01-01T00:00:00Z" })).status, "200");
    assert.deepEqual(events.types(), ["RouterWorkerOfferDeclined"], "nobody left to offer the job to");
    const gone = await decline(client, "w2", second.offerId);
    assert.equal(gone.status, "404");
    assert.equal(
      gone.body.communicationError.message,
      `DeclineOfferCommandHandler: Offer not found. OfferId: ${second.offerId}, WorkerId: w2`,
    );

    // An hour later, and after a worker update that is not a re-registration, still nobody.
    await client.emulator.clock.advance(3_600_000);
    await worker(client, "w1", { labels: { team: "a" } });
    assert.equal((await getJob(client, "j1")).status, "queued");
    assert.deepEqual(await offeredTo(client, "j1", ["w1", "w2"]), []);
    assert.deepEqual(
      client.emulator.explain("j1").workers.map((w) => [w.workerId, w.code]),
      [["w1", "Declined"], ["w2", "Declined"]],
    );

    // De-register and register again: w1 is eligible again and gets the offer at once.
    await worker(client, "w1", { availableForOffers: false });
    assert.equal((await getWorker(client, "w1")).state, "inactive");
    events.clear();
    await worker(client, "w1", { availableForOffers: true });
    assert.deepEqual(events.types(), ["RouterWorkerRegistered", "RouterWorkerOfferIssued"]);
    const [again] = await offersOf(client, "w1");
    assert.equal(again.jobId, "j1");
    assert.notEqual(again.offerId, first.offerId);
    assert.equal(again.offeredAt, at(3_600_000));
    assert.deepEqual(await offeredTo(client, "j1", ["w2"]), [], "w2 never re-registered");
  });

  test("with retryOfferAt: re-offered to the decliner exactly when the clock reaches it, not 1 ms before", async () => {
    const client = freshClient("retry");
    await queues(client);
    await worker(client, "w1");
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    await client.emulator.clock.advance(5_000);
    const [offer] = await offersOf(client, "w1");
    const events = recordEvents(client);
    const retryOfferAt = at(35_000);
    assert.equal((await decline(client, "w1", offer.offerId, { retryOfferAt: "2024-01-01T00:00:35Z" })).status, "200");
    assert.deepEqual(events.types(), ["RouterWorkerOfferDeclined"]);
    assert.equal(client.emulator.explain("j1").workers[0].code, "Declined");
    assert.match(client.emulator.explain("j1").workers[0].reason, /2024-01-01T00:00:35\+00:00/);

    // Meanwhile the job goes to another worker, who declines for good.
    await worker(client, "w2");
    const [other] = await offersOf(client, "w2");
    assert.equal(other.jobId, "j1");
    await decline(client, "w2", other.offerId);
    events.clear();

    await client.emulator.clock.advance(29_999);
    assert.equal(client.emulator.clock.now(), at(34_999));
    assert.deepEqual(events.types(), []);
    assert.deepEqual(await offeredTo(client, "j1", ["w1", "w2"]), []);

    await client.emulator.clock.advance(1);
    assert.deepEqual(events.types(), ["RouterWorkerOfferIssued"]);
    assert.equal(events.log[0].data.workerId, "w1");
    assert.equal(events.log[0].time, retryOfferAt);
    const [retried] = await offersOf(client, "w1");
    assert.equal(retried.offeredAt, retryOfferAt);
    assert.equal(retried.expiresAt, at(95_000));
    assert.deepEqual(await offeredTo(client, "j1", ["w2"]), []);
  });
});

describe("offer expiry", { skip }, () => {
  test("RouterWorkerOfferExpired at offeredAt + offerExpiresAfterSeconds, then the job is offered again", async () => {
    const client = freshClient("expiry");
    await queues(client, ["q1"], { kind: "longestIdle" }, 10);
    await worker(client, "w1");
    await worker(client, "w2");
    await client.emulator.clock.advance(2_500);
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    const [offer] = await offersOf(client, "w1");
    assert.equal(offer.offeredAt, at(2_500));
    assert.equal(offer.expiresAt, at(12_500));
    const events = recordEvents(client);

    await client.emulator.clock.advance(9_999);
    assert.deepEqual(events.types(), []);
    assert.equal((await offersOf(client, "w1")).length, 1);

    await client.emulator.clock.advance(1);
    assert.deepEqual(events.types(), ["RouterWorkerOfferExpired", "RouterWorkerOfferIssued"]);
    assert.deepEqual(
      events.log.map((e) => [e.data.workerId, e.time]),
      [["w1", at(12_500)], ["w2", at(12_500)]],
      "w1 had an offer more recently, so w2 (idle longer) is next",
    );
    assert.equal(events.log[0].data.offerId, offer.offerId);
    assert.deepEqual(await offersOf(client, "w1"), []);
    assert.equal((await getWorker(client, "w1")).state, "active", "an expired offer does not de-register the worker");
    const [next] = await offersOf(client, "w2");
    assert.equal(next.offeredAt, at(12_500));
    assert.equal(next.expiresAt, at(22_500));
    const late = await accept(client, "w1", offer.offerId);
    assert.equal(late.status, "404");

    // The expired worker is not excluded: the next expiry sends the job back to w1.
    events.clear();
    await client.emulator.clock.advance(10_000);
    assert.deepEqual(events.log.map((e) => [e.type, e.data.workerId]), [
      ["RouterWorkerOfferExpired", "w2"],
      ["RouterWorkerOfferIssued", "w1"],
    ]);
  });
});

/** Registers workers one second apart (so their idle times differ) with the given labels. */
async function pool(client, specs) {
  for (const [id, labels, capacity = 10] of specs) {
    await worker(client, id, { labels, capacity });
    await client.emulator.clock.advance(1_000);
  }
}

/** Worker ids of the OfferIssued events in order. */
const issuedTo = (events) => events.of("RouterWorkerOfferIssued").map((e) => e.data.workerId);

describe("distribution modes on a fixed pool", { skip }, () => {
  test("longestIdle: lowest load ratio first, then longest idle", async () => {
    const client = freshClient("longest-idle");
    await queues(client);
    await pool(client, [["w-c"], ["w-a"], ["w-b"]]);
    // w-a holds an accepted job: its load ratio (0.1) puts it behind the idle ones.
    await job(client, "busy", { channelId: "voice", queueId: "q1" });
    const [offer] = await offersOf(client, "w-c");
    assert.equal(offer.jobId, "busy", "registered first, so idle longest");
    assert.equal((await accept(client, "w-c", offer.offerId)).status, "200");
    assert.equal((await getWorker(client, "w-c")).loadRatio, 0.1);
    await client.emulator.clock.advance(1_000);
    const events = recordEvents(client);
    for (const id of ["j1", "j2", "j3"]) await job(client, id, { channelId: "voice", queueId: "q1" });
    // j1: w-a and w-b are unloaded, w-a idle longer. j2: w-b is the only unloaded one. j3: all carry 0.1 now
    // (offers count), and w-c's last offer is the oldest.
    assert.deepEqual(issuedTo(events), ["w-a", "w-b", "w-c"]);
  });

  test("roundRobin: by worker id, continuing after the last worker offered a job", async () => {
    const client = freshClient("round-robin");
    await queues(client, ["q1"], { kind: "roundRobin" });
    await pool(client, [["w3"], ["w1"], ["w2"]]);
    const events = recordEvents(client);
    for (const id of ["j1", "j2", "j3", "j4", "j5"]) await job(client, id, { channelId: "voice", queueId: "q1" });
    assert.deepEqual(issuedTo(events), ["w1", "w2", "w3", "w1", "w2"]);
  });

  test("bestWorker, default scoring: share of matching job labels, then selector scores", async () => {
    const client = freshClient("best-default");
    await queues(client, ["q1"], { kind: "bestWorker", maxConcurrentOffers: 3 });
    await pool(client, [["w-none", { skill: 6 }], ["w-one", { lang: "fr", skill: 10 }], ["w-two", { lang: "fr", tier: "gold", skill: 8 }]]);
    const events = recordEvents(client);
    await job(client, "labels", { channelId: "voice", queueId: "q1", labels: { lang: "fr", tier: "gold" } });
    assert.deepEqual(issuedTo(events), ["w-two", "w-one", "w-none"], "scores 1, 0.5, 0");

    events.clear();
    await job(client, "selectors", {
      channelId: "voice",
      queueId: "q1",
      requestedWorkerSelectors: [{ key: "skill", labelOperator: "greaterThan", value: 5 }],
    });
    assert.deepEqual(issuedTo(events), ["w-one", "w-two", "w-none"], "skill 10, 8, 6 over a threshold of 5");
  });

  test("bestWorker with an expression scoring rule, descending and ascending", async () => {
    const client = freshClient("best-expression");
    await distributionPolicy(client, "desc", {
      offerExpiresAfterSeconds: 60,
      mode: { kind: "bestWorker", maxConcurrentOffers: 3, scoringRule: { kind: "expression", expression: "worker.skill * 2 + If(worker.senior = true, 100, 0)" } },
    });
    await distributionPolicy(client, "asc", {
      offerExpiresAfterSeconds: 60,
      mode: {
        kind: "bestWorker",
        maxConcurrentOffers: 3,
        scoringRule: { kind: "expression", expression: "worker.skill * 2 + If(worker.senior = true, 100, 0)" },
        scoringRuleOptions: { descendingOrder: false },
      },
    });
    await queue(client, "q-desc", { distributionPolicyId: "desc" });
    await queue(client, "q-asc", { distributionPolicyId: "asc" });
    for (const [id, skill, senior] of [["w1", 3, true], ["w2", 8, false], ["w3", 5, false]]) {
      await worker(client, id, { queues: ["q-desc", "q-asc"], capacity: 10, labels: { skill, senior } });
    }
    const events = recordEvents(client);
    await job(client, "high-first", { channelId: "voice", queueId: "q-desc" });
    assert.deepEqual(issuedTo(events), ["w1", "w2", "w3"], "scores 106, 16, 10");
    events.clear();
    await job(client, "low-first", { channelId: "voice", queueId: "q-asc" });
    assert.deepEqual(issuedTo(events), ["w3", "w2", "w1"]);
  });

  test("bestWorker batch scoring through a registered function", async () => {
    const client = freshClient("best-batch");
    await queues(client, ["q1"], {
      kind: "bestWorker",
      maxConcurrentOffers: 2,
      scoringRule: { kind: "function", functionUri: "https://score.example/api/batch" },
      scoringRuleOptions: { isBatchScoringEnabled: true, batchSize: 2, scoringParameters: ["jobLabels"] },
    });
    await pool(client, [["w1", { skill: 3 }], ["w2", { skill: 9 }], ["w3", { skill: 5 }]]);
    const calls = [];
    client.emulator.registerFunction("https://score.example/api/batch", (payload, context) => {
      calls.push({ payload, kind: context.kind, jobId: context.jobId });
      return Object.fromEntries(payload.workers.map((w) => [w.Id, w.skill]));
    });
    const events = recordEvents(client);
    await job(client, "j1", { channelId: "voice", queueId: "q1", labels: { topic: "billing" } });
    assert.deepEqual(issuedTo(events), ["w2", "w3"]);
    assert.equal(calls.length, 2, "three workers in batches of two");
    assert.deepEqual(calls.map((c) => c.payload.workers.length), [2, 1]);
    assert.deepEqual(calls[0].payload.job, { topic: "billing" });
    assert.equal(calls[0].payload.selectors, undefined, "scoringParameters leave out the selectors");
    assert.equal(calls[0].jobId, "j1");
    assert.equal(calls[0].kind, "function");
    assert.deepEqual(
      calls.flatMap((c) => c.payload.workers.map((w) => w.Id)).sort(),
      ["w1", "w2", "w3"],
    );
  });
});

describe("assignments: unassign, suspendMatching, cancel with offers outstanding", { skip }, () => {
  test("unassign re-queues and re-offers (new offer id); the 4th unassign is refused", async () => {
    const client = freshClient("unassign");
    await queues(client);
    await worker(client, "w1");
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    const events = recordEvents(client);
    let assignmentId;
    for (let round = 1; round <= 3; round++) {
      const [offer] = await offersOf(client, "w1");
      const accepted = await accept(client, "w1", offer.offerId);
      assert.equal(accepted.status, "200");
      assert.deepEqual(Object.keys(accepted.body).sort(), ["assignmentId", "jobId", "workerId"]);
      assignmentId = accepted.body.assignmentId;
      assert.equal((await getJob(client, "j1")).status, "assigned");
      assert.equal((await getWorker(client, "w1")).assignedJobs[0].assignmentId, assignmentId);
      events.clear();
      await client.emulator.clock.advance(1_000);
      const res = await client
        .path("/routing/jobs/{jobId}/assignments/{assignmentId}:unassign", "j1", assignmentId)
        .post({ body: {} });
      assert.equal(res.status, "200");
      assert.deepEqual(res.body, { jobId: "j1", unassignmentCount: round });
      assert.deepEqual(events.types(), ["RouterJobUnassigned", "RouterJobQueued", "RouterWorkerOfferIssued"]);
      assert.equal(events.log[0].data.assignmentId, assignmentId);
      const [again] = await offersOf(client, "w1");
      assert.notEqual(again.offerId, offer.offerId);
      const after = await getJob(client, "j1");
      assert.equal(after.status, "queued");
      assert.equal(after.enqueuedAt, at(round * 1_000), "a new queue entry");
      assert.deepEqual((await getWorker(client, "w1")).assignedJobs, []);
    }
    const [offer] = await offersOf(client, "w1");
    assignmentId = (await accept(client, "w1", offer.offerId)).body.assignmentId;
    const fourth = await client
      .path("/routing/jobs/{jobId}/assignments/{assignmentId}:unassign", "j1", assignmentId)
      .post();
    assert.equal(fourth.status, "409");
    assert.equal((await getJob(client, "j1")).status, "assigned");
  });

  test("unassign with suspendMatching waits for activation; PATCHing queueAndMatch re-queues and re-offers", async () => {
    const client = freshClient("suspend-matching");
    await queues(client);
    await worker(client, "w1");
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    const [offer] = await offersOf(client, "w1");
    const { assignmentId } = (await accept(client, "w1", offer.offerId)).body;
    const events = recordEvents(client);
    const res = await client
      .path("/routing/jobs/{jobId}/assignments/{assignmentId}:unassign", "j1", assignmentId)
      .post({ body: { suspendMatching: true } });
    assert.deepEqual(res.body, { jobId: "j1", unassignmentCount: 1 });
    assert.deepEqual(events.types(), ["RouterJobUnassigned"]);
    assert.equal((await getJob(client, "j1")).status, "waitingForActivation");
    await client.emulator.clock.advance(60_000);
    assert.deepEqual(await offersOf(client, "w1"), [], "the freed worker is not offered the suspended job");

    events.clear();
    const activated = await job(client, "j1", { matchingMode: { kind: "queueAndMatch" } });
    assert.equal(activated.body.status, "queued");
    assert.equal(activated.body.enqueuedAt, at(60_000));
    assert.deepEqual(events.types(), ["RouterJobQueued", "RouterWorkerOfferIssued"]);
  });

  test("cancel with offers outstanding revokes them, then RouterJobCancelled", async () => {
    const client = freshClient("cancel-offers");
    await queues(client, ["q1"], { kind: "longestIdle", maxConcurrentOffers: 2 });
    await worker(client, "w1");
    await worker(client, "w2");
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    const offers = [(await offersOf(client, "w1"))[0], (await offersOf(client, "w2"))[0]];
    assert.ok(offers.every((o) => o && o.jobId === "j1"), "offered to both at once");
    const events = recordEvents(client);
    const res = await client.path("/routing/jobs/{jobId}:cancel", "j1").post({ body: { note: "caller hung up" } });
    assert.equal(res.status, "200");
    assert.deepEqual(events.log.map((e) => [e.type, e.data.workerId ?? null, e.data.offerId ?? null]), [
      ["RouterWorkerOfferRevoked", "w1", offers[0].offerId],
      ["RouterWorkerOfferRevoked", "w2", offers[1].offerId],
      ["RouterJobCancelled", null, null],
    ]);
    assert.equal(events.log[2].data.dispositionCode, "Cancelled");
    assert.equal(events.log[2].data.note, "caller hung up");
    const cancelled = await getJob(client, "j1");
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.dispositionCode, "Cancelled");
    assert.equal(cancelled.notes.at(-1).message, "caller hung up");
    for (const w of ["w1", "w2"]) {
      const body = await getWorker(client, w);
      assert.deepEqual(body.offers, []);
      assert.equal(body.loadRatio, 0);
    }
    assert.equal((await accept(client, "w1", offers[0].offerId)).status, "404");
    assert.equal((await decline(client, "w2", offers[1].offerId)).status, "404");
    // Nothing left to expire later.
    events.clear();
    await client.emulator.clock.advance(120_000);
    assert.deepEqual(events.types(), []);
  });
});

describe("worker capacity and state", { skip }, () => {
  test("capacityCostPerJob and maxNumberOfJobs limit offers; closing a job frees capacity", async () => {
    const client = freshClient("capacity");
    await queues(client);
    await worker(client, "w1", {
      capacity: 10,
      channels: [
        { channelId: "voice", capacityCostPerJob: 4 },
        { channelId: "chat", capacityCostPerJob: 1, maxNumberOfJobs: 1 },
      ],
    });
    for (const id of ["v1", "v2", "v3"]) await job(client, id, { channelId: "voice", queueId: "q1" });
    for (const id of ["c1", "c2"]) await job(client, id, { channelId: "chat", queueId: "q1" });
    let body = await getWorker(client, "w1");
    assert.deepEqual(body.offers.map((o) => [o.jobId, o.capacityCost]), [["v1", 4], ["v2", 4], ["c1", 1]]);
    assert.equal(body.loadRatio, 0.9);
    const why = (jobId) => client.emulator.explain(jobId).workers[0].code;
    assert.equal(why("v3"), "NoCapacity", "4 + 4 + 1 used, a third call needs 4 more");
    assert.equal(why("c2"), "NoCapacity", "chat allows one job at a time");
    assert.match(client.emulator.explain("c2").workers[0].reason, /chat/);

    // Accept and finish v1: its 4 units come back at close (not at complete), and v3 is offered.
    const v1 = body.offers.find((o) => o.jobId === "v1");
    const { assignmentId } = (await accept(client, "w1", v1.offerId)).body;
    await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "v1", assignmentId).post();
    assert.equal((await getWorker(client, "w1")).loadRatio, 0.9, "a completed job still holds its capacity");
    assert.deepEqual(await offeredTo(client, "v3", ["w1"]), []);
    await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "v1", assignmentId).post({ body: {} });
    body = await getWorker(client, "w1");
    assert.deepEqual(body.offers.map((o) => o.jobId).sort(), ["c1", "v2", "v3"]);
    assert.deepEqual(body.assignedJobs, []);
    assert.equal(body.loadRatio, 0.9);

    // A lower capacity revokes offers.
    const events = recordEvents(client);
    await worker(client, "w1", {
      capacity: 5,
      channels: [
        { channelId: "voice", capacityCostPerJob: 4 },
        { channelId: "chat", capacityCostPerJob: 1, maxNumberOfJobs: 1 },
      ],
    });
    assert.deepEqual(events.of("RouterWorkerOfferRevoked").map((e) => e.data.jobId), ["v2", "c1", "v3"], "in the order they were offered");
    // Matched again in queue order within the new capacity: v2 (4) and c1 (1); v3 no longer fits.
    body = await getWorker(client, "w1");
    assert.deepEqual(body.offers.map((o) => o.jobId), ["v2", "c1"]);
    assert.equal(body.loadRatio, 1);
  });

  test("de-registering with an assignment drains, then becomes inactive when the job closes", async () => {
    const client = freshClient("draining");
    await queues(client);
    await worker(client, "w1", { capacity: 2 });
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    await job(client, "j2", { channelId: "voice", queueId: "q1" });
    const offers = await offersOf(client, "w1");
    assert.equal(offers.length, 2);
    const { assignmentId } = (await accept(client, "w1", offers[0].offerId)).body;
    const events = recordEvents(client);
    const res = await worker(client, "w1", { capacity: 2, availableForOffers: false });
    assert.equal(res.body.state, "draining");
    assert.deepEqual(events.types(), ["RouterWorkerOfferRevoked", "RouterWorkerDeregistered"]);
    assert.equal(events.log[0].data.jobId, "j2");
    assert.deepEqual(res.body.offers, []);
    assert.equal(client.emulator.explain("j2").workers[0].code, "WorkerNotAvailable");
    const listed = await client.path("/routing/workers").get({ queryParameters: { state: "draining" } });
    assert.deepEqual(listed.body.value.map((w) => w.id), ["w1"]);

    await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "j1", assignmentId).post();
    assert.equal((await getWorker(client, "w1")).state, "draining");
    await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "j1", assignmentId).post();
    const after = await getWorker(client, "w1");
    assert.equal(after.state, "inactive");
    assert.equal(after.loadRatio, 0);
    assert.equal((await getJob(client, "j2")).status, "queued", "nobody else to take it");
  });
});

describe("accept → complete → close", { skip }, () => {
  test("close at a later closeAt keeps the capacity until then", async () => {
    const client = freshClient("close-at");
    await queues(client);
    await worker(client, "w1");
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    await job(client, "j2", { channelId: "voice", queueId: "q1" });
    const [offer] = await offersOf(client, "w1");
    const { assignmentId } = (await accept(client, "w1", offer.offerId)).body;
    await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "j1", assignmentId).post();
    const closing = await client
      .path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "j1", assignmentId)
      .post({ body: { closeAt: "2024-01-01T00:01:00Z", dispositionCode: "Resolved" } });
    assert.equal(closing.status, "200");
    assert.equal((await getJob(client, "j1")).status, "completed");
    const events = recordEvents(client);
    await client.emulator.clock.advance(59_999);
    assert.deepEqual(events.types(), []);
    await client.emulator.clock.advance(1);
    assert.deepEqual(events.types(), ["RouterJobClosed", "RouterWorkerOfferIssued"]);
    assert.equal(events.log[0].time, at(60_000));
    assert.equal(events.log[0].data.dispositionCode, "Resolved");
    assert.equal(events.log[1].data.jobId, "j2");
    const closed = await getJob(client, "j1");
    assert.equal(closed.status, "closed");
    assert.equal(closed.assignments[assignmentId].closedAt, at(60_000));
  });
});
