// The JS layer on a scripted fake core (no WebAssembly needed): what crosses into the core, the
// clock, events, the endpoint registry, state controls, the pipeline and the error paths.
// The same client against the real WebAssembly core: client.test.mjs.
import { test, describe, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { CORE_METHODS, useCoreDouble } from "../../js/core-adapter.js";
import { setCoreFactory } from "../../js/core-loader.js";
import JobRouter, { RouterEmulator, isUnexpected, paginate } from "../../js/node.js";

// ---- a scripted fake core (the Core interface of js/core-adapter.js) -----------------------------

const calls = []; // every handle() call: {method, pathAndQuery, headers, body}
const created = []; // options JSON of every Router constructed
let deleted = 0;

const START = Date.parse("2024-01-01T00:00:00Z");
const iso = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, "Z").replace(/Z$/, "+00:00");
const PREFIX = "Microsoft.Communication.";

class FakeCore {
  constructor(options) {
    created.push(JSON.parse(JSON.stringify(options)));
    this.options = options;
    this.start = Date.parse(this.options.startTime);
    this.version = 0;  // moves on every call: the emulator's GET cache never answers for this fake
    this.reset();
  }
  reset() {
    this.version += 1;
    this.time = this.start;
    this.items = new Map(); // "collection/id" -> object
    this.events = [];
    this.timers = []; // {at, event}
    this.seq = 0;
  }
  emit(name, subject, data) {
    this.seq += 1;
    this.events.push({
      id: `event-${this.seq}`,
      topic: "/emulator",
      subject,
      eventType: PREFIX + name,
      eventTime: iso(this.time),
      dataVersion: "1.0",
      data,
    });
  }
  json(status, body, extra = {}) {
    return {
      status,
      headers: body === undefined ? { ...extra } : { "content-type": "application/json; charset=utf-8", ...extra },
      body: body === undefined ? "" : JSON.stringify(body),
    };
  }
  handle(method, pathAndQuery, rawHeaders, body) {
    this.version += 1;
    const headers = JSON.parse(JSON.stringify(rawHeaders ?? {}));
    calls.push({ method, pathAndQuery, headers, body });
    const url = new URL(pathAndQuery, "http://x");
    if (this.options.checkApiVersion !== false && url.searchParams.get("api-version") !== "2023-11-01") {
      return this.json(400, { communicationError: { code: "MissingApiVersionParameter", message: "api-version" } });
    }
    const parts = url.pathname.split("/").slice(2).map(decodeURIComponent); // ["jobs", "j1"]
    const [collection, id] = parts;
    if (parts.length === 2 && id.endsWith(":cancel") && method === "POST") {
      const jobId = id.slice(0, -":cancel".length);
      this.emit("RouterJobCancelled", `job/${jobId}`, { jobId });
      return this.json(200, {});
    }
    if (parts.length === 2) {
      const key = `${collection}/${id}`;
      const existing = this.items.get(key);
      if (method === "PATCH") {
        const patch = body ? JSON.parse(body) : {};
        const item = { ...(existing ?? {}), ...patch, id, etag: `"${this.seq}-${this.time}"` };
        this.items.set(key, item);
        if (!existing && collection === "jobs") this.emit("RouterJobReceived", `job/${id}`, { jobId: id });
        if (collection === "workers" && patch.availableForOffers) {
          this.timers.push({ at: this.time + 30_000, name: "RouterWorkerOfferExpired", subject: `worker/${id}` });
        }
        return this.json(existing ? 200 : 201, item, { etag: item.etag });
      }
      if (method === "GET") {
        return existing ? this.json(200, existing, { etag: existing.etag }) : this.json(404, { communicationError: { code: "NotFound", message: "The item was not found.", target: url.pathname } });
      }
      if (method === "DELETE") {
        this.items.delete(key);
        return { status: 204, headers: {}, body: "" };
      }
      return this.json(405, { communicationError: { code: "MethodNotAllowed", message: "no" } });
    }
    if (parts.length === 1 && method === "GET") {
      const all = [...this.items.entries()].filter(([k]) => k.startsWith(`${collection}/`)).map(([, v]) => v);
      const size = Number(url.searchParams.get("maxpagesize") ?? 100);
      const from = Number(url.searchParams.get("continuationToken") ?? 0);
      if (!Number.isInteger(size) || size < 1 || url.searchParams.get("continuationToken") === "bad") {
        return this.json(400, { communicationError: { code: "BadRequest", message: "bad paging" } });
      }
      const page = { value: all.slice(from, from + size) };
      if (from + size < all.length) page.nextLink = `/routing/${collection}?continuationToken=${from + size}&maxpagesize=${size}`;
      return this.json(200, page);
    }
    return this.json(404, { communicationError: { code: "NotFound", message: "The requested route was not found." } });
  }
  now() {
    return iso(this.time);
  }
  nowMillis() {
    return this.time;
  }
  advance(ms) {
    this.version += 1;
    const target = this.time + Math.round(ms);
    for (const timer of [...this.timers].sort((a, b) => a.at - b.at)) {
      if (timer.at <= target) {
        this.time = timer.at;
        this.emit(timer.name, timer.subject, {});
        this.timers.splice(this.timers.indexOf(timer), 1);
      }
    }
    this.time = target;
  }
  setTime(text) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms) || ms < this.time) return false;
    this.advance(ms - this.time);
    return true;
  }
  drainEvents(wanted) {
    const events = this.events;
    this.events = [];
    return wanted ? events : [];
  }
  drainRuleRequests() {
    return "[]";  // this fake has no function rules
  }
  answerRuleRequest() {
    return false;
  }
  stateVersion() {
    return this.version;
  }
  nextDueMillis() {
    return this.timers.length === 0 ? -1 : Math.min(...this.timers.map((timer) => timer.at));
  }
  explain(jobId) {
    if (!this.items.has(`jobs/${jobId}`)) return JSON.stringify({ communicationError: { code: "NotFound" } });
    return JSON.stringify({ jobId, status: "queued", workers: [] });
  }
  evaluateRule() {
    return JSON.stringify({ error: "this fake evaluates no rules" });
  }
  failScheduling(jobId) {
    return this.errorResponse(404, "NotFound", `no job ${jobId}`, `/routing/jobs/${jobId}`);
  }
  errorResponse(status, code, message, target) {
    const inner = { code, message, target };
    if (this.options.errorShape === "spec") return this.json(status, { error: inner }, { "x-ms-error-code": code });
    return this.json(status, { communicationError: inner });
  }
  requestHeaderNames() {
    return ["content-type", "if-match", "if-unmodified-since"];
  }
  exportState() {
    return JSON.stringify({ time: this.time, items: [...this.items.entries()], timers: this.timers });
  }
  importState(text) {
    let state;
    try {
      state = JSON.parse(text);
    } catch {
      return false;
    }
    if (!state || !Array.isArray(state.items)) return false;
    this.version += 1;
    this.time = state.time;
    this.items = new Map(state.items);
    this.timers = state.timers;
    return true;
  }
  dispose() {
    deleted += 1;
  }
}

