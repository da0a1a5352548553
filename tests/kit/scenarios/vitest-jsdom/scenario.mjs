// vitest with environment "jsdom": the lifecycle rendered into jsdom's document.
import { createRequire } from "node:module";
import { join } from "node:path";
import { runVitest } from "../../lib/vitest.mjs";

export default {
  title: "vitest (jsdom environment)",
  timeout: 160_000,
  async skip(ctx) {
    try {
      createRequire(join(ctx.root, "package.json")).resolve("jsdom");
      return null;
    } catch {
      return "jsdom is not installed (it comes with jest-environment-jsdom)";
    }
  },
  async run(ctx) {
    ctx.config('vitest.config.mjs: test: { environment: "jsdom" } (or a // @vitest-environment jsdom comment)');
    await runVitest(ctx, { expectTests: 2 });
  },
};
