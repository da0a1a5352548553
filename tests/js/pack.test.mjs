// The package as users get it: `npm pack`, installed from the tarball into a temporary project
// (no registry needed: the package has no dependencies), imported by name, one PATCH + GET.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const coreModule = join(root, "js", "generated", "jobrouter-core.js");
const skip = existsSync(coreModule)
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const npmEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

const script = `
import JobRouter, { isUnexpected, paginate, RouterEmulator } from "jobrouter-emulator";
const client = JobRouter("endpoint=https://packed.communication.azure.com/;accesskey=ZGV2", {
  emulator: { clock: "manual", seed: 7 },
});
const created = await client.path("/routing/distributionPolicies/{distributionPolicyId}", "dp-1").patch({
  contentType: "application/merge-patch+json",
  body: { name: "packed", offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } },
});
const fetched = await client.path("/routing/distributionPolicies/{distributionPolicyId}", "dp-1").get();
const missing = await client.path("/routing/distributionPolicies/{distributionPolicyId}", "nope").get();
console.log(JSON.stringify({
  created: { status: created.status, unexpected: isUnexpected(created), body: created.body },
  fetched: { status: fetched.status, unexpected: isUnexpected(fetched), body: fetched.body, etag: fetched.headers.etag },
  missing: { status: missing.status, unexpected: isUnexpected(missing) },
  now: client.emulator.clock.now(),
  exports: [typeof paginate, typeof RouterEmulator],
}));
`;

const NOW = "2024-01-01T00:00:00+00:00";
// require(): clock.now() synchronously, a request, whether the embedded copy's module was loaded, and whether the
// ./playwright entry finds the main entry's emulator (one registry: the entries share the CommonJS bundle)
const cjsScript = `
const { default: JobRouter, RouterEmulator } = require("jobrouter-emulator");
const { routeJobRouter } = require("jobrouter-emulator/playwright");
const emulator = new RouterEmulator({ clock: "manual" });
const syncNow = emulator.clock.now();
const client = JobRouter("endpoint=https://cjs.communication.azure.com/;accesskey=ZGV2", { emulator: { clock: "manual" } });
const page = { route: async () => {}, unroute: async () => {} };
Promise.all([
  emulator.handle("PATCH", "/routing/distributionPolicies/dp?api-version=2023-11-01",
    { "content-type": "application/merge-patch+json" }, '{"offerExpiresAfterSeconds":30,"mode":{"kind":"longestIdle"}}'),
  routeJobRouter(page, { endpoint: "https://cjs.communication.azure.com" }),
]).then(([res, routed]) => console.log(JSON.stringify({ syncNow, status: res.status,
  embeddedLoaded: Object.keys(require.cache).some((file) => file.endsWith("embedded-wasm.js")),
  sharedEmulator: routed.emulator === client.emulator })));
`;
// clock.now() before any request (synchronous), then after ready(), and a request
const syncScript = `
import { RouterEmulator } from "jobrouter-emulator";
const emulator = new RouterEmulator({ clock: "manual" });
let syncNow;
try {
  syncNow = emulator.clock.now();
} catch (error) {
  syncNow = error.message;
}
await emulator.ready();
const res = await emulator.handle("PATCH", "/routing/distributionPolicies/dp?api-version=2023-11-01",
  { "content-type": "application/merge-patch+json" }, '{"offerExpiresAfterSeconds":30,"mode":{"kind":"longestIdle"}}');
console.log(JSON.stringify({ syncNow, readyNow: emulator.clock.now(), status: res.status }));
`;

