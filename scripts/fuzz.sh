#!/usr/bin/env bash
# Fuzzes the core's request handler with libFuzzer (clang, AddressSanitizer + UndefinedBehaviorSanitizer).
#
#   npm run fuzz -- [seconds] [extra libFuzzer flags...]     (default 60 seconds)
#
# Builds tests/fuzz/ in its own tree build/fuzz (clang++-14), then runs one fuzzing process (no parallel jobs)
# for the given time over the seed corpus tests/fuzz/corpus (read-only) and the working corpus build/fuzz/corpus
# (kept between runs, where new inputs go), with the dictionary tests/fuzz/router.dict. A finding stops the run and
# is written to build/fuzz/artifacts/; the exit code is non-zero. Reproduce one with
#   build/fuzz/fuzz_router build/fuzz/artifacts/crash-...
# Environment: JR_JOBS (build parallelism, default 1); JR_FUZZ_TARGET=expression fuzzes the Power Fx expression
# evaluator alone (fuzz_expression, seeds tests/fuzz/expression-corpus, working corpus build/fuzz/expression-corpus).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds="${1:-60}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: npm run fuzz -- [seconds] [libFuzzer flags...]" >&2
  exit 2
fi

log() { printf '[fuzz] %s\n' "$*" >&2; }

# The fuzz build's own packages (not part of the normal build): clang 14 with its sanitizer/libFuzzer runtimes.
packages=(clang-14 libclang-rt-14-dev cmake make nlohmann-json3-dev libhowardhinnant-date-dev)
missing=()
for pkg in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then missing+=("$pkg"); fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get -q update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build="$ROOT/build/fuzz"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  log "configuring $build"
  cmake -S "$ROOT/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
target="fuzz_router"
seeds="$ROOT/tests/fuzz/corpus"
work="$build/corpus"
if [[ "${JR_FUZZ_TARGET:-router}" == "expression" ]]; then
  target="fuzz_expression"
  seeds="$ROOT/tests/fuzz/expression-corpus"
  work="$build/expression-corpus"
fi
log "building $target"
cmake --build "$build" --target "$target" --parallel "${JR_JOBS:-1}"

mkdir -p "$work" "$build/artifacts"
log "fuzzing for ${seconds}s"
"$build/$target" "$work" "$seeds" \
  -dict="$ROOT/tests/fuzz/router.dict" \
  -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=3072 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@"
