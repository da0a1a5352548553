#!/usr/bin/env node
// Function sizes: lists the functions longer than N lines (default 80) in js/ and web-demo/ (parsed with TypeScript's
// parser) and core/ + wasm/ (C++, found by brace matching: rough, but exact enough for the limit), longest first.
//
//   node scripts/function-sizes.mjs [--max N] [--top K] [--json]
//   node scripts/function-sizes.mjs --check      fails when a function in js/, web-demo/, core/ or wasm/ is over 80 lines,
//                                                except those in EXCEPTIONS below (each with the reason it may be)
//
// A function's size is its lines from its first to its last, nested functions included (a nested function counts
// for itself too; so does a lambda at namespace scope in C++). js/cjs/, js/bundle/ and js/generated/ are generated
// and skipped.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const CHECK_LIMIT = 80;

/**
 * js/ functions allowed over the limit for now, as "file:function" -> why. Remove an entry once it is split;
 * --check fails for an entry that no longer matches anything, so the list does not go stale.
 * @type {Map<string, string>}
 */
const EXCEPTIONS = new Map([]);

/** @param {string} dir @param {(path: string) => boolean} keep @returns {string[]} */
function walk(dir, keep) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

/**
 * @typedef {{ file: string, name: string, line: number, lines: number }} FunctionSize
 */

/** @param {import("typescript").Node} node @param {typeof import("typescript")} ts */
function jsName(node, ts) {
  const named = /** @type {any} */ (node).name;
  if (named && ts.isIdentifier(named)) return named.text;
  if (named && (ts.isStringLiteral(named) || ts.isPrivateIdentifier(named))) return named.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && parent.name && "text" in parent.name) return String(parent.name.text);
  if (parent && ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  return "(anonymous)";
}

/**
 * Every function of a JS file with a body of statements.
 * @param {string} path
 * @returns {FunctionSize[]}
 */
function jsFunctions(path) {
  const ts = require("typescript");
  const text = readFileSync(path, "utf8");
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const file = relative(root, path);
  /** @type {FunctionSize[]} */
  const out = [];
  /** @param {import("typescript").Node} node */
  const visit = (node) => {
    if (ts.isFunctionLike(node) && /** @type {any} */ (node).body && ts.isBlock(/** @type {any} */ (node).body)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, name: jsName(node, ts), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** C++ text with comments, string and character literals blanked (newlines kept). @param {string} text */
function blankCpp(text) {
  return text
    .replace(/R"([^(\s]*)\(([\s\S]*?)\)\1"/g, (m) => m.replace(/[^\n]/g, " "))
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, " "));
}

const CONTROL = /^(if|for|while|switch|catch|return|sizeof|decltype|alignof|noexcept|static_assert|requires)$/;

/**
 * The C++ functions of a file, roughly: a `{` after `name(...)` (with const/noexcept/override/-> type after it) at
 * a point outside any other function opens a function body.
 * @param {string} path
 * @returns {FunctionSize[]}
 */
function cppFunctions(path) {
  const text = blankCpp(readFileSync(path, "utf8"));
  const file = relative(root, path);
  /** @type {FunctionSize[]} */
  const out = [];
  const lineAt = (/** @type {number} */ i) => text.slice(0, i).split("\n").length;
  let depth = 0;
  let inFunctionAt = -1;  // depth of the open function body (-1: none)
  let start = 0;
  let name = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") {
      if (inFunctionAt < 0) {
        const head = text.slice(Math.max(0, i - 400), i);
        const match = /([~\w:]+(?:operator\s*[^\s(]+)?)\s*\(([^()]|\([^()]*\))*\)\s*(?:const\s*)?(?:noexcept\s*)?(?:override\s*)?(?:->\s*[\w:<>,\s*&]+)?(?::[^;{}]*)?$/.exec(head);
        const word = match ? match[1].split("::").pop() ?? "" : "";
        if (match && !CONTROL.test(word) && !/\]\s*$/.test(head.slice(0, match.index))) {
          inFunctionAt = depth;
          start = i;
          name = match[1];
        } else {
          // a lambda outside any function (inside one, it counts as part of it): `name = [captures](params) {`
          const lambda = /([\w:]+)\s*=\s*\[[^[\]]*\]\s*(?:\(([^()]|\([^()]*\))*\))?\s*(?:mutable\s*)?(?:noexcept\s*)?(?:->\s*[\w:<>,\s*&]+)?$/.exec(head);
          if (lambda) {
            inFunctionAt = depth;
            start = i;
            name = lambda[1];
          }
        }
      }
      depth++;
    } else if (c === "}") {
      depth--;
      if (inFunctionAt >= 0 && depth === inFunctionAt) {
        const first = lineAt(start);
        const head = text.slice(0, start).lastIndexOf("\n");
        const firstLine = lineAt(text.lastIndexOf(name, start) >= 0 ? text.lastIndexOf(name, start) : head + 1);
        out.push({ file, name, line: firstLine, lines: lineAt(i) - Math.min(first, firstLine) + 1 });
        inFunctionAt = -1;
      }
    }
  }
  return out;
}

