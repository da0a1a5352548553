// jobrouter-emulator/playwright: a browser app's calls to https://contoso.communication.azure.com/routing/...
// answered, through Playwright's routing, by an emulator in the test process, which the test drives (clock,
// events, explain). Debian's chromium via playwright-core; the app is a small page served on 127.0.0.1 by a
// node:http server whose script calls the endpoint with fetch, cross-origin, so CORS is part of every call.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumSkipReason, launchChromium } from "./support/chromium.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const coreBuilt = existsSync(path.join(ROOT, "js", "generated", "jobrouter-core.js"));

const { routeJobRouter } = await import("../../js/playwright.js");
const { RouterEmulator } = await import("../../js/node.js");
const skip = !coreBuilt
  ? "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)"
  : chromiumSkipReason("the Playwright adapter test");

const ENDPOINT = "https://contoso.communication.azure.com";
const API = "api-version=2023-11-01";

// ---- the app under test --------------------------------------------------------------------------------------

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Support desk</title></head>
<body>
  <button id="setup">Set up</button>
  <button id="offers">Refresh offers</button>
  <button id="accept">Accept</button>
  <dl>
    <dt>Queue</dt><dd id="queue"></dd>
    <dt>ETag</dt><dd id="etag"></dd>
    <dt>Last-Modified</dt><dd id="last-modified"></dd>
    <dt>Offers</dt><dd><ul id="offer-list"></ul></dd>
    <dt>Assignment</dt><dd id="assignment"></dd>
    <dt>Job</dt><dd id="job"></dd>
    <dt>Error</dt><dd id="error"></dd>
  </dl>
  <script type="module" src="/app.js"></script>
