// Conformance: replays the real service's recorded SDK sessions (../shared/reference/recordings) through the JS
// client and compares each response's status code and body shape (keys and value types, ignoring ids, etags and
// timestamps) with what the service returned. Prints the agreement per suite. Skips, saying so, when the reference
// material is absent.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { findReference } from "./reference-dir.mjs";

const coreUrl = new URL("../../js/generated/jobrouter-core.js", import.meta.url);

const recordingsDir = findReference(["recordings", ""], "SOURCES.tsv");
const skip = !existsSync(coreUrl)
  ? "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)"
  : recordingsDir === null
    ? "reference recordings not found (shared/reference/recordings, or JOBROUTER_REFERENCE_DIR): replay skipped"
    : false;

const { default: JobRouter } = await import("../../js/node.js");

function listJson(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listJson(full));
    else if (name.endsWith(".json")) out.push(full);
  }
  return out;
}

/** Suites: each JS folder is one suite (its tests share fixtures, in recording order); every other file is one. */
const JS_TEST_ORDER = ["create", "get", "list", "update", "register", "reclassify", "cancel", "delete"];

function orderOf(rel) {
  const name = rel.split("/").pop();
  const index = JS_TEST_ORDER.findIndex((verb) => name.startsWith(`recording_should_${verb}`));
  return index < 0 ? JS_TEST_ORDER.length - 1 : index;
}

function suites() {
  const groups = new Map();
  for (const file of listJson(recordingsDir)) {
    const rel = relative(recordingsDir, file);
    const key = rel.startsWith("js") ? dirname(rel) : rel;
    const entries = JSON.parse(readFileSync(file, "utf8")).Entries ?? [];
    const first = entries[0]?.RequestHeaders ?? {};
    const when = Date.parse(first["x-ms-date"] ?? first["Date"] ?? first["date"] ?? "") || 0;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ when, rel, entries });
  }
  return [...groups.entries()].map(([name, files]) => ({
    name,
    entries: files
      .sort((a, b) => a.when - b.when || orderOf(a.rel) - orderOf(b.rel) || a.rel.localeCompare(b.rel))
      .flatMap((f) => f.entries),
  }));
}

const MAP_KEYS = new Set(["assignments", "labels", "tags", "labelsToUpsert", "estimatedWaitTimeMinutes", "credential"]);

