// Every event of one run that produces all 22 router event types conforms to the router events' Event Grid schema
// (tests/js/fixtures/router-event-schema.json, written from Microsoft's AcsRouter*EventData definitions): envelope,
// required fields, JSON types, enums, unknown fields and the subject's shape. Labels and tags of every JSON type
// (string, integer, fraction, boolean) go in; every labels/tags map of every event carries strings, while the REST
// API keeps the JSON types.
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { EVENT_TYPES } from "../../js/event-types.js";
import {
  skip, freshClient, upsert, distributionPolicy, queue, classificationPolicy, exceptionPolicy, job, worker,
  offersOf, accept, decline, getJob,
} from "./engine-support.mjs";
import { schema, validate, validateEvent } from "./router-event-schema.mjs";

const JOB_LABELS = { Locale: "en-us", Tier: 2, Vip: true, Score: 2.5 };
const JOB_TAGS = { Attempts: 1, Source: "web", Flagged: false };
const WORKER_LABELS = { Skill: 7, English: true, Rating: 4.75, Team: "blue" };
const WORKER_TAGS = { Seniority: 12, Remote: false };
const QUEUE_LABELS = { Region: "NA", Level: 3, Open: false, Ratio: 0.5 };

const MAP_FIELDS = ["labels", "tags", "jobLabels", "jobTags", "workerLabels", "workerTags"];

/** Every labels/tags map in an event's data, with where it is. */
function labelMaps(data) {
  const maps = [];
  for (const field of MAP_FIELDS) if (data[field] !== undefined) maps.push([field, data[field]]);
  (data.queueAssignments ?? []).forEach((q, i) => maps.push([`queueAssignments[${i}].labels`, q.labels]));
  if (data.queueDetails) maps.push(["queueDetails.labels", data.queueDetails.labels]);
  return maps;
}

