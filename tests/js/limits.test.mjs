// Resource limits from the JS API and the command line: past a limit a write answers 507 EmulatorLimitExceeded
// in the service's error shape and changes nothing; bad limits are refused with the accepted keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { RouterEmulator } from "../../js/node.js";
import { parseCommandLine } from "../../js/server/cli.js";

const built = existsSync(new URL("../../js/generated/jobrouter-core.js", import.meta.url));
const skip = built ? false : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";
const merge = { "content-type": "application/merge-patch+json" };
const target = (path) => `${path}?api-version=2023-11-01`;

test("limits.queues: the second queue is refused with 507 and nothing changes", { skip }, async () => {
  const emulator = new RouterEmulator({ clock: "manual", limits: { queues: 1 } });
  try {
    await emulator.handle("PATCH", target("/routing/distributionPolicies/dp"), merge,
      JSON.stringify({ offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } }));
    assert.equal((await emulator.handle("PATCH", target("/routing/queues/q1"), merge, JSON.stringify({ distributionPolicyId: "dp" }))).status, 201);
    const before = emulator.exportState();
    const refused = await emulator.handle("PATCH", target("/routing/queues/q2"), merge, JSON.stringify({ distributionPolicyId: "dp" }));
    assert.equal(refused.status, 507);
    const error = JSON.parse(refused.body).communicationError;
    assert.equal(error.code, "EmulatorLimitExceeded");
    assert.match(error.message, /queue/i);
    assert.equal(emulator.exportState(), before, "the refused write changed nothing");
    assert.equal((await emulator.handle("PATCH", target("/routing/queues/q1"), merge, JSON.stringify({ name: "renamed" }))).status, 200,
      "updating an existing queue is still allowed");
  } finally {
    emulator.dispose();
  }
});

test("bad limits are refused with the accepted keys", () => {
  assert.throws(() => new RouterEmulator({ limits: { tickets: 3 } }), /known: storedBytes, jobs, workers, queues, policies/);
  assert.throws(() => new RouterEmulator({ limits: { jobs: -1 } }), /whole number >= 0/);
  assert.throws(() => new RouterEmulator({ limits: [] }), /must be an object/);
});

test("server flags --max-stored-mb and --max-jobs become the limits option", () => {
  const { options } = parseCommandLine(["--max-stored-mb", "64", "--max-jobs", "1000", "--max-policies", "0"]);
  assert.deepEqual(options.limits, { storedBytes: 64 * 1024 * 1024, jobs: 1000, policies: 0 });
  assert.throws(() => parseCommandLine(["--max-jobs", "lots"]), /--max-jobs needs a whole number/);
});

test("startServer takes the limits option (the --max-* flags' way in)", { skip }, async () => {
  const { startServer } = await import("../../js/server/index.js");
  const server = await startServer({ port: 0, silent: true, clock: "manual", auth: false, limits: { queues: 1 } });
  try {
    const patch = (path, value) => fetch(`${server.url}${target(path)}`, { method: "PATCH", headers: merge, body: JSON.stringify(value) });
    assert.equal((await patch("/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 30, mode: { kind: "longestIdle" } })).status, 201);
    assert.equal((await patch("/routing/queues/q1", { distributionPolicyId: "dp" })).status, 201);
    const refused = await patch("/routing/queues/q2", { distributionPolicyId: "dp" });
    assert.equal(refused.status, 507);
    assert.equal((await refused.json()).communicationError.code, "EmulatorLimitExceeded");
  } finally {
    await server.close();
  }
});
