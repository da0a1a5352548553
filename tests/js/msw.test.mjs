// jobrouter-emulator/msw: MSW 2 handlers answering an endpoint's REST routes from an emulator.
// Node: setupServer (msw/node) with plain fetch, and the official Azure REST pipeline over its own default
// transport (both intercepted). Browser: setupWorker in Debian's chromium (playwright-core), the page bundled
// by esbuild with "jobrouter-emulator" and "jobrouter-emulator/msw" resolved to this repository's js/ files,
// msw's worker script copied next to it in a temporary folder.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumSkipReason, launchChromium } from "./support/chromium.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const coreBuilt = existsSync(path.join(ROOT, "js", "generated", "jobrouter-core.js"));
const skip = coreBuilt ? false : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const { setupServer } = await import("msw/node");
const { getClient } = await import("@azure-rest/core-client");
const { createCommunicationAuthPolicy, parseClientArguments } = await import("@azure/communication-common");
const { jobRouterHandlers } = await import("../../js/msw.js");
const { JobRouter, RouterEmulator } = await import("../../js/node.js");
const browserSkip = skip || chromiumSkipReason("the MSW browser test");

const MERGE = "application/merge-patch+json";
const API = "api-version=2023-11-01";
const KEY = "ZGV2ZWxvcG1lbnQta2V5";
const START = "2024-01-01T00:00:00Z";
const ENDPOINT = "https://msw-node.communication.azure.com";
const CONN = `endpoint=${ENDPOINT}/;accesskey=${KEY}`;

function officialClient(connectionString) {
  const { url, credential } = parseClientArguments(connectionString);
  const client = getClient(url, { apiVersion: "2023-11-01" });
  client.pipeline.addPolicy(createCommunicationAuthPolicy(credential));
  return client;
}

