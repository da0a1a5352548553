// The manual clock, queue statistics, event delivery and state snapshots, end to end through the JS client:
// timers fire at their own instants in order (advance, setTime, many small steps — the same log), statistics
// and position follow the documented estimate, events arrive before a promise resolves, and an imported
// snapshot continues exactly like the emulator it came from.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  skip, at, freshClient, queues, worker, job, queue, distributionPolicy, exceptionPolicy, getJob, offersOf,
  accept, decline, recordEvents,
} from "./engine-support.mjs";

describe("queue statistics and job position", { skip }, () => {
  test("length, wait estimates by priority, longest wait; position; estimates learn from observed waits", async () => {
    const client = freshClient("statistics");
    await queues(client);
    const stats = async () => {
      const res = await client.path("/routing/queues/{queueId}/statistics", "q1").get();
      assert.equal(res.status, "200");
      return res.body;
    };
    const position = async (id) => (await client.path("/routing/jobs/{jobId}/position", id).get()).body;
    assert.deepEqual(await stats(), { queueId: "q1", length: 0 });

    await job(client, "a", { channelId: "voice", queueId: "q1", priority: 1 });
    await client.emulator.clock.advance(30_000);
    await job(client, "b", { channelId: "voice", queueId: "q1", priority: 5 });
    await client.emulator.clock.advance(30_000);
    await job(client, "c", { channelId: "voice", queueId: "q1", priority: 1 });
    await client.emulator.clock.advance(30_000);
    // Queue order b (5), a, c. No assignment seen yet: 1 minute per position, no available worker counts as one.
    assert.deepEqual(await stats(), {
      queueId: "q1",
      length: 3,
      estimatedWaitTimeMinutes: { 5: 1, 1: 3 },
      longestJobWaitTimeMinutes: 1.5,
    });
    assert.deepEqual(await position("b"), { jobId: "b", position: 1, queueId: "q1", queueLength: 3, estimatedWaitTimeMinutes: 1 });
    assert.deepEqual(await position("a"), { jobId: "a", position: 2, queueId: "q1", queueLength: 3, estimatedWaitTimeMinutes: 2 });
    assert.deepEqual(await position("c"), { jobId: "c", position: 3, queueId: "q1", queueLength: 3, estimatedWaitTimeMinutes: 3 });

    // b is offered at once to a new worker and accepted 90 s later, 150 s after it was queued.
    await worker(client, "w1");
    await client.emulator.clock.advance(90_000);
    const [offer] = await offersOf(client, "w1");
    assert.equal(offer.jobId, "b");
    assert.equal((await accept(client, "w1", offer.offerId)).status, "200");
    const notQueued = await client.path("/routing/jobs/{jobId}/position", "b").get();
    assert.equal(notQueued.status, "400");
    assert.equal(notQueued.body.communicationError.details[0].code, "JobNotQueued");
    // Mean observed wait 2.5 minutes × position, one available worker, rounded up: a (1) 3, c (2) 5.
    assert.deepEqual(await position("a"), { jobId: "a", position: 1, queueId: "q1", queueLength: 2, estimatedWaitTimeMinutes: 3 });
    assert.deepEqual(await stats(), {
      queueId: "q1",
      length: 2,
      estimatedWaitTimeMinutes: { 1: 5 },
      longestJobWaitTimeMinutes: 3,
    });
  });
});

/**
 * One job per kind of timer, each due at a distinct instant within 30 s:
 * selector expiry 5 s, retryOfferAt 8 s, offer expiry 12 s (and 24 s after the re-offer; 20 s for the
 * retried offer), scheduleAt 15 s, waitTime exception 21 s, closeAt 27 s.
 */
