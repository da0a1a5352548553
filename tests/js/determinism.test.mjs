// Determinism across builds, byte for byte: every input of the fuzz corpus (tests/fuzz/corpus: seeded scenarios
// from the reference examples and recordings plus hand-written flows with offers, clock steps, exception rules,
// host-served rules and scheduling) is run through the product WebAssembly module (js/generated/jobrouter-core.js)
// and through the native build (build/native/unit_tests, hidden test "[transcripts]", same decoding in
// tests/fuzz/fuzz-input.hpp), and the two transcripts — every status, header, body, event, explanation and the final
// exported state — must be identical. Skips with a message when either build is absent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const corpusDir = join(root, "tests/fuzz/corpus");
const nativeRunner = join(root, "build/native/unit_tests");
const wasmModule = join(root, "js/generated/jobrouter-core.js");

const MAX_STEPS = 64;
const MAX_ADVANCE_MS = 30 * 24 * 3600 * 1000;

// ---- the decoding of tests/fuzz/fuzz-input.hpp, step for step ------------------------------------------------------
function splitSteps(input) {
  const steps = [];
  let start = 0;
  while (steps.length < MAX_STEPS) {
    const sep = input.indexOf("\n%%\n", start);
    if (sep < 0) {
      steps.push(input.slice(start));
      break;
    }
    steps.push(input.slice(start, sep));
    start = sep + 4;
  }
  return steps;
}

function parseStep(text) {
  const eol = text.indexOf("\n");
  let first = eol < 0 ? text : text.slice(0, eol);
  if (first.endsWith("\r")) first = first.slice(0, -1);
  const space = first.indexOf(" ");
  const step = { verb: space < 0 ? first : first.slice(0, space), target: space < 0 ? "" : first.slice(space + 1),
    headers: {}, explicitHeaders: false, body: "" };
  let rest = eol < 0 ? "" : text.slice(eol + 1);
  while (rest.length > 0) {
    const end = rest.indexOf("\n");
    const line = end < 0 ? rest : rest.slice(0, end);
    const next = end < 0 ? "" : rest.slice(end + 1);
    if (line.length === 0) {
      rest = next;
      break;
    }
    const m = /^([A-Za-z0-9_-]+):/.exec(line);
    if (!m) break;
    step.headers[m[1]] = line.slice(m[0].length).replace(/^ +/, "");
    step.explicitHeaders = true;
    rest = next;
  }
  step.body = rest;
  return step;
}

function replaceAll(text, token, value) {
  return value ? text.split(token).join(value) : text;
}

function rememberLast(text, key, previous) {
  const needle = `"${key}":"`;
  const at = text.lastIndexOf(needle);
  if (at < 0) return previous;
  const from = at + needle.length;
  const end = text.indexOf('"', from);
  // The C++ side limits the value to 256 bytes; ids here are ASCII, so characters and bytes agree.
  return end >= 0 && end - from < 256 ? text.slice(from, end) : previous;
}

function parseMillis(text) {
  let value = 0;
  for (const c of text) {
    if (c < "0" || c > "9") break;
    value = value * 10 + (c.charCodeAt(0) - 48);
    if (value > MAX_ADVANCE_MS) return MAX_ADVANCE_MS;
  }
  return value;
}

const withApiVersion = (target) =>
  target.includes("api-version") ? target : `${target}${target.includes("?") ? "&" : "?"}api-version=2023-11-01`;

