// Generates the fuzz seed corpus (tests/fuzz/corpus/*.txt, committed as test data) in the script format of
// tests/fuzz/fuzz-input.hpp:
//   spec-*.txt       one file per example of the 2023-11-01 OpenAPI reference, after the resources it needs;
//   rec-*.txt        the recorded SDK sessions (method, target, content type, body), cut into pieces of at most
//                    12 KB; offer and assignment ids of the recording become $OFFER / $ASSIGNMENT;
//   flow-*.txt       hand-written flows reaching what the references do not (offers accepted and declined,
//                    clock steps, exception rules, host-served rules, scheduling);
//   regress-*.txt    inputs that once found a bug (written by hand; never overwritten here).
// Usage: node tests/fuzz/make-corpus.mjs   (spec-* and rec-* need the reference folder; skipped without it)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { findReference } from "../js/reference-dir.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "corpus");
const MAX_BYTES = 12 * 1024;
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (/^(spec|rec|flow)-/.test(f)) rmSync(join(out, f));

const SEP = "\n%%\n";
const step = (method, target, body, contentType) => {
  let text = `${method} ${target}`;
  if (contentType) text += `\ncontent-type: ${contentType}\n`;
  if (body !== undefined && body !== null && body !== "") {
    text += "\n" + (typeof body === "string" ? body : JSON.stringify(body));
  }
  return text;
};
let written = 0;
const write = (name, steps) => {
  writeFileSync(join(out, name), steps.join(SEP) + "\n");
  written++;
};
const safe = (s) => s.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 80);

// ---- 1. spec examples ------------------------------------------------------------------------------------------
const routes = {
  ClassificationPolicy: ["classificationPolicies", "classificationPolicyId"],
  DistributionPolicy: ["distributionPolicies", "distributionPolicyId"],
  ExceptionPolicy: ["exceptionPolicies", "exceptionPolicyId"],
  Queue: ["queues", "queueId"],
  Worker: ["workers", "workerId"],
  Job: ["jobs", "jobId"],
};
const listOf = { ListClassificationPolicies: "classificationPolicies", ListDistributionPolicies: "distributionPolicies",
  ListExceptionPolicies: "exceptionPolicies", ListQueues: "queues", ListWorkers: "workers", ListJobs: "jobs" };

function exampleStep(op, p) {
  const name = op.split("_")[1];
  const m = /^(Upsert|Get|Delete)(ClassificationPolicy|DistributionPolicy|ExceptionPolicy|Queue|Worker|Job)$/.exec(name);
  if (m) {
    const [coll, idParam] = routes[m[2]];
    const target = `/routing/${coll}/${encodeURIComponent(p[idParam])}`;
    if (m[1] === "Upsert") return step("PATCH", target, p.resource);
    return step(m[1] === "Get" ? "GET" : "DELETE", target);
  }
  if (listOf[name]) {
    const q = Object.entries(p).filter(([k]) => !["endpoint", "api-version"].includes(k))
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    return step("GET", `/routing/${listOf[name]}${q ? "?" + q : ""}`);
  }
  const body = p.options ?? p.cancelJobOptions;
  switch (name) {
    case "GetQueueStatistics": return step("GET", `/routing/queues/${encodeURIComponent(p.queueId)}/statistics`);
    case "GetInQueuePosition": return step("GET", `/routing/jobs/${encodeURIComponent(p.jobId)}/position`);
    case "CancelJob": case "ReclassifyJob":
      return step("POST", `/routing/jobs/${encodeURIComponent(p.jobId)}:${name === "CancelJob" ? "cancel" : "reclassify"}`, body);
    case "CompleteJob": case "CloseJob": case "UnassignJob": {
      const action = name.replace("Job", "").toLowerCase();
      return step("POST", `/routing/jobs/${encodeURIComponent(p.jobId)}/assignments/$ASSIGNMENT:${action}`, body);
    }
    case "AcceptJobOffer": case "DeclineJobOffer":
      return step("POST", `/routing/workers/${encodeURIComponent(p.workerId)}/offers/$OFFER:${name === "AcceptJobOffer" ? "accept" : "decline"}`, body);
    default: return null;
  }
}

