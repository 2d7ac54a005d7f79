#!/usr/bin/env python3
"""A randomized differential check of costplan's point model against the NumPy reference.

From a seed, writes N random but valid scenarios that exercise every v2 rule and option kind that
scripts/sampling_reference.py covers (docs/model.md §2–§9: hourly profiles with zeros and spikes, archives
into every class, TTL lag, provisioned and reserved DynamoDB capacity, Standard-IA, savings plans, named and
automatic ElastiCache node types and shard counts, replicas, reserved nodes, serverless, Aurora readers,
auto-pause, min/max ACU, caches, fractional, tiny and huge scales and records, ranges priced at their medians),
prices each with `costplan compare --format json` and with the reference's point model (the same functions as
`sampling_reference.py --point --check-point FILE`), and compares per option and scale: the monthly cost
(1e-9 relative), feasibility, read and write p50/p99 (1e-3), the score and the recommendation; every line item,
summed by rate id (savings-plan splits and tiers folded into their rate), also to 1e-9; and costplan's own
arithmetic (each line is quantity × unit price, the lines add up to the total, in exact decimals).

Each scenario is priced with the shipped rate tables and with one of --mutations mutated copies (every price,
tier, free quantity, minimum, node memory, savings-plan discount and latency times a random positive factor;
some node types lose their reserved rates; some rates gain a savings-plan discount; every third copy also gets
free quantities, tiers and discounts where AWS's rates have none), so that the check does not rely on the
shipped prices.

    swift build -c release --product costplan
    python3 scripts/differential.py --count 300 --seed 1

Prints a summary (scenarios, rows compared, worst relative cost error, rows by option kind, violations grouped
by kind) and exits 1 on any violation. A percentile that differs but at which the reference's own CDF is within
1e-12 of p (a 50% hit ratio puts the p50 on a stretch where the CDF is flat to 1e-16) is a note, not a
violation. Each failing scenario is written to --keep (default differential-failures/) with the rate tables it
failed on; `--replay FILE [--pricing DIR]` checks one scenario again, and `--shrink FILE [--pricing DIR]
[--kind KIND]` minimises it (drops options, scales and fields, rounds numbers, while a violation of the same
kind remains) and prints it.

Sampled mode (§10): `--sampled [--samples N] [--same-draws]` writes scenarios with ranges on most fields §10
allows (entitiesPerMonth, recordsPerEntity, recordBytes, loadsPerRecord, loadsPerEntity, entityLifetimeMinutes,
peakToAverage, cache.hitRatio, queriesPerSecondPerACU, perRecordOverheadBytes, rowOverheadBytes): wide, moderate,
narrow (within 5%, down to 1e-6), one-sided and point ranges (low = high), hit-ratio ranges that reach 1 or sit
around 0.5, 0.9 or 0.99, fixed hit ratios of exactly 0.5, 0.9, 0.99, 0 and 1 beside other ranges, and in a third of
the scenarios entities over two to three decades so that the winner changes between draws; at most --max-options
options and 3 scales. Each is sampled by `costplan compare --samples N --seed S --format json` and by the reference
at the same N and seed (the seed is kept in the scenario's `uncertainty` block, for --replay and --shrink), on
the shipped rate tables or one mutated copy in turn, and compared by sampling_reference.check_sampled: P10/P50/P90
of monthly cost and of read p99 within 2% relative (or, a note, inside the reference's sampling band where a jump
or a steep part makes 2% smaller than the noise), win, cheapest and feasible shares within 0.02. The summary also
counts the percentiles more than 2% apart (band or not), the worst of them and the scale rows whose winner
changes between draws. With --same-draws the reference draws costplan's own stream as §10 states it (xoshiro256**,
SplitMix64, AS 241), so the two compare draw for draw (defaults 1e-6 relative and 0.001, no band):

    python3 scripts/differential.py --sampled --count 100 --seed 2 --time-limit 1500
    python3 scripts/differential.py --sampled --same-draws --samples 10000 --count 100 --seed 3
    python3 scripts/differential.py --sampled --replay differential-failures/sampled-7-shipped.json

A scenario with an object-per-record cache and ranged records takes minutes at 100,000 draws on both sides;
--time-limit stops starting new scenarios after so many seconds.
"""

import argparse
import collections
import copy
import decimal
import io
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sampling_reference as ref  # noqa: E402

ARCHIVE_CLASSES = ["standard-ia", "glacier-ir", "glacier-flexible", "glacier-deep-archive"]
TERMS = ["1y", "3y"]
PAYMENTS = ["no-upfront", "partial-upfront", "all-upfront"]
COST_TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------------------
# Random numbers that a person might write, and some that they would not


def sig(x, digits):
    """x rounded to `digits` significant digits (a float whose repr is short)."""
    if x == 0:
        return 0.0
    return float(f"{x:.{digits}g}")


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def number(rng, lo, hi, integer=False):
    """A value in [lo, hi], log-uniform, with a random number of significant digits."""
    x = log_uniform(rng, lo, hi)
    if integer:
        return max(int(lo), min(int(hi), int(round(x))))
    return sig(x, rng.choice([1, 2, 3, 6, 12]))


def maybe_range(rng, value, integer=False, p=0.2, lo=None, hi=None):
    """value, or (with probability p) a range {low, high} around it (§10)."""
    if rng.random() >= p:
        return value
    spread = log_uniform(rng, 1.0, 8.0)
    low = value / spread
    high = value * log_uniform(rng, 1.0, 8.0)
    if lo is not None:
        low = max(low, lo)
    if hi is not None:
        high = min(high, hi)
    low, high = sig(low, 4), sig(high, 4)
    if low <= 0:
        low = sig(value, 4) or 1e-6
    if high < low:
        high = low
    if integer:
        low, high = max(1, int(round(low))), max(1, int(round(high)))
        high = max(high, low)
    return {"low": low, "high": high}


# --------------------------------------------------------------------------------------------------------
# The rate tables the scenarios may name


class RateFacts:
    """What the generator needs to know about a pricing folder: node types per engine, and which have every
    reserved rate."""

    def __init__(self, root):
        path = os.path.join(root, "aws", "us-east-1", "elasticache.json")
        with open(path, encoding="utf-8") as f:
            rates = json.load(f)["rates"]
        ids = {r["id"] for r in rates}
        self.nodes = collections.defaultdict(list)
        for r in rates:
            if r["id"].startswith("node:"):
                _, name, engine = r["id"].split(":")
                self.nodes[engine].append(name)
        self.reserved = set()
        for engine, names in self.nodes.items():
            for name in names:
                if all(
                    f"node-reserved:{name}:{engine}:{t}:{p}" in ids and f"node-reserved-upfront:{name}:{engine}:{t}:{p}" in ids
                    for t in TERMS
                    for p in PAYMENTS
                ):
                    self.reserved.add((name, engine))

    def intersect(self, other):
        self.reserved &= other.reserved
        for engine in list(self.nodes):
            self.nodes[engine] = [n for n in self.nodes[engine] if n in set(other.nodes.get(engine, []))]


