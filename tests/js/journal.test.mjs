// --state FILE: snapshot + journal (js/server/journal.js): restart replays the tail, torn tails are recovered
// and reported, damaged snapshots are refused untouched, old single-snapshot files migrate, compaction, sync
// modes, kill -9 (a few rounds; scripts/soak.mjs --kill-rounds 20 runs the long version).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import http from "node:http";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = path.join(ROOT, "js", "bin.js");
const skip = existsSync(path.join(ROOT, "js", "generated", "jobrouter-core.js"))
  ? false
  : "js/generated/jobrouter-core.js is absent (npm run build)";
const { startServer, StateFileError } = skip ? {} : await import("../../js/server/index.js");
const { RouterEmulator } = skip ? {} : await import("../../js/node.js");
const { Journal } = await import("../../js/server/journal.js");
const { readSnapshot } = await import("../../js/server/state-file.js");

const API = "api-version=2023-11-01";

function send(base, method, route, body) {
  return fetch(`${base}${route}${route.includes("?") ? "&" : "?"}${API}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/merge-patch+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: await r.json().catch(() => null) }));
}

async function seed(base, jobs) {
  await send(base, "PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
  await send(base, "PATCH", "/routing/queues/q", { distributionPolicyId: "dp" });
  await send(base, "PATCH", "/routing/workers/w1", { capacity: 2, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }], availableForOffers: true });
  for (let i = 0; i < jobs; i++) {
    const r = await send(base, "PATCH", `/routing/jobs/j${i}`, { channelId: "voice", queueId: "q", labels: { i } });
    assert.equal(r.status, 201);
  }
}

describe("--state journal", { skip }, () => {
  let dir;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "jobrouter-emulator-journal-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a crash leaves snapshot + journal; the restart replays the tail to the same state", async () => {
    const file = path.join(dir, "crash", "state.json");
    mkdirSync(path.dirname(file));
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file });
    await seed(server.url, 20);
    await fetch(`${server.url}/emulator/clock/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"ms":90000}' });
    await send(server.url, "POST", "/routing/jobs/j3:cancel", {});
    const health = await (await fetch(`${server.url}/emulator/health`)).json();
    assert.equal(health.stateFile.sync, "batch");
    assert.ok(health.stateFile.seq >= 25 && health.stateFile.journalBytes > 0);
    const before = server.emulator.exportState();
    // What a killed process leaves behind: the files as they are now.
    const copy = path.join(dir, "crash-copy");
    cpSync(path.dirname(file), copy, { recursive: true });
    await server.close();
    assert.deepEqual(readdirSync(path.dirname(file)), ["state.json"], "a clean shutdown leaves one snapshot");

    const restarted = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: path.join(copy, "state.json") });
    try {
      assert.equal(restarted.stateFile.recovery.replayed, health.stateFile.seq);
      assert.deepEqual(restarted.stateFile.recovery.dropped, []);
      assert.equal(restarted.emulator.exportState(), before);
    } finally {
      await restarted.close();
    }
  });

  test("a torn or corrupt tail: recovery up to the last complete record, the rest reported and kept aside", async () => {
    /** The files a killed process leaves behind: a copy of the state folder taken while the server runs. */
    const crashCopy = (server, name) => {
      const copy = path.join(dir, name);
      cpSync(path.dirname(server.stateFile.file), copy, { recursive: true });
      return path.join(copy, path.basename(server.stateFile.file));
    };
    mkdirSync(path.join(dir, "torn"));
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: path.join(dir, "torn", "state.json") });
    await seed(server.url, 5);
    const seq = server.stateFile.seq;
    const stateBefore = server.emulator.exportState();
    const file = crashCopy(server, "torn-copy");
    await send(server.url, "PATCH", "/routing/jobs/j2", { labels: { changed: true } });
    const file2 = crashCopy(server, "flipped-copy");
    await server.close();
    // half a record after the last complete one
    const segment = `${file}.journal.0`;
    appendFileSync(segment, '812 1234abcd {"n":99,"k":"req","t":0,"m":"PATCH","p":"/routing/queues/lost');
    const logs = [];
    const restarted = await startServer({ port: 0, clock: "manual", auth: false, state: file, log: (line) => logs.push(line) });
    try {
      const { recovery } = restarted.stateFile;
      assert.equal(recovery.replayed, seq);
      assert.equal(recovery.dropped.length, 1);
      assert.match(recovery.dropped[0].reason, /torn/);
      assert.ok(existsSync(recovery.dropped[0].keptIn));
      assert.match(logs.join("\n"), /incomplete or damaged part .* bytes dropped after record/);
      assert.equal(restarted.stateFile.seq, seq);
      assert.equal(restarted.emulator.exportState(), stateBefore);
      const more = await send(restarted.url, "PATCH", "/routing/queues/q2", { distributionPolicyId: "dp" });
      assert.equal(more.status, 201);
    } finally {
      await restarted.close();
    }
    // a flipped byte in the last complete record: detected by its checksum, the record is dropped
    const segment2 = `${file2}.journal.0`;
    const bytes = Buffer.from(readFileSync(segment2));
    const lastStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
    bytes[lastStart + 40] ^= 0x01;
    writeFileSync(segment2, bytes);
    const r2 = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file2 });
    try {
      assert.match(r2.stateFile.recovery.dropped[0].reason, /checksum/);
      assert.equal(r2.stateFile.recovery.replayed, seq);
      assert.equal(r2.emulator.exportState(), stateBefore, "the state before the damaged record");
    } finally {
      await r2.close();
    }
  });

  test("fault settings and the clock mode are journaled too: a restart (after a crash or a shutdown) restores them", async () => {
    mkdirSync(path.join(dir, "settings"));
    const file = path.join(dir, "settings", "state.json");
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file });
    server.emulator.faults.throttle({ requests: 50, perSeconds: 10 }).failNext({ count: 2, status: 503, method: "GET", path: "/routing/jobs/{jobId}" });
    server.emulator.clock.setSpeed(60);
    await seed(server.url, 1);
    const expected = server.emulator.faults.get();
    const copy = path.join(dir, "settings-copy");
    cpSync(path.dirname(file), copy, { recursive: true });
    await server.close();
    for (const state of [path.join(copy, "state.json"), file]) {
      const again = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state });
      try {
        assert.deepEqual(again.emulator.faults.get(), expected, state);
        assert.equal(again.emulator.clock.speed, 60);
        const failed = await send(again.url, "GET", "/routing/jobs/j0");
        assert.equal(failed.status, 503, "the failNext rule is back");
      } finally {
        await again.close();
      }
    }
  });

  test("a damaged snapshot is a clear error and nothing is touched; an old single-snapshot file migrates", async () => {
    const file = path.join(dir, "damaged.json");
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file });
    await seed(server.url, 2);
    await server.close();
    const text = readFileSync(file, "utf8");
    const truncated = text.slice(0, text.length - 100);
    writeFileSync(file, truncated);
    await assert.rejects(
      startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file }),
      (error) => error instanceof StateFileError && /damaged snapshot.*left untouched/.test(error.message),
    );
    assert.equal(readFileSync(file, "utf8"), truncated);

    const legacy = path.join(dir, "legacy.json");
    const old = new RouterEmulator({ clock: "manual" });
    await old.handle("PATCH", `/routing/distributionPolicies/dp?${API}`, { "content-type": "application/merge-patch+json" }, JSON.stringify({ offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } }));
    writeFileSync(legacy, old.exportState());
    old.dispose();
    const migrated = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: legacy });
    try {
      assert.equal(migrated.stateFile.recovery.legacy, true);
      assert.equal((await send(migrated.url, "GET", "/routing/distributionPolicies/dp")).status, 200);
      assert.match(readFileSync(legacy, "utf8"), /^\{"jobrouterEmulatorSnapshot":\{"seq":0,/);
    } finally {
      await migrated.close();
    }
  });

  test("the snapshot header counts the state's bytes; non-ASCII labels and a header without the byte count load", async () => {
    const file = path.join(dir, "bytes.json");
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file });
    const labels = { city: "Zürich ☃ 東京", emoji: "🛎️" };
    await send(server.url, "PATCH", "/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
    assert.equal((await send(server.url, "PATCH", "/routing/queues/q", { distributionPolicyId: "dp", labels })).status, 201);
    await server.close();
    const bytes = readFileSync(file);
    const text = bytes.toString("utf8");
    const header = JSON.parse(/^\{"jobrouterEmulatorSnapshot":(\{[^}]*\})/.exec(text)[1]);
    const state = text.slice(text.indexOf(',"state":') + 9, -1);
    assert.equal(header.length, state.length);
    assert.equal(header.bytes, Buffer.byteLength(state));
    assert.ok(header.bytes > header.length, "the labels take more bytes than UTF-16 units");
    const reopen = async (expectCity) => {
      const again = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file });
      try {
        assert.equal((await send(again.url, "GET", "/routing/queues/q")).json.labels.city, expectCity);
      } finally {
        await again.close();
      }
    };
    await reopen(labels.city);
    // A file written before the byte count: checked by its UTF-16 length.
    const { bytes: _dropped, ...older } = JSON.parse(/^\{"jobrouterEmulatorSnapshot":(\{[^}]*\})/.exec(readFileSync(file, "utf8"))[1]);
    const current = readFileSync(file, "utf8");
    writeFileSync(file, current.replace(/^\{"jobrouterEmulatorSnapshot":\{[^}]*\}/, `{"jobrouterEmulatorSnapshot":${JSON.stringify(older)}`));
    await reopen(labels.city);
    // A byte count that does not match: a damaged snapshot, left untouched.
    const wrong = readFileSync(file, "utf8").replace(/"bytes":(\d+)/, (_, n) => `"bytes":${Number(n) + 1}`);
    writeFileSync(file, wrong);
    await assert.rejects(
      startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file }),
      (error) => error instanceof StateFileError && /damaged snapshot/.test(error.message),
    );
    assert.equal(readFileSync(file, "utf8"), wrong);
  });

  test("compaction: a new snapshot while requests go on, older segments removed, restart equal", async () => {
    const file = path.join(dir, "compact", "state.json");
    mkdirSync(path.dirname(file));
    const emulator = new RouterEmulator({ clock: "manual" });
    const journal = new Journal(file, { compactMinBytes: 4096 });
    await journal.open(emulator);
    const call = (i) =>
      emulator.handle("PATCH", `/routing/queues/q${i}?${API}`, { "content-type": "application/merge-patch+json" }, JSON.stringify({ distributionPolicyId: "dp", labels: { i, text: "x".repeat(200) } }));
    await emulator.handle("PATCH", `/routing/distributionPolicies/dp?${API}`, { "content-type": "application/merge-patch+json" }, JSON.stringify({ offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } }));
    const compactions = [];
    for (let i = 0; i < 200; i++) {
      await call(i);
      if (i === 50 || i === 120) compactions.push(journal.compact());  // not awaited: requests go on meanwhile
    }
    await Promise.all(compactions);
    assert.ok(journal.saves >= 2, `snapshots taken: ${journal.saves}`);
    assert.ok(journal.lastCompaction.seq > 50);
    assert.ok(journal.lastCompaction.exportMs >= 0);
    assert.ok(journal.segments().length <= 2);
    const expected = emulator.exportState();
    // One more, with nothing in flight: the worker's replica of the state catches up with the records since
    // the last compaction, and the snapshot is exactly the state now.
    await journal.compact();
    assert.equal(journal.lastCompaction.seq, journal.seq);
    assert.equal(readSnapshot(file).state.toString("utf8"), expected);
    // crash: no close()
    const again = new RouterEmulator({ clock: "manual" });
    const journal2 = new Journal(file, { compactMinBytes: 4096 });
    const recovery = await journal2.open(again);
    assert.equal(recovery.snapshotSeq + recovery.replayed, 201);
    assert.equal(again.exportState(), expected);
    await journal2.close();
    await journal.close().catch(() => {});
    emulator.dispose();
    again.dispose();
  });

  test("--state-sync always answers after fsync; PUT /emulator/state takes a snapshot larger than 256 KiB", async () => {
    const file = path.join(dir, "always.json");
    const server = await startServer({ port: 0, clock: "manual", auth: false, silent: true, state: file, stateSync: "always" });
    try {
      await seed(server.url, 3);
      const big = await send(server.url, "PATCH", "/routing/queues/big", { distributionPolicyId: "dp", labels: { a: "x".repeat(200_000) } });
      assert.equal(big.status, 201);
      await send(server.url, "PATCH", "/routing/queues/big2", { distributionPolicyId: "dp", labels: { a: "y".repeat(200_000) } });
      const state = await (await fetch(`${server.url}/emulator/state`)).text();
      assert.ok(state.length > 256 * 1024);
      await fetch(`${server.url}/emulator/reset`, { method: "POST" });
      const put = await fetch(`${server.url}/emulator/state`, { method: "PUT", headers: { "content-type": "application/json" }, body: state });
      assert.equal(put.status, 200);
      assert.equal((await send(server.url, "GET", "/routing/queues/big2")).status, 200);
    } finally {
      await server.close();
    }
    assert.throws(() => new Journal(file, { sync: "sometimes" }), /stateSync must be one of/);
  });

  test("kill -9 during jobs being created and closed (--state-sync batch and always): every acknowledged write survives", async () => {
    for (const [round, mode] of [[0, "batch"], [1, "always"], [2, "batch"]]) {
      const file = path.join(dir, `kill-${round}.json`);
      const cli = await startCli(["--clock", "manual", "--no-auth", "--state", file, "--state-sync", mode]);
      const base = `http://127.0.0.1:${cli.port}`;
      await seed(base, 0);
      const acknowledged = [];
      let stop = false;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const id = `k${w}-${i}`;
          try {
            const res = await send(base, "PATCH", `/routing/jobs/${id}`, { channelId: "voice", queueId: "q", labels: { w, i } });
            if (res.status === 201) acknowledged.push(id);
          } catch {
            return;
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 200 + round * 150));
      const dead = new Promise((resolve) => cli.child.once("exit", resolve));
      cli.child.kill("SIGKILL");
      await dead;
      stop = true;
      await Promise.all(writers);
      assert.ok(acknowledged.length > 0);
      const next = await startCli(["--clock", "manual", "--no-auth", "--state", file]);
      try {
        const nextBase = `http://127.0.0.1:${next.port}`;
        const present = new Set();
        let page = await send(nextBase, "GET", "/routing/jobs?maxpagesize=1000");
        for (;;) {
          for (const job of page.json.value) present.add(job.id);
          if (!page.json.nextLink) break;
          page = await fetch(page.json.nextLink.startsWith("http") ? page.json.nextLink : `${nextBase}${page.json.nextLink}`).then(async (r) => ({ json: await r.json() }));
        }
        assert.deepEqual(acknowledged.filter((id) => !present.has(id)), [], `round ${round} (${mode}): acknowledged writes lost`);
      } finally {
        const done = new Promise((resolve) => next.child.once("exit", resolve));
        next.child.kill("SIGTERM");
        await done;
      }
    }
  });
});

/** Starts the CLI and resolves once the banner shows the endpoint. */
function startCli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${stdout} ${stderr}`)), 15_000);
    child.stderr.on("data", (c) => (stderr += c));
    child.stdout.on("data", (c) => {
      stdout += c;
      const m = /Endpoint\s+http:\/\/([\d.]+):(\d+)\//.exec(stdout);
      if (m && stdout.includes("Press Ctrl+C")) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[2]), stdout: () => stdout });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${stdout} ${stderr}`));
    });
  });
}
void http;
