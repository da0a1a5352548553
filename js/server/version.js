// The package version (package.json), for --version, /emulator/health and the start banner.

import fs from "node:fs";

function readVersion() {
  try {
    return JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const PACKAGE_VERSION = readVersion();
