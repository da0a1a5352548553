// webpack 5 (mode production): the browser app importing "@azure-rest/communication-job-router", mapped to this
// package by resolve.alias, loaded in Chromium.
import { join } from "node:path";
import { browserMissing } from "../../lib/browser.mjs";
import { checkBuiltApp } from "../../lib/bundle-page.mjs";
import { assertFromTarball, sizes } from "../../lib/util.mjs";
import { webpackBuild } from "../webpack/scenario.mjs";

export default {
  title: "alias: webpack resolve.alias",
  timeout: 120_000,
  skip: browserMissing,
  async run(ctx) {
    ctx.browserApp('<script src="./dist/main.js"></script>', { app: "src/index.js", importFrom: "@azure-rest/communication-job-router" });
    ctx.config('webpack.config: resolve: { alias: { "@azure-rest/communication-job-router$": "jobrouter-emulator" } }');
    const { ids } = await webpackBuild(ctx, {
      mode: "production",
      resolve: { alias: { "@azure-rest/communication-job-router$": "jobrouter-emulator" } },
    });
    assertFromTarball(ids, ctx);
    ctx.bundle({ ...sizes([join(ctx.dir, "dist", "main.js")]), file: "dist/main.js" });
    await checkBuiltApp(ctx, ctx.dir, "webpack (alias) bundle in Chromium");
  },
};
