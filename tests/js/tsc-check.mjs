// Type-checks a TypeScript snippet against the package's hand-written declarations and the real peer
// packages' types (typescript, a devDependency): the snippet is written as an ES module into a temporary
// folder whose node_modules links to the repository's, so package names resolve as they do for a user.

import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Import specifier of a file of the repository's js/ folder (absolute, with forward slashes). */
export function repoModule(relativePath) {
  return path.join(ROOT, "js", relativePath).split(path.sep).join("/");
}

/**
 * The diagnostics (as text) of `source` compiled strictly (ES2022 + DOM libs, NodeNext modules).
 * @param {string} source
 * @returns {Promise<string[]>}
 */
export async function typeErrors(source) {
  const ts = (await import("typescript")).default;
  const dir = mkdtempSync(path.join(tmpdir(), "jr-types-"));
  try {
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
    const file = path.join(dir, "check.ts");
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
      return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
