// Expression rules as people write them (issue 15), end to end: the escalation guide's policy classifies jobs with
// and without the Escalated label through the JS client; emulator.evaluateRule() for every rule kind; and the
// same over HTTP as POST /emulator/rules/evaluate.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import {
  skip, freshClient, queues, job, classificationPolicy, getJob,
} from "./engine-support.mjs";

const { startServer } = await import("../../js/server/index.js");

/** The escalation guide's classification policy: queue by Escalated, priority 10 if escalated, otherwise 1. */
async function escalationSetup(client) {
  await queues(client, ["XBOX_Queue", "XBOX_Escalation_Queue"]);
  await classificationPolicy(client, "Classification_Policy_1", {
    name: "Classify_XBOX_Voice_Jobs",
    prioritizationRule: { kind: "expression", expression: "If(job.Escalated = true, 10, 1)" },
    queueSelectorAttachments: [{
      kind: "conditional",
      condition: { kind: "expression", expression: 'job.Escalated = true' },
      queueSelectors: [{ key: "Id", labelOperator: "equal", value: "XBOX_Escalation_Queue" }],
    }],
    fallbackQueueId: "XBOX_Queue",
  });
}

describe("classification with expression rules on absent labels", { skip }, () => {
  test("the escalation guide's policy: a job without the Escalated label is queued at priority 1", async () => {
    const client = freshClient("escalation");
    try {
      await escalationSetup(client);
      await job(client, "plain", { channelId: "voice", classificationPolicyId: "Classification_Policy_1" });
      const plain = await getJob(client, "plain");
      assert.equal(plain.status, "queued", JSON.stringify(plain));
      assert.equal(plain.priority, 1);
      assert.equal(plain.queueId, "XBOX_Queue");

      await job(client, "escalated", {
        channelId: "voice", classificationPolicyId: "Classification_Policy_1", labels: { Escalated: true },
      });
      const escalated = await getJob(client, "escalated");
      assert.equal(escalated.status, "queued");
      assert.equal(escalated.priority, 10);
      assert.equal(escalated.queueId, "XBOX_Escalation_Queue");

      await job(client, "not-escalated", {
        channelId: "voice", classificationPolicyId: "Classification_Policy_1", labels: { Escalated: false },
      });
      const notEscalated = await getJob(client, "not-escalated");
      assert.equal(notEscalated.priority, 1);
      assert.equal(notEscalated.queueId, "XBOX_Queue");
    } finally {
      client.emulator.dispose();
    }
  });

  test("functions people use in rules classify; a real error still fails classification naming the rule and column", async () => {
    const client = freshClient("functions");
    try {
      await queues(client, ["q-na", "q-other"]);
      await classificationPolicy(client, "cp", {
        prioritizationRule: {
          kind: "expression",
          expression: 'Switch(Upper(Trim(job.Region)), "NA", 5, "EU", 3, Coalesce(Value(job.Boost), 1))',
        },
        queueSelectorAttachments: [{
          kind: "conditional",
          condition: { kind: "expression", expression: 'Upper(job.Region) in ["NA", "US"]' },
          queueSelectors: [{ key: "Id", labelOperator: "equal", value: "q-na" }],
        }],
        fallbackQueueId: "q-other",
      });
      await classificationPolicy(client, "broken", { prioritizationRule: { kind: "expression", expression: "10 / job.Zero" } });
      await job(client, "na", { channelId: "voice", classificationPolicyId: "cp", labels: { Region: " na " } });
      await job(client, "boost", { channelId: "voice", classificationPolicyId: "cp", labels: { Boost: "7" } });
      await job(client, "none", { channelId: "voice", classificationPolicyId: "cp" });
      await job(client, "bad", { channelId: "voice", classificationPolicyId: "broken", queueId: "q-other" });
      const na = await getJob(client, "na");
      assert.deepEqual([na.status, na.priority, na.queueId], ["queued", 5, "q-other"]);  // " na " upper is " NA "
      const boost = await getJob(client, "boost");
      assert.deepEqual([boost.status, boost.priority, boost.queueId], ["queued", 7, "q-other"]);
      const none = await getJob(client, "none");
      assert.deepEqual([none.status, none.priority], ["queued", 1]);
      const bad = await getJob(client, "bad");
      assert.equal(bad.status, "classificationFailed");
    } finally {
      client.emulator.dispose();
    }
  });
});