def mutate_pricing(src, dst, rng, wild=False):
    """A copy of the rate tables with every figure times a random positive factor: prices (and tier prices),
    tier bounds, free quantities, minimums, node memory, savings-plan discounts (kept in (0, 0.9)) and
    latencies; a few node types lose their reserved rates, and a few rates gain a savings-plan discount.
    `wild` also gives rates what AWS's do not have but the format allows: free quantities (S3 storage's tiers
    included), tiers on flat rates, and savings-plan discounts on S3 rates (which DynamoDB, ElastiCache and Aurora
    options use for their archive)."""
    shutil.copytree(src, dst)
    folder = os.path.join(dst, "aws", "us-east-1")

    def factor():
        return log_uniform(rng, 0.2, 5.0)

    dropped = set()
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if name == "latency.json":
            for op in doc["operations"]:
                if op["id"] == "aurora.resume":
                    v = sig(op["p50Ms"] * factor(), 6)
                    op["p50Ms"] = op["p99Ms"] = v
                    continue
                p50 = sig(op["p50Ms"] * factor(), 6)
                ratio = log_uniform(rng, 1.05, 30.0)
                op["p50Ms"], op["p99Ms"] = p50, sig(p50 * ratio, 6)
        else:
            if name == "elasticache.json":
                types = sorted({r["id"].split(":")[1] for r in doc["rates"] if r["id"].startswith("node-reserved:")})
                dropped = set(rng.sample(types, 3))
                doc["rates"] = [
                    r for r in doc["rates"] if not (r["id"].startswith("node-reserved") and r["id"].split(":")[1] in dropped)
                ]
            memory = {}
            for r in doc["rates"]:
                if "price" in r:
                    if float(r["price"]) > 0 or rng.random() < 0.5:
                        r["price"] = sig(float(r["price"]) * factor(), 6) if float(r["price"]) > 0 else 0
                    else:
                        r["price"] = sig(log_uniform(rng, 1e-4, 10.0), 4)  # a free upfront fee gets a price
                if "tiers" in r:
                    bound = 0.0
                    for t in r["tiers"]:
                        t["price"] = sig(float(t["price"]) * factor(), 6)
                        if "upTo" in t:
                            bound = max(bound * 1.01 + 1, sig(float(t["upTo"]) * factor(), 6))
                            t["upTo"] = bound
                if "freeQuantity" in r:
                    r["freeQuantity"] = sig(float(r["freeQuantity"]) * factor(), 6)
                if "minimumQuantity" in r:
                    r["minimumQuantity"] = sig(float(r["minimumQuantity"]) * factor(), 6)
                attrs = r.get("attributes")
                if attrs and "memoryGiB" in attrs:
                    # one memory per node type, whichever engine (so that both engines' tables stay consistent)
                    node = r["id"].split(":")[1]
                    memory.setdefault(node, sig(float(attrs["memoryGiB"]) * factor(), 4))
                    attrs["memoryGiB"] = memory[node]
                if attrs and "savingsPlanDiscount" in attrs:
                    attrs["savingsPlanDiscount"] = sig(min(0.9, float(attrs["savingsPlanDiscount"]) * factor()), 4)
                elif name in ("dynamodb.json", "elasticache.json", "aurora.json") and rng.random() < 0.3:
                    if not r["id"].startswith("node-reserved"):
                        r.setdefault("attributes", {})["savingsPlanDiscount"] = sig(rng.uniform(0.01, 0.6), 3)
                elif wild and name == "s3.json" and rng.random() < 0.3:
                    r.setdefault("attributes", {})["savingsPlanDiscount"] = sig(rng.uniform(0.01, 0.6), 3)
                node = r["id"].startswith("node")
                if wild and not node and name != "lambda.json" and rng.random() < 0.3:
                    r["freeQuantity"] = sig(log_uniform(rng, 1e-3, 1e7), 3)
                if wild and not node and "price" in r and "minimumQuantity" not in r and rng.random() < 0.25:
                    price = r.pop("price")
                    first = sig(log_uniform(rng, 1e-2, 1e8), 3)
                    r["tiers"] = [
                        {"upTo": first, "price": price},
                        {"upTo": sig(first * log_uniform(rng, 1.5, 1e4), 3), "price": sig(price * rng.uniform(0.3, 1.5), 6)},
                        {"price": sig(price * rng.uniform(0.1, 1.2), 6)},
                    ]
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
    return dropped


# --------------------------------------------------------------------------------------------------------
# Scenarios


def hourly_profile(rng):
    """24 weights >= 0, not all 0: flat, a night-and-day shape, random, with zeros, with spikes."""
    kind = rng.choice(["flat", "steps", "random", "zeros", "spike", "one-hour", "tiny"])
    if kind == "flat":
        v = number(rng, 0.1, 100)
        w = [v] * 24
    elif kind == "steps":
        lo, hi = number(rng, 0.5, 5, True), number(rng, 5, 50, True)
        start = rng.randrange(24)
        length = rng.randrange(1, 24)
        w = [hi if (h - start) % 24 < length else lo for h in range(24)]
    elif kind == "random":
        w = [number(rng, 0.01, 100) for _ in range(24)]
    elif kind == "zeros":
        w = [number(rng, 0.1, 20) if rng.random() < 0.5 else 0 for _ in range(24)]
        if not any(w):
            w[rng.randrange(24)] = 1
    elif kind == "spike":
        w = [number(rng, 0.5, 3) for _ in range(24)]
        for _ in range(rng.randrange(1, 4)):
            w[rng.randrange(24)] = number(rng, 100, 1e6)
    elif kind == "one-hour":
        w = [0] * 24
        w[rng.randrange(24)] = number(rng, 0.001, 1000)
    else:
        w = [number(rng, 1e-6, 1e-3) for _ in range(24)]
    return [int(x) if float(x).is_integer() and abs(x) < 1e15 else x for x in w]


def workload(rng):
    w = {"entity": "thing", "record": "event"}
    E = number(rng, 0.01, 3e7) if rng.random() < 0.95 else number(rng, 1e-6, 0.01)
    w["entitiesPerMonth"] = maybe_range(rng, E)
    R = 1 if rng.random() < 0.2 else number(rng, 1, rng.choice([50, 2000, 200000]), True)
    w["recordsPerEntity"] = maybe_range(rng, R, integer=True)
    shape = rng.random()
    if shape < 0.15:  # near a unit boundary: 1 KB, 4 KB, 128 KB, 400 KB
        edge = rng.choice([1024, 4096, 131072, 409600, 2048, 8192])
        B = max(1, edge - rng.choice([64, 63, 65, 0, 1, -1, 100]) + rng.randrange(-2, 3))
    elif shape < 0.95 or R > 1000:
        B = number(rng, 1, rng.choice([4000, 60000, 500000]), True)
    else:  # huge records (the 400 KB item limit, many GB of memory per entity)
        B = number(rng, 500000, 1e12, True)
    w["recordBytes"] = maybe_range(rng, B, integer=True, p=0.15)
    if rng.random() < 0.5:
        w["keyBytes"] = rng.choice([0, 1, 16, 63, 64, 65, 100, 256, 1000, 5000, 409600, 2000000])
    if rng.random() < 0.7:
        w["loadsPerRecord"] = maybe_range(rng, 0 if rng.random() < 0.3 else number(rng, 0.01, 20))
    if rng.random() < 0.7:
        w["loadsPerEntity"] = maybe_range(rng, 0 if rng.random() < 0.3 else number(rng, 0.01, 50))
    if rng.random() < 0.8:
        w["entityLifetimeMinutes"] = maybe_range(rng, 0 if rng.random() < 0.15 else number(rng, 0.05, 20000))
    shape = rng.random()
    if shape < 0.4:
        w["hourlyProfile"] = hourly_profile(rng)
    elif shape < 0.85:
        p = rng.choice([1, 24, 4, 4.8, 3, 6, 8, 12, None, None, None])
        if p is None:
            p = sig(rng.uniform(1, 24), rng.choice([2, 3, 8]))
        w["peakToAverage"] = maybe_range(rng, p, lo=1, hi=24, p=0.1) if p > 1 else p
    T = None
    if rng.random() < 0.75:
        T = rng.choice([number(rng, 0.01, 5000), rng.choice([1, 7, 30, 90, 365, 400])])
        w["retentionDays"] = T
    if rng.random() < 0.5:
        cls = rng.choice(ARCHIVE_CLASSES)
        hi = T if T is not None else 4000
        after = rng.choice([0, hi, sig(rng.uniform(0, hi), 3), min(hi, 30)])
        a = {"afterDays": after, "storageClass": cls}
        r = rng.random()
        if r < 0.6:
            a["retainDays"] = max(after, rng.choice([after, after + 1, sig(after + log_uniform(rng, 0.5, 5000), 4)])) or 1
            if a["retainDays"] < after:
                a["retainDays"] = after
        if rng.random() < 0.4:
            a["transitionSmallObjects"] = rng.random() < 0.5
        w["archive"] = a
    return w