</body></html>`;

const APP = `
const endpoint = "${ENDPOINT}";
const api = "${API}";
const merge = "application/merge-patch+json";
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  const response = await fetch(endpoint + path + (path.includes("?") ? "&" : "?") + api, {
    method,
    headers: body === undefined ? { accept: "application/json" } : { "content-type": merge, "x-ms-client-request-id": crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(method + " " + path + ": " + response.status + " " + (json?.communicationError?.code ?? ""));
  return { json, headers: response.headers };
}

function guard(fn) {
  return () => fn().then(() => { $("error").textContent = ""; }, (error) => { $("error").textContent = String(error.message || error); });
}

let offerId = null;

$("setup").onclick = guard(async () => {
  await call("PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
  await call("PATCH", "/routing/queues/q", { distributionPolicyId: "dp", name: "Support", labels: { tier: "gold", region: "eu" } });
  await call("PATCH", "/routing/queues/q", { labels: { region: null } });
  const queue = await call("GET", "/routing/queues/q");
  $("queue").textContent = queue.json.name + " " + JSON.stringify(queue.json.labels);
  $("etag").textContent = queue.headers.get("etag") ?? "(hidden)";
  $("last-modified").textContent = queue.headers.get("last-modified") ?? "(hidden)";
  await call("PATCH", "/routing/workers/w", {
    capacity: 1, queues: ["q"], channels: [{ channelId: "chat", capacityCostPerJob: 1 }], availableForOffers: true,
  });
  await call("PATCH", "/routing/workers/w2", {
    capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true,
  });
  await call("PATCH", "/routing/jobs/j1", { channelId: "chat", queueId: "q", priority: 3 });
  document.body.dataset.setup = "done";
});

$("offers").onclick = guard(async () => {
  const worker = await call("GET", "/routing/workers/w");
  $("offer-list").replaceChildren(...worker.json.offers.map((offer) => {
    const li = document.createElement("li");
    li.dataset.offer = offer.offerId;
    li.textContent = offer.jobId + " offered at " + offer.offeredAt + " until " + offer.expiresAt;
    return li;
  }));
  offerId = worker.json.offers[0]?.offerId ?? null;
});

$("accept").onclick = guard(async () => {
  const accepted = await call("POST", "/routing/workers/w/offers/" + offerId + ":accept");
  $("assignment").textContent = accepted.json.assignmentId;
  const job = await call("GET", "/routing/jobs/" + accepted.json.jobId);
  $("job").textContent = job.json.status;
});

document.body.dataset.ready = "true";
`;

function startSite() {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else if (pathname === "/app.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(APP);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      }),
    ),
  );
}

const launch = () => launchChromium();

describe("routeJobRouter with a page (Chromium)", { skip }, () => {
  let site;
  let browser;
  let page;
  let routed;
  let emulator;
  const events = [];
  const responses = [];
  const problems = [];

  before(async () => {
    site = await startSite();
    browser = await launch();
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", (response) => {
      if (response.url().startsWith(ENDPOINT)) {
        responses.push({ method: response.request().method(), url: response.url(), status: response.status(), headers: response.headers() });
      }
    });
    emulator = RouterEmulator.for(ENDPOINT, { clock: "manual", startTime: "2024-01-01T00:00:00Z", seed: 11 });
    emulator.on("*", (event) => events.push({ type: event.eventType.replace("Microsoft.Communication.", ""), data: event.data }));
    routed = await routeJobRouter(page, { endpoint: `${ENDPOINT}/` });
    await page.goto(site.url);
    await page.waitForSelector("body[data-ready=true]");
  });
  after(async () => {
    await routed?.unroute();
    await browser?.close();
    await site?.close();
    emulator?.dispose();
  });

  test("the endpoint's shared emulator is the one routed", () => {
    assert.equal(routed.emulator, emulator);
  });

  test("merge-patch upserts and a GET from the page: the page shows the queue, etag and last-modified readable", async () => {
    await page.click("#setup");
    await page.waitForSelector("body[data-setup=done]");
    assert.equal(await page.textContent("#error"), "");
    assert.equal(await page.textContent("#queue"), 'Support {"Id":"q","tier":"gold"}');
    const held = JSON.parse((await emulator.handle("GET", `/routing/queues/q?${API}`)).body);
    assert.deepEqual(held.labels, { Id: "q", tier: "gold" });
    assert.equal(await page.textContent("#etag"), held.etag, "etag exposed to the page");
    assert.equal(await page.textContent("#last-modified"), "Mon, 01 Jan 2024 00:00:00 GMT");

    // Every answer carried the page's origin and the exposed headers.
    const get = responses.find((r) => r.method === "GET" && r.url.includes("/routing/queues/q?"));
    assert.equal(get.status, 200);
    assert.equal(get.headers["access-control-allow-origin"], site.origin);
    const exposed = get.headers["access-control-expose-headers"].split(/,\s*/);
    for (const name of ["etag", "last-modified", "api-supported-versions", "x-ms-error-code", "x-ms-client-request-id"]) {
      assert.ok(exposed.includes(name), `${name} exposed`);
    }
  });

  test("the test drives the emulator: events of the page's calls, explain, the clock expiring the offer", async () => {
    const types = events.map((e) => e.type);
    for (const type of ["RouterWorkerRegistered", "RouterJobReceived", "RouterJobQueued", "RouterWorkerOfferIssued"]) {
      assert.ok(types.includes(type), `${type} in ${types.join(", ")}`);
    }
    const firstOffer = events.find((e) => e.type === "RouterWorkerOfferIssued").data;
    assert.equal(firstOffer.workerId, "w");

    const explanation = emulator.explain("j1");
    assert.deepEqual(
      explanation.workers.map((w) => [w.workerId, w.code]),
      [["w", "AlreadyOffered"], ["w2", "ChannelNotServed"]],
    );

    await page.click("#offers");
    await page.waitForSelector(`#offer-list li[data-offer="${firstOffer.offerId}"]`);
    assert.match(await page.textContent("#offer-list"), /j1 offered at 2024-01-01T00:00:00\+00:00 until 2024-01-01T00:01:00\+00:00/);

    // 61 s later the offer has expired and the job is offered again; the page sees the new offer.
    await emulator.clock.advance(61_000);
    const expired = events.filter((e) => e.type === "RouterWorkerOfferExpired").map((e) => e.data.offerId);
    assert.deepEqual(expired, [firstOffer.offerId]);
    await page.click("#offers");
    await page.waitForFunction(
      (old) => {
        const item = document.querySelector("#offer-list li");
        return item && item.dataset.offer !== old;
      },
      firstOffer.offerId,
    );
    assert.match(await page.textContent("#offer-list"), /j1 offered at 2024-01-01T00:01:00\+00:00/);
  });

  test("accepting from the page: the page shows the assignment, the emulator holds it", async () => {
    await page.click("#accept");
    await page.waitForFunction(() => document.querySelector("#job").textContent !== "");
    assert.equal(await page.textContent("#error"), "");
    assert.equal(await page.textContent("#job"), "assigned");
    const assignmentId = await page.textContent("#assignment");
    const job = JSON.parse((await emulator.handle("GET", `/routing/jobs/j1?${API}`)).body);
    assert.equal(job.status, "assigned");
    assert.deepEqual(Object.keys(job.assignments), [assignmentId]);
    assert.equal(job.assignments[assignmentId].workerId, "w");
    assert.ok(events.some((e) => e.type === "RouterWorkerOfferAccepted" && e.data.assignmentId === assignmentId));
  });

  test("errors reach the page as the service's answers (a second accept of a gone offer)", async () => {
    await page.click("#accept");
    await page.waitForFunction(() => document.querySelector("#error").textContent !== "");
    assert.match(await page.textContent("#error"), /^POST \/routing\/workers\/w\/offers\/.+:accept: 404 NotFound$/);
  });

  // Chromium's own CORS preflights never reach a route handler (Playwright answers them itself while a route is
  // set); an explicit OPTIONS does, and other browsers' preflights may (see the stand-in page test below).
  test("an explicit OPTIONS from the page is answered 204 with CORS headers (origin echoed, methods, max-age)", async () => {
    const status = await page.evaluate(async (url) => (await fetch(url, { method: "OPTIONS", headers: { "x-custom": "1" } })).status, `${ENDPOINT}/routing/queues/q?${API}`);
    assert.equal(status, 204);
    const options = responses.filter((r) => r.method === "OPTIONS" && r.status === 204);
    assert.ok(options.length >= 1);
    const last = options.at(-1);
    assert.equal(last.headers["access-control-allow-origin"], site.origin);
    assert.match(last.headers["access-control-allow-methods"], /PATCH/);
    assert.equal(last.headers["access-control-max-age"], "86400");
    assert.deepEqual(problems, []);
  });

  test("unroute(): the page's calls are no longer answered by the emulator", async () => {
    const before = (await emulator.handle("GET", `/routing/queues?${API}`)).body;
    await routed.unroute();
    await routed.unroute();  // idempotent
    const outcome = await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, {
          method: "PATCH",
          headers: { "content-type": "application/merge-patch+json" },
          body: JSON.stringify({ distributionPolicyId: "dp" }),
          signal: AbortSignal.timeout(5000),
        });
        return `status ${response.status}`;
      } catch (error) {
        return `failed: ${error.name}`;
      }
    }, `${ENDPOINT}/routing/queues/after-unroute?${API}`);
    assert.match(outcome, /^failed: /);
    assert.equal((await emulator.handle("GET", `/routing/queues?${API}`)).body, before);
  });
});

