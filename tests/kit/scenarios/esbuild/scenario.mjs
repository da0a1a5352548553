// esbuild, zero configuration: esbuild --bundle --format=esm --platform=browser (no --external), the bundle
// loaded in Chromium.
import { join } from "node:path";
import { browserMissing } from "../../lib/browser.mjs";
import { checkBuiltApp } from "../../lib/bundle-page.mjs";
import { assertFromTarball, sizes } from "../../lib/util.mjs";

export default {
  title: "esbuild --bundle --format=esm --platform=browser",
  timeout: 90_000,
  skip: browserMissing,
  async run(ctx) {
    const { build } = await import("esbuild");
    ctx.browserApp('<script type="module" src="./dist/app.js"></script>');
    const result = await build({
      absWorkingDir: ctx.dir,
      entryPoints: ["src/app.js"],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: "dist/app.js",
      metafile: true,
      logLevel: "silent",
    });
    if (result.warnings.length > 0) throw new Error(`esbuild warnings: ${result.warnings.map((w) => w.text).join("; ")}`);
    assertFromTarball(Object.keys(result.metafile.inputs).map((input) => join(ctx.dir, input)), ctx);
    ctx.bundle({ ...sizes([join(ctx.dir, "dist", "app.js")]), file: "dist/app.js" });
    await checkBuiltApp(ctx, ctx.dir, "esbuild bundle in Chromium");
  },
};
