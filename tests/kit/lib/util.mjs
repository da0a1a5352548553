// Small helpers of the kit's scenarios: running commands, bundle sizes, the scratch project's files.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Runs a command; resolves to { code, signal, stdout, stderr, timedOut } (never rejects on a non-zero exit unless check is set).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: object, timeout?: number, check?: boolean }} [options]
 */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let timer = null;
    let timedOut = false;
    if (options.timeout) {
      // SIGTERM to the process group first (playwright-core closes its browsers on it), SIGKILL 3 s later.
      timer = setTimeout(() => {
        timedOut = true;
        stderr += `\n[kit] ${command} timed out after ${options.timeout} ms: killed\n`;
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {}
        setTimeout(() => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {}
        }, 3000).unref();
      }, options.timeout);
    }
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = { code: code ?? 1, signal, stdout, stderr, timedOut };
      if (options.check && result.code !== 0) {
        reject(new Error(`${command} ${args.join(" ")} exited ${code}${signal ? ` (${signal})` : ""}\n${tail(stdout)}\n${tail(stderr)}`));
      } else {
        resolvePromise(result);
      }
    });
  });
}

/** The first line of a text that names an error ("ReferenceError: ...", "... cannot ..."), or "". */
export function firstErrorLine(text) {
  const line = String(text).split("\n").find((l) => /\b[A-Z]\w*Error\b:|cannot |Cannot /.test(l) && !/^\s+at /.test(l));
  return line ? line.trim().slice(0, 200) : "";
}

/** The last lines of a text. */
export function tail(text, lines = 30) {
  return String(text).trimEnd().split("\n").slice(-lines).join("\n");
}

/** The last line of a process's output that parses as JSON. */
export function lastJson(text) {
  const lines = String(text).trim().split("\n").reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line);
    } catch {}
  }
  throw new Error(`no JSON line in the output:\n${tail(text)}`);
}

/** Raw and gzip sizes (bytes) of the .js files given, summed. */
export function sizes(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip };
}

/** Every file under dir (recursively) whose name ends with suffix. */
export function filesUnder(dir, suffix) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

/**
 * Throws when a module id (a path) of a bundle or a resolution lies in the repository's own js/ (the package
 * must come from the tarball in the scratch project), or when none comes from the installed package.
 */
export function assertFromTarball(ids, ctx) {
  const repoJs = join(ctx.root, "js") + sep;
  const installed = join(ctx.dir, "node_modules", "jobrouter-emulator") + sep;
  const clean = ids.filter(Boolean).map((id) => String(id).replace(/^\0/, "").split("?")[0]);
  const fromRepo = clean.filter((id) => id.startsWith(repoJs));
  if (fromRepo.length > 0) {
    throw new Error(`modules resolved to the repository's js/ instead of the tarball: ${fromRepo.slice(0, 3).map((id) => relative(ctx.root, id)).join(", ")}`);
  }
  const fromPackage = clean.filter((id) => id.startsWith(installed));
  if (fromPackage.length === 0) {
    throw new Error(`no module of the bundle comes from node_modules/jobrouter-emulator (ids: ${clean.slice(0, 5).join(", ")})`);
  }
  return fromPackage.map((id) => relative(installed, id));
}
