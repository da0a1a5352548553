// The demo page: renders queues, jobs and workers from the REST API, turns every button into an SDK
// call (shown in the "SDK calls" panel), keeps an event log and drives the clock.
// Plain ES module, no framework: see the README's "Browser demo" section.

import { isUnexpected, paginate } from "../js/index.js";
import { connect } from "./backend.js";
import { PRESETS } from "./presets.js";
import { setupFaultsPanel } from "./faults-panel.js";
import { setupRuleTryout } from "./rule-tryout.js";
import { eventSummary } from "./event-summaries.js";

const MERGE = "application/merge-patch+json";
const MAX_EVENTS = 500;
const MAX_CALLS = 80;
const FINISHED = new Set(["closed", "cancelled", "classificationFailed"]);
const WAITING = new Set(["pendingSchedule", "scheduled", "waitingForActivation"]);

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** @type {Awaited<ReturnType<typeof connect>>} */
let backend;
/** the Faults card (faults-panel.js), once connected */
let faultsPanel = null;
/** the Try a rule card (rule-tryout.js), once connected */
let ruleTryout = null;
const state = {
  queues: [],
  workers: [],
  jobs: [],
  distributionPolicies: [],
  classificationPolicies: [],
  exceptionPolicies: [],
  statistics: new Map(),
  positions: new Map(),
  events: [],
  /** values typed into inputs that live inside re-rendered cards, by input key */
  inputs: new Map(),
  preset: null,
};

// ---- small helpers ------------------------------------------------------------------------------

function escapeHtml(value) {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
const h = escapeHtml;

function toast(message, kind = "info") {
  const element = $("#toast");
  element.textContent = message;
  element.className = `toast ${kind}`;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    element.textContent = "";
    element.className = "toast";
  }, kind === "error" ? 8000 : 4000);
}

function nowMillis() {
  return backend.clock.nowMillis();
}

