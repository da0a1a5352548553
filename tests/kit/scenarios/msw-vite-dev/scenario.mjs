// MSW in the browser under the Vite dev server (the usual "mock the backend in development" setup): the app of
// msw-browser (setupWorker + jobrouter-emulator/msw, the lifecycle over fetch), mockServiceWorker.js in public/
// (npx msw init public/), no Vite configuration. Vite's dependency optimizer pre-bundles jobrouter-emulator and
// jobrouter-emulator/msw as separate entries: both must share one emulator registry (RouterEmulator.for).
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { browserMissing, launchChromium, runPage } from "../../lib/browser.mjs";
import { assertPage } from "../../lib/checks.mjs";
import { capturingLogger } from "../../lib/vite-logger.mjs";

export default {
  title: "MSW setupWorker under the Vite dev server",
  timeout: 120_000,
  skip: browserMissing,
  async run(ctx) {
    const { createServer } = await import("vite");
    cpSync(join(ctx.kitDir, "shared", "fetch-client.mjs"), join(ctx.dir, "src", "fetch-client.mjs"));
    copyFileSync(join(ctx.kitDir, "scenarios", "msw-browser", "files", "msw-browser-app.js"), join(ctx.dir, "src", "app.js"));
    const page = readFileSync(join(ctx.kitDir, "shared", "index.html"), "utf8").replace("<!--SCRIPT-->", '<script type="module" src="/src/app.js"></script>');
    writeFileSync(join(ctx.dir, "index.html"), page);
    mkdirSync(join(ctx.dir, "public"), { recursive: true });
    const mswPackage = createRequire(join(ctx.dir, "package.json")).resolve("msw/package.json");
    copyFileSync(join(dirname(mswPackage), "lib", "mockServiceWorker.js"), join(ctx.dir, "public", "mockServiceWorker.js"));
    ctx.config("public/mockServiceWorker.js (npx msw init public/); no vite config");
    const logger = capturingLogger();
    const server = await createServer({
      root: ctx.dir,
      configFile: false,
      logLevel: "info",
      customLogger: logger,
      server: { host: "127.0.0.1", port: 0, watch: null },
    });
    await server.listen();
    const chromium = await launchChromium(ctx.dir);
    try {
      const result = await runPage(chromium.context, server.resolvedUrls.local[0], { timeout: 60_000 });
      assertPage(result, "MSW under the Vite dev server", { early: null });
    } finally {
      await chromium.close();
      await server.close();
    }
    logger.assertClean("vite dev server");
  },
};
