import { expect, test } from "vitest";
import { runOfficialName } from "./src/official-app.mjs";
import { differences } from "./src/expected.mjs";

test("the official package name runs on the emulator", async () => {
  expect(differences(await runOfficialName())).toEqual([]);
});