const openFake = (options) => new FakeCore(options);
useCoreDouble(openFake);

let endpointCounter = 0;
/** A fresh endpoint per test, so that tests never share an emulated resource by accident. */
function freshConnection() {
  endpointCounter += 1;
  return `endpoint=https://fake-${endpointCounter}.communication.azure.com/;accesskey=ZGV2`;
}
const manual = { emulator: { clock: "manual" } };

beforeEach(() => {
  calls.length = 0;
});

// ---- what crosses into the core -----------------------------------------------------------------

describe("requests handed to the core", () => {
  test("PATCH: upper-case method, path + query with api-version, lower-case headers, JSON body", async () => {
    const client = JobRouter(freshConnection(), manual);
    const res = await client.path("/routing/jobs/{jobId}", "job 1/a").patch({
      contentType: "application/merge-patch+json",
      headers: { "If-Match": "*", "X-Custom": 5 },
      queryParameters: { extra: "a b", skipped: undefined },
      body: { channelId: "voice", when: new Date("2024-02-03T04:05:06.789Z") },
    });
    assert.equal(res.status, "201");
    assert.equal(calls.length, 1);
    const call = calls[0];
    assert.equal(call.method, "PATCH");
    assert.equal(call.pathAndQuery, "/routing/jobs/job%201%2Fa?extra=a+b&api-version=2023-11-01");
    assert.deepEqual(call.headers, {
      "if-match": "*",
      "x-custom": "5",
      accept: "application/json",
      "content-type": "application/merge-patch+json",
    });
    assert.equal(call.body, '{"channelId":"voice","when":"2024-02-03T04:05:06.789Z"}');
    // the response object
    assert.equal(res.request.method, "PATCH");
    assert.equal(
      res.request.url,
      "https://fake-1.communication.azure.com/routing/jobs/job%201%2Fa?extra=a+b&api-version=2023-11-01",
    );
    assert.equal(res.request.headers.get("If-Match"), "*");
    assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(res.body.id, "job 1/a");
    assert.equal(res.body.channelId, "voice");
  });

  test("GET without a body sends no content-type and an empty body; a 204 has body undefined", async () => {
    const client = JobRouter(freshConnection(), manual);
    await client.path("/routing/queues/{queueId}", "q1").patch({ contentType: "application/merge-patch+json", body: {} });
    const got = await client.path("/routing/queues/{queueId}", "q1").get();
    assert.equal(got.status, "200");
    assert.deepEqual(calls[1].headers, { accept: "application/json" });
    assert.equal(calls[1].body, "");
    const del = await client.path("/routing/queues/{queueId}", "q1").delete();
    assert.equal(del.status, "204");
    assert.equal(del.body, undefined);
    assert.deepEqual(del.headers, {});
    assert.equal(calls[2].method, "DELETE");
  });

  test("default content-type follows core-client: application/json for objects; headers content-type honoured", async () => {
    const client = JobRouter(freshConnection(), manual);
    await client.path("/routing/jobs/{jobId}:cancel", "j").post({ body: { note: "n" } });
    assert.equal(calls[0].headers["content-type"], "application/json; charset=UTF-8");
    assert.equal(calls[0].body, '{"note":"n"}');
    await client.path("/routing/jobs/{jobId}:cancel", "j").post({ headers: { "content-type": "application/x-custom" }, body: "raw text" });
    assert.equal(calls[1].headers["content-type"], "application/x-custom");
    assert.equal(calls[1].body, "raw text");
    await client.path("/routing/jobs/{jobId}:cancel", "j").post({ body: new TextEncoder().encode("{\"a\":1}") });
    assert.equal(calls[2].headers["content-type"], "application/octet-stream");
    assert.equal(calls[2].body, '{"a":1}');
    await client.path("/routing/jobs/{jobId}:cancel", "j").post({ accept: "text/plain" });
    assert.equal(calls[3].headers.accept, "text/plain");
    assert.equal(calls[3].headers["content-type"], undefined);
    // core-client JSON-encodes any body sent as application/json, strings included
    await client.path("/routing/jobs/{jobId}:cancel", "j").post({ contentType: "application/json", body: "text" });
    assert.equal(calls[4].body, '"text"');
    await client.path("/routing/jobs/{jobId}:cancel", "j").post({ contentType: "text/plain", body: 12 });
    assert.equal(calls[5].body, "12");
  });

  test("every verb reaches the core with its method", async () => {
    const client = JobRouter(freshConnection(), manual);
    const resource = client.path("/routing/jobs/{jobId}", "v");
    for (const verb of ["get", "put", "patch", "post", "delete", "head", "options", "trace"]) {
      const res = await resource[verb]();
      assert.equal(typeof res.status, "string");
    }
    assert.deepEqual(
      calls.map((c) => c.method),
      ["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS", "TRACE"],
    );
  });

  test("requests are served in call order, even when started together", async () => {
    const client = JobRouter(freshConnection(), manual);
    const ids = ["a", "b", "c", "d"];
    await Promise.all(ids.map((id) => client.path("/routing/workers/{workerId}", id).patch({ contentType: "application/merge-patch+json", body: {} })));
    assert.deepEqual(calls.map((c) => c.pathAndQuery.split("?")[0]), ids.map((id) => `/routing/workers/${id}`));
  });

  test("apiVersion client option, api-version in queryParameters, skipUrlEncoding", async () => {
    const custom = JobRouter(freshConnection(), { apiVersion: "2099-01-01", ...manual });
    const res = await custom.path("/routing/jobs").get();
    assert.equal(calls[0].pathAndQuery, "/routing/jobs?api-version=2099-01-01");
    assert.equal(res.status, "400");
    const client = JobRouter(freshConnection(), manual);
    await client.path("/routing/jobs").get({
      queryParameters: { "api-version": "2023-11-01", status: "queued", scheduledBefore: new Date(START + 1500), hasCapacity: false },
    });
    assert.equal(
      calls[1].pathAndQuery,
      "/routing/jobs?api-version=2023-11-01&status=queued&scheduledBefore=2024-01-01T00%3A00%3A01.500Z&hasCapacity=false",
    );
    await client.path("/routing/jobs/{jobId}", "a%20b").get({ skipUrlEncoding: true, queryParameters: { q: "x:y" } });
    assert.equal(calls[2].pathAndQuery, "/routing/jobs/a%20b?q=x:y&api-version=2023-11-01");
    const none = JobRouter(freshConnection(), { apiVersion: "", ...manual });
    await none.path("/routing/jobs").get();
    assert.equal(calls[3].pathAndQuery, "/routing/jobs");
  });

  test("pipeline: additionalPolicies and addPolicy run before the core; removePolicy works", async () => {
    const seen = [];
    const client = JobRouter(freshConnection(), {
      ...manual,
      additionalPolicies: [
        { policy: { name: "tag", sendRequest: (req, next) => { req.headers.set("x-tag", "1"); return next(req); } }, position: "perCall" },
      ],
    });
    client.pipeline.addPolicy({ name: "spy", sendRequest: async (req, next) => { const res = await next(req); seen.push(res.status); return res; } });
    await client.path("/routing/jobs").get();
    assert.equal(calls[0].headers["x-tag"], "1");
    assert.deepEqual(seen, [200]);
    assert.deepEqual(client.pipeline.getOrderedPolicies().map((p) => p.name), ["ClientApiVersionPolicy", "tag", "spy"]);
    const removed = client.pipeline.removePolicy({ name: "ClientApiVersionPolicy" });
    assert.equal(removed.length, 1);
    await client.path("/routing/jobs").get();
    assert.equal(calls[1].pathAndQuery, "/routing/jobs");
  });

  test("onResponse gets the raw response, status as a number", async () => {
    const client = JobRouter(freshConnection(), manual);
    let raw;
    const res = await client.path("/routing/jobs/{jobId}", "nope").get({ onResponse: (r) => { raw = r; } });
    assert.equal(res.status, "404");
    assert.equal(raw.status, 404);
    assert.equal(raw.parsedBody.communicationError.code, "NotFound");
    assert.equal(raw.rawHeaders["content-type"], "application/json; charset=utf-8");
  });
});

