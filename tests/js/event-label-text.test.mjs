// Label and tag values in events are text (the Event Grid schema types those maps as strings): numbers and
// booleans as JSON writes them by default, or as .NET's ToString() with the option eventLabelText "dotnet";
// REST responses keep the JSON types either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { RouterEmulator } from "../../js/node.js";

const built = existsSync(new URL("../../js/generated/jobrouter-core.js", import.meta.url));
const skip = built ? false : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";
const merge = { "content-type": "application/merge-patch+json" };
const target = (path) => `${path}?api-version=2023-11-01`;

async function registeredWorker(options) {
  const emulator = new RouterEmulator({ clock: "manual", ...options });
  try {
    const events = [];
    emulator.on("RouterWorkerRegistered", (event) => events.push(event));
    await emulator.handle("PATCH", target("/routing/distributionPolicies/dp"), merge,
      JSON.stringify({ offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } }));
    await emulator.handle("PATCH", target("/routing/queues/q"), merge, JSON.stringify({ distributionPolicyId: "dp" }));
    const response = await emulator.handle("PATCH", target("/routing/workers/w"), merge, JSON.stringify({
      capacity: 1, queues: ["q"], channels: [{ channelId: "voice", capacityCostPerJob: 1 }],
      labels: { Skill: 11, Rating: 2.5, English: true, Region: "NA" }, tags: { Shift: 3, Remote: false },
      availableForOffers: true,
    }));
    assert.equal(response.status, 201);
    return { rest: JSON.parse(response.body), event: events[0] };
  } finally {
    emulator.dispose();
  }
}

test("events carry label and tag values as JSON text by default; REST keeps their types", { skip }, async () => {
  const { rest, event } = await registeredWorker({});
  assert.equal(rest.labels.Skill, 11);
  assert.equal(rest.labels.English, true);
  assert.equal(event.data.labels.Skill, "11");
  assert.equal(event.data.labels.Rating, "2.5");
  assert.equal(event.data.labels.English, "true");
  assert.equal(event.data.labels.Region, "NA");
  assert.equal(event.data.tags.Shift, "3");
  assert.equal(event.data.tags.Remote, "false");
});

test('eventLabelText "dotnet" writes booleans as True/False', { skip }, async () => {
  const { rest, event } = await registeredWorker({ eventLabelText: "dotnet" });
  assert.equal(rest.labels.English, true);
  assert.equal(event.data.labels.English, "True");
  assert.equal(event.data.tags.Remote, "False");
  assert.equal(event.data.labels.Skill, "11");
  assert.equal(event.data.labels.Rating, "2.5");
});

test("a bad eventLabelText is refused with the accepted values", () => {
  assert.throws(() => new RouterEmulator({ eventLabelText: "yaml" }), /eventLabelText must be "json" or "dotnet"/);
});
