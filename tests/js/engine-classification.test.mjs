// Classification, rules, exception policies, selector expiry and expedite, end to end through the JS client on a
// manual clock: each queue/worker selector attachment kind, each rule kind (function and webhook rules served by
// emulator.registerFunction), each exception trigger × action, checked through statuses, bodies and events.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  skip, at, freshClient, queues, worker, job, queue, classificationPolicy, exceptionPolicy, getJob, offeredTo,
  recordEvents,
} from "./engine-support.mjs";

/** Queues q-en {lang: en}, q-fr {lang: fr} and q-default, all on one longestIdle policy. */
async function languageQueues(client) {
  await queues(client, []);
  await queue(client, "q-en", { distributionPolicyId: "dp", labels: { lang: "en" } });
  await queue(client, "q-fr", { distributionPolicyId: "dp", labels: { lang: "fr" } });
  await queue(client, "q-default", { distributionPolicyId: "dp" });
}

/** Creates a job under a classification policy and returns { created (PATCH body), job (GET body), events }. */
async function classifyJob(client, id, classificationPolicyId, labels = {}) {
  const events = recordEvents(client);
  const created = await job(client, id, { channelId: "voice", classificationPolicyId, labels });
  const after = await getJob(client, id);
  events.stop();
  return { created: created.body, job: after, events };
}

describe("queue selector attachments", { skip }, () => {
  test("static, conditional, passThrough and ruleEngine (directMap, function, webhook) choose the queue", async () => {
    const client = freshClient("queue-attachments");
    await languageQueues(client);
    const equal = (key, value) => ({ key, labelOperator: "equal", value });
    await classificationPolicy(client, "static", {
      queueSelectorAttachments: [{ kind: "static", queueSelector: equal("Id", "q-fr") }],
    });
    await classificationPolicy(client, "conditional", {
      fallbackQueueId: "q-default",
      queueSelectorAttachments: [{
        kind: "conditional",
        condition: { kind: "expression", expression: 'job.lang = "fr"' },
        queueSelectors: [equal("lang", "fr")],
      }],
    });
    await classificationPolicy(client, "pass", {
      queueSelectorAttachments: [{ kind: "passThrough", key: "lang", labelOperator: "equal" }],
    });
    await classificationPolicy(client, "direct", {
      queueSelectorAttachments: [{ kind: "ruleEngine", rule: { kind: "directMap" } }],
    });
    await classificationPolicy(client, "function", {
      queueSelectorAttachments: [{ kind: "ruleEngine", rule: { kind: "function", functionUri: "https://fn.example/api/route" } }],
    });
    await classificationPolicy(client, "webhook", {
      queueSelectorAttachments: [{
        kind: "ruleEngine",
        rule: {
          kind: "webhook",
          webhookUri: "https://hook.example/route",
          authorizationServerUri: "https://login.example/token",
          clientCredential: { clientId: "id", clientSecret: "secret" },
        },
      }],
    });
    const calls = [];
    client.emulator.registerFunction("https://fn.example/api/route", (payload, context) => {
      calls.push([context.kind, payload]);
      return [equal("lang", payload.job.lang)];
    });
    client.emulator.registerFunction("https://hook.example/route", async (payload, context) => {
      calls.push([context.kind, payload]);
      return [equal("Id", payload.job.region === "eu" ? "q-fr" : "q-en")];
    });

    const cases = [
      ["static", { lang: "en" }, "q-fr"],
      ["conditional", { lang: "fr" }, "q-fr"],
      ["conditional", { lang: "en" }, "q-default"],
      ["pass", { lang: "en" }, "q-en"],
      ["direct", { lang: "fr" }, "q-fr"],
      ["function", { lang: "en" }, "q-en"],
      ["webhook", { region: "eu" }, "q-fr"],
    ];
    for (const [i, [policy, labels, expected]] of cases.entries()) {
      const id = `j${i}`;
      const events = recordEvents(client);
      const created = (await job(client, id, { channelId: "voice", classificationPolicyId: policy, labels })).body;
      assert.equal(created.status, "pendingClassification", `${policy}: the response shows classification pending`);
      await client.emulator.whenIdle();
      events.stop();
      const after = await getJob(client, id);
      assert.equal(after.status, "queued", `${policy}: ${JSON.stringify(after)}`);
      assert.equal(after.queueId, expected, `${policy} with ${JSON.stringify(labels)}`);
      assert.deepEqual(events.types(), ["RouterJobReceived", "RouterJobClassified", "RouterJobQueued"], policy);
      assert.equal(events.of("RouterJobClassified")[0].data.queueDetails.id, expected);
    }
    assert.deepEqual(calls, [
      ["function", { job: { lang: "en" } }],
      ["webhook", { job: { region: "eu" } }],
    ]);

    // A passThrough label the job lacks fails classification, naming the label.
    const { job: failed, events } = await classifyJob(client, "no-lang", "pass", { region: "eu" });
    assert.equal(failed.status, "classificationFailed");
    assert.deepEqual(events.types(), ["RouterJobReceived", "RouterJobClassificationFailed"]);
    assert.match(events.log[1].data.errors[0].message, /Label 'lang'/);
  });

  test("weightedAllocation picks by weight from the seeded generator: same seed, same picks", async () => {
    async function picks(seed) {
      const client = freshClient("weighted-queues", seed);
      await languageQueues(client);
      await classificationPolicy(client, "split", {
        queueSelectorAttachments: [{
          kind: "weightedAllocation",
          allocations: [
            { weight: 0.3, queueSelectors: [{ key: "lang", labelOperator: "equal", value: "en" }] },
            { weight: 0.7, queueSelectors: [{ key: "lang", labelOperator: "equal", value: "fr" }] },
          ],
        }],
      });
      const result = [];
      for (let i = 0; i < 40; i++) {
        await job(client, `j${i}`, { channelId: "voice", classificationPolicyId: "split" });
        result.push((await getJob(client, `j${i}`)).queueId);
      }
      client.emulator.dispose();
      return result;
    }
    const first = await picks(7);
    assert.deepEqual(await picks(7), first);
    const en = first.filter((q) => q === "q-en").length;
    const fr = first.filter((q) => q === "q-fr").length;
    assert.equal(en + fr, 40);
    assert.ok(en > 0 && fr > en, `30/70 split over 40 jobs gave ${en} en, ${fr} fr`);
  });
});