// ---- client factory, path(), transport errors ---------------------------------------------------

describe("client factory and path()", () => {
  test("connection string and endpoint + credential forms; bad arguments throw clear errors", async () => {
    assert.throws(() => JobRouter("not a connection string"), /Invalid connection string/);
    assert.throws(() => JobRouter("endpoint=https://x.com/;accesskey="), /Invalid connection string/);
    assert.throws(() => JobRouter("endpoint=nope;accesskey=k"), /Invalid endpoint url nope/);
    assert.throws(() => JobRouter("endpoint=https://x.com/some/path;accesskey=k"), /Invalid endpoint url/);
    assert.throws(() => JobRouter("https://x.com/some/path", { emulator: { clock: "manual" } }), /Invalid endpoint url/);
    assert.throws(() => JobRouter(42), TypeError);
    const byKey = JobRouter("https://credential-a.communication.azure.com", { key: "k" }, manual);
    const byToken = JobRouter("https://credential-a.communication.azure.com/", { getToken: async () => null });
    assert.equal(byKey.emulator, byToken.emulator);
    assert.equal((await byToken.path("/routing/jobs").get()).status, "200");
    assert.throws(() => JobRouter("nope", { key: "k" }), /Invalid endpoint url nope/);
  });

  test("path(): parameters are URL-encoded in order; too few throw; undefined throws", () => {
    const client = JobRouter(freshConnection(), manual);
    assert.throws(() => client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "j"), /Missing path parameters/);
    assert.throws(() => client.path("/routing/jobs/{jobId}"), /Missing path parameters/);
    assert.throws(() => client.path("/routing/jobs/{jobId}", undefined), /must not be undefined/);
    assert.equal(client.path, client.pathUnchecked);
  });

  test("two parameters land in order; $ patterns in values are literal", async () => {
    const client = JobRouter(freshConnection(), manual);
    await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w$&1", "o:2").post();
    assert.equal(calls[0].pathAndQuery, "/routing/workers/w%24%261/offers/o%3A2:accept?api-version=2023-11-01");
    await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w$&1", "o").post({ skipUrlEncoding: true });
    assert.equal(calls[1].pathAndQuery, "/routing/workers/w$&1/offers/o:accept?api-version=2023-11-01");
  });

  test("http endpoint needs allowInsecureConnection (client or request option)", async () => {
    const conn = "endpoint=http://insecure.local/;accesskey=k";
    const client = JobRouter(conn, manual);
    await assert.rejects(client.path("/routing/jobs").get(), /allowInsecureConnection is false/);
    assert.equal((await client.path("/routing/jobs").get({ allowInsecureConnection: true })).status, "200");
    const allowed = JobRouter(conn, { allowInsecureConnection: true });
    assert.equal((await allowed.path("/routing/jobs").get()).status, "200");
    assert.equal(allowed.emulator, client.emulator);
  });

  test("an aborted signal rejects with AbortError before reaching the core", async () => {
    const client = JobRouter(freshConnection(), manual);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.path("/routing/jobs").get({ abortSignal: controller.signal }), { name: "AbortError" });
    assert.equal(calls.length, 0);
  });

  test("an absolute URL to an unknown origin rejects; to a known endpoint it reaches that resource", async () => {
    const a = JobRouter(freshConnection(), manual);
    const connectionB = freshConnection();
    const endpointB = connectionB.slice("endpoint=".length, connectionB.indexOf(";")).replace(/\/$/, "");
    const b = JobRouter(connectionB, manual);
    assert.notEqual(a.emulator, b.emulator);
    await b.path("/routing/jobs/{jobId}", "only-in-b").patch({ contentType: "application/merge-patch+json", body: { x: 1 } });
    await assert.rejects(a.pathUnchecked("https://nowhere.example/routing/jobs").get(), /no emulated resource/);
    const viaA = await a.pathUnchecked(`${endpointB}/routing/jobs/only-in-b?api-version=2023-11-01`).get();
    assert.equal(viaA.status, "200");
    assert.equal(viaA.body.id, "only-in-b");
  });
});

