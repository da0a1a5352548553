// The demo's event list gives each router event type a line of its own (web-demo/event-summaries.js): every type
// the emulator publishes has one, and the lines name the job and worker of the events a lifecycle publishes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EVENT_TYPES, RouterEmulator } from "../../js/node.js";
import { EVENT_SUMMARIES, eventSummary } from "../../web-demo/event-summaries.js";

test("demo event list: a line for every event type the emulator publishes, and for no other", () => {
  assert.deepEqual(Object.keys(EVENT_SUMMARIES).sort(), [...EVENT_TYPES].sort());
  assert.equal(eventSummary("RouterJobSchedulingFailed", { jobId: "j1", failureReason: "no queue" }),
    "j1 scheduling failed: no queue");
  // a type the page does not know (a newer emulator's) still shows its job or worker
  assert.equal(eventSummary("RouterJobSomethingNew", { jobId: "j9" }), "j9");
  assert.equal(eventSummary("toString", { workerId: "w9" }), "w9");
});

test("demo event list: the lines of a lifecycle's events name its job and worker", async () => {
  const emulator = new RouterEmulator({ clock: "manual" });
  const lines = [];
  emulator.on("*", (event) => {
    lines.push(eventSummary(event.eventType.replace(/^Microsoft\.Communication\./, ""), event.data));
  });
  const merge = { "content-type": "application/merge-patch+json" };
  const patch = (path, body) => emulator.handle("PATCH", `${path}?api-version=2023-11-01`, merge, JSON.stringify(body));
  await patch("/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } });
  await patch("/routing/queues/q", { distributionPolicyId: "dp" });
  await patch("/routing/workers/w", { capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
    availableForOffers: true });
  await patch("/routing/jobs/j", { channelId: "voice", queueId: "q", priority: 1 });
  assert.deepEqual(lines, ["w registered (available)", "j received on voice for q", "j queued in q", "j offered to w"]);
  emulator.dispose();
});
