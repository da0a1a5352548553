// The WebAssembly core's limits option and exportState's failure (issue 14): the bindings take
// {"limits": {...}} like the other Router options, a write past a limit answers 507 EmulatorLimitExceeded and changes
// nothing, and exportState() throws a JS Error instead of returning an empty snapshot a host could save.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";

import "../../js/node-platform.js";
import { getCoreSync } from "../../js/core-loader.js";

const coreUrl = new URL("../../js/generated/jobrouter-core.js", import.meta.url);
const skip = existsSync(coreUrl)
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const API = "api-version=2023-11-01";
const MERGE = JSON.stringify({ "content-type": "application/merge-patch+json" });

describe("core limits and exportState failure", { skip }, () => {
  test("a count limit from the options JSON: 507 in the service's shape, state unchanged", () => {
    const module = getCoreSync();
    const router = new module.Router(JSON.stringify({ limits: { jobs: 1, storedBytes: 0 } }));
    try {
      const patch = (path, body) => router.handle("PATCH", `${path}?${API}`, MERGE, JSON.stringify(body));
      assert.equal(patch("/routing/distributionPolicies/dp", { offerExpiresAfterSeconds: 60, mode: { kind: "longestIdle" } }).status, 201);
      assert.equal(patch("/routing/queues/q", { distributionPolicyId: "dp" }).status, 201);
      assert.equal(patch("/routing/jobs/j1", { channelId: "voice", queueId: "q" }).status, 201);
      router.drainEvents();
      const before = router.exportState();
      const refused = patch("/routing/jobs/j2", { channelId: "voice", queueId: "q" });
      assert.equal(refused.status, 507);
      const error = JSON.parse(refused.body).communicationError;
      assert.equal(error.code, "EmulatorLimitExceeded");
      assert.match(error.message, /limit of 1 jobs is reached \(limits\.jobs\)/);
      assert.equal(router.exportState(), before);
      assert.equal(router.drainEvents(), "[]");
    } finally {
      router.delete();
    }
  });

  test("exportState throws an Error when the snapshot cannot be made, never returns an empty string", () => {
    const module = getCoreSync();
    const router = new module.Router(JSON.stringify({ failExportForTesting: true }));
    try {
      assert.equal(router.handle("GET", `/routing/jobs?${API}`, "{}", "").status, 200);
      assert.throws(() => router.exportState(), (error) => error instanceof Error && /exportState failed/.test(error.message));
      // The router keeps working after the failure.
      assert.equal(router.handle("GET", `/routing/queues?${API}`, "{}", "").status, 200);
    } finally {
      router.delete();
    }
  });

  test("a normal router still exports", () => {
    const module = getCoreSync();
    const router = new module.Router("{}");
    try {
      const state = router.exportState();
      assert.ok(state.length > 0);
      assert.equal(router.importState(state), true);
    } finally {
      router.delete();
    }
  });
});
