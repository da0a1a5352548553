// The "Faults" card: throttling like the service, a failure of the next action, response latency. It goes
// through backend.faults (emulator.faults in the page, /emulator/faults on a server), so it works in both modes.

const $ = (selector, root = document) => root.querySelector(selector);

const STATUS_TEXT = { 500: "500 Internal Server Error", 503: "503 Service Unavailable", 429: "429 Too Many Requests" };

/** Human summary of what is set (faults.get() shape). */
function summary(faults, armedStatus) {
  const parts = [];
  if (faults.throttle) parts.push(`throttling beyond ${faults.throttle.requests} requests per ${faults.throttle.perSeconds} s`);
  if (faults.latency) parts.push(`every answer ${faults.latency.ms} ms late`);
  if (armedStatus) parts.push(`your next action answers ${STATUS_TEXT[armedStatus] ?? armedStatus}`);
  else if (faults.failNext.length) parts.push(`${faults.failNext.length} failure rule${faults.failNext.length === 1 ? "" : "s"} queued`);
  return parts.length ? `Active: ${parts.join("; ")}.` : "No faults: the emulator answers at once and never fails on purpose.";
}

/** The fetch() a page would make for the same control call (shown beside the client call). */
const fetchCode = (method, path, body) =>
  `await fetch("${path}", { method: "${method}", headers: { "content-type": "application/json" }, body: JSON.stringify(${JSON.stringify(body)}) });`;

/**
 * The card's elements and its state: the faults last read (`last`) and the failure status armed for the user's next
 * action (`armed`, null when none); show(faults?) draws them (after keeping `faults` when given).
 */
function faultsView() {
  const form = $("#faults-form");
  const view = {
    form,
    throttle: form.elements.throttle,
    status: form.elements.failStatus,
    latency: form.elements.latency,
    latencyValue: $("#fault-latency-value"),
    state: $("#faults-state"),
    arm: $("#fault-arm"),
    armed: null,
    last: { throttle: false, failNext: [], latency: null },
    show(faults) {
      if (faults) view.last = faults;
      const { last, armed } = view;
      view.throttle.checked = Boolean(last.throttle);
      const ms = last.latency ? last.latency.ms : 0;
      view.latency.value = String(ms);
      view.latencyValue.textContent = `${ms} ms`;
      view.arm.setAttribute("aria-pressed", String(armed !== null));
      view.arm.textContent = armed !== null ? "Armed (click to disarm)" : "Arm";
      view.state.textContent = summary(last, armed);
      form.dataset.active = String(Boolean(last.throttle || last.latency || armed !== null || last.failNext.length));
    },
  };
  return view;
}

/** The card's inputs: throttling and latency are set as they change; the failure status is armed until used. */
function wireFaultInputs(view, { backend, recordEmulatorCall, toast }) {
  const { throttle, latency, status, arm } = view;
  async function configure(config, label, inProcessCode) {
    try {
      view.show(await backend.faults.configure(config));
      recordEmulatorCall(label, inProcessCode, fetchCode("PUT", "/emulator/faults", config));
    } catch (error) {
      toast(error.message, "error");
      view.show();
    }
  }

  throttle.addEventListener("change", () =>
    configure(
      { throttle: throttle.checked },
      throttle.checked ? "Throttle like the service (1,000 requests / 10 s)" : "Stop throttling",
      `client.emulator.faults.throttle(${throttle.checked ? "" : "false"});`,
    ),
  );

  latency.addEventListener("input", () => {
    view.latencyValue.textContent = `${latency.value} ms`;
  });
  latency.addEventListener("change", () => {
    const ms = Number(latency.value);
    configure(
      { latency: ms > 0 ? { ms, jitterMs: 0, clock: "real" } : null },
      ms > 0 ? `Latency ${ms} ms` : "No latency",
      ms > 0 ? `client.emulator.faults.latency({ ms: ${ms} });` : "client.emulator.faults.latency(null);",
    );
  });

  arm.addEventListener("click", () => {
    view.armed = view.armed === null ? Number(status.value) : null;
    view.show();
  });
  status.addEventListener("change", () => {
    if (view.armed !== null) view.armed = Number(status.value);
    view.show();
  });
}

/** beforeCall(verb, template): queues the armed failure for the call about to be made (method and route template). */
function armedFailure(view, { backend, recordEmulatorCall, toast }) {
  return async function beforeCall(verb, template) {
    if (view.armed === null) return;
    const rule = { status: view.armed, method: verb.toUpperCase(), path: template };
    if (view.armed !== 500) rule.retryAfterSeconds = 1;
    view.armed = null;
    try {
      await backend.faults.failNext(rule);  // used up by the call that follows at once
      view.show();
      recordEmulatorCall(
        `Fail the next ${rule.method} ${template} with ${rule.status}`,
        `client.emulator.faults.failNext({ ${Object.entries(rule).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(", ")} });`,
        fetchCode("POST", "/emulator/faults/fail-next", rule),
      );
    } catch (error) {
      toast(error.message, "error");
      view.show();
    }
  };
}

/**
 * Wires the card. Returns { beforeCall(verb, template) }: app.js calls it before each SDK call it makes for the
 * user, and an armed failure is queued then, for exactly that call (method and route), so the page's own
 * background reads cannot use it up.
 * @param {{ backend: object, recordEmulatorCall: Function, toast: Function }} options
 */
export function setupFaultsPanel(options) {
  const view = faultsView();
  wireFaultInputs(view, options);
  options.backend.faults.get().then((faults) => view.show(faults), () => view.show());
  return {
    beforeCall: armedFailure(view, options),
    /** Re-reads what is set (after a reset, or when the server was changed from elsewhere). */
    async refresh() {
      try {
        view.show(await options.backend.faults.get());
      } catch {
        view.show();
      }
    },
  };
}