describe("worker selector attachments", { skip }, () => {
  test("static, conditional, passThrough and ruleEngine attach selectors that pick workers", async () => {
    const client = freshClient("worker-attachments");
    await queues(client, ["q1"], { kind: "longestIdle", maxConcurrentOffers: 2 });
    await worker(client, "junior", { capacity: 20, labels: { skill: 3, lang: "en" } });
    await worker(client, "senior", { capacity: 20, labels: { skill: 8, lang: "fr", tier: "gold" } });
    const attach = (id, attachment) =>
      classificationPolicy(client, id, { fallbackQueueId: "q1", workerSelectorAttachments: [attachment] });
    await attach("static", { kind: "static", workerSelector: { key: "skill", labelOperator: "greaterThanOrEqual", value: 5 } });
    await attach("conditional", {
      kind: "conditional",
      condition: { kind: "expression", expression: "job.vip = true" },
      workerSelectors: [{ key: "tier", labelOperator: "equal", value: "gold" }],
    });
    await attach("pass", { kind: "passThrough", key: "lang", labelOperator: "equal", expiresAfterSeconds: 30 });
    await attach("rules", { kind: "ruleEngine", rule: { kind: "directMap" } });
    const selector = (key, labelOperator, value, extra = {}) => ({ expedite: false, status: "active", key, labelOperator, value, ...extra });
    const cases = [
      ["static", {}, [selector("skill", "greaterThanOrEqual", 5)], ["senior"]],
      ["conditional", { vip: true }, [selector("tier", "equal", "gold")], ["senior"]],
      ["conditional", { vip: false }, [], ["junior", "senior"]],
      ["pass", { lang: "en" }, [selector("lang", "equal", "en", { expiresAfterSeconds: 30, expiresAt: at(30_000) })], ["junior"]],
      ["rules", { lang: "fr", tier: "gold" }, [selector("lang", "equal", "fr"), selector("tier", "equal", "gold")], ["senior"]],
    ];
    for (const [i, [policy, labels, attached, offered]] of cases.entries()) {
      const id = `j${i}`;
      const { job: after, events } = await classifyJob(client, id, policy, labels);
      assert.equal(after.status, "queued", policy);
      assert.deepEqual(after.attachedWorkerSelectors, attached, policy);
      assert.deepEqual(after.requestedWorkerSelectors, [], `${policy}: requested selectors are untouched`);
      assert.deepEqual(await offeredTo(client, id, ["junior", "senior"]), offered, policy);
      const classified = events.of("RouterJobClassified")[0].data;
      assert.equal(classified.attachedWorkerSelectors.length, attached.length, policy);
    }
  });

  test("weightedAllocation attaches one allocation's selectors per classification; same seed, same picks", async () => {
    async function picks(seed) {
      const client = freshClient("weighted-workers", seed);
      await queues(client, ["q1"], { kind: "longestIdle", maxConcurrentOffers: 2 });
      await worker(client, "junior", { capacity: 20, labels: { lang: "en" } });
      await worker(client, "senior", { capacity: 20, labels: { lang: "fr" } });
      await classificationPolicy(client, "weighted", {
        fallbackQueueId: "q1",
        workerSelectorAttachments: [{
          kind: "weightedAllocation",
          allocations: [
            { weight: 0.5, workerSelectors: [{ key: "lang", labelOperator: "equal", value: "en" }] },
            { weight: 0.5, workerSelectors: [{ key: "lang", labelOperator: "equal", value: "fr" }] },
          ],
        }],
      });
      const picked = [];
      for (let i = 0; i < 12; i++) {
        const { job: after } = await classifyJob(client, `w${i}`, "weighted");
        assert.equal(after.attachedWorkerSelectors.length, 1);
        const lang = after.attachedWorkerSelectors[0].value;
        picked.push(lang);
        assert.deepEqual(await offeredTo(client, `w${i}`, ["junior", "senior"]), [lang === "en" ? "junior" : "senior"]);
      }
      client.emulator.dispose();
      return picked;
    }
    const picked = await picks(3);
    assert.ok(picked.includes("en") && picked.includes("fr"), picked.join(","));
    assert.deepEqual(await picks(3), picked);
  });
});

