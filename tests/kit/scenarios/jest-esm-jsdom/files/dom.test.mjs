import { expect, test } from "@jest/globals";
import JobRouter, { isUnexpected } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.mjs";
import { differences } from "./src/expected.mjs";

test("lifecycle in jsdom, native ESM", async () => {
  expect(typeof document).toBe("object");
  expect(differences(await lifecycle(JobRouter, isUnexpected))).toEqual([]);
});
