// vitest, no configuration file, node environment.
import { runVitest } from "../../lib/vitest.mjs";

export default {
  title: "vitest (node environment, no config)",
  timeout: 160_000,
  async run(ctx) {
    await runVitest(ctx, { expectTests: 2 });
  },
};
