#!/usr/bin/env bash
# ESLint over the extension's JavaScript (extension/src, popup, options) with the flat
# config in tests/lint/eslint.config.mjs; ESLint comes from the npm registry, locked in
# tests/lint/package-lock.json. Exits 1 on any problem.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  echo "lint-js: npm not found; scripts/install-deps.sh --with-browser installs it" >&2
  exit 2
fi
if [[ ! -x tests/lint/node_modules/.bin/eslint ]]; then
  (cd tests/lint && npm ci --no-audit --no-fund --loglevel=error)
fi
tests/lint/node_modules/.bin/eslint --config tests/lint/eslint.config.mjs \
  extension/src extension/popup extension/options
echo "lint-js: extension sources clean"
