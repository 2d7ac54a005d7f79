#!/usr/bin/env python3
"""Mutation sweep of the bad-input handling (a check, not a test: run by hand).

Every node of the shipped scenarios and rate tables is mutated (deleted, set to another JSON value, its key
renamed), one mutation a run, in a scratch copy of pricing/ and scenarios/; then `lint`, `compare`, `project` and
`report --out` (one mutant in ten) run on the mutant. The sweep fails when a run ends by a signal, exits with a code outside FORMATS'
list, or exits 65 with an error line that does not name file:line:column (notes such as "N more errors not shown"
are not errors), and when an exit-65 `report` wrote anything.

  scripts/mutate-errors.py [--binary .build/release/costplan] [--limit N] [--seed S]
"""
import argparse, copy, json, os, random, re, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=os.path.join(root, ".build/release/costplan"))
ap.add_argument("--limit", type=int, default=2000, help="mutants to run (sampled from all)")
ap.add_argument("--seed", type=int, default=7)
args = ap.parse_args()
rng = random.Random(args.seed)
VALUES = [None, True, False, "x", "", -1, 0, 1, 2, 0.5, -0.5, 25, 501, 16, 1e18, 1e308, 1000000, [], {}, "1",
          "standard-ia", "auto", "provisioned", [0] * 24, "../../etc"]
EXIT_CODES = {0, 1, 64, 65, 66, 69, 70, 73, 74}
POSITION = re.compile(r"^\S.*?:\d+:\d+: error: ")


def paths(v, p=()):
    yield p
    if isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, p + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, p + (i,))


def parent(v, p):
    for k in p[:-1]:
        v = v[k]
    return v


def mutate(doc, kind, p, value):
    d = copy.deepcopy(doc)
    c = parent(d, p)
    if kind == "delete":
        del c[p[-1]]
    elif kind == "set":
        c[p[-1]] = value
    elif kind == "rename":
        if not isinstance(c, dict):
            return None
        c[p[-1] + "x"] = c.pop(p[-1])
    return d


files = []
for f in sorted(os.listdir(os.path.join(root, "scenarios"))):
    if f.endswith(".json"):
        files.append(("scenarios", f))
for dp, _, fn in os.walk(os.path.join(root, "pricing")):
    for f in sorted(fn):
        if f.endswith(".json"):
            files.append(("pricing", os.path.relpath(os.path.join(dp, f), os.path.join(root, "pricing"))))
mutants = []
for folder, f in files:
    doc = json.load(open(os.path.join(root, folder, f)))
    for p in paths(doc):
        if not p:
            continue
        mutants.append((folder, f, "delete", p, None))
        mutants.append((folder, f, "rename", p, None))
        for v in rng.sample(VALUES, 3):
            mutants.append((folder, f, "set", p, v))
rng.shuffle(mutants)
mutants = mutants[: args.limit]

scratch = tempfile.mkdtemp(prefix="costplan-mutate-")
failures = []
runs = 0
codes = {}
try:
    for folder, f, kind, p, value in mutants:
        doc = json.load(open(os.path.join(root, folder, f)))
        d = mutate(doc, kind, p, value)
        if d is None:
            continue
        work = os.path.join(scratch, "w")
        shutil.rmtree(work, ignore_errors=True)
        for dirname in ("pricing", "scenarios"):
            shutil.copytree(os.path.join(root, dirname), os.path.join(work, dirname))
        json.dump(d, open(os.path.join(work, folder, f), "w"), indent=2)
        scenario = f[:-5] if folder == "scenarios" else "conversation-history"
        out = os.path.join(work, "out")
        commands = [
            ["lint"],
            ["compare", "--scenario", scenario, "--samples", "2", "--format", "json"],
            ["project", "--scenario", scenario],
        ]
        # report prices and samples every scenario (seconds when the mutant is valid): one mutant in ten.
        if rng.random() < 0.1:
            commands.append(["report", "--out", out])
        for cmd in commands:
            r = subprocess.run([args.binary] + cmd, cwd=work, capture_output=True, text=True, timeout=120)
            runs += 1
            codes[r.returncode] = codes.get(r.returncode, 0) + 1
            what = f"{folder}/{f} {kind} {'.'.join(map(str, p))}{'' if kind != 'set' else ' = ' + json.dumps(value)}: {' '.join(cmd)}"
            if r.returncode < 0 or r.returncode not in EXIT_CODES:
                failures.append(f"{what}: exit {r.returncode}\n{r.stderr[-400:]}")
            if r.returncode == 65:
                for line in r.stderr.splitlines():
                    if ": error: " in line and not POSITION.match(line):
                        failures.append(f"{what}: no file:line:column: {line[:300]}")
                if cmd[0] == "report" and os.path.exists(out) and os.listdir(out):
                    failures.append(f"{what}: exit 65 but wrote {os.listdir(out)}")
finally:
    shutil.rmtree(scratch, ignore_errors=True)
print(f"{len(mutants)} mutants, {runs} runs; exit codes: {dict(sorted(codes.items()))}")
seen = set()
for x in failures:
    key = re.sub(r"\d+", "N", x)[:160]
    if key not in seen:
        seen.add(key)
        print("FAIL", x)
print(f"{len(failures)} failures ({len(seen)} distinct)")
sys.exit(1 if failures else 0)
