#!/usr/bin/env bash
# The extension demo: Chromium with the unpacked extension and phiguard-host on a bundled
# composer page (draft-js, lexical, prosemirror, quill, textarea, shadow DOM or iframe), a
# post with PHI typed in, and the warnings showing as users see them (the browser is not
# marked as automated, so underlines are drawn the way they are for people), with the
# pointer on the first finding so its card shows. Headless it saves a screenshot:
#   scripts/demo.sh                      # lexical, headless, screenshot in tests/extension/artifacts/
#   scripts/demo.sh --editor quill --headed
# It uses the release build scripts/run.sh makes, and builds phiguard-host only when that
# build has none ($PHIGUARD_HOST names another binary).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
host="${PHIGUARD_HOST:-$PWD/build/release/host/phiguard-host}"
if [[ -z "${PHIGUARD_HOST:-}" && ! -x "$host" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target phiguard-host -j"$(nproc)"
fi
(cd tests/extension && { [[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] \
  || npm ci --no-audit --no-fund --loglevel=error; })
PHIGUARD_HOST="$host" exec node tests/extension/demo/demo.mjs "$@"