// ---- isUnexpected and paginate -------------------------------------------------------------------

describe("isUnexpected", () => {
  const response = (method, path, status, headers = {}) => ({
    status,
    headers,
    body: undefined,
    request: { method, url: `https://x.communication.azure.com${path}?api-version=2023-11-01` },
  });
  const cases = [
    ["PATCH", "/routing/jobs/j1", "201", false],
    ["PATCH", "/routing/jobs/j1", "200", false],
    ["PATCH", "/routing/jobs/j1", "400", true],
    ["GET", "/routing/jobs/j1", "200", false],
    ["GET", "/routing/jobs/j1", "201", true],
    ["GET", "/routing/jobs/j1", "404", true],
    ["DELETE", "/routing/workers/w1", "204", false],
    ["DELETE", "/routing/workers/w1", "200", true],
    ["GET", "/routing/jobs", "200", false],
    ["GET", "/routing/jobs/j1/position", "200", false],
    ["GET", "/routing/queues/q%2F1/statistics", "200", false],
    ["POST", "/routing/jobs/j1:cancel", "200", false],
    ["POST", "/routing/jobs/j1:cancel", "204", true],
    ["POST", "/routing/jobs/j1/assignments/a1:close", "200", false],
    ["POST", "/routing/workers/w1/offers/o1:decline", "200", false],
    ["POST", "/routing/workers/w1/offers/o1:accept", "409", true],
    ["PUT", "/routing/jobs/j1", "200", true],
    ["GET", "/unknown", "200", true],
    ["POST", "/routing/jobs/j1:unknownAction", "200", true],
    ["POST", "/routing/jobs/j1:cancelled", "200", true],
    ["POST", "/routing/jobs/:cancel", "200", true],
    ["GET", "/routing/jobs/j1/unknown", "200", true],
    ["GET", "/routing/jobs/", "200", true],
  ];
  for (const [method, path, status, expected] of cases) {
    test(`${method} ${path} ${status} -> ${expected}`, () => {
      assert.equal(isUnexpected(response(method, path, status)), expected);
    });
  }
  test("x-ms-original-url takes precedence over the request url", () => {
    const r = response("DELETE", "/routing/jobs", "204", { "x-ms-original-url": "https://x/routing/jobs/j1" });
    assert.equal(isUnexpected(r), false);
  });
});