async function timerScenario(client) {
  await distributionPolicy(client, "dp", { offerExpiresAfterSeconds: 12, mode: { kind: "longestIdle" } });
  for (const id of ["q-offer", "q-picky", "q-retry", "q-close", "q-wait"]) await queue(client, id, { distributionPolicyId: "dp" });
  await exceptionPolicy(client, "ep", {
    exceptionRules: [{ id: "too-long", trigger: { kind: "waitTime", thresholdSeconds: 21 }, actions: [{ kind: "cancel" }] }],
  });
  await queue(client, "q-wait", { exceptionPolicyId: "ep" });
  await worker(client, "w-offer", { queues: ["q-offer"] });
  await worker(client, "w-retry", { queues: ["q-retry"] });
  await worker(client, "w-close", { queues: ["q-close"] });
  await job(client, "offered", { channelId: "voice", queueId: "q-offer" });
  await job(client, "picky", {
    channelId: "voice",
    queueId: "q-picky",
    requestedWorkerSelectors: [{ key: "x", labelOperator: "equal", value: 1, expiresAfterSeconds: 5 }],
  });
  await job(client, "retry", { channelId: "voice", queueId: "q-retry" });
  const [retryOffer] = await offersOf(client, "w-retry");
  await decline(client, "w-retry", retryOffer.offerId, { retryOfferAt: "2024-01-01T00:00:08Z" });
  await job(client, "scheduled", {
    channelId: "voice",
    queueId: "q-offer",
    matchingMode: { kind: "scheduleAndSuspend", scheduleAt: "2024-01-01T00:00:15Z" },
  });
  await job(client, "waiting", { channelId: "voice", queueId: "q-wait" });
  await job(client, "closing", { channelId: "voice", queueId: "q-close" });
  const [closeOffer] = await offersOf(client, "w-close");
  const { assignmentId } = (await accept(client, "w-close", closeOffer.offerId)).body;
  await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "closing", assignmentId).post();
  await client
    .path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "closing", assignmentId)
    .post({ body: { closeAt: "2024-01-01T00:00:27Z" } });
}

const EXPECTED_TIMERS = [
  ["RouterJobWorkerSelectorsExpired", "picky", 5_000],
  ["RouterWorkerOfferIssued", "retry", 8_000],
  ["RouterWorkerOfferExpired", "offered", 12_000],
  ["RouterWorkerOfferIssued", "offered", 12_000],
  ["RouterJobWaitingForActivation", "scheduled", 15_000],
  ["RouterWorkerOfferExpired", "retry", 20_000],
  ["RouterWorkerOfferIssued", "retry", 20_000],
  ["RouterJobExceptionTriggered", "waiting", 21_000],
  ["RouterJobCancelled", "waiting", 21_000],
  ["RouterWorkerOfferExpired", "offered", 24_000],
  ["RouterWorkerOfferIssued", "offered", 24_000],
  ["RouterJobClosed", "closing", 27_000],
];

describe("the manual clock", { skip }, () => {
  test("advance fires every due timer at its own instant, in order, with the work each causes", async () => {
    const client = freshClient("timers");
    await timerScenario(client);
    assert.equal(client.emulator.clock.now(), at(0), "setting up took no virtual time");
    const events = recordEvents(client);
    await client.emulator.clock.advance(30_000);
    assert.equal(client.emulator.clock.now(), at(30_000));
    assert.deepEqual(events.log.map((e) => [e.type, e.data.jobId, e.time]), EXPECTED_TIMERS.map(([t, j, ms]) => [t, j, at(ms)]));
    const seqs = events.log.map((e) => e.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), "consecutive sequence numbers");
    assert.equal((await getJob(client, "scheduled")).scheduledAt, at(15_000));
    assert.equal((await getJob(client, "closing")).status, "closed");
  });

  test("setTime, one big step and many small steps give the same events and state", async () => {
    const runs = [];
    for (const drive of [
      (c) => c.emulator.clock.advance(30_000),
      (c) => c.emulator.clock.setTime("2024-01-01T00:00:30Z"),
      (c) => c.emulator.clock.setTime(new Date("2024-01-01T00:00:30Z")),
      async (c) => {
        for (let i = 0; i < 300; i++) await c.emulator.clock.advance(100);
      },
    ]) {
      const client = freshClient("drive", 11);
      await timerScenario(client);
      const events = [];
      client.emulator.on("*", (e) => events.push(e));
      await drive(client);
      runs.push({ events, state: client.emulator.exportState(), now: client.emulator.clock.now() });
      client.emulator.dispose();
    }
    assert.equal(runs[0].events.length, EXPECTED_TIMERS.length);
    for (const run of runs.slice(1)) {
      assert.equal(run.now, at(30_000));
      assert.deepEqual(run.events, runs[0].events);
      assert.equal(run.state, runs[0].state);
    }
  });

  test("setTime refuses an earlier or unparsable time and changes nothing", async () => {
    const client = freshClient("set-time");
    await client.emulator.clock.advance(10_000);
    await assert.rejects(client.emulator.clock.setTime("2024-01-01T00:00:09Z"), RangeError);
    await assert.rejects(client.emulator.clock.setTime("not a time"), RangeError);
    await assert.rejects(client.emulator.clock.advance(-1), TypeError);
    assert.equal(client.emulator.clock.now(), at(10_000));
  });
});

