// Checks shared by the scenarios.
import { differences } from "../shared/expected.mjs";

/** Throws unless a lifecycle summary is as expected. */
export function assertSummary(summary, where) {
  const problems = differences(summary);
  if (problems.length > 0) throw new Error(`${where}: the lifecycle differs:\n  ${problems.join("\n  ")}`);
}

/**
 * Throws unless a page of the browser app (lib/browser.mjs runPage) finished with the expected summary, rendered
 * it into the DOM, said "await emulator.ready()" for a synchronous call before the core loaded, and logged no
 * error.
 */
export function assertPage(page, where, { early = "throws-ready" } = {}) {
  if (page.errors.length > 0) throw new Error(`${where}: errors in the page:\n  ${page.errors.join("\n  ")}`);
  if (page.state !== "done") throw new Error(`${where}: the app failed:\n${page.text}`);
  const summary = JSON.parse(page.text);
  assertSummary(summary, where);
  if (early !== null && summary.early !== early) {
    throw new Error(`${where}: a synchronous call before the core loaded: expected ${early}, got ${summary.early}`);
  }
  if (JSON.stringify(page.steps) !== JSON.stringify(summary.steps) || JSON.stringify(page.events) !== JSON.stringify(summary.events)) {
    throw new Error(`${where}: the DOM does not show the lifecycle (steps ${page.steps.length}, events ${page.events.length})`);
  }
  return summary;
}