describe("paginate (fake core)", () => {
  async function seeded(count, pageSize) {
    const client = JobRouter(freshConnection(), manual);
    for (let i = 0; i < count; i++) {
      await client.path("/routing/queues/{queueId}", `q${i}`).patch({ contentType: "application/merge-patch+json", body: { n: i } });
    }
    calls.length = 0;
    const first = await client.path("/routing/queues").get({ queryParameters: { maxpagesize: pageSize } });
    return { client, first };
  }

  test("items across pages, next pages via nextLink with api-version re-added", async () => {
    const { client, first } = await seeded(5, 2);
    const ids = [];
    for await (const item of paginate(client, first)) ids.push(item.id);
    assert.deepEqual(ids, ["q0", "q1", "q2", "q3", "q4"]);
    assert.deepEqual(calls.map((c) => c.pathAndQuery), [
      "/routing/queues?maxpagesize=2",
      "/routing/queues?continuationToken=2&maxpagesize=2&api-version=2023-11-01",
      "/routing/queues?continuationToken=4&maxpagesize=2&api-version=2023-11-01",
    ].map((p, i) => (i === 0 ? `${p}&api-version=2023-11-01` : p)));
  });

  test("byPage yields arrays; continuationToken starts from a link; a failing page throws RestError", async () => {
    const { client, first } = await seeded(3, 2);
    const pages = [];
    for await (const page of paginate(client, first).byPage({ maxPageSize: 1 })) pages.push(page.map((q) => q.id));
    assert.deepEqual(pages, [["q0", "q1"], ["q2"]]);
    const fromLink = [];
    for await (const page of paginate(client, first).byPage({ continuationToken: "/routing/queues?continuationToken=1&maxpagesize=5" })) {
      fromLink.push(page.map((q) => q.id));
    }
    assert.deepEqual(fromLink, [["q1", "q2"]]);
    const failing = paginate(client, first).byPage({ continuationToken: "/routing/queues?continuationToken=bad" });
    await assert.rejects(failing.next(), (error) => {
      assert.equal(error.name, "RestError");
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, "BadRequest");
      assert.match(error.message, /Pagination failed with unexpected statusCode 400/);
      assert.equal(error.details.communicationError.message, "bad paging");
      return true;
    });
    const bad = await client.path("/routing/jobs/{jobId}", "missing").get();
    await assert.rejects(paginate(client, bad).next(), /unexpected statusCode 404/);
  });

  test("customGetPage replaces the default page fetcher", async () => {
    const { client, first } = await seeded(1, 1);
    const links = [];
    const iter = paginate(client, first, {
      customGetPage: async (link) => {
        links.push(link);
        return link === "" ? { page: [1, 2], nextPageLink: "next" } : { page: [3] };
      },
    });
    const items = [];
    for await (const item of iter) items.push(item);
    assert.deepEqual(items, [1, 2, 3]);
    assert.deepEqual(links, ["", "next"]);
  });

  test("breaking out of for-await stops fetching", async () => {
    const { client, first } = await seeded(5, 1);
    calls.length = 0;
    for await (const item of paginate(client, first)) {
      if (item.id === "q1") break;
    }
    assert.equal(calls.length, 1);
  });
});

// ---- the emulator: options, clock, events, registry, state ---------------------------------------

