// The web demo's Faults card in real Chromium, in both modes: an armed failure makes the next action answer
// 503 and change nothing, the throttle and the latency slider set emulator.faults (in the page) or
// /emulator/faults (on the server).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "./demo-static-server.mjs";
import { chromiumSkipReason, launchChromium } from "./support/chromium.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const skip = chromiumSkipReason("the demo's Faults card test") ||
  (!existsSync(join(repoRoot, "js/generated/jobrouter-core.js"))
    ? "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)"
    : false);

function suite(name, start) {
  describe(name, { skip }, () => {
    let target;
    let browser;
    let page;
    const problems = [];

    before(async () => {
      target = await start();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        // The injected 503 is logged by the browser as a failed resource in server mode: that one is expected.
        if (message.type() === "error" && !/status of 503/.test(message.text())) problems.push(`console error: ${message.text()}`);
      });
      await page.goto(target.url);
      await page.waitForSelector("body[data-ready=true]");
      await page.selectOption("#preset", "simple");
      await page.click("#load-preset");
      await page.waitForFunction(() => document.querySelector("#scenario-title")?.textContent === "Simple queue");
      await page.waitForFunction(() => !document.querySelector("#load-preset").disabled);
    });

    after(async () => {
      await browser?.close();
      await target?.close();
    });

    const stateText = () => page.textContent("#faults-state");
    const faults = () => (target.faults ? target.faults() : page.evaluate(() => null));

    test("no faults at first", async () => {
      await page.waitForFunction(() => /No faults/.test(document.querySelector("#faults-state").textContent));
      assert.equal(await page.getAttribute("#fault-arm", "aria-pressed"), "false");
    });

    test("an armed 503 fails the next action, which changes nothing; the same action then succeeds", async () => {
      await page.selectOption('#faults-form select[name="failStatus"]', "503");
      await page.click("#fault-arm");
      assert.equal(await page.getAttribute("#fault-arm", "aria-pressed"), "true");
      assert.match(await stateText(), /your next action answers 503 Service Unavailable/);
      await page.fill('#job-form input[name="jobId"]', "fail-1");
      await page.click('#job-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector("#call-log > li .status")?.textContent === "503");
      const failed = page.locator("#call-log > li").first();
      assert.match(await failed.locator(".call-error").textContent(), /ServiceUnavailable/);
      assert.match(await page.locator("#call-log > li code").nth(1).textContent(),
        /faults\.failNext\(\{ status: 503, method: "PATCH", path: "\/routing\/jobs\/\{jobId\}", retryAfterSeconds: 1 \}\)|fetch\("\/emulator\/faults\/fail-next"/);
      assert.equal(await page.getAttribute("#fault-arm", "aria-pressed"), "false", "disarmed");
      assert.equal(await page.locator('tr[data-job-row="fail-1"]').count(), 0, "no job was created");
      await page.fill('#job-form input[name="jobId"]', "fail-1");
      await page.click('#job-form button[type="submit"]');
      await page.locator('tr[data-job-row="fail-1"]').waitFor();
    });

    test("the throttle checkbox turns the service's throttle on and off", async () => {
      await page.check('#faults-form input[name="throttle"]');
      await page.waitForFunction(() => /throttling beyond 1000 requests per 10 s/.test(document.querySelector("#faults-state").textContent));
      const on = await faults();
      if (on) assert.deepEqual(on.throttle, { requests: 1000, perSeconds: 10 });
      await page.uncheck('#faults-form input[name="throttle"]');
      await page.waitForFunction(() => /No faults/.test(document.querySelector("#faults-state").textContent));
      const off = await faults();
      if (off) assert.equal(off.throttle, false);
    });

    test("the latency slider delays answers", async () => {
      await page.evaluate(() => {
        const slider = document.querySelector("#fault-latency");
        slider.value = "300";
        slider.dispatchEvent(new Event("input", { bubbles: true }));
        slider.dispatchEvent(new Event("change", { bubbles: true }));
      });
      await page.waitForFunction(() => /every answer 300 ms late/.test(document.querySelector("#faults-state").textContent));
      assert.equal(await page.textContent("#fault-latency-value"), "300 ms");
      const set = await faults();
      if (set) assert.deepEqual(set.latency, { ms: 300, jitterMs: 0, clock: "real" });
      const started = Date.now();
      await page.fill('#job-form input[name="jobId"]', "slow-1");
      await page.click('#job-form button[type="submit"]');
      await page.locator('tr[data-job-row="slow-1"]').waitFor();
      assert.ok(Date.now() - started >= 300, "the answer took the latency");
      await page.evaluate(() => {
        const slider = document.querySelector("#fault-latency");
        slider.value = "0";
        slider.dispatchEvent(new Event("change", { bubbles: true }));
      });
      await page.waitForFunction(() => /No faults/.test(document.querySelector("#faults-state").textContent));
      assert.deepEqual(problems, []);
    });
  });
}

suite("web demo Faults card, in-process", async () => {
  const server = await startStaticServer(repoRoot);
  return { url: `${server.url}web-demo/`, close: server.close };
});

suite("web demo Faults card, server mode", async () => {
  const { startServer } = await import("../../js/server/index.js");
  const server = await startServer({ port: 0, clock: "manual", silent: true });
  return {
    url: `${server.url}/`,
    close: () => server.close(),
    faults: async () => server.emulator.faults.get(),
  };
});
