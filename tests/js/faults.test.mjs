// Fault and latency injection (emulator.faults): throttling like the service (1,000 requests per 10 s → 429 +
// Retry-After), failNext rules, latency on the real and the virtual clock with seeded jitter, and what clients
// make of them: the official Azure REST pipeline retries 429/503, this package's client surfaces them.
import { test, describe } from "node:test";
import assert from "node:assert/strict";

import JobRouter, { RouterEmulator, isUnexpected } from "../../js/node.js";
import { createEmulatorHttpClient } from "../../js/http-client.js";
import { configureFaults, THROTTLE_ERROR_CODE } from "../../js/faults.js";

const { getClient } = await import("@azure-rest/core-client");

const MERGE = { "content-type": "application/merge-patch+json" };
const API = "api-version=2023-11-01";

function withEmulator(options, fn) {
  return async () => {
    const emulator = new RouterEmulator({ clock: "manual", ...options });
    try {
      await fn(emulator);
    } finally {
      emulator.dispose();
    }
  };
}

const get = (emulator, pathName) => emulator.handle("GET", `${pathName}?${API}`);
const patch = (emulator, pathName, body) => emulator.handle("PATCH", `${pathName}?${API}`, MERGE, JSON.stringify(body));

async function setup(emulator) {
  for (const [pathName, body] of [
    ["/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } }],
    ["/routing/queues/q", { distributionPolicyId: "dp" }],
  ]) {
    const response = await patch(emulator, pathName, body);
    assert.equal(response.status, 201, response.body);
  }
}

/** true when the promise has not settled after a few turns of the event loop. */
async function pending(promise, ms = 30) {
  const marker = Symbol("pending");
  const result = await Promise.race([promise.then(() => "settled", () => "settled"), new Promise((r) => setTimeout(() => r(marker), ms))]);
  return result === marker;
}

describe("faults: off by default", () => {
  test("nothing is set and handle answers as usual", withEmulator({}, async (emulator) => {
    assert.deepEqual(emulator.faults.get(), { throttle: false, failNext: [], latency: null });
    assert.equal(emulator.faults.active, false);
    assert.equal((await get(emulator, "/routing/queues")).status, 200);
  }));
});

describe("faults.throttle", () => {
  test("1,000 requests per 10 s: the 1,000th is served, the 1,001st is 429 with Retry-After, the next window is served", withEmulator({}, async (emulator) => {
    assert.equal(emulator.faults.throttle(), emulator.faults, "chains");
    assert.deepEqual(emulator.faults.get().throttle, { requests: 1000, perSeconds: 10 });
    await setup(emulator);  // 2 requests of the window
    for (let i = 3; i <= 1000; i++) {
      const response = await get(emulator, "/routing/queues/q");
      assert.equal(response.status, 200, `request ${i}`);
    }
    const throttled = await get(emulator, "/routing/queues/q");
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers["retry-after"], "10");
    assert.equal(throttled.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(throttled.headers["x-ms-error-code"], undefined, "the real shape has no x-ms-error-code");
    const error = JSON.parse(throttled.body).communicationError;
    assert.equal(error.code, THROTTLE_ERROR_CODE);
    assert.equal(error.target, "/routing/queues/q");
    assert.match(error.message, /1000 requests per 10 seconds/);
    assert.match(error.message, /Retry after 10 seconds/);

    // A throttled write reaches nothing.
    assert.equal((await patch(emulator, "/routing/queues/q2", { distributionPolicyId: "dp" })).status, 429);
    await emulator.clock.advance(4500);
    const later = await get(emulator, "/routing/queues/q");
    assert.equal(later.status, 429);
    assert.equal(later.headers["retry-after"], "6", "5.5 s left, rounded up");
    await emulator.clock.advance(5499);
    assert.equal((await get(emulator, "/routing/queues/q")).headers["retry-after"], "1");
    await emulator.clock.advance(1);

    // A new window: 1,000 more.
    assert.equal((await get(emulator, "/routing/queues/q2")).status, 404, "the throttled PATCH created nothing");
    for (let i = 2; i <= 1000; i++) assert.equal((await get(emulator, "/routing/queues/q")).status, 200, `window 2, request ${i}`);
    assert.equal((await get(emulator, "/routing/queues/q")).status, 429);

    emulator.faults.throttle(false);
    assert.equal(emulator.faults.get().throttle, false);
    assert.equal(emulator.faults.active, false);
    assert.equal((await get(emulator, "/routing/queues/q")).status, 200);
  }));

  test("a small budget, the spec error shape (x-ms-error-code) and the window on the real clock", withEmulator({ errorShape: "spec" }, async (emulator) => {
    emulator.faults.throttle({ requests: 2, perSeconds: 1 });
    assert.equal((await get(emulator, "/routing/queues")).status, 200);
    assert.equal((await get(emulator, "/routing/queues")).status, 200);
    const throttled = await get(emulator, "/routing/queues?x=1");
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers["retry-after"], "1");
    assert.equal(throttled.headers["x-ms-error-code"], THROTTLE_ERROR_CODE);
    const body = JSON.parse(throttled.body);
    assert.deepEqual(Object.keys(body), ["error"]);
    assert.equal(body.error.target, "/routing/queues");
    assert.match(body.error.message, /2 requests per 1 second\)/);
  }));

  test("reset() keeps the throttle but starts its window again", withEmulator({}, async (emulator) => {
    emulator.faults.throttle({ requests: 1, perSeconds: 10 });
    assert.equal((await get(emulator, "/routing/queues")).status, 200);
    assert.equal((await get(emulator, "/routing/queues")).status, 429);
    emulator.reset();
    assert.deepEqual(emulator.faults.get().throttle, { requests: 1, perSeconds: 10 });
    assert.equal((await get(emulator, "/routing/queues")).status, 200);
    assert.equal((await get(emulator, "/routing/queues")).status, 429);
  }));

  test("bad settings throw a TypeError and change nothing", withEmulator({}, async (emulator) => {
    assert.throws(() => emulator.faults.throttle({ requests: 0 }), TypeError);
    assert.throws(() => emulator.faults.throttle({ perSeconds: -1 }), TypeError);
    assert.throws(() => emulator.faults.throttle({ request: 5 }), /unknown field "request" \(accepted: requests, perSeconds\)/);
    assert.throws(() => emulator.faults.throttle("on"), TypeError);
    assert.equal(emulator.faults.get().throttle, false);
  }));
});

