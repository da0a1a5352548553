// The browser app under MSW: setupWorker with jobrouter-emulator/msw's handlers, then the shared lifecycle over
// fetch (answered by the service worker from the page's emulator), rendered into the page.
import { setupWorker } from "msw/browser";
import { RouterEmulator } from "jobrouter-emulator";
import { jobRouterHandlers } from "jobrouter-emulator/msw";
import { lifecycle } from "./lifecycle.mjs";
import { fetchClientFactory, isUnexpectedStatus } from "./fetch-client.mjs";

const endpoint = "https://kit.communication.azure.com";
const result = document.getElementById("result");

function list(id, items) {
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    document.getElementById(id).appendChild(li);
  }
}

async function main() {
  const worker = setupWorker(...jobRouterHandlers({ endpoint }));
  await worker.start({ quiet: true, onUnhandledRequest: "error", serviceWorker: { url: "./mockServiceWorker.js" } });
  const FetchJobRouter = fetchClientFactory({ emulatorFor: (url, options) => RouterEmulator.for(url, options) });
  const summary = await lifecycle(FetchJobRouter, isUnexpectedStatus, { endpoint });
  list("steps", summary.steps);
  list("events", summary.events);
  return summary;
}

main().then(
  (summary) => {
    result.textContent = JSON.stringify(summary);
    result.dataset.state = "done";
  },
  (error) => {
    result.textContent = String((error && error.stack) || error);
    result.dataset.state = "error";
  },
);
