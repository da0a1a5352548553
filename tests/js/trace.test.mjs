// Trace files (README "Trace files"): emulator.startRecording() / --record FILE, RouterEmulator.replay() /
// `jobrouter-emulator replay FILE [--until N] [--verify]`.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = path.join(ROOT, "js", "bin.js");
const skip = existsSync(path.join(ROOT, "js", "generated", "jobrouter-core.js"))
  ? false
  : "js/generated/jobrouter-core.js is absent (npm run build)";
const { RouterEmulator } = skip ? {} : await import("../../js/node.js");
const { frame, parseFrames } = await import("../../js/recording.js");
const { startServer } = skip ? {} : await import("../../js/server/index.js");

const API = "api-version=2023-11-01";
const PATCH_HEADERS = { "content-type": "application/merge-patch+json" };

function caller(emulator) {
  return (method, route, body) =>
    emulator.handle(method, `${route}?${API}`, body === undefined ? {} : PATCH_HEADERS, body === undefined ? "" : JSON.stringify(body));
}

/** A session with sync and async function rules, offers, a clock move, a reset and an import. */
async function session(emulator, states) {
  const call = caller(emulator);
  const mark = () => states?.set(states.recording.records, emulator.exportState());
  emulator.registerFunction("https://rules.example/priority", (payload) => (payload.job.vip ? 10 : 1));
  emulator.registerFunction("https://rules.example/slow", async () => 5);
  emulator.registerFunction("https://rules.example/broken", () => {
    throw new Error("the rule service is down");
  });
  await call("PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
  mark();
  await call("PATCH", "/routing/classificationPolicies/sync", { prioritizationRule: { kind: "function", functionUri: "https://rules.example/priority" } });
  await call("PATCH", "/routing/classificationPolicies/async", { prioritizationRule: { kind: "function", functionUri: "https://rules.example/slow" } });
  await call("PATCH", "/routing/classificationPolicies/broken", { prioritizationRule: { kind: "function", functionUri: "https://rules.example/broken" } });
  await call("PATCH", "/routing/queues/q", { distributionPolicyId: "dp" });
  mark();
  await call("PATCH", "/routing/workers/w1", {
    capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true,
  });
  await call("PATCH", "/routing/jobs/j1", { channelId: "voice", queueId: "q", classificationPolicyId: "sync", labels: { vip: true } });
  await call("PATCH", "/routing/jobs/j2", { channelId: "voice", queueId: "q", classificationPolicyId: "async" });
  await call("PATCH", "/routing/jobs/j3", { channelId: "voice", queueId: "q", classificationPolicyId: "broken" });
  await emulator.whenIdle();
  mark();
  await call("GET", "/routing/jobs/j2");
  await call("GET", "/routing/workers/w1");
  await emulator.clock.advance(90_000);  // the offer expires, the job is offered again
  mark();
  await call("POST", "/routing/jobs/j2:cancel", {});
  await call("DELETE", "/routing/jobs/j9");  // 404
  const saved = emulator.exportState();
  emulator.reset();
  await call("PATCH", "/routing/queues/after-reset", { distributionPolicyId: "dp" }).catch(() => {});
  mark();
  emulator.importState(saved);
  await call("GET", "/routing/jobs?maxpagesize=2");
  mark();
}

describe("trace files", { skip }, () => {
  let dir;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "jobrouter-emulator-trace-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("record -> replay --verify: every response and event identical; --until N gives the state after record N", async () => {
    const emulator = new RouterEmulator({ clock: "manual", seed: 7 });
    const states = new Map();
    const recording = emulator.startRecording();
    states.recording = recording;
    await session(emulator, states);
    const trace = recording.stop();
    const finalState = emulator.exportState();
    emulator.dispose();
    const { records, problem } = parseFrames(trace);
    assert.equal(problem, null);
    assert.equal(records[0].k, "head");
    assert.ok(records.some((r) => r.k === "run" && r.rules?.some((rule) => rule[3] === 1)), "an async rule answer is recorded");
    assert.ok(records.some((r) => r.rules?.some((rule) => rule[2] === "the rule service is down")), "a failed rule is recorded");
    assert.ok(!trace.includes("authorization"), "no secret headers are recorded");

    const replay = await RouterEmulator.replay(trace, { verify: true });
    assert.equal(replay.mismatch, null);
    assert.equal(replay.applied, records.length - 1);
    assert.equal(replay.emulator.exportState(), finalState);
    replay.emulator.dispose();

    for (const [n, state] of states) {
      if (typeof n !== "number") continue;
      const partial = await RouterEmulator.replay(trace, { until: n });
      assert.equal(partial.last, n);
      assert.equal(partial.emulator.exportState(), state, `the state after record ${n}`);
      partial.emulator.dispose();
    }
  });

  test("a tampered trace fails verify at the first differing record; a torn tail is reported, not fatal", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    const recording = emulator.startRecording();
    await session(emulator);
    const trace = recording.stop();
    emulator.dispose();
    const { records } = parseFrames(trace);
    const target = records.find((r) => r.k === "req" && r.m === "GET" && r.res?.body.includes('"j2"'));
    assert.ok(target);
    const tampered = records.map((r) => (r === target ? { ...r, res: { ...r.res, body: r.res.body.replace('"j2"', '"jX"') } } : r));
    const result = await RouterEmulator.replay(tampered.map(frame).join(""), { verify: true });
    assert.equal(result.mismatch?.n, target.n);
    assert.equal(result.mismatch.what, "response");
    assert.match(result.mismatch.detail, /jX/);
    result.emulator.dispose();

    const withEvents = records.find((r) => r.ev?.length > 0);
    const eventTampered = records.map((r) => (r === withEvents ? { ...r, ev: r.ev.slice(1) } : r));
    const evResult = await RouterEmulator.replay(eventTampered.map(frame).join(""), { verify: true });
    assert.deepEqual([evResult.mismatch?.n, evResult.mismatch?.what], [withEvents.n, "events"]);
    evResult.emulator.dispose();

    const torn = trace.slice(0, trace.length - 40);
    const tornResult = await RouterEmulator.replay(torn, { verify: true });
    assert.equal(tornResult.mismatch, null);
    assert.equal(tornResult.applied, records.length - 2);
    assert.match(tornResult.problem, /torn/);
    tornResult.emulator.dispose();
    await assert.rejects(RouterEmulator.replay("not a trace"), /not a jobrouter-emulator-trace/);
  });

  test("a real clock is recorded too: timers fired by wall time replay at the same virtual moments", async () => {
    const emulator = new RouterEmulator({ clock: "real", speed: 2000 });
    const recording = emulator.startRecording();
    const call = caller(emulator);
    await call("PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } });
    await call("PATCH", "/routing/queues/q", { distributionPolicyId: "dp" });
    await call("PATCH", "/routing/workers/w1", { capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true });
    await call("PATCH", "/routing/jobs/j1", { channelId: "voice", queueId: "q", priority: 1 });
    await new Promise((resolve) => setTimeout(resolve, 60));  // 120 virtual seconds: offers expire on wall time
    await call("GET", "/routing/jobs/j1");
    const trace = recording.stop();
    const finalState = emulator.exportState();
    emulator.dispose();
    assert.ok(parseFrames(trace).records.some((r) => r.k === "run"), "a timer run was recorded");
    const replay = await RouterEmulator.replay(trace, { verify: true });
    assert.equal(replay.mismatch, null);
    // the real clock went on after the last record; everything else is the same
    const withoutNow = (text) => text.replace(/"now":"[^"]*"/, "");
    assert.equal(withoutNow(replay.emulator.exportState()), withoutNow(finalState));
    replay.emulator.dispose();
  });

  test("--record on the server, then `jobrouter-emulator replay FILE --verify` and --until", async () => {
    const file = path.join(dir, "server.trace");
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, record: file });
    const send = (method, route, body) =>
      fetch(`${server.url}${route}${route.includes("?") ? "&" : "?"}${API}`, {
        method,
        headers: body === undefined ? {} : PATCH_HEADERS,
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.text());
    await send("PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
    await send("PATCH", "/routing/queues/q", { distributionPolicyId: "dp" });
    await send("PATCH", "/routing/jobs/j1", { channelId: "voice", queueId: "q" });
    await fetch(`${server.url}/emulator/clock/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"ms":5000}' });
    await send("GET", "/routing/jobs/j1");
    await server.close();
    const ok = spawnSync(process.execPath, [BIN, "replay", file, "--verify"], { encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /replayed 5 of 5 records.*\n.*verify: every response and event is identical/);
    const until = spawnSync(process.execPath, [BIN, "replay", file, "--until", "2", "--export", path.join(dir, "until.json")], { encoding: "utf8" });
    assert.equal(until.status, 0, until.stderr);
    assert.match(until.stdout, /replayed 2 of 5 records/);
    assert.ok(readFileSync(path.join(dir, "until.json"), "utf8").includes('"q"'));

    const { records } = parseFrames(readFileSync(file));
    records[3] = { ...records[3], res: { ...records[3].res, status: 500 } };
    writeFileSync(path.join(dir, "tampered.trace"), records.map(frame).join(""));
    const bad = spawnSync(process.execPath, [BIN, "replay", path.join(dir, "tampered.trace"), "--verify"], { encoding: "utf8" });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /verify: record 3: the response differ/);
  });
});