function must(res, ...statuses) {
  assert.ok(statuses.includes(res.status), `expected ${statuses.join("/")}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function send(method, pathAndQuery, { body, headers = {}, base = ENDPOINT } = {}) {
  const response = await fetch(`${base}${pathAndQuery}`, {
    method,
    headers: body === undefined ? headers : { "content-type": MERGE, ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), text, json: text ? JSON.parse(text) : undefined };
}

describe("jobRouterHandlers in Node (msw/node setupServer)", { skip }, () => {
  let server;
  let emulator;
  const unhandled = [];

  before(() => {
    emulator = RouterEmulator.for(CONN, { clock: "manual", startTime: START, seed: 5 });
    server = setupServer(...jobRouterHandlers({ endpoint: CONN }));
    server.listen({ onUnhandledRequest: (request) => unhandled.push(`${request.method} ${request.url}`) });
  });
  after(() => {
    server?.close();
    emulator?.dispose();
  });

  test("one handler per endpoint; plain fetch: upserts, GET, query strings, request headers, statuses", async () => {
    assert.equal(jobRouterHandlers({ endpoint: ENDPOINT }).length, 1);
    const dp = await send("PATCH", `/routing/distributionPolicies/dp1?${API}`, {
      body: { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } },
    });
    assert.equal(dp.status, 201);
    const queue = await send("PATCH", `/routing/queues/q1?${API}`, { body: { distributionPolicyId: "dp1" } });
    assert.equal(queue.status, 201);
    assert.ok(queue.headers.etag);

    // The response is the emulator's, exactly: same status, headers and body as a direct call.
    const viaFetch = await send("GET", `/routing/queues/q1?${API}`);
    const direct = await emulator.handle("GET", `/routing/queues/q1?${API}`);
    assert.equal(viaFetch.status, direct.status);
    assert.deepEqual(viaFetch.headers, direct.headers);
    assert.equal(viaFetch.text, direct.body);

    // The query string goes through (a missing api-version is the emulator's 400; paging parameters work).
    assert.equal((await send("GET", "/routing/queues/q1")).status, 400);
    await send("PATCH", `/routing/queues/q2?${API}`, { body: { distributionPolicyId: "dp1" } });
    const page = await send("GET", `/routing/queues?${API}&maxpagesize=1`);
    assert.equal(page.json.value.length, 1);
    assert.ok(page.json.nextLink);
    // Request headers go through: a stale If-Match is a 412.
    const stale = await send("PATCH", `/routing/queues/q1?${API}`, { body: { name: "x" }, headers: { "if-match": '"0x0"' } });
    assert.equal(stale.status, 412);
    const ok = await send("PATCH", `/routing/queues/q1?${API}`, { body: { name: "x" }, headers: { "if-match": queue.headers.etag } });
    assert.equal(ok.status, 200);
    // Errors and empty bodies.
    const missing = await send("GET", `/routing/jobs/none?${API}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.communicationError.code, "NotFound");
    const deleted = await send("DELETE", `/routing/queues/q2?${API}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    const head = await fetch(`${ENDPOINT}/routing/queues/q1?${API}`, { method: "HEAD" });
    assert.ok(head.status === 200 || head.status === 405, `HEAD ${head.status}`);
    assert.equal(await head.text(), "");
    assert.deepEqual(unhandled, []);
  });

  test("the official Azure REST pipeline over its default transport: the offer flow, signed, intercepted", async () => {
    const client = officialClient(CONN);
    must(
      await client.path("/routing/workers/{workerId}", "w1").patch({
        contentType: MERGE,
        body: { capacity: 10, queues: ["q1"], channels: [{ channelId: "voice", capacityCostPerJob: 10 }], availableForOffers: true },
      }),
      "201",
    );
    must(
      await client.path("/routing/jobs/{jobId}", "job-1").patch({ contentType: MERGE, body: { channelId: "voice", queueId: "q1" } }),
      "201",
    );
    const worker = must(await client.path("/routing/workers/{workerId}", "w1").get(), "200");
    const offer = worker.offers[0];
    assert.equal(offer.jobId, "job-1");
    const accepted = must(await client.path("/routing/workers/{workerId}/offers/{offerId}:accept", "w1", offer.offerId).post(), "200");
    must(
      await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:complete", "job-1", accepted.assignmentId).post({ body: {} }),
      "200",
    );
    must(
      await client.path("/routing/jobs/{jobId}/assignments/{assignmentId}:close", "job-1", accepted.assignmentId).post({ body: {} }),
      "200",
    );
    assert.equal(must(await client.path("/routing/jobs/{jobId}", "job-1").get(), "200").status, "closed");
    // The same resource as JobRouter(conn) in this process.
    const ours = JobRouter(CONN);
    assert.equal((await ours.path("/routing/jobs/{jobId}", "job-1").get()).body.status, "closed");
    assert.deepEqual(unhandled, []);
  });

  test("only the endpoint's /routing paths are handled: other origins, ports and paths are not", async () => {
    const before = unhandled.length;
    await fetch(`http://127.0.0.1:9/routing/queues?${API}`).catch(() => {});
    await fetch(`${ENDPOINT}:8443/routing/queues?${API}`).catch(() => {});
    await fetch(`${ENDPOINT}/routingx?${API}`).catch(() => {});
    await fetch(`${ENDPOINT}/emulator/health`).catch(() => {});
    assert.equal(unhandled.length - before, 4, unhandled.slice(before).join("\n"));
    // /routing itself and the host in any case are handled (the emulator answers: no such route).
    const bare = await send("GET", `/routing?${API}`, { base: ENDPOINT.toUpperCase().replace("HTTPS", "https") });
    assert.equal(bare.status, 404);
    assert.equal(unhandled.length - before, 4);
  });

  test("CORS: OPTIONS answered 204 with CORS headers; a request with Origin gets CORS headers added", async () => {
    const preflight = await fetch(`${ENDPOINT}/routing/queues/q1?${API}`, {
      method: "OPTIONS",
      headers: { origin: "http://app.example", "access-control-request-method": "PATCH", "access-control-request-headers": "content-type, if-match" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://app.example");
    assert.match(preflight.headers.get("access-control-allow-methods"), /PATCH/);
    assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type, if-match");
    assert.equal(preflight.headers.get("access-control-max-age"), "86400");

    const cross = await send("GET", `/routing/queues/q1?${API}`, { headers: { origin: "http://app.example" } });
    assert.equal(cross.status, 200);
    assert.equal(cross.headers["access-control-allow-origin"], "http://app.example");
    const exposed = cross.headers["access-control-expose-headers"].split(/,\s*/);
    for (const name of ["etag", "last-modified"]) assert.ok(exposed.includes(name), name);
    // Without Origin (server-side code), nothing is added.
    const plain = await send("GET", `/routing/queues/q1?${API}`);
    assert.equal(plain.headers["access-control-allow-origin"], undefined);
  });

  test("options.emulator: a private emulator answers; an emulator failure is a 500 with a reason", async () => {
    const privateEmulator = new RouterEmulator({ clock: "manual", startTime: START });
    const failing = { handle: () => Promise.reject(new Error("core went away")), ready: () => Promise.resolve() };
    server.use(
      ...jobRouterHandlers({ endpoint: "https://msw-private.communication.azure.com/", emulator: privateEmulator }),
      ...jobRouterHandlers({ endpoint: "https://msw-failing.communication.azure.com", emulator: failing }),
    );
    try {
      const created = await send("PATCH", `/routing/queues/only-here?${API}`, {
        base: "https://msw-private.communication.azure.com",
        body: { distributionPolicyId: "dp1" },
      });
      assert.equal(created.status, 400, "dp1 does not exist in the private emulator");
      assert.equal((await send("GET", `/routing/queues/q1?${API}`, { base: "https://msw-private.communication.azure.com" })).status, 404);
      const failed = await send("GET", `/routing/queues?${API}`, { base: "https://msw-failing.communication.azure.com" });
      assert.equal(failed.status, 500);
      assert.equal(failed.json.error.code, "EmulatorError");
      assert.match(failed.json.error.message, /core went away/);
    } finally {
      server.resetHandlers();
      privateEmulator.dispose();
    }
  });

  test("bad options are a TypeError saying what is expected", () => {
    for (const bad of [undefined, null, "https://x.communication.azure.com", [], {}, { endpoint: 5 }, { endpoint: "" },
      { endpoint: "not a url" }, { endpoint: "ftp://x.example" }, { endpoint: ENDPOINT, emulator: {} }, { endpoint: ENDPOINT, emulator: "e" }]) {
      assert.throws(() => jobRouterHandlers(bad), (error) => error instanceof TypeError && /^jobRouterHandlers: /.test(error.message), JSON.stringify(bad));
    }
  });
});

// ---- browser -------------------------------------------------------------------------------------------------

/** The page's code: msw's setupWorker with the package's handlers, and the emulator in the page. */
const PAGE_SOURCE = `
import { setupWorker } from "msw/browser";
import { jobRouterHandlers } from "jobrouter-emulator/msw";
import { RouterEmulator } from "jobrouter-emulator";

const endpoint = "https://contoso.communication.azure.com";
const emulator = new RouterEmulator({ clock: "manual", startTime: "2024-01-01T00:00:00Z" });
const worker = setupWorker(...jobRouterHandlers({ endpoint, emulator }));
await worker.start({ serviceWorker: { url: "/mockServiceWorker.js" }, onUnhandledRequest: "bypass", quiet: true });
const events = [];
emulator.on("*", (event) => events.push(event.eventType.replace("Microsoft.Communication.", "")));
window.jr = { endpoint, emulator, events };
document.body.dataset.ready = "true";
`;

async function bundlePage(dir) {
  const { build } = await import("esbuild");
  const aliases = {
    "jobrouter-emulator": path.join(ROOT, "js", "index.js"),
    "jobrouter-emulator/msw": path.join(ROOT, "js", "msw.js"),
  };
  const result = await build({
    stdin: { contents: PAGE_SOURCE, resolveDir: ROOT, sourcefile: "page.js", loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "jobrouter-emulator-in-repo",
        setup(b) {
          b.onResolve({ filter: /^jobrouter-emulator(\/msw)?$/ }, (args) => ({ path: aliases[args.path] }));
        },
      },
    ],
  });
  writeFileSync(path.join(dir, "page.js"), result.outputFiles[0].contents);
  writeFileSync(
    path.join(dir, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><title>msw</title></head><body><script type="module" src="/page.js"></script></body></html>',
  );
  const mswRoot = path.dirname(createRequire(import.meta.url).resolve("msw/package.json"));
  copyFileSync(path.join(mswRoot, "lib", "mockServiceWorker.js"), path.join(dir, "mockServiceWorker.js"));
}

function serveFolder(dir) {
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://localhost").pathname.replace(/^\/$/, "/index.html");
    const file = path.join(dir, path.basename(name));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      }),
    ),
  );
}

