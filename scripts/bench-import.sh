#!/usr/bin/env bash
# Benchmark (not a test): `costplan pricing import` on a generated AmazonDynamoDB offer file of about 100 MB
# (SIZE_MB to change it), in the bulk file's shape: the wanted SKUs among ~200,000 filler products with terms.
# Prints wall time and peak memory (max RSS from /usr/bin/time, or from Python's resource module).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${SIZE_MB:-100}
swift build -c release --product costplan >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/offer.json" "$size_mb" <<'PY'
import json, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
ppr = "Amazon DynamoDB PayPerRequest Throughput"
wanted = [
    ("WRU", ppr, {"group": "DDB-WriteUnits", "usagetype": "WriteRequestUnits"}, [("0", "Inf", "0.0000006250")], "WriteRequestUnits"),
    ("RRU", ppr, {"group": "DDB-ReadUnits", "usagetype": "ReadRequestUnits"}, [("0", "Inf", "0.0000001250")], "ReadRequestUnits"),
    ("STO", "Database Storage", {"usagetype": "TimedStorage-ByteHrs", "volumeType": "Amazon DynamoDB - Indexed DataStore"},
     [("0", "25", "0.0000000000"), ("25", "Inf", "0.2500000000")], "GB-Mo"),
]
def product(sku, family, attrs):
    a = {"servicecode": "AmazonDynamoDB", "location": "US East (N. Virginia)", "locationType": "AWS Region", "regionCode": "us-east-1"}
    a.update(attrs)
    return {"sku": sku, "productFamily": family, "attributes": a}
def term(sku, dims, unit):
    pd = {}
    for i, (b, e, p) in enumerate(dims):
        rc = f"{sku}.JRTCKXETXF.{i:010d}"
        pd[rc] = {"rateCode": rc, "description": f"${p} per {unit} in US East (N. Virginia)", "beginRange": b, "endRange": e,
                  "unit": unit, "pricePerUnit": {"USD": p}, "appliesTo": []}
    return {f"{sku}.JRTCKXETXF": {"offerTermCode": "JRTCKXETXF", "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z",
                                  "priceDimensions": pd, "termAttributes": {}}}
with open(path, "w") as f:
    f.write('{\n  "formatVersion" : "v1.0",\n  "disclaimer" : "generated for scripts/bench-import.sh",\n  "offerCode" : "AmazonDynamoDB",\n')
    f.write('  "version" : "20261101000000",\n  "publicationDate" : "2026-11-01T00:00:00Z",\n  "products" : {\n')
    n = 0
    first = True
    def emit_product(sku, family, attrs):
        global first
        f.write(("" if first else ",\n") + "    " + json.dumps(sku) + " : " + json.dumps(product(sku, family, attrs), indent=2).replace("\n", "\n    "))
        first = False
    for sku, fam, attrs, _, _ in wanted: emit_product(sku, fam, attrs)
    target = size_mb * 1024 * 1024
    # Filler: other Regions' request units (same family and usage type tail: must be skipped by Region).
    regions = ["us-west-2", "eu-west-1", "ap-northeast-1", "eu-central-1", "ap-southeast-2"]
    fillers = []
    while f.tell() < target * 0.35:
        sku = f"FILL{n:08d}"
        r = regions[n % len(regions)]
        emit_product(sku, ppr, {"group": "DDB-WriteUnits", "usagetype": f"X{n % 7}-WriteRequestUnits", "regionCode": r, "location": r})
        fillers.append(sku)
        n += 1
    f.write('\n  },\n  "terms" : {\n    "OnDemand" : {\n')
    first = True
    def emit_term(sku, dims, unit):
        global first
        f.write(("" if first else ",\n") + "      " + json.dumps(sku) + " : " + json.dumps(term(sku, dims, unit), indent=2).replace("\n", "\n      "))
        first = False
    for sku, _, _, dims, unit in wanted: emit_term(sku, dims, unit)
    for sku in fillers: emit_term(sku, [("0", "Inf", "0.0000007000")], "WriteRequestUnits")
    f.write('\n    }\n  }\n}\n')
print(f"generated {path}: {n} filler products")
PY
ls -l "$tmp/offer.json" | awk '{printf "offer file: %.1f MB\n", $5 / 1048576}'
python3 - .build/release/costplan "$tmp" <<'PY'
import resource, subprocess, sys, time
costplan, tmp = sys.argv[1], sys.argv[2]
t = time.perf_counter()
r = subprocess.run([costplan, "pricing", "import", "--offer", f"{tmp}/offer.json", "--service", "dynamodb", "--out", f"{tmp}/pricing", "--partial"],
                   capture_output=True, text=True)
wall = time.perf_counter() - t
print(r.stdout.splitlines()[0] if r.stdout else r.stderr.strip())
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"pricing import: {wall:.2f} s wall, peak memory (max RSS) {rss:.1f} MB, exit {r.returncode}")
sys.exit(r.returncode)
PY
