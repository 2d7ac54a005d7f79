#!/usr/bin/env bash
# Benchmark (not a test) and agreement check of the sampling (docs/model.md §10): `costplan compare --samples N
# --seed 1 --format json` on the shipped chat scenario (every option, every scale) against the independent NumPy
# reference (scripts/sampling_reference.py) with the same N, both measured in the same run, RUNS times each
# (median). Prints draws a second for each and the ratio, then checks that the two agree: every P10/P50/P90 of
# cost and read p99 within PCT_TOL (relative) and every win, cheapest and feasible share within PROB_TOL. The
# generators differ, so agreement is statistical. Exit 1 on any violation.
#   SAMPLES (100000), RUNS (3), SCENARIO (scenarios/conversation-history.json), PCT_TOL (0.02), PROB_TOL (0.02)
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${SAMPLES:-100000}
runs=${RUNS:-3}
scenario=${SCENARIO:-scenarios/conversation-history.json}
python3 -c 'import numpy' 2>/dev/null || { echo "bench-sampling: needs python3 with numpy (pip install numpy)" >&2; exit 2; }
swift build -c release --product costplan >/dev/null
costplan=.build/release/costplan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$runs" "$samples" "$tmp" "$costplan" "$scenario" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
runs, n, tmp, costplan, scenario = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
cmds = {
    "costplan": [costplan, "compare", "--scenario", scenario, "--samples", str(n), "--seed", "1", "--format", "json"],
    "numpy": [sys.executable, "scripts/sampling_reference.py", "--scenario", scenario, "--pricing", "pricing",
              "--samples", str(n), "--seed", "1", "--json"],
}
wall = {k: [] for k in cmds}
cpu = {k: [] for k in cmds}
inner = []
for i in range(runs):
    for name, cmd in cmds.items():  # alternate, so that both see the same machine
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True)
        wall[name].append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if out.returncode != 0:
            sys.exit(f"bench-sampling: {' '.join(cmd)} exited {out.returncode}:\n{out.stderr}")
        if i == 0:
            open(os.path.join(tmp, name + ".json"), "w").write(out.stdout)
        if name == "numpy":
            inner.append(json.loads(out.stdout)["scenarios"][0]["elapsedSeconds"])
med = {k: statistics.median(v) for k, v in wall.items()}
medcpu = {k: statistics.median(v) for k, v in cpu.items()}
print(f"{n} draws, every option at every scale, median of {runs} runs (wall time of the whole command):")
for k in cmds:
    print(f"  {k:9s} {med[k]:8.3f} s  {n / med[k]:12,.0f} draws/s   (cpu {medcpu[k]:.3f} s)")
print(f"  numpy model alone (without interpreter start and import): {statistics.median(inner):.3f} s,"
      f" {n / statistics.median(inner):,.0f} draws/s")
print(f"  ratio costplan / numpy speed: {med['numpy'] / med['costplan']:.2f}x (wall), {medcpu['numpy'] / medcpu['costplan']:.2f}x (cpu time)")
PY

python3 scripts/sampling_reference.py --scenario "$scenario" --pricing pricing \
  --reference-json "$tmp/numpy.json" --check-sampled "$tmp/costplan.json" \
  --percentile-tolerance "${PCT_TOL:-0.02}" --probability-tolerance "${PROB_TOL:-0.02}"
