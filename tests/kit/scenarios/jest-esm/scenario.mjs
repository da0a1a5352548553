// jest on native ES modules: node --experimental-vm-modules node_modules/jest/bin/jest.js, a .mjs test, no
// transform. The package resolves through the `node` condition (js/bundle/node.js).
import { runJest } from "../../lib/jest.mjs";

export default {
  title: "jest ESM (--experimental-vm-modules)",
  timeout: 160_000,
  async run(ctx) {
    ctx.config('jest.config.mjs: testMatch ["**/*.test.mjs"], transform {}; run with node --experimental-vm-modules');
    await runJest(ctx, { expectTests: 2, nodeArgs: ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning"] });
  },
};
