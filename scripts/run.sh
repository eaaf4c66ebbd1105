#!/usr/bin/env bash
# The main job: install dependencies, build the release preset, and scan the bundled
# example post, printing the findings like a linter.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
echo "--- phiguard scan rules/examples/post.txt"
status=0
build/release/host/phiguard scan rules/examples/post.txt || status=$?
# Exit 1 means "findings at or above --fail-on", which is what the example is for.
[[ $status -le 1 ]]