describe("rule kinds", { skip }, () => {
  test("static, expression, directMap, function (sync and async) and webhook rules; failures", async () => {
    const client = freshClient("rule-kinds");
    await queues(client, ["q1"]);
    const policy = (id, prioritizationRule) => classificationPolicy(client, id, { fallbackQueueId: "q1", prioritizationRule });
    await policy("static", { kind: "static", value: 7 });
    await policy("expression", { kind: "expression", language: "powerFx", expression: "If(job.vip = true, 10, job.tier = \"gold\", 5, 1)" });
    await policy("sync", { kind: "function", functionUri: "https://fn.example/sync" });
    await policy("async", { kind: "function", functionUri: "https://fn.example/async" });
    await policy("webhook", {
      kind: "webhook",
      webhookUri: "https://hook.example/priority",
      authorizationServerUri: "https://login.example/token",
      clientCredential: { clientId: "id", clientSecret: "secret" },
    });
    await policy("throws", { kind: "function", functionUri: "https://fn.example/throws" });
    await policy("bad-expression", { kind: "expression", expression: "job.vip = " });
    await policy("missing-label", { kind: "expression", expression: "job.missing + 1" });
    await policy("division", { kind: "expression", expression: "10 / job.missing" });
    // directMap as a worker selector rule: the job's labels become equal selectors.
    await classificationPolicy(client, "direct", {
      fallbackQueueId: "q1",
      workerSelectorAttachments: [{ kind: "ruleEngine", rule: { kind: "directMap" } }],
    });
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    client.emulator.registerFunction("https://fn.example/sync", (payload) => payload.job.level * 2);
    client.emulator.registerFunction("https://fn.example/async", async (payload) => {
      await gate;
      return String(payload.job.level + 1);
    });
    client.emulator.registerFunction("https://hook.example/priority", (payload, context) => (context.kind === "webhook" ? 42 : 0));
    client.emulator.registerFunction("https://fn.example/throws", () => {
      throw new Error("scoring service unavailable");
    });

    const priority = async (id, policyId, labels) => {
      const { job: after } = await classifyJob(client, id, policyId, labels);
      return [after.status, after.priority];
    };
    assert.deepEqual(await priority("static", "static"), ["queued", 7]);
    assert.deepEqual(await priority("vip", "expression", { vip: true }), ["queued", 10]);
    assert.deepEqual(await priority("gold", "expression", { vip: false, tier: "gold" }), ["queued", 5]);
    assert.deepEqual(await priority("plain", "expression", { vip: false, tier: "silver" }), ["queued", 1]);
    // An absent label is Blank (0 in arithmetic), as in Power Fx: no failure (it was one before issue 15).
    assert.deepEqual(await priority("missing-label", "missing-label", { vip: true }), ["queued", 1]);
    assert.deepEqual(await priority("sync", "sync", { level: 3 }), ["queued", 6]);
    assert.deepEqual(await priority("webhook", "webhook"), ["queued", 42]);
    const direct = await classifyJob(client, "direct", "direct", { lang: "fr" });
    assert.deepEqual(direct.job.attachedWorkerSelectors, [{ expedite: false, status: "active", key: "lang", labelOperator: "equal", value: "fr" }]);

    // Async: pendingClassification until the function settles, then classified and queued.
    const pending = await classifyJob(client, "async", "async", { level: 4 });
    assert.equal(pending.job.status, "pendingClassification");
    const later = recordEvents(client);
    release();
    await client.emulator.whenIdle();
    assert.deepEqual(later.types(), ["RouterJobClassified", "RouterJobQueued"]);
    assert.equal((await getJob(client, "async")).priority, 5, 'the string "5" is a whole number');

    // Failures: classificationFailed with RouterJobClassificationFailed carrying the reason.
    for (const [id, policyId, pattern] of [
      ["throws", "throws", /scoring service unavailable/],
      ["bad-expression", "bad-expression", /prioritizationRule/],
      ["division", "division", /^prioritizationRule: Operator '\/' at column 4: division by zero$/],
    ]) {
      const { job: failed, events } = await classifyJob(client, id, policyId, { vip: true });
      assert.equal(failed.status, "classificationFailed", id);
      assert.deepEqual(events.types(), ["RouterJobReceived", "RouterJobClassificationFailed"], id);
      const data = events.log[1].data;
      assert.equal(data.classificationPolicyId, policyId);
      assert.equal(data.errors.length, 1);
      assert.match(data.errors[0].message, pattern, id);
      assert.equal(events.log[1].subject, `job/${id}/channel/voice/classificationpolicy/${policyId}`);
    }
  });
});

