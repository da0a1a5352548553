// webpack 5 through its Node API with the default configuration (mode production, entry ./src/index.js, output
// dist/main.js; no resolve.fallback), loaded in Chromium as a classic script. Warnings fail the scenario, except
// the performance hints about size (accepted: the package embeds the ~390 KB core).
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { browserMissing } from "../../lib/browser.mjs";
import { checkBuiltApp } from "../../lib/bundle-page.mjs";
import { assertFromTarball, sizes } from "../../lib/util.mjs";

/** webpack's performance hints (the size of an asset or entrypoint, and "no async chunks"). */
export const ACCEPTED_WARNINGS = ["AssetsOverSizeLimitWarning", "EntrypointsOverSizeLimitWarning", "NoAsyncChunksWarning"];

/** Runs webpack with config; resolves to { stats, ids } or throws on errors and unaccepted warnings. */
export async function webpackBuild(ctx, config) {
  const { default: webpack } = await import("webpack");
  // The defaults (context, output.path) are relative to the working directory, as with webpack-cli.
  const cwd = process.cwd();
  process.chdir(ctx.dir);
  let stats;
  try {
    stats = await new Promise((resolvePromise, reject) => {
      webpack(config, (error, result) => (error ? reject(error) : resolvePromise(result)));
    });
  } finally {
    process.chdir(cwd);
  }
  const { errors, warnings } = stats.compilation;
  if (errors.length > 0) throw new Error(`webpack errors:\n  ${errors.map((e) => e.message).join("\n  ")}`);
  const accepted = warnings.filter((w) => ACCEPTED_WARNINGS.includes(w.name));
  const other = warnings.filter((w) => !ACCEPTED_WARNINGS.includes(w.name));
  if (other.length > 0) throw new Error(`webpack warnings:\n  ${other.map((w) => `${w.name}: ${w.message}`).join("\n  ")}`);
  if (accepted.length > 0) ctx.note(`accepted webpack performance hints: ${[...new Set(accepted.map((w) => w.name))].join(", ")}`);
  const ids = [...stats.compilation.modules].flatMap((m) => [m.resource, ...(m.modules ?? []).map((inner) => inner.resource)]);
  return { stats, ids };
}

export default {
  title: "webpack 5 default config (mode production)",
  timeout: 120_000,
  skip: browserMissing,
  async run(ctx) {
    ctx.browserApp('<script src="./dist/main.js"></script>', { app: "src/index.js" });
    const { ids } = await webpackBuild(ctx, { mode: "production" });
    assertFromTarball(ids, ctx);
    ctx.bundle({ ...sizes([join(ctx.dir, "dist", "main.js")]), file: "dist/main.js" });
    await checkBuiltApp(ctx, ctx.dir, "webpack bundle in Chromium");
  },
};
