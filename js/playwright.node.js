// @ts-check
// jobrouter-emulator/playwright under Node (package.json exports "node" and, converted, "require"): the same exports as
// js/playwright.js, with the core loaded synchronously through Node's zlib even when the main entry is not imported.

import "./node-platform.js";

export * from "./playwright.js";