describe("exception policies: each trigger × action", { skip }, () => {
  const actions = {
    cancel: { kind: "cancel", note: "waited too long", dispositionCode: "Abandoned" },
    manualReclassify: {
      kind: "manualReclassify",
      queueId: "q2",
      priority: 9,
      workerSelectors: [{ key: "skill", labelOperator: "greaterThan", value: 5 }],
    },
    reclassify: { kind: "reclassify", classificationPolicyId: "escalate", labelsToUpsert: { escalated: true } },
  };
  const expectations = {
    cancel: async (client, id, types) => {
      assert.deepEqual(types, ["RouterJobExceptionTriggered", "RouterJobCancelled"]);
      const after = await getJob(client, id);
      assert.equal(after.status, "cancelled");
      assert.equal(after.dispositionCode, "Abandoned");
      assert.equal(after.notes.at(-1).message, "waited too long");
    },
    manualReclassify: async (client, id, types) => {
      assert.deepEqual(types, ["RouterJobExceptionTriggered", "RouterJobQueued"]);
      const after = await getJob(client, id);
      assert.equal(after.status, "queued");
      assert.equal(after.queueId, "q2");
      assert.equal(after.priority, 9);
      assert.deepEqual(after.requestedWorkerSelectors, [{ expedite: false, status: "active", key: "skill", labelOperator: "greaterThan", value: 5 }]);
    },
    reclassify: async (client, id, types) => {
      assert.deepEqual(types, ["RouterJobExceptionTriggered", "RouterJobClassified", "RouterJobQueued"]);
      const after = await getJob(client, id);
      assert.equal(after.status, "queued");
      assert.equal(after.queueId, "q2");
      assert.equal(after.priority, 10);
      assert.equal(after.classificationPolicyId, "escalate");
      assert.deepEqual(after.labels, { topic: "billing", escalated: true });
    },
  };

  /** q1 with exception policy "ep" (one rule "rule-1"), q2 without; policy "escalate" sends jobs to q2. */
  async function setUp(prefix, trigger, action) {
    const client = freshClient(prefix);
    await queues(client, ["q1", "q2"]);
    await classificationPolicy(client, "escalate", {
      queueSelectorAttachments: [{ kind: "static", queueSelector: { key: "Id", labelOperator: "equal", value: "q2" } }],
      prioritizationRule: { kind: "expression", expression: "If(job.escalated = true, 10, 1)" },
    });
    await exceptionPolicy(client, "ep", { exceptionRules: [{ id: "rule-1", trigger, actions: [action] }] });
    await queue(client, "q1", { exceptionPolicyId: "ep" });
    return client;
  }

  for (const kind of Object.keys(actions)) {
    test(`waitTime × ${kind}: fires at enqueuedAt + thresholdSeconds, once`, async () => {
      const client = await setUp(`wait-${kind}`, { kind: "waitTime", thresholdSeconds: 30 }, actions[kind]);
      await client.emulator.clock.advance(1_000);
      await job(client, "j1", { channelId: "voice", queueId: "q1", labels: { topic: "billing" } });
      const events = recordEvents(client);
      await client.emulator.clock.advance(29_999);
      assert.deepEqual(events.types(), []);
      await client.emulator.clock.advance(1);
      const triggered = events.log[0];
      assert.equal(triggered.time, at(31_000));
      assert.equal(triggered.data.ruleKey, "rule-1");
      assert.equal(triggered.data.exceptionRuleId, "ep");
      assert.equal(triggered.subject, "job/j1/channel/voice/exceptionrule/rule-1");
      await expectations[kind](client, "j1", events.types());
      await client.emulator.clock.advance(600_000);
      assert.equal(events.of("RouterJobExceptionTriggered").length, 1, "fires once");
    });

    test(`queueLength × ${kind}: fires for the job that makes the queue longer than the threshold, once`, async () => {
      const client = await setUp(`length-${kind}`, { kind: "queueLength", threshold: 1 }, actions[kind]);
      const events = recordEvents(client);
      await job(client, "j0", { channelId: "voice", queueId: "q1", labels: { topic: "billing" } });
      assert.deepEqual(events.types(), ["RouterJobReceived", "RouterJobQueued"], "a queue of 1 is not over the threshold");
      events.clear();
      await job(client, "j1", { channelId: "voice", queueId: "q1", labels: { topic: "billing" } });
      assert.deepEqual(events.types().slice(0, 2), ["RouterJobReceived", "RouterJobQueued"]);
      assert.equal(events.log[2].data.jobId, "j1");
      assert.equal(events.log[2].data.ruleKey, "rule-1");
      await expectations[kind](client, "j1", events.types().slice(2));
      events.clear();
      await client.emulator.clock.advance(600_000);
      await job(client, "j0", { priority: 3 });
      assert.equal(events.of("RouterJobExceptionTriggered").length, 0, "j0 never fires; j1 fired once");
      assert.equal((await getJob(client, "j0")).status, "queued");
    });
  }

  test("a rule that sends the job back to its own queue fires once for it", async () => {
    const client = await setUp("per-entry", { kind: "waitTime", thresholdSeconds: 10 }, { kind: "manualReclassify", queueId: "q1" });
    await job(client, "j1", { channelId: "voice", queueId: "q1" });
    const events = recordEvents(client);
    await client.emulator.clock.advance(35_000);
    // The action returns the job to q1 (a new enqueuedAt), but the rule that did it stays fired for this job there.
    assert.deepEqual(events.log.map((e) => [e.type, e.time]), [
      ["RouterJobExceptionTriggered", at(10_000)],
      ["RouterJobQueued", at(10_000)],
    ]);
    assert.equal((await getJob(client, "j1")).enqueuedAt, at(10_000));
    await client.emulator.clock.advance(600_000);
    assert.equal(events.of("RouterJobExceptionTriggered").length, 1, "no endless self-escalation");
    // (A move by an exception action to another queue and back re-arms it: tests/unit/unit-exceptions.cpp.)
  });
});

