// Static files of the web demo: "/" and "/<file>" come from the package's web-demo/ folder, and
// "/js/<file>" from its js/ folder (the demo imports "../js/index.js", which resolves there both when
// this server serves it and when any static file server serves the package root).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEMO_ROOT = path.join(PACKAGE_ROOT, "web-demo");
const JS_ROOT = path.join(PACKAGE_ROOT, "js");

/**
 * Content types by file extension (also used by the demo test's plain static server).
 * @type {Record<string, string>}
 */
export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jobrouter-emulator</title></head>
<body><h1>jobrouter-emulator</h1>
<p>The REST API is served at <code>/routing/...</code>; events stream from <code>/emulator/events</code>.
The web demo is not part of this installation.</p></body></html>
`;

/**
 * Resolves `relative` inside `root`, or null when it would leave it.
 * @param {string} root
 * @param {string} relative
 */
function inside(root, relative) {
  const resolved = path.resolve(root, `.${path.sep}${relative}`);
  return resolved === root || resolved.startsWith(root + path.sep) ? resolved : null;
}

/**
 * Serves a GET/HEAD for a static path; returns false when no file matches (the caller answers 404).
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {string} pathname decoded URL path
 */
export function serveStatic(req, res, pathname) {
  let file;
  if (pathname === "/" || pathname === "/index.html") {
    file = path.join(DEMO_ROOT, "index.html");
    if (!fs.existsSync(file)) {
      res.writeHead(200, { "content-type": CONTENT_TYPES[".html"], "cache-control": "no-cache" });
      res.end(req.method === "HEAD" ? undefined : PLACEHOLDER);
      return true;
    }
  } else if (pathname.startsWith("/js/")) {
    file = inside(JS_ROOT, pathname.slice("/js/".length));
  } else if (pathname.startsWith("/web-demo/")) {
    file = inside(DEMO_ROOT, pathname.slice("/web-demo/".length));
  } else {
    file = inside(DEMO_ROOT, pathname.slice(1));
  }
  if (!file) return false;
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return false;
  }
  if (stat.isDirectory()) {
    file = path.join(file, "index.html");
    try {
      stat = fs.statSync(file);
    } catch {
      return false;
    }
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": stat.size,
    "cache-control": "no-cache",
  });
  if (req.method === "HEAD") {
    res.end();
  } else {
    fs.createReadStream(file).pipe(res);
  }
  return true;
}
