// Soak, load, crash and throughput runs of the HTTP server with --state (README "State file").
//
//   npm run soak -- --minutes N       concurrent clients drive full job lifecycles (create, offer, accept,
//                                     complete, close), workers churn, SSE readers and a webhook receiver
//                                     listen; prints throughput, p50/p99 latency, the server's RSS and the
//                                     journal/snapshot sizes every 5 s; at the end the server is killed
//                                     (kill -9), restarted, and every acknowledged write is checked.
//                                     Exit code 1 on any error or lost write (never on speed).
//   npm run soak -- --seconds N       the same, in seconds
//   npm run soak -- --kill-rounds N   N rounds: load for a random 0.2-2 s, kill -9, restart, check every
//                                     acknowledged write; counts lost writes and refused starts
//   npm run soak -- --bench [--jobs 100000] [--bench-seconds 5]
//                                     PATCH/s, sequential and with 16 concurrent clients, on an empty
//                                     resource and one holding --jobs jobs; restart time with those jobs
//   --state-sync always|batch|none    durability mode of the server (default: the server's default, batch)
//   --clients N                       concurrent lifecycle clients (default 8)
//   --keep                            keep the state folder (printed)

import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "js", "bin.js");
const API = "api-version=2023-11-01";

const { values: v } = parseArgs({
  options: {
    minutes: { type: "string" },
    seconds: { type: "string" },
    "kill-rounds": { type: "string" },
    bench: { type: "boolean" },
    jobs: { type: "string" },
    "bench-seconds": { type: "string" },
    "state-sync": { type: "string" },
    clients: { type: "string" },
    keep: { type: "boolean" },
  },
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jobrouter-emulator-soak-"));
const stateFile = path.join(dir, "state.json");
const syncFlags = v["state-sync"] ? ["--state-sync", v["state-sync"]] : [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const say = (line) => process.stdout.write(`${line}\n`);

/** One request; resolves { status, json, ms } (rejects when the connection fails). */
function request(port, method, route, body) {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target = route.startsWith("/emulator") ? route : `${route}${route.includes("?") ? "&" : "?"}${API}`;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1", port, method, path: target, agent,
      headers: payload === undefined ? {} : {
        "content-type": route.startsWith("/emulator") ? "application/json" : "application/merge-patch+json",
        "content-length": Buffer.byteLength(payload),
      },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode, json, ms: performance.now() - started });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Starts the CLI server; resolves { child, port, startMs } once it listens. */
function startServer(extra = []) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "--port", "0", "--no-auth", "--state", stateFile, ...syncFlags, ...extra], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.stdout.on("data", (c) => {
      out += c;
      const m = /Endpoint\s+http:\/\/[\d.]+:(\d+)\//.exec(out);
      if (m && out.includes("Press Ctrl+C")) resolve({ child, port: Number(m[1]), startMs: performance.now() - started, banner: () => out });
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}: ${out}${err}`)));
  });
}

async function kill9(server) {
  const dead = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGKILL");
  await dead;
}

async function stop(server) {
  const done = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await done;
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function setup(port, clients) {
  await request(port, "PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 600, mode: { kind: "longestIdle" } });
  for (let c = 0; c < clients; c++) {
    await request(port, "PATCH", `/routing/queues/q${c}`, { distributionPolicyId: "dp" });
    await request(port, "PATCH", `/routing/workers/w${c}`, {
      capacity: 1, queues: [`q${c}`], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true,
    });
  }
}

/**
 * Concurrent clients driving job lifecycles until stop(); `acked` collects { id, status } of every
 * acknowledged write, `errors` every unexpected answer.
 */
function lifecycleLoad(port, clients, { acked, errors, latencies, prefix }) {
  let stopped = false;
  let requests = 0;
  const expect = async (method, route, body, statuses) => {
    const res = await request(port, method, route, body);
    requests += 1;
    latencies.push(res.ms);
    if (!statuses.includes(res.status)) {
      errors.push(`${method} ${route}: ${res.status} ${JSON.stringify(res.json)?.slice(0, 300)}`);
      return null;
    }
    return res;
  };
  const runners = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; !stopped; i++) {
      const id = `${prefix}-c${c}-${i}`;
      try {
        if (i % 10 === 9) {  // worker churn
          if (!(await expect("PATCH", `/routing/workers/w${c}`, { availableForOffers: false }, [200]))) continue;
          if (!(await expect("PATCH", `/routing/workers/w${c}`, { availableForOffers: true }, [200]))) continue;
        }
        const created = await expect("PATCH", `/routing/jobs/${id}`, { channelId: "voice", queueId: `q${c}`, priority: 1, labels: { c, i } }, [201]);
        if (!created) continue;
        acked.set(id, "created");
        const worker = await expect("GET", `/routing/workers/w${c}`, undefined, [200]);
        const offer = worker?.json.offers?.find((o) => o.jobId === id);
        if (!offer) {
          errors.push(`job ${id} was not offered to w${c}`);
          await expect("POST", `/routing/jobs/${id}:cancel`, {}, [200]);
          acked.set(id, "cancelled");
          continue;
        }
        const accepted = await expect("POST", `/routing/workers/w${c}/offers/${offer.offerId}:accept`, undefined, [200]);
        if (!accepted) continue;
        acked.set(id, "assigned");
        const assignmentId = accepted.json.assignmentId;
        if (!(await expect("POST", `/routing/jobs/${id}/assignments/${assignmentId}:complete`, {}, [200]))) continue;
        acked.set(id, "completed");
        if (!(await expect("POST", `/routing/jobs/${id}/assignments/${assignmentId}:close`, {}, [200]))) continue;
        acked.set(id, "closed");
      } catch (error) {
        if (!stopped) errors.push(`${id}: ${error.message}`);
        return;
      }
    }
  });
  return {
    get requests() {
      return requests;
    },
    stop() {
      stopped = true;
      return Promise.all(runners);
    },
  };
}

/** Checks that every acknowledged job is present with at least its acknowledged status. */
async function checkAcked(port, acked) {
  const order = ["created", "assigned", "completed", "closed"];
  const lost = [];
  const entries = [...acked];
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < entries.length) {
      const [id, status] = entries[next++];
      const res = await request(port, "GET", `/routing/jobs/${id}`);
      if (res.status !== 200) {
        lost.push(`${id}: ${res.status}`);
        continue;
      }
      if (status === "cancelled") {
        if (res.json.status !== "cancelled") lost.push(`${id}: ${res.json.status}, acknowledged cancelled`);
        continue;
      }
      if (status === "closed" && res.json.status !== "closed") lost.push(`${id}: ${res.json.status}, acknowledged closed`);
      if (status === "completed" && !["completed", "closed"].includes(res.json.status)) lost.push(`${id}: ${res.json.status}, acknowledged completed`);
      void order;
    }
  }));
  return lost;
}

/** Two SSE readers of /emulator/events; counts the events each got. */
function sseReaders(port) {
  const counts = [0, 0];
  const readers = [0, 1].map((k) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/emulator/events" }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        counts[k] += (chunk.match(/^data:/gm) ?? []).length;
      });
      res.on("error", () => {});
    });
    req.on("error", () => {});
    return req;
  });
  return { counts, close: () => readers.forEach((req) => req.destroy()) };
}

/** An Event Grid webhook receiver (answers the validation handshake); counts the events it got. */
async function webhookReceiver() {
  const counts = { webhook: 0 };
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let events = [];
      try {
        events = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        events = [];
      }
      const validation = Array.isArray(events) ? events.find((e) => e.eventType === "Microsoft.EventGrid.SubscriptionValidationEvent") : null;
      if (validation) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ validationResponse: validation.data.validationCode }));
        return;
      }
      counts.webhook += Array.isArray(events) ? events.length : 0;
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  return {
    counts,
    url: `http://127.0.0.1:${receiver.address().port}/`,
    close() {
      receiver.close();
      receiver.closeAllConnections?.();
    },
  };
}

