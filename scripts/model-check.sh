#!/usr/bin/env bash
# Long run of the model-based test (tests/unit/unit-invariants.cpp) on the native build:
#
#   npm run model-check -- [seeds] [operations per seed] [first seed]     (default 1000 seeds x 1000 operations)
#
# Builds build/native's unit_tests (scripts/build.sh's native tree) and runs only the [model] test case with
# JR_MODEL_SEEDS / JR_MODEL_OPS / JR_MODEL_FIRST_SEED; prints its summary line (seeds, operations, violations).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seeds="${1:-1000}"
ops="${2:-1000}"
first="${3:-1}"

JR_BUILD_TREES=native bash "$ROOT/scripts/build.sh"
printf '[model-check] %s seeds x %s operations from seed %s\n' "$seeds" "$ops" "$first" >&2
start=$(date +%s)
status=0
JR_MODEL_SEEDS="$seeds" JR_MODEL_OPS="$ops" JR_MODEL_FIRST_SEED="$first" \
  "$ROOT/build/native/unit_tests" "[model]" --use-colour no || status=$?
printf '[model-check] %s s\n' "$(( $(date +%s) - start ))" >&2
exit "$status"
