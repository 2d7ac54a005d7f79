#!/usr/bin/env bash
# Coverage-guided fuzzing of costplan's parsers with libFuzzer (not a test: run by hand).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: json scenario rates offer (default: all), 600 s each
# Each target is compiled with the CostModel sources as one module (swiftc -sanitize=fuzzer,address), seeded with
# the shipped scenarios and rate tables and the fixtures, and run for SECONDS; a crash leaves crash-* files in
# .fuzz/<target>/ and makes the script exit 1. Findings and executions are printed per target. Leak detection is
# off: the process keeps global caches (rate books, type metadata) for its lifetime by design; a leak per input
# would still show as growing memory, which -rss_limit_mb stops.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json scenario rates offer)
# The scenario target also renders, so the renderers (Sources/CostReports) join the module, their
# `import CostModel` dropped.
reports=.fuzz/reports-src
rm -rf "$reports" && mkdir -p "$reports"
for f in Sources/CostReports/*.swift; do grep -v '^import CostModel$' "$f" > "$reports/$(basename "$f")"; done
sources="$(find Sources/CostModel -name '*.swift' | sort) $(find "$reports" -name '*.swift' | sort)"
failed=0
for t in "${targets[@]}"; do
  dir=.fuzz/$t
  mkdir -p "$dir/corpus"
  cp scenarios/*.json pricing/aws/us-east-1/*.json "$dir/corpus/" 2>/dev/null || true
  find Tests/Fixtures -name '*.json' -size -200k -exec cp {} "$dir/corpus/" \; 2>/dev/null || true
  # Rebuilt only when a source is newer than the fuzzer (a build takes minutes).
  if [ ! -x "$dir/fuzzer" ] || [ -n "$(find Sources/CostModel Sources/CostReports "fuzz/$t.swift" -newer "$dir/fuzzer" -name '*.swift' | head -1)" ]; then
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name CostModel $sources "fuzz/$t.swift" -o "$dir/fuzzer" 2>&1 \
      | grep -v "ld.gold: warning: Cannot export local symbol" || true
  fi
  echo "== $t: ${seconds}s"
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=0 COSTPLAN_FUZZ_PRICING="$PWD/../../pricing" ./fuzzer -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=4096 -timeout=20 -detect_leaks=0 -print_final_stats=1 corpus 2>&1 | tail -12) || failed=1
  if ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* >/dev/null 2>&1; then failed=1; ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null; fi
done
exit $failed