async function soak(seconds) {
  const clients = Number(v.clients ?? 8);
  const hooks2 = await webhookReceiver();
  const server = await startServer(["--clock", "real", "--event-webhook", hooks2.url]);
  const sseHooks = sseReaders(server.port);
  await setup(server.port, clients);
  const acked = new Map();
  const errors = [];
  let latencies = [];
  const load = lifecycleLoad(server.port, clients, { acked, errors, latencies, prefix: "soak" });
  const started = performance.now();
  let lastRequests = 0;
  let lastTime = started;
  say(`soak: ${clients} clients, ${seconds} s, state in ${dir}${v["state-sync"] ? `, --state-sync ${v["state-sync"]}` : ""}`);
  say("     s   req/s   p50 ms   p99 ms   RSS MB   journal MB   snapshot MB   SSE events   webhook events");
  while (performance.now() - started < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(5000, seconds * 1000 - (performance.now() - started) + 1)));
    const now = performance.now();
    const sorted = latencies.splice(0).sort((a, b) => a - b);
    const health = await request(server.port, "GET", "/emulator/health").catch(() => null);
    const sf = health?.json?.stateFile ?? {};
    const rate = ((load.requests - lastRequests) * 1000) / (now - lastTime);
    say(
      `${String(Math.round((now - started) / 1000)).padStart(6)}  ${rate.toFixed(0).padStart(6)}  ${percentile(sorted, 50).toFixed(1).padStart(7)}  ` +
        `${percentile(sorted, 99).toFixed(1).padStart(7)}  ${String(rssMb(server.child.pid)).padStart(7)}  ` +
        `${((sf.journalBytes ?? 0) / 1e6).toFixed(2).padStart(11)}  ${((sf.snapshotBytes ?? 0) / 1e6).toFixed(2).padStart(12)}  ` +
        `${String(sseHooks.counts[0]).padStart(11)}  ${String(hooks2.counts.webhook).padStart(15)}`,
    );
    lastRequests = load.requests;
    lastTime = now;
  }
  await load.stop();
  latencies = [];
  await kill9(server);
  sseHooks.close();
  const restarted = await startServer(["--clock", "real"]);
  const lost = await checkAcked(restarted.port, acked);
  await stop(restarted);
  hooks2.close();
  const closed = [...acked.values()].filter((s) => s === "closed").length;
  say(`soak: events: SSE readers ${sseHooks.counts.join(", ")}, webhook ${hooks2.counts.webhook}`);
  say(`soak: ${load.requests} requests, ${closed} jobs closed, ${errors.length} errors, ${lost.length} acknowledged writes lost after kill -9 ` +
    `(restart ${restarted.startMs.toFixed(0)} ms)`);
  for (const line of [...errors.slice(0, 10), ...lost.slice(0, 10)]) say(`  ${line}`);
  return errors.length === 0 && lost.length === 0 && closed > 0;
}

