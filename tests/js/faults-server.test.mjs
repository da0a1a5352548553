// Fault injection through the HTTP server: GET/PUT/DELETE /emulator/faults, POST /emulator/faults/fail-next,
// what signed REST requests then get (429 + Retry-After, injected failures, latency), and the CLI's --throttle
// and --latency flags.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { startServer, DEVELOPMENT_ACCESS_KEY } from "../../js/server/index.js";
import { signRequest } from "../../js/server/auth.js";
import { USAGE, parseCommandLine } from "../../js/server/cli.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = path.join(ROOT, "js", "bin.js");
const skip = existsSync(path.join(ROOT, "js", "generated", "jobrouter-core.js"))
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";
const API = "api-version=2023-11-01";

/** One HTTP request: REST targets are signed (merge-patch bodies), /emulator/ ones sent as application/json. */
function request({ host, port }, method, target, body, { contentType } = {}) {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const control = target.startsWith("/emulator/");
  const hostHeader = `${host}:${port}`;
  const headers = { host: hostHeader };
  const type = contentType ?? (control ? (method === "GET" ? undefined : "application/json") : text ? "application/merge-patch+json" : undefined);
  if (type) headers["content-type"] = type;
  if (text) headers["content-length"] = Buffer.byteLength(text);
  if (!control) Object.assign(headers, signRequest({ method, pathAndQuery: target, host: hostHeader, body: text, accessKey: DEVELOPMENT_ACCESS_KEY }));
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: target, headers }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (data += chunk));
      res.on("end", () => {
        let json;
        try {
          json = data ? JSON.parse(data) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text: data, json });
      });
    });
    req.on("error", reject);
    req.end(text || undefined);
  });
}

describe("/emulator/faults", { skip }, () => {
  let server;
  before(async () => {
    server = await startServer({ port: 0, clock: "manual", silent: true });
  });
  after(() => server?.close());

  test("GET shows nothing set; PUT sets a throttle; REST requests beyond it get 429 with Retry-After", async () => {
    assert.deepEqual((await request(server, "GET", "/emulator/faults")).json, { throttle: false, failNext: [], latency: null });
    const put = await request(server, "PUT", "/emulator/faults", { throttle: { requests: 2, perSeconds: 10 } });
    assert.equal(put.status, 200);
    assert.match(put.headers["content-type"], /^application\/json/);
    assert.deepEqual(put.json, { throttle: { requests: 2, perSeconds: 10 }, failNext: [], latency: null });
    assert.equal((await request(server, "GET", `/routing/queues?${API}`)).status, 200);
    assert.equal((await request(server, "GET", `/routing/queues?${API}`)).status, 200);
    const throttled = await request(server, "GET", `/routing/queues?${API}`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers["retry-after"], "10");
    assert.equal(throttled.json.communicationError.code, "ThrottleLimitExceededException");
    // The controls are not throttled: they are not the service.
    assert.equal((await request(server, "POST", "/emulator/clock/advance", { ms: 10_000 })).status, 200);
    assert.equal((await request(server, "GET", `/routing/queues?${API}`)).status, 200, "a new window");
    const off = await request(server, "PUT", "/emulator/faults", { throttle: false });
    assert.equal(off.json.throttle, false);
  });

  test("POST fail-next queues a rule; the next matching REST request fails and changes nothing", async () => {
    const added = await request(server, "POST", "/emulator/faults/fail-next", { method: "PATCH", path: "/routing/queues/{queueId}", status: 500 });
    assert.equal(added.status, 200);
    assert.deepEqual(added.json.failNext, [{ count: 1, status: 500, method: "PATCH", path: "/routing/queues/{queueId}" }]);
    const failed = await request(server, "PATCH", `/routing/distributionPolicies/dp?${API}`, { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
    assert.equal(failed.status, 201, "another route is served");
    const queue = await request(server, "PATCH", `/routing/queues/q1?${API}`, { distributionPolicyId: "dp" });
    assert.equal(queue.status, 500);
    assert.equal(queue.json.communicationError.code, "InternalServerError");
    assert.equal((await request(server, "GET", `/routing/queues/q1?${API}`)).status, 404);
    const regexp = await request(server, "POST", "/emulator/faults/fail-next", { path: { regexp: "^/routing/queues/q1\\?", flags: "" }, status: 503, retryAfterSeconds: 2 });
    assert.deepEqual(regexp.json.failNext[0].path, { regexp: "^\\/routing\\/queues\\/q1\\?", flags: "" });
    const unavailable = await request(server, "GET", `/routing/queues/q1?${API}`);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers["retry-after"], "2");
  });

  test("PUT: failNext replaces the queue, latency delays answers, DELETE clears", async () => {
    const put = await request(server, "PUT", "/emulator/faults", {
      failNext: [{ status: 503, count: 2 }],
      latency: { ms: 40 },
    });
    assert.deepEqual(put.json, { throttle: false, failNext: [{ count: 2, status: 503 }], latency: { ms: 40, jitterMs: 0, clock: "real" } });
    const started = performance.now();
    assert.equal((await request(server, "GET", `/routing/queues?${API}`)).status, 503);
    assert.ok(performance.now() - started >= 35, "delayed");
    const cleared = await request(server, "DELETE", "/emulator/faults");
    assert.equal(cleared.status, 200);
    assert.deepEqual(cleared.json, { throttle: false, failNext: [], latency: null });
    assert.equal((await request(server, "GET", `/routing/queues?${API}`)).status, 200);
  });

  test("bad requests: unknown fields (naming the accepted ones), bad values, wrong method or content type", async () => {
    const unknown = await request(server, "PUT", "/emulator/faults", { throttle: true, delay: 5 });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error.message, /unknown field "delay" \(accepted: throttle, failNext, latency\)/);
    const badRule = await request(server, "POST", "/emulator/faults/fail-next", { statuscode: 500 });
    assert.equal(badRule.status, 400);
    assert.match(badRule.json.error.message, /accepted: count, status, method, path, body, headers, retryAfterSeconds/);
    const badValue = await request(server, "PUT", "/emulator/faults", { latency: { ms: -5 } });
    assert.equal(badValue.status, 400);
    assert.deepEqual((await request(server, "GET", "/emulator/faults")).json, { throttle: false, failNext: [], latency: null }, "nothing changed");
    assert.equal((await request(server, "POST", "/emulator/faults", {})).status, 405);
    assert.equal((await request(server, "GET", "/emulator/faults/fail-next")).status, 405);
    const text = await request(server, "PUT", "/emulator/faults", "{}", { contentType: "text/plain" });
    assert.equal(text.status, 415);
  });
});

