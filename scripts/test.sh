#!/usr/bin/env bash
# Builds (scripts/build.sh), then runs the C++ unit tests natively and as WebAssembly under Node
# (ctest in build/native and build/wasm), then the JS tests in tests/js/ (node --test; skipped while
# there are none). Every stage runs even if an earlier one failed; the exit code is non-zero if any did.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash "$ROOT/scripts/build.sh"

failed=()

# The 60-second soak of the server with --state (tests/js/soak.test.mjs) is part of every run; JR_SOAK_SECONDS=0
# skips it, another number changes its length. It runs in the background from here on, beside the C++ tests, the
# checks and the other JS tests: it fails on errors or lost writes, never on speed, so sharing the machine changes
# nothing it asserts, and a run is about a minute shorter. Its output is shown when it has ended.
export JR_SOAK_SECONDS="${JR_SOAK_SECONDS:-60}"
SOAK_TEST="tests/js/soak.test.mjs"
soak_pid=""
if [[ -f "$SOAK_TEST" ]]; then
  soak_log="$(mktemp)"
  printf '[test] node --test %s (in the background, %s s)\n' "$SOAK_TEST" "$JR_SOAK_SECONDS" >&2
  node --test "$SOAK_TEST" >"$soak_log" 2>&1 &
  soak_pid=$!
fi
TREES="${JR_BUILD_TREES:-native wasm}"
for tree in $TREES; do
  printf '[test] ctest (%s)\n' "$tree" >&2
  ctest --test-dir "$ROOT/build/$tree" --output-on-failure || failed+=("ctest $tree")
done

# The browser demo test (tests/js/demo.test.mjs) drives Debian's chromium: install it when missing
# (same apt pattern as scripts/setup.sh).
if [[ ! -x /usr/bin/chromium ]]; then
  printf '[test] installing Debian package chromium for the browser demo test\n' >&2
  apt_sudo=()
  if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null 2>&1; then apt_sudo=(sudo); fi
  { "${apt_sudo[@]}" apt-get -q update &&
    "${apt_sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } ||
    failed+=("chromium install")
fi

# TypeScript: the declarations, tests/types/ and every README code block under tsc --strict.
printf '[test] type check (scripts/check-types.mjs)\n' >&2
node "$ROOT/scripts/check-types.mjs" || failed+=("check-types")
# Functions over 80 lines in js/, core/ and wasm/ (outside the script's documented exceptions) fail; then tsc over js/.
printf '[test] function sizes (scripts/function-sizes.mjs --check)\n' >&2
node "$ROOT/scripts/function-sizes.mjs" --check || failed+=("function-sizes")
# Every #include in core/ and wasm/ against the layering rules (the engine knows no HTTP, the core no Emscripten, …).
printf '[test] layers (scripts/check-layers.mjs)\n' >&2
node "$ROOT/scripts/check-layers.mjs" || failed+=("layers")
printf '[test] JS type check (scripts/check-js.mjs)\n' >&2
node "$ROOT/scripts/check-js.mjs" || failed+=("check-js")

# Test files as node's test runner finds them in a folder by default (Node 20 naming rules).
mapfile -t js_tests < <(
  if [[ -d tests/js ]]; then
    find tests/js -type f -not -path '*/node_modules/*' \( \
      -name '*.test.js' -o -name '*.test.mjs' -o -name '*.test.cjs' \
      -o -name '*-test.js' -o -name '*-test.mjs' -o -name '*-test.cjs' \
      -o -name '*_test.js' -o -name '*_test.mjs' -o -name '*_test.cjs' \
      -o -name 'test-*.js' -o -name 'test-*.mjs' -o -name 'test-*.cjs' \
      -o -name 'test.js' -o -name 'test.mjs' -o -name 'test.cjs' \) -not -path "$SOAK_TEST" | LC_ALL=C sort
  fi
)
if ((${#js_tests[@]})); then
  printf '[test] node --test tests/js/ (%d files besides the soak)\n' "${#js_tests[@]}" >&2
  node --test "${js_tests[@]}" || failed+=("node --test")
else
  printf '[test] no JS tests in tests/js/ yet: skipped\n' >&2
fi
if [[ -n "$soak_pid" ]]; then
  printf '[test] waiting for %s\n' "$SOAK_TEST" >&2
  soak_status=0
  wait "$soak_pid" || soak_status=$?
  cat "$soak_log"
  rm -f "$soak_log"
  ((soak_status == 0)) || failed+=("node --test $SOAK_TEST")
fi

if ((${#failed[@]})); then
  printf '[test] FAILED: %s\n' "${failed[*]}" >&2
  exit 1
fi
printf '[test] all stages passed\n' >&2
