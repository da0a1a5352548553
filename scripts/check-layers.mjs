#!/usr/bin/env node
// Layer check: every #include in core/ and wasm/ against the layering rules below. Prints each include that breaks
// a rule as file:line and exits 1; exits 0 (printing a one-line summary) when there are none.
//
//   node scripts/check-layers.mjs
//
// The rules are data (LAYERS, FORBIDDEN_SYSTEM): a layer lists what it may include, everything else is refused.
// Quoted includes must be root-relative ("core/..."), so that each one names the file it reads; the project's own
// headers may not be included with angle brackets (<core/...> would compile, the repository's root being on the
// include path, and pass unread). Plain Node, no dependencies.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The layers, lowest first. `files`: the paths of the layer (a folder ends with "/"); `may`: the layers (by name)
 * and single files (paths) its files may include, besides their own layer's files.
 * @typedef {{ name: string, files: string[], may: string[], why: string }} Layer
 * @type {Layer[]}
 */
const LAYERS = [
  {
    name: "util",
    files: ["core/util/"],
    may: [],
    why: "JSON, time, URLs, PRNG: the bottom layer, it knows nothing of the emulator",
  },
  {
    name: "shared types",
    files: ["core/errors.hpp", "core/errors.cpp", "core/router_types.hpp"],
    may: [],
    why: "plain types every layer shares (ApiError, the router's options and limits)",
  },
  { name: "store", files: ["core/store/"], may: ["util", "shared types"], why: "tables and ETags" },
  {
    name: "model",
    files: ["core/model/"],
    may: ["util", "shared types", "store"],
    why: "resources, their validation and JSON; no commands, no HTTP",
  },
  { name: "rules", files: ["core/rules/"], may: ["util", "shared types", "model"], why: "rule evaluation" },
  { name: "events", files: ["core/events/"], may: ["util", "shared types", "model"], why: "outbox, event payloads" },
  {
    name: "engine",
    files: ["core/engine/"],
    may: ["util", "shared types", "store", "model", "rules", "events"],
    why: "typed commands in, typed results out: no core/http (routes, query strings, headers, links), no facade",
  },
  {
    name: "http",
    files: ["core/http/"],
    may: ["util", "shared types", "model", "core/engine/commands.hpp", "core/engine/commands.inc"],
    why: "requests read into the engine's typed commands (core/engine/commands.hpp, and the generated list of them, commands.inc), results written as responses; " +
      "it does not run the Engine",
  },
  {
    name: "facade",
    files: ["core/router.hpp", "core/router.cpp"],
    may: ["util", "shared types", "store", "model", "rules", "events", "engine", "http"],
    why: "jr::Router: reads a request (http), runs the command (engine), writes the response (http)",
  },
  {
    name: "wasm",
    files: ["wasm/"],
    may: ["facade", "shared types", "util", "core/http/http_types.hpp", "core/http/responses.hpp",
      "core/http/routes.hpp", "core/rules/rule_tryout.hpp"],
    why: "the embind bindings over jr::Router; also the headers the core reads (which they publish), the core's " +
      "error response and an operation's path (for errors the host makes up, and their targets) and the stateless " +
      "rule try-out, which are not the Router's",
  },
];

/**
 * System headers a layer may not include, by path prefix -> why. `<emscripten/...>` is allowed in wasm/ only.
 * @type {{ files: string[], header: RegExp, why: string }[]}
 */
const FORBIDDEN_SYSTEM = [
  {
    files: ["core/"],
    header: /^emscripten(\/|\.h$)/,
    why: "the core is plain C++20: Emscripten headers only in wasm/",
  },
  {
    files: ["core/"],
    header: /^(chrono|ctime|time\.h|sys\/time\.h|thread|random)$/,
    why: "no wall clock and no real randomness in the core: time is the virtual clock (core/util/time.hpp), " +
      "randomness the seeded PRNG (core/util/prng.hpp)",
  },
  {
    files: ["core/"],
    header: /^(unordered_map|unordered_set)$/,
    why: "no unordered containers in the core: iteration order must not depend on hashing",
  },
];

/** @param {string} dir @returns {string[]} root-relative paths with "/" separators */
function sources(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(c|cc|cpp|h|hpp|inc)$/.test(name)) out.push(path);
  }
  return out;
}

/** @param {string} file @param {string[]} paths */
function inPaths(file, paths) {
  return paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));
}

/** @param {string} file @returns {Layer | undefined} */
function layerOf(file) {
  return LAYERS.find((layer) => inPaths(file, layer.files));
}

/** @param {Layer} layer @param {string} target @returns {boolean} */
function mayInclude(layer, target) {
  const targetLayer = layerOf(target);
  if (targetLayer === layer) return true;
  return layer.may.some((m) => m === target || (targetLayer !== undefined && m === targetLayer.name));
}

/** @param {string} text @returns {{ line: number, quoted: boolean, target: string }[]} */
function includes(text) {
  /** @type {{ line: number, quoted: boolean, target: string }[]} */
  const out = [];
  const lines = text.split("\n");
  let inBlockComment = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (inBlockComment) {
      const end = line.indexOf("*/");
      if (end < 0) continue;
      line = line.slice(end + 2);
      inBlockComment = false;
    }
    const m = /^\s*#\s*include\s*([<"])([^>"]+)[>"]/.exec(line);
    if (m) out.push({ line: i + 1, quoted: m[1] === '"', target: m[2] });
    else if (/^\s*\/\*/.test(line) && !line.includes("*/")) inBlockComment = true;
  }
  return out;
}

/** @param {string} file @returns {string[]} the violations, as "file:line: ..." */
function check(file) {
  const layer = layerOf(file);
  if (!layer) return [`${file}:1: in no layer of scripts/check-layers.mjs (add it to LAYERS)`];
  /** @type {string[]} */
  const problems = [];
  for (const { line, quoted, target } of includes(readFileSync(join(root, file), "utf8"))) {
    const at = `${file}:${line}: #include ${quoted ? `"${target}"` : `<${target}>`}`;
    if (quoted) {
      if (!target.startsWith("core/")) {
        problems.push(`${at}: a quoted include must be a root-relative core/ path`);
      } else if (!layerOf(target)) {
        problems.push(`${at}: the included file is in no layer of scripts/check-layers.mjs`);
      } else if (!mayInclude(layer, target)) {
        problems.push(`${at}: ${layer.name} (${layer.files.join(", ")}) may not include ` +
          `${layerOf(target)?.name} — ${layer.name} may include: ${layer.may.join(", ") || "only its own files"} ` +
          `(${layer.why})`);
      }
      continue;
    }
    if (/^(core|wasm)\//.test(target)) {
      problems.push(`${at}: the project's own headers are included with quotes ("${target}"), which this check reads`);
      continue;
    }
    for (const rule of FORBIDDEN_SYSTEM) {
      if (inPaths(file, rule.files) && rule.header.test(target)) problems.push(`${at}: ${rule.why}`);
    }
  }
  return problems;
}

const files = [...sources("core"), ...sources("wasm")];
const problems = files.flatMap(check);
for (const p of problems) console.error(p);
if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} include(s) break the layering`);
  process.exit(1);
}
console.log(`check-layers: ${files.length} files in core/ and wasm/, every #include within its layer's rules`);
