// The "Try a rule" card: a Power Fx expression (or any rule as JSON) evaluated against a chosen job's and worker's
// labels, through backend.evaluateRule (emulator.evaluateRule in the page, POST /emulator/rules/evaluate on a
// server). Shows the value, or the error with a caret under the column it names.

const $ = (selector, root = document) => root.querySelector(selector);

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** A line of the expression with a caret under the 1-based column (in code points). */
function caretLines(expression, column) {
  const lines = expression.split("\n");
  let remaining = column - 1;
  for (let i = 0; i < lines.length; i++) {
    const chars = [...lines[i]];
    if (remaining <= chars.length) {
      return `${lines[i]}\n${" ".repeat(Math.max(0, remaining))}^`;
    }
    remaining -= chars.length + 1;
  }
  const last = lines[lines.length - 1];
  return `${last}\n${" ".repeat([...last].length)}^`;
}

function fillSelect(select, items, emptyLabel) {
  const previous = select.value;
  const options = [`<option value="">${escapeHtml(emptyLabel)}</option>`];
  for (const item of items) options.push(`<option value="${escapeHtml(item.id)}">${escapeHtml(item.id)}</option>`);
  const html = options.join("");
  if (select.dataset.html !== html) {
    select.innerHTML = html;
    select.dataset.html = html;
  }
  select.value = items.some((item) => item.id === previous) ? previous : select.value;
}

/**
 * Wires the card. Returns { refresh() }: app.js calls it after each render so the job and worker lists follow
 * the state.
 * @param {{ backend: object, state: { jobs: object[], workers: object[] }, recordEmulatorCall: Function }} options
 */
export function setupRuleTryout({ backend, state, recordEmulatorCall }) {
  const form = $("#rule-form");
  const kind = form.elements.ruleKind;
  const text = form.elements.rule;
  const jobSelect = form.elements.ruleJob;
  const workerSelect = form.elements.ruleWorker;
  const result = $("#rule-result");

  const refresh = () => {
    fillSelect(jobSelect, state.jobs, "(no job: no labels)");
    fillSelect(workerSelect, state.workers, "(no worker)");
  };

  const show = (html, outcome) => {
    result.innerHTML = html;
    result.dataset.outcome = outcome;
  };

  kind.addEventListener("change", () => {
    if (kind.value === "json" && !text.value.trim().startsWith("{")) {
      text.value = JSON.stringify({ kind: "expression", expression: text.value }, null, 2);
    } else if (kind.value === "expression" && text.value.trim().startsWith("{")) {
      try {
        const parsed = JSON.parse(text.value);
        if (typeof parsed.expression === "string") text.value = parsed.expression;
      } catch {
        // leave the text as it is
      }
    }
  });

  form.addEventListener("focusin", refresh);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    refresh();
    let rule;
    if (kind.value === "json") {
      try {
        rule = JSON.parse(text.value);
      } catch (error) {
        show(`<span class="label">Not JSON:</span> ${escapeHtml(error.message)}`, "error");
        return;
      }
    } else {
      rule = { kind: "expression", language: "powerFx", expression: text.value };
    }
    const job = state.jobs.find((j) => j.id === jobSelect.value);
    const worker = state.workers.find((w) => w.id === workerSelect.value);
    const labels = { job: job?.labels ?? {} };
    if (worker) labels.worker = worker.labels ?? {};
    let answer;
    try {
      answer = await backend.evaluateRule(rule, labels);
    } catch (error) {
      show(`<span class="label">Could not evaluate:</span> ${escapeHtml(error.message)}`, "error");
      return;
    }
    const body = JSON.stringify({ rule, ...labels });
    recordEmulatorCall(
      "Try a rule",
      `await client.emulator.evaluateRule(${JSON.stringify(rule)}, ${JSON.stringify(labels)});`,
      `await fetch("/emulator/rules/evaluate", { method: "POST", headers: { "content-type": "application/json" }, body: ${JSON.stringify(body)} });`,
    );
    if (answer && Object.hasOwn(answer, "value")) {
      const value = answer.value === null ? "Blank (null)" : JSON.stringify(answer.value);
      show(`<span class="label">Value:</span> <code id="rule-value">${escapeHtml(value)}</code>`, "value");
      return;
    }
    const message = answer?.error ?? "unknown error";
    const column = Number(answer?.column) || 0;
    const expression = kind.value === "expression" ? text.value : typeof rule?.expression === "string" ? rule.expression : "";
    const where = column > 0 ? ` <span class="label">column ${column}</span>` : "";
    const caret = column > 0 && expression ? `<pre class="caret">${escapeHtml(caretLines(expression, column))}</pre>` : "";
    show(`<span class="label">Error</span>${where}: <span id="rule-error">${escapeHtml(message)}</span>${caret}`, "error");
  });

  refresh();
  return { refresh };
}
