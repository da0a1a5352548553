// Security of the HTTP server (README "Security"): the Host check against DNS rebinding, the
// same-origin control plane (Origin, Sec-Fetch-Site, CORS, content type), the access key on the
// controls beyond loopback, secrets kept out of the --debug log and error messages, the control
// endpoints' body checks, and — in Chromium — a page of another local origin that tries to reset,
// read and replace the emulator's state and read its config, all refused, while the demo served by
// the emulator itself still asks for the key once when one is needed.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { chromiumSkipReason, launchChromium } from "./support/chromium.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const coreBuilt = ["jobrouter-core.js", "jobrouter-core.mjs"].some((file) => existsSync(path.join(ROOT, "js", "generated", file)));
const skip = coreBuilt ? false : "the WebAssembly core (js/generated/) is absent: build it first (npm run build)";

const { startServer } = await import("../../js/server/index.js");
const { signRequest } = await import("../../js/server/auth.js");
const { parseCommandLine, banner, USAGE, UsageError } = await import("../../js/server/cli.js");
const { isLoopbackHost, hostCheck, secretScrubber } = await import("../../js/server/security.js");

const API = "api-version=2023-11-01";
const MERGE = "application/merge-patch+json";
const JSON_TYPE = "application/json";
/** A key of our own, so that the scrubbing test looks for a string nothing else contains. */
const CUSTOM_KEY = Buffer.from("server-security-test key 7f3a9c1e, never to be logged").toString("base64");

/** A non-loopback IPv4 address of this machine, if it has one (traffic stays on this machine). */
function ownNonLoopbackAddress() {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === "IPv4" && !entry.internal && !isLoopbackHost(entry.address)) return entry.address;
    }
  }
  return null;
}

/**
 * One raw HTTP request. `host` overrides the Host header; `sign` signs it (REST or control) with `key`.
 * @returns {Promise<{ status: number, headers: object, text: string, json: any }>}
 */
function request(server, method, pathAndQuery, { body, headers = {}, host, sign = false, key = server.accessKey, contentType } = {}) {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const hostHeader = host ?? `${server.host}:${server.port}`;
  const signed = sign ? signRequest({ method, pathAndQuery, host: hostHeader, body: text, accessKey: key }) : {};
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: server.host,
        port: server.port,
        method,
        path: pathAndQuery,
        headers: {
          host: hostHeader,
          ...(contentType ? { "content-type": contentType } : {}),
          ...(text ? { "content-length": Buffer.byteLength(text) } : {}),
          ...signed,
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          let json;
          try {
            json = raw ? JSON.parse(raw) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, text: raw, json });
        });
      },
    );
    req.on("error", reject);
    if (text) req.write(text);
    req.end();
  });
}

/** A queue and a clock moved forward, so that a reset or a state import would show. */
async function seed(server) {
  const dp = await request(server, "PATCH", `/routing/distributionPolicies/dp?${API}`, {
    sign: true,
    contentType: MERGE,
    body: { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } },
  });
  assert.equal(dp.status, 201, dp.text);
  const queue = await request(server, "PATCH", `/routing/queues/q-kept?${API}`, {
    sign: true,
    contentType: MERGE,
    body: { distributionPolicyId: "dp" },
  });
  assert.equal(queue.status, 201, queue.text);
  await server.emulator.clock.advance(90_000);
}

