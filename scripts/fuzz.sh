#!/usr/bin/env bash
# Fuzzes the core's request handler with libFuzzer (clang, AddressSanitizer + UndefinedBehaviorSanitizer).
#
#   npm run fuzz -- [seconds] [--target router|request|expression] [extra libFuzzer flags...]  (default 60 s, router)
#
# Builds tests/fuzz/ in its own tree build/fuzz (clang++-14), then runs one fuzzing process (no parallel jobs)
# for the given time over the seed corpus tests/fuzz/corpus (read-only) and the working corpus build/fuzz/corpus
# (kept between runs, where new inputs go), with the dictionary tests/fuzz/router.dict. A finding stops the run and
# is written to build/fuzz/artifacts/; the exit code is non-zero. Reproduce one with
#   build/fuzz/fuzz_router build/fuzz/artifacts/crash-...
# Environment: JR_JOBS (build parallelism, default 1); JR_FUZZ_TARGET=expression (or --target expression) fuzzes
# the Power Fx expression evaluator alone (fuzz_expression, seeds tests/fuzz/expression-corpus, working corpus
# build/fuzz/expression-corpus). --target request is the fast target (fuzz_request, tests/fuzz/fuzz-request.cpp):
# one request per input against routers pre-seeded from tests/fuzz/corpus; its seeds are every step of that corpus
# (build/fuzz/request-seeds, remade each run), its working corpus build/fuzz/request-corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds="${1:-60}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: npm run fuzz -- [seconds] [--target router|request|expression] [libFuzzer flags...]" >&2
  exit 2
fi
kind="${JR_FUZZ_TARGET:-router}"
if [[ "${1:-}" == "--target" && $# -ge 2 ]]; then
  kind="$2"
  shift 2
elif [[ "${1:-}" == --target=* ]]; then
  kind="${1#--target=}"
  shift
fi
case "$kind" in
  router|request|expression) ;;
  *) echo "unknown fuzz target '$kind' (router, request or expression)" >&2; exit 2 ;;
esac

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
if [[ "$kind" == "expression" ]]; then
  target="fuzz_expression"
  seeds="$ROOT/tests/fuzz/expression-corpus"
  work="$build/expression-corpus"
elif [[ "$kind" == "request" ]]; then
  target="fuzz_request"
  seeds="$build/request-seeds"
  work="$build/request-corpus"
  # Every step of every seed script, as "#<state>" + the step, for a few of the seeded states.
  rm -rf "$seeds"
  mkdir -p "$seeds"
  node -e '
    const fs = require("fs"), path = require("path");
    const [from, to] = process.argv.slice(1);
    let n = 0;
    for (const name of fs.readdirSync(from).sort()) {
      const steps = fs.readFileSync(path.join(from, name), "latin1").split("\n%%\n");
      steps.forEach((step, i) => {
        fs.writeFileSync(path.join(to, `${name}-${i}`), `#${n % 97}\n${step}`, "latin1");
        n++;
      });
    }' "$ROOT/tests/fuzz/corpus" "$seeds"
fi
log "building $target"
cmake --build "$build" --target "$target" --parallel "${JR_JOBS:-1}"

mkdir -p "$work" "$build/artifacts"
log "fuzzing for ${seconds}s"
"$build/$target" "$work" "$seeds" \
  -dict="$ROOT/tests/fuzz/router.dict" \
  -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=3072 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@"
