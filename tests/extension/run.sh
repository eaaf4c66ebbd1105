#!/usr/bin/env bash
# The extension's tests, in one command (CTest label `extension`, and CI):
#   tests/extension/run.sh [unit|dom|e2e|bench|all]     (default: all)
# unit: Node only. dom: text extraction and geometry in headless Chromium. e2e: the extension
# with the real host ($PHIGUARD_HOST, default build/dev/host/phiguard-host) in headless
# Chromium on fixture editors. bench: the benchmarks run once on small inputs, and print
# rows (their numbers are never checked). Installs its npm packages first when they are
# missing or stale.
set -euo pipefail
cd "$(dirname "$0")"

# Without Node or Chromium the suite cannot run: skip (77, CTest's SKIP_RETURN_CODE) on a
# developer's machine, fail in CI, where scripts/install-deps.sh --with-browser installs both.
missing() {
  echo "tests/extension: $1 not found (scripts/install-deps.sh --with-browser installs it)" >&2
  if [[ -n "${CI:-}" ]]; then exit 1; else exit 77; fi
}
command -v node >/dev/null && command -v npm >/dev/null || missing "node/npm"

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi

suite="${1:-all}"
if [[ "$suite" != unit && ! -x "${PHIGUARD_CHROMIUM:-/usr/bin/chromium}" ]]; then missing chromium; fi
files=()
case "$suite" in
  unit) files=(unit/*.test.mjs) ;;
  dom) files=(dom/*.test.mjs) ;;
  e2e) files=(e2e/*.test.mjs) ;;
  bench) files=(bench/*.test.mjs) ;;
  all) files=(unit/*.test.mjs dom/*.test.mjs e2e/*.test.mjs bench/*.test.mjs) ;;
  *) echo "usage: $0 [unit|dom|e2e|bench|all]" >&2; exit 2 ;;
esac

# One file at a time: each browser file starts its own Chromium, and the machine has 2 cores.
exec node --test --test-concurrency=1 --test-timeout=300000 "${files[@]}"