describe("Host check (DNS rebinding)", { skip }, () => {
  let server;
  before(async () => {
    server = await startServer({ port: 0, clock: "manual", silent: true, allowedHosts: ["jobrouter.test", ".corp.test"] });
  });
  after(() => server.close());

  test("a name that is not allowed gets 421 naming --allowed-host, on every path", async () => {
    for (const target of ["/emulator/config", "/emulator/state", `/routing/queues?${API}`, "/"]) {
      const res = await request(server, "GET", target, { host: `evil.example:${server.port}` });
      assert.equal(res.status, 421, target);
      assert.equal(res.json.error.code, "MisdirectedRequest");
      assert.match(res.json.error.message, /--allowed-host evil\.example/);
      assert.equal(res.headers["access-control-allow-origin"], undefined);
      assert.doesNotMatch(res.text, new RegExp(server.accessKey.slice(0, 20)));
    }
    const post = await request(server, "POST", "/emulator/reset", { host: "rebound.example", contentType: JSON_TYPE });
    assert.equal(post.status, 421);
  });

  test("the bound address, localhost, 127.0.0.1, [::1], IP addresses and --allowed-host names are served", async () => {
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      "LOCALHOST",
      `[::1]:${server.port}`,
      `app.localhost:${server.port}`,
      `192.0.2.77:${server.port}`,
      `jobrouter.test:${server.port}`,
      "corp.test",
      `deep.sub.corp.test:${server.port}`,
    ]) {
      const res = await request(server, "GET", "/emulator/health", { host });
      assert.equal(res.status, 200, `${host}: ${res.text}`);
    }
    for (const host of ["jobrouter.test.evil.example", "notcorp.test", "corp.test.evil.example"]) {
      assert.equal((await request(server, "GET", "/emulator/health", { host })).status, 421, host);
    }
  });

  test("hostCheck: a bound host name is served, others are not", () => {
    const check = hostCheck({ boundHost: "myhost", allowedHosts: [] });
    assert.equal(check("myhost:8089"), null);
    assert.equal(check(undefined), null);
    assert.match(check("other:8089"), /--allowed-host other/);
  });
});

