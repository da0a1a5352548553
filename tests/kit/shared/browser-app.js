// The browser app of the bundler scenarios: imports the package by name, runs the shared lifecycle and renders
// it into the page. #result gets data-state="done" (its text: the summary as JSON) or data-state="error".
import JobRouter, { isUnexpected } from "jobrouter-emulator";
import { lifecycle } from "./lifecycle.mjs";

const result = document.getElementById("result");

function list(id, items) {
  const ul = document.getElementById(id);
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    ul.appendChild(li);
  }
}

// Before the core has loaded, a synchronous call says what to await (browsers load it asynchronously).
let early;
try {
  JobRouter("endpoint=https://early.communication.azure.com/;accesskey=a2l0", { emulator: { clock: "manual" } }).emulator.clock.now();
  early = "no-throw";
} catch (error) {
  early = /ready\(\)/.test(String(error && error.message)) ? "throws-ready" : `other: ${error && error.message}`;
}

lifecycle(JobRouter, isUnexpected).then(
  (summary) => {
    list("steps", summary.steps);
    list("events", summary.events);
    document.getElementById("job").textContent = `${summary.job.id}: ${summary.job.status} (${summary.job.dispositionCode})`;
    result.textContent = JSON.stringify({ ...summary, early });
    result.dataset.state = "done";
  },
  (error) => {
    result.textContent = String((error && error.stack) || error);
    result.dataset.state = "error";
  },
);