/** "00:01:05" (virtual time of day, UTC). */
function clockText(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

/** "1 min 05 s" / "42 s". */
function durationText(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const seconds = String(total % 60).padStart(2, "0");
  if (minutes < 60) return `${minutes} min ${seconds} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** "a=1, b=x, c=true" → { a: 1, b: "x", c: true } */
function parseLabels(text) {
  const labels = {};
  for (const part of String(text).split(",")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) throw new Error(`"${trimmed}" is not key=value`);
    labels[trimmed.slice(0, eq).trim()] = parseValue(trimmed.slice(eq + 1).trim());
  }
  return labels;
}

function parseValue(text) {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text !== "" && !Number.isNaN(Number(text))) return Number(text);
  return text.replace(/^["']|["']$/g, "");
}

const OPERATORS = {
  "=": "equal",
  "==": "equal",
  "!=": "notEqual",
  "<>": "notEqual",
  "<": "lessThan",
  "<=": "lessThanOrEqual",
  ">": "greaterThan",
  ">=": "greaterThanOrEqual",
};

/** "skill >= 5, language = en" → worker selectors */
function parseSelectors(text) {
  const selectors = [];
  for (const part of String(text).split(",")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const match = /^([^<>=!]+?)\s*(<=|>=|==|!=|<>|=|<|>)\s*(.+)$/.exec(trimmed);
    if (!match) throw new Error(`"${trimmed}" is not a selector like "skill >= 5"`);
    selectors.push({ key: match[1].trim(), labelOperator: OPERATORS[match[2]], value: parseValue(match[3].trim()) });
  }
  return selectors;
}

/** JSON with unquoted identifier keys: reads like the code one would write. */
function jsLiteral(value) {
  return JSON.stringify(value, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, "$1$2:");
}

function errorText(response) {
  const inner = response.body?.communicationError ?? response.body?.error;
  if (!inner) return `HTTP ${response.status}`;
  const details = Array.isArray(inner.details)
    ? inner.details.map((d) => `${d.target ? `${d.target}: ` : ""}${d.message ?? d.code}`).join("; ")
    : "";
  return `${response.status} ${inner.code ?? ""}: ${inner.message ?? ""}${details ? ` (${details})` : ""}`;
}

// ---- the SDK call log ---------------------------------------------------------------------------

/** Adds an entry to the "SDK calls" panel. */
function recordCall({ label, code, status, ok, message }) {
  const list = $("#call-log");
  const item = document.createElement("li");
  item.className = `call ${ok ? "ok" : "failed"}`;
  const id = `call-${recordCall.count = (recordCall.count ?? 0) + 1}`;
  item.innerHTML =
    `<div class="call-head"><span class="status" title="HTTP status">${h(status)}</span>` +
    `<span class="call-label">${h(label)}</span>` +
    `<button type="button" class="copy" data-copy-target="${id}" aria-label="Copy the code of: ${h(label)}">Copy</button></div>` +
    `<pre><code id="${id}">${h(code)}</code></pre>` +
    (message ? `<p class="call-error">${h(message)}</p>` : "");
  list.prepend(item);
  while (list.children.length > MAX_CALLS) list.lastElementChild.remove();
}

/**
 * Makes one SDK call, shows it in the SDK panel, and reports failures. Resolves to the response
 * ({status, body, ...}), also for unexpected statuses.
 */
async function call(label, template, ids, verb, options) {
  const args = [template, ...ids].map((value) => JSON.stringify(value)).join(", ");
  const code = `await client.path(${args}).${verb}(${options ? jsLiteral(options) : ""});`;
  let response;
  if (faultsPanel) await faultsPanel.beforeCall(verb, template);  // an armed failure is queued for this call
  try {
    response = await backend.client.path(template, ...ids)[verb](options ?? {});
  } catch (error) {
    recordCall({ label, code, status: "error", ok: false, message: error.message });
    toast(`${label}: ${error.message}`, "error");
    throw error;
  }
  const ok = !isUnexpected(response);
  const message = ok ? "" : errorText(response);
  recordCall({ label, code, status: response.status, ok, message });
  if (!ok) toast(`${label}: ${message}`, "error");
  scheduleRefresh();
  return response;
}

/** Records a call of the emulator's own API (clock, explain, reset), which has no SDK equivalent. */
function recordEmulatorCall(label, inProcessCode, serverCode) {
  recordCall({ label, code: backend.mode === "server" ? serverCode : inProcessCode, status: "ok", ok: true });
}

// ---- reading the state --------------------------------------------------------------------------

async function listAll(template) {
  const first = await backend.client.path(template).get({ queryParameters: { maxpagesize: 100 } });
  if (isUnexpected(first)) throw new Error(`GET ${template}: ${errorText(first)}`);
  const items = [];
  for await (const item of paginate(backend.client, first)) items.push(item);
  return items;
}

async function readState() {
  const [queues, workers, jobs, distributionPolicies, classificationPolicies, exceptionPolicies] = await Promise.all([
    listAll("/routing/queues"),
    listAll("/routing/workers"),
    listAll("/routing/jobs"),
    listAll("/routing/distributionPolicies"),
    listAll("/routing/classificationPolicies"),
    listAll("/routing/exceptionPolicies"),
  ]);
  const statistics = new Map();
  await Promise.all(
    queues.map(async (queue) => {
      const response = await backend.client.path("/routing/queues/{queueId}/statistics", queue.id).get();
      if (!isUnexpected(response)) statistics.set(queue.id, response.body);
    }),
  );
  const positions = queuePositions(jobs);
  Object.assign(state, { queues, workers, jobs, distributionPolicies, classificationPolicies, exceptionPolicies, statistics, positions });
}

/**
 * Position of every queued job in its queue, from one consistent list (expedited first, then higher
 * priority, then earlier enqueue), as GET /routing/jobs/{jobId}/position counts it. Asking the
 * position endpoint per job during a refresh would race with jobs leaving the queue (a 400); the
 * "Why not offered?" dialog asks the endpoint for the job it shows.
 */
function queuePositions(jobs) {
  const expedited = (job) =>
    [...(job.requestedWorkerSelectors ?? []), ...(job.attachedWorkerSelectors ?? [])].some(
      (selector) => selector.expedite && selector.status !== "expired",
    );
  const creation = new Map(jobs.map((job, index) => [job.id, -index])); // the list is newest first
  const byQueue = new Map();
  for (const job of jobs) {
    if (job.status !== "queued") continue;
    byQueue.set(job.queueId, [...(byQueue.get(job.queueId) ?? []), job]);
  }
  const positions = new Map();
  for (const queued of byQueue.values()) {
    queued.sort(
      (a, b) =>
        Number(expedited(b)) - Number(expedited(a)) ||
        b.priority - a.priority ||
        Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt) ||
        creation.get(a.id) - creation.get(b.id),
    );
    queued.forEach((job, index) => positions.set(job.id, { position: index + 1, queueLength: queued.length }));
  }
  return positions;
}

let refreshing = null;
let refreshAgain = false;

/** Re-reads everything and re-renders; calls made meanwhile are coalesced into one more pass. */
function scheduleRefresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        refreshAgain = false;
        await readState();
        render();
      } while (refreshAgain);
    } catch (error) {
      toast(`Refresh failed: ${error.message}`, "error");
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// ---- rendering ----------------------------------------------------------------------------------

/**
 * Replaces a container's HTML only when it changed, keeping keyboard focus on the element with the
 * same data-key (cards are re-rendered as the state moves on).
 */
function patchHtml(container, html) {
  if (container.dataset.html === html) return;
  const active = document.activeElement;
  const focusKey = active && container.contains(active) ? active.dataset.key : undefined;
  container.innerHTML = html;
  container.dataset.html = html;
  if (focusKey) $(`[data-key="${CSS.escape(focusKey)}"]`, container)?.focus();
}

function inputValue(key, fallback = "") {
  return state.inputs.has(key) ? state.inputs.get(key) : fallback;
}

function jobById(id) {
  return state.jobs.find((job) => job.id === id);
}

function statusBadge(status) {
  return `<span class="badge status-${h(status)}">${h(status)}</span>`;
}

function labelChips(labels, skip = ["Id"]) {
  const entries = Object.entries(labels ?? {}).filter(([key]) => !skip.includes(key));
  if (entries.length === 0) return "";
  return `<ul class="chips" aria-label="labels">${entries
    .map(([key, value]) => `<li>${h(key)}=${h(value)}</li>`)
    .join("")}</ul>`;
}

function selectorText(selectors) {
  const symbols = { equal: "=", notEqual: "≠", lessThan: "<", lessThanOrEqual: "≤", greaterThan: ">", greaterThanOrEqual: "≥" };
  return selectors
    .map((s) => `${s.key} ${symbols[s.labelOperator] ?? s.labelOperator} ${s.value}${s.status === "expired" ? " (expired)" : ""}`)
    .join(", ");
}

function jobActions(job) {
  const buttons = [];
  if (job.status === "waitingForActivation" || job.status === "scheduled") {
    buttons.push(`<button type="button" data-action="activate" data-job="${h(job.id)}" data-key="activate:${h(job.id)}">Activate</button>`);
  }
  if (!FINISHED.has(job.status) && job.status !== "assigned" && job.status !== "completed") {
    buttons.push(`<button type="button" data-action="cancel" data-job="${h(job.id)}" data-key="cancel:${h(job.id)}">Cancel</button>`);
  }
  buttons.push(
    `<button type="button" data-action="explain" data-job="${h(job.id)}" data-key="explain:${h(job.id)}">Why not offered?</button>`,
  );
  return buttons.join("");
}

function waitCell(job) {
  if (job.status === "queued" && job.enqueuedAt) {
    return `<span class="since" data-since="${Date.parse(job.enqueuedAt)}"></span>`;
  }
  if (job.status === "assigned" || job.status === "completed") {
    const assignment = Object.values(job.assignments ?? {}).find((a) => !a.closedAt);
    return assignment ? `with ${h(assignment.workerId)}` : "";
  }
  if (job.matchingMode?.kind === "scheduleAndSuspend" && job.matchingMode.scheduleAt && job.status !== "waitingForActivation") {
    return `due <span class="countdown" data-until="${Date.parse(job.matchingMode.scheduleAt)}"></span>`;
  }
  return "";
}

function jobRows(jobs) {
  return jobs
    .map((job) => {
      const position = state.positions.get(job.id);
      const selectors = [...(job.requestedWorkerSelectors ?? []), ...(job.attachedWorkerSelectors ?? [])];
      const offeredTo = state.workers.filter((w) => w.offers.some((o) => o.jobId === job.id)).map((w) => w.id);
      return (
        `<tr class="job ${FINISHED.has(job.status) ? "finished" : ""}" data-job-row="${h(job.id)}">` +
        `<th scope="row"><span class="job-id">${h(job.id)}</span>` +
        `<span class="sub">${h(job.channelId)}${labelChips(job.labels)}</span>` +
        (selectors.length ? `<span class="sub">needs ${h(selectorText(selectors))}</span>` : "") +
        `</th>` +
        `<td class="num" data-label="priority">${h(job.priority)}</td>` +
        `<td>${statusBadge(job.status)}${position ? ` <span class="position" title="position in queue">#${h(position.position)}</span>` : ""}` +
        `${offeredTo.length ? `<span class="sub">offered to ${h(offeredTo.join(", "))}</span>` : ""}</td>` +
        `<td class="wait">${waitCell(job)}</td>` +
        `<td class="actions">${jobActions(job)}</td></tr>`
      );
    })
    .join("");
}

function jobTable(jobs, caption) {
  if (jobs.length === 0) return `<p class="empty">No jobs yet.</p>`;
  return (
    `<div class="table-wrap"><table class="jobs"><caption class="visually-hidden">${h(caption)}</caption>` +
    `<thead><tr><th scope="col">Job</th><th scope="col">Priority</th><th scope="col">Status</th>` +
    `<th scope="col">Waiting</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>` +
    `<tbody>${jobRows(jobs)}</tbody></table></div>`
  );
}

const STATUS_ORDER = [
  "queued", "pendingClassification", "created", "pendingSchedule", "scheduled", "waitingForActivation",
  "assigned", "completed", "classificationFailed", "cancelled", "closed",
];

function sortJobs(jobs) {
  return [...jobs].sort((a, b) => {
    const pa = state.positions.get(a.id)?.position ?? Infinity;
    const pb = state.positions.get(b.id)?.position ?? Infinity;
    return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || pa - pb || a.id.localeCompare(b.id);
  });
}

/** Active jobs first; finished ones after them, at most `keep`. */
function visibleJobs(jobs, keep = 4) {
  const sorted = sortJobs(jobs);
  const active = sorted.filter((job) => !FINISHED.has(job.status));
  const finished = sorted.filter((job) => FINISHED.has(job.status));
  return { shown: [...active, ...finished.slice(0, keep)], hidden: Math.max(0, finished.length - keep) };
}

function renderQueues() {
  if (state.queues.length === 0) {
    patchHtml($("#queues"), `<p class="empty">No queues. Load a scenario above to start.</p>`);
    return;
  }
  const parts = state.queues.map((queue) => {
    const stats = state.statistics.get(queue.id);
    const policy = state.distributionPolicies.find((p) => p.id === queue.distributionPolicyId);
    const estimates = Object.entries(stats?.estimatedWaitTimeMinutes ?? {})
      .map(([priority, minutes]) => `priority ${h(priority)}: ~${h(minutes)} min`)
      .join(", ");
    const { shown, hidden } = visibleJobs(state.jobs.filter((job) => job.queueId === queue.id));
    return (
      `<article class="queue card" data-queue="${h(queue.id)}" aria-labelledby="queue-${h(queue.id)}">` +
      `<header class="card-head"><h3 id="queue-${h(queue.id)}">${h(queue.name ?? queue.id)}` +
      (queue.name ? ` <span class="id">${h(queue.id)}</span>` : "") +
      `</h3><button type="button" data-action="quick-job" data-queue="${h(queue.id)}" data-key="quick:${h(queue.id)}" ` +
      `aria-label="Add a job to ${h(queue.name ?? queue.id)}">+ Job</button></header>` +
      `<dl class="stats">` +
      `<div><dt>In queue</dt><dd data-stat="length">${h(stats?.length ?? 0)}</dd></div>` +
      `<div><dt>Longest wait</dt><dd>${stats?.longestJobWaitTimeMinutes !== undefined ? h(durationText(stats.longestJobWaitTimeMinutes * 60_000)) : "—"}</dd></div>` +
      `<div><dt>Estimated wait</dt><dd>${estimates || "—"}</dd></div>` +
      `<div><dt>Distribution</dt><dd>${h(policy?.mode?.kind ?? "?")}${policy?.offerExpiresAfterSeconds ? `, offers ${h(policy.offerExpiresAfterSeconds)} s` : ""}</dd></div>` +
      (queue.exceptionPolicyId ? `<div><dt>Exceptions</dt><dd>${h(queue.exceptionPolicyId)}</dd></div>` : "") +
      `</dl>` +
      jobTable(shown, `Jobs of ${queue.id}`) +
      (hidden ? `<p class="more">and ${hidden} more finished</p>` : "") +
      `</article>`
    );
  });
  const unrouted = state.jobs.filter((job) => !job.queueId || !state.queues.some((q) => q.id === job.queueId));
  if (unrouted.length) {
    const { shown } = visibleJobs(unrouted);
    parts.push(
      `<article class="queue card unrouted" aria-labelledby="queue-none"><header class="card-head">` +
        `<h3 id="queue-none">Not in a queue</h3></header>${jobTable(shown, "Jobs not in a queue")}</article>`,
    );
  }
  patchHtml($("#queues"), parts.join(""));
}

function offerItem(worker, offer) {
  const job = jobById(offer.jobId);
  const retryKey = `retry:${offer.offerId}`;
  return (
    `<li class="offer" data-offer="${h(offer.offerId)}" data-job="${h(offer.jobId)}">` +
    `<p><strong>${h(offer.jobId)}</strong>${job ? ` <span class="sub">${h(job.channelId)}, priority ${h(job.priority)}</span>` : ""}` +
    (offer.expiresAt ? ` <span class="expires">expires in <span class="countdown" data-until="${Date.parse(offer.expiresAt)}"></span></span>` : "") +
    `</p><div class="buttons">` +
    `<button type="button" class="primary" data-action="accept" data-worker="${h(worker.id)}" data-offer="${h(offer.offerId)}" data-key="accept:${h(offer.offerId)}">Accept</button>` +
    `<button type="button" data-action="decline" data-worker="${h(worker.id)}" data-offer="${h(offer.offerId)}" data-key="decline:${h(offer.offerId)}">Decline</button>` +
    `<label class="small">retry after <input type="number" min="0" step="10" inputmode="numeric" data-input="${h(retryKey)}" data-key="${h(retryKey)}" value="${h(inputValue(retryKey))}" placeholder="never" aria-label="Retry offering after (seconds), empty for never"> s</label>` +
    `</div></li>`
  );
}

function assignmentItem(worker, assigned) {
  const job = jobById(assigned.jobId);
  const assignment = job?.assignments?.[assigned.assignmentId];
  const completed = Boolean(assignment?.completedAt);
  const codeKey = `disposition:${assigned.assignmentId}`;
  const ids = `data-job="${h(assigned.jobId)}" data-assignment="${h(assigned.assignmentId)}"`;
  return (
    `<li class="assignment" ${ids}>` +
    `<p><strong>${h(assigned.jobId)}</strong> ${completed ? statusBadge("completed") : statusBadge("assigned")} ` +
    `<span class="sub">for <span class="since" data-since="${Date.parse(assigned.assignedAt)}"></span></span></p>` +
    `<div class="buttons">` +
    (completed
      ? `<label class="small">disposition <input data-input="${h(codeKey)}" data-key="${h(codeKey)}" value="${h(inputValue(codeKey, "Resolved"))}" size="9" aria-label="Disposition code"></label>` +
        `<button type="button" class="primary" data-action="close" ${ids} data-key="close:${h(assigned.assignmentId)}">Close</button>`
      : `<button type="button" class="primary" data-action="complete" ${ids} data-key="complete:${h(assigned.assignmentId)}">Complete</button>`) +
    `</div></li>`
  );
}

function renderWorkers() {
  if (state.workers.length === 0) {
    patchHtml($("#workers"), `<p class="empty">No workers yet.</p>`);
    return;
  }
  const html = state.workers
    .map((worker) => {
      const held = [...worker.offers, ...worker.assignedJobs];
      const used = held.reduce((sum, item) => sum + (item.capacityCost ?? 0), 0);
      const channels = worker.channels
        .map((channel) => {
          const count = held.filter((item) => jobById(item.jobId)?.channelId === channel.channelId).length;
          return `<li><span class="channel">${h(channel.channelId)}</span> ${count} job${count === 1 ? "" : "s"}` +
            ` <span class="sub">(cost ${h(channel.capacityCostPerJob)}${channel.maxNumberOfJobs ? `, max ${h(channel.maxNumberOfJobs)}` : ""})</span></li>`;
        })
        .join("");
      return (
        `<article class="worker card state-${h(worker.state)}" data-worker="${h(worker.id)}" aria-labelledby="worker-${h(worker.id)}">` +
        `<header class="card-head"><h3 id="worker-${h(worker.id)}">${h(worker.id)}</h3>${statusBadge(worker.state)}</header>` +
        `<p class="capacity"><label for="cap-${h(worker.id)}">Capacity used</label> ` +
        `<meter id="cap-${h(worker.id)}" min="0" max="${h(Math.max(worker.capacity, 1))}" value="${h(used)}">${h(used)}/${h(worker.capacity)}</meter> ` +
        `<span>${h(used)} of ${h(worker.capacity)}</span></p>` +
        `<ul class="channels" aria-label="channels">${channels}</ul>` +
        `<p class="sub">queues: ${h(worker.queues.join(", ") || "none")}</p>` +
        labelChips(worker.labels) +
        (worker.offers.length
          ? `<h4>Offers</h4><ul class="offers">${worker.offers.map((offer) => offerItem(worker, offer)).join("")}</ul>`
          : "") +
        (worker.assignedJobs.length
          ? `<h4>Assignments</h4><ul class="assignments">${worker.assignedJobs.map((a) => assignmentItem(worker, a)).join("")}</ul>`
          : "") +
        `<footer><button type="button" class="link" data-action="toggle-available" data-worker="${h(worker.id)}" data-key="avail:${h(worker.id)}">` +
        `${worker.availableForOffers ? "Stop offers (go offline)" : "Go online"}</button></footer>` +
        `</article>`
      );
    })
    .join("");
  patchHtml($("#workers"), html);
}

function fillSelect(select, items, { label = (item) => item.name ? `${item.name} (${item.id})` : item.id, empty } = {}) {
  const previous = select.value;
  const options = (empty ? [`<option value="">${h(empty)}</option>`] : []).concat(
    items.map((item) => `<option value="${h(item.id)}">${h(label(item))}</option>`),
  );
  const html = options.join("");
  if (select.dataset.html !== html) {
    select.innerHTML = html;
    select.dataset.html = html;
  }
  if (items.some((item) => item.id === previous)) select.value = previous;
  else if (select.dataset.wanted && items.some((item) => item.id === select.dataset.wanted)) select.value = select.dataset.wanted;
}

function renderForms() {
  const jobForm = $("#job-form");
  fillSelect(jobForm.queueId, state.queues);
  fillSelect(jobForm.classificationPolicyId, state.classificationPolicies, { empty: state.classificationPolicies.length ? undefined : "none yet" });
  const workerQueues = $("#worker-queues");
  const checked = new Set($$("input:checked", workerQueues).map((input) => input.value));
  const boxes = state.queues
    .map((queue) => `<label><input type="checkbox" name="queues" value="${h(queue.id)}"${checked.has(queue.id) ? " checked" : ""}> ${h(queue.id)}</label>`)
    .join("");
  if (workerQueues.dataset.ids !== state.queues.map((q) => q.id).join(",")) {
    workerQueues.innerHTML = boxes || `<span class="sub">no queues yet</span>`;
    workerQueues.dataset.ids = state.queues.map((q) => q.id).join(",");
  }
  const distributionForm = $("#distribution-form");
  const hadPolicy = distributionForm.policyId.value;
  fillSelect(distributionForm.policyId, state.distributionPolicies);
  if (distributionForm.policyId.value !== hadPolicy) loadDistributionPolicy();
  const exceptionForm = $("#exception-form");
  fillSelect(exceptionForm.queueId, state.queues);
  fillSelect(exceptionForm.targetQueueId, state.queues);
  renderExceptionRules();
}

function renderExceptionRules() {
  const form = $("#exception-form");
  const queue = state.queues.find((q) => q.id === form.queueId.value);
  const policy = queue?.exceptionPolicyId && state.exceptionPolicies.find((p) => p.id === queue.exceptionPolicyId);
  const rules = policy?.exceptionRules ?? [];
  const describe = (rule) => {
    const when = rule.trigger.kind === "waitTime"
      ? `after ${rule.trigger.thresholdSeconds} s of waiting`
      : `when more than ${rule.trigger.threshold} jobs wait`;
    const then = rule.actions
      .map((a) => a.kind === "manualReclassify" ? `move to ${a.queueId ?? "same queue"}${a.priority !== undefined ? ` at priority ${a.priority}` : ""}` : a.kind)
      .join(", then ");
    return `<li><code>${h(rule.id)}</code>: ${h(when)} → ${h(then)}</li>`;
  };
  patchHtml($("#exception-rules"), rules.length ? rules.map(describe).join("") : `<li class="sub">No rules on this queue.</li>`);
}

function render() {
  renderQueues();
  renderWorkers();
  renderForms();
  ruleTryout?.refresh();
  updateLive();
}

/** Per-frame text: the clock, countdowns and wait times (no re-render). */
function updateLive() {
  const now = nowMillis();
  const clock = $("#clock-now");
  const text = clockText(now);
  if (clock.textContent !== text) {
    clock.textContent = text;
    clock.dateTime = new Date(now).toISOString();
  }
  for (const element of $$(".countdown")) {
    const left = Number(element.dataset.until) - now;
    const value = left > 0 ? durationText(left + 999) : "now";
    if (element.textContent !== value) element.textContent = value;
  }
  for (const element of $$(".since")) {
    const value = durationText(now - Number(element.dataset.since));
    if (element.textContent !== value) element.textContent = value;
  }
}

// ---- event log ----------------------------------------------------------------------------------

function shortType(event) {
  return event.eventType.replace(/^Microsoft\.Communication\./, "");
}

function eventKind(type) {
  if (type.startsWith("RouterWorkerOffer")) return "offer";
  if (type.startsWith("RouterWorker")) return "worker";
  return "job";
}

function addEvent(event) {
  const type = shortType(event);
  const data = event.data ?? {};
  const item = document.createElement("li");
  item.className = `event kind-${eventKind(type)}`;
  item.dataset.type = type;
  item.dataset.seq = String(event.sequenceNumber ?? "");
  item.dataset.kind = eventKind(type);
  item.dataset.job = data.jobId ?? "";
  item.dataset.search = `${type} ${event.subject ?? ""} ${JSON.stringify(data)}`.toLowerCase();
  item.innerHTML =
    `<details><summary><time datetime="${h(event.eventTime)}">${h(clockText(Date.parse(event.eventTime)))}</time> ` +
    `<code class="type">${h(type.replace(/^Router/, ""))}</code> <span class="what">${h(eventSummary(type, data))}</span></summary>` +
    `<pre>${h(JSON.stringify(event, null, 2))}</pre></details>`;
  const list = $("#event-log");
  list.prepend(item);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
  applyEventFilter(item);
  $("#event-count").textContent = String(list.children.length);
  scheduleRefresh();
}

function applyEventFilter(item) {
  const text = $("#event-filter").value.trim().toLowerCase();
  const kind = $("#event-kind").value;
  const items = item ? [item] : $$("#event-log > li");
  for (const entry of items) {
    entry.hidden = (kind !== "all" && entry.dataset.kind !== kind) || (text !== "" && !entry.dataset.search.includes(text));
  }
}

function clearEvents() {
  $("#event-log").innerHTML = "";
  $("#event-count").textContent = "0";
}

// ---- actions ------------------------------------------------------------------------------------

function nextId(prefix, existing) {
  const ids = new Set(existing.map((item) => item.id));
  let n = 1;
  while (ids.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

async function createJob(body, id) {
  const jobId = id || nextId("job", state.jobs);
  const response = await call(`Create job ${jobId}`, "/routing/jobs/{jobId}", [jobId], "patch", { contentType: MERGE, body });
  if (!isUnexpected(response)) toast(`Job ${jobId} created (${response.body.status}).`);
  return response;
}

const actions = {
  async "quick-job"(button) {
    const queueId = button.dataset.queue;
    const channelId = state.workers.find((w) => w.queues.includes(queueId))?.channels[0]?.channelId ?? "voice";
    await createJob({ channelId, queueId, priority: 1 });
  },
  async accept(button) {
    const { worker, offer } = button.dataset;
    const response = await call(`${worker} accepts the offer`, "/routing/workers/{workerId}/offers/{offerId}:accept", [worker, offer], "post");
    if (!isUnexpected(response)) toast(`${worker} accepted ${response.body.jobId}: assignment ${response.body.assignmentId}.`);
  },
  async decline(button) {
    const { worker, offer } = button.dataset;
    const seconds = Number(inputValue(`retry:${offer}`));
    const options = seconds > 0 ? { body: { retryOfferAt: new Date(nowMillis() + seconds * 1000).toISOString() } } : undefined;
    const response = await call(`${worker} declines the offer`, "/routing/workers/{workerId}/offers/{offerId}:decline", [worker, offer], "post", options);
    if (!isUnexpected(response)) toast(`${worker} declined the offer.`);
  },
  async complete(button) {
    const { job, assignment } = button.dataset;
    const response = await call(`Complete ${job}`, "/routing/jobs/{jobId}/assignments/{assignmentId}:complete", [job, assignment], "post");
    if (!isUnexpected(response)) toast(`${job} completed: close it with a disposition code.`);
  },
  async close(button) {
    const { job, assignment } = button.dataset;
    const dispositionCode = String(inputValue(`disposition:${assignment}`, "Resolved")).trim();
    const options = dispositionCode ? { body: { dispositionCode } } : undefined;
    const response = await call(`Close ${job}`, "/routing/jobs/{jobId}/assignments/{assignmentId}:close", [job, assignment], "post", options);
    if (!isUnexpected(response)) toast(`${job} closed.`);
  },
  async cancel(button) {
    const job = button.dataset.job;
    await call(`Cancel ${job}`, "/routing/jobs/{jobId}:cancel", [job], "post", { body: { dispositionCode: "CancelledInDemo" } });
  },
  async activate(button) {
    const job = button.dataset.job;
    await call(`Activate ${job}`, "/routing/jobs/{jobId}", [job], "patch", {
      contentType: MERGE,
      body: { matchingMode: { kind: "queueAndMatch" } },
    });
  },
  async "toggle-available"(button) {
    const id = button.dataset.worker;
    const worker = state.workers.find((w) => w.id === id);
    await call(`${id} ${worker?.availableForOffers ? "goes offline" : "goes online"}`, "/routing/workers/{workerId}", [id], "patch", {
      contentType: MERGE,
      body: { availableForOffers: !worker?.availableForOffers },
    });
  },
  async explain(button) {
    await explainJob(button.dataset.job);
  },
};

async function explainJob(jobId) {
  recordEmulatorCall(
    `Explain ${jobId}`,
    `client.emulator.explain(${JSON.stringify(jobId)});`,
    `await fetch(${JSON.stringify(`/emulator/explain/${encodeURIComponent(jobId)}`)}).then((r) => r.json());`,
  );
  let result;
  try {
    result = await backend.explain(jobId);
  } catch (error) {
    toast(`Explain ${jobId}: ${error.message}`, "error");
    return;
  }
  const job = jobById(jobId);
  let position = "";
  if (result.status === "queued") {
    const response = await call(`Position of ${jobId}`, "/routing/jobs/{jobId}/position", [jobId], "get");
    if (!isUnexpected(response)) {
      const p = response.body;
      position = ` Position ${h(p.position)} of ${h(p.queueLength)}, estimated wait ~${h(p.estimatedWaitTimeMinutes)} min.`;
    }
  }
  const rows = (result.workers ?? [])
    .map((w) =>
      `<li class="${w.eligible ? "eligible" : "blocked"}"><strong>${h(w.workerId)}</strong>: ` +
      (w.eligible ? "eligible for an offer" : `<code>${h(w.code)}</code> ${h(w.reason ?? "")}`) +
      `</li>`,
    )
    .join("");
  $("#explain-heading").textContent = `Who can take ${jobId}?`;
  $("#explain-body").dataset.job = jobId;
  $("#explain-body").innerHTML =
    `<p>Status ${statusBadge(result.status ?? job?.status ?? "?")}${result.queueId ? ` in queue <strong>${h(result.queueId)}</strong>` : ""}.${position}</p>` +
    (rows ? `<ul class="explain">${rows}</ul>` : `<p>No workers exist.</p>`);
  $("#explain-dialog").showModal();
}

async function runAction(button) {
  const action = actions[button.dataset.action];
  if (!action) return;
  button.disabled = true;
  try {
    await action(button);
  } catch (error) {
    console.warn(error);
  } finally {
    button.disabled = false;
  }
}

// ---- clock --------------------------------------------------------------------------------------

function showPlaying() {
  const play = $("#play");
  play.setAttribute("aria-pressed", String(backend.clock.playing));
  play.textContent = backend.clock.playing ? "Pause" : "Play";
}

async function togglePlay() {
  const clock = backend.clock;
  try {
    if (clock.playing) {
      await clock.pause();
      recordEmulatorCall("Pause the clock", "client.emulator.clock.pause();",
        'await fetch("/emulator/clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "manual" }) });');
    } else {
      await clock.play();
      recordEmulatorCall(`Play the clock at ×${clock.speed}`,
        `client.emulator.clock.setSpeed(${clock.speed});\nclient.emulator.clock.resume();`,
        `await fetch("/emulator/clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "real", speed: ${clock.speed} }) });`);
    }
  } catch (error) {
    toast(error.message, "error");
  }
  showPlaying();
  scheduleRefresh();
}

