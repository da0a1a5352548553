#!/usr/bin/env node
// Abuse run against the HTTP server (issue 14): starts `jobrouter-emulator` (js/bin.js) on 127.0.0.1 as a child
// process, then, with bounded loops only:
//   1. malformed request lines and bytes (garbage, no version, binary, a 64 KiB target, bad chunking)
//   2. oversized headers (one 64 KiB header; 2,000 headers)
//   3. slow clients: connections that send a request's headers a few bytes at a time
//   4. 1,000 idle connections held open
//   5. SSE clients (GET /emulator/events) that never read, while 2,000 jobs are created and updated (events)
// sampling the server's resident memory (/proc/PID/status VmRSS) every 250 ms, and checks at the end that the
// server still answers (GET /routing/jobs 200, GET /emulator/health or /emulator/clock 200).
//
//   node scripts/abuse-server.mjs [--idle 1000] [--sse 20] [--jobs 2000] [--slow 50] [--slow-seconds 10]
//
// Prints one JSON summary line; exit code 1 when the server died, stopped answering or its memory passed
// --max-rss-mb (default 1024).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";

const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
}
const IDLE = opt("idle", 1000);
const SSE = opt("sse", 20);
const JOBS = opt("jobs", 2000);
const SLOW = opt("slow", 50);
const SLOW_SECONDS = opt("slow-seconds", 10);
const MAX_RSS_MB = opt("max-rss-mb", 1024);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

