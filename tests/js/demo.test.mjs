// The browser demo (web-demo/) in real Chromium: Debian's chromium driven by playwright-core.
// In-process mode: the page served by a static file server at the repository root, the emulator
// running in the page. Server mode: the same page served by the emulator's HTTP server (when it
// exists), REST signed with the ACS HMAC scheme, events over Server-Sent Events. What is checked is what a user sees: cards, offers, countdowns, the event
// log, the SDK calls panel, dialogs; plus no console errors. Screenshots go to test-output/demo/.
//
// UPDATE_DEMO_SCREENSHOT=1 also writes web-demo/screenshot.png (the README's picture, 1280×800).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumSkipReason, launchChromium } from "./support/chromium.mjs";
import { startStaticServer } from "./demo-static-server.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outDir = join(repoRoot, "test-output", "demo");
const coreBuilt = existsSync(join(repoRoot, "js/generated/jobrouter-core.js"));
// The emulator's HTTP server module (js/server.js, or a js/server/ folder with an index.js).
const serverModule = ["js/server.js", "js/server/index.js"].find((file) => existsSync(join(repoRoot, file)));

const skip = chromiumSkipReason("the browser demo test") ||
  (!coreBuilt ? "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)" : false);
if (skip) console.log(`# demo.test.mjs skipped: ${skip}`);

const FLOW = [
  "RouterJobReceived",
  "RouterJobQueued",
  "RouterWorkerOfferIssued",
  "RouterWorkerOfferAccepted",
  "RouterJobCompleted",
  "RouterJobClosed",
];

async function launch() {
  const browser = await launchChromium();
  return { browser, close: () => browser.close() };
}

/** Event types of one job, in sequence order, as the event log shows them. */
function jobEventTypes(page, jobId) {
  return page.$$eval(
    "#event-log > li",
    (items, id) =>
      items
        .filter((item) => item.dataset.job === id)
        .sort((a, b) => Number(a.dataset.seq) - Number(b.dataset.seq))
        .map((item) => item.dataset.type),
    jobId,
  );
}

function waitForEvent(page, jobId, type) {
  return page.waitForFunction(
    ([id, t]) => [...document.querySelectorAll("#event-log > li")].some((li) => li.dataset.job === id && li.dataset.type === t),
    [jobId, type],
  );
}

async function loadPreset(page, id, title) {
  await page.selectOption("#preset", id);
  await page.click("#load-preset");
  await page.waitForFunction((t) => document.querySelector("#scenario-title")?.textContent === t, title);
  await page.waitForFunction(() => !document.querySelector("#load-preset").disabled);
}

/** Opens "Why not offered?" of a job and returns the dialog's text once the answer is shown. */
async function explain(page, jobId) {
  await jobRow(page, jobId).locator('button[data-action="explain"]').click();
  const body = page.locator(`#explain-dialog[open] #explain-body[data-job="${jobId}"] .explain`);
  await body.waitFor();
  return body.textContent();
}

async function closeDialog(page) {
  await page.keyboard.press("Escape");
  await page.locator("#explain-dialog").waitFor({ state: "hidden" });
}

/** The worker card holding an offer for a job (waits for it). */
async function offerHolder(page, jobId) {
  const offer = page.locator(`.worker .offer[data-job="${jobId}"]`);
  await offer.first().waitFor();
  return offer.first().evaluate((element) => element.closest(".worker").dataset.worker);
}

function jobRow(page, jobId) {
  return page.locator(`tr[data-job-row="${jobId}"]`);
}

/**
 * The browser flow of the issue, against a page at `url` (either mode).
 * @param {() => Promise<{ url: string, close: () => Promise<void>, expectMode: RegExp }>} start
 */
