// Debian's Chromium through playwright-core, as every browser test here launches it: headless, as root (no
// sandbox), with no background networking (this machine's network is closed; Chromium's own connections would
// only fail), and a fresh temporary profile that playwright-core removes on close.
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** playwright-core's module, or null when the package is not installed. */
export const playwright = await import("playwright-core").catch(() => null);

/**
 * Why a browser test cannot run here (a sentence for node:test's skip), or false when it can.
 * @param {string} what the test, for the message ("the browser demo test")
 */
export function chromiumSkipReason(what) {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) to run ${what}`;
  if (!playwright) return "npm package playwright-core is not installed (npm ci)";
  return false;
}

/**
 * Launches Chromium.
 * @param {Record<string, unknown>} [options] more launch options (args are added to the standard ones)
 */
export function launchChromium(options = {}) {
  if (!playwright) throw new Error("playwright-core is not installed");
  const { args = [], ...rest } = /** @type {{ args?: string[] }} */ (options);
  return playwright.chromium.launch({ executablePath: CHROMIUM, ...rest, args: [...CHROMIUM_ARGS, ...args] });
}
