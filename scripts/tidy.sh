#!/usr/bin/env bash
# clang-tidy with the repository's curated .clang-tidy on every host source file, against
# the release build's compile_commands.json (configure the release preset first). Any
# warning fails. scripts/test.sh runs it; PHIGUARD_SKIP_TIDY=1 skips it locally.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
[[ -f $build/compile_commands.json ]] || { echo "tidy: run 'cmake --preset release' first" >&2; exit 2; }
runner=$(command -v run-clang-tidy || command -v run-clang-tidy-14 || true)
[[ -n $runner ]] || { echo "tidy: run-clang-tidy not found (scripts/install-deps.sh installs clang-tidy)" >&2; exit 2; }
mapfile -t files < <(git ls-files 'host/src/*.cc')
# Batches of up to eight files of one layer, each one translation unit
# (scripts/tidy_batches.py), so the big headers are matched once a batch: about a quarter
# of the CPU of one run per file. Warnings still name the file and line they are in.
batches_dir="$build/tidy-batches"
rm -rf "$batches_dir"
mapfile -t batches < <(python3 scripts/tidy_batches.py "$build" "$batches_dir" "${files[@]}")
echo "tidy: ${#files[@]} files in ${#batches[@]} batches"
# -quiet keeps the per-file banners out; the summary line says whether anything was found.
if "$runner" -p "$batches_dir" -j "$(nproc)" -quiet "${batches[@]}" > "$build/tidy.log" 2>&1; then
  echo "tidy: no warnings"
else
  sed 's/\x1b\[[0-9;]*m//g' "$build/tidy.log" | grep -E "(warning|error):" | sort -u >&2 || true
  echo "tidy: warnings above (full output in $build/tidy.log)" >&2
  exit 1
fi
