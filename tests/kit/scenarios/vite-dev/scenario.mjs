// The Vite dev server (createServer, no configuration file) on 127.0.0.1, the page loaded from it in Chromium
// (dependency pre-bundling included). Any warning or error in the server's log fails the scenario.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { browserMissing, launchChromium, runPage } from "../../lib/browser.mjs";
import { assertPage } from "../../lib/checks.mjs";
import { assertFromTarball } from "../../lib/util.mjs";
import { capturingLogger } from "../../lib/vite-logger.mjs";

export default {
  title: "vite dev server (createServer, no config)",
  timeout: 120_000,
  skip: browserMissing,
  async run(ctx) {
    const { createServer } = await import("vite");
    ctx.browserApp('<script type="module" src="/src/app.js"></script>');
    const logger = capturingLogger();
    const server = await createServer({
      root: ctx.dir,
      configFile: false,
      logLevel: "info",
      customLogger: logger,
      server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: true, watch: null },
    });
    await server.listen();
    const url = server.resolvedUrls.local[0];
    const chromium = await launchChromium(ctx.dir);
    try {
      const page = await runPage(chromium.context, url, { timeout: 60_000 });
      assertPage(page, "vite dev server page in Chromium");
      // The page ran from the installed package: the dev server's module graph holds its files.
      // (pre-bundled by the dependency optimizer: its metadata names the sources).
      const metadata = JSON.parse(readFileSync(join(ctx.dir, "node_modules", ".vite", "deps", "_metadata.json"), "utf8"));
      const ids = [
        ...server.moduleGraph.idToModuleMap.keys(),
        ...Object.values(metadata.optimized).map((dep) => resolve(ctx.dir, "node_modules", ".vite", "deps", dep.src)),
      ];
      const used = assertFromTarball(ids, ctx);
      ctx.note(`served from the tarball: ${used.slice(0, 3).join(", ")}${used.length > 3 ? ", ..." : ""}`);
    } finally {
      await chromium.close();
      await server.close();
    }
    logger.assertClean("vite dev server");
  },
};
