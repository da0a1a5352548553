// Keeps the package's generated JavaScript ASCII-only (used by scripts/build-node-esm.mjs and scripts/build-cjs.mjs).
//
// V8 holds a source text with even one non-ASCII character as UTF-16: twice the bytes to decode, keep and scan.
// Under Node that is every cold start: one "…" in a comment of the Node bundle's main chunk made its 157 KB text
// 314 KB and cost about 1.4 ms (and 60 page faults) of import + first request (`npm run bench`, alternated runs).
// esbuild already escapes non-ASCII characters in code (its default charset is ASCII), so what is left is in the
// comments it keeps: those characters are spelled in ASCII, and the code is checked to be unchanged (the same
// text once minified, which drops the comments and writes every string's escapes one way).
import { transform } from "esbuild";

const NON_ASCII = /[^\x00-\x7f]/u;
const SPELLINGS = new Map([
  ["…", "..."], ["—", "--"], ["–", "-"], ["→", "->"], ["←", "<-"], ["×", "x"], ["≤", "<="], ["≥", ">="], ["≈", "~"],
  ["≠", "!="], ["’", "'"], ["‘", "'"], ["“", '"'], ["”", '"'], ["µ", "u"],
]);

/** The code, ASCII-only, with nothing but comments changed; throws where the code itself would change. */
export async function asciiComments(code, name) {
  if (!NON_ASCII.test(code)) return code;
  const ascii = code.replace(/[^\x00-\x7f]/gu, (char) => SPELLINGS.get(char) ?? `\\u{${char.codePointAt(0).toString(16)}}`);
  const minified = async (text) => (await transform(text, { loader: "js", minify: true, legalComments: "none", logLevel: "silent" })).code;
  if ((await minified(ascii)) !== (await minified(code))) {
    throw new Error(`${name}: a non-ASCII character outside a comment (esbuild's charset option should escape those)`);
  }
  return ascii;
}

