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

/**
 * Wires the card. Returns { beforeCall(verb, template) }: app.js calls it before each SDK call it makes for the
 * user, and an armed failure is queued then, for exactly that call (method and route), so the page's own
 * background reads cannot use it up.
 * @param {{ backend: object, recordEmulatorCall: Function, toast: Function }} options
 */
export function setupFaultsPanel({ backend, recordEmulatorCall, toast }) {
  const form = $("#faults-form");
  const throttle = form.elements.throttle;
  const status = form.elements.failStatus;
  const latency = form.elements.latency;
  const latencyValue = $("#fault-latency-value");
  const state = $("#faults-state");
  const arm = $("#fault-arm");
  let armed = null;
  let last = { throttle: false, failNext: [], latency: null };

  const show = (faults) => {
    if (faults) last = faults;
    throttle.checked = Boolean(last.throttle);
    const ms = last.latency ? last.latency.ms : 0;
    latency.value = String(ms);
    latencyValue.textContent = `${ms} ms`;
    arm.setAttribute("aria-pressed", String(armed !== null));
    arm.textContent = armed !== null ? "Armed (click to disarm)" : "Arm";
    state.textContent = summary(last, armed);
    form.dataset.active = String(Boolean(last.throttle || last.latency || armed !== null || last.failNext.length));
  };

  const fetchCode = (method, path, body) =>
    `await fetch("${path}", { method: "${method}", headers: { "content-type": "application/json" }, body: JSON.stringify(${JSON.stringify(body)}) });`;

  async function configure(config, label, inProcessCode) {
    try {
      show(await backend.faults.configure(config));
      recordEmulatorCall(label, inProcessCode, fetchCode("PUT", "/emulator/faults", config));
    } catch (error) {
      toast(error.message, "error");
      show();
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
    latencyValue.textContent = `${latency.value} ms`;
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
    armed = armed === null ? Number(status.value) : null;
    show();
  });
  status.addEventListener("change", () => {
    if (armed !== null) armed = Number(status.value);
    show();
  });

  backend.faults.get().then(show, () => show());

  return {
    /** Queues the armed failure for the call about to be made (method and route template). */
    async beforeCall(verb, template) {
      if (armed === null) return;
      const rule = { status: armed, method: verb.toUpperCase(), path: template };
      if (armed !== 500) rule.retryAfterSeconds = 1;
      armed = null;
      try {
        await backend.faults.failNext(rule);  // used up by the call that follows at once
        show();
        recordEmulatorCall(
          `Fail the next ${rule.method} ${template} with ${rule.status}`,
          `client.emulator.faults.failNext({ ${Object.entries(rule).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(", ")} });`,
          fetchCode("POST", "/emulator/faults/fail-next", rule),
        );
      } catch (error) {
        toast(error.message, "error");
        show();
      }
    },
    /** Re-reads what is set (after a reset, or when the server was changed from elsewhere). */
    async refresh() {
      try {
        show(await backend.faults.get());
      } catch {
        show();
      }
    },
  };
}
