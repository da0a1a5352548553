// jest (CommonJS, babel-jest): an app that imports "@azure-rest/communication-job-router", mapped to this package
// by moduleNameMapper.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runJest } from "../../lib/jest.mjs";

export default {
  title: "alias: jest moduleNameMapper",
  type: "commonjs",
  timeout: 160_000,
  async run(ctx) {
    // The app as an ES module in .js (babel-jest transpiles it), beside lifecycle.cjs.
    const app = readFileSync(join(ctx.kitDir, "shared", "official-app.mjs"), "utf8").replace('"./lifecycle.mjs"', '"./lifecycle.cjs"');
    writeFileSync(join(ctx.dir, "src", "official-app.js"), app);
    ctx.config('jest.config.js: moduleNameMapper: { "^@azure-rest/communication-job-router$": "jobrouter-emulator" }');
    await runJest(ctx, { expectTests: 1 });
  },
};