def s3_option(rng, facts):
    o = {"service": "s3"}
    if rng.random() < 0.5:
        o["layout"] = rng.choice(["object-per-entity", "object-per-record"])
    c = rng.random()
    if c < 0.3:
        cache = {"hitRatio": maybe_range(rng, rng.choice([0, 1, 0.5, 0.99, 0.9, sig(rng.random(), 3)]), lo=1e-3, hi=1)}
        if isinstance(cache["hitRatio"], dict) and cache["hitRatio"]["low"] <= 0:
            cache["hitRatio"] = 0.5
        o["cache"] = cache
    elif c < 0.55:
        cache = {"model": "lambda-fleet"}
        if rng.random() < 0.6:
            cache["idleTimeoutMinutes"] = number(rng, 0.1, 120)
        o["cache"] = cache
    if "cache" in o:
        if rng.random() < 0.6:
            o["cache"]["handlerMs"] = number(rng, 1, 60000)
        if rng.random() < 0.5:
            o["cache"]["extraMemoryMB"] = rng.choice([0, 128, 512, number(rng, 1, 10240)])
    if rng.random() < 0.3:
        o["freeTier"] = rng.random() < 0.5
    return o


def savings_plan(rng):
    return {"coverage": rng.choice([1, 0.5, sig(rng.uniform(0.001, 1), 3)])}


def dynamodb_option(rng, facts):
    o = {"service": "dynamodb"}
    if rng.random() < 0.6:
        o["layout"] = rng.choice(["item-per-record", "item-per-entity"])
    if rng.random() < 0.4:
        o["consistentReads"] = rng.random() < 0.5
    if rng.random() < 0.3:
        o["pitr"] = rng.random() < 0.6
    if rng.random() < 0.35:
        o["tableClass"] = rng.choice(["standard", "standard-ia"])
    if rng.random() < 0.4:
        o["ttlLagDays"] = rng.choice([0, 1, 2, 3650, number(rng, 0.01, 60)])
    provisioned = rng.random() < 0.5
    if provisioned:
        o["capacity"] = "provisioned"
        if rng.random() < 0.6:
            o["targetUtilization"] = rng.choice([0.2, 0.9, 0.7, 0.5, sig(rng.uniform(0.2, 0.9), 3)])
        if rng.random() < 0.5:
            o["minWCU"] = number(rng, 1, rng.choice([10, 1000, 40000000]), True)
        if rng.random() < 0.5:
            o["minRCU"] = number(rng, 1, rng.choice([10, 1000, 40000000]), True)
    elif rng.random() < 0.1:
        o["capacity"] = "on-demand"
    reserved = False
    if provisioned and o.get("tableClass", "standard") == "standard" and rng.random() < 0.4:
        for k in ("reservedWCU", "reservedRCU"):
            if rng.random() < 0.7:
                o[k] = 100 * rng.choice([0, 1, 2, 5, number(rng, 1, 5000, True)])
                reserved = reserved or o[k] > 0
        if rng.random() < 0.6:
            o["reservedTerm"] = rng.choice(TERMS)
    if not reserved and rng.random() < 0.35:
        o["savingsPlan"] = savings_plan(rng)
        o.pop("reservedWCU", None)
        o.pop("reservedRCU", None)
    if rng.random() < 0.3:
        o["freeTier"] = rng.random() < 0.6
    return o


def elasticache_option(rng, facts):
    o = {"service": "elasticache"}
    engine = rng.choice(["valkey", "redis"])
    if engine == "redis" or rng.random() < 0.3:
        o["engine"] = engine
    if rng.random() < 0.25:
        o["mode"] = "serverless"
    else:
        if rng.random() < 0.2:
            o["mode"] = "node"
        reservation = rng.random() < 0.25
        if reservation:
            o["reservation"] = {"term": rng.choice(TERMS), "payment": rng.choice(PAYMENTS)}
        named = rng.random() < 0.5
        if named:
            names = facts.nodes[engine]
            if reservation:
                names = [n for n in names if (n, engine) in facts.reserved]
            o["nodeType"] = rng.choice(sorted(names))
        elif rng.random() < 0.5:
            o["nodeType"] = "auto"
        s = rng.random()
        if s < 0.35:
            o["shards"] = "auto"
        elif s < 0.7:
            o["shards"] = rng.choice([1, 2, 3, 500, number(rng, 1, 500, True)])
        if rng.random() < 0.5:
            o["replicas"] = rng.randrange(6)
    if rng.random() < 0.5:
        o["perRecordOverheadBytes"] = maybe_range(rng, rng.choice([0, 400, number(rng, 1, 5000, True)]), lo=1)
        if isinstance(o["perRecordOverheadBytes"], dict) and o["perRecordOverheadBytes"]["low"] <= 0:
            o["perRecordOverheadBytes"] = 400
    if "reservation" not in o and rng.random() < 0.3:
        o["savingsPlan"] = savings_plan(rng)
    if rng.random() < 0.2:
        o["freeTier"] = rng.random() < 0.5
    return o


def aurora_option(rng, facts):
    o = {"service": "aurora-serverless-v2"}
    m = rng.random()
    if m < 0.35:
        o["minACU"] = 0
        if rng.random() < 0.6:
            o["autoPauseMinutes"] = rng.choice([5, 1440, number(rng, 5, 1440)])
    elif m < 0.7:
        o["minACU"] = 0.5 * rng.choice([1, 2, 3, 8, rng.randrange(1, 64)])
    least = max(0.5, o.get("minACU", 0.5))
    if rng.random() < 0.6 or least > 16:  # the default maxACU, 16, is below a larger minACU (error 65)
        o["maxACU"] = max(least, 0.5 * rng.choice([1, 2, 8, 32, 512, rng.randrange(1, 513)]))
    if rng.random() < 0.3:
        o["ioOptimized"] = rng.random() < 0.5
    if rng.random() < 0.4:
        o["readers"] = rng.choice([0, 1, 2, 15, rng.randrange(16)])
    if rng.random() < 0.4:
        o["queriesPerSecondPerACU"] = maybe_range(rng, number(rng, 0.5, 5000))
    if rng.random() < 0.3:
        o["rowOverheadBytes"] = maybe_range(rng, rng.choice([0, 850, number(rng, 1, 5000, True)]), lo=1)
        if isinstance(o["rowOverheadBytes"], dict) and o["rowOverheadBytes"]["low"] <= 0:
            o["rowOverheadBytes"] = 850
    if rng.random() < 0.3:
        o["readIOsPerLoad"] = rng.choice([0, 1, number(rng, 0.01, 50)])
    if rng.random() < 0.3:
        o["savingsPlan"] = savings_plan(rng)
    if rng.random() < 0.2:
        o["freeTier"] = rng.random() < 0.5
    return o


MAKERS = [s3_option, dynamodb_option, elasticache_option, aurora_option]


