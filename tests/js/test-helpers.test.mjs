// Test helpers of RouterEmulator: the one list of event types, checked event names (on/once/off),
// waitForEvent, removeAllListeners and reset with and without listeners. Runs on the WebAssembly core.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { RouterEmulator } from "../../js/node.js";
import { EVENT_PREFIX, EVENT_TYPES, closestEventType, normalizeEventType } from "../../js/event-types.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MERGE = { "content-type": "application/merge-patch+json" };
const API = "api-version=2023-11-01";

async function patch(emulator, pathName, body) {
  const response = await emulator.handle("PATCH", `${pathName}?${API}`, MERGE, JSON.stringify(body));
  assert.ok(response.status === 200 || response.status === 201, `${pathName}: ${response.status} ${response.body}`);
  return JSON.parse(response.body);
}

/** A distribution policy and a queue, so that jobs can be queued. */
async function setup(emulator) {
  await patch(emulator, "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
  await patch(emulator, "/routing/queues/q", { distributionPolicyId: "dp" });
}

const createJob = (emulator, id) => patch(emulator, `/routing/jobs/${id}`, { channelId: "voice", queueId: "q" });

/** Every "RouterJob…" / "RouterWorker…" string literal of the core's C++ sources. */
function coreEventNames() {
  const names = new Set();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(cpp|hpp)$/.test(name)) {
        for (const match of readFileSync(file, "utf8").matchAll(/"(Router(?:Job|Worker)[A-Za-z]*)"/g)) names.add(match[1]);
      }
    }
  };
  walk(path.join(ROOT, "core"));
  return names;
}

describe("EVENT_TYPES", () => {
  test("22 distinct short names, frozen, with the Event Grid prefix beside them", () => {
    assert.equal(EVENT_TYPES.length, 22);
    assert.equal(new Set(EVENT_TYPES).size, 22);
    assert.ok(Object.isFrozen(EVENT_TYPES));
    assert.equal(EVENT_PREFIX, "Microsoft.Communication.");
    for (const type of EVENT_TYPES) assert.match(type, /^Router(Job|Worker)[A-Za-z]+$/);
  });

  test("equal the event names the core publishes", { skip: existsSync(path.join(ROOT, "core", "events")) ? false : "no core/ sources here" }, () => {
    assert.deepEqual([...coreEventNames()].sort(), [...EVENT_TYPES].sort());
  });

  test("the web demo uses this list (one list)", { skip: existsSync(path.join(ROOT, "web-demo", "backend.js")) ? false : "no web demo here" }, () => {
    const source = readFileSync(path.join(ROOT, "web-demo", "backend.js"), "utf8");
    assert.match(source, /from "\.\.\/js\/event-types\.js"/);
    assert.doesNotMatch(source, /"RouterJobReceived"/);
  });
});

describe("event names are checked", () => {
  test("short, full and * are accepted", () => {
    assert.equal(normalizeEventType("RouterJobQueued"), "Microsoft.Communication.RouterJobQueued");
    assert.equal(normalizeEventType("Microsoft.Communication.RouterJobQueued"), "Microsoft.Communication.RouterJobQueued");
    assert.equal(normalizeEventType("*"), "*");
  });

  test("a misspelling throws a TypeError suggesting the closest name and listing the valid ones", () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      for (const call of [
        () => emulator.on("WorkerOfferIssued", () => {}),
        () => emulator.once("WorkerOfferIssued", () => {}),
        () => emulator.off("WorkerOfferIssued", () => {}),
      ]) {
        assert.throws(call, (error) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, /Unknown router event type "WorkerOfferIssued"\. Did you mean "RouterWorkerOfferIssued"\?/);
          for (const type of EVENT_TYPES) {
            assert.ok(error.message.includes(`${type},`) || error.message.includes(`${type})`), type);
            assert.ok(error.message.includes(EVENT_PREFIX + type), `full ${type}`);
          }
          assert.ok(error.message.includes('"*"'));
          return true;
        });
      }
      assert.equal(emulator._listeners.size, 0, "nothing was added");
    } finally {
      emulator.dispose();
    }
  });

  test("suggestions: case, a wrong prefix, a typo; none for nonsense", () => {
    assert.equal(closestEventType("routerjobqueued"), "RouterJobQueued");
    assert.equal(closestEventType("JobQueud"), "RouterJobQueued");
    assert.equal(closestEventType("RouterWorkerOfferExpire"), "RouterWorkerOfferExpired");
    assert.equal(closestEventType("elephant"), undefined);
    assert.throws(() => normalizeEventType("Microsoft.Communication.RouterJobQueud"),
      /Did you mean "Microsoft\.Communication\.RouterJobQueued"\?/);
    assert.throws(() => normalizeEventType("Microsoft.Communications.RouterJobQueued"),
      /Did you mean "Microsoft\.Communication\.RouterJobQueued"\?/);
    assert.throws(() => normalizeEventType("elephant"), (error) => error instanceof TypeError && !/Did you mean/.test(error.message));
    assert.throws(() => normalizeEventType(""), TypeError);
    assert.throws(() => normalizeEventType(42), TypeError);
  });

  test("once with a valid name fires (the listener it used to drop silently now throws instead)", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await setup(emulator);
      const seen = [];
      emulator.once("RouterJobQueued", (event) => seen.push(event.data.jobId));
      await createJob(emulator, "j1");
      await createJob(emulator, "j2");
      assert.deepEqual(seen, ["j1"]);
    } finally {
      emulator.dispose();
    }
  });
});

