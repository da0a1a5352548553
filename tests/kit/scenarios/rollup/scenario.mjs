// Rollup 4 with @rollup/plugin-node-resolve's default options (nodeResolve()), output format es, loaded in
// Chromium. Every rollup warning fails the scenario (unresolved imports above all).
import { join } from "node:path";
import { browserMissing } from "../../lib/browser.mjs";
import { checkBuiltApp } from "../../lib/bundle-page.mjs";
import { assertFromTarball, sizes } from "../../lib/util.mjs";

export default {
  title: "Rollup + nodeResolve()",
  timeout: 90_000,
  skip: browserMissing,
  async run(ctx) {
    const { rollup } = await import("rollup");
    const { nodeResolve } = await import("@rollup/plugin-node-resolve");
    ctx.browserApp('<script type="module" src="./dist/app.js"></script>');
    const warnings = [];
    const cwd = process.cwd();
    process.chdir(ctx.dir); // nodeResolve's rootDir defaults to the working directory
    let bundle;
    try {
      bundle = await rollup({
        input: join(ctx.dir, "src", "app.js"),
        plugins: [nodeResolve()],
        onwarn: (warning) => warnings.push(`${warning.code}: ${warning.message}`),
      });
      await bundle.write({ file: join(ctx.dir, "dist", "app.js"), format: "es" });
    } finally {
      process.chdir(cwd);
    }
    const ids = bundle.cache.modules.map((m) => m.id);
    await bundle.close();
    if (warnings.length > 0) throw new Error(`rollup warnings:\n  ${warnings.join("\n  ")}`);
    assertFromTarball(ids, ctx);
    ctx.bundle({ ...sizes([join(ctx.dir, "dist", "app.js")]), file: "dist/app.js" });
    await checkBuiltApp(ctx, ctx.dir, "rollup bundle in Chromium");
  },
};