function kind(v) {
  if (v === null || v === undefined) return "none";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Same shape: same JSON types, same object keys (maps keyed by data compared as maps), arrays element-wise. */
function sameShape(recorded, ours, path = "$", diffs = []) {
  const a = kind(recorded);
  const b = kind(ours);
  if (a !== b) {
    diffs.push(`${path}: recorded ${a}, emulator ${b}`);
    return diffs;
  }
  if (a === "array") {
    if (recorded.length !== ours.length) diffs.push(`${path}: ${recorded.length} items recorded, ${ours.length} in the emulator`);
    for (let i = 0; i < Math.min(recorded.length, ours.length); i++) sameShape(recorded[i], ours[i], `${path}[${i}]`, diffs);
  } else if (a === "object") {
    const keys = new Set([...Object.keys(recorded), ...Object.keys(ours)]);
    for (const key of keys) {
      if (!(key in recorded)) diffs.push(`${path}.${key}: absent in the recording`);
      else if (!(key in ours)) diffs.push(`${path}.${key}: absent in the emulator`);
      else if (MAP_KEYS.has(key)) {
        if (kind(recorded[key]) !== kind(ours[key])) diffs.push(`${path}.${key}: recorded ${kind(recorded[key])}, emulator ${kind(ours[key])}`);
      } else sameShape(recorded[key], ours[key], `${path}.${key}`, diffs);
    }
  }
  return diffs;
}

/** Learns recorded → emulated ids of server-generated values (offers, assignments) from parallel bodies. */
function learnIds(recorded, ours, ids) {
  if (kind(recorded) !== kind(ours)) return;
  if (Array.isArray(recorded)) {
    for (let i = 0; i < Math.min(recorded.length, ours.length); i++) learnIds(recorded[i], ours[i], ids);
  } else if (kind(recorded) === "object") {
    for (const key of Object.keys(recorded)) {
      if ((key === "offerId" || key === "assignmentId" || key === "nextLink") &&
          typeof recorded[key] === "string" && typeof ours[key] === "string") {
        ids.set(recorded[key], ours[key]);
      } else if (key in ours) learnIds(recorded[key], ours[key], ids);
    }
  }
}

function pathAndQuery(uri, ids) {
  const url = new URL(uri);
  // A request that follows a recorded nextLink follows the emulator's nextLink instead.
  const withoutVersion = new URL(uri);
  withoutVersion.searchParams.delete("api-version");
  const followed = ids.get(withoutVersion.pathname + withoutVersion.search) ?? ids.get(decodeURIComponent(withoutVersion.pathname + withoutVersion.search));
  if (followed) return followed + (followed.includes("?") ? "&" : "?") + "api-version=" + url.searchParams.get("api-version");
  let path = url.pathname;
  for (const [from, to] of ids) path = path.split(from).join(to);
  return path + url.search;
}

let counter = 0;

const REPLAY_EMULATOR = { clock: "manual", startTime: "2023-11-15T00:00:00Z" };

/** In process: the package's client on a fresh emulated resource. */
async function inProcessTransport() {
  counter += 1;
  const client = JobRouter(`endpoint=https://replay-${counter}.communication.azure.com/;accesskey=ZGV2`, {
    emulator: REPLAY_EMULATOR,
  });
  return { client, close: async () => client.emulator.dispose() };
}

/** Over HTTP: the official Azure REST pipeline (HMAC-signed) against a fresh emulator server. */
async function httpTransport() {
  const { startServer } = await import("../../js/server/index.js");
  const { getClient } = await import("@azure-rest/core-client");
  const { createCommunicationAuthPolicy, parseClientArguments } = await import("@azure/communication-common");
  const server = await startServer({ port: 0, silent: true, ...REPLAY_EMULATOR });
  const { url, credential } = parseClientArguments(server.connectionString);
  const client = getClient(url, { allowInsecureConnection: true });
  client.pipeline.addPolicy(createCommunicationAuthPolicy(credential));
  return { client, close: () => server.close() };
}

/** Response headers the service sends that a client may read; each must be there when it was recorded. */
const RECORDED_HEADERS = ["etag", "last-modified", "content-type", "api-supported-versions", "trace-id", "request-context", "x-cache"];

async function replay(suite, transport = inProcessTransport) {
  const { client, close } = await transport();
  const ids = new Map();
  const seen = new Set();
  const result = { name: suite.name, total: 0, status: 0, shape: 0, preexisting: 0, misses: [], headerMisses: [] };
  for (const entry of suite.entries) {
    const headers = entry.RequestHeaders ?? {};
    const contentType = headers["Content-Type"] ?? headers["content-type"];
    const options = { skipUrlEncoding: true };
    if (entry.RequestBody !== null && entry.RequestBody !== undefined) {
      options.body = entry.RequestBody;
      options.contentType = contentType ?? "application/json";
    }
    const target = pathAndQuery(entry.RequestUri, ids);
    const res = await client.pathUnchecked(target)[entry.RequestMethod.toLowerCase()](options);
    const recordedBody = entry.ResponseBody ?? undefined;
    learnIds(recordedBody, res.body, ids);
    result.total += 1;
    const resourcePath = new URL(entry.RequestUri).pathname;
    const firstUpsert = entry.RequestMethod === "PATCH" && !seen.has(resourcePath);
    if (entry.RequestMethod === "PATCH") seen.add(resourcePath);
    if (firstUpsert && entry.StatusCode === 200 && res.status === "201") result.preexisting += 1;
    const statusOk = Number(res.status) === entry.StatusCode;
    const diffs = sameShape(recordedBody, res.body);
    if (statusOk) {
      result.status += 1;
      const recordedNames = new Set(Object.keys(entry.ResponseHeaders ?? {}).map((h) => h.toLowerCase()));
      const ours = typeof res.headers?.get === "function" ? (name) => res.headers.get(name) : (name) => res.headers?.[name];
      for (const name of RECORDED_HEADERS) {
        if (recordedNames.has(name) && (ours(name) === undefined || ours(name) === null)) {
          result.headerMisses.push(`${entry.RequestMethod} ${new URL(entry.RequestUri).pathname}: no ${name}`);
        }
      }
    }
    if (statusOk && diffs.length === 0) result.shape += 1;
    else if (!statusOk || result.misses.length < 5) {
      result.misses.push(`${entry.RequestMethod} ${new URL(entry.RequestUri).pathname}: recorded ${entry.StatusCode}, emulator ${res.status}${diffs.length ? "; " + diffs.slice(0, 3).join(", ") : ""}`);
    }
  }
  await close();
  return result;
}

describe("recordings replay", { skip }, () => {
  test("status codes and body shapes agree with the real service", async (t) => {
    const results = [];
    for (const suite of suites()) results.push(await replay(suite));
    let total = 0, status = 0, shape = 0;
    let preexisting = 0;
    const lines = ["suite | requests | same status | same status and body shape | first PATCH 200 in the recording (fixture left by an earlier run)"];
    for (const r of results) {
      total += r.total;
      status += r.status;
      shape += r.shape;
      preexisting += r.preexisting;
      lines.push(`${r.name} | ${r.total} | ${r.status} | ${r.shape} | ${r.preexisting}`);
    }
    lines.push(`all | ${total} | ${status} (${((100 * status) / total).toFixed(1)} %) | ${shape} (${((100 * shape) / total).toFixed(1)} %) | ${preexisting}`);
    for (const line of lines) t.diagnostic(line);
    for (const r of results) for (const miss of r.misses) t.diagnostic(`  ${r.name}: ${miss}`);
    assert.ok(total >= 300, `expected the full recording set, replayed ${total} requests`);
    // The CRUD sessions of policies, queues and workers (JS SDK) must agree on every status code.
    // every status code agrees except where the recorded resource already held the fixture.
    for (const r of results.filter((x) => /js\/jobrouterclient_((classification|distribution|exception)_policy|queue|worker)_operations/.test(x.name))) {
      assert.equal(r.status + r.preexisting, r.total, `${r.name}: ${r.status}/${r.total} status codes agree (${r.preexisting} pre-existing fixtures)`);
    }
    inProcessResults = results;
  });

  test("through the HTTP server with the official Azure REST pipeline: the same agreement, and the recorded headers", async (t) => {
    const results = [];
    for (const suite of suites()) results.push(await replay(suite, httpTransport));
    const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
    t.diagnostic(`over HTTP: ${sum(results, "total")} requests, ${sum(results, "status")} same status, ${sum(results, "shape")} same status and body shape`);
    const headerMisses = results.flatMap((r) => r.headerMisses.map((m) => `${r.name}: ${m}`));
    assert.deepEqual(headerMisses.slice(0, 10), [], `${headerMisses.length} responses lack a header the service sent`);
    if (inProcessResults) {
      // The server adds transport, nothing else: every suite agrees exactly as much as in process.
      assert.deepEqual(
        results.map((r) => [r.name, r.status, r.shape]),
        inProcessResults.map((r) => [r.name, r.status, r.shape]),
      );
    }
  });
});

let inProcessResults = null;