async function step(ms) {
  try {
    await backend.clock.advance(ms);
    recordEmulatorCall(`Advance the clock by ${durationText(ms)}`, `await client.emulator.clock.advance(${ms});`,
      `await fetch("/emulator/clock/advance", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ms: ${ms} }) });`);
  } catch (error) {
    toast(error.message, "error");
  }
  await scheduleRefresh();
}

async function setSpeed(speed) {
  try {
    await backend.clock.setSpeed(speed);
    recordEmulatorCall(`Clock speed ×${speed}`, `client.emulator.clock.setSpeed(${speed});`,
      `await fetch("/emulator/clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ speed: ${speed} }) });`);
  } catch (error) {
    toast(error.message, "error");
  }
}

let ticking = false;
let lastStatsRefresh = 0;
async function tick() {
  if (ticking || !backend) return;
  ticking = true;
  try {
    await backend.clock.tick();
    updateLive();
    // Statistics and wait estimates move with time even when nothing else happens.
    if (backend.clock.playing && performance.now() - lastStatsRefresh > 1000) {
      lastStatsRefresh = performance.now();
      scheduleRefresh();
    }
  } catch (error) {
    console.warn(error);
  } finally {
    ticking = false;
  }
}

// ---- presets ------------------------------------------------------------------------------------

