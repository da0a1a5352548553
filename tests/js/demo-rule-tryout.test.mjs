// The web demo's "Try a rule" card in real Chromium, in both modes: an expression evaluated against a chosen
// job's and worker's labels shows its value (the escalation guide's rule on a job without the label gives 1), and a
// failing expression shows the error with its column and a caret under it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "./demo-static-server.mjs";
import { chromiumSkipReason, launchChromium } from "./support/chromium.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const skip = chromiumSkipReason("the demo's Try a rule card test") ||
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
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      await page.goto(target.url);
      await page.waitForSelector("body[data-ready=true]");
      await page.selectOption("#preset", "simple");
      await page.click("#load-preset");
      await page.waitForFunction(() => document.querySelector("#scenario-title")?.textContent === "Simple queue");
      await page.waitForFunction(() => !document.querySelector("#load-preset").disabled);
      // A job with labels of our own, so the rule has something to read.
      await page.fill('#job-form input[name="jobId"]', "rule-job");
      const labels = page.locator('#job-form [name="labels"]');
      if (await labels.count()) await labels.fill("Escalated=true, Region=NA");
      await page.click('#job-form button[type="submit"]');
      await page.waitForFunction(() => [...document.querySelectorAll('#rule-form select[name="ruleJob"] option')].some((o) => o.value === "rule-job"));
    });

    after(async () => {
      await browser?.close();
      await target?.close();
    });

    const result = () => page.textContent("#rule-result");

    test("the escalation guide's rule without a job gives 1; with the chosen job's label it gives 10", async () => {
      await page.fill('#rule-form textarea[name="rule"]', "If(job.Escalated = true, 10, 1)");
      await page.selectOption('#rule-form select[name="ruleJob"]', "");
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector("#rule-result")?.dataset.outcome === "value");
      assert.equal(await page.textContent("#rule-value"), "1");

      await page.selectOption('#rule-form select[name="ruleJob"]', "rule-job");
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector("#rule-value")?.textContent === "10");
    });

    test("a worker's labels are worker.X; Blank shows as Blank", async () => {
      const firstWorker = await page.evaluate(() => document.querySelector('#rule-form select[name="ruleWorker"] option:nth-child(2)')?.value);
      assert.ok(firstWorker, "the simple scenario has a worker");
      await page.selectOption('#rule-form select[name="ruleWorker"]', firstWorker);
      await page.fill('#rule-form textarea[name="rule"]', 'IsBlank(worker.NoSuchLabel) And Len(job.Region) = 2');
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector("#rule-value")?.textContent === "true");
      await page.fill('#rule-form textarea[name="rule"]', "job.NoSuchLabel");
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => /Blank/.test(document.querySelector("#rule-value")?.textContent ?? ""));
    });

    test("an error shows its message, its column and a caret under it", async () => {
      await page.fill('#rule-form textarea[name="rule"]', "job.Tier / 0");
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector("#rule-result")?.dataset.outcome === "error");
      assert.match(await result(), /column 10/);
      assert.equal(await page.textContent("#rule-error"), "Operator '/' at column 10: division by zero");
      assert.equal(await page.textContent("#rule-result pre.caret"), "job.Tier / 0\n         ^");
      await page.fill('#rule-form textarea[name="rule"]', "if(true, 1)");
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => /did you mean 'If'/.test(document.querySelector("#rule-error")?.textContent ?? ""));
      assert.match(await result(), /column 1/);
    });

    test("a rule as JSON (static) and the call log", async () => {
      await page.selectOption('#rule-form select[name="ruleKind"]', "json");
      await page.fill('#rule-form textarea[name="rule"]', '{"kind": "static", "value": 42}');
      await page.click('#rule-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector("#rule-value")?.textContent === "42");
      assert.match(await page.locator("#call-log > li").first().textContent(), /Try a rule/);
      await page.selectOption('#rule-form select[name="ruleKind"]', "expression");
      assert.deepEqual(problems, []);
    });
  });
}

suite("web demo Try a rule card, in-process", async () => {
  const server = await startStaticServer(repoRoot);
  return { url: `${server.url}web-demo/`, close: server.close };
});

suite("web demo Try a rule card, server mode", async () => {
  const { startServer } = await import("../../js/server/index.js");
  const server = await startServer({ port: 0, clock: "manual", silent: true });
  return { url: `${server.url}/`, close: () => server.close() };
});