describe("jobRouterHandlers in a browser (msw/browser setupWorker, Chromium)", { skip: browserSkip }, () => {
  let dir;
  let site;
  let browser;
  let page;
  const problems = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "jr-msw-page-"));
    await bundlePage(dir);
    site = await serveFolder(dir);
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      // 4xx answers the test asks for (404, 412) are logged by Chromium as failed loads: not problems.
      if (message.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
        problems.push(`console error: ${message.text()}`);
      }
    });
    await page.goto(site.url);
    await page.waitForSelector("body[data-ready=true]", { state: "attached" });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("fetch from the page to the endpoint is answered by the emulator in the page, CORS headers readable", async () => {
    const result = await page.evaluate(async () => {
      const { endpoint, emulator, events } = window.jr;
      const api = "api-version=2023-11-01";
      const merge = { "content-type": "application/merge-patch+json" };
      const call = async (method, path, body, headers = {}) => {
        const response = await fetch(`${endpoint}${path}${path.includes("?") ? "&" : "?"}${api}`, {
          method,
          headers: body === undefined ? headers : { ...merge, ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, etag: response.headers.get("etag"), json: text ? JSON.parse(text) : null };
      };
      const out = {};
      out.dp = (await call("PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } })).status;
      const queue = await call("PATCH", "/routing/queues/q", { distributionPolicyId: "dp", name: "Support" });
      out.queue = { status: queue.status, etag: queue.etag };
      out.get = await call("GET", "/routing/queues/q");
      out.stale = (await call("PATCH", "/routing/queues/q", { name: "x" }, { "if-match": '"0x0"' })).status;
      out.worker = (await call("PATCH", "/routing/workers/w", {
        capacity: 1, queues: ["q"], channels: [{ channelId: "chat", capacityCostPerJob: 1 }], availableForOffers: true,
      })).status;
      out.job = (await call("PATCH", "/routing/jobs/j", { channelId: "chat", queueId: "q" })).status;
      const offers = (await call("GET", "/routing/workers/w")).json.offers;
      out.accept = await call("POST", `/routing/workers/w/offers/${offers[0].offerId}:accept`);
      out.jobStatus = (await call("GET", "/routing/jobs/j")).json.status;
      out.missing = await call("GET", "/routing/jobs/none");
      const explicit = await fetch(`${endpoint}/routing/queues/q?${api}`, { method: "OPTIONS" });
      out.options = explicit.status;
      out.emulatorQueue = JSON.parse((await emulator.handle("GET", `/routing/queues/q?${api}`)).body).name;
      out.events = events;
      return out;
    });
    assert.equal(result.dp, 201);
    assert.equal(result.queue.status, 201);
    assert.ok(result.queue.etag, "etag readable by the page (exposed)");
    assert.equal(result.get.status, 200);
    assert.equal(result.get.json.name, "Support");
    assert.equal(result.get.etag, result.queue.etag);
    assert.equal(result.stale, 412);
    assert.equal(result.worker, 201);
    assert.equal(result.job, 201);
    assert.equal(result.accept.status, 200);
    assert.equal(result.accept.json.jobId, "j");
    assert.equal(result.jobStatus, "assigned");
    assert.equal(result.missing.status, 404);
    assert.equal(result.missing.json.communicationError.code, "NotFound");
    assert.equal(result.options, 204);
    assert.equal(result.emulatorQueue, "Support");
    for (const type of ["RouterJobReceived", "RouterJobQueued", "RouterWorkerOfferIssued", "RouterWorkerOfferAccepted"]) {
      assert.ok(result.events.includes(type), `${type} in ${result.events.join(", ")}`);
    }
    assert.deepEqual(problems, []);
  });
});

describe("jobRouterHandlers: types", () => {
  test("msw.d.ts: the handlers fit setupServer and setupWorker (tsc, strict)", async () => {
    const { repoModule, typeErrors } = await import("./tsc-check.mjs");
    const errors = await typeErrors(
      [
        `import { jobRouterHandlers } from ${JSON.stringify(repoModule("msw.js"))};`,
        `import { RouterEmulator } from ${JSON.stringify(repoModule("index.js"))};`,
        'import { setupServer } from "msw/node";',
        'import { setupWorker } from "msw/browser";',
        'import type { HttpHandler } from "msw";',
        'const handlers: HttpHandler[] = jobRouterHandlers({ endpoint: "https://x.communication.azure.com" });',
        "setupServer(...handlers);",
        'setupWorker(...jobRouterHandlers({ endpoint: "endpoint=https://x.communication.azure.com/;accesskey=a2V5", emulator: new RouterEmulator() }));',
        "// @ts-expect-error endpoint is required",
        "jobRouterHandlers({});",
        "// @ts-expect-error the emulator must be one",
        'jobRouterHandlers({ endpoint: "https://x.communication.azure.com", emulator: 5 });',
        "",
      ].join("\n"),
    );
    assert.deepEqual(errors, []);
  });
});
