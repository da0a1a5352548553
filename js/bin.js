#!/usr/bin/env node
// `npx jobrouter-emulator`: the HTTP emulator server (see `jobrouter-emulator --help`).

import { main } from "./server/cli.js";

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (/** @type {any} */ error) => {
    process.stderr.write(`jobrouter-emulator: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
