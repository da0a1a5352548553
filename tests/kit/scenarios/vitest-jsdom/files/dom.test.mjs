import { expect, test } from "vitest";
import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.mjs";
import { differences } from "./src/expected.mjs";

test("lifecycle rendered into jsdom's document", async () => {
  expect(typeof window).toBe("object");
  const summary = await lifecycle(JobRouter, isUnexpected);
  expect(differences(summary)).toEqual([]);
  const list = document.createElement("ol");
  for (const event of summary.events) {
    const li = document.createElement("li");
    li.textContent = event;
    list.appendChild(li);
  }
  document.body.appendChild(list);
  expect(document.querySelectorAll("li").length).toBe(summary.events.length);
});

test("clock", async () => {
  const emulator = new RouterEmulator({ clock: "manual" });
  await emulator.ready();
  expect(emulator.clock.now()).toBe("2024-01-01T00:00:00+00:00");
  emulator.dispose();
});
