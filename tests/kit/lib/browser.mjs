// Chromium (Debian's /usr/bin/chromium) driven by playwright-core, as tests/js/demo.test.mjs launches it:
// headless, no sandbox, no GPU, nothing from the network but 127.0.0.1.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser scenarios cannot run here (null: they can). */
export async function browserMissing() {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium; scripts/test.sh installs it)`;
  try {
    await import("playwright-core");
  } catch {
    return "playwright-core is not installed (npm ci)";
  }
  return null;
}

/** Launches Chromium with a fresh profile in scratch; resolves to { context, close() }. */
export async function launchChromium(scratch) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(scratch, "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // Nothing leaves the machine: every host name but 127.0.0.1 fails to resolve.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Collects a page's console errors, uncaught errors and failed requests (their texts) from now on; console
 * warnings go to `warnings`.
 * @returns {string[]} filled as they happen
 */
export function watchErrors(page, warnings = []) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
    if (message.type() !== "error") return;
    const url = message.location()?.url ?? "";
    // The lifecycle's deliberate GET of a job that does not exist: Chromium logs every 404 response.
    if (message.text().startsWith("Failed to load resource") && url.includes("/routing/jobs/no-such-job")) return;
    errors.push(`console.error: ${message.text()} (${url})`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ""}`));
  return errors;
}

/**
 * Opens url in a new page of context and waits for the app's #result to get data-state (done or error);
 * resolves to { state, text, steps, events, errors, warnings }.
 */
export async function runPage(context, url, { timeout = 30_000, prepare } = {}) {
  const page = await context.newPage();
  const warnings = [];
  const errors = watchErrors(page, warnings);
  try {
    if (prepare) await prepare(page);
    await page.goto(url);
    await page.waitForSelector("#result[data-state]", { timeout });
    const state = await page.getAttribute("#result", "data-state");
    const text = await page.textContent("#result");
    const steps = await page.$$eval("#steps > li", (items) => items.map((li) => li.textContent));
    const events = await page.$$eval("#events > li", (items) => items.map((li) => li.textContent));
    // Late errors (a rejected promise after the result) get a moment to show up.
    await page.waitForTimeout(100);
    return { state, text, steps, events, errors, warnings };
  } finally {
    await page.close().catch(() => {});
  }
}