test("npm pack -> npm install <tarball> -> import 'jobrouter-emulator' -> PATCH + GET", { skip, timeout: 240_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), "jobrouter-emulator-pack-"));
  try {
    const { stdout: packOut } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, env: npmEnv });
    const [packed] = JSON.parse(packOut);
    const files = packed.files.map((f) => f.path);
    for (const needed of ["package.json", "js/index.js", "js/index.d.ts", "js/client.js", "js/core-client.js", "js/core-adapter.js", "js/generated/operations.js", "js/generated/events.js", "js/generated/api.d.ts", "js/paginate.js", "js/emulator.js", "js/core-loader.js", "js/node.js", "js/node-platform.js", "js/generated/jobrouter-core.js", "js/cjs/package.json", "js/cjs/node.js", "js/cjs/bundle.js", "js/cjs/generated/embedded-wasm.js", "js/bundle/node.js", "js/bundle/msw.node.js", "js/bundle/playwright.node.js", "js/bundle/server.js", "js/bundle/compact-worker.js"]) {
      assert.ok(files.includes(needed), `the tarball contains ${needed}`);
    }
    assert.ok(!files.some((f) => f.startsWith("tests/") || f.startsWith("core/") || f.startsWith("build/")), "no sources or tests in the tarball");

    const tarball = join(work, packed.filename);
    const project = join(work, "project");
    await mkdir(project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "pack-check", private: true, type: "module" }));
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", tarball], { cwd: project, env: npmEnv });
    assert.ok((await readdir(join(project, "node_modules", "jobrouter-emulator", "js"))).includes("index.d.ts"));
    // Node's entries are ASCII-only: V8 holds a module text with one other character as UTF-16 (twice the bytes to
    // decode and parse on every cold start).
    const installed = join(project, "node_modules", "jobrouter-emulator");
    for (const folder of ["js/bundle", "js/cjs", "js/cjs/generated"]) {
      for (const name of (await readdir(join(installed, folder))).filter((file) => file.endsWith(".js"))) {
        const text = await readFile(join(installed, folder, name), "utf8");
        const at = text.search(/[^\x00-\x7f]/u);
        assert.equal(at, -1, `${folder}/${name} is ASCII-only (${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))})`);
      }
    }

    await writeFile(join(project, "check.mjs"), script);
    const { stdout } = await run(process.execPath, ["check.mjs"], { cwd: project });
    const result = JSON.parse(stdout.trim().split("\n").at(-1));
    assert.equal(result.created.status, "201");
    assert.equal(result.created.unexpected, false);
    assert.equal(result.created.body.id, "dp-1");
    assert.equal(result.created.body.name, "packed");
    assert.equal(result.created.body.offerExpiresAfterSeconds, 30);
    assert.equal(result.created.body.mode.kind, "longestIdle");
    assert.equal(result.fetched.status, "200");
    assert.equal(result.fetched.unexpected, false);
    assert.deepEqual(result.fetched.body, result.created.body);
    assert.equal(result.fetched.etag, result.created.body.etag);
    assert.equal(result.missing.status, "404");
    assert.equal(result.missing.unexpected, true);
    assert.equal(result.now, "2024-01-01T00:00:00+00:00");
    assert.deepEqual(result.exports, ["function", "function"]);

    // The bin and the server entry point work from the installed package.
    const bin = join(project, "node_modules", ".bin", "jobrouter-emulator");
    const { stdout: version } = await run(bin, ["--version"], { cwd: project });
    assert.equal(version.trim(), JSON.parse(await readFile(join(root, "package.json"), "utf8")).version);
    // Under Node the entries are the bundle of js/bundle/: the server's emulator is the main entry's class (one
    // copy of each module), and the server's compaction worker is found beside it.
    await writeFile(
      join(project, "server.mjs"),
      'import { RouterEmulator } from "jobrouter-emulator";\n' +
        'import { startServer } from "jobrouter-emulator/server";\n' +
        'const s = await startServer({ port: 0, silent: true, auth: false, state: "state.jsonl" });\n' +
        'const r = await fetch(`${s.url}/routing/queues?api-version=2023-11-01`);\n' +
        'const body = await r.json();\n' +
        'await fetch(`${s.url}/routing/queues/q1?api-version=2023-11-01`, { method: "PATCH", ' +
        'headers: { "content-type": "application/merge-patch+json" }, body: "{}" });\n' +
        "await s.stateFile.compact();\n" +
        "const compacted = s.stateFile.status();\n" +
        'console.log(JSON.stringify({ status: r.status, body, sameClass: s.emulator instanceof RouterEmulator, ' +
        'entry: import.meta.resolve("jobrouter-emulator").split("/node_modules/jobrouter-emulator/")[1], ' +
        'snapshotSeq: compacted.snapshotSeq }));\n' +
        "await s.close();\n",
    );
    const { stdout: served } = await run(process.execPath, ["server.mjs"], { cwd: project });
    const servedResult = JSON.parse(served.trim().split("\n").at(-1));
    assert.deepEqual(
      { status: servedResult.status, body: servedResult.body, sameClass: servedResult.sameClass, entry: servedResult.entry },
      { status: 200, body: { value: [] }, sameClass: true, entry: "js/bundle/node.js" },
    );
    assert.ok(servedResult.snapshotSeq >= 1, `the compaction worker wrote a snapshot (${JSON.stringify(servedResult)})`);

    // The Node bundle finds its wasm file, or loads the embedded copy from the one chunk that holds it.
    await writeFile(join(project, "sync.mjs"), syncScript);
    const runJson = async (file) => JSON.parse((await run(process.execPath, [file], { cwd: project })).stdout.trim().split("\n").at(-1));
    const bundleDir = join(project, "node_modules", "jobrouter-emulator", "js", "bundle");
    const { wasmGzipBase64 } = await import(pathToFileURL(coreModule).href);
    const holders = [];
    for (const name of await readdir(bundleDir)) {
      if (name.endsWith(".js") && (await readFile(join(bundleDir, name), "utf8")).includes(wasmGzipBase64.slice(0, 200))) holders.push(name);
    }
    assert.equal(holders.length, 1, `one file of js/bundle/ holds the embedded wasm (${holders.join(", ")})`);
    assert.deepEqual(await runJson("sync.mjs"), { syncNow: NOW, readyNow: NOW, status: 201 });
    // require() reads the same wasm file: the embedded copy's module is not loaded
    await writeFile(join(project, "sync.cjs"), cjsScript);
    assert.deepEqual(await runJson("sync.cjs"), { syncNow: NOW, status: 201, embeddedLoaded: false, sharedEmulator: true });
    // bundled again by a tool that leaves the wasm file behind: the package's own file is found (synchronously)
    const esbuild = await import("esbuild");
    await esbuild.build({ entryPoints: [join(project, "sync.mjs")], outfile: join(project, "out", "app.mjs"), bundle: true,
      format: "esm", platform: "node", logLevel: "silent" });
    assert.deepEqual(await readdir(join(project, "out")), ["app.mjs"]);
    // a file of the same size but other bytes on the way up (another version of the package) is passed over
    const decoyDir = join(project, "out", "node_modules", "jobrouter-emulator", "js", "bundle");
    await mkdir(decoyDir, { recursive: true });
    const wasmBytes = (await readFile(join(bundleDir, "jobrouter-core.wasm"))).length;
    await writeFile(join(decoyDir, "jobrouter-core.wasm"), Buffer.alloc(wasmBytes, 7));
    assert.deepEqual(await runJson("out/app.mjs"), { syncNow: NOW, readyNow: NOW, status: 201 });
    // no wasm file at all: synchronous calls say to await ready(), which loads the embedded copy
    await rename(join(bundleDir, "jobrouter-core.wasm"), join(work, "moved.wasm"));
    const fallback = await runJson("sync.mjs");
    assert.match(fallback.syncNow, /still loading .*await emulator\.ready\(\)/);
    assert.deepEqual({ ...fallback, syncNow: "" }, { syncNow: "", readyNow: NOW, status: 201 });
    // ... while require() loads the embedded copy's module, still synchronously
    assert.deepEqual(await runJson("sync.cjs"), { syncNow: NOW, status: 201, embeddedLoaded: true, sharedEmulator: true });
    assert.equal((await runJson("check.mjs")).fetched.status, "200");
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
