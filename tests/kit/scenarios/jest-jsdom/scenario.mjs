// jest with testEnvironment "jsdom" (jest-environment-jsdom), babel-jest for ESM syntax, no setup file: the
// lifecycle rendered into jsdom's document.
import { runJest } from "../../lib/jest.mjs";

export default {
  title: "jest + jsdom environment",
  type: "commonjs",
  timeout: 160_000,
  async run(ctx) {
    ctx.config('jest.config.js: testEnvironment: "jsdom" (no setup file); babel.config.js with @babel/preset-env for ESM syntax');
    await runJest(ctx, { expectTests: 2 });
  },
};
