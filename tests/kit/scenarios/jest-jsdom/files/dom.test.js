import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";
import { lifecycle } from "./src/lifecycle.cjs";
import { differences } from "./src/expected.cjs";

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
  expect(document.querySelectorAll("li")).toHaveLength(summary.events.length);
  expect(document.querySelector("li:last-child").textContent).toBe("RouterJobClosed");
});

test("clock before any request", () => {
  const emulator = new RouterEmulator({ clock: "manual" });
  expect(emulator.clock.now()).toBe("2024-01-01T00:00:00+00:00");
  emulator.dispose();
});
