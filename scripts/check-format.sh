#!/usr/bin/env bash
# Checks that the C++ under host/ and tests/ is formatted as .clang-format says (the
# clang-format of Debian 12, installed by scripts/install-deps.sh). Exits 1 and lists the
# differences when a file is not; `scripts/check-format.sh --fix` reformats them in place.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format not found; scripts/install-deps.sh installs it" >&2
  exit 2
fi

# Tracked files when this is a git checkout, else every C++ file in the two folders.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- 'host/*.cc' 'host/*.h' 'tests/*.cc' 'tests/*.h')
else
  mapfile -t files < <(find host tests -name node_modules -prune -o \( -name '*.cc' -o -name '*.h' \) -print | sort)
fi

if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "check-format: the files above differ from .clang-format; scripts/check-format.sh --fix reformats them" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