/** @returns {FunctionSize[]} */
function allFunctions() {
  const jsFiles = [
    ...walk(join(root, "js"), (p) => /\.js$/.test(p) && !/[\\/](cjs|bundle|generated)[\\/]/.test(p)),
    ...walk(join(root, "web-demo"), (p) => /\.js$/.test(p)),
  ];
  const cppFiles = [...walk(join(root, "core"), (p) => /\.(cpp|hpp)$/.test(p)), ...walk(join(root, "wasm"), (p) => /\.(cpp|hpp)$/.test(p))];
  return [...jsFiles.flatMap(jsFunctions), ...cppFiles.flatMap(cppFunctions)];
}

/** @param {string[]} argv */
function main(argv) {
  const flag = (/** @type {string} */ name) => argv.includes(name);
  const value = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const at = argv.indexOf(name);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const max = value("--max", CHECK_LIMIT);
  const functions = allFunctions().sort((a, b) => b.lines - a.lines);
  const over = functions.filter((f) => f.lines > max);
  if (flag("--check")) return check(functions);
  if (flag("--json")) {
    process.stdout.write(`${JSON.stringify(over, null, 1)}\n`);
    return 0;
  }
  const top = value("--top", Infinity);
  for (const f of over.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
  const count = (/** @type {string} */ dir) => over.filter((f) => f.file.startsWith(dir)).length;
  console.log(`${over.length} functions over ${max} lines (js/: ${count("js/")}, web-demo/: ${count("web-demo/")}, ` +
    `core/: ${count("core/")}, wasm/: ${count("wasm/")})`);
  return 0;
}

/**
 * --check: functions over CHECK_LIMIT lines (js/, web-demo/, core/, wasm/) that no exception covers, and exceptions that
 * cover nothing.
 * @param {FunctionSize[]} functions
 */
function check(functions) {
  const used = new Set();
  const excepted = (/** @type {FunctionSize} */ f) => {
    for (const key of [`${f.file}:${f.name}`, `${f.file}:*`]) {
      if (EXCEPTIONS.has(key)) {
        used.add(key);
        return true;
      }
    }
    return false;
  };
  const bad = functions.filter((f) => f.lines > CHECK_LIMIT && !excepted(f));
  const stale = [...EXCEPTIONS.keys()].filter((key) => !used.has(key));
  for (const f of bad) {
    console.error(`${f.file}:${f.line}: ${f.name} has ${f.lines} lines (limit ${CHECK_LIMIT}): split it, or add it to EXCEPTIONS in scripts/function-sizes.mjs with the reason`);
  }
  for (const key of stale) {
    console.error(`scripts/function-sizes.mjs: the exception ${key} matches no function over ${CHECK_LIMIT} lines any more: remove it`);
  }
  if (bad.length === 0 && stale.length === 0) {
    console.log(`function sizes: no function in js/, web-demo/, core/ or wasm/ over ${CHECK_LIMIT} lines outside the exceptions`);
  }
  return bad.length === 0 && stale.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