function demoSuite(name, start, { screenshots = true } = {}) {
  describe(name, { skip }, () => {
    let target;
    let chromium;
    let context;
    let page;
    const problems = [];

    before(async () => {
      mkdirSync(outDir, { recursive: true });
      target = await start();
      chromium = await launch();
      context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(target.url).origin });
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
      });
      page.on("requestfailed", (request) => {
        // an EventSource closed when the page goes away is not a failure of the page
        if (!request.url().includes("/emulator/events")) problems.push(`request failed: ${request.url()}`);
      });
      await page.goto(target.url);
      await page.waitForSelector("body[data-ready=true]");
    });

    after(async () => {
      await context?.close();
      await chromium?.close();
      await target?.close();
    });

    test("opens in the expected mode with a scenario loaded", async () => {
      assert.match(await page.textContent("#mode"), target.expectMode);
      await loadPreset(page, "simple", "Simple queue");
      await page.locator('.worker[data-worker="alice"]').waitFor();
      await page.locator('.worker[data-worker="bob"]').waitFor();
      assert.equal(await page.locator(".queue .card-head h3").first().textContent(), "Support support");
      assert.equal(await page.textContent("#clock-now"), "00:00:00");
    });

    let worker;
    test("a job created with the form is offered to a worker, with a countdown", async () => {
      await page.fill('#job-form input[name="jobId"]', "call-1");
      await page.click('#job-form button[type="submit"]');
      worker = await offerHolder(page, "call-1");
      assert.ok(["alice", "bob"].includes(worker));
      const card = page.locator(`.worker[data-worker="${worker}"]`);
      assert.equal(await card.locator(".offer .countdown").textContent(), "30 s");
      assert.match(await jobRow(page, "call-1").textContent(), new RegExp(`queued.*offered to ${worker}`));
      // the SDK call behind the form, newest first
      const code = await page.locator("#call-log > li code").first().textContent();
      assert.match(code, /await client\.path\("\/routing\/jobs\/\{jobId\}", "call-1"\)\.patch\(\{/);
      assert.match(code, /queueId: "support"/);
    });

    test("accept, complete and close on the worker card", async () => {
      const card = page.locator(`.worker[data-worker="${worker}"]`);
      await card.locator('.offer[data-job="call-1"] button[data-action="accept"]').click();
      await card.locator('.assignment[data-job="call-1"] button[data-action="complete"]').click();
      await card.locator('.assignment[data-job="call-1"] input').fill("Resolved");
      await card.locator('.assignment[data-job="call-1"] button[data-action="close"]').click();
      await waitForEvent(page, "call-1", "RouterJobClosed");
      await page.waitForFunction(() => document.querySelector('tr[data-job-row="call-1"] .badge')?.textContent === "closed");
      assert.equal(await card.locator(".assignment").count(), 0);
      const code = await page.locator("#call-log > li code").first().textContent();
      assert.match(code, /\/routing\/jobs\/\{jobId\}\/assignments\/\{assignmentId\}:close", "call-1", "[^"]+"\)\.post\(\{/);
      assert.match(code, /dispositionCode: "Resolved"/);
    });

    test("the event log shows Received → Queued → OfferIssued → OfferAccepted → Completed → Closed", async () => {
      assert.deepEqual(await jobEventTypes(page, "call-1"), FLOW);
      const visible = await page.locator('#event-log > li[data-job="call-1"] .type').allTextContents();
      assert.deepEqual(visible.reverse(), ["JobReceived", "JobQueued", "WorkerOfferIssued", "WorkerOfferAccepted", "JobCompleted", "JobClosed"]);
      // the filter narrows the log to matching events
      await page.fill("#event-filter", "call-1");
      const shown = await page.locator("#event-log > li:not([hidden])").count();
      assert.equal(shown, FLOW.length);
      await page.selectOption("#event-kind", "offer");
      assert.equal(await page.locator("#event-log > li:not([hidden])").count(), 2);
      await page.selectOption("#event-kind", "all");
      await page.fill("#event-filter", "");
      if (screenshots) await page.screenshot({ path: join(outDir, "flow-1280x800.png") });
    });

    test("an SDK call can be copied", async () => {
      const entry = page.locator("#call-log > li").first();
      await entry.locator("button.copy").click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, await entry.locator("code").textContent());
      assert.match(copied, /^await client\.path\(/);
    });

    test("advancing the clock expires an offer, and the job is offered again", async () => {
      await page.fill('#job-form input[name="jobId"]', "call-2");
      await page.click('#job-form button[type="submit"]');
      const first = await offerHolder(page, "call-2");
      const firstCard = page.locator(`.worker[data-worker="${first}"]`);
      await page.click("#step-10s");
      await page.waitForFunction(() => document.querySelector("#clock-now").textContent === "00:00:10");
      assert.equal(await firstCard.locator('.offer[data-job="call-2"] .countdown').textContent(), "20 s");
      // keyboard: the step button works with Enter
      await page.focus("#step-10s");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.querySelector("#clock-now").textContent === "00:00:20");
      assert.equal(await firstCard.locator('.offer[data-job="call-2"] .countdown').textContent(), "10 s");
      await page.click("#step-10s");
      await waitForEvent(page, "call-2", "RouterWorkerOfferExpired");
      await page.waitForFunction(() => document.querySelector("#clock-now").textContent === "00:00:30");
      assert.deepEqual((await jobEventTypes(page, "call-2")).slice(0, 5), [
        "RouterJobReceived",
        "RouterJobQueued",
        "RouterWorkerOfferIssued",
        "RouterWorkerOfferExpired",
        "RouterWorkerOfferIssued",
      ]);
      // the new offer has a fresh 30 s countdown
      await page.waitForFunction(
        () => document.querySelector('.worker .offer[data-job="call-2"] .countdown')?.textContent === "30 s",
      );
      assert.match(await page.locator('#event-log > li[data-type="RouterWorkerOfferExpired"] .what').first().textContent(), /offer of call-2 to \w+ expired/);
      if (screenshots) await page.screenshot({ path: join(outDir, "offer-expired-1280x800.png") });
    });

    test("“Why not offered?” explains each worker, and Escape closes it", async () => {
      const text = await explain(page, "call-2");
      assert.match(text, /AlreadyOffered/);
      assert.match(text, /alice/);
      assert.match(text, /bob/);
      assert.match(await page.textContent("#explain-heading"), /Who can take call-2\?/);
      await closeDialog(page);
    });

    test("skills preset: classification picks queue, priority and required skill", async () => {
      await loadPreset(page, "skills", "Skills-based routing with classification");
      assert.equal(await offerHolder(page, "call-1"), "ana");
      assert.equal(await offerHolder(page, "call-2"), "cleo");
      assert.equal(await offerHolder(page, "chat-1"), "ben");
      assert.equal(await page.locator('.queue[data-queue="spanish"] tr[data-job-row="call-1"]').count(), 1);
      assert.equal((await jobRow(page, "call-2").locator("td.num").textContent()).trim(), "10");
      const text = await explain(page, "call-2");
      assert.match(text, /ana.*QueueNotServed/s);
      assert.match(text, /ben.*(SelectorNotMatched|NoCapacity)/s);
      await closeDialog(page);
      // the table's queue order agrees with GET /routing/jobs/{jobId}/position (shown in the dialog)
      assert.equal(await jobRow(page, "chat-1").locator(".position").textContent(), "#2");
      await jobRow(page, "chat-1").locator('button[data-action="explain"]').click();
      await page.locator('#explain-dialog[open] #explain-body[data-job="chat-1"]').waitFor();
      assert.match(await page.textContent("#explain-body"), /Position 2 of 2/);
      await closeDialog(page);
      assert.equal(await page.locator(".call.failed").count(), 0);
    });

    test("best-worker preset: the highest score gets the offer", async () => {
      await loadPreset(page, "best-worker", "Best-worker scoring");
      await page.fill('#job-form input[name="jobId"]', "lead-es");
      await page.click('#job-form button[type="submit"]'); // form defaults: queue sales, language=es
      assert.equal(await offerHolder(page, "lead-es"), "fay");
      await page.fill('#job-form input[name="jobId"]', "lead-en");
      await page.fill('#job-form input[name="labels"]', "language=en");
      await page.click('#job-form button[type="submit"]');
      assert.equal(await offerHolder(page, "lead-en"), "dana");
      assert.equal(await page.locator(".call.failed").count(), 0);
    });

    test("escalation preset: the wait-time exception moves the job to supervisors", async () => {
      await loadPreset(page, "escalation", "Escalation with an exception policy");
      await page.locator('.worker[data-worker="gus"] .assignment[data-job="call-1"]').waitFor();
      await page.locator('.queue[data-queue="frontline"] tr[data-job-row="call-2"]').waitFor();
      await page.selectOption('#exception-form select[name="queueId"]', "frontline");
      assert.match(await page.locator("#exception-rules").textContent(), /waited-60s: after 60 s of waiting → move to supervisors at priority 10/);
      await page.click("#step-1m");
      await waitForEvent(page, "call-2", "RouterJobExceptionTriggered");
      assert.equal(await offerHolder(page, "call-2"), "sam");
      await page.locator('.queue[data-queue="supervisors"] tr[data-job-row="call-2"]').waitFor();
      assert.equal((await jobRow(page, "call-2").locator("td.num").textContent()).trim(), "10");
      assert.equal(await page.locator(".call.failed").count(), 0);
    });

    test("scheduled preset: a callback waits for activation, then is offered", async () => {
      await loadPreset(page, "scheduled", "Scheduled callbacks");
      await page.waitForFunction(() => document.querySelector('tr[data-job-row="callback-1"] .badge')?.textContent === "scheduled");
      await page.click("#step-1m");
      await page.waitForFunction(
        () => document.querySelector('tr[data-job-row="callback-1"] .badge')?.textContent === "waitingForActivation",
      );
      await jobRow(page, "callback-1").locator('button[data-action="activate"]').click();
      assert.equal(await offerHolder(page, "callback-1"), "hana");
      assert.equal(await page.locator(".call.failed").count(), 0);
    });

    test("forms: a new worker, a distribution policy's mode, an exception rule", async () => {
      await loadPreset(page, "simple", "Simple queue");
      await page.fill('#worker-form input[name="workerId"]', "carol");
      await page.fill('#worker-form input[name="capacity"]', "2");
      await page.fill('#worker-form input[name="channels"]', "voice:1, chat:1");
      await page.check('#worker-queues input[value="support"]');
      await page.fill('#worker-form input[name="labels"]', "skill=7");
      await page.click('#worker-form button[type="submit"]');
      const carol = page.locator('.worker[data-worker="carol"]');
      await carol.waitFor();
      assert.match(await carol.textContent(), /0 of 2.*voice.*chat.*queues: support.*skill=7/s);

      await page.selectOption('#distribution-form select[name="kind"]', "roundRobin");
      await page.fill('#distribution-form input[name="offerExpiresAfterSeconds"]', "45");
      await page.click('#distribution-form button[type="submit"]');
      await page.waitForFunction(() => /roundRobin, offers 45 s/.test(document.querySelector('.queue[data-queue="support"] .stats').textContent));

      await page.selectOption('#exception-form select[name="trigger"]', "queueLength");
      await page.fill('#exception-form input[name="threshold"]', "0");
      await page.selectOption('#exception-form select[name="actionKind"]', "cancel");
      await page.click('#exception-form button[type="submit"]');
      await page.waitForFunction(() => /when more than 0 jobs wait → cancel/.test(document.querySelector("#exception-rules").textContent));
      await page.fill('#job-form input[name="jobId"]', "too-many");
      await page.click('#job-form button[type="submit"]');
      await waitForEvent(page, "too-many", "RouterJobExceptionTriggered");
      await page.waitForFunction(() => document.querySelector('tr[data-job-row="too-many"] .badge')?.textContent === "cancelled");
      assert.equal(await page.locator(".call.failed").count(), 0);
    });

    test("play moves the clock on its own, pause stops it", async () => {
      await page.check('input[name="speed"][value="60"]');
      const before = await page.textContent("#clock-now");
      await page.click("#play");
      await page.waitForSelector('#play[aria-pressed="true"]');
      assert.equal(await page.textContent("#play"), "Pause");
      await page.waitForFunction((t) => document.querySelector("#clock-now").textContent !== t, before);
      await page.click("#play");
      await page.waitForSelector('#play[aria-pressed="false"]');
      assert.equal(await page.textContent("#play"), "Play");
      await page.check('input[name="speed"][value="1"]');
    });

    test("readable at phone width: no sideways scrolling", async () => {
      await loadPreset(page, "skills", "Skills-based routing with classification");
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone viewport`);
      if (screenshots) await page.screenshot({ path: join(outDir, "phone-390.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    test("README screenshot state, and no console errors", async () => {
      if (screenshots) {
        await loadPreset(page, "skills", "Skills-based routing with classification");
        await page.locator('.worker[data-worker="ana"] button[data-action="accept"]').click();
        await page.locator('.worker[data-worker="ana"] .assignment').waitFor();
        await page.click("#step-10s");
        await page.waitForFunction(() => document.querySelector("#clock-now").textContent === "00:00:10");
        await page.evaluate(() => {
          window.scrollTo(0, 0);
          document.activeElement?.blur();
          document.querySelector("#toast").textContent = "";
        });
        const file = join(outDir, "demo-1280x800.png");
        await page.screenshot({ path: file });
        if (process.env.UPDATE_DEMO_SCREENSHOT === "1") copyFileSync(file, join(repoRoot, "web-demo", "screenshot.png"));
      }
      assert.deepEqual(problems, []);
    });
  });
}

demoSuite("browser demo, in-process (static file server)", async () => {
  const server = await startStaticServer(repoRoot);
  return { url: `${server.url}web-demo/`, close: server.close, expectMode: /In-process/ };
});

if (serverModule) {
  demoSuite(
    "browser demo, server mode (the emulator's HTTP server)",
    async () => {
      const { startServer } = await import(join(repoRoot, serverModule));
      const server = await startServer({ port: 0, clock: "manual", silent: true });
      return { url: `${server.url}/`, close: () => server.close(), expectMode: /Server mode/ };
    },
    { screenshots: false },
  );
} else {
  test("browser demo, server mode", { skip: "the emulator's HTTP server module (js/server/index.js or js/server.js) is absent" }, () => {});
}
