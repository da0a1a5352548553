import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.cjs";
import { differences } from "./src/expected.cjs";

test("lifecycle (ESM syntax through babel)", async () => {
  expect(differences(await lifecycle(JobRouter, isUnexpected))).toEqual([]);
});

test("clock before any request; the package from the tarball's CommonJS build", () => {
  const emulator = new RouterEmulator({ clock: "manual" });
  expect(emulator.clock.now()).toBe("2024-01-01T00:00:00+00:00");
  emulator.dispose();
  expect(require.resolve("jobrouter-emulator")).toMatch(/[\\/]jest-babel-cjs[\\/]node_modules[\\/]jobrouter-emulator[\\/]js[\\/]cjs[\\/]node\.js$/);
});
