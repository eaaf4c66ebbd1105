#!/usr/bin/env bash
# The fuzz job (issue #8): the libFuzzer targets, built with clang under ASan+UBSan, each run
# for SECONDS (default 20) from the committed seed corpora.
#   scripts/fuzz.sh            # 5 targets x 20 s, two at a time on two cores
#   scripts/fuzz.sh 3600       # a longer run; new inputs stay in <build>/tests/fuzz/corpus
# The targets live in the `asan` preset's build (clang, ASan+UBSan, PHIGUARD_FUZZ), which
# scripts/test.sh has already built for the sanitizer tests: the layers are compiled once
# for both. Configuring through the preset also mends a build/asan made before the preset
# took clang and the fuzzers.
# Crashes are written to build/asan/tests/fuzz/artifacts/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
jobs="${PHIGUARD_JOBS:-$(nproc)}"
build=build/asan
cmake --preset asan -DPHIGUARD_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build "$build" --target fuzzers -j"$jobs"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
  ctest --test-dir "$build" -L fuzz -j"$jobs" --output-on-failure
# One line per target with how many inputs ran without a crash, from libFuzzer's stats.
awk '/^[0-9]+\/[0-9]+ Test: fuzz\./ {name=$3} /stat::number_of_executed_units/ {print name ": " $2 " executions"}' \
  "$build/Testing/Temporary/LastTest.log"