const examplesDir = findReference(["jobrouter-2023-11-01/examples"], "Jobs_CreateJob.json");
if (!examplesDir) {
  console.log("reference examples not found: spec-* seeds skipped");
} else {
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => ({ file: f, doc: JSON.parse(readFileSync(join(examplesDir, f), "utf8")) }));
  const steps = examples.map((e) => ({ file: e.file, op: e.doc.operationId, text: exampleStep(e.doc.operationId, e.doc.parameters) }))
    .filter((s) => s.text);
  // Resources the examples refer to, created first in dependency order.
  const order = ["DistributionPolic", "ClassificationPolic", "ExceptionPolic", "Queue", "Worker", "Job"];
  const setup = order.flatMap((o) => steps.filter((s) => s.op.includes("Upsert" + o) && /Create|Register|Update/.test(s.file)))
    .map((s) => s.text);
  for (const s of steps) write(`spec-${safe(s.file.replace(/\.json$/, ""))}.txt`, [...setup.filter((t) => t !== s.text), s.text]);
  write("spec-all.txt", [...setup, ...steps.filter((s) => !s.op.includes("Upsert")).map((s) => s.text)]);
}

// ---- 2. recordings ---------------------------------------------------------------------------------------------
const recordingsDir = findReference(["recordings"], "SOURCES.tsv");
if (!recordingsDir) {
  console.log("recordings not found: rec-* seeds skipped");
} else {
  const files = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) walk(join(d, e.name)); else if (e.name.endsWith(".json")) files.push(join(d, e.name)); } };
  walk(recordingsDir);
  for (const file of files) {
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const entries = doc.Entries ?? doc.entries ?? [];
    const ids = new Map();
    const scan = (body) => {
      const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
      for (const [, k, v] of text.matchAll(/"(offerId|assignmentId)"\s*:\s*"([^"]+)"/g))
        ids.set(v, k === "offerId" ? "$OFFER" : "$ASSIGNMENT");
    };
    const steps = [];
    for (const e of entries) {
      let url;
      try { url = new URL(e.RequestUri); } catch { continue; }
      let target = url.pathname + url.search;
      for (const [id, token] of ids) target = target.split(id).join(token).split(encodeURIComponent(id)).join(token);
      const headers = Object.fromEntries(Object.entries(e.RequestHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const ct = headers["content-type"];
      let body = e.RequestBody;
      if (body && typeof body !== "string") body = JSON.stringify(body);
      const contentType = ct && !(e.RequestMethod === "PATCH" && ct === "application/merge-patch+json") ? ct : undefined;
      steps.push(step(e.RequestMethod, target, body, contentType));
      scan(e.ResponseBody);
    }
    const base = "rec-" + safe(relative(recordingsDir, file).replace(/\.json$/, "").replace(/[\\/]/g, "-"));
    let piece = [], size = 0, n = 0;
    const flush = () => { if (piece.length) write(`${base}${n ? "-" + n : ""}.txt`, piece); piece = []; size = 0; n++; };
    for (const s of steps) {
      if (size + s.length > MAX_BYTES) flush();
      piece.push(s.slice(0, MAX_BYTES));
      size += s.length + SEP.length;
    }
    flush();
  }
}

// ---- 3. hand-written flows -------------------------------------------------------------------------------------
const dp = (id, mode, extra = {}) => step("PATCH", `/routing/distributionPolicies/${id}`, { offerExpiresAfterSeconds: 60, mode, ...extra });
const queue = (id, body) => step("PATCH", `/routing/queues/${id}`, body);
const worker = (id, body) => step("PATCH", `/routing/workers/${id}`,
  { capacity: 10, queues: ["q1"], availableForOffers: true, channels: [{ channelId: "voice", capacityCostPerJob: 5 }], ...body });
const job = (id, body) => step("PATCH", `/routing/jobs/${id}`, { channelId: "voice", queueId: "q1", priority: 1, ...body });
const base = [dp("dp1", { kind: "longestIdle", maxConcurrentOffers: 2 }), queue("q1", { distributionPolicyId: "dp1" })];

write("flow-accept-complete-close.txt", [...base, worker("w1"), worker("w2", { labels: { skill: 5 } }), job("j1"),
  step("GET", "/routing/workers/w1"), step("POST", "/routing/workers/w1/offers/$OFFER:accept"),
  step("GET", "/routing/jobs/j1"), step("POST", "/routing/jobs/j1/assignments/$ASSIGNMENT:complete", { note: "done" }),
  step("POST", "/routing/jobs/j1/assignments/$ASSIGNMENT:close", { dispositionCode: "ok", closeAt: "2024-01-01T00:05:00Z" }),
  "ADVANCE 600000", step("DELETE", "/routing/jobs/j1"), step("DELETE", "/routing/workers/w1"), step("GET", "/routing/workers?state=active&hasCapacity=true")]);
write("flow-decline-expire.txt", [...base, worker("w1"), job("j1", { priority: 5 }), job("j2"),
  step("POST", "/routing/workers/w1/offers/$OFFER:decline", { retryOfferAt: "2024-01-01T00:00:30Z" }), "ADVANCE 30000",
  step("GET", "/routing/jobs?status=queued&maxpagesize=1"), "ADVANCE 61000", step("GET", "/routing/queues/q1/statistics"),
  step("GET", "/routing/jobs/j2/position"), "EXPLAIN j2"]);
write("flow-unassign-suspend.txt", [...base, worker("w1"), job("j1"), step("POST", "/routing/workers/w1/offers/$OFFER:accept"),
  step("POST", "/routing/jobs/j1/assignments/$ASSIGNMENT:unassign", { suspendMatching: true }), step("GET", "/routing/jobs/j1"),
  job("j1", { matchingMode: { kind: "queueAndMatch" } }), step("POST", "/routing/jobs/j1:cancel", { note: "n", dispositionCode: "c" }),
  step("DELETE", "/routing/jobs/j1")]);
write("flow-exceptions.txt", [...base, queue("q2", { distributionPolicyId: "dp1" }),
  step("PATCH", "/routing/exceptionPolicies/ep1", { exceptionRules: [
    { id: "wait", trigger: { kind: "waitTime", thresholdSeconds: 10 }, actions: [{ kind: "manualReclassify", queueId: "q2", priority: 3, workerSelectors: [{ key: "a", labelOperator: "equal", value: 1 }] }] },
    { id: "len", trigger: { kind: "queueLength", threshold: 1 }, actions: [{ kind: "reclassify", classificationPolicyId: "cp1", labelsToUpsert: { x: 1 } }, { kind: "cancel", note: "full" }] }] }),
  step("PATCH", "/routing/classificationPolicies/cp1", { fallbackQueueId: "q1", prioritizationRule: { kind: "expression", expression: "If(job.x = 1, 5, 1)" } }),
  queue("q1", { distributionPolicyId: "dp1", exceptionPolicyId: "ep1" }), job("j1"), job("j2"), job("j3"), "ADVANCE 11000",
  step("GET", "/routing/jobs?queueId=q2"), step("POST", "/routing/jobs/j1:reclassify", {})]);
write("flow-classification.txt", [...base, queue("q2", { distributionPolicyId: "dp1", labels: { lang: "fr" } }),
  step("PATCH", "/routing/classificationPolicies/cp1", { queueSelectorAttachments: [
    { kind: "conditional", condition: { kind: "expression", expression: "job.lang = \"fr\"" }, queueSelectors: [{ key: "lang", labelOperator: "equal", value: "fr" }] },
    { kind: "passThrough", key: "region", labelOperator: "equal" },
    { kind: "ruleEngine", rule: { kind: "directMap" } },
    { kind: "weightedAllocation", allocations: [{ weight: 1, queueSelectors: [{ key: "lang", labelOperator: "notEqual", value: "de" }] }] },
    { kind: "static", queueSelector: { key: "lang", labelOperator: "greaterThanOrEqual", value: "a" } }],
    workerSelectorAttachments: [{ kind: "static", workerSelector: { key: "skill", labelOperator: "greaterThan", value: 2, expiresAfterSeconds: 5, expedite: true } }],
    prioritizationRule: { kind: "static", value: 7 } }),
  worker("w1", { queues: ["q1", "q2"], labels: { skill: 5, lang: "fr" } }),
  job("j1", { classificationPolicyId: "cp1", labels: { lang: "fr", region: "eu" } }), "ADVANCE 6000", step("GET", "/routing/jobs/j1"),
  job("j1", { labels: { lang: "de" } }), "EXPLAIN j1"]);
write("flow-host-rules.txt", [...base, step("PATCH", "/routing/classificationPolicies/cpf",
  { prioritizationRule: { kind: "function", functionUri: "https://f.example/prio", credential: { appKey: "k", clientId: "c" } },
    workerSelectorAttachments: [{ kind: "ruleEngine", rule: { kind: "webhook", webhookUri: "https://w.example/sel", authorizationServerUri: "https://a.example", clientCredential: { clientId: "c", clientSecret: "s" } } }] }),
  job("j1", { classificationPolicyId: "cpf" }), step("ANSWER", "", 4), job("j2", { classificationPolicyId: "cpf" }), "ANSWER error",
  step("PATCH", "/routing/distributionPolicies/best", { offerExpiresAfterSeconds: 30, mode: { kind: "bestWorker",
    scoringRule: { kind: "function", functionUri: "https://f.example/score" }, scoringRuleOptions: { batchSize: 2, isBatchScoringEnabled: true, descendingOrder: true, scoringParameters: ["jobLabels", "workerSelectors"] } } }),
  queue("qb", { distributionPolicyId: "best" }), worker("w1", { queues: ["qb"] }), worker("w2", { queues: ["qb"] }), job("j3", { queueId: "qb" }),
  step("ANSWER", "", { w1: 1, w2: 2 })].map((s) => s.replace(/^ANSWER \n/, "ANSWER\n")));
write("flow-scheduled.txt", [...base, worker("w1"), job("j1", { matchingMode: { kind: "scheduleAndSuspend", scheduleAt: "2024-01-01T01:00:00Z" } }),
  "SETTIME 2024-01-01T01:00:01Z", step("GET", "/routing/jobs?status=waitingForActivation"),
  job("j1", { matchingMode: { kind: "queueAndMatch" } }), job("j2", { matchingMode: { kind: "suspend" } }),
  step("GET", "/routing/jobs?scheduledBefore=2024-01-02T00:00:00Z&scheduledAfter=2023-01-01T00:00:00Z")]);
write("flow-roundrobin-capacity.txt", [dp("rr", { kind: "roundRobin", minConcurrentOffers: 1, maxConcurrentOffers: 3, bypassSelectors: true }),
  queue("q1", { distributionPolicyId: "rr" }), worker("w1", { capacity: 2, channels: [{ channelId: "voice", capacityCostPerJob: 1, maxNumberOfJobs: 1 }] }),
  worker("w2"), job("j1"), job("j2"), job("j3"), step("PATCH", "/routing/workers/w2", { capacity: 1 }),
  step("PATCH", "/routing/workers/w1", { availableForOffers: false }), step("GET", "/routing/workers?channelId=voice&queueId=q1"),
  step("DELETE", "/routing/queues/q1"), step("DELETE", "/routing/distributionPolicies/rr")]);
write("flow-conditional.txt", [...base,
  step("PATCH", "/routing/queues/q1", { name: "n" }, "application/merge-patch+json").replace("content-type", "if-match: \"x\"\ncontent-type"),
  step("GET", "/routing/queues?maxpagesize=1"), step("GET", "/routing/queues?maxpagesize=1&continuationToken=bad"),
  step("PATCH", "/routing/queues/q1", "{\"name\": null}", "text/plain"), step("GET", "/routing/queues/q1?api-version=2021-01-01"),
  step("PUT", "/routing/queues/q1", { distributionPolicyId: "dp1" }), step("GET", "/routing/nothing/here")]);
// Power Fx expression rules: Blank labels, the functions, in/exactin with tables, %, ^, IfError, and errors.
write("flow-expressions.txt", [...base, queue("q2", { distributionPolicyId: "dp1", labels: { lang: "fr" } }),
  step("PATCH", "/routing/classificationPolicies/cpx", { fallbackQueueId: "q1",
    prioritizationRule: { kind: "expression", expression: "If(job.Escalated = true, 10, 1)" },
    queueSelectorAttachments: [
      { kind: "conditional", condition: { kind: "expression", expression: 'Lower(Trim(job.lang)) in ["fr", "be"] And Not(IsBlank(job.lang))' },
        queueSelectors: [{ key: "lang", labelOperator: "equal", value: "fr" }] },
      { kind: "conditional", condition: { kind: "expression", expression: "IfError(Value(job.tier) / job.zero > 1, false)" }, queueSelectors: [] }],
    workerSelectorAttachments: [{ kind: "conditional",
      condition: { kind: "expression", expression: 'StartsWith(Text(Round(job.score, 1), "#,##0.0"), "1") || Len(Mid(job.lang, 2)) >= 1' },
      workerSelectors: [{ key: "skill", labelOperator: "greaterThan", value: 1 }] }] }),
  step("PATCH", "/routing/classificationPolicies/cpy", { fallbackQueueId: "q1", prioritizationRule: { kind: "expression",
    expression: 'Switch(job.lang, "fr", Max(job.tier, 2), "de", Coalesce(job.boost, 3) ^ 2 % 5, Min(Sum(1, Blank()), Average(4, "6")))' } }),
  step("PATCH", "/routing/classificationPolicies/cpz", { fallbackQueueId: "q1", prioritizationRule: { kind: "expression",
    expression: 'Mod(Len(Substitute(Replace(Concatenate(Upper(Proper(job.lang)), Right(Left(EndsWith(job.lang, "R") & TrimEnds(" x "), 3), 2)), 1, 1, "9"), "R", "")), 7) + Abs(RoundUp(Sqrt(Power(2, 3)), 0)) - RoundDown(Ln(Exp(1)), 0) - Trunc(Find("r", job.lang, 1)) + Int(Boolean("true")) * 0 + IsEmpty([]) * 0 + (job.lang exactin "fr") * 0' } }),
  worker("w1", { queues: ["q1", "q2"], labels: { skill: 5 } }),
  job("j1", { classificationPolicyId: "cpx", labels: { lang: " FR ", tier: "2", zero: 0, score: 1.25 } }),
  job("j2", { classificationPolicyId: "cpx" }),
  job("j3", { classificationPolicyId: "cpy", labels: { lang: "de" } }),
  job("j4", { classificationPolicyId: "cpz", labels: { lang: "fr" } }),
  job("j5", { classificationPolicyId: "cpy", labels: { lang: "fr", tier: "x" } }),
  step("PATCH", "/routing/classificationPolicies/cpw", { fallbackQueueId: "q1", prioritizationRule: { kind: "expression", expression: "if(1/0, Mid(\"a\", 0), [1])" } }),
  job("j6", { classificationPolicyId: "cpw" }),
  step("GET", "/routing/jobs?status=classificationFailed"), "EXPLAIN j1"]);
console.log(`wrote ${written} seed files to ${relative(process.cwd(), out) || "."}`);