def scenario(rng, index, facts):
    sc = {
        "version": 1,
        "name": f"differential-{index}",
        "provider": "aws",
        "region": "us-east-1",
    }
    scales = set()
    for _ in range(rng.randrange(1, 5)):
        scales.add(rng.choice([1, 10, 100, sig(log_uniform(rng, 1e-3, 1e9), rng.choice([1, 3, 9])), 0.37, 1e6, 1e9]))
    sc["scales"] = sorted(scales)
    if rng.random() < 0.4:
        sc["horizonMonths"] = rng.choice([1, 12, 36, 120, 1200, sig(rng.uniform(0.1, 60), 3)])
    if rng.random() < 0.1 and float(sc.get("horizonMonths", 12)).is_integer():
        sc["growth"] = {"monthlyPercent": sig(rng.uniform(-50, 50), 3)}  # compare ignores it (§11)
    sc["workload"] = workload(rng)
    options = []
    # every service at least once in most scenarios, then random extra options
    makers = list(MAKERS) if rng.random() < 0.7 else []
    makers += [rng.choice(MAKERS) for _ in range(rng.randrange(1, 6))]
    for i, make in enumerate(makers):
        o = make(rng, facts)
        o = {"id": f"{o['service'].split('-')[0]}-{i}", **o}
        options.append(o)
    sc["options"] = options
    if rng.random() < 0.25:
        keys = ["cost", "readP99", "writeP99", "durability", "ttl", "operations"]
        wts = {k: rng.choice([0, 0.1, 0.25, sig(rng.random(), 2)]) for k in keys if rng.random() < 0.8}
        if not any(wts.values()):
            wts["cost"] = 1
        sc["weights"] = wts
    return sc



# --------------------------------------------------------------------------------------------------------
# Scenarios for the sampled mode (§10): ranges everywhere they are allowed, and the edge cases of sampling

WORKLOAD_RANGE_FIELDS = {  # field: (smallest value a range may have, largest or None, integer)
    "entitiesPerMonth": (1e-6, None, False),
    "recordsPerEntity": (1, None, True),
    "recordBytes": (1, None, True),
    "loadsPerRecord": (1e-3, None, False),
    "loadsPerEntity": (1e-3, None, False),
    "entityLifetimeMinutes": (1e-3, None, False),
    "peakToAverage": (1, 24, False),
}


def range_around(rng, value, integer=False, lo=None, hi=None):
    """A range {low, high} (§10) around value: wide (up to 100x each side), narrow (within 5%), a point
    (low = high), or one-sided (low or high at value)."""
    shape = rng.choice(["wide", "wide", "moderate", "moderate", "narrow", "point", "above", "below"])
    if shape == "wide":
        low, high = value / log_uniform(rng, 2, 100), value * log_uniform(rng, 2, 100)
    elif shape == "moderate":
        low, high = value / log_uniform(rng, 1.05, 3), value * log_uniform(rng, 1.05, 3)
    elif shape == "narrow":
        low = value
        high = value * (1 + rng.choice([1e-6, 1e-3, 0.01, rng.uniform(0, 0.05)]))
    elif shape == "point":
        low = high = value
    elif shape == "above":
        low, high = value, value * log_uniform(rng, 1.01, 30)
    else:
        low, high = value / log_uniform(rng, 1.01, 30), value
    if lo is not None:
        low, high = max(low, lo), max(high, lo)
    if hi is not None:
        low, high = min(low, hi), min(high, hi)
    digits = 12 if shape == "narrow" else 4
    low, high = sig(low, digits), sig(high, digits)
    if integer:
        low, high = max(1, int(round(low))), max(1, int(round(high)))
    if high < low:
        high = low
    return {"low": low, "high": high}


def hit_ratio_range(rng):
    """A ranged hit ratio: the usual, near 1 (clamped at 1 in some draws), narrow around 0.5, 0.9 or 0.99."""
    kind = rng.random()
    if kind < 0.3:
        low = sig(rng.uniform(0.05, 0.9), 2)
        return {"low": low, "high": sig(rng.uniform(low, 0.999), 3)}
    if kind < 0.5:
        return rng.choice([{"low": 0.9, "high": 0.999}, {"low": 0.95, "high": 1}, {"low": 0.98, "high": 0.995}, {"low": 0.5, "high": 1}])
    if kind < 0.75:
        p = rng.choice([0.5, 0.9, 0.99])
        return {"low": sig(p * (1 - rng.uniform(1e-4, 0.02)), 6), "high": sig(min(1.0, p * (1 + rng.uniform(1e-4, 0.02))), 6)}
    low = sig(log_uniform(rng, 1e-3, 0.5), 2)
    return {"low": low, "high": sig(min(1.0, low * log_uniform(rng, 1.2, 20)), 3)}


def sampled_scenario(rng, index, facts, max_options=6):
    """A scenario of scenario() with ranges on most fields §10 allows (more often than the point check has
    them), at most max_options options (sampling costs time per option) and at most 3 scales; some caches get a
    fixed hit ratio of exactly 0.5, 0.9 or 0.99 (where a mixture's fast part weighs exactly p) beside the other
    ranges; some scenarios get a wide range on entitiesPerMonth so that the winner changes between draws."""
    sc = scenario(rng, index, facts)
    sc["name"] = f"sampled-{index}"
    if len(sc["options"]) > max_options:
        sc["options"] = rng.sample(sc["options"], max_options)
    if len(sc["scales"]) > 3:
        sc["scales"] = sorted(rng.sample(sc["scales"], 3))
    wl = sc["workload"]
    for field, (lo, hi, integer) in WORKLOAD_RANGE_FIELDS.items():
        v = wl.get(field)
        if field == "peakToAverage" and "hourlyProfile" in wl:
            continue
        if isinstance(v, dict):
            v = math.sqrt(v["low"] * v["high"])
        if v is None:
            if field in ("loadsPerRecord", "loadsPerEntity", "entityLifetimeMinutes") and rng.random() < 0.4:
                v = number(rng, 0.05, {"loadsPerRecord": 10, "loadsPerEntity": 30}.get(field, 5000))
            else:
                continue
        if v == 0:
            if rng.random() < 0.5:
                continue
            v = number(rng, 0.05, 20)
        if rng.random() < 0.55:
            wl[field] = range_around(rng, max(v, lo), integer, lo, hi)
    if rng.random() < 0.3:  # a winner that changes between draws: entities over two to three decades
        e = wl["entitiesPerMonth"]
        mid = math.sqrt(e["low"] * e["high"]) if isinstance(e, dict) else e
        wl["entitiesPerMonth"] = {"low": sig(mid / log_uniform(rng, 10, 40), 4), "high": sig(mid * log_uniform(rng, 10, 40), 4)}
    for o in sc["options"]:
        if o["service"] == "s3" and rng.random() < 0.4 and "model" not in o.get("cache", {}):
            o.setdefault("cache", {})
        if "cache" in o and "model" not in o["cache"]:
            r = rng.random()
            if r < 0.45:
                o["cache"]["hitRatio"] = rng.choice([0.99, 0.9, 0.5, 0.99, 0.9, 0.5, 0, 1, sig(rng.random(), 3)])
            else:
                o["cache"]["hitRatio"] = hit_ratio_range(rng)
        if o["service"] == "elasticache" and rng.random() < 0.5:
            v = o.get("perRecordOverheadBytes", 400)
            v = math.sqrt(v["low"] * v["high"]) if isinstance(v, dict) else v
            o["perRecordOverheadBytes"] = range_around(rng, max(v, 1), True, 1)
        if o["service"] == "aurora-serverless-v2":
            for field, default, integer in (("queriesPerSecondPerACU", 200, False), ("rowOverheadBytes", 850, True)):
                if rng.random() < 0.5:
                    v = o.get(field, default)
                    v = math.sqrt(v["low"] * v["high"]) if isinstance(v, dict) else v
                    o[field] = range_around(rng, max(v, 1 if integer else 0.5), integer, 1 if integer else 0.01)
    if not ref.ranged_inputs(sc):
        e = wl["entitiesPerMonth"]
        wl["entitiesPerMonth"] = range_around(rng, e, False, 1e-6)
    return sc