describe("RouterEmulator", () => {
  test("options reach the core Router; bad options throw", async () => {
    const emulator = new RouterEmulator({ clock: "manual", seed: 7, startTime: "2025-05-06T07:08:09Z", checkApiVersion: false, errorShape: "Spec" });
    await emulator.ready();
    assert.deepEqual(created.at(-1), { seed: 7, startTime: "2025-05-06T07:08:09Z", checkApiVersion: false, errorShape: "spec", eventLabelText: "json", limits: {} });
    assert.equal(emulator.clock.mode, "manual");
    assert.equal(emulator.clock.now(), "2025-05-06T07:08:09+00:00");
    const defaults = new RouterEmulator({ clock: "manual" });
    defaults.clock.now();
    assert.deepEqual(created.at(-1), { seed: 1, startTime: "2024-01-01T00:00:00Z", checkApiVersion: true, errorShape: "real", eventLabelText: "json", limits: {} });
    assert.throws(() => new RouterEmulator({ clock: "fast" }), /clock must be "real" or "manual"/);
    assert.throws(() => new RouterEmulator({ seed: -1 }), /seed/);
    assert.throws(() => new RouterEmulator({ seed: 1.5 }), /seed/);
    assert.throws(() => new RouterEmulator({ startTime: "yesterday" }), /startTime/);
    assert.throws(() => new RouterEmulator({ errorShape: "xml" }), /errorShape/);
    assert.throws(() => new RouterEmulator({ seeds: 1 }), /Unknown RouterEmulator option "seeds"/);
    const alias = new RouterEmulator({ apiVersionCheck: false, startTime: new Date("2024-03-01T00:00:00Z") });
    assert.equal(alias.options.checkApiVersion, false);
    assert.equal(alias.options.startTime, "2024-03-01T00:00:00.000Z");
  });

  test("manual clock: now, advance fires timers and delivers their events, setTime, bad input rejects", async () => {
    const client = JobRouter(freshConnection(), { emulator: { clock: "manual", startTime: "2024-01-01T00:00:00Z" } });
    const { clock } = client.emulator;
    assert.equal(clock.now(), "2024-01-01T00:00:00+00:00");
    assert.equal(clock.nowMillis(), START);
    const seen = [];
    client.emulator.on("RouterWorkerOfferExpired", (e) => seen.push(e.eventTime));
    await client.path("/routing/workers/{workerId}", "w").patch({ contentType: "application/merge-patch+json", body: { availableForOffers: true } });
    await clock.advance(29_999);
    assert.deepEqual(seen, []);
    await clock.advance(1);
    assert.deepEqual(seen, ["2024-01-01T00:00:30+00:00"]);
    assert.equal(clock.now(), "2024-01-01T00:00:30+00:00");
    await clock.setTime("2024-01-01T01:00:00Z");
    assert.equal(clock.nowMillis(), START + 3_600_000);
    await clock.setTime(new Date(START + 3_600_001));
    assert.equal(clock.nowMillis(), START + 3_600_001);
    await assert.rejects(clock.setTime("2023-01-01T00:00:00Z"), /at or after the current time 2024-01-01T01:00:00/);
    await assert.rejects(clock.setTime("garbage"), RangeError);
    await assert.rejects(clock.advance(-1), TypeError);
    await assert.rejects(clock.advance(Number.NaN), TypeError);
  });

  test("real clock: follows wall time; startTime defaults to now", async () => {
    const emulator = new RouterEmulator();
    assert.equal(emulator.clock.mode, "real");
    const before = Date.now();
    const t0 = emulator.clock.nowMillis();
    assert.ok(t0 >= before - 5 && t0 <= Date.now() + 5, `started at wall time (${t0} vs ${before})`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const t1 = emulator.clock.nowMillis();
    assert.ok(t1 - t0 >= 40, `moved with the wall clock: ${t1 - t0} ms`);
    await emulator.clock.advance(10_000);
    assert.ok(emulator.clock.nowMillis() - t1 >= 10_000);
    const fixed = new RouterEmulator({ startTime: "2030-01-01T00:00:00Z" });
    assert.ok(fixed.clock.nowMillis() - Date.parse("2030-01-01T00:00:00Z") < 1000);
    emulator.dispose();
    fixed.dispose();
  });

  test("clock controls at run time: pause freezes, resume follows wall time without a jump, speed scales it", async () => {
    const emulator = new RouterEmulator({ startTime: "2030-01-01T00:00:00Z", speed: 1 });
    const { clock } = emulator;
    assert.equal(clock.speed, 1);
    clock.pause();
    assert.equal(clock.mode, "manual");
    const paused = clock.nowMillis();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(clock.nowMillis(), paused, "a paused clock does not move");
    await clock.advance(1_000);
    assert.equal(clock.nowMillis(), paused + 1_000, "advance works while paused");
    clock.setSpeed(1_000);
    const wallBefore = Date.now();
    clock.resume();
    assert.equal(clock.mode, "real");
    const resumed = clock.nowMillis();
    const wallSpent = Date.now() - wallBefore + 1;  // a loaded machine may take a few ms here: allow exactly that
    assert.ok(resumed - (paused + 1_000) <= wallSpent * 1_000,
      `no jump for the paused time (${resumed - paused - 1_000} virtual ms in ${wallSpent} wall ms at speed 1000)`);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const moved = clock.nowMillis() - resumed;
    assert.ok(moved >= 30_000, `at speed 1000, 40 wall ms move the clock at least 30 s (moved ${moved} ms)`);
    assert.throws(() => clock.setSpeed(0), /finite number > 0/);
    assert.throws(() => clock.setMode("fast"), /"real" or "manual"/);
    assert.throws(() => new RouterEmulator({ speed: -2 }), /speed/);
    emulator.dispose();
  });

  test("real clock with a listener fires due timers without requests", async () => {
    const client = JobRouter(freshConnection(), { emulator: { clock: "real" } });
    await client.path("/routing/workers/{workerId}", "w").patch({ contentType: "application/merge-patch+json", body: { availableForOffers: true } });
    const got = new Promise((resolve) => client.emulator.once("*", resolve));
    // the ticker does not keep the process alive: this timeout does, and fails the test if needed
    let guard;
    const timeout = new Promise((_, reject) => {
      guard = setTimeout(() => reject(new Error("no event on wall time")), 3000);
    });
    // jump to just before the timer, then let the ticker fire it on wall time
    await client.emulator.clock.advance(29_900);
    const event = await Promise.race([got, timeout]).finally(() => clearTimeout(guard));
    assert.equal(event.eventType, "Microsoft.Communication.RouterWorkerOfferExpired");
    client.emulator.dispose();
  });

  test("events: delivered before the request resolves; short, full and * names; off; once; order", async () => {
    const client = JobRouter(freshConnection(), manual);
    const emulator = client.emulator;
    const log = [];
    const short = (e) => log.push(`short:${e.data.jobId}`);
    const full = (e) => log.push(`full:${e.data.jobId}`);
    const all = (e) => log.push(`all:${e.eventType.slice(PREFIX.length)}`);
    emulator.on("RouterJobReceived", short).on("Microsoft.Communication.RouterJobReceived", full).on("*", all);
    emulator.once("RouterJobCancelled", (e) => log.push(`once:${e.data.jobId}`));
    const patch = { contentType: "application/merge-patch+json", body: { channelId: "c" } };
    await client.path("/routing/jobs/{jobId}", "j1").patch(patch);
    assert.deepEqual(log, ["short:j1", "full:j1", "all:RouterJobReceived"]);
    await client.path("/routing/jobs/{jobId}:cancel", "j1").post();
    await client.path("/routing/jobs/{jobId}:cancel", "j1").post();
    assert.deepEqual(log.slice(3), ["once:j1", "all:RouterJobCancelled", "all:RouterJobCancelled"]);
    emulator.off("RouterJobReceived", short).off("*", all);
    log.length = 0;
    await client.path("/routing/jobs/{jobId}", "j2").patch(patch);
    assert.deepEqual(log, ["full:j2"]);
    assert.throws(() => emulator.on("", () => {}), TypeError);
    assert.throws(() => emulator.on("RouterJobQueued", "nope"), TypeError);
  });

  test("async listeners are awaited; a listener may call the client; a throwing listener rejects the call", async () => {
    const client = JobRouter(freshConnection(), manual);
    const emulator = client.emulator;
    let nested;
    emulator.on("RouterJobReceived", async (e) => {
      if (e.data.jobId !== "parent") return;
      await new Promise((resolve) => setTimeout(resolve, 5));
      nested = await client.path("/routing/jobs/{jobId}:cancel", e.data.jobId).post();
    });
    const res = await client.path("/routing/jobs/{jobId}", "parent").patch({ contentType: "application/merge-patch+json", body: {} });
    assert.equal(res.status, "201");
    assert.equal(nested?.status, "200", "the listener finished before the request resolved");
    const boom = new Error("listener failed");
    const after = [];
    emulator.on("RouterJobReceived", () => { throw boom; });
    emulator.on("RouterJobReceived", () => after.push("still called"));
    await assert.rejects(client.path("/routing/jobs/{jobId}", "child").patch({ contentType: "application/merge-patch+json", body: {} }), boom);
    assert.deepEqual(after, ["still called"]);
    const stored = await client.path("/routing/jobs/{jobId}", "child").get();
    assert.equal(stored.status, "200", "the request itself was served");
  });

  test("registry: same endpoint shares, other endpoints are separate; RouterEmulator.for", async () => {
    const conn = freshConnection();
    const endpoint = conn.slice("endpoint=".length, conn.indexOf(";"));
    const a = JobRouter(conn, manual);
    const b = JobRouter(conn.replace("https://", "HTTPS://").replace(".com/", ".COM"));
    const c = JobRouter(freshConnection(), manual);
    assert.equal(a.emulator, b.emulator);
    assert.notEqual(a.emulator, c.emulator);
    assert.equal(RouterEmulator.for(endpoint), a.emulator);
    assert.equal(RouterEmulator.for(conn), a.emulator);
    await a.path("/routing/jobs/{jobId}", "shared").patch({ contentType: "application/merge-patch+json", body: {} });
    assert.equal((await b.path("/routing/jobs/{jobId}", "shared").get()).status, "200");
    assert.equal((await c.path("/routing/jobs/{jobId}", "shared").get()).status, "404");
  });

  test("registry: equal options share, different options throw, an instance rebinds the endpoint", () => {
    const conn = freshConnection();
    const a = JobRouter(conn, { emulator: { clock: "manual", seed: 3 } });
    const same = JobRouter(conn, { emulator: { seed: 3, clock: "manual" } });
    assert.equal(same.emulator, a.emulator);
    assert.throws(() => JobRouter(conn, { emulator: { clock: "manual", seed: 4 } }), /already exists .* with other options/);
    assert.throws(() => RouterEmulator.for(conn, { clock: "real" }), /other options/);
    const mine = new RouterEmulator({ clock: "manual", seed: 9 });
    const bound = JobRouter(conn, { emulator: mine });
    assert.equal(bound.emulator, mine);
    assert.equal(JobRouter(conn).emulator, mine, "later clients share the bound instance");
    assert.equal(a.emulator.disposed, false, "the previous emulator still serves its clients");
    mine.dispose();
    assert.throws(() => JobRouter(conn, { emulator: mine }), /disposed/);
    const fresh = JobRouter(conn, { emulator: { clock: "manual", seed: 4 } });
    assert.notEqual(fresh.emulator, mine);
    assert.equal(fresh.emulator.options.seed, 4);
  });

  test("reset, exportState/importState, dispose", async () => {
    const client = JobRouter(freshConnection(), manual);
    const emulator = client.emulator;
    const job = client.path("/routing/jobs/{jobId}", "j");
    await job.patch({ contentType: "application/merge-patch+json", body: { priority: 5 } });
    await emulator.clock.advance(1000);
    const snapshot = emulator.exportState();
    assert.equal(typeof snapshot, "string");
    emulator.reset();
    assert.equal(emulator.clock.nowMillis(), START);
    assert.equal((await job.get()).status, "404");
    emulator.importState(snapshot);
    assert.equal((await job.get()).body.priority, 5);
    assert.equal(emulator.clock.nowMillis(), START + 1000);
    emulator.reset();
    emulator.importState(JSON.parse(snapshot));
    assert.equal((await job.get()).status, "200");
    assert.throws(() => emulator.importState("not json"), /not a valid exportState/);
    assert.equal((await job.get()).status, "200", "a failed import changes nothing");
    const freed = deleted;
    emulator.dispose();
    assert.equal(deleted, freed + 1);
    assert.equal(emulator.disposed, true);
    await assert.rejects(job.get(), /disposed/);
    assert.throws(() => emulator.clock.now(), /disposed/);
    emulator.dispose();
    assert.equal(deleted, freed + 1, "dispose twice frees once");
  });

  test("emulator.handle serves raw calls (the HTTP server's entry)", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    const res = await emulator.handle("patch", "/routing/queues/q?api-version=2023-11-01", { "content-type": "application/merge-patch+json" }, '{"name":"n"}');
    assert.equal(res.status, 201);
    assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(JSON.parse(res.body).name, "n");
    assert.equal(calls.at(-1).method, "PATCH");
    emulator.dispose();
  });
});

