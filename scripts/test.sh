#!/usr/bin/env bash
# Every test: install dependencies (with the browser for the browser tests), check the C++
# formatting and lint the extension (scripts/check-format.sh, lint-js.sh), build the
# release preset with warnings as errors, run the whole CTest suite while the ASan+UBSan
# build and clang-tidy (scripts/tidy.sh) run beside it at low priority, then the unit and
# rules suites and the whole-host e2e scripts again under ASan+UBSan, then each fuzz target
# for 20 seconds. Exits non-zero when any step fails, after reporting every one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
scripts/check-format.sh
scripts/lint-js.sh
cmake --preset release
cmake --build --preset release -j"$(nproc)"

# The sanitizer build and tidy need only CPU, and the release suite leaves much of it idle
# (it waits on browsers, hosts and loopback servers), so they run beside it at low CPU and
# idle I/O priority: the suite's processes always take the CPU first. The ASan build (nice
# 10) goes before tidy (nice 19) because the next step needs it; tidy's verdict is only
# needed at the end. The same checks, minutes sooner on CI's two cores. Each one's output is
# printed when it is waited for. PHIGUARD_SKIP_TIDY=1 / PHIGUARD_SKIP_ASAN=1 skip them.
run_asan=1
[[ "${PHIGUARD_SKIP_ASAN:-}" == 1 ]] && run_asan=0
logs=build/release
# start_low NICENESS LOG COMMAND...: COMMAND in the background at that niceness, lowered
# before it starts so that every compiler and tidy process it spawns inherits it.
start_low() {
  local niceness=$1 log=$2
  shift 2
  (
    renice -n "$niceness" -p "$BASHPID" >/dev/null 2>&1 || true
    ionice -c 3 -p "$BASHPID" 2>/dev/null || true
    "$@"
  ) > "$log" 2>&1 &
}
# The asan preset is a unity build (CMAKE_UNITY_BUILD): each target's sources compile in
# batches, so the big headers (nlohmann/json, spdlog, GoogleTest) are parsed and their
# templates instantiated once a batch instead of once a file. Measured here: 520 CPU-seconds
# instead of 850 for the whole build. The release build stays one object a file, so a
# missing #include still fails there and in tidy. Two files of one target that define the
# same name in their anonymous namespaces fail here: give one a name of its own.
asan_build() { cmake --preset asan && cmake --build --preset asan -j"$(nproc)"; }
# finish PID LOG WHAT: wait for a background step, print its output (without a build's
# progress lines when it passed), and return its status.
finish() {
  local pid=$1 log=$2 what=$3 step_status=0
  wait "$pid" || step_status=$?
  echo "== $what (run in the background) =="
  if ((step_status)); then
    cat "$log"
    echo "test.sh: $what failed (output above, also in $log)" >&2
  else
    grep -v '^\[[0-9]*/[0-9]*\] ' "$log" || true
  fi
  return "$step_status"
}

failed=0
asan_pid=""
tidy_pid=""
if ((run_asan)); then
  start_low 10 "$logs/asan-build.log" asan_build
  asan_pid=$!
fi
if [[ "${PHIGUARD_SKIP_TIDY:-}" != 1 ]]; then
  start_low 19 "$logs/tidy-run.log" scripts/tidy.sh
  tidy_pid=$!
fi
ctest --preset release -j"$(nproc)" "$@" || failed=1

# The unit and rules suites and the whole-host e2e scripts (label `sanitize`) again under
# AddressSanitizer and UndefinedBehaviorSanitizer, so memory and UB bugs fail CI rather than
# a user's browser (`ctest --preset asan` runs every e2e script). Not the packs' own examples
# (`phiguard rules test --strict`): it compiles each pack and pattern on its own, over a
# minute under ASan, for the loader and compiler paths that the unit tests and
# fuzz.pack_loader already run sanitized; the release run checks the examples.
if [[ -n "$asan_pid" ]]; then
  if finish "$asan_pid" "$logs/asan-build.log" "the ASan build"; then
    ctest --preset asan -j"$(nproc)" -L 'unit|rules|sanitize' \
      -E '^rules\.builtin_packs_pass_their_examples$' || failed=1
  else
    failed=1
  fi
fi

# The libFuzzer targets, in the asan build just made (clang, ASan+UBSan), each for a bounded
# time from the committed seed corpora; scripts/fuzz.sh 3600 is the longer run.
# PHIGUARD_SKIP_FUZZ=1 skips it.
if [[ "${PHIGUARD_SKIP_FUZZ:-}" != 1 ]]; then
  scripts/fuzz.sh "${PHIGUARD_FUZZ_SECONDS:-20}" || failed=1
fi

if [[ -n "$tidy_pid" ]]; then
  finish "$tidy_pid" "$logs/tidy-run.log" "clang-tidy" || failed=1
fi
exit "$failed"
