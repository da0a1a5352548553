// The page of the Playwright routing scenario: an app with no emulator in it, sending the shared lifecycle's
// requests with fetch to the Azure endpoint; Playwright routes them to the emulator in the test process.
// client.emulator is a bridge to the test (window.kitBridge, exposed by it): the test's clock and events.
import { lifecycle } from "./lifecycle.mjs";
import { fetchClientFactory, isUnexpectedStatus } from "./fetch-client.mjs";

function bridgeEmulator() {
  const listeners = [];
  let now = null;
  function deliver(drained) {
    now = drained.now;
    for (const event of drained.events) for (const listener of listeners) listener(event);
  }
  const settle = async () => deliver(await window.kitBridge("drain"));
  return {
    on(type, listener) {
      listeners.push(listener);
      return this;
    },
    clock: {
      now: () => now,
      async advance(ms) {
        deliver(await window.kitBridge("advance", ms));
      },
    },
    settle,
  };
}

const result = document.getElementById("result");
function list(id, items) {
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    document.getElementById(id).appendChild(li);
  }
}

const FetchJobRouter = fetchClientFactory({ emulatorFor: () => bridgeEmulator() });
lifecycle(FetchJobRouter, isUnexpectedStatus, { endpoint: "https://kit.communication.azure.com" }).then(
  (summary) => {
    list("steps", summary.steps);
    list("events", summary.events);
    result.textContent = JSON.stringify(summary);
    result.dataset.state = "done";
  },
  (error) => {
    result.textContent = String((error && error.stack) || error);
    result.dataset.state = "error";
  },
);
