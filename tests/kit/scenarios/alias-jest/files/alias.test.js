import { runOfficialName } from "./src/official-app.js";
import { differences } from "./src/expected.cjs";

test("the official package name runs on the emulator", async () => {
  expect(differences(await runOfficialName())).toEqual([]);
});
