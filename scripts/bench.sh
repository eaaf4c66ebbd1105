#!/usr/bin/env bash
# Performance, in one command (issue #7; results and how to read them: docs/performance.md).
#   scripts/bench.sh             # both of the below
#   scripts/bench.sh suite       # Google Benchmark: scan sizes, JSON, offsets, requests,
#                                # per-scan p50/p99, start-up with and without cache, memory
#   scripts/bench.sh compare     # phiguard scan vs ripgrep -f, V8 RegExp and redact-pii on one
#                                # corpus, then the extension's in-browser round trip
# Run it on a quiet machine: the numbers are wall-clock and CPU time of this one.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in suite|compare|all) ;; *) echo "usage: $0 [suite|compare|all]" >&2; exit 2 ;; esac

scripts/install-deps.sh --with-browser
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"

if [[ "$what" == suite || "$what" == all ]]; then
  build/release/tests/bench/phiguard_bench --benchmark_counters_tabular=true 2>/dev/null
fi
if [[ "$what" == compare || "$what" == all ]]; then
  (cd tests/extension && { [[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] \
    || npm ci --no-audit --no-fund --loglevel=error; })
  python3 tests/bench/compare.py --phiguard build/release/host/phiguard
fi
