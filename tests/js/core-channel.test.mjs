// CoreChannel (js/core-channel.js) against embind's own path on the real WebAssembly core: two routers made with
// the same options get the same requests, one through the module's memory (CoreChannel), the other through
// embind's router.handle(method, target, headersJson, body) / router.drainEvents(); every response (status,
// headers, body) must be the same, and every batch of events the values JSON.parse makes of embind's text (the
// buffered path builds them from the text's tape, js/json-tape.js).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";

import "../../js/node-platform.js";
import { getCoreSync } from "../../js/core-loader.js";
import { CoreChannel } from "../../js/core-channel.js";
import { moduleHeaderNames } from "../../js/core-adapter.js";

const coreUrl = new URL("../../js/generated/jobrouter-core.js", import.meta.url);
const skip = existsSync(coreUrl)
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const OPTIONS = JSON.stringify({ seed: 1, startTime: "2026-01-01T00:00:00Z" });
const API = "api-version=2023-11-01";
const MERGE = { "content-type": "application/merge-patch+json" };
const MAX_BUFFERED_CHARS = 1 << 20;  // js/core-channel.js: longer requests take embind's path

/** `/routing/<collection>/<id>?api-version=...` with the id percent-encoded. */
const item = (collection, id, suffix = "") => `/routing/${collection}/${encodeURIComponent(id)}${suffix}?${API}`;
const list = (collection, query = "") => `/routing/${collection}?${API}${query}`;

/**
 * Two routers with the same options: `a` is driven through a CoreChannel (with `buffered: false`, through
 * embind's calls only, as in a runtime without text codecs), `b` through embind's handle() directly.
 */
class Twin {
  constructor({ buffered = true } = {}) {
    const module = getCoreSync();
    this.routerA = new module.Router(OPTIONS);
    this.routerB = new module.Router(OPTIONS);
    this.channel = new CoreChannel(module, this.routerA, moduleHeaderNames(module), buffered);
    this.steps = 0;
  }

  /** Response of embind's path (router B), shaped as CoreChannel shapes its own. */
  viaEmbind(method, target, headers, body) {
    const raw = this.routerB.handle(method, target, JSON.stringify(headers), body);
    return { status: Number(raw.status), headers: JSON.parse(raw.headers), body: raw.body };
  }

  /** The same request on both paths; asserts identical responses and returns CoreChannel's. */
  send(method, target, headers, body = "") {
    this.steps += 1;
    const label = `step ${this.steps}: ${method} ${target.slice(0, 120)}`;
    const buffered = this.channel.handle(method, target, headers, body);
    const embind = this.viaEmbind(method, target, headers, body);
    assert.deepEqual(buffered, embind, label);
    assert.equal(typeof buffered.body, "string", label);
    return buffered;
  }

  /** send() plus the status the request must get; returns the parsed body (null when empty). */
  expect(status, method, target, headers, body = "") {
    const response = this.send(method, target, headers, body);
    assert.equal(response.status, status, `${method} ${target.slice(0, 120)}: ${response.body.slice(0, 400)}`);
    return response.body === "" ? null : JSON.parse(response.body);
  }

  patch(status, target, value, extraHeaders = {}) {
    return this.expect(status, "PATCH", target, { ...MERGE, ...extraHeaders }, JSON.stringify(value));
  }

  /** Drains the events of both routers; asserts equal values (and key orders) and returns them. */
  events() {
    const buffered = this.channel.drainEvents(true);
    const embind = JSON.parse(this.routerB.drainEvents());
    assert.deepStrictEqual(buffered, embind, `events after step ${this.steps}`);
    // deepStrictEqual ignores the order of keys, which JSON.stringify shows
    assert.equal(JSON.stringify(buffered), JSON.stringify(embind), `events after step ${this.steps}`);
    assert.ok(Array.isArray(buffered));
    return buffered;
  }

  /** Advances both clocks. */
  advance(ms) {
    this.channel.noteOtherCall();  // (what CoreAdapter does for every call that is not the channel's)
    this.routerA.advance(ms);
    this.routerB.advance(ms);
  }

  dispose() {
    this.routerA.delete();
    this.routerB.delete();
  }
}

function withTwin(options, body) {
  const twin = new Twin(options);
  try {
    body(twin);
  } finally {
    twin.dispose();
  }
}

const eventTypes = (events) => events.map((e) => e.eventType.replace("Microsoft.Communication.", ""));

