#!/usr/bin/env bash
# Every test: install dependencies (with the browser for the browser tests), check the C++
# formatting and lint the extension (scripts/check-format.sh, lint-js.sh), build the
# release preset with warnings as errors, run the whole CTest suite while clang-tidy
# (scripts/tidy.sh) and the ASan+UBSan build run beside it at idle priority, then the unit
# and rules suites and the whole-host e2e scripts again under ASan+UBSan, then each fuzz
# target for 20 seconds. Exits non-zero when any step fails, after reporting every one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
scripts/check-format.sh
scripts/lint-js.sh
cmake --preset release
cmake --build --preset release -j"$(nproc)"

# Tidy and the sanitizer build need only CPU, and the release suite leaves much of it idle
# (it waits on browsers, hosts and loopback servers), so they run beside it at the lowest CPU
# and I/O priority: the suite's processes always take the CPU first. The same checks, several
# minutes sooner on CI's two cores. Their output is printed once the suite has finished.
# PHIGUARD_SKIP_TIDY=1 / PHIGUARD_SKIP_ASAN=1 skip them locally.
run_asan=1
[[ "${PHIGUARD_SKIP_ASAN:-}" == 1 ]] && run_asan=0
background_log=build/release/background-steps.log
(
  # Lowered before anything starts, so every compiler and tidy process inherits it.
  renice -n 19 -p "$BASHPID" >/dev/null 2>&1 || true
  ionice -c 3 -p "$BASHPID" 2>/dev/null || true
  [[ "${PHIGUARD_SKIP_TIDY:-}" == 1 ]] || scripts/tidy.sh
  if ((run_asan)); then
    cmake --preset asan
    cmake --build --preset asan -j"$(nproc)"
  fi
) > "$background_log" 2>&1 &
background_pid=$!
# `|| status=$?` keeps a failing suite from leaving the background steps running unreported.
status=0
ctest --preset release -j"$(nproc)" "$@" || status=$?
background_status=0
wait "$background_pid" || background_status=$?
echo "== tidy and the ASan build (run beside the release suite) =="
if ((background_status)); then
  cat "$background_log"
  echo "test.sh: tidy or the ASan build failed (output above, also in $background_log)" >&2
else
  grep -v '^\[[0-9]*/[0-9]*\] ' "$background_log" || true  # without the build's progress lines
fi
((status || background_status)) && exit 1

# The unit and rules suites and the whole-host e2e scripts (label `sanitize`) again under
# AddressSanitizer and UndefinedBehaviorSanitizer, so memory and UB bugs fail CI rather than
# a user's browser (`ctest --preset asan` runs every e2e script).
if ((run_asan)); then
  ctest --preset asan -j"$(nproc)" -L 'unit|rules|sanitize'
fi

# The libFuzzer targets, in the asan build just made (clang, ASan+UBSan), each for a bounded
# time from the committed seed corpora; scripts/fuzz.sh 3600 is the longer run.
# PHIGUARD_SKIP_FUZZ=1 skips it.
if [[ "${PHIGUARD_SKIP_FUZZ:-}" != 1 ]]; then
  scripts/fuzz.sh "${PHIGUARD_FUZZ_SECONDS:-20}"
fi
