// jest on native ES modules with testEnvironment "jsdom". jest resolves imports there with the conditions import,
// default and the environment's "browser" — no "node" — so the package's browser entry (js/index.js) loads the
// core the web way inside jsdom's globals, which have no DecompressionStream. Tried first with no further
// configuration (recorded either way), then with testEnvironmentOptions.customExportConditions ["node"] (the
// package's Node entry), which must pass.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runJest } from "../../lib/jest.mjs";

const NODE_ARGS = ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning"];

export default {
  title: "jest ESM + jsdom environment",
  timeout: 160_000,
  async run(ctx) {
    try {
      await runJest(ctx, { expectTests: 1, nodeArgs: NODE_ARGS });
      ctx.note("works with testEnvironment \"jsdom\" alone");
      return;
    } catch (error) {
      const reason = String(error.message).split("\n").find((line) => /Error|cannot load/.test(line)) ?? String(error.message).split("\n")[0];
      ctx.note(`with testEnvironment "jsdom" alone it fails: ${reason.trim().slice(0, 300)}`);
    }
    writeFileSync(
      join(ctx.dir, "jest.config.mjs"),
      'export default { testEnvironment: "jsdom", testEnvironmentOptions: { customExportConditions: ["node"] }, testMatch: ["**/*.test.mjs"], transform: {} };\n',
    );
    ctx.config('jest.config.mjs: testEnvironmentOptions: { customExportConditions: ["node"] } (jsdom, ESM)');
    await runJest(ctx, { expectTests: 1, nodeArgs: NODE_ARGS });
  },
};
