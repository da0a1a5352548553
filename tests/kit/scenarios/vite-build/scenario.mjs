// vite build with no configuration file (index.html at the project root), the build loaded in Chromium. Any
// warning in the build log fails the scenario ("externalized for browser compatibility" above all).
import { join } from "node:path";
import { browserMissing } from "../../lib/browser.mjs";
import { checkBuiltApp } from "../../lib/bundle-page.mjs";
import { assertFromTarball, filesUnder, sizes } from "../../lib/util.mjs";
import { capturingLogger } from "../../lib/vite-logger.mjs";

export default {
  title: "vite build (no config)",
  timeout: 120_000,
  skip: browserMissing,
  async run(ctx) {
    const { build } = await import("vite");
    ctx.browserApp('<script type="module" src="/src/app.js"></script>');
    const logger = capturingLogger();
    const output = await build({ root: ctx.dir, configFile: false, logLevel: "info", customLogger: logger });
    logger.assertClean("vite build");
    const outputs = Array.isArray(output) ? output : [output];
    const ids = outputs.flatMap((o) => o.output.flatMap((chunk) => (chunk.type === "chunk" ? Object.keys(chunk.modules) : [])));
    assertFromTarball(ids, ctx);
    const dist = join(ctx.dir, "dist");
    const js = filesUnder(dist, ".js");
    ctx.bundle({ ...sizes(js), file: `dist/assets (${js.length} .js)` });
    await checkBuiltApp(ctx, dist, "vite build in Chromium");
  },
};
