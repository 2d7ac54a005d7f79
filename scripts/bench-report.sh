#!/usr/bin/env bash
# Benchmark (not a test): wall time of `costplan report --check` on the shipped scenarios against a Swift
# program that only imports Foundation and prints a line, both release builds, measured in the same run.
# Goal (README.md, Performance): costplan within 3x of the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-30}
swift build -c release --product costplan >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'import Foundation\nprint("hello")\n' > "$tmp/hello.swift"
swiftc -O "$tmp/hello.swift" -o "$tmp/hello" 2>/dev/null
costplan=.build/release/costplan

measure() {  # prints the median wall time in ms of running "$@" $runs times
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the page cache
times = []
for _ in range(runs):
    t = time.perf_counter(); subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.2f}")
PY
}
base=$(measure "$tmp/hello")
report_out="$tmp/reports"
mkdir -p "$report_out"
$costplan report --out "$report_out" >/dev/null
check=$(measure $costplan report --check --out "$report_out")
write=$(measure $costplan report --out "$report_out")
compare=$(measure $costplan compare)
point_out="$tmp/point"
mkdir -p "$point_out"
point=$(measure $costplan report --no-sampling --out "$point_out")
python3 - "$base" "$check" "$write" "$compare" "$point" <<'PY'
import sys
base, check, write, compare, point = map(float, sys.argv[1:])
print(f"baseline (Foundation hello)   {base:8.2f} ms")
for name, v in (("costplan report --check", check), ("costplan report", write), ("costplan compare", compare),
                ("costplan report --no-sampling", point)):
    print(f"{name:29s} {v:8.2f} ms   {v / base:5.2f}x baseline")
print("goal: costplan report within 3x of the baseline:", "met" if write <= 3 * base else "NOT met")
print("  (report samples 10,000 draws of each scenario with ranges; --no-sampling is the rest of its work)")
PY