// One request on a fresh connection (no agent pooling); resolves {status, body} or {error}.
function request(port, method, target, body, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: HOST, port, method, path: target, agent: false, timeout: timeoutMs,
        headers: body === undefined ? {} : { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        res.on("error", (error) => resolve({ error: String(error) }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve({ error: String(error.message ?? error) }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

// Writes raw bytes on a new connection; resolves with what came back (first 200 bytes) when the server closes or
// after `waitMs`.
function raw(port, bytes, waitMs = 2000) {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    let got = "";
    const done = () => {
      socket.destroy();
      resolve(got.slice(0, 200));
    };
    const timer = setTimeout(done, waitMs);
    socket.on("data", (d) => (got += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(got.slice(0, 200));
    });
    socket.write(bytes);
  });
}

const api = (p) => `${p}${p.includes("?") ? "&" : "?"}api-version=2023-11-01`;

async function main() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "js/bin.js"), "--host", HOST, "--port", String(port),
    "--clock", "manual", "--no-auth", "--silent"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));

  for (let i = 0; i < 100; i++) {
    const r = await request(port, "GET", api("/routing/queues"), undefined, 1000);
    if (r.status === 200) break;
    if (exited) throw new Error(`server exited at start: ${stderr}`);
    await sleep(100);
  }
  const samples = [];
  const sampler = setInterval(() => samples.push(rssMb(child.pid)), 250);
  const phases = {};
  const started = Date.now();
  const phase = async (name, fn) => {
    const t = Date.now();
    const before = rssMb(child.pid);
    const result = await fn();
    phases[name] = { seconds: (Date.now() - t) / 1000, rssBeforeMb: Math.round(before), rssAfterMb: Math.round(rssMb(child.pid)), ...result };
  };

  await phase("malformed", async () => {
    const inputs = [
      "GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "\x00\x01\x02\xff\xfe\r\n\r\n",
      `GET /${"a".repeat(64 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      "POST /routing/jobs/j1 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n",
      "PATCH /routing/jobs/j1?api-version=2023-11-01 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999\r\n\r\n{",
      "GET /routing/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
      "GET /routing/%zz%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "GET  HTTP/1.1\r\n\r\n", "\r\n\r\n\r\n",
    ];
    const answers = {};
    for (let round = 0; round < 20; round++) {
      for (const input of inputs) {
        const reply = await raw(port, input, 300);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? "closed";
        answers[status] = (answers[status] ?? 0) + 1;
      }
    }
    return { requests: inputs.length * 20, answers };
  });

  await phase("oversizedHeaders", async () => {
    const big = await raw(port, `GET /routing/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"b".repeat(64 * 1024)}\r\n\r\n`);
    let many = "GET /routing/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (let i = 0; i < 2000; i++) many += `X-H${i}: v\r\n`;
    const manyReply = await raw(port, `${many}\r\n`);
    return { bigHeader: /^HTTP\/1\.1 (\d{3})/.exec(big)?.[1] ?? "closed",
             manyHeaders: /^HTTP\/1\.1 (\d{3})/.exec(manyReply)?.[1] ?? "closed" };
  });

  await phase("slowClients", async () => {
    const sockets = [];
    for (let i = 0; i < SLOW; i++) {
      const s = net.connect(port, HOST);
      s.on("error", () => {});
      sockets.push(s);
    }
    const line = `GET ${api("/routing/jobs")} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `;
    const deadline = Date.now() + SLOW_SECONDS * 1000;
    let sent = 0;
    let answeredMeanwhile = 0;
    while (Date.now() < deadline) {
      for (const s of sockets) if (!s.destroyed) s.write(sent < line.length ? line[sent] : "a");
      sent++;
      const r = await request(port, "GET", api("/routing/queues"), undefined, 2000);
      if (r.status === 200) answeredMeanwhile++;
      await sleep(500);
    }
    const open = sockets.filter((s) => !s.destroyed).length;
    for (const s of sockets) s.destroy();
    return { connections: SLOW, stillOpenAtEnd: open, otherRequestsAnswered: answeredMeanwhile };
  });

  await phase("idleConnections", async () => {
    const sockets = [];
    for (let i = 0; i < IDLE; i++) {
      const s = net.connect(port, HOST);
      s.on("error", () => {});
      sockets.push(s);
      if (i % 100 === 99) await sleep(10);
    }
    await sleep(3000);
    const r = await request(port, "GET", api("/routing/queues"), undefined, 5000);
    const open = sockets.filter((s) => !s.destroyed).length;
    for (const s of sockets) s.destroy();
    return { connections: IDLE, stillOpen: open, answeredWhileHeld: r.status === 200 };
  });

  await phase("sseNeverRead", async () => {
    const sockets = [];
    for (let i = 0; i < SSE; i++) {
      const s = net.connect(port, HOST);
      s.on("error", () => {});
      s.write("GET /emulator/events?lastEventId=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      s.pause();  // never reads: the kernel buffers fill, then the server's
      sockets.push(s);
    }
    await sleep(500);
    const label = "x".repeat(2000);
    await request(port, "PATCH", api("/routing/distributionPolicies/dp"), { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
    await request(port, "PATCH", api("/routing/queues/q"), { distributionPolicyId: "dp" });
    let ok = 0;
    for (let i = 0; i < JOBS; i++) {
      const r = await request(port, "PATCH", api(`/routing/jobs/j${i}`), { channelId: "voice", queueId: "q", labels: { text: label, n: i } });
      if (r.status === 201) ok++;
      if (i % 4 === 0) await request(port, "PATCH", api(`/routing/jobs/j${i}`), { priority: 5 });
    }
    const open = sockets.filter((s) => !s.destroyed).length;
    for (const s of sockets) s.destroy();
    return { clients: SSE, jobsCreated: ok, clientsStillConnected: open };
  });

  await sleep(1000);
  clearInterval(sampler);
  const final = await request(port, "GET", api("/routing/jobs?maxpagesize=1"), undefined, 5000);
  const control = await request(port, "GET", "/emulator/clock", undefined, 5000);
  const finite = samples.filter(Number.isFinite);
  const summary = {
    seconds: (Date.now() - started) / 1000,
    phases,
    rssMb: { start: Math.round(finite[0]), max: Math.round(Math.max(...finite)), end: Math.round(finite.at(-1)) },
    serverAlive: exited === null,
    answersAtEnd: { restJobs: final.status ?? final.error, controlClock: control.status ?? control.error },
  };
  child.kill("SIGTERM");
  console.log(JSON.stringify(summary, null, 2));
  const passed = summary.serverAlive && final.status === 200 && summary.rssMb.max <= MAX_RSS_MB;
  if (!passed) {
    console.error(`abuse run FAILED${exited ? `: server exited ${JSON.stringify(exited)} ${stderr}` : ""}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