describe("event delivery", { skip }, () => {
  test("events of a request or a clock step reach (async) listeners before its promise resolves", async () => {
    const client = freshClient("delivery");
    await queues(client, ["q1"], { kind: "longestIdle" }, 5);
    await worker(client, "w1");
    const seen = [];
    client.emulator.on("*", async (e) => {
      await new Promise((resolve) => setImmediate(resolve));  // a listener that takes a turn of the event loop
      seen.push(e.eventType.replace("Microsoft.Communication.", ""));
    });
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    assert.deepEqual(seen, ["RouterJobReceived", "RouterJobQueued", "RouterWorkerOfferIssued"]);
    seen.length = 0;
    await client.emulator.clock.advance(5_000);
    assert.deepEqual(seen, ["RouterWorkerOfferExpired", "RouterWorkerOfferIssued"]);
  });

  test("a throwing listener rejects the call that delivered the event; the request itself took effect", async () => {
    const client = freshClient("throwing-listener");
    await queues(client);
    client.emulator.once("RouterJobQueued", () => {
      throw new Error("listener failed");
    });
    await assert.rejects(
      client.path("/routing/jobs/{jobId}", "j1").patch({ contentType: "application/merge-patch+json", body: { channelId: "voice", queueId: "q1" } }),
      /listener failed/,
    );
    assert.equal((await getJob(client, "j1")).status, "queued");
  });
});

describe("exportState → importState", { skip }, () => {
  test("a new emulator continues identically: pending offers, declines with retryOfferAt, timers, ids", async () => {
    const original = freshClient("snapshot", 9);
    await timerScenario(original);
    await original.emulator.clock.advance(10_000);  // the selector and the retry timers are behind us
    const snapshot = original.emulator.exportState();

    const copy = freshClient("snapshot-copy", 4);  // another seed: the snapshot brings its own generators
    copy.emulator.importState(snapshot);
    assert.equal(copy.emulator.clock.now(), at(10_000));
    assert.equal(copy.emulator.exportState(), snapshot);

    /** The same script on both: the clock, an accept, new work, and everything the users would see. */
    async function script(client) {
      const events = recordEvents(client);
      const seen = [];
      await client.emulator.clock.advance(4_000);
      const [offer] = await offersOf(client, "w-retry");
      seen.push(offer);
      const accepted = await accept(client, "w-retry", offer.offerId);
      seen.push(accepted.status, accepted.body);
      await job(client, "late", { channelId: "voice", queueId: "q-offer", priority: 7 });
      await client.emulator.clock.advance(40_000);
      for (const id of ["offered", "retry", "scheduled", "waiting", "closing", "late"]) seen.push(await getJob(client, id));
      seen.push(await offersOf(client, "w-offer"));
      return { seen, events: events.log, state: client.emulator.exportState() };
    }
    const a = await script(original);
    const b = await script(copy);
    assert.ok(a.events.length > 8, `the script caused events: ${a.events.map((e) => e.type).join(", ")}`);
    assert.deepEqual(b.events, a.events);
    assert.deepEqual(b.seen, a.seen);
    assert.equal(b.state, a.state);
  });
});