describe("emulator.evaluateRule", { skip }, () => {
  test("expression, static and directMap rules give { value }; errors give { error, column }", async () => {
    const client = freshClient("evaluate");
    const emulator = client.emulator;
    try {
      const rule = { kind: "expression", expression: "If(job.Escalated = true, 10, 1)" };
      assert.deepEqual(await emulator.evaluateRule(rule, { job: {} }), { value: 1 });
      assert.deepEqual(await emulator.evaluateRule(rule, { job: { Escalated: true } }), { value: 10 });
      assert.deepEqual(await emulator.evaluateRule(rule), { value: 1 });
      assert.deepEqual(
        await emulator.evaluateRule({ kind: "expression", expression: "job.Tier * 10 + worker.Bonus" }, {
          job: { Tier: 3 }, worker: { Bonus: 0.5 },
        }),
        { value: 30.5 },
      );
      assert.deepEqual(await emulator.evaluateRule({ kind: "expression", expression: "job.Missing" }), { value: null });
      assert.deepEqual(await emulator.evaluateRule({ kind: "static", value: "x" }), { value: "x" });
      assert.deepEqual(await emulator.evaluateRule({ kind: "directMap" }, { job: { a: 1 } }), { value: { a: 1 } });
      assert.deepEqual(await emulator.evaluateRule({ kind: "expression", expression: "Mid(\"abc\", 0)" }), {
        error: "Function 'Mid' at column 1: the start must be 1 or more, but it is 0",
        column: 1,
      });
      assert.deepEqual(await emulator.evaluateRule({ kind: "expression", expression: "1 +" }), {
        error: "Invalid expression: Unexpected end of expression at column 4",
        column: 4,
      });
      assert.deepEqual(await emulator.evaluateRule({ kind: "expression", expression: "if(true, 1)" }), {
        error: "Invalid expression: Unknown function 'if' at column 1: function names are case-sensitive; did you mean 'If'?",
        column: 1,
      });
      const unknownKind = await emulator.evaluateRule({ kind: "nope" });
      assert.match(unknownKind.error, /rule\.kind: 'nope' is not a valid value/);
      const badLabels = await emulator.evaluateRule({ kind: "static", value: 1 }, { job: { a: [1] } });
      assert.match(badLabels.error, /^job\.a/);
    } finally {
      emulator.dispose();
    }
  });

  test("function and webhook rules go to the registered functions, sync or async", async () => {
    const client = freshClient("evaluate-fn");
    const emulator = client.emulator;
    try {
      const calls = [];
      emulator.registerFunction("https://fn.example/score", (payload, context) => {
        calls.push({ payload, kind: context.kind, uri: context.uri });
        return payload.job.Tier * 2 + (payload.worker?.Skill ?? 0);
      });
      emulator.registerFunction("https://hook.example/route", async () => [{ key: "Id", labelOperator: "equal", value: "q1" }]);
      emulator.registerFunction("https://fn.example/throws", () => {
        throw new Error("no score today");
      });
      assert.deepEqual(
        await emulator.evaluateRule({ kind: "function", functionUri: "https://fn.example/score" }, {
          job: { Tier: 2 }, worker: { Skill: 3 },
        }),
        { value: 7 },
      );
      assert.deepEqual(calls, [{ payload: { job: { Tier: 2 }, worker: { Skill: 3 } }, kind: "function", uri: "https://fn.example/score" }]);
      assert.deepEqual(
        await emulator.evaluateRule({
          kind: "webhook",
          webhookUri: "https://hook.example/route",
          authorizationServerUri: "https://login.example/token",
          clientCredential: { clientId: "id", clientSecret: "secret" },
        }, { job: {} }),
        { value: [{ key: "Id", labelOperator: "equal", value: "q1" }] },
      );
      assert.deepEqual(await emulator.evaluateRule({ kind: "function", functionUri: "https://fn.example/throws" }), {
        error: "no score today",
      });
      assert.deepEqual(await emulator.evaluateRule({ kind: "function", functionUri: "https://fn.example/none" }), {
        error: "no function is registered for https://fn.example/none (emulator.registerFunction)",
      });
    } finally {
      emulator.dispose();
    }
  });
});

function post(server, path, body, contentType = "application/json") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: server.host,
      port: server.port,
      method: "POST",
      path,
      headers: {
        host: `${server.host}:${server.port}`,
        "content-type": contentType,
        "content-length": Buffer.byteLength(text),
      },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode, json: raw ? JSON.parse(raw) : undefined });
      });
    });
    req.on("error", reject);
    req.end(text);
  });
}

describe("POST /emulator/rules/evaluate", { skip }, () => {
  let server;
  before(async () => {
    server = await startServer({ port: 0, clock: "manual", silent: true });
  });
  after(() => server.close());

  test("answers { value } or { error, column } like evaluateRule", async () => {
    const rule = { kind: "expression", expression: "If(job.Escalated = true, 10, 1)" };
    assert.deepEqual((await post(server, "/emulator/rules/evaluate", { rule, job: {} })).json, { value: 1 });
    assert.deepEqual((await post(server, "/emulator/rules/evaluate", { rule, job: { Escalated: true } })).json, { value: 10 });
    const failing = await post(server, "/emulator/rules/evaluate", {
      rule: { kind: "expression", expression: "job.A / job.B" }, job: { A: 1, B: 0 },
    });
    assert.equal(failing.status, 200);
    assert.deepEqual(failing.json, { error: "Operator '/' at column 7: division by zero", column: 7 });
    const worker = await post(server, "/emulator/rules/evaluate", {
      rule: { kind: "expression", expression: "worker.Skill >= 3" }, worker: { Skill: 4 },
    });
    assert.deepEqual(worker.json, { value: true });
  });

  test("refuses other fields, a missing rule, non-object labels and other content types", async () => {
    const unknown = await post(server, "/emulator/rules/evaluate", { rule: { kind: "static", value: 1 }, labels: {} });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.json), /does not take the field \\"labels\\": it takes \\"rule\\", \\"job\\", \\"worker\\"/);
    const missing = await post(server, "/emulator/rules/evaluate", { job: {} });
    assert.equal(missing.status, 400);
    assert.match(JSON.stringify(missing.json), /needs \\"rule\\"/);
    const badJob = await post(server, "/emulator/rules/evaluate", { rule: { kind: "static", value: 1 }, job: [1] });
    assert.equal(badJob.status, 400);
    const text = await post(server, "/emulator/rules/evaluate", "{}", "text/plain");
    assert.equal(text.status, 415);
    const get = await new Promise((resolve, reject) => {
      http.get({ host: server.host, port: server.port, path: "/emulator/rules/evaluate" }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      }).on("error", reject);
    });
    assert.equal(get, 405);
  });
});
