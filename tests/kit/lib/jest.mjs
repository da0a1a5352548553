// Runs jest (the repository's jest 30, through its bin) in a scenario's scratch project.
import { join } from "node:path";
import { firstErrorLine, tail } from "./util.mjs";

/**
 * Runs jest with the scratch project as rootDir (its jest.config.*); throws unless every test passed and at least
 * `expectTests` ran. nodeArgs go before jest's bin (--experimental-vm-modules for ESM).
 */
export async function runJest(ctx, { expectTests, nodeArgs = [], args = [] } = {}) {
  const bin = join(ctx.root, "node_modules", "jest", "bin", "jest.js");
  const result = await ctx.run(
    ctx.node,
    [...nodeArgs, bin, "--ci", "--watchman=false", "--cacheDirectory", join(ctx.dir, ".jest-cache"), "--json", "--outputFile", join(ctx.dir, "jest-result.json"), ...args],
    { timeout: 150_000, env: { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: "0" } },
  );
  let report = null;
  try {
    report = JSON.parse((await import("node:fs")).readFileSync(join(ctx.dir, "jest-result.json"), "utf8"));
  } catch {}
  if (result.code !== 0 || !report || !report.success || report.numPassedTests < expectTests) {
    throw new Error(
      `jest: exit ${result.code}, ${report ? `${report.numPassedTests}/${report.numTotalTests} passed` : "no report"}: ${firstErrorLine(result.stderr)}\n${tail(result.stderr, 60)}`,
    );
  }
  if (/\bwarn|deprecat/i.test(result.stderr)) ctx.note(`jest stderr: ${result.stderr.split("\n").filter((l) => /warn|deprecat/i.test(l)).slice(0, 3).join(" | ")}`);
  return report;
}