describe("same-origin control plane", { skip }, () => {
  let server;
  const allowed = "http://localhost:5173";
  before(async () => {
    server = await startServer({ port: 0, clock: "manual", silent: true, corsOrigins: [allowed] });
    await seed(server);
  });
  after(() => server.close());

  test("the issue's requests from https://evil.example are all refused and change nothing", async () => {
    const before = server.emulator.exportState();
    const evil = { origin: "https://evil.example" };
    const reset = await request(server, "POST", "/emulator/reset", { headers: evil, contentType: "text/plain", body: "{}" });
    assert.equal(reset.status, 403);
    assert.equal(reset.json.error.code, "Forbidden");
    assert.match(reset.json.error.message, /--cors-origin/);
    assert.equal(reset.headers["access-control-allow-origin"], undefined);
    const preflight = await request(server, "OPTIONS", "/emulator/state", {
      headers: { ...evil, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers["access-control-allow-origin"], undefined);
    for (const target of ["/emulator/config", "/emulator/state", "/emulator/clock", "/emulator/events"]) {
      const read = await request(server, "GET", target, { headers: evil });
      assert.equal(read.status, 403, target);
      assert.equal(read.headers["access-control-allow-origin"], undefined, target);
    }
    const put = await request(server, "PUT", "/emulator/state", { headers: evil, contentType: JSON_TYPE, body: before });
    assert.equal(put.status, 403);
    const opaque = await request(server, "POST", "/emulator/reset", { headers: { origin: "null" }, contentType: JSON_TYPE });
    assert.equal(opaque.status, 403);
    assert.equal(server.emulator.exportState(), before);
  });

  test("Sec-Fetch-Site cross-site or same-site without Origin: writes and subresource reads refused, navigations not", async () => {
    const write = await request(server, "POST", "/emulator/clock/advance", {
      headers: { "sec-fetch-site": "cross-site" },
      contentType: JSON_TYPE,
      body: { ms: 1000 },
    });
    assert.equal(write.status, 403);
    const sameSite = await request(server, "POST", "/emulator/reset", { headers: { "sec-fetch-site": "same-site" }, contentType: JSON_TYPE });
    assert.equal(sameSite.status, 403);
    const img = await request(server, "GET", "/emulator/state", { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" } });
    assert.equal(img.status, 403);
    const link = await request(server, "GET", "/emulator/health", { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" } });
    assert.equal(link.status, 200);
    const own = await request(server, "GET", "/emulator/clock", { headers: { "sec-fetch-site": "same-origin" } });
    assert.equal(own.status, 200);
  });

  test("the server's own origin and --cors-origin origins get CORS naming them, never *", async () => {
    const own = `http://127.0.0.1:${server.port}`;
    const same = await request(server, "GET", "/emulator/clock", { headers: { origin: own } });
    assert.equal(same.status, 200);
    assert.equal(same.headers["access-control-allow-origin"], own);
    const viaLocalhost = await request(server, "GET", "/emulator/clock", {
      host: `localhost:${server.port}`,
      headers: { origin: `http://localhost:${server.port}` },
    });
    assert.equal(viaLocalhost.status, 200);
    const preflight = await request(server, "OPTIONS", "/emulator/clock/advance", {
      headers: { origin: allowed, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], allowed);
    assert.match(preflight.headers["access-control-allow-methods"], /POST/);
    assert.match(preflight.headers["access-control-allow-headers"], /content-type/);
    assert.match(preflight.headers.vary, /Origin/);
    const config = await request(server, "GET", "/emulator/config", { headers: { origin: allowed } });
    assert.equal(config.status, 200);
    assert.equal(config.headers["access-control-allow-origin"], allowed);
    // Another port of an allowed host is another origin.
    const otherPort = await request(server, "GET", "/emulator/config", { headers: { origin: "http://localhost:5174" } });
    assert.equal(otherPort.status, 403);
  });

  test("the REST API keeps its permissive CORS (its signature protects it)", async () => {
    const preflight = await request(server, "OPTIONS", `/routing/queues/q1?${API}`, {
      headers: { origin: "https://evil.example", "access-control-request-method": "PATCH" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], "*");
    const unsigned = await request(server, "GET", `/routing/queues?${API}`, { headers: { origin: "https://evil.example" } });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers["access-control-allow-origin"], "*");
  });

  test("POST/PUT controls need content-type application/json (a browser must preflight them)", async () => {
    const before = server.emulator.exportState();
    for (const [type, body] of [
      [undefined, undefined],
      ["text/plain", "{}"],
      ["application/x-www-form-urlencoded", "a=1"],
      ["multipart/form-data; boundary=x", "--x--"],
      ["application/merge-patch+json", "{}"],
    ]) {
      const res = await request(server, "POST", "/emulator/reset", { contentType: type, body });
      assert.equal(res.status, 415, `${type}: ${res.text}`);
      assert.equal(res.json.error.code, "UnsupportedMediaType");
      assert.match(res.json.error.message, /content-type: application\/json/);
    }
    const put = await request(server, "PUT", "/emulator/state", { contentType: "text/plain", body: before });
    assert.equal(put.status, 415);
    const advance = await request(server, "POST", "/emulator/clock/advance?ms=1000", {});
    assert.equal(advance.status, 415);
    assert.equal(server.emulator.exportState(), before);
    const withCharset = await request(server, "POST", "/emulator/clock/advance", {
      contentType: "Application/JSON; charset=utf-8",
      body: { ms: 1000 },
    });
    assert.equal(withCharset.status, 200, withCharset.text);
    const restored = await request(server, "PUT", "/emulator/state", { contentType: JSON_TYPE, body: before });
    assert.equal(restored.status, 200);
  });
});

describe("control endpoints: JSON bodies, 401 message", { skip }, () => {
  let server;
  before(async () => {
    server = await startServer({ port: 0, clock: "manual", silent: true });
  });
  after(() => server.close());

  test("unknown fields get a 400 naming the accepted ones, and move nothing", async () => {
    const start = server.emulator.clock.now();
    const cases = [
      ["/emulator/clock/advance", { seconds: 60 }, /"seconds".*takes "ms"/],
      ["/emulator/clock/set", { when: "2024-01-02T00:00:00Z" }, /"when".*takes "time"/],
      ["/emulator/clock", { paused: true, mode: "manual" }, /"paused".*takes "mode", "speed"/],
      ["/emulator/reset", { hard: true }, /"hard".*takes no fields/],
      ["/emulator/webhook/validate", { validationCode: "x" }, /"validationCode".*takes "code"/],
    ];
    for (const [target, body, pattern] of cases) {
      const res = await request(server, "POST", target, { contentType: JSON_TYPE, body });
      assert.equal(res.status, 400, `${target}: ${res.text}`);
      assert.equal(res.json.error.code, "UnknownField");
      assert.match(res.json.error.message, pattern);
    }
    const empty = await request(server, "POST", "/emulator/clock/advance", { contentType: JSON_TYPE, body: {} });
    assert.equal(empty.status, 400);
    assert.match(empty.json.error.message, /ms/);
    assert.equal(server.emulator.clock.now(), start);
    const ok = await request(server, "POST", "/emulator/clock/advance", { contentType: JSON_TYPE, body: { ms: 60_000 } });
    assert.equal(ok.status, 200);
    assert.notEqual(ok.json.now, start);
    assert.equal((await request(server, "POST", "/emulator/reset", { contentType: JSON_TYPE, body: {} })).status, 200);
    assert.equal((await request(server, "POST", "/emulator/reset", { contentType: JSON_TYPE })).status, 200);
  });

  test("a 401 keeps the service's error shape and says how to sign or to use --no-auth", async () => {
    const res = await request(server, "GET", `/routing/queues?${API}`);
    assert.equal(res.status, 401);
    assert.equal(res.json.error.code, "Denied");
    assert.match(res.json.error.message, /Authorization header is missing/);
    assert.match(res.json.error.message, /HMAC-SHA256/);
    assert.match(res.json.error.message, /connection string/);
    assert.match(res.json.error.message, /--no-auth/);
  });

  test("on loopback the controls need no key", async () => {
    assert.equal(server.options.requireControlKey, false);
    assert.equal((await request(server, "GET", "/emulator/config")).status, 200);
  });
});

describe("the access key on the controls beyond loopback", { skip }, () => {
  const address = ownNonLoopbackAddress();
  let server;
  before(async () => {
    // Bound to an address of this machine's own network interface when it has one; else loopback
    // with the key forced on (the same code path, minus the detection).
    server = address
      ? await startServer({ host: address, port: 0, clock: "manual", silent: true, accessKey: CUSTOM_KEY })
      : await startServer({ port: 0, clock: "manual", silent: true, accessKey: CUSTOM_KEY, requireControlKey: true });
  });
  after(() => server?.close());

  test(`bound to ${address ?? "loopback (forced)"}: the key is required, by default only beyond loopback`, () => {
    assert.equal(server.options.requireControlKey, true);
    assert.equal(isLoopbackHost("127.0.0.1"), true);
    assert.equal(isLoopbackHost("127.8.9.10"), true);
    assert.equal(isLoopbackHost("::1"), true);
    assert.equal(isLoopbackHost("localhost"), true);
    assert.equal(isLoopbackHost("0.0.0.0"), false);
    assert.equal(isLoopbackHost("::"), false);
    assert.equal(isLoopbackHost("192.0.2.2"), false);
  });

  test("without the key, or with a wrong one, the controls answer 401 and do nothing", async () => {
    await server.emulator.clock.advance(5000);
    const before = server.emulator.exportState();
    const none = await request(server, "GET", "/emulator/config");
    assert.equal(none.status, 401);
    assert.equal(none.json.error.code, "Denied");
    assert.match(none.json.error.message, /Bearer <access key>/);
    assert.match(none.headers["www-authenticate"], /^Bearer/);
    assert.doesNotMatch(none.text, new RegExp(CUSTOM_KEY.slice(0, 16)));
    const wrong = await request(server, "POST", "/emulator/reset", {
      contentType: JSON_TYPE,
      headers: { authorization: `Bearer ${Buffer.from("wrong").toString("base64")}` },
    });
    assert.equal(wrong.status, 401);
    const badSignature = await request(server, "POST", "/emulator/reset", { contentType: JSON_TYPE, sign: true, key: "d3Jvbmc=" });
    assert.equal(badSignature.status, 401);
    assert.equal((await request(server, "GET", "/emulator/health")).status, 401);
    assert.equal(server.emulator.exportState(), before);
  });

  test("Authorization: Bearer <key> or the HMAC signature opens them", async () => {
    const bearer = { authorization: `Bearer ${CUSTOM_KEY}` };
    const config = await request(server, "GET", "/emulator/config", { headers: bearer });
    assert.equal(config.status, 200);
    assert.equal(config.json.accessKey, CUSTOM_KEY);
    const advance = await request(server, "POST", "/emulator/clock/advance", { contentType: JSON_TYPE, body: { ms: 1000 }, sign: true });
    assert.equal(advance.status, 200, advance.text);
    const reset = await request(server, "POST", "/emulator/reset", { contentType: JSON_TYPE, headers: bearer });
    assert.equal(reset.status, 200);
  });

  test("the web demo's files and the signed REST API work as before", async () => {
    assert.equal((await request(server, "GET", "/")).status, 200);
    const list = await request(server, "GET", `/routing/queues?${API}`, { sign: true });
    assert.equal(list.status, 200, list.text);
  });

  test("the banner says the key is required", () => {
    const text = banner(server);
    assert.match(text, /Control key\s+required on \/emulator\//);
    assert.match(text, /Bearer <access key>/);
  });
});

describe("no secret in the --debug log or in error messages", { skip }, () => {
  let dir;
  let logFile;
  let server;
  const answers = [];
  const signatures = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "jobrouter-emulator-security-"));
    logFile = path.join(dir, "requests.log");
    server = await startServer({
      port: 0,
      clock: "manual",
      silent: true,
      accessKey: CUSTOM_KEY,
      requireControlKey: true,
      maxBodyBytes: 4096,
      debug: logFile,
    });
    const host = `${server.host}:${server.port}`;
    const keep = (res) => {
      answers.push(res);
      return res;
    };
    const signed = (method, target, body) => {
      const headers = signRequest({ method, pathAndQuery: target, host, body: body ?? "", accessKey: CUSTOM_KEY });
      signatures.push(/Signature=(\S+)/.exec(headers.authorization)[1]);
      return headers;
    };
    // a good signed REST call (its signature is in the request), a bad one, the key as a Bearer token
    const patchBody = JSON.stringify({ offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
    keep(await request(server, "PATCH", `/routing/distributionPolicies/dp?${API}`, {
      contentType: MERGE,
      body: patchBody,
      headers: signed("PATCH", `/routing/distributionPolicies/dp?${API}`, patchBody),
    }));
    const stale = signed("GET", `/routing/queues?${API}`);
    keep(await request(server, "GET", `/routing/workers?${API}`, { headers: stale }));
    keep(await request(server, "GET", `/routing/queues?${API}`, { headers: { authorization: `Bearer ${CUSTOM_KEY}` } }));
    keep(await request(server, "GET", `/routing/queues?${API}&key=${encodeURIComponent(CUSTOM_KEY)}`));
    // controls: with the key as Bearer, with it signed, a wrong key; the config (whose answer holds the key)
    keep(await request(server, "GET", "/emulator/config", { headers: { authorization: `Bearer ${CUSTOM_KEY}` } }));
    keep(await request(server, "POST", "/emulator/clock/advance", {
      contentType: JSON_TYPE,
      body: '{"ms":1000}',
      headers: signed("POST", "/emulator/clock/advance", '{"ms":1000}'),
    }));
    keep(await request(server, "GET", "/emulator/clock", { headers: { authorization: `Bearer ${CUSTOM_KEY}x` } }));
    keep(await request(server, "PUT", "/emulator/state", {
      contentType: JSON_TYPE,
      body: JSON.stringify({ notASnapshot: CUSTOM_KEY }),
      headers: { authorization: `Bearer ${CUSTOM_KEY}` },
    }));
    // refused before the core: 421, 403, 415, 413, and two preflights
    keep(await request(server, "GET", "/emulator/state", { host: "evil.example", headers: { authorization: `Bearer ${CUSTOM_KEY}` } }));
    keep(await request(server, "POST", "/emulator/reset", { contentType: JSON_TYPE, headers: { origin: "https://evil.example", authorization: `Bearer ${CUSTOM_KEY}` } }));
    keep(await request(server, "POST", "/emulator/reset", { contentType: "text/plain", headers: { authorization: `Bearer ${CUSTOM_KEY}` } }));
    keep(await request(server, "PATCH", `/routing/queues/big?${API}`, { contentType: MERGE, body: JSON.stringify({ blob: "x".repeat(8000) }) }));
    keep(await request(server, "OPTIONS", `/routing/queues/q?${API}`, { headers: { origin: "http://localhost:3000", "access-control-request-method": "PATCH" } }));
    keep(await request(server, "OPTIONS", "/emulator/state", { headers: { origin: `http://127.0.0.1:${server.port}`, "access-control-request-method": "PUT" } }));
    await server.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the log has a line per request, the refused ones included", () => {
    const lines = readFileSync(logFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((l) => l.status),
      [201, 401, 401, 401, 200, 200, 401, 400, 421, 403, 415, 413, 204, 204],
    );
    const byStatus = (status) => lines.filter((l) => l.status === status);
    assert.equal(byStatus(421)[0].refused, "host");
    assert.equal(byStatus(403)[0].refused, "origin");
    assert.equal(byStatus(403)[0].origin, "https://evil.example");
    assert.equal(byStatus(415)[0].refused, "content-type");
    assert.equal(byStatus(413)[0].refused, "body-size");
    assert.deepEqual(byStatus(401).map((l) => l.refused), ["signature", "signature", "signature", "control-key"]);
    assert.ok(byStatus(204).every((l) => l.preflight === true));
    assert.ok(lines.every((l) => typeof l.ms === "number" && !Number.isNaN(Date.parse(l.time))));
  });

  test("the log never contains the access key or a signature", () => {
    const text = readFileSync(logFile, "utf8");
    assert.ok(!text.includes(CUSTOM_KEY), "the access key is in the log");
    assert.ok(!text.includes(encodeURIComponent(CUSTOM_KEY)), "the URL-encoded access key is in the log");
    assert.ok(!text.includes(CUSTOM_KEY.slice(0, 24)), "a part of the access key is in the log");
    for (const signature of signatures) assert.ok(!text.includes(signature), `a signature is in the log: ${signature}`);
    assert.match(text, /\[redacted\]/);
  });

  test("no error message contains the access key or a signature", () => {
    const errors = answers.filter((res) => res.status >= 400);
    assert.equal(errors.length, 9);
    for (const res of errors) {
      assert.ok(res.json?.error?.message, `${res.status}: ${res.text}`);
      assert.ok(!res.text.includes(CUSTOM_KEY.slice(0, 24)), `${res.status}: ${res.text}`);
      for (const signature of signatures) assert.ok(!res.text.includes(signature));
    }
  });

  test("secretScrubber removes the key, signatures and Bearer tokens but keeps placeholders", () => {
    const scrub = secretScrubber(CUSTOM_KEY);
    assert.equal(scrub(`a ${CUSTOM_KEY} b`), "a [redacted] b");
    assert.equal(scrub("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=abc+/="), "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=[redacted]");
    assert.equal(scrub("Bearer token123"), "Bearer [redacted]");
    assert.equal(scrub("send 'Authorization: Bearer <access key>'"), "send 'Authorization: Bearer <access key>'");
  });
});

describe("command line", () => {
  test("--cors-origin and --allowed-host are repeatable and checked; --help shows them", () => {
    const { options } = parseCommandLine([
      "--cors-origin", "http://localhost:3000/",
      "--cors-origin", "https://app.example.test",
      "--allowed-host", "jobrouter",
      "--allowed-host", ".corp.test",
    ]);
    assert.deepEqual(options.corsOrigins, ["http://localhost:3000", "https://app.example.test"]);
    assert.deepEqual(options.allowedHosts, ["jobrouter", ".corp.test"]);
    for (const args of [["--cors-origin", "*"], ["--cors-origin", "localhost:3000"], ["--cors-origin", "http://x.test/path"], ["--allowed-host", "a b"], ["--allowed-host", "http://x"]]) {
      assert.throws(() => parseCommandLine(args), UsageError, args.join(" "));
    }
    for (const flag of ["--cors-origin ORIGIN", "--allowed-host NAME", "--no-auth", "--host HOST"]) assert.ok(USAGE.includes(flag), flag);
    assert.match(USAGE, /access key/);
  });
});

// ---- Chromium: a page of another origin against the emulator --------------------------------------

const browserSkip = skip || chromiumSkipReason("the control-plane browser tests");

/** A second local server (another port, so another origin) serving one page. */
async function startPageServer(html) {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

describe("in Chromium: a page of another local origin cannot reset, read or replace the emulator", { skip: browserSkip }, () => {
  let emulatorServer;
  let attacker;
  let browser;
  let dir;
  let logFile;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "jobrouter-emulator-browser-"));
    logFile = path.join(dir, "requests.log");
    emulatorServer = await startServer({ port: 0, clock: "manual", silent: true, debug: logFile });
    await seed(emulatorServer);
    attacker = await startPageServer("<!doctype html><title>another origin</title><p>nothing to see</p>");
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await attacker?.close();
    await emulatorServer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("reset, state read, state write and config read are blocked; the state is unchanged", async () => {
    const before = emulatorServer.emulator.exportState();
    const clockBefore = emulatorServer.emulator.clock.now();
    const page = await (await browser.newContext()).newPage();
    await page.goto(attacker.url);
    const results = await page.evaluate(async ({ base, snapshot }) => {
      const attempt = async (name, url, init) => {
        try {
          const res = await fetch(url, init);
          let text = null;
          try {
            text = init?.mode === "no-cors" ? null : await res.text();
          } catch {
            text = null;
          }
          return { name, outcome: res.type === "opaque" ? "opaque" : `status ${res.status}`, text };
        } catch (error) {
          return { name, outcome: `blocked: ${error.name}` };
        }
      };
      const json = { "content-type": "application/json" };
      const out = [];
      // Simple requests (no preflight): they reach the server, which must refuse them.
      out.push(await attempt("reset, simple text/plain", `${base}/emulator/reset`, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: "{}" }));
      out.push(await attempt("reset, simple without body", `${base}/emulator/reset`, { method: "POST", mode: "no-cors" }));
      out.push(await attempt("state write, simple", `${base}/emulator/state`, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: snapshot }));
      out.push({ name: "reset, sendBeacon", outcome: `beacon queued: ${navigator.sendBeacon(`${base}/emulator/reset`, "{}")}` });
      // CORS requests: preflighted or not readable.
      out.push(await attempt("reset, JSON", `${base}/emulator/reset`, { method: "POST", headers: json, body: "{}" }));
      out.push(await attempt("state write, JSON", `${base}/emulator/state`, { method: "PUT", headers: json, body: snapshot }));
      out.push(await attempt("clock advance, JSON", `${base}/emulator/clock/advance`, { method: "POST", headers: json, body: '{"ms": 60000}' }));
      out.push(await attempt("state read", `${base}/emulator/state`));
      out.push(await attempt("config read", `${base}/emulator/config`));
      // The REST API stays reachable cross-origin (a signature is what protects it): a readable 401.
      out.push(await attempt("REST, unsigned", `${base}/routing/queues?api-version=2023-11-01`));
      return out;
    }, { base: emulatorServer.url, snapshot: "{}" });
    const outcome = Object.fromEntries(results.map((r) => [r.name, r]));
    for (const name of ["reset, JSON", "state write, JSON", "clock advance, JSON", "state read", "config read"]) {
      assert.match(outcome[name].outcome, /^blocked: TypeError/, `${name}: ${JSON.stringify(outcome[name])}`);
    }
    for (const name of ["reset, simple text/plain", "reset, simple without body", "state write, simple"]) {
      assert.equal(outcome[name].outcome, "opaque", name);
    }
    assert.equal(outcome["REST, unsigned"].outcome, "status 401");
    assert.match(outcome["REST, unsigned"].text, /"Denied"/);
    // the beacon is sent asynchronously, and the log is written after each answer: wait until the log holds every
    // refusal asserted below (or 10 s have passed)
    const deadline = Date.now() + 10000;
    const refusals = () => readFileSync(logFile, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.status === 403);
    const allLogged = (list) =>
      list.filter((l) => l.target === "/emulator/reset").length >= 3 &&
      list.some((l) => l.method === "OPTIONS" && l.target === "/emulator/state") &&
      list.some((l) => l.method === "GET" && l.target === "/emulator/config");
    while (!allLogged(refusals()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const refused = refusals();
    // Every attempt that reached the server was refused for its origin: the three simple requests, the
    // beacon and the preflights of the JSON calls (the reads got 403 too, and no CORS header).
    assert.ok(refused.every((l) => l.origin === attacker.url.replace(/\/$/, "")), JSON.stringify(refused));
    assert.ok(refused.filter((l) => l.target === "/emulator/reset").length >= 3, JSON.stringify(refused));
    assert.ok(refused.some((l) => l.method === "OPTIONS" && l.target === "/emulator/state"), JSON.stringify(refused));
    assert.ok(refused.some((l) => l.method === "GET" && l.target === "/emulator/config"), JSON.stringify(refused));
    assert.equal(emulatorServer.emulator.exportState(), before);
    assert.equal(emulatorServer.emulator.clock.now(), clockBefore);
    const queue = await request(emulatorServer, "GET", `/routing/queues/q-kept?${API}`, { sign: true });
    assert.equal(queue.status, 200);
  });
});

describe("in Chromium: the demo asks once for the key of a server beyond loopback", { skip: browserSkip }, () => {
  const address = ownNonLoopbackAddress();
  let server;
  let browser;

  before(async () => {
    server = address
      ? await startServer({ host: address, port: 0, clock: "manual", silent: true, accessKey: CUSTOM_KEY })
      : await startServer({ port: 0, clock: "manual", silent: true, accessKey: CUSTOM_KEY, requireControlKey: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("prompted once, the key kept in sessionStorage; clock, reset and events work", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const prompts = [];
    const problems = [];
    page.on("dialog", (dialog) => {
      prompts.push(dialog.message());
      dialog.accept(prompts.length === 1 ? "not-the-key" : CUSTOM_KEY);
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(prompts.length, 2, JSON.stringify(prompts));
    assert.match(prompts[0], /access key/);
    assert.match(prompts[1], /not accepted/);
    assert.match(await page.textContent("#mode"), /Server mode/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("jobrouter-emulator.controlKey")), CUSTOM_KEY);
    // a preset resets the emulator (a control) and creates resources (REST); its events arrive over
    // the fetch-based event stream
    await page.selectOption("#preset", "simple");
    await page.click("#load-preset");
    await page.waitForFunction(() => document.querySelector("#scenario-title")?.textContent === "Simple queue");
    await page.locator('.worker[data-worker="alice"]').waitFor();
    await page.fill('#job-form input[name="jobId"]', "key-1");
    await page.click('#job-form button[type="submit"]');
    await page.waitForFunction(() =>
      [...document.querySelectorAll("#event-log > li")].some((li) => li.dataset.job === "key-1" && li.dataset.type === "RouterWorkerOfferIssued"),
    );
    await page.click("#step-10s");
    await page.waitForFunction(() => document.querySelector("#clock-now").textContent === "00:00:10");
    // a reload in the same tab does not ask again
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(prompts.length, 2);
    assert.match(await page.textContent("#mode"), /Server mode/);
    assert.deepEqual(problems, []);
  });
});