describe("worker selector expiry and expedite", { skip }, () => {
  test("an expiring requested selector opens the job to more workers exactly at expiresAfterSeconds", async () => {
    const client = freshClient("selector-expiry");
    await queues(client);
    await worker(client, "novice", { labels: { skill: "novice" } });
    const created = await job(client, "j1", {
      channelId: "voice",
      queueId: "q1",
      requestedWorkerSelectors: [{ key: "skill", labelOperator: "equal", value: "expert", expiresAfterSeconds: 30 }],
    });
    assert.deepEqual(created.body.requestedWorkerSelectors, [
      { expedite: false, status: "active", key: "skill", labelOperator: "equal", value: "expert", expiresAfterSeconds: 30 },
    ]);
    assert.equal(client.emulator.explain("j1").workers[0].code, "SelectorNotMatched");
    const events = recordEvents(client);
    await client.emulator.clock.advance(29_999);
    assert.deepEqual(events.types(), []);
    assert.deepEqual(await offeredTo(client, "j1", ["novice"]), []);
    await client.emulator.clock.advance(1);
    assert.deepEqual(events.types(), ["RouterJobWorkerSelectorsExpired", "RouterWorkerOfferIssued"]);
    assert.equal(events.log[0].time, at(30_000));
    assert.equal(events.log[0].data.expiredRequestedWorkerSelectors.length, 1);
    assert.equal(events.log[0].data.expiredRequestedWorkerSelectors[0].key, "skill");
    assert.equal(events.log[1].data.workerId, "novice");
    assert.equal((await getJob(client, "j1")).requestedWorkerSelectors[0].status, "expired");
  });

  test("expedite puts a job first while its selector is active", async () => {
    const client = freshClient("expedite");
    await queues(client);
    await job(client, "low", { channelId: "voice", queueId: "q1", priority: 1 });
    await job(client, "high", { channelId: "voice", queueId: "q1", priority: 10 });
    await job(client, "rush", {
      channelId: "voice",
      queueId: "q1",
      priority: 1,
      requestedWorkerSelectors: [{ key: "Id", labelOperator: "notEqual", value: "nobody", expedite: true, expiresAfterSeconds: 60 }],
    });
    const positions = async () => {
      const out = {};
      for (const id of ["low", "high", "rush"]) {
        const res = await client.path("/routing/jobs/{jobId}/position", id).get();
        assert.equal(res.status, "200");
        out[id] = res.body.position;
      }
      return out;
    };
    assert.deepEqual(await positions(), { rush: 1, high: 2, low: 3 });
    const events = recordEvents(client);
    await worker(client, "w1");
    assert.deepEqual(events.of("RouterWorkerOfferIssued").map((e) => e.data.jobId), ["rush"]);
    await client.emulator.clock.advance(60_000);
    assert.deepEqual(await positions(), { high: 1, low: 2, rush: 3 }, "expedite ends with the selector");
  });
});