describe("routeJobRouter with a BrowserContext, options.emulator, failures, bad input", { skip }, () => {
  let site;
  let browser;
  let context;

  before(async () => {
    site = await startSite();
    browser = await launch();
    context = await browser.newContext();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await site?.close();
  });

  test("a context's pages are routed to options.emulator (a private one)", async () => {
    const privateEmulator = new RouterEmulator({ clock: "manual", startTime: "2024-01-01T00:00:00Z" });
    const routed = await routeJobRouter(context, { endpoint: `endpoint=${ENDPOINT}/;accesskey=a2V5`, emulator: privateEmulator });
    try {
      assert.equal(routed.emulator, privateEmulator);
      for (const name of ["one", "two"]) {
        const page = await context.newPage();
        await page.goto(site.url);
        await page.waitForSelector("body[data-ready=true]");
        const status = await page.evaluate(async ([url, id]) => {
          const response = await fetch(`${url}/routing/distributionPolicies/${id}?api-version=2023-11-01`, {
            method: "PATCH",
            headers: { "content-type": "application/merge-patch+json" },
            body: JSON.stringify({ offerExpiresAfterSeconds: 10, mode: { kind: "roundRobin" } }),
          });
          return response.status;
        }, [ENDPOINT, name]);
        assert.equal(status, 201);
        await page.close();
      }
      const list = JSON.parse((await privateEmulator.handle("GET", `/routing/distributionPolicies?${API}`)).body);
      assert.deepEqual(list.value.map((p) => p.id).sort(), ["one", "two"]);
    } finally {
      await routed.unroute();
      privateEmulator.dispose();
    }
  });

  test("an emulator failure is answered 500 with a reason, readable by the page", async () => {
    const failing = { handle: () => Promise.reject(new Error("core went away")), ready: () => Promise.resolve() };
    const page = await context.newPage();
    const routed = await routeJobRouter(page, { endpoint: ENDPOINT, emulator: failing });
    try {
      await page.goto(site.url);
      const answer = await page.evaluate(async (url) => {
        const response = await fetch(`${url}/routing/queues?api-version=2023-11-01`);
        return { status: response.status, body: await response.json() };
      }, ENDPOINT);
      assert.equal(answer.status, 500);
      assert.equal(answer.body.error.code, "EmulatorError");
      assert.match(answer.body.error.message, /core went away/);
    } finally {
      await routed.unroute();
      await page.close();
    }
  });

  test("other origins and paths are not routed", async () => {
    const calls = [];
    const spy = {
      ready: () => Promise.resolve(),
      handle(method, target) {
        calls.push(`${method} ${target}`);
        return Promise.resolve({ status: 200, headers: { "content-type": "text/plain" }, body: "ok" });
      },
    };
    const page = await context.newPage();
    const routed = await routeJobRouter(page, { endpoint: site.url, emulator: spy });
    try {
      await page.goto(site.url);  // the site itself (/, /app.js) is not under /routing: served by the site
      await page.waitForSelector("body[data-ready=true]");
      const text = await page.evaluate(async () => (await fetch("/routing/x?y=1")).text());
      assert.equal(text, "ok");
      assert.deepEqual(calls, ["GET /routing/x?y=1"]);
    } finally {
      await routed.unroute();
      await page.close();
    }
  });

  test("bad input is a TypeError saying what is expected", async () => {
    for (const bad of [undefined, null, {}, { route() {} }, "page"]) {
      await assert.rejects(routeJobRouter(bad, { endpoint: ENDPOINT }), (error) => error instanceof TypeError && /pageOrContext/.test(error.message));
    }
    for (const bad of [undefined, {}, { endpoint: 1 }, { endpoint: "nope" }, { endpoint: ENDPOINT, emulator: {} }]) {
      await assert.rejects(routeJobRouter(context, bad), (error) => error instanceof TypeError && /^routeJobRouter: /.test(error.message));
    }
  });
});

