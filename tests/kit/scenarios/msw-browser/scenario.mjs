// MSW in the browser: the app (setupWorker + jobrouter-emulator/msw) bundled by esbuild for the browser,
// msw's mockServiceWorker.js beside it (what `npx msw init` copies), loaded in Chromium from 127.0.0.1.
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { browserMissing } from "../../lib/browser.mjs";
import { checkBuiltApp } from "../../lib/bundle-page.mjs";
import { assertFromTarball, sizes } from "../../lib/util.mjs";

export default {
  title: "MSW setupWorker in Chromium (esbuild bundle)",
  timeout: 90_000,
  skip: browserMissing,
  async run(ctx) {
    const { build } = await import("esbuild");
    cpSync(join(ctx.kitDir, "shared", "fetch-client.mjs"), join(ctx.dir, "src", "fetch-client.mjs"));
    copyFileSync(join(ctx.dir, "msw-browser-app.js"), join(ctx.dir, "src", "app.js"));
    const page = readFileSync(join(ctx.kitDir, "shared", "index.html"), "utf8").replace("<!--SCRIPT-->", '<script type="module" src="./dist/app.js"></script>');
    writeFileSync(join(ctx.dir, "index.html"), page);
    // `npx msw init .`: the worker script of the msw that the app bundles.
    const mswPackage = createRequire(join(ctx.dir, "package.json")).resolve("msw/package.json");
    copyFileSync(join(dirname(mswPackage), "lib", "mockServiceWorker.js"), join(ctx.dir, "mockServiceWorker.js"));
    ctx.config('setupWorker(...jobRouterHandlers({ endpoint })); mockServiceWorker.js served beside the page (npx msw init)');
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
    ctx.bundle({ ...sizes([join(ctx.dir, "dist", "app.js")]), file: "dist/app.js (with msw)" });
    await checkBuiltApp(ctx, ctx.dir, "MSW setupWorker in Chromium", { early: null });
  },
};
