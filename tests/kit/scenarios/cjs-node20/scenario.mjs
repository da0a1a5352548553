// require("jobrouter-emulator") in a CommonJS project under this Node (the `require` condition: js/cjs/node.js):
// the lifecycle, clock control, and the clock readable synchronously before any request.
import { runNodeApp } from "../../lib/node-apps.mjs";

export default {
  title: "CommonJS require() on this Node",
  type: "commonjs",
  timeout: 60_000,
  async run(ctx) {
    await runNodeApp(ctx, ctx.node, { cjs: true, esm: true });
  },
};