describe("routeJobRouter with a stand-in page (no browser): the route's matcher and handler", { skip: coreBuilt ? false : "core not built" }, () => {
  /** A page-like object keeping what route() is given; requests are replayed through the handler. */
  function fakePage() {
    const routes = [];
    return {
      routes,
      async route(url, handler) {
        routes.push({ url, handler });
      },
      async unroute(url, handler) {
        const i = routes.findIndex((r) => r.url === url && r.handler === handler);
        if (i >= 0) routes.splice(i, 1);
      },
      /** Sends a request through the first matching route; resolves to what was fulfilled. */
      async send({ method = "GET", url, headers = {}, body = null }) {
        const hit = routes.find((r) => r.url(new URL(url)));
        if (!hit) return null;
        let answer;
        const request = {
          method: () => method,
          url: () => url,
          headers: () => headers,
          allHeaders: async () => headers,
          postData: () => body,
          postDataBuffer: () => (body === null ? null : Buffer.from(body)),
        };
        await hit.handler({ request: () => request, fulfill: async (a) => void (answer = a) }, request);
        return answer;
      },
    };
  }

  test("a preflight gets 204: origin, methods, the requested headers echoed, max-age", async () => {
    const emulator = new RouterEmulator({ clock: "manual" });
    const page = fakePage();
    const routed = await routeJobRouter(page, { endpoint: ENDPOINT, emulator });
    try {
      const answer = await page.send({
        method: "OPTIONS",
        url: `${ENDPOINT}/routing/queues/q?${API}`,
        headers: { origin: "http://app.test:3000", "access-control-request-method": "PATCH", "access-control-request-headers": "content-type,x-ms-date,authorization" },
      });
      assert.equal(answer.status, 204);
      assert.equal(answer.headers["access-control-allow-origin"], "http://app.test:3000");
      assert.equal(answer.headers["access-control-allow-headers"], "content-type,x-ms-date,authorization");
      assert.equal(answer.headers["access-control-allow-methods"], "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      assert.equal(answer.headers["access-control-max-age"], "86400");
      assert.equal(answer.headers.vary, "Origin, Access-Control-Request-Headers");
      // A REST call with the body as postData; without Origin the emulator's headers come back unchanged.
      const put = await page.send({
        method: "PATCH",
        url: `${ENDPOINT}/routing/distributionPolicies/dp?${API}`,
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ name: "Ünïcode", offerExpiresAfterSeconds: 5, mode: { kind: "longestIdle" } }),
      });
      assert.equal(put.status, 201);
      assert.equal(JSON.parse(put.body).name, "Ünïcode");
      const direct = await emulator.handle("GET", `/routing/distributionPolicies/dp?${API}`);
      const get = await page.send({ url: `${ENDPOINT}/routing/distributionPolicies/dp?${API}` });
      assert.deepEqual(get, { status: direct.status, headers: direct.headers, body: direct.body });
      // Matching: the endpoint's origin, any case, /routing and below only.
      assert.equal(await page.send({ url: "https://CONTOSO.communication.azure.com/routing" }).then((a) => a.status), 404);
      assert.equal(await page.send({ url: `${ENDPOINT}/routingx` }), null);
      assert.equal(await page.send({ url: `${ENDPOINT}:444/routing/queues` }), null);
      assert.equal(await page.send({ url: `http://contoso.communication.azure.com/routing/queues` }), null);
      await routed.unroute();
      assert.equal(page.routes.length, 0);
    } finally {
      emulator.dispose();
    }
  });
});

describe("routeJobRouter: types", () => {
  test("playwright.d.ts: takes playwright-core's Page and BrowserContext (tsc, strict)", async () => {
    const { repoModule, typeErrors } = await import("./tsc-check.mjs");
    const errors = await typeErrors(
      [
        `import { routeJobRouter } from ${JSON.stringify(repoModule("playwright.js"))};`,
        'import type { Page, BrowserContext } from "playwright-core";',
        "export async function f(page: Page, context: BrowserContext): Promise<string> {",
        '  const routed = await routeJobRouter(page, { endpoint: "https://x.communication.azure.com" });',
        "  await routed.emulator.clock.advance(1000);",
        "  await routed.unroute();",
        '  await routeJobRouter(context, { endpoint: "endpoint=https://x.communication.azure.com/;accesskey=a2V5" });',
        "  // @ts-expect-error the endpoint is required",
        "  await routeJobRouter(page, {});",
        "  return routed.emulator.clock.now();",
        "}",
        "",
      ].join("\n"),
    );
    assert.deepEqual(errors, []);
  });
});