def option_kind(o):
    """A short description of an option's kind, for grouping violations."""
    svc = o["service"]
    if svc == "s3":
        k = "s3 " + o.get("layout", "object-per-entity")
        if "cache" in o:
            k += " + lambda-fleet cache" if "model" in o["cache"] else " + cache"
        return k
    if svc == "dynamodb":
        k = "dynamodb " + o.get("capacity", "on-demand") + " " + o.get("layout", "item-per-record")
        if o.get("tableClass") == "standard-ia":
            k += " standard-ia"
        if o.get("reservedWCU", 0) or o.get("reservedRCU", 0):
            k += " reserved"
        if "savingsPlan" in o:
            k += " savings-plan"
        return k
    if svc == "elasticache":
        if o.get("mode") == "serverless":
            return "elasticache serverless" + (" savings-plan" if "savingsPlan" in o else "")
        nt = "auto" if o.get("nodeType", "auto") == "auto" else "named"
        sh = "auto" if o.get("shards") == "auto" else "fixed"
        k = f"elasticache node {nt} type, {sh} shards"
        if "reservation" in o:
            k += " reserved"
        if "savingsPlan" in o:
            k += " savings-plan"
        return k
    k = "aurora" + (" auto-pause" if o.get("minACU") == 0 else "")
    if o.get("readers"):
        k += " readers"
    if "savingsPlan" in o:
        k += " savings-plan"
    return k


# --------------------------------------------------------------------------------------------------------
# One check


class Violation:
    def __init__(self, kind, option, text, detail=""):
        self.kind = kind  # "cost", "feasible", "readP99Ms", …, "line", "costplan exit", "reference"; "note: …"
        self.option = option  # option kind (or "")
        self.text = text
        self.detail = detail

    @property
    def note(self):
        """Not a violation: a difference both sides are right about (an ill-conditioned percentile)."""
        return self.kind.startswith("note")


def classify(text):
    for key, kind in (
        ("monthly cost", "cost"),
        (": feasible ", "feasible"),
        ("readP50Ms", "readP50Ms"),
        ("readP99Ms", "readP99Ms"),
        ("writeP50Ms", "writeP50Ms"),
        ("writeP99Ms", "writeP99Ms"),
        (": score ", "score"),
        ("recommended", "recommendation"),
    ):
        if key in text:
            return kind
    return "other"


def reference_lines(result):
    """{(scale, option id): {rate id: cost}} from the reference's point result."""
    out = {}
    for sc in result["scales"]:
        for o in sc["options"]:
            lines = {}
            for rid, cost in o.get("lines", {}).items():
                rid = "lambda/gb-second" if rid.endswith("gb-second (no free tier)") else rid
                lines[rid] = lines.get(rid, 0.0) + cost
            out[(float(sc["scale"]), o["id"])] = lines
    return out


def costplan_lines(doc, name):
    """{(scale, option id): {rate id: cost}} from costplan's JSON, tiers and savings-plan splits folded in."""
    out = {}
    for s in doc["scenarios"]:
        if s["name"] != name:
            continue
        for sc in s["scales"]:
            for o in sc["options"]:
                lines = {}
                for line in o.get("lines", []):
                    rid = line["rateId"]
                    if rid.endswith(":savings-plan"):
                        rid = rid[: -len(":savings-plan")]
                    lines[rid] = lines.get(rid, 0.0) + float(line["monthlyCostUsd"])
                out[(float(sc["scale"]), o["id"])] = lines
    return out


def compare_lines(result, doc, sc):
    """Line items by rate id (ElastiCache nodes are one direct cost in the reference: compared as a sum)."""
    bad = []
    mine, theirs = reference_lines(result), costplan_lines(doc, result["name"])
    for key, ref_lines in mine.items():
        cp = dict(theirs.get(key, {}))
        ref_l = dict(ref_lines)
        node_cp = sum(v for k, v in list(cp.items()) if k.startswith("elasticache/node"))
        for k in [k for k in cp if k.startswith("elasticache/node")]:
            del cp[k]
        opt = next(o for o in sc["options"] if o["id"] == key[1])
        if opt["service"] == "elasticache" and opt.get("mode", "node") == "node":
            node_ref = result_direct(result, key)
            if node_ref is not None:
                ref_l["elasticache/node (all node lines)"] = node_ref
                cp["elasticache/node (all node lines)"] = node_cp
        for rid in sorted(set(ref_l) | set(cp)):
            a, b = ref_l.get(rid, 0.0), cp.get(rid, 0.0)
            if a == b:
                continue
            rel = abs(a - b) / max(abs(a), abs(b))
            if rel > COST_TOLERANCE and abs(a - b) > 1e-300:
                bad.append((key, rid, a, b, rel))
    return bad


def result_direct(result, key):
    for sc in result["scales"]:
        if float(sc["scale"]) != key[0]:
            continue
        for o in sc["options"]:
            if o["id"] == key[1]:
                return o.get("direct")
    return None


def line_arithmetic(doc, kinds):
    """costplan's own arithmetic, as a reader of the CSV checks it (MODEL.md §1: a cost line is quantity × unit
    price, a total the sum of the unrounded lines), in exact decimals."""
    bad = []
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        for s in doc["scenarios"]:
            for sc in s["scales"]:
                for o in sc["options"]:
                    total = decimal.Decimal(0)
                    for line in o.get("lines", []):
                        q, p, c = (decimal.Decimal(line[f]) for f in ("quantity", "unitPriceUsd", "monthlyCostUsd"))
                        total += c
                        if abs(q * p - c) > abs(c) * decimal.Decimal("1e-30") + decimal.Decimal("1e-40"):
                            bad.append(
                                Violation(
                                    "line arithmetic",
                                    kinds.get(o["id"], ""),
                                    f"scale {sc['scale']} {o['id']}: {line['rateId']} quantity {q} x {p} = {q * p} but the line says {c}",
                                )
                            )
                    want = decimal.Decimal(o["monthlyCostUsd"])
                    if o.get("lines") and abs(total - want) > abs(want) * decimal.Decimal("1e-30") + decimal.Decimal("1e-40"):
                        bad.append(
                            Violation(
                                "line sum", kinds.get(o["id"], ""), f"scale {sc['scale']} {o['id']}: lines add up to {total}, the option says {want}"
                            )
                        )
    return bad


def run_reference(scenario_doc, pricing_dir):
    """The reference's point model (sampling_reference.run(..., point=True)); the ElastiCache node cost (outside
    its rate lines) is kept per option as "direct"."""
    pricing = ref.Pricing(pricing_dir, scenario_doc["provider"], scenario_doc["region"])
    directs = {}
    original = ref.price_option

    def spy(pricing_, opt, idx, w, values, choosers):
        pr = original(pricing_, opt, idx, w, values, choosers)
        directs[(w.scale, opt["id"])] = float(ref.np.broadcast_to(pr.direct, (w.n,))[0])
        if hasattr(pr, "choice"):
            tidx, types, shards = pr.choice
            directs[(w.scale, opt["id"], "choice")] = (types[int(tidx[0])][0], float(shards[0]))
        directs[(w.scale, opt["id"], "mixes")] = {"read": pr.read_mix, "write": pr.write_mix}
        return pr

    ref.price_option = spy
    try:
        result = ref.run(scenario_doc, pricing, 1, 0, True)
    finally:
        ref.price_option = original
    for sc in result["scales"]:
        for o in sc["options"]:
            o["direct"] = directs.get((float(sc["scale"]), o["id"]))
            o["choice"] = directs.get((float(sc["scale"]), o["id"], "choice"))
            o["mixes"] = directs.get((float(sc["scale"]), o["id"], "mixes"))
    result["pricing"] = pricing
    return result


