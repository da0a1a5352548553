#!/usr/bin/env bash
# `npm start`: builds what is missing for the server (only the WebAssembly module, not the tests),
# then runs the emulator server with the web demo at its root. Extra arguments go to the server:
#   npm start -- --port 9000 --clock manual
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

printf '[start] building the WebAssembly module if needed (a few minutes the first time)\n' >&2
JR_BUILD_TREES=wasm JR_BUILD_TARGET=jobrouter_core_module bash "$ROOT/scripts/build.sh" >&2

exec node "$ROOT/js/bin.js" "$@"
