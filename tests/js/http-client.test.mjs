// createEmulatorHttpClient: the official Azure REST pipeline (@azure-rest/core-client getClient +
// @azure/communication-common's HMAC auth policy, as @azure-rest/communication-job-router assembles it)
// with its transport replaced by the emulator in this process. Also: every target kind, the request body
// types a pipeline may hand over, abort, insecure URLs, streamed responses, bad input, and the .d.ts against
// the SDK's own HttpClient type.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const coreBuilt = ["jobrouter-core.js", "jobrouter-core.mjs"].some((name) => existsSync(path.join(ROOT, "js", "generated", name)));
const skip = coreBuilt ? false : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";
// The package's Node entry when there is one (it loads the core synchronously), else the main module.
const ENTRY = existsSync(path.join(ROOT, "js", "node.js")) ? "../../js/node.js" : "../../js/index.js";

const { getClient } = await import("@azure-rest/core-client");
const { createCommunicationAuthPolicy, parseClientArguments } = await import("@azure/communication-common");
const { createHttpHeaders, createPipelineRequest } = await import("@azure/core-rest-pipeline");
const { createEmulatorHttpClient } = await import("../../js/http-client.js");
const { JobRouter, RouterEmulator, paginate } = await import(ENTRY);

const MERGE = "application/merge-patch+json";
const KEY = "ZGV2ZWxvcG1lbnQta2V5";
const START = "2024-01-01T00:00:00Z";

/** The official REST pipeline, set up as @azure-rest/communication-job-router sets it up, over `httpClient`. */
function officialClient(connectionString, httpClient, extra = {}) {
  const { url, credential } = parseClientArguments(connectionString);
  const client = getClient(url, { apiVersion: "2023-11-01", httpClient, ...extra });
  client.pipeline.addPolicy(createCommunicationAuthPolicy(credential));
  return client;
}

let counter = 0;
/** A fresh endpoint (own shared emulator, manual clock) and its connection string. */
function freshEndpoint(name) {
  counter += 1;
  const endpoint = `https://${name}-${counter}.communication.azure.com/`;
  const emulator = RouterEmulator.for(endpoint, { clock: "manual", startTime: START, seed: 3 });
  return { endpoint, conn: `endpoint=${endpoint};accesskey=${KEY}`, emulator };
}

