import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.mjs";
import { differences } from "./src/expected.mjs";

test("the lifecycle from the installed package", async () => {
  assert.deepEqual(differences(await lifecycle(JobRouter, isUnexpected)), []);
});

test("the clock before any request, and where the package comes from", () => {
  const emulator = new RouterEmulator({ clock: "manual" });
  assert.equal(emulator.clock.now(), "2024-01-01T00:00:00+00:00");
  emulator.dispose();
  const resolved = fileURLToPath(import.meta.resolve("jobrouter-emulator"));
  assert.match(resolved, /node_modules[\\/]jobrouter-emulator[\\/]js[\\/]bundle[\\/]node\.js$/);
  assert.ok(resolved.startsWith(fileURLToPath(new URL(".", import.meta.url))), resolved);
});