describe("faults.failNext", () => {
  test("default: the next request answers 503 ServiceUnavailable in the service's shape and changes nothing", withEmulator({}, async (emulator) => {
    await setup(emulator);
    const events = [];
    emulator.on("*", (event) => events.push(event.eventType));
    const before = emulator.exportState();
    emulator.faults.failNext();
    assert.deepEqual(emulator.faults.get().failNext, [{ count: 1, status: 503 }]);
    const failed = await patch(emulator, "/routing/jobs/j1", { channelId: "voice", queueId: "q" });
    assert.equal(failed.status, 503);
    assert.deepEqual(JSON.parse(failed.body), {
      communicationError: {
        code: "ServiceUnavailable",
        message: "The service is temporarily unavailable. (Injected by the emulator: faults.failNext.)",
        target: "/routing/jobs/j1",
      },
    });
    assert.equal(failed.headers["retry-after"], undefined);
    assert.equal(emulator.exportState(), before, "state unchanged");
    assert.deepEqual(events, [], "no events");
    assert.deepEqual(emulator.faults.get().failNext, [], "used up");
    assert.equal(emulator.faults.active, false);
    assert.equal((await get(emulator, "/routing/jobs/j1")).status, 404);
    assert.equal((await patch(emulator, "/routing/jobs/j1", { channelId: "voice", queueId: "q" })).status, 201);
  }));

  test("matching by method (any case), route template (one segment per placeholder, no query) and count", withEmulator({}, async (emulator) => {
    await setup(emulator);
    emulator.faults.failNext({ method: "get", path: "/routing/queues/{queueId}", status: 500, count: 2 });
    assert.equal((await patch(emulator, "/routing/queues/q", { name: "x" })).status, 200, "PATCH does not match");
    assert.equal((await get(emulator, "/routing/queues")).status, 200, "the list does not match");
    assert.equal((await get(emulator, "/routing/queues/q/statistics")).status, 200, "a longer path does not match");
    const first = await get(emulator, "/routing/queues/q");
    assert.equal(first.status, 500);
    assert.equal(JSON.parse(first.body).communicationError.code, "InternalServerError");
    assert.deepEqual(emulator.faults.get().failNext, [{ count: 1, status: 500, method: "GET", path: "/routing/queues/{queueId}" }]);
    assert.equal((await get(emulator, "/routing/queues/other")).status, 500);
    assert.equal((await get(emulator, "/routing/queues/q")).status, 200, "count used up");
  }));

  test("a RegExp is tested on path and query; rules queue in order and a request takes the first it matches", withEmulator({}, async (emulator) => {
    await setup(emulator);
    emulator.faults
      .failNext({ path: /maxpagesize=1\b/g, status: 429 })
      .failNext({ status: 503, retryAfterSeconds: 0 })
      .failNext({ status: 500 });
    assert.deepEqual(emulator.faults.get().failNext[0].path, { regexp: "maxpagesize=1\\b", flags: "g" });
    const first = await get(emulator, "/routing/queues");  // not the RegExp: the 503 rule
    assert.equal(first.status, 503);
    assert.equal(first.headers["retry-after"], "0");
    const paged = await emulator.handle("GET", `/routing/queues?${API}&maxpagesize=1`);
    assert.equal(paged.status, 429);
    assert.equal(JSON.parse(paged.body).communicationError.code, "TooManyRequests");
    assert.equal((await get(emulator, "/routing/queues")).status, 500);
    assert.equal((await get(emulator, "/routing/queues")).status, 200);
  }));

  test("a custom body, headers and the spec shape", withEmulator({ errorShape: "spec" }, async (emulator) => {
    emulator.faults.failNext({ status: 502, body: { oops: true }, headers: { "X-Custom": "1" } });
    const custom = await get(emulator, "/routing/queues");
    assert.equal(custom.status, 502);
    assert.equal(custom.body, '{"oops":true}');
    assert.equal(custom.headers["x-custom"], "1");
    emulator.faults.failNext({ status: 503 });
    const shaped = await get(emulator, "/routing/queues");
    assert.equal(shaped.headers["x-ms-error-code"], "ServiceUnavailable");
    assert.equal(JSON.parse(shaped.body).error.code, "ServiceUnavailable");
    emulator.faults.failNext({ status: 418, body: "teapot" });
    const text = await get(emulator, "/routing/queues");
    assert.equal(text.status, 418);
    assert.equal(text.body, "teapot");
  }));

  test("bad rules throw a TypeError naming the accepted fields", withEmulator({}, async (emulator) => {
    assert.throws(() => emulator.faults.failNext({ statusCode: 500 }),
      /unknown field "statusCode" \(accepted: count, status, method, path, body, headers, retryAfterSeconds\)/);
    assert.throws(() => emulator.faults.failNext({ count: 0 }), TypeError);
    assert.throws(() => emulator.faults.failNext({ status: 99 }), TypeError);
    assert.throws(() => emulator.faults.failNext({ path: 5 }), TypeError);
    assert.throws(() => emulator.faults.failNext({ path: { regexp: "(" } }), /not a valid regular expression/);
    assert.deepEqual(emulator.faults.get().failNext, []);
  }));
});