async function killRounds(rounds) {
  const acked = new Map();
  const errors = [];
  let refused = 0;
  let lostTotal = 0;
  let server = await startServer(["--clock", "manual"]);
  await setup(server.port, 16);
  for (let round = 0; round < rounds; round++) {
    const load = lifecycleLoad(server.port, 16, { acked, errors: [], latencies: [], prefix: `r${round}` });
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1800));
    await kill9(server);
    await load.stop();
    try {
      server = await startServer(["--clock", "manual"]);
    } catch (error) {
      refused += 1;
      say(`round ${round + 1}: the server refused to start: ${error.message}`);
      break;
    }
    const lost = await checkAcked(server.port, acked);
    lostTotal += lost.length;
    const recovery = /replayed (\d+) journal records in (\d+) ms(, dropped[^\n]*)?/.exec(server.banner());
    say(`round ${round + 1}: ${acked.size} acknowledged jobs so far, ${lost.length} lost; restart ${server.startMs.toFixed(0)} ms` +
      (recovery ? ` (replayed ${recovery[1]} records in ${recovery[2]} ms${recovery[3] ?? ""})` : ""));
    for (const line of lost.slice(0, 5)) say(`  ${line}`);
  }
  await stop(server);
  say(`kill -9 rounds: ${rounds}, acknowledged writes lost: ${lostTotal}, refused starts: ${refused}, errors: ${errors.length}`);
  return lostTotal === 0 && refused === 0;
}