describe("the CLI's fault flags", { skip }, () => {
  test("--help documents --throttle and --latency; the parser checks them", () => {
    assert.match(USAGE, /--throttle\s+throttle like the service: beyond 1000 requests per 10 s/);
    assert.match(USAGE, /--latency MS\[:JITTER\]/);
    assert.deepEqual(parseCommandLine(["--throttle", "--latency", "25:10"]).faults, {
      throttle: { requests: 1000, perSeconds: 10 },
      latency: { ms: 25, jitterMs: 10, clock: "real" },
    });
    assert.equal(parseCommandLine([]).faults, undefined);
    assert.throws(() => parseCommandLine(["--latency", "fast"]), /--latency needs MS or MS:JITTER/);
  });

  test("a server started with --throttle --latency has them set, and says so in its banner", async () => {
    const child = spawn(process.execPath, [BIN, "--port", "0", "--clock", "manual", "--throttle", "--latency", "5:3"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const banner = await new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => reject(new Error(`the CLI did not start: ${stdout} ${stderr}`)), 15_000);
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.stdout.on("data", (chunk) => {
          stdout += chunk;
          if (stdout.includes("Press Ctrl+C")) {
            clearTimeout(timer);
            resolve(stdout);
          }
        });
        child.on("exit", (code) => reject(new Error(`the CLI exited with ${code}: ${stdout} ${stderr}`)));
      });
      assert.match(banner, /Faults\s+throttle 1000 requests per 10 s; latency 5 ms \+ 0\.\.3 ms/);
      const [, host, port] = /Endpoint\s+http:\/\/([\d.]+):(\d+)\//.exec(banner);
      const faults = await request({ host, port: Number(port) }, "GET", "/emulator/faults");
      assert.deepEqual(faults.json, {
        throttle: { requests: 1000, perSeconds: 10 },
        failNext: [],
        latency: { ms: 5, jitterMs: 3, clock: "real" },
      });
    } finally {
      child.kill("SIGTERM");
    }
  });
});