function must(res, ...statuses) {
  assert.ok(statuses.includes(res.status), `expected ${statuses.join("/")}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function seed(client, { queueId = "q1", workerId = "w1", dp = "dp1" } = {}) {
  must(
    await client.path("/routing/distributionPolicies/{distributionPolicyId}", dp).patch({
      contentType: MERGE,
      body: { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } },
    }),
    "201",
  );
  must(
    await client.path("/routing/queues/{queueId}", queueId).patch({ contentType: MERGE, body: { distributionPolicyId: dp } }),
    "201",
  );
  must(
    await client.path("/routing/workers/{workerId}", workerId).patch({
      contentType: MERGE,
      body: { capacity: 10, queues: [queueId], channels: [{ channelId: "voice", capacityCostPerJob: 10 }], availableForOffers: true },
    }),
    "201",
  );
}

const disposables = [];
after(() => {
  for (const emulator of disposables) emulator.dispose();
});

describe("createEmulatorHttpClient with the official Azure REST pipeline", { skip }, () => {
  test("a whole job lifecycle: policies, queue, worker, job, offer, accept, complete, close", async () => {
    const { conn, emulator } = freshEndpoint("lifecycle");
    disposables.push(emulator);
    const seen = [];
    emulator.on("*", (event) => seen.push(event.eventType.replace("Microsoft.Communication.", "")));
    const client = officialClient(conn, createEmulatorHttpClient(conn));
    await seed(client);

    const created = must(
      await client.path("/routing/jobs/{jobId}", "job-1").patch({
        contentType: MERGE,
        body: { channelId: "voice", queueId: "q1", priority: 5 },
      }),
      "201",
    );
    assert.equal(created.id, "job-1");

    const worker = must(await client.path("/routing/workers/{workerId}", "w1").get(), "200");
    assert.equal(worker.offers.length, 1);
    const offer = worker.offers[0];
    assert.equal(offer.jobId, "job-1");

    const accepted = must(
      await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w1", offer.offerId).post(),
      "200",
    );
    assert.equal(accepted.jobId, "job-1");
    const assignmentId = accepted.assignmentId;
    assert.equal(must(await client.path("/routing/jobs/{jobId}", "job-1").get(), "200").status, "assigned");

    must(
      await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "job-1", assignmentId).post({
        body: { note: "done" },
      }),
      "200",
    );
    must(
      await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "job-1", assignmentId).post({
        body: { dispositionCode: "resolved" },
      }),
      "200",
    );
    const closed = must(await client.path("/routing/jobs/{jobId}", "job-1").get(), "200");
    assert.equal(closed.status, "closed");
    for (const type of ["RouterJobReceived", "RouterJobQueued", "RouterWorkerOfferIssued", "RouterWorkerOfferAccepted", "RouterJobCompleted", "RouterJobClosed"]) {
      assert.ok(seen.includes(type), `${type} in ${seen.join(", ")}`);
    }
  });

  test("the request reaches the emulator signed and with the pipeline's headers; the response keeps the emulator's", async () => {
    const inner = new RouterEmulator({ clock: "manual", startTime: START });
    disposables.push(inner);
    const calls = [];
    const spy = {
      handle(method, target, headers, body) {
        calls.push({ method, target, headers, body });
        return inner.handle(method, target, headers, body);
      },
    };
    const client = officialClient(`endpoint=https://spy.communication.azure.com/;accesskey=${KEY}`, createEmulatorHttpClient(spy));
    let raw;
    const res = await client.path("/routing/queues/{queueId}", "q 1").get({ onResponse: (r) => (raw = r) });
    assert.equal(res.status, "404");
    assert.equal(calls.length, 1);
    const call = calls[0];
    assert.equal(call.method, "GET");
    assert.equal(call.target, "/routing/queues/q%201?api-version=2023-11-01");
    assert.equal(call.body, "");
    assert.match(call.headers.authorization, /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/);
    assert.ok(call.headers["x-ms-date"]);
    assert.ok(call.headers["x-ms-content-sha256"]);
    assert.ok(call.headers["x-ms-client-request-id"]);
    assert.match(call.headers["user-agent"] ?? call.headers["x-ms-useragent"], /core-rest-pipeline/);
    for (const name of Object.keys(call.headers)) assert.equal(name, name.toLowerCase());
    // The pipeline response: status a number, headers case-insensitive.
    assert.equal(raw.status, 404);
    assert.equal(raw.headers.get("Content-Type"), res.headers["content-type"]);
    assert.match(raw.bodyAsText, /communicationError/);
  });

  test("errors: a 404 body as the service gives it, and a 409 deleting a queue that holds a job", async () => {
    const { conn, emulator } = freshEndpoint("errors");
    disposables.push(emulator);
    const client = officialClient(conn, createEmulatorHttpClient(conn));
    const missing = await client.path("/routing/jobs/{jobId}", "nope").get();
    assert.equal(missing.status, "404");
    assert.equal(missing.body.communicationError.code, "NotFound");
    assert.equal(typeof missing.body.communicationError.message, "string");

    await seed(client);
    must(
      await client.path("/routing/jobs/{jobId}", "j").patch({ contentType: MERGE, body: { channelId: "chat", queueId: "q1" } }),
      "201",
    );
    const conflict = await client.path("/routing/queues/{queueId}", "q1").delete();
    assert.equal(conflict.status, "409");
    assert.equal(conflict.body.communicationError.code, "Conflict");
    // A 4xx is a response, not a transport failure: the pipeline's retry policy leaves it alone (one call).
    assert.equal(must(await client.path("/routing/queues/{queueId}", "q1").get(), "200").id, "q1");
  });

  test("paged lists: maxpagesize and nextLink through the official client (the package's paginate helper)", async () => {
    const { conn, emulator } = freshEndpoint("paging");
    disposables.push(emulator);
    const client = officialClient(conn, createEmulatorHttpClient(conn));
    must(
      await client.path("/routing/distributionPolicies/{distributionPolicyId}", "dp").patch({
        contentType: MERGE,
        body: { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } },
      }),
      "201",
    );
    for (let i = 0; i < 7; i++) {
      must(
        await client.path("/routing/queues/{queueId}", `q${i}`).patch({ contentType: MERGE, body: { distributionPolicyId: "dp" } }),
        "201",
      );
    }
    const first = must(await client.path("/routing/queues").get({ queryParameters: { maxpagesize: 3 } }), "200");
    assert.equal(first.value.length, 3);
    assert.ok(first.nextLink);
    const second = must(await client.pathUnchecked(first.nextLink).get(), "200");
    assert.equal(second.value.length, 3);

    const firstResponse = await client.path("/routing/queues").get({ queryParameters: { maxpagesize: 3 } });
    const ids = [];
    for await (const queue of paginate(client, firstResponse)) ids.push(queue.id);
    assert.deepEqual(ids.sort(), ["q0", "q1", "q2", "q3", "q4", "q5", "q6"]);
    const pages = [];
    for await (const page of paginate(client, firstResponse).byPage()) pages.push(page.length);
    assert.deepEqual(pages, [3, 3, 1]);
  });

  test("one resource with JobRouter(conn) clients of the same endpoint, both ways", async () => {
    const { conn, emulator } = freshEndpoint("shared");
    disposables.push(emulator);
    const official = officialClient(conn, createEmulatorHttpClient(conn));
    const ours = JobRouter(conn);
    assert.equal(ours.emulator, emulator);
    await seed(official);
    const job = await ours.path("/routing/jobs/{jobId}", "j1").patch({
      contentType: MERGE,
      body: { channelId: "voice", queueId: "q1" },
    });
    assert.equal(job.status, "201");
    const worker = must(await official.path("/routing/workers/{workerId}", "w1").get(), "200");
    assert.equal(worker.offers[0].jobId, "j1");
    // The clock of the shared emulator drives what the official client sees: the offer expires after 60 s and
    // the job is offered again.
    const expired = [];
    emulator.on("RouterWorkerOfferExpired", (event) => expired.push(event.data.offerId));
    await emulator.clock.advance(61_000);
    assert.deepEqual(expired, [worker.offers[0].offerId]);
    const again = must(await official.path("/routing/workers/{workerId}", "w1").get(), "200").offers;
    assert.equal(again.length, 1);
    assert.notEqual(again[0].offerId, worker.offers[0].offerId);
    assert.equal(again[0].offeredAt, "2024-01-01T00:01:00+00:00");
  });

  test("every target kind: an emulator, an endpoint URL, a connection string, omitted (by request origin)", async () => {
    const privateEmulator = new RouterEmulator({ clock: "manual", startTime: START });
    disposables.push(privateEmulator);
    const a = freshEndpoint("kind-a");
    const b = freshEndpoint("kind-b");
    disposables.push(a.emulator, b.emulator);
    const upsert = (client, id) =>
      client.path("/routing/distributionPolicies/{distributionPolicyId}", id).patch({
        contentType: MERGE,
        body: { offerExpiresAfterSeconds: 30, mode: { kind: "roundRobin" } },
      });
    const exists = async (emulator, id) =>
      (await emulator.handle("GET", `/routing/distributionPolicies/${id}?api-version=2023-11-01`)).status === 200;

    // A RouterEmulator: whatever the URL's host.
    must(await upsert(officialClient(a.conn, createEmulatorHttpClient(privateEmulator)), "by-instance"), "201");
    assert.ok(await exists(privateEmulator, "by-instance"));
    assert.ok(!(await exists(a.emulator, "by-instance")));

    // An endpoint URL (any case, with or without the slash) and a connection string: that endpoint's emulator.
    must(await upsert(officialClient(a.conn, createEmulatorHttpClient(a.endpoint.toUpperCase().replace("HTTPS", "https"))), "by-url"), "201");
    assert.ok(await exists(a.emulator, "by-url"));
    must(await upsert(officialClient(b.conn, createEmulatorHttpClient(b.conn)), "by-conn"), "201");
    assert.ok(await exists(b.emulator, "by-conn"));

    // Omitted: each request to its own origin's emulator.
    const routed = createEmulatorHttpClient();
    must(await upsert(officialClient(a.conn, routed), "by-origin-a"), "201");
    must(await upsert(officialClient(b.conn, routed), "by-origin-b"), "201");
    assert.ok(await exists(a.emulator, "by-origin-a"));
    assert.ok(await exists(b.emulator, "by-origin-b"));
    assert.ok(!(await exists(a.emulator, "by-origin-b")));

    // A string target follows the endpoint's shared emulator when the old one is disposed.
    const c = freshEndpoint("kind-c");
    const byString = createEmulatorHttpClient(c.endpoint);
    c.emulator.dispose();
    must(await upsert(officialClient(c.conn, byString), "after-dispose"), "201");
    const replacement = RouterEmulator.for(c.endpoint);
    disposables.push(replacement);
    assert.notEqual(replacement, c.emulator);
    assert.ok(await exists(replacement, "after-dispose"));
  });

  test("wrong targets are a TypeError saying what is expected", () => {
    for (const bad of [42, true, {}, [], () => {}, "", "not a url", "ftp://x.example/", "endpoint=;accesskey=x"]) {
      assert.throws(
        () => createEmulatorHttpClient(bad),
        (error) => error instanceof TypeError && /createEmulatorHttpClient\(target\)/.test(error.message),
        `target ${String(bad)}`,
      );
    }
  });
});

