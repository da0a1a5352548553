// ts-jest (preset "ts-jest", its type-check on): a .ts test written against the package's declarations —
// typed paths, bodies and isUnexpected narrowing — with tsconfig module commonjs (the usual jest setup).
import { runJest } from "../../lib/jest.mjs";

export default {
  title: "jest + ts-jest (.ts test, type-checked)",
  type: "commonjs",
  timeout: 160_000,
  async run(ctx) {
    ctx.config('jest.config.js: preset: "ts-jest"; tsconfig.json: module "commonjs", esModuleInterop, strict');
    await runJest(ctx, { expectTests: 2 });
  },
};