function transcript(Router, input) {
  const router = new Router(JSON.stringify({ seed: 1, startTime: "2024-01-01T00:00:00Z", checkApiVersion: true, errorShape: "real" }));
  let out = "";
  let lastOffer = "", lastAssignment = "", lastJob = "";
  try {
    for (const text of splitSteps(input)) {
      const step = parseStep(text);
      if (!step.verb) continue;
      for (const key of ["target", "body"]) {
        step[key] = replaceAll(replaceAll(replaceAll(step[key], "$OFFER", lastOffer), "$ASSIGNMENT", lastAssignment), "$JOB", lastJob);
      }
      out += `> ${step.verb} ${step.target}\n`;
      if (step.verb === "ADVANCE") {
        const ms = parseMillis(step.target);
        if (ms > 0) router.advance(ms);
      } else if (step.verb === "SETTIME") {
        out += router.setTime(step.target) ? "set\n" : "not set\n";
      } else if (step.verb === "ANSWER") {
        const pending = router.drainRuleRequests();
        out += `requests ${pending}\n`;
        let requests = null;
        try { requests = JSON.parse(pending); } catch { requests = null; }
        if (Array.isArray(requests)) {
          for (const request of requests) {
            if (!request || typeof request.requestId !== "string") continue;
            const ok = router.answerRuleRequest(request.requestId, step.body, step.target === "error" ? "host function failed" : "");
            out += ok ? "answered\n" : "refused\n";
          }
        }
      } else if (step.verb === "EXPLAIN") {
        out += `${router.explain(step.target)}\n`;
      } else {
        const headers = { ...step.headers };
        if (!step.explicitHeaders) {
          if (step.verb === "PATCH") headers["content-type"] = "application/merge-patch+json";
          else if (step.verb === "POST" && step.body) headers["content-type"] = "application/json";
          else if (step.verb === "POST") headers["content-length"] = "0";
        }
        const r = router.handle(step.verb, withApiVersion(step.target), JSON.stringify(headers), step.body);
        out += `< ${r.status}\n`;
        const responseHeaders = JSON.parse(r.headers);
        for (const name of Object.keys(responseHeaders).sort()) out += `${name}: ${responseHeaders[name]}\n`;
        out += `${r.body}\n`;
        if (r.status < 300) {
          lastOffer = rememberLast(r.body, "offerId", lastOffer);
          lastAssignment = rememberLast(r.body, "assignmentId", lastAssignment);
          lastJob = rememberLast(r.body, "jobId", lastJob);
        }
      }
      out += `events ${router.drainEvents()}\n`;
    }
    out += `state ${router.exportState()}\n`;
  } finally {
    router.delete();
  }
  return out;
}

// Inputs whose bytes are UTF-8 text (the JS API takes strings; others cannot be passed unchanged) and whose
// header names are distinct in lower case (the binding takes headers as a JSON object).
function comparableInputs() {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const inputs = [];
  for (const name of readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort()) {
    const bytes = readFileSync(join(corpusDir, name));
    try {
      inputs.push({ name, text: decoder.decode(bytes) });
    } catch {
      // not UTF-8: native only
    }
  }
  return inputs;
}

test("the WebAssembly module and the native build give byte-identical transcripts for every corpus input", async (t) => {
  if (!existsSync(wasmModule)) {
    t.skip("js/generated/jobrouter-core.js is not built (npm run build)");
    return;
  }
  if (!existsSync(nativeRunner)) {
    t.skip("build/native/unit_tests is not built (npm run build with the native tree)");
    return;
  }
  const outDir = mkdtempSync(join(tmpdir(), "jr-transcripts-"));
  try {
    const run = spawnSync(nativeRunner, ["[transcripts]", "--use-colour", "no"], {
      env: { ...process.env, JR_TRANSCRIPT_DIR: outDir },
      encoding: "utf8",
      cwd: root,
    });
    assert.equal(run.status, 0, `native transcripts failed:\n${run.stdout}\n${run.stderr}`);
    // The product module as the package loads it (Node: zlib, synchronous instantiation).
    await import(pathToFileURL(join(root, "js/node-platform.js")).href);
    const { loadCore } = await import(pathToFileURL(join(root, "js/core-loader.js")).href);
    const core = await loadCore();
    const inputs = comparableInputs();
    assert.ok(inputs.length >= 10, "the corpus has inputs");
    let bytes = 0;
    for (const { name, text } of inputs) {
      const nativeFile = join(outDir, name.replace(/\.txt$/, ".out"));
      assert.ok(existsSync(nativeFile), `native transcript of ${name} is missing`);
      const native = readFileSync(nativeFile, "utf8");
      const wasm = transcript(core.Router, text);
      if (wasm !== native) {
        let at = 0;
        while (at < wasm.length && wasm[at] === native[at]) at++;
        assert.fail(`${name}: transcripts differ at character ${at}:\n  native: ${JSON.stringify(native.slice(Math.max(0, at - 80), at + 120))}\n  wasm:   ${JSON.stringify(wasm.slice(Math.max(0, at - 80), at + 120))}`);
      }
      bytes += Buffer.byteLength(native);
    }
    t.diagnostic(`${inputs.length} inputs, ${bytes} bytes of transcript identical`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
