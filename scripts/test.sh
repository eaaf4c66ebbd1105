#!/usr/bin/env bash
# Every test: install dependencies (with the browser for the browser tests), check the C++
# formatting and lint the extension (scripts/check-format.sh, lint-js.sh), build the
# release preset with warnings as errors, run clang-tidy (scripts/tidy.sh), run the whole
# CTest suite, then the unit and rules suites and the whole-host e2e scripts again under
# ASan+UBSan, then each fuzz target for 20 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
scripts/check-format.sh
scripts/lint-js.sh
cmake --preset release
cmake --build --preset release -j"$(nproc)"
[[ "${PHIGUARD_SKIP_TIDY:-}" == 1 ]] || scripts/tidy.sh
ctest --preset release -j"$(nproc)" "$@"

# The unit and rules suites and the whole-host e2e scripts (label `sanitize`) again under
# AddressSanitizer and UndefinedBehaviorSanitizer, so memory and UB bugs fail CI rather than
# a user's browser (`ctest --preset asan` runs every e2e script). PHIGUARD_SKIP_ASAN=1 skips
# it locally.
if [[ "${PHIGUARD_SKIP_ASAN:-}" != 1 ]]; then
  cmake --preset asan
  cmake --build --preset asan -j"$(nproc)"
  ctest --preset asan -j"$(nproc)" -L 'unit|rules|sanitize'
fi

# The libFuzzer targets, in the asan build just made (clang, ASan+UBSan), each for a bounded
# time from the committed seed corpora; scripts/fuzz.sh 3600 is the longer run.
# PHIGUARD_SKIP_FUZZ=1 skips it.
if [[ "${PHIGUARD_SKIP_FUZZ:-}" != 1 ]]; then
  scripts/fuzz.sh "${PHIGUARD_FUZZ_SECONDS:-20}"
fi