/** A realistic session: policies, a queue, a worker, jobs, offers, paging, deletes and the common errors. */
function realisticSession(twin) {
  // Set-up.
  const dp = twin.patch(201, item("distributionPolicies", "dp"), {
    name: "Longest idle",
    offerExpiresAfterSeconds: 60,
    mode: { kind: "longestIdle" },
  });
  assert.equal(dp.mode.kind, "longestIdle");
  twin.patch(201, item("queues", "q1"), { distributionPolicyId: "dp", name: "Main queue" });
  const worker = twin.patch(201, item("workers", "w1"), {
    capacity: 1,
    queues: ["q1"],
    channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
    availableForOffers: true,
  });
  assert.equal(worker.state, "active");
  assert.deepEqual(eventTypes(twin.events()), ["RouterWorkerRegistered"]);

  // A job, offered to the worker.
  const job = twin.patch(201, item("jobs", "j1"), { channelId: "voice", queueId: "q1", priority: 1 });
  assert.equal(job.id, "j1");
  const jobEvents = eventTypes(twin.events());
  assert.ok(jobEvents.includes("RouterJobReceived"), jobEvents.join());
  assert.ok(jobEvents.includes("RouterWorkerOfferIssued"), jobEvents.join());

  const fetched = twin.expect(200, "GET", item("jobs", "j1"), {}, "");
  assert.equal(fetched.queueId, "q1");
  const offers = twin.expect(200, "GET", item("workers", "w1"), {}).offers;
  assert.equal(offers.length, 1);
  assert.equal(offers[0].jobId, "j1");

  // Accept the offer.
  const accepted = twin.expect(200, "POST", item("workers", "w1", `/offers/${encodeURIComponent(offers[0].offerId)}:accept`), {});
  assert.equal(accepted.jobId, "j1");
  assert.ok(eventTypes(twin.events()).includes("RouterWorkerOfferAccepted"));
  assert.equal(twin.expect(200, "GET", item("jobs", "j1"), {}).status, "assigned");

  // Lists with paging, following nextLink to the end.
  for (let i = 2; i <= 5; i++) twin.patch(201, item("queues", `q${i}`), { distributionPolicyId: "dp" });
  const seen = [];
  let page = twin.expect(200, "GET", list("queues", "&maxpagesize=2"), {});
  for (let pages = 1; ; pages++) {
    assert.ok(pages <= 5, "paging does not end");
    assert.ok(page.value.length <= 2);
    seen.push(...page.value.map((q) => q.id));
    if (!page.nextLink) break;
    page = twin.expect(200, "GET", `${page.nextLink}&${API}`, {});
  }
  assert.deepEqual(seen, ["q1", "q2", "q3", "q4", "q5"]);
  twin.expect(400, "GET", list("queues", "&maxpagesize=0"), {});
  twin.expect(200, "GET", list("jobs", "&maxpagesize=1"), {});
  twin.expect(200, "GET", list("workers"), {});

  // Conditional updates: a stale if-match, then the current etag; if-unmodified-since before and after.
  const queue = twin.expect(200, "GET", item("queues", "q2"), {});
  twin.patch(412, item("queues", "q2"), { name: "stale" }, { "if-match": '"not-the-etag"' });
  const renamed = twin.patch(200, item("queues", "q2"), { name: "fresh" }, { "if-match": queue.etag });
  assert.equal(renamed.name, "fresh");
  twin.patch(412, item("queues", "q2"), { name: "late" }, { "if-match": queue.etag });  // stale now
  twin.patch(412, item("queues", "q2"), { name: "old" }, { "if-unmodified-since": "Wed, 31 Dec 2025 23:59:59 GMT" });
  twin.patch(200, item("queues", "q2"), { name: "now" }, { "if-unmodified-since": "Fri, 02 Jan 2026 00:00:00 GMT" });
  twin.patch(200, item("queues", "q2"), { name: "wildcard" }, { "if-match": "*" });

  // Errors.
  const missing = twin.expect(404, "GET", item("jobs", "nope"), {});
  assert.equal(missing.communicationError.code, "NotFound");
  twin.expect(404, "GET", `/routing/nothing-here?${API}`, {});
  twin.expect(404, "DELETE", item("workers", "nobody"), {});
  const invalid = twin.expect(400, "PATCH", item("jobs", "j2"), MERGE, '{"channelId": "voice",');
  assert.match(JSON.stringify(invalid), /InvalidJson/);
  const unsupported = twin.expect(415, "PATCH", item("jobs", "j2"), { "content-type": "text/plain" }, "{}");
  assert.match(unsupported.communicationError.message, /text\/plain/);
  twin.expect(400, "GET", "/routing/queues/q1", {});  // no api-version
  twin.expect(400, "GET", "/routing/queues/q1?api-version=2021-10-20-preview", {});
  twin.expect(405, "PUT", item("queues", "q1"), MERGE, "{}");
  twin.expect(400, "PATCH", item("workers", "w2"), MERGE, "null");
  twin.expect(400, "GET", `/routing/queues/%zz?${API}`, {});
  assert.deepEqual(twin.events(), []);  // failed requests emit nothing

  // A second job that waits, a clock step, cancellation.
  twin.patch(201, item("jobs", "j2"), { channelId: "voice", queueId: "q1", priority: 5, labels: { tier: "gold" } });
  twin.advance(90_000);
  twin.expect(200, "GET", item("jobs", "j2", "/position"), {});
  twin.expect(200, "POST", item("jobs", "j2", ":cancel"), MERGE, JSON.stringify({ note: "gone", dispositionCode: "x" }));
  const afterCancel = twin.events();
  assert.ok(eventTypes(afterCancel).includes("RouterJobCancelled"), eventTypes(afterCancel).join());

  // Complete and close the first job, then deletes.
  const assignmentId = accepted.assignmentId;
  twin.expect(200, "POST", item("jobs", "j1", `/assignments/${encodeURIComponent(assignmentId)}:complete`), MERGE, "{}");
  twin.expect(200, "POST", item("jobs", "j1", `/assignments/${encodeURIComponent(assignmentId)}:close`), MERGE,
    JSON.stringify({ dispositionCode: "done" }));
  twin.expect(204, "DELETE", item("jobs", "j1"), {});
  twin.expect(404, "GET", item("jobs", "j1"), {});
  twin.expect(204, "DELETE", item("queues", "q5"), {});
  twin.expect(404, "GET", item("queues", "q5"), {});
  twin.expect(200, "GET", item("queues", "q1", "/statistics"), {});
  const closing = eventTypes(twin.events());
  assert.ok(closing.includes("RouterJobCompleted") && closing.includes("RouterJobClosed"), closing.join());
  assert.deepEqual(twin.events(), []);
}

