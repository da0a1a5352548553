// Prepended verbatim (--extern-pre-js) to the ES module that Emscripten 3.1.6 emits.
// Under Node, that output uses `require` and `__dirname`, which an ES module does not have:
// define them from import.meta.url. In a browser, leave them undefined / empty (the generated
// code only touches them when it runs under Node).
const __jrIsNode = typeof process === 'object' && process !== null &&
  typeof process.versions === 'object' && process.versions !== null &&
  typeof process.versions.node === 'string';
const require = __jrIsNode ? (await import('module')).createRequire(import.meta.url) : undefined;
const __filename = __jrIsNode ? (await import('url')).fileURLToPath(import.meta.url) : '';
const __dirname = __jrIsNode ? (await import('path')).dirname(__filename) : '';
