// A tiny static file server for the browser demo test: serves the repository root on an ephemeral
// loopback port, like `python3 -m http.server` would (the demo's in-process mode), with a strict CSP on pages.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { CONTENT_TYPES as TYPES } from "../../js/server/static-files.js";


/**
 * @param {string} root folder to serve
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startStaticServer(root) {
  const base = normalize(root + sep);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      let file = normalize(join(base, decodeURIComponent(url.pathname)));
      if (!file.startsWith(base)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
      const data = await readFile(file);
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" };
      // Pages get a strict Content-Security-Policy: no eval or new Function (only WebAssembly compilation is
      // allowed), so the demo test also shows that the module runs on sites that forbid them.
      if (extname(file) === ".html") headers["content-security-policy"] = "script-src 'self' 'wasm-unsafe-eval'";
      res.writeHead(200, headers);
      res.end(data);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