/** PATCH/s for `seconds`, with `concurrency` clients, each PATCHing its own queue's labels. */
async function patchRate(port, concurrency, seconds) {
  let count = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const latencies = [];
  await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
    for (let i = 0; performance.now() < end; i++) {
      const res = await request(port, "PATCH", `/routing/queues/bench-${c}`, { distributionPolicyId: "dp", labels: { i } });
      latencies.push(res.ms);
      if (res.status === 200 || res.status === 201) count += 1;
      else errors += 1;
    }
  }));
  latencies.sort((a, b) => a - b);
  return { rate: Math.round(count / seconds), p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function bench() {
  const jobs = Number(v.jobs ?? 100000);
  const seconds = Number(v["bench-seconds"] ?? 5);
  const rows = [];
  const measure = async (label, server) => {
    const seq = await patchRate(server.port, 1, seconds);
    const par = await patchRate(server.port, 16, seconds);
    rows.push({ label, sequential: seq.rate, concurrent16: par.rate, p99ms16: Number(par.p99.toFixed(1)), errors: seq.errors + par.errors });
  };
  let server = await startServer(["--clock", "manual"]);
  await request(server.port, "PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
  await measure("empty resource", server);
  await stop(server);
  fs.rmSync(stateFile, { force: true });
  // A snapshot with `jobs` jobs, built in-process and written as a bare exportState() file (migrated at start).
  say(`bench: building a snapshot with ${jobs} jobs…`);
  const { RouterEmulator } = await import("../js/node.js");
  const emulator = new RouterEmulator({ clock: "manual" });
  const h = { "content-type": "application/merge-patch+json" };
  await emulator.handle("PATCH", `/routing/distributionPolicies/dp?${API}`, h, JSON.stringify({ offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } }));
  await emulator.handle("PATCH", `/routing/queues/q?${API}`, h, JSON.stringify({ distributionPolicyId: "dp" }));
  for (let i = 0; i < jobs; i++) {
    await emulator.handle("PATCH", `/routing/jobs/job-${i}?${API}`, h, JSON.stringify({ channelId: "voice", queueId: "q", priority: 1, labels: { n: i, region: "west" } }));
  }
  fs.writeFileSync(stateFile, emulator.exportState());
  emulator.dispose();
  server = await startServer(["--clock", "manual"]);
  const migrateMs = server.startMs;
  await stop(server);
  server = await startServer(["--clock", "manual"]);
  const restartMs = server.startMs;
  await measure(`${jobs} jobs`, server);
  const health = await request(server.port, "GET", "/emulator/health");
  await kill9(server);
  server = await startServer(["--clock", "manual"]);
  const crashRestartMs = server.startMs;
  const crashRecovery = (await request(server.port, "GET", "/emulator/health")).json?.stateFile?.recovery ?? null;
  await stop(server);
  say("");
  say("| state | sequential PATCH/s | 16 clients PATCH/s | p99 ms (16) | errors |");
  say("|---|---|---|---|---|");
  for (const r of rows) say(`| ${r.label} | ${r.sequential} | ${r.concurrent16} | ${r.p99ms16} | ${r.errors} |`);
  say("");
  say(`restart with ${jobs} jobs: ${restartMs.toFixed(0)} ms after SIGTERM (snapshot only), ${crashRestartMs.toFixed(0)} ms after kill -9 ` +
    `(snapshot + a journal tail of ${crashRecovery?.replayed} records); first start from a bare snapshot (migration) ${migrateMs.toFixed(0)} ms; ` +
    `snapshot ${(fs.statSync(stateFile).size / 1e6).toFixed(1)} MB; last compaction ${JSON.stringify(health.json?.stateFile?.lastCompaction)}`);
  say(JSON.stringify({ rows, restartMs, crashRestartMs, crashReplayed: crashRecovery?.replayed ?? null,
    crashLoadMs: crashRecovery?.loadMs ?? null, migrateMs, snapshotBytes: fs.statSync(stateFile).size, jobs, seconds, stateSync: v["state-sync"] ?? "batch", cores: os.cpus().length, load: os.loadavg() }));
  return rows.every((r) => r.errors === 0);
}

let ok = false;
try {
  if (v.bench) ok = await bench();
  else if (v["kill-rounds"]) ok = await killRounds(Number(v["kill-rounds"]));
  else ok = await soak(v.seconds ? Number(v.seconds) : Number(v.minutes ?? 1) * 60);
} catch (error) {
  say(`soak: failed: ${error?.stack ?? error}`);
  ok = false;
} finally {
  agent.destroy();
  if (v.keep) say(`state kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
