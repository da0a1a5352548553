// Finds the reference material (shared/reference) for the conformance tests: $JOBROUTER_REFERENCE_DIR, or a
// shared/reference folder beside the repository or any folder above it. Returns null when there is none.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The first of `relativeCandidates` (under the reference root) that contains `marker`, or null. */
export function findReference(relativeCandidates, marker) {
  const roots = [];
  const fromEnv = process.env.JOBROUTER_REFERENCE_DIR;
  if (fromEnv) roots.push(fromEnv, join(fromEnv, "reference"));
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    roots.push(join(dir, "shared", "reference"));
    if (dirname(dir) === dir) break;
  }
  for (const root of roots) {
    for (const candidate of relativeCandidates) {
      const full = join(root, candidate);
      if (existsSync(join(full, marker))) return full;
    }
  }
  return null;
}