describe("CoreChannel gives embind's results", { skip }, () => {
  test("a realistic session: set-up, jobs, offers, paging, conditional updates, errors, events", () => {
    withTwin({}, (twin) => realisticSession(twin));
  });

  test("events taken with each request: kept across requests not drained, and a call beside the channel is drained", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 10, mode: { kind: "longestIdle" } });
      twin.patch(201, item("queues", "q"), { distributionPolicyId: "dp" });
      twin.patch(201, item("workers", "w"), {
        capacity: 1, queues: ["q"], availableForOffers: true, channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
      });
      twin.patch(201, item("jobs", "j1"), { channelId: "voice", queueId: "q" });
      // four requests' events, drained at once, in order
      assert.deepEqual(eventTypes(twin.events()), [
        "RouterWorkerRegistered", "RouterJobReceived", "RouterJobQueued", "RouterWorkerOfferIssued",
      ]);
      assert.deepEqual(twin.events(), []);
      // nothing drained after the request: the rule requests are known to be none without asking the router
      twin.patch(201, item("jobs", "j2"), { channelId: "voice", queueId: "q" });
      assert.equal(twin.channel.drainRuleRequests(), "[]");
      twin.advance(10_000);  // the offer expires: events published outside the channel's requests
      const later = eventTypes(twin.events());
      assert.ok(later.includes("RouterJobReceived") && later.includes("RouterWorkerOfferExpired"), later.join());
      assert.ok(later.indexOf("RouterJobReceived") < later.indexOf("RouterWorkerOfferExpired"), later.join());
    });
  });

  test("events built from their tape: ASCII escapes, __proto__ and numeric keys, numbers, booleans, selectors", () => {
    withTwin({}, (twin) => {
      assert.equal(twin.channel._tape, true, "the module's tape kinds are json-tape.js's: events come with a tape");
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 30.5, mode: { kind: "longestIdle" } });
      twin.patch(201, item("queues", "q"), { distributionPolicyId: "dp", labels: { 'tier "gold"': "a\\b\t" } });
      twin.patch(201, item("workers", "w"), {
        capacity: 2,
        queues: ["q"],
        availableForOffers: true,
        labels: { level: 3, ok: true, ["__proto__"]: "x", 1: "one", "\u0001ctl": 2.5 },
        channels: [{ channelId: "voice", capacityCostPerJob: 1, maxNumberOfJobs: 2 }],
      });
      const registered = twin.events();
      assert.equal(Object.getPrototypeOf(registered[0].data.labels), Object.prototype);
      assert.ok(Object.hasOwn(registered[0].data.labels, "__proto__"), "an own __proto__ member, as JSON.parse makes");
      twin.patch(201, item("jobs", "j1"), {
        channelId: "voice",
        queueId: "q",
        priority: 2,
        labels: { "k\n": "v\"q\"" },
        requestedWorkerSelectors: [{ key: "level", labelOperator: "greaterThan", value: 1.5, expiresAfterSeconds: 20 }],
      });
      const offered = twin.events();
      const offer = offered.find((e) => e.eventType.endsWith("RouterWorkerOfferIssued"));
      assert.ok(offer, eventTypes(offered).join());
      assert.equal(offered[0].data.requestedWorkerSelectors[0].value, 1.5);
      twin.advance(31_000);  // the offer expires
      twin.expect(200, "GET", item("jobs", "j1"), {});
      assert.ok(eventTypes(twin.events()).includes("RouterWorkerOfferExpired"));
    });
  });

  test("non-ASCII ids (percent-encoded) and labels: accents, CJK, emoji, NUL, JSON escapes", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "politique-é"), {
        name: "Répartition — 分配 🚀",
        offerExpiresAfterSeconds: 30,
        mode: { kind: "roundRobin" },
      });
      const labels = {
        accents: "Crème brûlée, façade, Ångström, Øre",
        cjk: "客服队列・日本語のラベル・한국어",
        emoji: "📞☎️👩🏽‍💻🏳️‍🌈",
        nul: "before\u0000after",
        "clé-é": "valeur",
        "ключ": "значение",
        "😀": "key is an emoji",
        controls: "tab\tnew\nline\rcr\u0001\u001f\u007f",
        separators: "line\u2028para\u2029end",
        bom: "\ufeffstarts with a BOM",
        quotes: 'say "hi" \\ back/slash',
      };
      for (const id of ["file-café", "队列-一", "😀-queue", "ünïcödé ÿ"]) {
        const created = twin.patch(201, item("queues", id), { distributionPolicyId: "politique-é", labels });
        assert.equal(created.id, id);
        for (const [key, value] of Object.entries(labels)) assert.equal(created.labels[key], value, key);
        const fetched = twin.expect(200, "GET", item("queues", id), {});
        assert.deepEqual(fetched.labels, created.labels);
      }
      // The same id written raw (not percent-encoded) in the path.
      twin.expect(200, "GET", `/routing/queues/file-café?${API}`, {});
      twin.expect(200, "GET", `/routing/queues/😀-queue?${API}`, {});

      // A worker and a job with non-ASCII ids; their events carry the ids and labels.
      twin.patch(201, item("workers", "agent-Zoë-👩🏽‍💻"), {
        capacity: 2,
        queues: ["队列-一"],
        channels: [{ channelId: "chat-聊天", capacityCostPerJob: 1 }],
        labels: { language: "français", skill: "日本語" },
        availableForOffers: true,
      });
      const job = twin.patch(201, item("jobs", "job-ü-工作-🎫"), {
        channelId: "chat-聊天",
        queueId: "队列-一",
        labels: { customer: "Ærøskøbing 🇩🇰", note: "a\u0000b" },
      });
      assert.equal(job.labels.note, "a\u0000b");
      const events = twin.events();
      const issued = events.find((e) => e.eventType.endsWith("RouterWorkerOfferIssued"));
      assert.ok(issued, eventTypes(events).join());
      assert.equal(issued.data.jobId, "job-ü-工作-🎫");
      assert.equal(issued.data.workerId, "agent-Zoë-👩🏽‍💻");

      // A body written with JSON escapes (escaped non-ASCII, an escaped surrogate pair, an escaped NUL).
      const escaped =
        '{"distributionPolicyId":"politique-\\u00e9","labels":{"esc":"q\\"b\\\\s\\/n\\n\\t\\u00e9\\u4e2d\\ud83d\\ude00\\u0000|",' +
        '"\\u00e9\\u00e8":"key escaped"}}';
      const fromEscapes = twin.expect(201, "PATCH", item("queues", "escapes"), MERGE, escaped);
      assert.equal(fromEscapes.labels.esc, 'q"b\\s/n\n\té中😀\u0000|');
      assert.equal(fromEscapes.labels["éè"], "key escaped");
      // An escaped lone surrogate is invalid JSON for the core, the same on both paths.
      twin.expect(400, "PATCH", item("queues", "lone-escape"), MERGE,
        '{"distributionPolicyId":"politique-é","labels":{"x":"\\ud800"}}');

      // Errors that echo non-ASCII text.
      const notFound = twin.expect(404, "GET", item("queues", "nicht-gefunden-ß-🙈"), {});
      assert.match(notFound.communicationError.target, /nicht-gefunden/);
      const mediaType = twin.expect(415, "PATCH", item("queues", "x"), { "content-type": "téxt/plâin; 字=🙂" }, "{}");
      assert.match(mediaType.communicationError.message, /téxt\/plâin; 字=🙂/);
      twin.expect(400, "GET", item("queues", "nul\u0000in-id"), {});  // a control character in an id
      twin.expect(400, "PATCH", item("queues", "raw-nul"), MERGE, '{"distributionPolicyId":"a\u0000b"}');
      const method = twin.expect(405, "GÉT", item("queues", "file-café"), {});
      assert.match(method.communicationError.message, /GÉT/);

      // Lists hold them all.
      const all = twin.expect(200, "GET", list("queues"), {});
      assert.equal(all.value.length, 5);
      assert.deepEqual(twin.events(), []);
    });
  });

  test("a lone surrogate in the body: a well-formed answer on the buffered path, and the router goes on", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
      const bodies = [
        '{"distributionPolicyId":"dp","labels":{"high":"x\ud800y"}}',  // a lone high surrogate
        '{"distributionPolicyId":"dp","labels":{"low":"x\udc00y"}}',  // a lone low surrogate
        '{"distributionPolicyId":"dp","labels":{"twisted":"\ude00\ud83d"}}',  // a pair in the wrong order
        '{"distributionPolicyId":"dp","labels":{"last":"\ud83d"}}',  // a high surrogate before the closing quote
        '{"distributionPolicyId":"dp","labels":{"end":"x"}}\ud83d',  // a high surrogate at the very end
        '\udc00{"distributionPolicyId":"dp"}',  // a low surrogate at the very start
      ];
      const statuses = [];
      bodies.forEach((body, i) => {
        assert.ok(!body.isWellFormed());
        const id = `lone-${i}`;
        // Only the buffered path: embind encodes lone surrogates differently (TextEncoder writes U+FFFD).
        const response = twin.channel.handle("PATCH", item("queues", id), MERGE, body);
        assert.ok(response.status >= 200 && response.status < 500, `${response.status} ${response.body}`);
        assert.equal(response.headers["content-type"], "application/json; charset=utf-8");
        const parsed = JSON.parse(response.body);
        assert.ok(parsed !== null && typeof parsed === "object", response.body);
        statuses.push(response.status);
        if (response.status < 300) {
          // Every lone surrogate of a label arrived as U+FFFD.
          assert.equal(response.status, 201);
          const expected = JSON.parse(body.replace(/^\udc00|\ud83d$/g, "").toWellFormed()).labels ?? {};
          for (const [key, value] of Object.entries(expected)) assert.equal(parsed.labels[key], value, key);
          for (const value of Object.values(parsed.labels)) assert.ok(value.isWellFormed(), JSON.stringify(value));
          const again = twin.channel.handle("GET", item("queues", id), {}, "");
          assert.equal(again.status, 200);
          assert.deepEqual(JSON.parse(again.body).labels, parsed.labels);
        } else {
          assert.ok(parsed.communicationError, response.body);
        }
        // What the buffered path does is what embind's does with the well-formed text (U+FFFD for each lone
        // surrogate), which also keeps the two routers in step.
        const embind = twin.viaEmbind("PATCH", item("queues", id), MERGE, body.toWellFormed());
        assert.deepEqual(response, embind, id);
        // The router still answers normally.
        const after = twin.expect(200, "GET", item("distributionPolicies", "dp"), {});
        assert.equal(after.id, "dp");
        twin.expect(404, "GET", item("queues", "never"), {});
      });
      // U+FFFD inside a label is fine; outside a string it is not JSON.
      assert.deepEqual(statuses, [201, 201, 201, 201, 400, 400]);
      twin.patch(201, item("queues", "after"), { distributionPolicyId: "dp", labels: { ok: "ça va ✓" } });
      const all = twin.expect(200, "GET", list("queues"), {});
      assert.ok(all.value.some((q) => q.id === "after"));
      assert.deepEqual(twin.events(), []);
    });
  });

  test("header values: mixed case, arrays, numbers, booleans, null/undefined, several spellings", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
      const body = JSON.stringify({ distributionPolicyId: "dp" });
      const put = (status, headers, id = "q") => twin.expect(status, "PATCH", item("queues", id), headers, body);
      const message = (status, headers) => put(status, headers).communicationError.message;

      // Names in any case.
      assert.match(message(415, { "Content-Type": "text/plain" }), /'text\/plain'/);
      assert.match(message(415, { "CONTENT-TYPE": "Text/HTML" }), /'Text\/HTML'/);
      const created = put(201, { "Content-Type": "application/merge-patch+json" });
      put(200, { "cOnTeNt-TyPe": "Application/JSON; Charset=UTF-8" });

      // Arrays: string items joined with ", ", other items left out.
      assert.match(message(415, { "content-type": ["text/plain", "charset=utf-8"] }), /'text\/plain, charset=utf-8'/);
      assert.match(message(415, { "content-type": ["a", 1, null, true, ["b"], { c: 1 }, "d"] }), /'a, d'/);
      assert.match(message(415, { "Content-Type": ["only"] }), /'only'/);
      put(200, { "content-type": [] });  // an empty value: not checked
      put(200, { "content-type": [1, 2] });

      // Numbers and booleans: their JSON text.
      assert.match(message(415, { "content-type": 42 }), /'42'/);
      assert.match(message(415, { "content-type": -7 }), /'-7'/);
      assert.match(message(415, { "content-type": 1.5 }), /'1\.5'/);
      assert.match(message(415, { "content-type": 0.1 + 0.2 }), /'0\.30000000000000004'/);
      assert.match(message(415, { "content-type": 1.5e300 }), /'1\.5e\+300'/);
      assert.match(message(415, { "content-type": 123456789012 }), /'123456789012'/);
      assert.match(message(415, { "content-type": -0 }), /'0'/);
      assert.match(message(415, { "content-type": true }), /'true'/);
      assert.match(message(415, { "content-type": false }), /'false'/);
      // Non-finite numbers, null, undefined, objects: left out.
      put(200, { "content-type": Number.NaN });
      put(200, { "content-type": Number.POSITIVE_INFINITY });
      put(200, { "content-type": null });
      put(200, { "content-type": undefined });
      put(200, { "content-type": { type: "text/plain" } });

      // Several spellings of one header: the last one (in the object's key order) wins ...
      put(200, { "content-type": "text/plain", "Content-Type": "application/json" });
      assert.match(message(415, { "Content-Type": "application/json", "content-type": "text/plain" }), /'text\/plain'/);
      assert.match(message(415, { "content-type": "a/b", "CONTENT-TYPE": "c/d", "Content-type": "e/f" }), /'e\/f'/);
      // ... unless it is left out: then the one before stays.
      assert.match(message(415, { "Content-Type": "text/plain", "content-type": null }), /'text\/plain'/);
      assert.match(message(415, { "Content-Type": "text/plain", "content-type": undefined }), /'text\/plain'/);
      assert.match(message(415, { "Content-Type": "text/plain", "content-type": { x: 1 } }), /'text\/plain'/);
      put(200, { "Content-Type": "text/plain", "CONTENT-TYPE": ["application/json"] });

      // if-match in several shapes and spellings.
      const current = twin.expect(200, "GET", item("queues", "q"), {});
      assert.equal(current.etag, created.etag);  // the PATCHes above changed nothing
      put(412, { ...MERGE, "If-Match": '"stale"' });
      put(412, { ...MERGE, "IF-MATCH": ['"stale"'] });
      put(412, { ...MERGE, "if-match": 17 });
      put(412, { ...MERGE, "if-match": true });
      put(412, { ...MERGE, "if-match": current.etag, "If-Match": '"stale"' });
      const matched = put(200, { ...MERGE, "if-match": '"stale"', "If-Match": current.etag });
      put(200, { ...MERGE, "if-match": matched.etag, "If-Match": null });
      put(200, { ...MERGE, "If-Match": undefined });
      put(200, { ...MERGE, "If-Match": ["*"] });

      // if-unmodified-since likewise.
      put(412, { ...MERGE, "If-Unmodified-Since": "Wed, 01 Jan 2025 00:00:00 GMT" });
      put(412, { ...MERGE, "IF-UNMODIFIED-SINCE": ["Wed, 01 Jan 2025 00:00:00 GMT"] });
      put(200, { ...MERGE, "if-unmodified-since": "Wed, 01 Jan 2025 00:00:00 GMT", "If-Unmodified-Since": "Sat, 01 Jan 2028 00:00:00 GMT" });
      put(200, { ...MERGE, "if-unmodified-since": 12345 });  // unparsable: ignored
      put(200, { ...MERGE, "if-unmodified-since": null });

      // All three at once, with headers the core does not read.
      put(200, {
        "x-ms-client-request-id": "1234",
        Authorization: "HMAC-SHA256 Signature=abc",
        "X-Ms-Date": new Date(0).toUTCString(),
        "Content-Length": 17,
        "Content-Type": "application/merge-patch+json",
        "If-Match": "*",
        "If-Unmodified-Since": "Sat, 01 Jan 2028 00:00:00 GMT",
        "x-array": ["a", "b"],
        "x-null": null,
      });
      // No headers at all, or headers that are not an object.
      put(200, {});
      twin.expect(200, "PATCH", item("queues", "q"), null, body);
      twin.expect(200, "PATCH", item("queues", "q"), ["content-type", "text/plain"], body);
      twin.expect(200, "PATCH", item("queues", "q"), "content-type: text/plain", body);
      // A GET with headers (its body is empty, so content-type is not checked).
      twin.expect(200, "GET", item("queues", "q"), { "Content-Type": "text/plain", "If-Match": '"stale"' });
      assert.deepEqual(twin.events(), []);
    });
  });

  // Values that are not strings (numbers the core's JSON library re-spells, objects with toJSON: String and Number
  // wrappers, Date) take the bindings' JSON header parser on both paths, so they come out spelled the same.
  test("non-string header values are spelled as the bindings' parser spells them", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
      const body = JSON.stringify({ distributionPolicyId: "dp" });
      for (const value of [1e-7, 0.00001, 1e20, 2 ** 64, new String("text/plain"), ["a", new String("b")], new Date(0)]) {
        twin.send("PATCH", item("queues", "q"), { "content-type": value }, body);
      }
    });
  });

  test("a BigInt header value does not make the request fail", () => {
    const module = getCoreSync();
    const router = new module.Router(JSON.stringify({ seed: 1, startTime: "2026-01-01T00:00:00Z" }));
    try {
      const channel = new CoreChannel(module, router, moduleHeaderNames(module));
      const api = "?api-version=2023-11-01";
      const ok = channel.handle("PATCH", `/routing/distributionPolicies/dp${api}`,
        { "content-type": "application/merge-patch+json", "x-count": 1n },
        JSON.stringify({ offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } }));
      assert.equal(ok.status, 201);
      // In a header the core reads: its digits, through the bindings' parser.
      const refused = channel.handle("PATCH", `/routing/queues/q${api}`, { "content-type": 12n },
        JSON.stringify({ distributionPolicyId: "dp" }));
      assert.equal(refused.status, 415);
      assert.match(JSON.parse(refused.body).communicationError.message, /'12'/);
    } finally {
      router.delete();
    }
  });

  test("a request over the buffered limit takes embind's path and still gets the core's 413", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
      const target = item("queues", "big");
      const huge = JSON.stringify({ distributionPolicyId: "dp", labels: { big: "a".repeat(1_100_000) } });
      assert.ok(huge.length > MAX_BUFFERED_CHARS);
      const tooLarge = twin.expect(413, "PATCH", target, MERGE, huge);
      assert.equal(tooLarge.communicationError.code, "RequestEntityTooLarge");

      // Right at the limit (all fields together) and one code unit over it: the same 413 either way.
      const fill = (total) => {
        const prefix = '{"distributionPolicyId":"dp","labels":{"big":"';
        const suffix = '"}}';
        const room = total - "PATCH".length - target.length - MERGE["content-type"].length - prefix.length - suffix.length;
        return prefix + "b".repeat(room) + suffix;
      };
      for (const total of [MAX_BUFFERED_CHARS - 1, MAX_BUFFERED_CHARS, MAX_BUFFERED_CHARS + 1]) {
        const response = twin.expect(413, "PATCH", target, MERGE, fill(total));
        assert.equal(response.communicationError.code, "RequestEntityTooLarge");
      }
      // Over the limit and multi-byte.
      twin.expect(413, "PATCH", target, MERGE, JSON.stringify({ distributionPolicyId: "dp", labels: { x: "€".repeat(1_100_000) } }));

      // Small requests afterwards are answered as before.
      twin.patch(201, target, { distributionPolicyId: "dp", labels: { small: "yes" } });
      twin.expect(404, "GET", item("queues", "none"), {});
      assert.deepEqual(twin.events(), []);
    });
  });

  test("large multi-byte bodies (the input buffer grows) give the same results", () => {
    withTwin({}, (twin) => {
      twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
      // ~200 KB of UTF-8 from 2-, 3- and 4-byte characters (88,000 UTF-16 code units).
      const mixed = "é€😀".repeat(22_000);
      const bytes = new TextEncoder().encode(mixed).length;
      assert.ok(bytes > 190_000 && bytes < 256 * 1024, String(bytes));
      const created = twin.patch(201, item("queues", "wide-é"), { distributionPolicyId: "dp", labels: { wide: mixed } });
      assert.equal(created.labels.wide, mixed);
      const fetched = twin.expect(200, "GET", item("queues", "wide-é"), {});
      assert.equal(fetched.labels.wide, mixed);

      // All 3-byte characters, just under the core's 256 KiB.
      const cjk = "中".repeat(87_000);
      const q2 = twin.patch(201, item("queues", "wide-中"), { distributionPolicyId: "dp", labels: { cjk } });
      assert.equal(q2.labels.cjk, cjk);
      // Over 256 KiB in bytes though far under the buffered limit in code units: the core's 413 on both paths.
      twin.expect(413, "PATCH", item("queues", "too-wide"), MERGE,
        JSON.stringify({ distributionPolicyId: "dp", labels: { x: "中".repeat(100_000) } }));

      // Smaller requests after the buffer grew, then a larger one again, then sizes in between.
      twin.expect(200, "GET", item("queues", "wide-中"), {});
      twin.patch(200, item("queues", "wide-é"), { labels: { wide: "short again ✓" } });
      for (const n of [1, 1_000, 5_000, 40_000, 10]) {
        const text = "🙂ü".repeat(n);
        const response = twin.patch(200, item("queues", "wide-中"), { labels: { cjk: null, grow: text } });
        assert.equal(response.labels.grow, text);
      }
      const all = twin.expect(200, "GET", list("queues"), {});
      assert.equal(all.value.length, 2);
      assert.deepEqual(twin.events(), []);
    });
  });

  test("without the buffered path (a runtime without text codecs) CoreChannel gives the same results", () => {
    withTwin({ buffered: false }, (twin) => realisticSession(twin));
  });

  test("the module publishes the request headers the core reads", () => {
    const module = getCoreSync();
    assert.deepEqual(moduleHeaderNames(module), ["content-type", "if-match", "if-unmodified-since"]);
    assert.equal(moduleHeaderNames(module), moduleHeaderNames(module), "read once per module");
  });

  test("drainEvents(false) returns no events and drops them", () => {
    for (const options of [{}, { buffered: false }]) {
      withTwin(options, (twin) => {
        twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
        twin.patch(201, item("queues", "q1"), { distributionPolicyId: "dp" });
        twin.patch(201, item("workers", "w1"), {
          capacity: 1,
          queues: ["q1"],
          channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
          availableForOffers: true,
        });
        twin.patch(201, item("jobs", "j1"), { channelId: "voice", queueId: "q1" });

        assert.deepEqual(twin.channel.drainEvents(false), []);
        assert.notEqual(twin.routerB.drainEvents(), "[]");  // the other router had some to drop
        assert.deepEqual(twin.channel.drainEvents(true), []);
        assert.deepEqual(twin.channel.drainEvents(false), []);
        assert.deepEqual(twin.channel.drainEvents(true), []);

        // New events after the drop come through, the same as embind's.
        twin.advance(61_000);  // the offer expires
        twin.expect(200, "GET", item("jobs", "j1"), {});
        const events = twin.events();
        assert.ok(eventTypes(events).includes("RouterWorkerOfferExpired"), eventTypes(events).join());
        assert.deepEqual(twin.events(), []);
      });
    }
  });

  test("importState of UTF-8 bytes: the same state as the text; requests go on after it; bad bytes change nothing", () => {
    for (const options of [{}, { buffered: false }]) {
      withTwin(options, (twin) => {
        twin.patch(201, item("distributionPolicies", "dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
        twin.patch(201, item("queues", "q-ü☃"), { distributionPolicyId: "dp", labels: { city: "Zürich 東京 🛎️" } });
        const state = twin.routerB.exportState();
        const bytes = new TextEncoder().encode(state);
        assert.ok(bytes.length > state.length, "the state holds multi-byte characters");
        twin.routerB.reset();
        twin.channel.router.reset();
        assert.equal(twin.channel.importState(bytes), true);
        assert.equal(twin.routerB.importState(state), true);
        assert.equal(twin.channel.router.exportState(), state);
        // the input buffer was released with the import: the next requests make a new one
        twin.patch(201, item("queues", "after"), { distributionPolicyId: "dp", labels: { n: 1 } });
        twin.expect(200, "GET", item("queues", "q-ü☃"), {});
        const before = twin.channel.router.exportState();
        assert.equal(twin.channel.importState(bytes.subarray(0, bytes.length - 5)), false);
        assert.equal(twin.channel.importState(new Uint8Array(0)), false);
        assert.equal(twin.channel.router.exportState(), before);
        twin.expect(200, "GET", item("queues", "after"), {});
      });
    }
  });
});
