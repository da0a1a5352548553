// Runs vitest (the repository's vitest 4, through its bin) in a scenario's scratch project.
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { firstErrorLine, tail } from "./util.mjs";

/** vitest run --root <scratch>; throws unless every test passed and at least expectTests ran. */
export async function runVitest(ctx, { expectTests }) {
  const bin = join(ctx.root, "node_modules", "vitest", "vitest.mjs");
  const result = await ctx.run(
    ctx.node,
    [bin, "run", "--root", ctx.dir, "--reporter=json", "--outputFile", join(ctx.dir, "vitest-result.json")],
    { timeout: 150_000, env: { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: "0", CI: "1" } },
  );
  let report = null;
  try {
    report = JSON.parse(readFileSync(join(ctx.dir, "vitest-result.json"), "utf8"));
  } catch {}
  if (result.code !== 0 || !report || !report.success || report.numPassedTests < expectTests) {
    const failures = report ? report.testResults.flatMap((file) => file.assertionResults.filter((a) => a.status !== "passed").map((a) => `${a.title}: ${a.failureMessages.join(" ").slice(0, 600)}`)) : [];
    throw new Error(
      `vitest: exit ${result.code}, ${report ? `${report.numPassedTests}/${report.numTotalTests} passed` : "no report"}: ${firstErrorLine(`${failures.join("\n")}\n${result.stdout}\n${result.stderr}`)}\n${failures.join("\n")}\n${tail(result.stdout, 30)}\n${tail(result.stderr, 30)}`,
    );
  }
  return report;
}