def reference_cdf(result, scale, oid, field, x):
    """The reference's CDF of an option's read or write latency at x (the backward error of a percentile)."""
    for sc in result["scales"]:
        for o in sc["options"]:
            if str(sc["scale"]) == scale and o["id"] == oid and o.get("mixes"):
                mix = o["mixes"]["read" if field.startswith("read") else "write"]
                xs = ref.np.array([x])
                survival = sum(
                    float(ref.np.broadcast_to(ref.np.asarray(w, dtype=float), (1,))[0])
                    * float(ref.component_survival(result["pricing"], c, xs)[0])
                    for w, c in mix
                )
                return 1.0 - survival
    return None


def run_costplan(scenario_doc, pricing_dir, costplan, workdir, *flags):
    """Writes the scenario to workdir and prices it with `costplan compare --format json` and `flags`: (the JSON
    output, None), or (None, [the violation]) when costplan exits non-zero."""
    path = os.path.join(workdir, scenario_doc["name"] + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(scenario_doc, f, indent=1)
    out = subprocess.run(
        [costplan, "compare", "--scenario", path, "--pricing", pricing_dir, *flags, "--format", "json"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return None, [Violation("costplan exit %d" % out.returncode, "", out.stderr.strip()[:400])]
    return json.loads(out.stdout), None


def run_quietly(fn):
    """fn() with the reference's printing swallowed: (its value, None), or (None, [the violation]) when the
    reference refuses the scenario."""
    sink = io.StringIO()
    try:
        with redirect_stdout(sink), redirect_stderr(sink):
            return fn(), None
    except SystemExit as e:
        return None, [Violation("reference refused", "", f"{e} {sink.getvalue().strip()}"[:400])]


def count_coverage(doc, kinds):
    """Adds the rows of costplan's output to COVERAGE, by option kind (infeasible ones counted apart)."""
    for s in doc["scenarios"]:
        for sc in s["scales"]:
            for o in sc["options"]:
                seen = COVERAGE.setdefault(kinds.get(o["id"], ""), [0, 0])
                seen[0] += 1
                seen[1] += 0 if o["feasible"] else 1


def check(scenario_doc, pricing_dir, costplan, workdir):
    """Prices one scenario both ways; returns (violations, rows, worst cost error)."""
    doc, failed = run_costplan(scenario_doc, pricing_dir, costplan, workdir)
    if failed:
        return failed, 0, 0.0
    result, failed = run_quietly(lambda: run_reference(scenario_doc, pricing_dir))
    if failed:
        return failed, 0, 0.0
    bad, rows, worst = ref.check_point(result, doc)
    kinds = {o["id"]: option_kind(o) for o in scenario_doc["options"]}
    violations = []
    for b in bad:
        m = re.match(r"scale (\S+) (\S+):", b)
        opt = kinds.get(m.group(2), "") if m else ""
        kind = classify(b)
        lat = re.match(r"scale (\S+) (\S+): (\w+) \S+ vs costplan (\S+) ", b)
        if lat and kind in ("readP50Ms", "readP99Ms", "writeP50Ms", "writeP99Ms"):
            # A percentile is right when the CDF there is p: where the CDF is within 1e-12 of p over a whole
            # stretch (a 50% hit ratio puts the p50 between the hits' tail and the misses'), any point of it is.
            p = 0.5 if "P50" in kind else 0.99
            x = float(lat.group(4))
            f = reference_cdf(result, lat.group(1), lat.group(2), kind, x)
            if f is not None and abs(f - p) <= 1e-12:
                kind = "note: ill-conditioned percentile"
                b += f" (the reference's CDF at costplan's value is {f!r}: p within 1e-12)"
        violations.append(Violation(kind, opt, b))
    # line items, where the totals agree or not: name the lines that differ
    raw = {float(sc["scale"]): str(sc["scale"]) for sc in result["scales"]}
    line_bad = compare_lines(result, doc, scenario_doc)
    for (scale, oid), rid, a, b, rel in line_bad:
        prefix = f"scale {raw[scale]} {oid}:"
        text = f"{prefix} line {rid} {a!r} vs costplan {b!r} ({rel:.3g} relative)"
        owner = next((v for v in violations if v.kind == "cost" and v.text.startswith(prefix)), None)
        if owner is not None:
            owner.detail += ("\n" if owner.detail else "") + "    " + text
        else:
            violations.append(Violation("line", kinds.get(oid, ""), text))
    # ElastiCache choices, for the report of a cost violation
    cp_choice = {}
    for s in doc["scenarios"]:
        for sc in s["scales"]:
            for o in sc["options"]:
                nodes = [ln for ln in o.get("lines", []) if ln["rateId"].startswith("elasticache/node")]
                if nodes:
                    cp_choice[(float(sc["scale"]), o["id"])] = "; ".join(
                        f"{ln['rateId']} x {ln['quantity']} ({ln['component']})" for ln in nodes
                    )
    for v in violations:
        if v.kind not in ("cost", "feasible", "line"):
            continue
        for sc in result["scales"]:
            for o in sc["options"]:
                if v.text.startswith(f"scale {sc['scale']} {o['id']}:") and o.get("choice"):
                    name, shards = o["choice"]
                    found = cp_choice.get((float(sc["scale"]), o["id"]), "?")
                    v.detail += f"\n    reference picks {name} x {shards:g} shards; costplan: {found}"
    violations += line_arithmetic(doc, kinds)
    count_coverage(doc, kinds)
    return violations, rows, worst["cost"]


SAMPLED_STATS = {
    "percentiles": 0,  # percentiles compared
    "beyond": 0,  # of them more than 2% apart (violations, or notes where the band admits them)
    "worstPercentile": 0.0,  # the worst relative percentile difference, band or not
    "worstProbability": 0.0,
    "contested": 0,  # scale rows whose winner changes between draws (top win probability below 0.98)
    "rows": 0,
}


def sampled_kind(text):
    m = re.search(r": (\w+) numpy ", text)
    return m.group(1) if m else "other"


def check_sampled(scenario_doc, pricing_dir, costplan, workdir, samples, seed, pct_tol=0.02, prob_tol=0.02, generator="numpy"):
    """Samples one scenario both ways (costplan's `compare --samples N --seed S --format json`, the reference's
    own generator at the same N and seed) and compares them with sampling_reference.check_sampled: P10/P50/P90 of
    cost and read p99 within pct_tol relative (or inside the reference's sampling band, a note), win, cheapest
    and feasible shares within prob_tol. With generator "costplan" the reference draws costplan's own stream
    (§10), the comparison is draw for draw and no sampling band applies. Returns (violations, rows, worst
    relative percentile difference)."""
    doc, failed = run_costplan(
        scenario_doc, pricing_dir, costplan, workdir, "--samples", str(samples), "--seed", str(seed)
    )
    if failed:
        return failed, 0, 0.0

    def sample_and_compare():
        pricing = ref.Pricing(pricing_dir, scenario_doc["provider"], scenario_doc["region"])
        result = ref.run(scenario_doc, pricing, samples, seed, False, None, generator)
        if generator != "numpy":
            for sc in result["scales"]:
                for o in sc["options"]:
                    o.pop("bands", None)
        bad, notes, _ = ref.check_sampled(result, doc, pct_tol, prob_tol)
        return result, bad, notes

    compared, failed = run_quietly(sample_and_compare)
    if failed:
        return failed, 0, 0.0
    result, bad, notes = compared
    kinds = {o["id"]: option_kind(o) for o in scenario_doc["options"]}

    def option_of(text):
        m = re.match(r"scale \S+ (\S+):", text)
        return kinds.get(m.group(1), "") if m else ""

    violations = [Violation(sampled_kind(b), option_of(b), b) for b in bad]
    for b in notes:
        kind = "note: recommendation" if "recommends" in b else "note: inside the sampling band"
        violations.append(Violation(kind, option_of(b), b))
    # the strict figures, band or not
    worst = 0.0
    cp = ref.costplan_scenario(doc, result["name"])["sampling"]
    cp_scales = {float(s["scale"]): s for s in cp["scales"]}
    rows = 0
    for sc in result["scales"]:
        cps = cp_scales.get(float(sc["scale"]))
        if cps is None:
            continue
        cpo = {o["id"]: o for o in cps["options"]}
        top = max(o["winProbability"] for o in sc["options"])
        SAMPLED_STATS["contested"] += 1 if top < 0.98 else 0
        SAMPLED_STATS["rows"] += 1
        for o in sc["options"]:
            c = cpo.get(o["id"])
            if c is None:
                continue
            rows += 1
            for f in ref.SAMPLED_PERCENTILES:
                if c.get(f) is None:
                    continue
                want, got = float(c[f]), o[f]
                rel = abs(got - want) / max(abs(want), abs(got), 1e-300)
                SAMPLED_STATS["percentiles"] += 1
                SAMPLED_STATS["beyond"] += 1 if rel > pct_tol else 0
                worst = max(worst, rel)
            for f in ref.SAMPLED_PROBABILITIES:
                if f in c:
                    SAMPLED_STATS["worstProbability"] = max(SAMPLED_STATS["worstProbability"], abs(float(c[f]) - o[f]))
    SAMPLED_STATS["worstPercentile"] = max(SAMPLED_STATS["worstPercentile"], worst)
    count_coverage(doc, kinds)
    return violations, rows, worst


COVERAGE = {}  # option kind -> [rows compared, of them infeasible]


# --------------------------------------------------------------------------------------------------------
# Minimising a failing scenario


def shrink(sc, pricing_dir, costplan, workdir, kind=None, budget=400, checker=None):
    """Greedy: drop options, scales and optional fields, and round numbers, while a violation of the same kind
    remains. Returns the smallest scenario found and its violations. `checker` is check (the default) or a
    sampled check with the same arguments."""
    checker = checker or check

    def failing(candidate):
        try:
            v, _, _ = checker(candidate, pricing_dir, costplan, workdir)
        except Exception:  # noqa: BLE001 - an invalid candidate is just not kept
            return None
        v = [x for x in v if not x.note and (kind is None or x.kind == kind)]
        return v or None

    best = copy.deepcopy(sc)
    found = failing(best)
    if not found:
        return best, []
    kind = kind or found[0].kind
    tries = 0

    def attempt(candidate):
        nonlocal best, found, tries
        tries += 1
        if tries > budget:
            return False
        v = failing(candidate)
        if v:
            best, found = candidate, v
            return True
        return False

    changed = True
    while changed and tries < budget:
        changed = False
        # options: keep only the failing one, else drop one at a time
        ids = {re.match(r"scale \S+ (\S+):", v.text).group(1) for v in found if re.match(r"scale \S+ (\S+):", v.text)}
        if len(best["options"]) > 1 and ids:
            c = copy.deepcopy(best)
            c["options"] = [o for o in c["options"] if o["id"] in ids][:1] or c["options"][:1]
            if c["options"] != best["options"] and attempt(c):
                changed = True
        for i in range(len(best["options"]) - 1, -1, -1):
            if len(best["options"]) > 1 and i < len(best["options"]):
                c = copy.deepcopy(best)
                del c["options"][i]
                if attempt(c):
                    changed = True
        for i in range(len(best["scales"]) - 1, -1, -1):
            if len(best["scales"]) > 1 and i < len(best["scales"]):
                c = copy.deepcopy(best)
                del c["scales"][i]
                if attempt(c):
                    changed = True
        for key in ("weights", "horizonMonths", "growth"):
            if key in best:
                c = copy.deepcopy(best)
                del c[key]
                if attempt(c):
                    changed = True
        for key in list(best["workload"]):
            if key in ("entitiesPerMonth", "recordsPerEntity", "recordBytes"):
                continue
            c = copy.deepcopy(best)
            del c["workload"][key]
            if attempt(c):
                changed = True
        for oi in range(len(best["options"])):
            for key in list(best["options"][oi]):
                if key in ("id", "service"):
                    continue
                c = copy.deepcopy(best)
                if oi < len(c["options"]) and key in c["options"][oi]:
                    del c["options"][oi][key]
                    if attempt(c):
                        changed = True
        # ranges to their medians' neighbours, numbers to fewer digits
        for key, v in list(best["workload"].items()):
            if isinstance(v, dict) and "low" in v:
                c = copy.deepcopy(best)
                c["workload"][key] = sig(math.sqrt(v["low"] * v["high"]), 6)
                if key in ("recordsPerEntity", "recordBytes"):
                    c["workload"][key] = max(1, int(math.floor(math.sqrt(v["low"] * v["high"]) + 0.5)))
                if attempt(c):
                    changed = True
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                for digits in (1, 2, 3):
                    r = sig(v, digits)
                    r = int(r) if isinstance(v, int) or float(r).is_integer() else r
                    if r != v and r > 0:
                        c = copy.deepcopy(best)
                        c["workload"][key] = r
                        if attempt(c):
                            changed = True
                            break
        for i, s in enumerate(best["scales"]):
            for r in (1, sig(s, 1), sig(s, 2)):
                r = int(r) if float(r).is_integer() else r
                if r != s and r not in best["scales"]:
                    c = copy.deepcopy(best)
                    c["scales"][i] = r
                    if attempt(c):
                        changed = True
                        break
    return best, found


# --------------------------------------------------------------------------------------------------------
# Main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=200, help="scenarios to generate (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--costplan", default=".build/release/costplan", help="the costplan executable")
    ap.add_argument("--pricing", default="pricing", help="the shipped rate tables (default pricing)")
    ap.add_argument("--mutations", type=int, default=3, help="mutated copies of the rate tables (0: shipped only)")
    ap.add_argument("--keep", default="differential-failures", help="where failing scenarios are written")
    ap.add_argument("--replay", metavar="FILE", help="check one scenario file (with --pricing) and print the violations")
    ap.add_argument("--shrink", metavar="FILE", help="minimise a failing scenario (with --pricing) and print it")
    ap.add_argument("--kind", help="with --shrink: the kind of violation to keep (default: the first found)")
    ap.add_argument("--show", type=int, default=3, help="examples printed per kind of violation")
    ap.add_argument("--time-limit", type=float, help="start no new scenario after this many seconds (the summary says how many ran)")
    ap.add_argument(
        "--sampled",
        action="store_true",
        help="check the sampling (§10) instead of the point model: scenarios with many ranges, costplan's"
        " `compare --samples N --seed S` against the reference's own sampling at the same N and seed",
    )
    ap.add_argument(
        "--samples", type=int, help="with --sampled: draws per scenario (default 100000; with --replay, the scenario's own)"
    )
    ap.add_argument("--sample-seed", type=int, help="with --sampled: the sampling seed (default: a new one per scenario)")
    ap.add_argument("--max-options", type=int, default=6, help="with --sampled: options per scenario at most (default 6)")
    ap.add_argument("--percentile-tolerance", type=float, help="with --sampled: relative (default 0.02; 1e-6 with --same-draws)")
    ap.add_argument("--probability-tolerance", type=float, help="with --sampled: absolute (default 0.02; 0.001 with --same-draws)")
    ap.add_argument(
        "--same-draws",
        action="store_true",
        help="with --sampled: the reference draws costplan's stream as docs/model.md §10 states it (xoshiro256**),"
        " so the two compare draw for draw, to tight tolerances and without the sampling band",
    )
    args = ap.parse_args(argv)
    if args.percentile_tolerance is None:
        args.percentile_tolerance = 1e-6 if args.same_draws else 0.02
    if args.probability_tolerance is None:
        args.probability_tolerance = 0.001 if args.same_draws else 0.02

    if not os.path.exists(args.costplan):
        sys.exit(f"differential: {args.costplan} not found (swift build -c release --product costplan)")
    costplan = os.path.abspath(args.costplan)

    def sampled_checker(seed):
        def run_check(sc, pdir, costplan_, workdir):
            return check_sampled(
                sc,
                pdir,
                costplan_,
                workdir,
                args.samples,
                seed,
                args.percentile_tolerance,
                args.probability_tolerance,
                "costplan" if args.same_draws else "numpy",
            )

        return run_check

    with tempfile.TemporaryDirectory(prefix="costplan-differential-") as tmp:
        if args.replay or args.shrink:
            with open(args.replay or args.shrink, encoding="utf-8") as f:
                sc = json.load(f)
            checker = check
            if args.sampled:
                seed = args.sample_seed if args.sample_seed is not None else sc.get("uncertainty", {}).get("seed", 1)
                if args.samples is None:
                    args.samples = int(sc.get("uncertainty", {}).get("samples", 100000))
                checker = sampled_checker(seed)
            if args.replay:
                v, rows, worst = checker(sc, args.pricing, costplan, tmp)
                bad = [x for x in v if not x.note]
                what = "percentile" if args.sampled else "cost"
                print(f"{rows} rows, worst {what} difference {worst:.3g} relative, {len(bad)} violation(s), {len(v) - len(bad)} note(s)")
                for x in v:
                    print(f"  [{x.kind}] {x.text}{x.detail and chr(10) + x.detail}")
                return 1 if bad else 0
            best, found = shrink(sc, args.pricing, costplan, tmp, args.kind, checker=checker)
            print(json.dumps(best, indent=1))
            for x in found:
                print(f"  [{x.kind}] {x.text}{x.detail and chr(10) + x.detail}")
            return 1 if found else 0

        if args.samples is None:
            args.samples = 100000
        pricings = [("shipped", os.path.abspath(args.pricing))]
        facts = RateFacts(args.pricing)
        prng = random.Random(f"pricing:{args.seed}")
        for j in range(args.mutations):
            dst = os.path.join(tmp, f"pricing-mutated-{j}")
            mutate_pricing(args.pricing, dst, prng, wild=j % 3 == 2)
            pricings.append((f"mutated-{j}", dst))
            facts.intersect(RateFacts(dst))

        groups = collections.defaultdict(list)
        rows_total = 0
        worst = 0.0
        failing = 0
        runs = 0
        done = 0
        started = time.monotonic()
        for i in range(args.count):
            if args.sampled:
                rng = random.Random(f"sampled:{args.seed}:{i}")
                sc = sampled_scenario(rng, i, facts, args.max_options)
                seed = args.sample_seed if args.sample_seed is not None else rng.randrange(2**32)
                # the seed is kept in the scenario, so that --replay and --shrink sample it alike (`compare
                # --seed` wins over the block; both sides get the same N and seed)
                sc["uncertainty"] = {"samples": args.samples, "seed": seed}
                # sampling is slow: each scenario on one rate table, the shipped ones or a mutated copy in turn
                chosen = [pricings[i % len(pricings)]]
                checker = sampled_checker(seed)
            else:
                rng = random.Random(f"scenario:{args.seed}:{i}")
                sc = scenario(rng, i, facts)
                chosen = [pricings[0]] + ([pricings[1 + i % args.mutations]] if args.mutations else [])
                checker = check
            failed_here = False
            for label, pdir in chosen:
                runs += 1
                v, rows, w = checker(sc, pdir, costplan, tmp)
                rows_total += rows
                worst = max(worst, w)
                if any(not x.note for x in v):
                    failed_here = True
                    os.makedirs(args.keep, exist_ok=True)
                    base = os.path.join(args.keep, f"{sc['name']}-{label}")
                    with open(base + ".json", "w", encoding="utf-8") as f:
                        json.dump(sc, f, indent=1)
                    if label != "shipped":
                        shutil.rmtree(base + "-pricing", ignore_errors=True)
                        shutil.copytree(pdir, base + "-pricing")
                    for x in v:
                        groups[(x.kind, x.option)].append((base + ".json", label, x))
                else:  # notes only: counted, the scenario not kept
                    for x in v:
                        groups[(x.kind, x.option)].append((f"{sc['name']} (not kept)", label, x))
            failing += failed_here
            done += 1
            if (i + 1) % (5 if args.sampled else 25) == 0:
                bad = sum(len(g) for (kind, _), g in groups.items() if not kind.startswith("note"))
                print(f"  {i + 1} scenarios, {bad} violation(s) so far", file=sys.stderr)
            if args.time_limit and time.monotonic() - started > args.time_limit:
                print(f"  stopping after {done} scenarios: --time-limit {args.time_limit:g} s reached", file=sys.stderr)
                break

        total = sum(len(g) for (kind, _), g in groups.items() if not kind.startswith("note"))
        notes = sum(len(g) for (kind, _), g in groups.items() if kind.startswith("note"))
        if args.sampled:
            st = SAMPLED_STATS
            print(
                f"sampled differential check{' (same draws)' if args.same_draws else ''}, seed {args.seed}:"
                f" {done} scenarios at {args.samples} draws"
                f" (shipped rate tables and {args.mutations} mutated copies in turn), {rows_total} option-scale rows,"
                f" {st['rows']} scale rows ({st['contested']} with a winner that changes between draws);"
                f" {st['percentiles']} percentiles, {st['beyond']} of them more than {100 * args.percentile_tolerance:g}%"
                f" apart (worst {100 * st['worstPercentile']:.3g}%), worst share difference {st['worstProbability']:.4f};"
                f" {total} violation(s) in {failing} scenario(s), {notes} note(s) (not violations)"
            )
        else:
            print(
                f"differential check, seed {args.seed}: {done} scenarios ({runs} runs: shipped rate tables"
                f" and {args.mutations} mutated copies), {rows_total} option-scale rows compared,"
                f" worst relative cost error {worst:.3g}; {total} violation(s) in {failing} scenario(s),"
                f" {notes} note(s) (not violations)"
            )
        print("rows by option kind (infeasible among them):")
        for k, (n, bad) in sorted(COVERAGE.items()):
            print(f"  {n:6d} ({bad:5d})  {k}")
        for (kind, opt), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"\n{kind}{' — ' + opt if opt else ''}: {len(items)}")
            for path, label, x in items[: args.show]:
                print(f"  {path} ({label}): {x.text}{x.detail and chr(10) + x.detail}")
        return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
