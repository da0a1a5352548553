#!/usr/bin/env bash
# Builds everything, incrementally: runs scripts/setup.sh, then configures (first time only; CMake
# re-configures itself when CMakeLists.txt or the globbed source lists change) and builds
#   build/native : jobrouter_core + unit_tests (g++)
#   build/wasm   : js/generated/jobrouter-core.js + unit_tests (em++)
#   js/bundle/   : the Node entries as bundled ES modules, and the wasm file (scripts/build-node-esm.mjs)
#   js/cjs/      : the CommonJS build of js/, which reads that file (scripts/build-cjs.mjs)
# Environment: JR_BUILD_TREES="native wasm" (default both), JR_JOBS (default: nproc),
# JR_BUILD_TARGET (one target only, e.g. jobrouter_core_module for `npm start`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=scripts/setup.sh
source "$ROOT/scripts/setup.sh"

JOBS="${JR_JOBS:-$(nproc 2>/dev/null || echo 2)}"
TREES="${JR_BUILD_TREES:-native wasm}"

log() { printf '[build] %s\n' "$*" >&2; }

for tree in $TREES; do
  dir="$ROOT/build/$tree"
  case "$tree" in
    native)
      if [[ ! -f "$dir/CMakeCache.txt" ]]; then
        log "configuring $tree"
        cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release
      fi
      ;;
    wasm)
      if [[ ! -f "$dir/CMakeCache.txt" ]]; then
        log "configuring $tree"
        # Emscripten's toolchain file directly, NOT emcmake (emcmake makes ctest run node with a
        # flag that Node 20 rejects).
        emroot="$(em-config EMSCRIPTEN_ROOT)"
        cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release \
          -DCMAKE_TOOLCHAIN_FILE="$emroot/cmake/Modules/Platform/Emscripten.cmake" \
          -DJR_WASM_INCLUDE_DIR="$JR_WASM_INCLUDE_DIR" \
          -DJR_EMCC_NODE_PATH="$NODE_PATH"
      fi
      ;;
    *) log "unknown build tree '$tree' (expected native or wasm)"; exit 2 ;;
  esac
  log "building $tree"
  cmake --build "$dir" --parallel "$JOBS" ${JR_BUILD_TARGET:+--target "$JR_BUILD_TARGET"}
done

# The Node entries' ES modules bundled (js/bundle/: package.json's `node` exports, with the wasm file), then the
# CommonJS build, which reads that wasm file (js/cjs/; both generated from the ES modules; npm pack also makes them).
if [[ -f "$ROOT/js/generated/jobrouter-core.js" ]]; then
  log "Node ES-module bundle (js/bundle/)"
  node "$ROOT/scripts/build-node-esm.mjs"
  log "CommonJS build (js/cjs/)"
  node "$ROOT/scripts/build-cjs.mjs"
fi