/** One run through every kind of event; returns every event delivered to an emulator.on("*") listener. */
async function everyEventType(client) {
  const events = [];
  client.emulator.on("*", (e) => events.push(e));
  const post = (template, ...args) => {
    const body = typeof args.at(-1) === "object" ? args.pop() : undefined;
    return client.path(template, ...args).post(body === undefined ? {} : { body });
  };

  await distributionPolicy(client, "dp", { offerExpiresAfterSeconds: 10, mode: { kind: "longestIdle", maxConcurrentOffers: 2 } });
  await queue(client, "q1", { distributionPolicyId: "dp", name: "Sales", labels: QUEUE_LABELS });
  await queue(client, "q-idle", { distributionPolicyId: "dp", labels: QUEUE_LABELS }); // no workers
  await exceptionPolicy(client, "ep", {
    exceptionRules: [{ id: "slow", trigger: { kind: "waitTime", thresholdSeconds: 3 }, actions: [{ kind: "cancel", dispositionCode: "TooSlow" }] }],
  });
  await queue(client, "q-exc", { distributionPolicyId: "dp", exceptionPolicyId: "ep", labels: QUEUE_LABELS });
  await classificationPolicy(client, "cp", {
    fallbackQueueId: "q-idle",
    workerSelectorAttachments: [{ kind: "static", workerSelector: { key: "Skill", labelOperator: "greaterThan", value: 5, expiresAfterSeconds: 100 } }],
  });
  await classificationPolicy(client, "cp-fail", {
    queueSelectorAttachments: [{ kind: "passThrough", key: "Lang", labelOperator: "equal" }],
  });

  // Registered, Updated.
  for (const id of ["w1", "w2"]) {
    await upsert(client, "/routing/workers/{workerId}", id, {
      capacity: 1, queues: ["q1"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true,
      labels: WORKER_LABELS, tags: WORKER_TAGS,
    });
  }
  await upsert(client, "/routing/workers/{workerId}", "w2", { tags: { Seniority: 13, Remote: true } });

  // Received, Queued, OfferIssued (x2), OfferAccepted, OfferRevoked, Completed, Closed.
  await job(client, "j1", { channelId: "voice", queueId: "q1", priority: 3, labels: JOB_LABELS, tags: JOB_TAGS });
  const [offer1] = await offersOf(client, "w1");
  const { assignmentId: a1 } = (await accept(client, "w1", offer1.offerId)).body;
  await post("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "j1", a1, { note: "done" });
  await post("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "j1", a1, { dispositionCode: "Resolved" });

  // Unassigned (and Queued again with new offers), OfferDeclined, OfferExpired, Cancelled, Deleted.
  await job(client, "j2", { channelId: "voice", queueId: "q1", labels: JOB_LABELS, tags: JOB_TAGS });
  const [offer2] = await offersOf(client, "w2");
  const { assignmentId: a2 } = (await accept(client, "w2", offer2.offerId)).body;
  await post("/routing/jobs/{jobId}/assignments/{assignmentId}:unassign", "j2", a2, {});
  const [again] = await offersOf(client, "w1");
  await decline(client, "w1", again.offerId, {});
  await client.emulator.clock.advance(11_000); // w2's new offer expires
  await post("/routing/jobs/{jobId}:cancel", "j2", { note: "no longer needed", dispositionCode: "Withdrawn" });
  const deleted = await client.path("/routing/jobs/{jobId}", "j2").delete();
  assert.equal(deleted.status, "204");

  // Classified; WorkerSelectorsExpired (a requested selector expires while the job waits in a queue without workers).
  await job(client, "j3", {
    channelId: "voice", classificationPolicyId: "cp", labels: JOB_LABELS, tags: JOB_TAGS,
    requestedWorkerSelectors: [{ key: "English", labelOperator: "equal", value: true, expiresAfterSeconds: 5 }],
  });
  // ClassificationFailed: the passThrough label is missing.
  await job(client, "j4", { channelId: "voice", classificationPolicyId: "cp-fail", labels: JOB_LABELS, tags: JOB_TAGS });
  // ExceptionTriggered (and Cancelled by the rule's action).
  await job(client, "j5", { channelId: "voice", queueId: "q-exc", labels: JOB_LABELS, tags: JOB_TAGS });
  // WaitingForActivation, and SchedulingFailed injected.
  await job(client, "j6", {
    channelId: "voice", queueId: "q-idle", labels: JOB_LABELS, tags: JOB_TAGS,
    matchingMode: { kind: "scheduleAndSuspend", scheduleAt: "2024-01-01T00:00:20Z" },
  });
  await job(client, "j7", {
    channelId: "voice", queueId: "q-idle", labels: JOB_LABELS, tags: JOB_TAGS,
    matchingMode: { kind: "scheduleAndSuspend", scheduleAt: "2024-01-01T00:01:00Z" },
  });
  await client.emulator.failScheduling("j7", "calendar unavailable");
  await client.emulator.clock.advance(10_000);

  // Deregistered, Deleted.
  await upsert(client, "/routing/workers/{workerId}", "w2", { availableForOffers: false });
  const gone = await client.path("/routing/workers/{workerId}", "w2").delete();
  assert.equal(gone.status, "204");
  await client.emulator.whenIdle();
  return events;
}

describe("router events against the Event Grid schema", { skip }, () => {
  test("the schema file defines the 22 event types of js/event-types.js", () => {
    assert.deepEqual(Object.keys(schema.events).sort(), [...EVENT_TYPES].sort());
  });

  test("the validator rejects what the schema forbids", () => {
    const data = { jobId: "j", channelId: "voice", labels: { Tier: 2 }, tags: {}, jobStatus: "created", unavailableForMatching: "no", extra: 1 };
    const problems = validate(data, schema.events.RouterJobReceived.data, "data");
    assert.ok(problems.some((p) => p.startsWith("data.labels.Tier: expected string, got integer")), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes('"created" is not one of')), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith("data.unavailableForMatching: expected boolean")), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes('"extra" is not a property')), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes('required "requestedWorkerSelectors" is missing')), problems.join("\n"));
    assert.ok(validate({ jobId: "j" }, schema.events.RouterJobDeleted.data).some((p) => p.includes('required "labels"')));
  });

  test("one run publishes all 22 types and every event conforms, labels and tags as strings", async () => {
    const client = freshClient("event-schema");
    const events = await everyEventType(client);
    const seen = new Set(events.map((e) => e.eventType.replace("Microsoft.Communication.", "")));
    assert.deepEqual([...seen].sort(), [...EVENT_TYPES].sort(), "the run covers every router event type");

    const failures = [];
    for (const event of events) {
      const problems = validateEvent(event);
      if (problems.length) failures.push(`${event.eventType} #${event.sequenceNumber}:\n  ${problems.join("\n  ")}`);
    }
    assert.deepEqual(failures, [], failures.join("\n"));

    // Numbers and booleans went in; each map holds the JSON text of what went in.
    const received = events.find((e) => e.eventType.endsWith(".RouterJobReceived") && e.data.jobId === "j1");
    assert.deepEqual(received.data.labels, { Locale: "en-us", Score: "2.5", Tier: "2", Vip: "true" });
    assert.deepEqual(received.data.tags, { Attempts: "1", Flagged: "false", Source: "web" });
    const issued = events.find((e) => e.eventType.endsWith(".RouterWorkerOfferIssued"));
    assert.deepEqual(issued.data.workerLabels, { English: "true", Id: issued.data.workerId, Rating: "4.75", Skill: "7", Team: "blue" });
    assert.deepEqual(issued.data.jobTags, { Attempts: "1", Flagged: "false", Source: "web" });
    const registered = events.find((e) => e.eventType.endsWith(".RouterWorkerRegistered"));
    assert.deepEqual(registered.data.queueAssignments[0].labels, { Id: "q1", Level: "3", Open: "false", Ratio: "0.5", Region: "NA" });
    let maps = 0;
    for (const event of events) {
      for (const [where, map] of labelMaps(event.data)) {
        maps += 1;
        for (const [key, value] of Object.entries(map)) {
          assert.equal(typeof value, "string", `${event.eventType} ${where}.${key}: ${JSON.stringify(value)}`);
        }
      }
    }
    assert.ok(maps > 50, `${maps} maps checked`);

    // The REST API keeps the JSON types.
    assert.deepEqual((await getJob(client, "j3")).labels, JOB_LABELS);
    assert.deepEqual((await getJob(client, "j3")).tags, JOB_TAGS);
  });
});
