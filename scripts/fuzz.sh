#!/usr/bin/env bash
# The fuzz job (issue #8): build the libFuzzer targets with clang under ASan+UBSan in
# build/fuzz and run each for SECONDS (default 20) from the committed seed corpora.
#   scripts/fuzz.sh            # CI: 4 targets x 20 s
#   scripts/fuzz.sh 3600       # a longer run; new inputs stay in build/fuzz/tests/fuzz/corpus
# Crashes are written to build/fuzz/tests/fuzz/artifacts/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
jobs="${PHIGUARD_JOBS:-$(nproc)}"
cmake -S . -B build/fuzz -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DPHIGUARD_SANITIZE=ON -DPHIGUARD_FUZZ=ON -DPHIGUARD_FUZZ_SECONDS="$seconds" \
  -DPHIGUARD_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/fuzz --target fuzzers -j"$jobs"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
  ctest --test-dir build/fuzz -L fuzz --output-on-failure
# One line per target with how many inputs ran without a crash, from libFuzzer's stats.
for log in build/fuzz/Testing/Temporary/LastTest.log; do
  awk '/^[0-9]+\/[0-9]+ Test: fuzz\./ {name=$3} /stat::number_of_executed_units/ {print name ": " $2 " executions"}' "$log"
done