describe("waitForEvent", () => {
  test("resolves with the first matching event delivered after the call, then removes its listener", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await setup(emulator);
      await createJob(emulator, "before");
      const waiting = emulator.waitForEvent("RouterJobQueued");
      await createJob(emulator, "j1");
      const event = await waiting;
      assert.equal(event.eventType, "Microsoft.Communication.RouterJobQueued");
      assert.equal(event.data.jobId, "j1");
      assert.equal(emulator._listeners.size, 0);
    } finally {
      emulator.dispose();
    }
  });

  test("a predicate, a full name, * and options as the second argument", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await setup(emulator);
      const second = emulator.waitForEvent("Microsoft.Communication.RouterJobQueued", (e) => e.data.jobId === "j2");
      const any = emulator.waitForEvent("*", { timeout: 1000 });
      const received = emulator.waitForEvent("RouterJobReceived", { timeout: 1000 });
      await createJob(emulator, "j1");
      await createJob(emulator, "j2");
      assert.equal((await second).data.jobId, "j2");
      assert.equal((await any).eventType, "Microsoft.Communication.RouterJobReceived");
      assert.equal((await received).data.jobId, "j1");
      assert.equal(emulator._listeners.size, 0);
    } finally {
      emulator.dispose();
    }
  });

  test("timer-driven events arrive as the manual clock moves", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await setup(emulator);
      await patch(emulator, "/routing/workers/w1", { capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true });
      await createJob(emulator, "j1");
      const expired = emulator.waitForEvent("RouterWorkerOfferExpired", { timeout: 1000 });
      await emulator.clock.advance(60_000);
      const event = await expired;
      assert.equal(event.data.workerId, "w1");
    } finally {
      emulator.dispose();
    }
  });

  test("times out naming the type, the predicate and the events that did arrive, with counts", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await setup(emulator);
      const waiting = emulator.waitForEvent("RouterJobQueued", (e) => e.data.jobId === "never", { timeout: 80 });
      await createJob(emulator, "j1");
      await createJob(emulator, "j2");
      await assert.rejects(waiting, (error) => {
        assert.equal(error.name, "TimeoutError");
        assert.match(error.message, /^waitForEvent: no RouterJobQueued matching the predicate arrived within 80 ms; /);
        assert.match(error.message, /events that did arrive meanwhile: RouterJobReceived ×2, RouterJobQueued ×2\./);
        assert.match(error.message, /The clock is manual/);
        assert.deepEqual(error.received, { RouterJobReceived: 2, RouterJobQueued: 2 });
        return true;
      });
      assert.equal(emulator._listeners.size, 0, "the listener is gone after the timeout");
      const quiet = emulator.waitForEvent("RouterJobClosed", { timeout: 10 });
      await assert.rejects(quiet, /^Error|no RouterJobClosed arrived within 10 ms; no events arrived meanwhile\./);
    } finally {
      emulator.dispose();
    }
  });

  test("rejects: an unknown type (TypeError), a bad predicate or option, a predicate that throws", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await assert.rejects(emulator.waitForEvent("JobQueued"), (error) => error instanceof TypeError && /Did you mean "RouterJobQueued"/.test(error.message));
      await assert.rejects(emulator.waitForEvent("RouterJobQueued", 5), TypeError);
      await assert.rejects(emulator.waitForEvent("RouterJobQueued", { timeout: -1 }), TypeError);
      await assert.rejects(emulator.waitForEvent("RouterJobQueued", { timout: 5 }), /unknown option "timout"/);
      await setup(emulator);
      const failing = emulator.waitForEvent("RouterJobQueued", () => {
        throw new Error("predicate broke");
      });
      await createJob(emulator, "j1");
      await assert.rejects(failing, /predicate broke/);
      assert.equal(emulator._listeners.size, 0);
    } finally {
      emulator.dispose();
    }
  });
});

describe("removeAllListeners and reset", () => {
  test("removeAllListeners(type) removes that type's listeners; removeAllListeners() every one", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      await setup(emulator);
      const seen = [];
      emulator.on("RouterJobQueued", () => seen.push("queued"));
      emulator.on("Microsoft.Communication.RouterJobQueued", () => seen.push("queued-full"));
      emulator.on("RouterJobReceived", () => seen.push("received"));
      emulator.on("*", () => seen.push("any"));
      assert.throws(() => emulator.removeAllListeners("JobQueued"), TypeError);
      assert.equal(emulator.removeAllListeners("Microsoft.Communication.RouterJobQueued"), emulator);
      await createJob(emulator, "j1");
      assert.deepEqual(seen, ["received", "any", "any"]);
      emulator.removeAllListeners();
      await createJob(emulator, "j2");
      assert.equal(seen.length, 3);
      assert.equal(emulator._listeners.size, 0);
    } finally {
      emulator.dispose();
    }
  });

  test("reset() keeps listeners; reset({ listeners: true }) removes them", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    try {
      const seen = [];
      emulator.on("RouterJobQueued", (event) => seen.push(event.data.jobId));
      await setup(emulator);
      await createJob(emulator, "j1");
      emulator.reset();
      await setup(emulator);
      await createJob(emulator, "j2");
      assert.deepEqual(seen, ["j1", "j2"]);
      emulator.reset({ listeners: true });
      await setup(emulator);
      await createJob(emulator, "j3");
      assert.deepEqual(seen, ["j1", "j2"]);
      assert.throws(() => emulator.reset({ listener: true }), /unknown option "listener"/);
    } finally {
      emulator.dispose();
    }
  });
});
