#!/usr/bin/env bash
# The extension demo: Chromium with the unpacked extension and phiguard-host on a bundled
# composer page (draft-js, lexical, prosemirror, quill, textarea, shadow DOM or iframe), a
# post with PHI typed in, and the warnings showing. Headless it saves a screenshot:
#   scripts/demo.sh                      # lexical, headless, screenshot in tests/extension/artifacts/
#   scripts/demo.sh --editor quill --headed
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
cmake --preset dev >/dev/null
cmake --build --preset dev --target phiguard-host -j"$(nproc)"
(cd tests/extension && { [[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] \
  || npm ci --no-audit --no-fund --loglevel=error; })
PHIGUARD_HOST="$PWD/build/dev/host/phiguard-host" exec node tests/extension/demo/demo.mjs "$@"
