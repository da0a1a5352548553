// Playwright routing: routeJobRouter(page, { endpoint, emulator }) from jobrouter-emulator/playwright (the
// tarball's, imported as ESM from the scratch project), a page served from 127.0.0.1 whose fetch calls to the
// Azure endpoint are answered by the emulator in this process (CORS preflights included); the test drives the
// emulator's clock and reads its events.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { browserMissing, launchChromium, runPage } from "../../lib/browser.mjs";
import { assertPage } from "../../lib/checks.mjs";
import { serveStatic } from "../../lib/static-server.mjs";

export default {
  title: "Playwright routing (routeJobRouter)",
  timeout: 90_000,
  skip: browserMissing,
  async run(ctx) {
    cpSync(join(ctx.kitDir, "shared", "fetch-client.mjs"), join(ctx.dir, "src", "fetch-client.mjs"));
    cpSync(join(ctx.dir, "pw-app.mjs"), join(ctx.dir, "src", "pw-app.mjs"));
    const page = readFileSync(join(ctx.kitDir, "shared", "index.html"), "utf8").replace("<!--SCRIPT-->", '<script type="module" src="./src/pw-app.mjs"></script>');
    writeFileSync(join(ctx.dir, "index.html"), page);
    // The test's imports, resolved from the scratch project (its node_modules/jobrouter-emulator).
    writeFileSync(
      join(ctx.dir, "src", "test-imports.mjs"),
      'export { routeJobRouter } from "jobrouter-emulator/playwright";\nexport { RouterEmulator } from "jobrouter-emulator";\n',
    );
    const { routeJobRouter, RouterEmulator } = await import(pathToFileURL(join(ctx.dir, "src", "test-imports.mjs")).href);
    ctx.config('await routeJobRouter(page, { endpoint, emulator }) from "jobrouter-emulator/playwright"');

    const emulator = new RouterEmulator({ clock: "manual", seed: 11 });
    const pending = [];
    emulator.on("*", (event) => pending.push({ eventType: event.eventType }));
    const server = await serveStatic(ctx.dir);
    const chromium = await launchChromium(ctx.dir);
    try {
      const result = await runPage(chromium.context, `${server.url}/index.html`, {
        async prepare(page) {
          await page.exposeFunction("kitBridge", async (op, arg) => {
            if (op === "advance") await emulator.clock.advance(arg);
            return { events: pending.splice(0), now: emulator.clock.now() };
          });
          const routed = await routeJobRouter(page, { endpoint: "https://kit.communication.azure.com", emulator });
          if (routed.emulator !== emulator) throw new Error("routeJobRouter did not use the emulator given");
        },
      });
      assertPage(result, "Playwright-routed page in Chromium", { early: null });
      const job = await emulator.handle("GET", "/routing/jobs/kit-job?api-version=2023-11-01");
      if (JSON.parse(job.body).status !== "closed") throw new Error(`the test's emulator has the job ${job.body}`);
    } finally {
      await chromium.close();
      await server.close();
      emulator.dispose();
    }
  },
};