async function loadPreset(id) {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) return;
  const button = $("#load-preset");
  button.disabled = true;
  try {
    await backend.reset();
    recordEmulatorCall("Reset the router", "client.emulator.reset();", 'await fetch("/emulator/reset", { method: "POST", headers: { "content-type": "application/json" } });');
    showPlaying();
    clearEvents();
    state.inputs.clear();
    await preset.run({ call, nowMillis });
    state.preset = preset;
    $("#scenario").hidden = false;
    $("#scenario-title").textContent = preset.name ?? preset.title;
    $("#scenario-summary").textContent = preset.summary;
    $("#scenario-hint").textContent = preset.hint;
    applyFormDefaults(preset.formDefaults);
    await scheduleRefresh();
    toast(`Scenario “${preset.title}” loaded.`);
  } catch (error) {
    toast(`Loading the scenario failed: ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

function applyFormDefaults(defaults = {}) {
  const form = $("#job-form");
  form.channelId.value = defaults.channelId ?? "voice";
  form.labels.value = defaults.labels ?? "";
  form.selectors.value = defaults.selectors ?? "";
  form.priority.value = "1";
  form.jobId.value = "";
  form.matchingMode.value = defaults.matchingMode ?? "queueAndMatch";
  for (const radio of form.route) radio.checked = radio.value === (defaults.route ?? "queue");
  form.queueId.dataset.wanted = defaults.queueId ?? "";
  form.queueId.value = defaults.queueId ?? "";
  form.classificationPolicyId.dataset.wanted = defaults.classificationPolicyId ?? "";
  updateJobFormVisibility();
  const exceptionQueue = $("#exception-form").queueId;
  exceptionQueue.dataset.wanted = defaults.queueId ?? "";
  exceptionQueue.value = defaults.queueId ?? "";
}

// ---- forms --------------------------------------------------------------------------------------

function updateJobFormVisibility() {
  const form = $("#job-form");
  const route = form.route.value;
  for (const label of $$("[data-route]", form)) label.hidden = label.dataset.route !== route;
  $("[data-schedule]", form).hidden = form.matchingMode.value !== "scheduleAndSuspend";
}

async function submitJob(event) {
  event.preventDefault();
  const form = event.currentTarget;
  let body;
  try {
    body = { channelId: form.channelId.value.trim(), priority: Number(form.priority.value || 1) };
    if (form.route.value === "classification") {
      if (!form.classificationPolicyId.value) throw new Error("there is no classification policy: load the skills scenario");
      body.classificationPolicyId = form.classificationPolicyId.value;
    } else {
      body.queueId = form.queueId.value;
    }
    const labels = parseLabels(form.labels.value);
    if (Object.keys(labels).length) body.labels = labels;
    const selectors = parseSelectors(form.selectors.value);
    if (selectors.length) body.requestedWorkerSelectors = selectors;
    const mode = form.matchingMode.value;
    if (mode === "scheduleAndSuspend") {
      const seconds = Math.max(1, Number(form.scheduleIn.value || 60));
      body.matchingMode = { kind: mode, scheduleAt: new Date(nowMillis() + seconds * 1000).toISOString() };
    } else if (mode === "suspend") {
      body.matchingMode = { kind: "suspend" };
    }
  } catch (error) {
    toast(`New job: ${error.message}`, "error");
    return;
  }
  const response = await createJob(body, form.jobId.value.trim());
  if (!isUnexpected(response)) form.jobId.value = "";
}

async function submitWorker(event) {
  event.preventDefault();
  const form = event.currentTarget;
  let body;
  const id = form.workerId.value.trim() || nextId("worker", state.workers);
  try {
    const channels = form.channels.value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [channelId, cost = "1", max] = part.split(":").map((s) => s.trim());
        const channel = { channelId, capacityCostPerJob: Number(cost) };
        if (max) channel.maxNumberOfJobs = Number(max);
        return channel;
      });
    body = {
      capacity: Number(form.capacity.value || 0),
      queues: $$("#worker-queues input:checked").map((input) => input.value),
      channels,
      labels: parseLabels(form.labels.value),
      availableForOffers: form.available.checked,
    };
  } catch (error) {
    toast(`Worker: ${error.message}`, "error");
    return;
  }
  const response = await call(`Save worker ${id}`, "/routing/workers/{workerId}", [id], "patch", { contentType: MERGE, body });
  if (!isUnexpected(response)) {
    toast(`Worker ${id} saved (${response.body.state}).`);
    form.workerId.value = "";
  }
}

function loadDistributionPolicy() {
  const form = $("#distribution-form");
  const policy = state.distributionPolicies.find((p) => p.id === form.policyId.value);
  if (!policy) return;
  form.kind.value = policy.mode?.kind ?? "longestIdle";
  form.offerExpiresAfterSeconds.value = policy.offerExpiresAfterSeconds ?? "";
  form.maxConcurrentOffers.value = policy.mode?.maxConcurrentOffers ?? 1;
}

async function submitDistribution(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const id = form.policyId.value;
  if (!id) {
    toast("No distribution policy yet: load a scenario first.", "error");
    return;
  }
  const current = state.distributionPolicies.find((p) => p.id === id);
  const kind = form.kind.value;
  const mode = { kind, maxConcurrentOffers: Number(form.maxConcurrentOffers.value || 1) };
  if (kind !== "bestWorker") {
    // merge-patch: drop a previous bestWorker's scoring members
    if (current?.mode?.scoringRule) mode.scoringRule = null;
    if (current?.mode?.scoringRuleOptions) mode.scoringRuleOptions = null;
  }
  if (current?.mode?.minConcurrentOffers > mode.maxConcurrentOffers) mode.minConcurrentOffers = mode.maxConcurrentOffers;
  const body = { mode };
  const expires = Number(form.offerExpiresAfterSeconds.value);
  if (expires > 0) body.offerExpiresAfterSeconds = expires;
  const response = await call(`Save distribution policy ${id}`, "/routing/distributionPolicies/{distributionPolicyId}", [id], "patch", {
    contentType: MERGE,
    body,
  });
  if (!isUnexpected(response)) toast(`Distribution policy ${id}: ${kind}.`);
}

async function submitException(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const queue = state.queues.find((q) => q.id === form.queueId.value);
  if (!queue) {
    toast("No queue yet: load a scenario first.", "error");
    return;
  }
  const policyId = queue.exceptionPolicyId ?? `${queue.id}-exceptions`;
  const existing = state.exceptionPolicies.find((p) => p.id === policyId)?.exceptionRules ?? [];
  const threshold = Math.max(0, Math.floor(Number(form.threshold.value || 0)));
  const trigger = form.trigger.value === "waitTime"
    ? { kind: "waitTime", thresholdSeconds: threshold }
    : { kind: "queueLength", threshold };
  const action = form.actionKind.value === "cancel"
    ? { kind: "cancel", dispositionCode: "CancelledByException" }
    : { kind: "manualReclassify", queueId: form.targetQueueId.value, priority: Number(form.priority.value || 1) };
  const ruleId = nextId("rule", existing);
  const response = await call(`Exception policy ${policyId}`, "/routing/exceptionPolicies/{exceptionPolicyId}", [policyId], "patch", {
    contentType: MERGE,
    body: { exceptionRules: [...existing, { id: ruleId, trigger, actions: [action] }] },
  });
  if (isUnexpected(response)) return;
  if (queue.exceptionPolicyId !== policyId) {
    await call(`Queue ${queue.id} uses ${policyId}`, "/routing/queues/{queueId}", [queue.id], "patch", {
      contentType: MERGE,
      body: { exceptionPolicyId: policyId },
    });
  }
  toast(`Rule ${ruleId} added to ${queue.id}.`);
}

// ---- wiring -------------------------------------------------------------------------------------

async function copyFrom(button) {
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  const text = source.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    const selection = getSelection();
    selection.selectAllChildren(source);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => {
    button.textContent = "Copy";
  }, 1500);
}

function wire() {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.copyTarget) copyFrom(button);
    else if (button.dataset.action) runAction(button);
  });
  document.addEventListener("input", (event) => {
    const key = event.target.dataset?.input;
    if (key) state.inputs.set(key, event.target.value);
  });

  const presetSelect = $("#preset");
  presetSelect.innerHTML = PRESETS.map((p) => `<option value="${h(p.id)}">${h(p.title)}</option>`).join("");
  $("#preset-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadPreset(presetSelect.value);
  });

  $("#play").addEventListener("click", togglePlay);
  $("#step-10s").addEventListener("click", () => step(10_000));
  $("#step-1m").addEventListener("click", () => step(60_000));
  for (const radio of $$('input[name="speed"]')) {
    radio.addEventListener("change", () => setSpeed(Number(radio.value)));
  }

  $("#event-filter").addEventListener("input", () => applyEventFilter());
  $("#event-kind").addEventListener("change", () => applyEventFilter());

  const jobForm = $("#job-form");
  jobForm.addEventListener("submit", submitJob);
  jobForm.addEventListener("change", updateJobFormVisibility);
  $("#worker-form").addEventListener("submit", submitWorker);
  const distributionForm = $("#distribution-form");
  distributionForm.addEventListener("submit", submitDistribution);
  distributionForm.policyId.addEventListener("change", loadDistributionPolicy);
  const exceptionForm = $("#exception-form");
  exceptionForm.addEventListener("submit", submitException);
  exceptionForm.queueId.addEventListener("change", renderExceptionRules);
  exceptionForm.actionKind.addEventListener("change", () => {
    for (const label of $$("[data-for-action]", exceptionForm)) {
      label.hidden = exceptionForm.actionKind.value !== label.dataset.forAction;
    }
  });

  $("#explain-dialog").addEventListener("close", () => {
    $("#explain-body").innerHTML = "";
    delete $("#explain-body").dataset.job;
  });
  $("#show-connect").addEventListener("click", () => {
    $("#connect-code").textContent = backend.connectSnippet;
    $("#connect-dialog").showModal();
  });
}

async function main() {
  wire();
  try {
    backend = await connect();
  } catch (error) {
    $("#mode").textContent = "Could not start";
    const message = `<p class="call-error">Could not start the emulator: ${h(error.message)}</p>`;
    patchHtml($("#queues"), message);
    patchHtml($("#workers"), "");
    console.warn(error);
    return;
  }
  const mode = $("#mode");
  mode.textContent = backend.mode === "server" ? "Server mode: connected to the emulator server" : "In-process: running in this page (WebAssembly)";
  mode.dataset.mode = backend.mode;
  document.body.dataset.mode = backend.mode;
  backend.onEvent(addEvent);
  faultsPanel = setupFaultsPanel({ backend, recordEmulatorCall, toast });
  ruleTryout = setupRuleTryout({ backend, state, recordEmulatorCall });
  showPlaying();
  for (const radio of $$('input[name="speed"]')) radio.checked = Number(radio.value) === backend.clock.speed;
  setInterval(tick, 250);
  if (backend.mode === "in-process") {
    await loadPreset(PRESETS[0].id);
  } else {
    $("#scenario").hidden = false;
    $("#scenario-title").textContent = "Connected";
    $("#scenario-summary").textContent = "this page shows the server's current state.";
    $("#scenario-hint").textContent = "Load a scenario to start from a ready setup (it resets the server), or drive the server from your own code and watch.";
    await scheduleRefresh();
  }
  document.body.dataset.ready = "true";
}

main();
