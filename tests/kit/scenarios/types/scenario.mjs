// The declarations as a TypeScript user gets them from the tarball: tsc --strict (skipLibCheck false) resolving
// "jobrouter-emulator" and its subpaths through the installed package's "exports" (no paths mapping), under
// nodenext (an .mts and a .cts file: the import and require types), bundler (lib dom) and node10.
import { join } from "node:path";
import { tail } from "../../lib/util.mjs";

const PROJECTS = ["nodenext", "bundler", "node10"];

export default {
  title: "TypeScript: the tarball's declarations (nodenext ESM+CJS, bundler, node10)",
  timeout: 120_000,
  async run(ctx) {
    const tsc = join(ctx.root, "node_modules", "typescript", "bin", "tsc");
    const failures = [];
    await Promise.all(PROJECTS.map(async (project) => {
      const result = await ctx.run(ctx.node, [tsc, "-p", `tsconfig.${project}.json`, "--pretty", "false"], { timeout: 100_000 });
      if (result.code !== 0) failures.push(`${project}:\n${tail(result.stdout, 25)}${tail(result.stderr, 5)}`);
    }));
    if (failures.length > 0) throw new Error(`tsc:\n${failures.join("\n")}`);
    ctx.note(`tsc --strict passed: ${PROJECTS.join(", ")}`);
  },
};
