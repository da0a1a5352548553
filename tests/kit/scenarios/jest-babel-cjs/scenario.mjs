// jest (CommonJS project) with babel-jest's default transform and @babel/preset-env: one test file written with
// ESM syntax (import, transpiled to require by babel), one with require(); both get js/cjs/node.js. One test runs
// the lifecycle under jest's fake timers (the emulator's manual clock must not depend on real timers).
import { runJest } from "../../lib/jest.mjs";

export default {
  title: "jest + babel-jest (CommonJS)",
  type: "commonjs",
  timeout: 160_000,
  async run(ctx) {
    ctx.config('babel.config.js: presets [["@babel/preset-env", { targets: { node: "current" } }]] (for ESM syntax in tests); jest.config.js empty');
    await runJest(ctx, { expectTests: 4 });
  },
};