describe("faults.latency", () => {
  test("virtual: the request is served at once, its answer arrives once the clock has moved by ms", withEmulator({}, async (emulator) => {
    await setup(emulator);
    emulator.faults.latency({ ms: 1000, clock: "virtual" });
    assert.deepEqual(emulator.faults.get().latency, { ms: 1000, jitterMs: 0, clock: "virtual" });
    const events = [];
    emulator.on("RouterJobQueued", (event) => events.push(event.data.jobId));
    const answer = patch(emulator, "/routing/jobs/j1", { channelId: "voice", queueId: "q" });
    assert.ok(emulator.exportState().includes('"j1"'), "served at once");
    assert.ok(await pending(answer), "held");
    assert.deepEqual(events, ["j1"], "its events are delivered at once");
    const second = get(emulator, "/routing/jobs/j1");  // due 1,000 ms later too
    await emulator.clock.advance(999);
    assert.ok(await pending(answer), "still held at 999 ms");
    await emulator.clock.advance(1);
    assert.equal((await answer).status, 201);
    assert.equal((await second).status, 200);
    emulator.faults.latency(null);
    assert.equal(emulator.faults.active, false);
    assert.equal((await get(emulator, "/routing/jobs/j1")).status, 200);
  }));

  test("real: answers arrive after ms of wall time, in request order", withEmulator({}, async (emulator) => {
    emulator.faults.latency({ ms: 60 });
    const started = performance.now();
    const order = [];
    await Promise.all([
      get(emulator, "/routing/queues").then(() => order.push(1)),
      get(emulator, "/routing/workers").then(() => order.push(2)),
    ]);
    assert.ok(performance.now() - started >= 55, `waited ${performance.now() - started} ms`);
    assert.deepEqual(order, [1, 2]);
  }));

  test("throttled and failed answers are delayed too", withEmulator({}, async (emulator) => {
    emulator.faults.latency({ ms: 500, clock: "virtual" }).failNext({ status: 500 });
    const failed = get(emulator, "/routing/queues");
    assert.ok(await pending(failed));
    await emulator.clock.advance(500);
    assert.equal((await failed).status, 500);
  }));

  test("jitter is drawn from the emulator's seed: the same seed gives the same delays", async () => {
    /** The order in which 8 answers with latency 0 + jitter in [0, 1000] virtual ms arrive, and how many by 500 ms. */
    async function arrival(seed) {
      const emulator = new RouterEmulator({ clock: "manual", seed });
      try {
        emulator.faults.latency({ ms: 0, jitterMs: 1000, clock: "virtual" });
        const order = [];
        const answers = [];
        for (let i = 0; i < 8; i++) answers.push(get(emulator, "/routing/queues").then(() => order.push(i)));
        await emulator.clock.advance(500);
        await new Promise((r) => setTimeout(r, 40));
        const early = order.length;
        await emulator.clock.advance(500);  // the most jitter there can be
        await Promise.all(answers);
        return { order, early };
      } finally {
        emulator.dispose();
      }
    }
    const a = await arrival(7);
    const b = await arrival(7);
    const c = await arrival(8);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.order, c.order, "another seed, other delays");
    assert.deepEqual([...a.order].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test("bad settings throw a TypeError", withEmulator({}, async (emulator) => {
    assert.throws(() => emulator.faults.latency({ ms: -1 }), TypeError);
    assert.throws(() => emulator.faults.latency({ ms: 5, clock: "wall" }), /"real" or "virtual"/);
    assert.throws(() => emulator.faults.latency({ delay: 5 }), /accepted: ms, jitterMs, clock/);
    assert.equal(emulator.faults.latency(25).get().latency.ms, 25);
  }));
});

describe("faults.get / clear / configureFaults", () => {
  test("get() is plain JSON that configureFaults takes back; clear() turns everything off", withEmulator({}, async (emulator) => {
    emulator.faults
      .throttle({ requests: 5, perSeconds: 2 })
      .failNext({ method: "DELETE", path: /^\/routing\/jobs\//i, status: 500, count: 3, body: { x: 1 }, retryAfterSeconds: 4 })
      .latency({ ms: 10, jitterMs: 5, clock: "virtual" });
    const config = JSON.parse(JSON.stringify(emulator.faults.get()));
    assert.deepEqual(config, {
      throttle: { requests: 5, perSeconds: 2 },
      failNext: [{ count: 3, status: 500, method: "DELETE", path: { regexp: "^\\/routing\\/jobs\\/", flags: "i" }, body: { x: 1 }, retryAfterSeconds: 4 }],
      latency: { ms: 10, jitterMs: 5, clock: "virtual" },
    });
    emulator.faults.clear();
    assert.deepEqual(emulator.faults.get(), { throttle: false, failNext: [], latency: null });
    assert.equal(emulator.faults.active, false);
    assert.deepEqual(configureFaults(emulator.faults, config), config);
    assert.throws(() => configureFaults(emulator.faults, { throttle: true, bogus: 1 }),
      /unknown field "bogus" \(accepted: throttle, failNext, latency\)/);
    assert.throws(() => configureFaults(emulator.faults, { latency: null, failNext: [{ status: 1 }] }), TypeError);
    assert.deepEqual(emulator.faults.get(), config, "a failed configuration changes nothing");
    configureFaults(emulator.faults, { latency: null });
    assert.deepEqual(emulator.faults.get().throttle, config.throttle, "fields not given stay");
    assert.equal(emulator.faults.get().latency, null);
  }));
});

describe("clients and faults", () => {
  /** The official REST pipeline (getClient of @azure-rest/core-client), answered in-process, with short retry delays. */
  function officialClient(emulator, sent) {
    const client = getClient("https://faults.communication.azure.com", {
      apiVersion: "2023-11-01",
      httpClient: createEmulatorHttpClient(emulator),
      retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    client.pipeline.addPolicy({ name: "count", sendRequest: (request, next) => (sent.push(request.method), next(request)) }, { afterPhase: "Retry" });
    return client;
  }

  test("the official retry policy retries a 503 (exponential) and a 429 with Retry-After", withEmulator({}, async (emulator) => {
    await setup(emulator);
    const sent = [];
    const client = officialClient(emulator, sent);
    emulator.faults.failNext({ status: 503, count: 2 });
    const response = await client.path("/routing/queues/{queueId}", "q").get();
    assert.equal(response.status, "200");
    assert.equal(sent.length, 3, "two 503s, then the answer");
    sent.length = 0;
    emulator.faults.failNext({ status: 429, retryAfterSeconds: 0 });
    assert.equal((await client.path("/routing/queues/{queueId}", "q").get()).status, "200");
    assert.equal(sent.length, 2);
  }));

  test("the official retry policy waits out the throttle's Retry-After (real clock)", async () => {
    const emulator = new RouterEmulator({ clock: "real" });
    try {
      const sent = [];
      const client = officialClient(emulator, sent);
      emulator.faults.throttle({ requests: 1, perSeconds: 1 });
      assert.equal((await client.path("/routing/queues").get()).status, "200");
      const started = performance.now();
      const response = await client.path("/routing/queues").get();
      assert.equal(response.status, "200");
      assert.equal(sent.length, 3, "one 429, then served in the next window");
      assert.ok(performance.now() - started >= 900, "waited for Retry-After: 1");
    } finally {
      emulator.dispose();
    }
  });

  test("this package's client has no retry policy: the status and body surface", withEmulator({}, async (emulator) => {
    const client = JobRouter("endpoint=https://faults-client.communication.azure.com/;accesskey=ZGV2", { emulator });
    emulator.faults.failNext({ status: 503 }).failNext({ status: 429, retryAfterSeconds: 7 });
    const unavailable = await client.path("/routing/queues").get();
    assert.equal(unavailable.status, "503");
    assert.ok(isUnexpected(unavailable));
    assert.equal(unavailable.body.communicationError.code, "ServiceUnavailable");
    const throttled = await client.path("/routing/queues").get();
    assert.equal(throttled.status, "429");
    assert.equal(throttled.headers["retry-after"], "7");
    assert.equal(throttled.body.communicationError.code, "TooManyRequests");
    assert.equal((await client.path("/routing/queues").get()).status, "200");
  }));
});