describe("the core double", () => {
  test("the fake implements every method of Core", () => {
    const fake = new FakeCore({ seed: 1, startTime: "2024-01-01T00:00:00Z" });
    assert.deepEqual(CORE_METHODS.filter((name) => typeof fake[name] !== "function"), []);
  });

  test("a double without every method of Core is refused, naming what it lacks", async () => {
    useCoreDouble((options) => {
      const partial = new FakeCore(options);
      partial.nextDueMillis = undefined;
      partial.stateVersion = undefined;
      return partial;
    });
    try {
      const emulator = new RouterEmulator({ clock: "manual" });
      assert.throws(() => emulator.clock.now(), /core double lacks stateVersion, nextDueMillis/);
      emulator.dispose();
    } finally {
      useCoreDouble(openFake);
    }
  });
});

describe("without a core", () => {
  test("a missing core rejects requests with a clear error; loading it later works", async () => {
    useCoreDouble(null);
    await assert.rejects(
      setCoreFactory(() => {
        throw new Error("no module here");
      }),
      /no module here/,
    );
    try {
      const client = JobRouter(freshConnection(), manual);
      await assert.rejects(client.path("/routing/jobs").get(), /cannot load the WebAssembly core .*no module here/);
      assert.throws(() => client.emulator.clock.now(), /cannot load the WebAssembly core/);
      await setCoreFactory(null);  // the real module
      assert.equal((await client.path("/routing/jobs").get()).status, "200");
    } finally {
      await setCoreFactory(null);
      useCoreDouble(openFake);
    }
  });
});