describe("fault injection: emulator.failScheduling", { skip }, () => {
  const scheduled = { channelId: "voice", queueId: "q1", matchingMode: { kind: "scheduleAndSuspend", scheduleAt: "2024-01-01T00:01:00Z" } };

  test("a scheduled job fails scheduling: scheduleFailed, RouterJobSchedulingFailed, scheduleAt no longer fires", async () => {
    const client = freshClient("fail-scheduling");
    await queues(client);
    await worker(client, "w1");
    await job(client, "j1", { ...scheduled, labels: { topic: "billing" }, priority: 3 });
    await client.emulator.clock.advance(10_000);
    const events = recordEvents(client);
    const failed = await client.emulator.failScheduling("j1", "calendar service unavailable");
    assert.equal(failed.status, "scheduleFailed");
    assert.deepEqual(failed, await getJob(client, "j1"));
    assert.equal(events.log.length, 1, "delivered before the promise resolved");
    const [event] = events.log;
    assert.equal(event.type, "RouterJobSchedulingFailed");
    assert.equal(event.subject, "job/j1/channel/voice");
    assert.equal(event.time, at(10_000));
    assert.deepEqual(event.data, {
      jobId: "j1",
      channelId: "voice",
      queueId: "q1",
      labels: { topic: "billing" },
      tags: {},
      priority: 3,
      expiredAttachedWorkerSelectors: [],
      expiredRequestedWorkerSelectors: [],
      scheduledOn: at(60_000),
      failureReason: "calendar service unavailable",
    });
    await client.emulator.clock.advance(120_000);
    assert.equal(events.log.length, 1);
    assert.equal((await getJob(client, "j1")).status, "scheduleFailed");
    assert.deepEqual(await offersOf(client, "w1"), []);
    const listed = await client.path("/routing/jobs").get({ queryParameters: { status: "scheduleFailed" } });
    assert.deepEqual(listed.body.value.map((j) => j.id), ["j1"]);

    // Activated by PATCHing its matchingMode: queued and offered at once.
    events.clear();
    const activated = await job(client, "j1", { matchingMode: { kind: "queueAndMatch" } });
    assert.equal(activated.body.status, "queued");
    assert.deepEqual(events.types(), ["RouterJobQueued", "RouterWorkerOfferIssued"]);
  });

  test("scheduled again, cancelled or deleted afterwards; a default failureReason", async () => {
    const client = freshClient("fail-scheduling-after");
    await queues(client);
    for (const id of ["again", "cancel", "delete"]) await job(client, id, scheduled);
    const reasons = [];
    client.emulator.on("RouterJobSchedulingFailed", (e) => reasons.push(e.data.failureReason));
    for (const id of ["again", "cancel", "delete"]) await client.emulator.failScheduling(id);
    assert.deepEqual(reasons, Array(3).fill("The job could not be scheduled."));

    const rescheduled = await job(client, "again", { matchingMode: { kind: "scheduleAndSuspend", scheduleAt: "2024-01-01T00:02:00Z" } });
    assert.equal(rescheduled.body.status, "pendingSchedule");
    assert.equal((await getJob(client, "again")).status, "scheduled");
    await client.emulator.clock.setTime("2024-01-01T00:02:00Z");
    const waiting = await getJob(client, "again");
    assert.equal(waiting.status, "waitingForActivation");
    assert.equal(waiting.scheduledAt, at(120_000));

    assert.equal((await client.path("/routing/jobs/{jobId}:cancel", "cancel").post()).status, "200");
    assert.equal((await getJob(client, "cancel")).status, "cancelled");
    assert.equal((await client.path("/routing/jobs/{jobId}", "delete").delete()).status, "204");
    assert.equal((await client.path("/routing/jobs/{jobId}", "delete").get()).status, "404");
  });

  test("refused for unknown jobs and for jobs not being scheduled, changing nothing", async () => {
    const client = freshClient("fail-scheduling-refused");
    await queues(client);
    await job(client, "queued", { channelId: "voice", queueId: "q1" });
    const before = client.emulator.exportState();
    const events = recordEvents(client);
    await assert.rejects(client.emulator.failScheduling("nope"), (e) => e.statusCode === 404 && e.code === "NotFound");
    await assert.rejects(client.emulator.failScheduling("queued", "x"), (e) => {
      assert.equal(e.statusCode, 409);
      assert.equal(e.code, "Conflict");
      assert.match(e.message, /allowed only in: pendingSchedule, scheduled/);
      return true;
    });
    await assert.rejects(client.emulator.failScheduling("queued", 42), TypeError);
    assert.equal(client.emulator.exportState(), before);
    assert.deepEqual(events.types(), []);
  });
});