describe("createEmulatorHttpClient: PipelineRequest handling", { skip }, () => {
  const emulator = new RouterEmulator({ clock: "manual", startTime: START });
  disposables.push(emulator);
  const client = createEmulatorHttpClient(emulator);
  const BASE = "https://requests.communication.azure.com";
  const policyBody = JSON.stringify({ offerExpiresAfterSeconds: 45, mode: { kind: "longestIdle" } });

  function request(id, body, extra = {}) {
    return createPipelineRequest({
      url: `${BASE}/routing/distributionPolicies/${id}?api-version=2023-11-01`,
      method: "PATCH",
      headers: createHttpHeaders({ "Content-Type": MERGE }),
      body,
      ...extra,
    });
  }

  const bytes = () => new TextEncoder().encode(policyBody);
  const bodies = {
    string: () => policyBody,
    Uint8Array: bytes,
    "Buffer (an ArrayBufferView with an offset)": () => Buffer.from(`xx${policyBody}`).subarray(2),
    ArrayBuffer: () => bytes().buffer,
    DataView: () => new DataView(bytes().buffer),
    Blob: () => new Blob([policyBody], { type: MERGE }),
    "web ReadableStream": () =>
      new ReadableStream({
        start(controller) {
          const all = bytes();
          // split inside a multi-byte character would be wrong if decoded chunk by chunk
          controller.enqueue(all.subarray(0, 10));
          controller.enqueue(all.subarray(10));
          controller.close();
        },
      }),
    "function returning a web stream": () => () => new Blob([policyBody]).stream(),
    "Node stream": () => Readable.from([Buffer.from(policyBody.slice(0, 7)), policyBody.slice(7)]),
    "function returning a Node stream": () => () => Readable.from([Buffer.from(policyBody)]),
  };
  for (const [kind, make] of Object.entries(bodies)) {
    test(`body as ${kind}`, async () => {
      const id = `dp-${kind.replace(/[^a-z]/gi, "")}`;
      const res = await client.sendRequest(request(id, make()));
      assert.equal(res.status, 201, res.bodyAsText);
      assert.equal(JSON.parse(res.bodyAsText).offerExpiresAfterSeconds, 45);
    });
  }

  test("multi-byte UTF-8 split across stream chunks", async () => {
    const text = JSON.stringify({ name: "Öffnungszeiten – 営業時間 🚀", offerExpiresAfterSeconds: 45, mode: { kind: "longestIdle" } });
    const all = new TextEncoder().encode(text);
    const chunks = [];
    for (let i = 0; i < all.length; i += 3) chunks.push(all.subarray(i, i + 3));
    const res = await client.sendRequest(request("dp-utf8", Readable.from(chunks.map((c) => Buffer.from(c)))));
    assert.equal(res.status, 201);
    assert.equal(JSON.parse(res.bodyAsText).name, "Öffnungszeiten – 営業時間 🚀");
  });

  test("undefined and null bodies are empty; GET and DELETE", async () => {
    for (const body of [undefined, null]) {
      const res = await client.sendRequest(
        createPipelineRequest({ url: `${BASE}/routing/queues?api-version=2023-11-01`, method: "GET", body }),
      );
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.bodyAsText).value, []);
    }
    await client.sendRequest(request("dp-del", policyBody));
    const deleted = await client.sendRequest(
      createPipelineRequest({ url: `${BASE}/routing/distributionPolicies/dp-del?api-version=2023-11-01`, method: "DELETE" }),
    );
    assert.equal(deleted.status, 204);
    assert.equal(deleted.bodyAsText, "");
  });

  test("unsupported bodies reject with a TypeError; nothing reaches the emulator", async () => {
    const unsupported = {
      number: 42,
      object: { offerExpiresAfterSeconds: 45 },
      FormData: new FormData(),
      "function returning a number": () => 7,
    };
    for (const [kind, body] of Object.entries(unsupported)) {
      await assert.rejects(client.sendRequest(request("dp-bad", body)), (error) => {
        assert.ok(error instanceof TypeError, kind);
        assert.match(error.message, /jobrouter-emulator: (unsupported request body type|FormData)/);
        return true;
      });
    }
    await assert.rejects(
      client.sendRequest({ ...request("dp-bad", policyBody), multipartBody: { parts: [] } }),
      /multipart and form-data request bodies are not supported/,
    );
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue({ not: "bytes" });
        controller.close();
      },
    });
    await assert.rejects(client.sendRequest(request("dp-bad", stream)), /unsupported type/);
    const res = await emulator.handle("GET", "/routing/distributionPolicies/dp-bad?api-version=2023-11-01");
    assert.equal(res.status, 404);
    await assert.rejects(client.sendRequest(null), TypeError);
    await assert.rejects(client.sendRequest({ url: "/relative", method: "GET" }), /not an absolute URL/);
    await assert.rejects(client.sendRequest({ url: "ftp://x.example/routing", method: "GET" }), /only http\(s\) URLs/);
  });

  test("headers: an HttpHeaders object, an iterable, a plain object; response headers are case-insensitive", async () => {
    const target = `${BASE}/routing/distributionPolicies/dp-h?api-version=2023-11-01`;
    const first = await client.sendRequest(request("dp-h", policyBody));
    const etag = first.headers.get("ETag");
    assert.ok(etag);
    // If-Match with a stale etag, in each header form: 412 each time.
    const stale = '"0x0000000000000000"';
    for (const headers of [
      createHttpHeaders({ "Content-Type": MERGE, "If-Match": stale }),
      new Headers({ "Content-Type": MERGE, "If-Match": stale }),
      { "Content-Type": MERGE, "If-Match": stale },
    ]) {
      const res = await client.sendRequest({ url: target, method: "PATCH", headers, body: policyBody });
      assert.equal(res.status, 412, `headers as ${headers.constructor.name}`);
    }
    const res = await client.sendRequest({
      url: target,
      method: "patch",
      headers: createHttpHeaders({ "Content-Type": MERGE, "If-Match": etag }),
      body: policyBody,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("etag"), etag, "identical content keeps the etag");
    assert.ok(res.headers.has("CONTENT-TYPE"));
    res.headers.set("X-Custom", "1");
    assert.equal(res.headers.get("x-custom"), "1");
    assert.equal(res.headers.toJSON({ preserveCase: true })["X-Custom"], "1");
    assert.equal(res.headers.toJSON()["x-custom"], "1");
    assert.ok([...res.headers].some(([name, value]) => name === "x-custom" && value === "1"));
    res.headers.delete("X-CUSTOM");
    assert.equal(res.headers.has("x-custom"), false);
  });

  test("abortSignal: already aborted rejects with an AbortError before anything is served", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      client.sendRequest(request("dp-aborted", policyBody, { abortSignal: controller.signal })),
      (error) => error.name === "AbortError",
    );
    const res = await emulator.handle("GET", "/routing/distributionPolicies/dp-aborted?api-version=2023-11-01");
    assert.equal(res.status, 404);
  });

  test("abortSignal through the official client: the SDK sees an AbortError", async () => {
    const official = officialClient(`endpoint=${BASE}/;accesskey=${KEY}`, client);
    await assert.rejects(
      async () => official.path("/routing/queues").get({ abortSignal: AbortSignal.abort() }),
      (error) => error.name === "AbortError",
    );
  });

  test("abort while a slow event listener holds the response: AbortError", async () => {
    const slow = new RouterEmulator({ clock: "manual", startTime: START });
    disposables.push(slow);
    let release;
    slow.on("RouterWorkerRegistered", () => new Promise((resolve) => (release = resolve)));
    const controller = new AbortController();
    const pending = createEmulatorHttpClient(slow).sendRequest(
      createPipelineRequest({
        url: `${BASE}/routing/workers/w?api-version=2023-11-01`,
        method: "PATCH",
        headers: createHttpHeaders({ "content-type": MERGE }),
        body: JSON.stringify({ capacity: 1, availableForOffers: true }),
        abortSignal: controller.signal,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await assert.rejects(pending, (error) => error.name === "AbortError");
    release?.();
  });

  test("request.timeout: an answer held longer (injected latency) rejects with an AbortError", async (t) => {
    const slow = new RouterEmulator({ clock: "manual", startTime: START });
    disposables.push(slow);
    if (typeof slow.faults?.latency !== "function") {
      t.skip("emulator.faults.latency is not there");
      return;
    }
    slow.faults.latency({ ms: 60_000, clock: "virtual" });
    const official = officialClient(`endpoint=${BASE}/;accesskey=${KEY}`, createEmulatorHttpClient(slow));
    const started = Date.now();
    await assert.rejects(
      async () => official.path("/routing/queues").get({ timeout: 50 }),
      (error) => error.name === "AbortError" && /timed out after 50 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 5000);
    // Without a timeout the answer comes once the virtual clock has moved on (the SDK sends the request a few
    // ticks after the call: the clock moves until the answer is there).
    let settled = false;
    const pending = Promise.resolve(official.path("/routing/queues").get()).finally(() => (settled = true));
    for (let i = 0; i < 100 && !settled; i++) {
      await slow.clock.advance(60_000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal((await pending).status, "200");
    slow.faults.clear();
  });

  test("http: URLs need allowInsecureConnection, as with the SDK's own transports", async () => {
    const url = "http://127.0.0.1:9/routing/queues?api-version=2023-11-01";
    await assert.rejects(
      client.sendRequest(createPipelineRequest({ url, method: "GET" })),
      /Cannot connect to http:\/\/127\.0\.0\.1:9\/routing\/queues\?api-version=2023-11-01 while allowInsecureConnection is false/,
    );
    const res = await client.sendRequest(createPipelineRequest({ url, method: "GET", allowInsecureConnection: true }));
    assert.equal(res.status, 200);
  });

  test("progress callbacks get the byte counts", async () => {
    const up = [];
    const down = [];
    const text = JSON.stringify({ offerExpiresAfterSeconds: 45, mode: { kind: "longestIdle" }, name: "é" });
    const res = await client.sendRequest(
      request("dp-progress", text, {
        onUploadProgress: (p) => up.push(p.loadedBytes),
        onDownloadProgress: (p) => down.push(p.loadedBytes),
      }),
    );
    assert.deepEqual(up, [text.length + 1], "bytes, not characters");
    assert.deepEqual(down, [new TextEncoder().encode(res.bodyAsText).length]);
  });

  test("streamed responses: readableStreamBody in Node (the official client's asNodeStream)", async () => {
    const official = officialClient(`endpoint=${BASE}/;accesskey=${KEY}`, client);
    must(
      await official.path("/routing/distributionPolicies/{distributionPolicyId}", "dp-s").patch({
        contentType: MERGE,
        body: { offerExpiresAfterSeconds: 45, mode: { kind: "longestIdle" } },
      }),
      "200",
      "201",
    );
    const streamed = await official.path("/routing/distributionPolicies/{distributionPolicyId}", "dp-s").get().asNodeStream();
    assert.equal(streamed.status, "200");
    assert.equal(typeof streamed.body.pipe, "function", "a Node Readable");
    const chunks = [];
    for await (const chunk of streamed.body) chunks.push(Buffer.from(chunk));
    assert.equal(JSON.parse(Buffer.concat(chunks).toString("utf8")).id, "dp-s");

    // A 404, streamed too (the SDK asks for every status: Number.POSITIVE_INFINITY).
    const missing = await official.path("/routing/distributionPolicies/{distributionPolicyId}", "nope").get().asNodeStream();
    assert.equal(missing.status, "404");
    let missingText = "";
    for await (const chunk of missing.body) missingText += Buffer.from(chunk).toString("utf8");
    assert.equal(JSON.parse(missingText).communicationError.code, "NotFound");

    // Only the listed statuses are streamed.
    const only404 = await client.sendRequest(
      createPipelineRequest({
        url: `${BASE}/routing/distributionPolicies/dp-s?api-version=2023-11-01`,
        method: "GET",
        streamResponseStatusCodes: new Set([404]),
      }),
    );
    assert.equal(only404.readableStreamBody, undefined);
    assert.equal(JSON.parse(only404.bodyAsText).id, "dp-s");
  });

  test("streamed responses without Node's stream module: browserStreamBody, or blobBody", async () => {
    const saved = process.getBuiltinModule;
    process.getBuiltinModule = undefined;
    try {
      const base = {
        url: `${BASE}/routing/distributionPolicies/dp-s?api-version=2023-11-01`,
        method: "GET",
        streamResponseStatusCodes: new Set([Number.POSITIVE_INFINITY]),
      };
      const web = await client.sendRequest(createPipelineRequest({ ...base, enableBrowserStreams: true }));
      assert.equal(web.readableStreamBody, undefined);
      assert.equal(web.bodyAsText, undefined);
      assert.equal(JSON.parse(await new Response(web.browserStreamBody).text()).id, "dp-s");
      const blob = await client.sendRequest(createPipelineRequest(base));
      const body = await blob.blobBody;
      assert.equal(JSON.parse(await body.text()).id, "dp-s");
      assert.match(body.type, /^application\/json/);
    } finally {
      process.getBuiltinModule = saved;
    }
  });
});

describe("createEmulatorHttpClient: types", () => {
  test("http-client.d.ts: assignable to the SDK's httpClient option (tsc, strict)", async () => {
    const { repoModule, typeErrors } = await import("./tsc-check.mjs");
    const errors = await typeErrors(
      [
        `import { createEmulatorHttpClient } from ${JSON.stringify(repoModule("http-client.js"))};`,
        'import { getClient } from "@azure-rest/core-client";',
        'import type { HttpClient, PipelineRequest } from "@azure/core-rest-pipeline";',
        'const viaEndpoint: HttpClient = createEmulatorHttpClient("https://x.communication.azure.com");',
        "const viaNothing: HttpClient = createEmulatorHttpClient();",
        'getClient("https://x.communication.azure.com", { httpClient: createEmulatorHttpClient() });',
        "async function check(request: PipelineRequest): Promise<number> {",
        "  const response = await viaEndpoint.sendRequest(request);",
        '  const etag: string | undefined = response.headers.get("etag");',
        "  return response.status + (etag ? 1 : 0) + (viaNothing ? 0 : 1);",
        "}",
        "void check;",
        "// @ts-expect-error a number is no target",
        "createEmulatorHttpClient(42);",
        "",
      ].join("\n"),
    );
    assert.deepEqual(errors, []);
  });
});

describe("the adapters bundle for browsers", () => {
  test("esbuild, platform browser: http-client, msw and playwright adapters import no Node built-in", async () => {
    const { build } = await import("esbuild");
    for (const file of ["http-client.js", "msw.js", "playwright.js"]) {
      const result = await build({
        entryPoints: [path.join(ROOT, "js", file)],
        bundle: true,
        platform: "browser",
        format: "esm",
        write: false,
        logLevel: "silent",
        external: ["msw"],
        metafile: true,
      });
      const inputs = Object.keys(result.metafile.inputs);
      assert.ok(!inputs.some((input) => input.startsWith("node:") || /^(fs|path|stream|zlib|http|crypto)$/.test(input)), `${file}: ${inputs.join(", ")}`);
      const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
      assert.deepEqual(imports.filter((name) => name !== "msw"), [], `${file} imports only msw at run time`);
    }
  });
});
