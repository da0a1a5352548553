import { expect, test } from "@jest/globals";
import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.mjs";
import { differences } from "./src/expected.mjs";

test("lifecycle (native ESM)", async () => {
  expect(differences(await lifecycle(JobRouter, isUnexpected))).toEqual([]);
});

test("clock before any request", () => {
  const emulator = new RouterEmulator({ clock: "manual" });
  expect(emulator.clock.now()).toBe("2024-01-01T00:00:00+00:00");
  emulator.dispose();
});
