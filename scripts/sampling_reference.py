#!/usr/bin/env python3
"""An independent NumPy reference for costplan's sampling (docs/model.md §10, MODEL.md v2).

Written from the model text (docs/model.md, the contract MODEL.md v2) and the file formats (docs/formats.md),
not from costplan's Swift sources, so that it checks them. Every option is priced vectorised over N joint
draws of the scenario's ranges, at every scale; per option and scale it reports P10/P50/P90 (nearest rank) of
the monthly cost and of the read p99, the win probability (first by the decision matrix, §6, among the
draw's feasible options) and the cheapest probability (cheapest feasible option).

    python3 scripts/sampling_reference.py --scenario scenarios/conversation-history.json --pricing pricing \\
        --samples 100000 --seed 1 [--json]

Other modes:
    --point                 price each range at its median (the point model), one "draw"
    --check-point FILE      compare the point model with `costplan compare --format json` output (FILE, or -)
    --check-sampled FILE    compare the sampled results with `costplan compare --samples N --format json`
    --generator costplan    draw with costplan's generator as §10 states it (xoshiro256**, SplitMix64, AS 241)
                            instead of NumPy's, so that a sampled check compares draw for draw

Floats (float64) stand in for costplan's Decimal: costs agree to ~1e-12 relative. The generator is NumPy's
default_rng(seed), not costplan's: sampled results agree statistically, not draw for draw (unless --generator
costplan).
"""

import argparse
import json
import math
import os
import sys
import time
from fractions import Fraction
from statistics import NormalDist

import numpy as np

HOURS = 730.0  # a month (§1)
DAYS = 730.0 / 24.0  # D, days a month
GB = float(2**30)  # bytes in a billed GB
Z90 = 1.2815515655446004  # standard normal P90 (§10)
Z99 = 2.3263478740  # standard normal P99 (§5)
SECONDS = 730.0 * 3600.0  # seconds a month
# The standard normal's true quantiles, for a lognormal's percentiles in closed form. Not Z99: that rounded constant
# only turns p50 and p99 into sigma (§5), and a lognormal's 99th percentile is then e^(mu + 2.32634787404084 sigma),
# 4e-11 sigma above the p99 it was given; closed-form and bisected percentiles must agree, or two options whose p99s
# are equal (an auto-paused cluster that is never paused, and one without auto-pause) score apart.
NORMAL_QUANTILE = {0.5: 0.0, 0.99: 2.3263478740408408}
MIN_DURATION_DAYS = {"standard-ia": 30, "glacier-ir": 90, "glacier-flexible": 90, "glacier-deep-archive": 180}

# The fields a range may stand for (§10), in the order their draws are taken.
WORKLOAD_RANGED = [
    "entitiesPerMonth",
    "recordsPerEntity",
    "recordBytes",
    "loadsPerRecord",
    "loadsPerEntity",
    "entityLifetimeMinutes",
    "peakToAverage",
]
OPTION_RANGED = ["cache.hitRatio", "queriesPerSecondPerACU", "perRecordOverheadBytes", "rowOverheadBytes"]
INTEGER_FIELDS = {"recordsPerEntity", "recordBytes"}


# --------------------------------------------------------------------------------------------------------
# Normal distribution without SciPy


_ERFC_EXACT = np.frompyfunc(math.erfc, 1, 1)


def erfc(x):
    """Complementary error function: math.erfc (to the last bit) for arrays of up to 200,000 values, as the point
    model's are; for the larger arrays of sampling a Chebyshev fit (Numerical Recipes' erfcc) with fractional error
    < 1.2e-7 everywhere. Relative accuracy in the tails is what the p99 bisection needs; the fit's 1.2e-7 put a
    mixture's p99 1e-8 below a plain lognormal's when the mixture's other part weighed 1e-157, enough to split the
    decision matrix's scores of two options whose p99s are equal."""
    x = np.asarray(x, dtype=float)
    if x.size <= 200_000:
        return _ERFC_EXACT(x).astype(float)
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (
        1.00002368
        + t
        * (
            0.37409196
            + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))
        )
    )
    ans = t * np.exp(poly)
    return np.where(x >= 0, ans, 2.0 - ans)


def lognormal_survival(x, mu, sigma):
    """P(X > x) for X lognormal(mu, sigma); sigma 0 is the constant e^mu."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lx = np.log(np.maximum(x, 1e-300))
        if sigma == 0:
            return np.where(x < math.exp(mu), 1.0, 0.0)
        return 0.5 * erfc((lx - mu) / (sigma * math.sqrt(2.0)))


# --------------------------------------------------------------------------------------------------------
# Input files


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Rate:
    def __init__(self, service, obj):
        self.service = service
        self.id = obj["id"]
        per = float(obj.get("per", 1))
        if "tiers" in obj:
            self.tiers = []
            lower = 0.0
            for t in obj["tiers"]:
                upper = float(t["upTo"]) if "upTo" in t else math.inf
                self.tiers.append((lower, upper, float(t["price"]) / per))
                lower = upper
            self.unit_price = None
        else:
            self.tiers = None
            self.unit_price = float(obj["price"]) / per
            self.exact_price = Fraction(str(obj["price"])) / Fraction(str(obj.get("per", 1)))
        self.free = float(obj.get("freeQuantity", 0))
        self.minimum = float(obj["minimumQuantity"]) if "minimumQuantity" in obj else None
        attrs = obj.get("attributes", {})
        self.discount = float(attrs.get("savingsPlanDiscount", 0.0))
        self.memory_gib = attrs.get("memoryGiB")

    def cost(self, quantity, free_tier, coverage):
        """Cost of the option's total quantity of this rate in the month (tiers and free quantity apply to the
        total, §3.1), with a savings plan's covered share at the discounted price (§3.6)."""
        q = np.asarray(quantity, dtype=float)
        if free_tier and self.free:
            q = np.maximum(q - self.free, 0.0)
        if self.tiers is None:
            c = q * self.unit_price
        else:
            c = np.zeros_like(q)
            for lower, upper, price in self.tiers:
                c = c + np.clip(q - lower, 0.0, upper - lower) * price
        if coverage and self.discount:
            c = c * ((1.0 - coverage) + coverage * (1.0 - self.discount))
        return c


class Pricing:
    def __init__(self, root, provider, region):
        folder = os.path.join(root, provider, region)
        self.rates = {}
        for service in ("s3", "dynamodb", "elasticache", "aurora", "lambda"):
            path = os.path.join(folder, service + ".json")
            if not os.path.exists(path):
                continue
            for obj in load_json(path)["rates"]:
                self.rates[(service, obj["id"])] = Rate(service, obj)
        self.latency = {}
        for op in load_json(os.path.join(folder, "latency.json"))["operations"]:
            p50, p99 = float(op["p50Ms"]), float(op["p99Ms"])
            self.latency[op["id"]] = (math.log(p50), (math.log(p99) - math.log(p50)) / Z99)

    def rate(self, service, rid):
        try:
            return self.rates[(service, rid)]
        except KeyError:
            sys.exit(f"sampling_reference: rate {service}/{rid} missing from the rate tables")


# --------------------------------------------------------------------------------------------------------
# Ranges and draws (§10)


def is_range(v):
    return isinstance(v, dict) and "low" in v and "high" in v


def range_params(v):
    a, b = float(v["low"]), float(v["high"])
    mu = (math.log(a) + math.log(b)) / 2.0
    sigma = (math.log(b) - math.log(a)) / (2.0 * Z90)
    return mu, sigma


def finish(field, x):
    """Integer fields round half up to at least 1; hitRatio is clamped to [0, 1], peakToAverage to [1, 24]."""
    if field in INTEGER_FIELDS:
        return np.maximum(1.0, np.floor(np.asarray(x, dtype=float) + 0.5))
    if field == "cache.hitRatio":
        return np.clip(x, 0.0, 1.0)
    if field == "peakToAverage":
        return np.clip(x, 1.0, 24.0)
    return np.asarray(x, dtype=float)


def get_path(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def ranged_inputs(scenario):
    """(path, field, option index or None, range) for every range in the scenario, in draw order."""
    out = []
    wl = scenario["workload"]
    for f in WORKLOAD_RANGED:
        if is_range(wl.get(f)):
            out.append(("workload." + f, f, None, wl[f]))
    for i, opt in enumerate(scenario["options"]):
        for f in OPTION_RANGED:
            v = get_path(opt, f)
            if is_range(v):
                out.append((f"options[{i}].{f}", f, i, v))
    return out


MASK64 = (1 << 64) - 1


def costplan_normals(seed, count):
    """The first `count` standard normals of costplan's generator as docs/model.md §10 states it (xoshiro256**
    seeded by four SplitMix64 outputs; a uniform is (top 53 bits + 1/2) × 2^-53; a normal is the inverse normal
    CDF there, AS 241, which is what Python's NormalDist.inv_cdf implements). Only for --generator costplan: it
    lets the sampled check compare draw for draw, not statistically."""
    sm = seed & MASK64
    state = []
    for _ in range(4):
        sm = (sm + 0x9E3779B97F4A7C15) & MASK64
        z = sm
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        state.append(z ^ (z >> 31))
    s0, s1, s2, s3 = state
    inv = NormalDist().inv_cdf
    out = np.empty(count)
    scale = 2.0**-53
    for i in range(count):
        x = (s1 * 5) & MASK64
        x = (((x << 7) | (x >> 57)) & MASK64) * 9 & MASK64
        t = (s1 << 17) & MASK64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & MASK64
        out[i] = inv(((x >> 11) + 0.5) * scale)
    return out


def draw_inputs(scenario, n, seed, point, generator="numpy"):
    """Per ranged input an array of n values (point: the medians, n = 1). generator "numpy" (the default) is
    NumPy's default_rng(seed), one standard_normal(n) per input in turn; "costplan" is costplan's own stream (§10:
    draw i of input j is normal i × k + j), for a draw-for-draw check."""
    inputs = ranged_inputs(scenario)
    rng = np.random.default_rng(seed)
    normals = None
    if generator == "costplan" and not point:
        normals = costplan_normals(seed, n * len(inputs)).reshape(n, len(inputs)) if inputs else None
    values = {}
    for j, (path, field, _, rng_spec) in enumerate(inputs):
        mu, sigma = range_params(rng_spec)
        if point:
            x = np.array([math.sqrt(float(rng_spec["low"]) * float(rng_spec["high"]))])
        elif normals is not None:
            x = np.exp(mu + sigma * normals[:, j])
        else:
            x = np.exp(mu + sigma * rng.standard_normal(n))
        values[path] = finish(field, x)
    return values


# --------------------------------------------------------------------------------------------------------
# Sums over the records of an entity, vectorised


def floor_sum(n, m, a, b):
    """sum_{i=0}^{n-1} floor((a*i + b) / m) for int64 arrays (n >= 0, m > 0, a >= 0, b >= 0)."""
    n, m, a, b = (np.array(np.broadcast_to(v, np.broadcast(n, m, a, b).shape), dtype=np.int64) for v in (n, m, a, b))
    ans = np.zeros(n.shape, dtype=np.int64)
    active = n > 0
    while np.any(active):
        q = a // m
        ans = ans + np.where(active, (n - 1) * n // 2 * q, 0)
        a = a % m
        q = b // m
        ans = ans + np.where(active, n * q, 0)
        b = b % m
        y_max = a * n + b
        active = active & (y_max >= m)
        n_new = y_max // m
        b_new = y_max % m
        m_new = a
        a_new = m
        n = np.where(active, n_new, 0)
        b = np.where(active, b_new, 0)
        m = np.where(active, m_new, 1)
        a = np.where(active, a_new, 0)
    return ans


def sum_ceil(R, num, c, den):
    """sum_{k=1}^{R} ceil((c + k * num) / den) for integer arrays."""
    # ceil(y / den) = floor((y + den - 1) / den); with i = k - 1: (num * i + num + c + den - 1)
    return floor_sum(R, den, num, num + c + den - 1).astype(float)


def ceil_div(x, d):
    return np.ceil(np.asarray(x, dtype=float) / d)


# --------------------------------------------------------------------------------------------------------
# Workload at one scale (§2, §9)


class Workload:
    def __init__(self, scenario, values, scale, n, memo=None):
        wl = scenario["workload"]
        self.memo = {} if memo is None else memo  # results that do not depend on the scale

        def val(field, default=None):
            path = "workload." + field
            if path in values:
                return values[path]
            v = wl.get(field, default)
            if is_range(v):  # only in point mode without values: median
                v = math.sqrt(float(v["low"]) * float(v["high"]))
            if v is None:
                return None
            return finish(field, np.full(1, float(v)))

        self.n = n
        self.scale = scale
        self.E = val("entitiesPerMonth") * scale
        self.R = val("recordsPerEntity")
        self.B = val("recordBytes")
        self.K = float(wl.get("keyBytes", 64))
        self.Lr = val("loadsPerRecord", 0)
        self.Le = val("loadsPerEntity", 0)
        self.L = val("entityLifetimeMinutes", 0)
        self.T = float(wl["retentionDays"]) if "retentionDays" in wl else math.inf
        self.H = float(scenario.get("horizonMonths", 12))
        self.archive = wl.get("archive")
        self.W = self.E * self.R
        self.loads_per_entity = self.R * self.Lr + self.Le
        self.LOADS = self.E * self.loads_per_entity
        self.requests = self.W + self.LOADS
        self.session_requests = self.R * (1 + self.Lr) + self.Le
        self.rho = min(self.T / DAYS, self.H)
        self.lam = self.E / 730.0  # sessions an hour
        self.gap = np.where(self.R > 1, self.L / np.maximum(self.R - 1, 1), 0.0)
        # Hourly multipliers m_h (§9), kept as the day's distinct values m (shape (n or 1, J)) and the number of
        # hours at each (hours, same shape): a sum over the 24 hours is sum(hours * f(m)).
        if "hourlyProfile" in wl:
            w = np.array([float(x) for x in wl["hourlyProfile"]])
            m_all = 24.0 * w / w.sum()
            values, counts = np.unique(m_all, return_counts=True)
            self.m = values[None, :]
            self.hours = counts.astype(float)[None, :]
        else:
            P = val("peakToAverage", 3)
            k = np.minimum(6.0, np.floor(24.0 / P))
            b = (24.0 - k * P) / (24.0 - k)
            self.m = np.stack([P, b], axis=1)
            self.hours = np.stack([k, 24.0 - k], axis=1)
        self.q = self.requests[:, None] * self.m / SECONDS  # requests a second in each kind of hour
        self.peak_q = np.where(self.hours > 0, self.q, -np.inf).max(axis=1)

    def cached(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def day_sum(self, f):
        """sum over the 24 hours of f (an array over the day's distinct multipliers)."""
        return np.sum(self.hours * f, axis=1)

    def day_max(self, f):
        return np.where(self.hours > 0, f, -np.inf).max(axis=1)

    # archive residency (§2)
    def archive_residency(self):
        a = float(self.archive["afterDays"])
        retain = float(self.archive["retainDays"]) if "retainDays" in self.archive else math.inf
        r = retain - a
        m = MIN_DURATION_DAYS[self.archive["storageClass"]]
        return max(0.0, min(max(r, m) / DAYS, self.H - a / DAYS)), max(0.0, min(r / DAYS, self.H - a / DAYS))


# --------------------------------------------------------------------------------------------------------
# Latency distributions (§5)
#
# A distribution is a mixture: a list of (weight array or float, component). Components:
#   ("ln", op, shift)       lognormal operation op, plus a constant (ms)
#   ("maxk", op, k)         the slowest of k (array) independent copies of op
#   ("sum", op_a, op_b, k)  op_a plus the slowest of k copies of op_b (S3 LIST + k GETs)
# The p-quantile is found by bisection on the mixture's survival function, vectorised over draws.


def component_survival(pricing, comp, x):
    kind = comp[0]
    if kind == "ln":
        mu, sigma = pricing.latency[comp[1]]
        shift = comp[2]
        if shift == 0:
            return lognormal_survival(x, mu, sigma)
        return np.where(x > shift, lognormal_survival(np.maximum(x - shift, 1e-300), mu, sigma), 1.0)
    if kind == "maxk":
        mu, sigma = pricing.latency[comp[1]]
        s = lognormal_survival(x, mu, sigma)
        return -np.expm1(comp[2] * np.log1p(-np.minimum(s, 1 - 1e-16)))
    if kind == "sum":
        return sum_survival(pricing, comp, x)
    raise ValueError(kind)


def inverse_normal(p):
    """Phi^-1 of an array of probabilities (statistics.NormalDist, elementwise: no SciPy)."""
    nd = NormalDist()
    return np.vectorize(lambda v: nd.inv_cdf(min(max(float(v), 1e-300), 1 - 1e-16)))(p)


def sum_survival(pricing, comp, x):
    """P(A + M > x), A the lognormal comp[1], M the slowest of k = comp[3] copies of the lognormal comp[2]:
    1 - integral over A's normal variate z of phi(z) F_M(x - e^(mu + sigma z)), F_M(y) = Phi(w(y))^k.

    The integrand falls from phi(z) to 0 where x - e^(mu + sigma z) crosses M's range, which can be a sliver of the
    z axis (a LIST with a wide spread, GETs with a narrow one), so the panels end both at even steps of z and at
    the z of M's quantiles at even steps of its own variate w (where Phi(w)^k runs from 1e-18 to 1 - 1e-18);
    each panel is a Gauss-Legendre rule. Finer for the point model (one draw) than for sampling."""
    mu_a, s_a = pricing.latency[comp[1]]
    mu_b, s_b = pricing.latency[comp[2]]
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    k = np.broadcast_to(np.asarray(comp[3], dtype=float), (n,))
    even, levels, order = (200, 400, 8) if n <= 64 else (48, 96, 4)
    z_lo = -9.0
    z_hi = np.maximum((np.log(x) - mu_a) / s_a, z_lo)  # A is below x
    steps = z_lo + (z_hi[:, None] - z_lo) * np.linspace(0.0, 1.0, even + 1)[None, :]
    # M's variate w from where F_M = 1e-18 to where 1 - F_M = 1e-18
    w_lo = inverse_normal(np.exp(np.log(1e-18) / k))
    w_hi = -inverse_normal(1e-18 / k)
    w = w_lo[:, None] + (w_hi - w_lo)[:, None] * np.linspace(0.0, 1.0, levels + 1)[None, :]
    y = np.exp(mu_b + s_b * w)
    with np.errstate(divide="ignore", invalid="ignore"):
        zq = np.where(y < x[:, None], (np.log(np.maximum(x[:, None] - y, 1e-300)) - mu_a) / s_a, z_hi[:, None])
    ends = np.sort(np.concatenate([steps, np.clip(zq, z_lo, z_hi[:, None])], axis=1), axis=1)
    nodes, weights = np.polynomial.legendre.leggauss(order)
    half = (ends[:, 1:] - ends[:, :-1]) / 2.0
    mid = (ends[:, 1:] + ends[:, :-1]) / 2.0
    z = mid[..., None] + half[..., None] * nodes  # (n, panels, order)
    a = np.exp(mu_a + s_a * z)
    rest = np.maximum(x[:, None, None] - a, 1e-300)
    sb = lognormal_survival(rest, mu_b, s_b)
    fm = np.exp(k[:, None, None] * np.log1p(-np.minimum(sb, 1 - 1e-16)))
    fm = np.where(x[:, None, None] > a, fm, 0.0)
    phi = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    cdf = np.sum(half[..., None] * weights * phi * fm, axis=(1, 2))  # P(z < -9) < 1e-18 is left out
    return np.clip(1.0 - cdf, 0.0, 1.0)


def log_phi(z):
    """ln Phi(z), accurate in both tails (math.erfc down to z = -37, then the asymptotic series)."""
    if z >= 0:
        return math.log1p(-0.5 * math.erfc(z / math.sqrt(2.0)))
    if z > -37:
        return math.log(0.5 * math.erfc(-z / math.sqrt(2.0)))
    r = 1.0 / (z * z)
    return -0.5 * z * z - math.log(-z * math.sqrt(2 * math.pi)) + math.log(1 - r * (1 - r * (3 - r * (15 - r * 105))))


def log_add(a, b):
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    hi, lo = max(a, b), min(a, b)
    return hi + math.log1p(math.exp(lo - hi))


def log_tails(pricing, comp, x, row):
    """(ln F(x), ln (1 - F(x))) of one component, each accurate where it is tiny (for mixture_reaches)."""
    kind = comp[0]
    if kind == "ln":
        mu, sigma = pricing.latency[comp[1]]
        y = x - comp[2]
        if y <= 0:
            return -math.inf, 0.0
        if sigma == 0:
            return (0.0, -math.inf) if y >= math.exp(mu) else (-math.inf, 0.0)
        z = (math.log(y) - mu) / sigma
        return log_phi(z), log_phi(-z)
    if kind == "maxk":
        k = float(np.broadcast_to(np.asarray(comp[2], dtype=float), (row + 1,))[row]) if np.ndim(comp[2]) else float(comp[2])
        lower, _ = log_tails(pricing, ("ln", comp[1], 0.0), x, row)
        return k * lower, math.log(-math.expm1(k * lower)) if k * lower < 0 else -math.inf
    if kind == "sum":
        # A (comp[1]) plus M, the slowest of k copies of comp[2], over M's value y = x / (1 + e^-u):
        # F(x) = integral of f_M(y) F_A(x - y) dy, 1 - F(x) = S_M(x) + integral of f_M(y) S_A(x - y) dy, with
        # f_M(y) = k Phi(w)^(k-1) phi(w) / (sigma_b y), summed in logarithms (trapezoid, 0.02 in u over [-60, 60]).
        mu_a, s_a = pricing.latency[comp[1]]
        mu_b, s_b = pricing.latency[comp[2]]
        k = float(np.asarray(comp[3], dtype=float).reshape(-1)[row if np.ndim(comp[3]) else 0])
        if x <= 0:
            return -math.inf, 0.0
        u = np.linspace(-60.0, 60.0, 6001)
        log_share = -np.log1p(np.exp(-u))  # ln (y / x)
        log_rest = -np.log1p(np.exp(u))  # ln ((x - y) / x)
        w = (math.log(x) + log_share - mu_b) / s_b
        log_phi_w = np.array([log_phi(v) for v in w])
        # ln of f_M(y) dy/du = k Phi(w)^(k-1) phi(w) / s_b * (1 - y / x)
        base = math.log(k) + (k - 1) * log_phi_w - 0.5 * w * w - math.log(s_b * math.sqrt(2 * math.pi)) + log_rest
        za = (math.log(x) + log_rest - mu_a) / s_a
        lower = base + np.array([log_phi(v) for v in za])
        upper = base + np.array([log_phi(-v) for v in za])
        step = math.log(u[1] - u[0])

        def lse(t):
            m = np.max(t)
            return m + math.log(np.sum(np.exp(t - m))) if m > -math.inf else -math.inf

        log_s_m = math.log(-math.expm1(k * log_phi((math.log(x) - mu_b) / s_b))) if log_phi((math.log(x) - mu_b) / s_b) < 0 else -math.inf
        return lse(lower) + step, log_add(log_s_m, lse(upper) + step)
    raise ValueError(kind)


def mixture_reaches(pricing, parts, p, x, row):
    """Whether the mixture's CDF at x reaches p, on its parts' tails: a part past its median at x counts as its
    weight less its upper tail, the others as their lower tail, so that F(x) - p = (sum of those weights - p) -
    sum w S + sum w F loses nothing when the weights past their median add up to p exactly (docs/model.md §5)."""
    constant, gains, losses = -p, -math.inf, -math.inf
    for w, c in parts:
        if w <= 0:
            continue
        lower, upper = log_tails(pricing, c, x, row)
        if lower >= -math.log(2.0):
            constant += w
            losses = log_add(losses, math.log(w) + upper)
        else:
            gains = log_add(gains, math.log(w) + lower)
    if constant == 0:
        return gains >= losses
    return constant + math.exp(gains) - math.exp(losses) >= 0


def component_quantile_bounds(pricing, comp, p):
    """A bracket (lo, hi) of the component's p-quantile."""
    kind = comp[0]
    if kind == "ln":
        mu, sigma = pricing.latency[comp[1]]
        v = math.exp(mu + sigma * NORMAL_QUANTILE[p]) + comp[2]
        return v, v
    mu, sigma = pricing.latency[comp[1]]
    lo = math.exp(mu - 10.0 * sigma)
    hi = math.exp(mu + 10.0 * sigma)
    if kind == "sum":
        mu_b, s_b = pricing.latency[comp[2]]
        hi += math.exp(mu_b + 10.0 * s_b)
    return lo, hi


def mixture_quantile(pricing, mixture, p, n):
    """(quantiles, undecided): the p-quantile of a mixture, one per draw (length n), by bisection in log space to
    1e-12 relative; and whether any draw was left undecided. The tails' decision (a 99% hit ratio and the p99,
    docs/model.md §6) is made for up to 64 draws only: it integrates in Python, row by row. Where more draws reach
    the CDF's flat stretch, their quantiles are the stretch's start, not the crossing, and they are undecided (a
    limitation of this reference, reported as such, never compared)."""
    weights = [np.broadcast_to(np.asarray(w, dtype=float), (n,)) for w, _ in mixture]
    comps = [c for _, c in mixture]
    # components whose parameters vary by draw carry arrays (k of "maxk"/"sum")
    lo = np.full(n, np.inf)
    hi = np.full(n, 0.0)
    for w, c in zip(weights, comps):
        a, b = component_quantile_bounds(pricing, c, p)
        used = w > 0
        lo = np.where(used, np.minimum(lo, a), lo)
        hi = np.where(used, np.maximum(hi, b), hi)
    llo = np.log(lo) - 1e-9
    lhi = np.log(hi) + 1e-9
    target = 1.0 - p
    undecided = np.zeros(n, dtype=bool)

    def survival(x):
        s = np.zeros(n)
        for w, c in zip(weights, comps):
            s = s + w * component_survival(pricing, c, x)
        return s

    while np.max(lhi - llo) > 1e-12:
        lmid = 0.5 * (llo + lhi)
        x = np.exp(lmid)
        s = survival(x)
        above = s > target  # the quantile is above x
        band = np.abs(s - target) <= 1e-12
        if n <= 64:
            # where the survival is within 1e-12 of 1 - p, decide on the parts' tails (a 99% hit ratio and the p99)
            for j in np.nonzero(band)[0]:
                above[j] = not mixture_reaches(pricing, [(float(np.broadcast_to(w, (n,))[j]), c) for w, c in zip(weights, comps)], p, float(x[j]), j)
        elif np.any(band):
            undecided |= band
        llo = np.where(above, lmid, llo)
        lhi = np.where(above, lhi, lmid)
    q = np.exp(0.5 * (llo + lhi))
    if np.any(undecided):
        # An ordinary crossing also passes within 1e-12 of 1 - p as the bracket closes in; only where the survival
        # is still that close 1e-6 lower is the quantile in a flat stretch, and undecided here.
        undecided &= np.abs(survival(q * (1 - 1e-6)) - target) <= 1e-12
    return q, bool(np.any(undecided))


def quantile(pricing, mixture, p, n, params=()):
    """mixture_quantile, computed once per distinct row of the draw-dependent parameters (params: the arrays
    the mixture's weights and component parameters are functions of): (quantiles, undecided)."""
    simple = [c for _, c in mixture]
    if len(mixture) == 1 and simple[0][0] == "ln":
        mu, sigma = pricing.latency[simple[0][1]]
        return np.full(n, math.exp(mu + sigma * NORMAL_QUANTILE[p]) + simple[0][2]), False
    cols = [np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in params]
    if not cols:
        q, undecided = mixture_quantile(pricing, mixture, p, 1)
        return np.full(n, q[0]), undecided
    if len(cols) == 1:
        _, first, inverse = np.unique(cols[0], return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(np.stack(cols, axis=1), axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if len(first) > n // 2:  # mostly distinct: no point in deduplicating
        first, inverse = np.arange(n), None
    sub = []
    for w, c in mixture:
        w_arr = np.broadcast_to(np.asarray(w, dtype=float), (n,))[first]
        c2 = tuple(v[first] if isinstance(v, np.ndarray) and v.shape == (n,) else v for v in c)
        sub.append((w_arr, c2))
    q, undecided = mixture_quantile(pricing, sub, p, len(first))
    return (q if inverse is None else q[inverse]), undecided


# --------------------------------------------------------------------------------------------------------
# Options (§3)


class Priced:
    """One option at one scale: total monthly cost, feasibility, read and write p99 (arrays over draws)."""

    def __init__(self, n):
        self.quantities = {}  # (service, rate id) -> quantity array
        self.direct = np.zeros(n)  # costs computed per draw outside the rate totals (ElastiCache nodes)
        self.feasible = np.ones(n, dtype=bool)
        self.read99 = None
        self.write99 = None
        self.read50 = None
        self.write50 = None

    def add(self, service, rid, qty):
        key = (service, rid)
        self.quantities[key] = self.quantities.get(key, 0.0) + np.asarray(qty, dtype=float)


def add_archive(pr, w, is_s3, objects_month, object_size):
    """§3.5: archive lines. For S3 options the caller has already handled the small-object rule."""
    cls = w.archive["storageClass"]
    rho_a, _ = w.archive_residency()
    stock = objects_month * rho_a
    pr.add("s3", "requests-" + cls, objects_month)
    if cls in ("glacier-flexible", "glacier-deep-archive"):
        pr.add("s3", "storage-" + cls, stock * (object_size + 32768.0) / GB)
        pr.add("s3", "storage-standard", stock * 8192.0 / GB)
    else:
        pr.add("s3", "storage-" + cls, stock * np.maximum(object_size, 131072.0) / GB)


def add_archive_masked(pr, w, objects_month, object_size, mask):
    """Archive lines for the draws in mask only (S3 objects of 128 KB and more, or transitioned anyway)."""
    add_archive(pr, w, True, np.where(mask, objects_month, 0.0), object_size)


def option_value(opt, field, values, index, default):
    path = f"options[{index}].{field}"
    if path in values:
        return values[path]
    v = get_path(opt, field)
    if v is None:
        return finish(field, np.full(1, float(default)))
    if is_range(v):
        v = math.sqrt(float(v["low"]) * float(v["high"]))
    return finish(field, np.full(1, float(v)))


def price_s3(pricing, opt, idx, w, values):
    n = w.n
    pr = Priced(n)
    layout = opt.get("layout", "object-per-entity")
    cache = opt.get("cache")
    T_hot = w.T
    if w.archive:
        T_hot = min(T_hot, float(w.archive["afterDays"]))
    rho = min(T_hot / DAYS, w.H)
    h = np.zeros(n)
    if cache is not None:
        if "model" in cache:
            handler = float(cache.get("handlerMs", 1500))
            idle = float(cache.get("idleTimeoutMinutes", 10))
            c = np.maximum(1.0, np.ceil(w.peak_q * handler / 1000.0))
            nreq = w.session_requests
            warm = (w.gap <= idle).astype(float)
            h = (nreq - 1.0) / nreq / c * warm
        else:
            h = np.broadcast_to(option_value(opt, "cache.hitRatio", values, idx, 0), (n,)).astype(float)
        extra = float(cache.get("extraMemoryMB", 0))
        if extra > 0:
            handler = float(cache.get("handlerMs", 1500))
            pr.add("lambda", "gb-second (no free tier)", w.requests * handler / 1000.0 * extra / 1024.0)
    miss = 1.0 - h
    if layout == "object-per-entity":
        pr.add("s3", "requests-tier1", w.W)
        pr.add("s3", "requests-tier2", w.LOADS * miss)
        objects_month = w.E
        size = w.K + w.R * w.B
        read = [("ln", "s3.get", 0.0)]
        read_params = ()
    else:
        R = w.R
        sum_k = R * (R + 1) / 2.0
        gets = w.E * (w.Lr * sum_k + w.Le * R)
        # sum_{k=1}^{R} ceil(k / 1000)
        lists_per_pass = w.cached("lists", lambda: sum_ceil(np.broadcast_to(R, (n,)).astype(np.int64), 1, 0, 1000))
        lists = w.E * (w.Lr * lists_per_pass + w.Le * np.ceil(R / 1000.0))
        pr.add("s3", "requests-tier1", w.W + lists * miss)
        pr.add("s3", "requests-tier2", gets * miss)
        objects_month = w.W
        size = w.K + w.B
        per_entity_loads = w.Lr * R + w.Le
        mean_k = np.where(per_entity_loads > 0, (w.Lr * sum_k + w.Le * R) / np.where(per_entity_loads > 0, per_entity_loads, 1), R)
        mean_k = np.broadcast_to(mean_k, (n,)).astype(float)
        read = [("sum", "s3.list", "s3.get", mean_k)]
        read_params = (mean_k,)
    size = np.broadcast_to(size, (n,)).astype(float)
    objects_month = np.broadcast_to(objects_month, (n,)).astype(float)
    pr.add("s3", "storage-standard", objects_month * rho * size / GB)
    if w.archive:
        _, months_std = w.archive_residency()
        small = (size < 131072.0) & (not w.archive.get("transitionSmallObjects", False))
        pr.add("s3", "storage-standard", np.where(small, objects_month * months_std * size / GB, 0.0))
        add_archive_masked(pr, w, objects_month, size, ~small)
    # latency
    if cache is not None:
        mix = [(h, ("ln", "cache.hit", 0.0))] + [(miss, c) for c in read]
        params = (h,) + tuple(read_params)
    else:
        mix = [(1.0, c) for c in read]
        params = tuple(read_params)
    pr.read_mix, pr.read_params = mix, params
    pr.write_mix, pr.write_params = [(1.0, ("ln", "s3.put", 0.0))], ()
    return pr


def price_dynamodb(pricing, opt, idx, w, values):
    n = w.n
    pr = Priced(n)
    sfx = "-standard-ia" if opt.get("tableClass", "standard") == "standard-ia" else ""
    layout = opt.get("layout", "item-per-record")
    half = 1.0 if opt.get("consistentReads", False) else 0.5
    lag = float(opt.get("ttlLagDays", 2))
    rho = min((w.T + lag) / DAYS, w.H)
    R = np.broadcast_to(w.R, (n,)).astype(np.int64)
    B = np.broadcast_to(w.B, (n,)).astype(np.int64)
    K = int(w.K)
    if layout == "item-per-record":
        I = K + B
        wru = w.E * w.R * ceil_div(I, 1024)
        rru = w.E * half * (w.Lr * w.cached("query", lambda: sum_ceil(R, I, 0, 4096)) + w.Le * ceil_div(R * I, 4096))
        items = w.W * rho
        item_bytes = I + 100.0
        # The 400 KB item limit (§3.2 states it for item-per-entity) holds for one record's item too; costplan
        # applies it here as well.
        pr.feasible &= I <= 409600
        read_op, write_op = "dynamodb.query", "dynamodb.putItem"
    else:
        wru = w.E * w.cached("update", lambda: sum_ceil(R, B, K, 1024))
        rru = w.E * half * (w.Lr * w.cached("getitem", lambda: sum_ceil(R, B, K, 4096)) + w.Le * ceil_div(K + R * B, 4096))
        items = w.E * rho
        item_bytes = K + R * B + 100.0
        pr.feasible &= (K + R * B) <= 409600
        read_op, write_op = "dynamodb.getItem", "dynamodb.updateItem"
    if opt.get("capacity", "on-demand") == "provisioned":
        u = float(opt.get("targetUtilization", 0.7))
        for kind, units, minimum, reserved in (
            ("wcu", wru, float(opt.get("minWCU", 1)), float(opt.get("reservedWCU", 0))),
            ("rcu", rru, float(opt.get("minRCU", 1)), float(opt.get("reservedRCU", 0))),
        ):
            per_second = np.broadcast_to(units, (n,))[:, None] * w.m / SECONDS
            prov = np.maximum(minimum, np.floor(per_second / u + 0.5))
            billed = w.day_sum(np.maximum(0.0, prov - reserved))
            pr.add("dynamodb", f"{kind}-hour{sfx}", DAYS * billed)
            if reserved > 0:
                term = opt.get("reservedTerm", "1y")
                years = 3.0 if term == "3y" else 1.0
                pr.add("dynamodb", f"reserved-{kind}-100:{term}", np.full(n, reserved / 100.0 * 730.0))
                pr.add("dynamodb", f"reserved-{kind}-100:{term}-upfront", np.full(n, reserved / 100.0 / (12.0 * years)))
    else:
        pr.add("dynamodb", f"write-request-unit{sfx}", wru)
        pr.add("dynamodb", f"read-request-unit{sfx}", rru)
    gb = items * item_bytes / GB
    pr.add("dynamodb", f"storage{sfx}", gb)
    if opt.get("pitr", False):
        pr.add("dynamodb", f"pitr-storage{sfx}", gb)
    if w.archive:
        add_archive(pr, w, False, np.broadcast_to(w.E, (n,)), np.broadcast_to(w.K + w.R * w.B, (n,)))
    pr.read_mix, pr.read_params = [(1.0, ("ln", read_op, 0.0))], ()
    pr.write_mix, pr.write_params = [(1.0, ("ln", write_op, 0.0))], ()
    return pr


class NodeChooser:
    """ElastiCache node type and shard count (§3.3), exact on ties: candidates sorted once by (monthly cost,
    shards, memory) with exact fractions; a need picks the first candidate that holds it."""

    def __init__(self, pricing, engine, node_type, shards, replicas, reservation):
        self.types = []  # (name, memory GiB, exact monthly cost of one node, rate ids)
        for (service, rid), rate in pricing.rates.items():
            if service != "elasticache" or not rid.startswith("node:"):
                continue
            _, name, eng = rid.split(":")
            if eng != engine:
                continue
            if reservation:
                term, payment = reservation["term"], reservation["payment"]
                hourly = pricing.rates.get(("elasticache", f"node-reserved:{name}:{engine}:{term}:{payment}"))
                upfront = pricing.rates.get(("elasticache", f"node-reserved-upfront:{name}:{engine}:{term}:{payment}"))
                if hourly is None or upfront is None:
                    continue
                years = 3 if term == "3y" else 1
                monthly = hourly.exact_price * 730 + upfront.exact_price / (12 * years)
                per_node = float(hourly.unit_price) * 730.0 + float(upfront.unit_price) / (12.0 * years)
                discounts = (hourly, upfront)
            else:
                monthly = rate.exact_price * 730
                per_node = rate.unit_price * 730.0
                discounts = (rate,)
            self.types.append((name, float(rate.memory_gib), monthly, per_node, discounts))
        self.replicas = replicas
        self.node_type = node_type
        self.shards = shards
        per_shard = 1 + replicas
        if node_type == "auto":
            counts = range(1, 501) if shards == "auto" else [int(shards)]
            # exact monthly costs as integers over a common denominator, so that ties are ties
            denominator = math.lcm(*(t[2].denominator for t in self.types))
            cands = []
            for t in self.types:
                per_node = t[2].numerator * (denominator // t[2].denominator)
                for s in counts:
                    cands.append((per_node * s * per_shard, s, t[1], t))
            cands.sort(key=lambda c: (c[0], c[1], c[2]))
            self.cand_type = [c[3] for c in cands]
            self.cand_shards = np.array([c[1] for c in cands], dtype=float)
            cap = np.array([c[1] * usable(c[2]) for c in cands])
            self.prefix_cap = np.maximum.accumulate(cap)
            biggest = max(self.types, key=lambda t: (t[1], -t[2]))
            self.fallback = (biggest, 500 if shards == "auto" else int(shards))
        else:
            match = [t for t in self.types if t[0] == node_type]
            if not match:
                sys.exit(f"sampling_reference: node type {node_type} ({engine}) not in the rate table")
            self.named = match[0]

    def choose(self, need):
        """-> (type index per draw into a list, shards, feasible)"""
        need = np.asarray(need, dtype=float)
        if self.node_type == "auto":
            idx = np.searchsorted(self.prefix_cap, need, side="left")
            feasible = idx < len(self.cand_type)
            types = self.cand_type + [self.fallback[0]]
            shards = np.append(self.cand_shards, float(self.fallback[1]))
            idx = np.where(feasible, idx, len(self.cand_type))
            return idx, types, shards[idx], feasible
        t = self.named
        cap = usable(t[1])
        if self.shards == "auto":
            s = np.maximum(1.0, np.ceil(need / cap))
            feasible = s <= 500
            s = np.minimum(s, 500.0)
            # need / s must fit
            feasible &= need / s <= cap
        else:
            s = np.full(need.shape, float(self.shards))
            feasible = need / s <= cap
        return np.zeros(need.shape, dtype=np.int64), [t], s, feasible


def usable(memory_gib):
    return 0.75 * memory_gib * GB


def price_elasticache(pricing, opt, idx, w, values, choosers):
    n = w.n
    pr = Priced(n)
    engine = opt.get("engine", "valkey")
    mode = opt.get("mode", "node")
    overhead = option_value(opt, "perRecordOverheadBytes", values, idx, 400)
    resident = w.W * w.rho
    coverage = float(opt["savingsPlan"]["coverage"]) if "savingsPlan" in opt else 0.0
    if mode == "node":
        key = opt["id"]
        if key not in choosers:
            choosers[key] = NodeChooser(
                pricing,
                engine,
                opt.get("nodeType", "auto"),
                opt.get("shards", 1),
                int(opt.get("replicas", 0)),
                opt.get("reservation"),
            )
        ch = choosers[key]
        need = np.broadcast_to(resident * (w.K + w.B + overhead), (n,))
        tidx, types, shards, feasible = ch.choose(need)
        pr.feasible &= feasible
        nodes = shards * (1 + ch.replicas)
        per_node = np.array([t[3] for t in types])
        disc = np.array([1.0 - coverage * max(r.discount for r in t[4]) if coverage else 1.0 for t in types])
        pr.direct = pr.direct + nodes * per_node[tidx] * disc[tidx]
        pr.choice = (tidx, types, shards)
        pr.read_mix = [(1.0, ("ln", "elasticache.read", 0.0))]
        pr.write_mix = [(1.0, ("ln", "elasticache.write", 0.0))]
    else:
        storage = pricing.rate("elasticache", f"serverless-storage:{engine}")
        # "resident GB" read as the memory the records take, overhead included (as node mode sizes memory;
        # the model text does not say; costplan does the same)
        gb = resident * (w.K + w.B + overhead) / GB
        pr.add("elasticache", f"serverless-storage:{engine}", np.maximum(gb, storage.minimum or 0.0) * 730.0)
        I = w.K + w.B
        R = np.broadcast_to(w.R, (n,)).astype(float)
        per_load_k = I / 1024.0
        k0 = np.minimum(R, np.floor(1023.0 / I))  # loads of k <= k0 records transfer under 1 KB: 1 ECPU
        sum_k_above = R * (R + 1) / 2.0 - k0 * (k0 + 1) / 2.0
        pass_ecpu = k0 + per_load_k * sum_k_above
        ecpu = w.W * np.maximum(1.0, I / 1024.0) + w.E * (w.Lr * pass_ecpu + w.Le * np.maximum(1.0, R * I / 1024.0))
        pr.add("elasticache", f"serverless-ecpu:{engine}", ecpu)
        pr.read_mix = [(1.0, ("ln", "elasticache-serverless.read", 0.0))]
        pr.write_mix = [(1.0, ("ln", "elasticache-serverless.write", 0.0))]
    pr.read_params = pr.write_params = ()
    if w.archive:
        add_archive(pr, w, False, np.broadcast_to(w.E, (n,)), np.broadcast_to(w.K + w.R * w.B, (n,)))
    return pr


def price_aurora(pricing, opt, idx, w, values):
    n = w.n
    pr = Priced(n)
    min_acu = float(opt.get("minACU", 0.5))
    max_acu = float(opt.get("maxACU", 16))
    pause = float(opt.get("autoPauseMinutes", 5))
    io_opt = bool(opt.get("ioOptimized", False))
    readers = int(opt.get("readers", 0))
    qps = option_value(opt, "queriesPerSecondPerACU", values, idx, 250)
    row = option_value(opt, "rowOverheadBytes", values, idx, 850)
    read_ios = float(opt.get("readIOsPerLoad", 0))
    a = w.q / qps[:, None]
    c = np.maximum(max(min_acu, 0.5), np.ceil(2.0 * a) / 2.0)
    pr.feasible &= np.broadcast_to(w.day_max(a) <= max_acu, (n,))
    lam_h = w.lam[:, None] * w.m
    if min_acu > 0:
        f = 1.0
    else:
        f = -np.expm1(-lam_h * (w.L[:, None] + pause) / 60.0)
    acu_hours = DAYS * w.day_sum(f * c) * (1 + readers)
    pr.add("aurora", "acu-hour-io-optimized" if io_opt else "acu-hour", acu_hours)
    pr.add("aurora", "storage-io-optimized" if io_opt else "storage", w.W * w.rho * (w.K + w.B + row) / GB)
    if not io_opt:
        pr.add("aurora", "io-request", w.W * (np.ceil((w.K + w.B) / 4096.0) + 1.0) + w.LOADS * read_ios)
    if w.archive:
        add_archive(pr, w, False, np.broadcast_to(w.E, (n,)), np.broadcast_to(w.K + w.R * w.B, (n,)))
    pr.read_mix, pr.read_params = [(1.0, ("ln", "aurora.select", 0.0))], ()
    if min_acu > 0:
        pr.write_mix, pr.write_params = [(1.0, ("ln", "aurora.insert", 0.0))], ()
    else:
        p = w.day_sum((w.m / 24.0) * np.exp(-lam_h * (w.L[:, None] + pause) / 60.0))
        pw = np.broadcast_to(p / w.R, (n,))
        resume_mu, resume_sigma = pricing.latency["aurora.resume"]
        if resume_sigma != 0:
            sys.exit("sampling_reference: aurora.resume must be a constant (p50 = p99)")
        pr.write_mix = [(1.0 - pw, ("ln", "aurora.insert", 0.0)), (pw, ("ln", "aurora.insert", math.exp(resume_mu)))]
        pr.write_params = (pw,)
    return pr


TRAITS = {  # (durability, ttl, operations) per §6
    "s3": (1.0, 0.75, 1.0),
    "s3-cache": (1.0, 0.75, 0.7),
    "dynamodb": (1.0, 1.0, 0.9),
    "elasticache": (0.0, 1.0, 0.4),
    "aurora-serverless-v2": (1.0, 0.25, 0.3),
}


def traits(opt):
    if opt["service"] == "s3" and "cache" in opt:
        return TRAITS["s3-cache"]
    if opt["service"] == "elasticache" and (opt.get("mode") == "serverless" or int(opt.get("replicas", 0)) > 0):
        # §3.3 calls ElastiCache volatile because a node failure without replicas loses the data; read here
        # (as costplan does) as: with replicas, or serverless (which replicates across AZs), it is durable.
        return (1.0, 1.0, 0.4)
    return TRAITS[opt["service"]]


def price_option(pricing, opt, idx, w, values, choosers):
    svc = opt["service"]
    if svc == "s3":
        pr = price_s3(pricing, opt, idx, w, values)
    elif svc == "dynamodb":
        pr = price_dynamodb(pricing, opt, idx, w, values)
    elif svc == "elasticache":
        pr = price_elasticache(pricing, opt, idx, w, values, choosers)
    elif svc == "aurora-serverless-v2":
        pr = price_aurora(pricing, opt, idx, w, values)
    else:
        sys.exit(f"sampling_reference: unknown service {svc}")
    free_tier = bool(opt.get("freeTier", False))
    coverage = float(opt["savingsPlan"]["coverage"]) if "savingsPlan" in opt else 0.0
    total = np.broadcast_to(pr.direct, (w.n,)).astype(float)
    pr.line_costs = {}
    for (service, rid), qty in pr.quantities.items():
        if rid == "gb-second (no free tier)":  # §3.1: the cache's Lambda memory never takes the free tier
            cost = pricing.rate("lambda", "gb-second").cost(qty, False, 0.0)
        else:
            cost = pricing.rate(service, rid).cost(qty, free_tier, coverage)
        pr.line_costs[(service, rid)] = cost
        total = total + cost
    pr.cost = total
    return pr


# --------------------------------------------------------------------------------------------------------
# Decision matrix (§6)


def weights_of(scenario):
    if "weights" in scenario:
        w = scenario["weights"]
        return {k: float(w.get(k, 0.0)) for k in ("cost", "readP99", "writeP99", "durability", "ttl", "operations")}
    return {"cost": 0.4, "readP99": 0.3, "writeP99": 0.1, "durability": 0.0, "ttl": 0.0, "operations": 0.2}


def log_scores(x, feasible):
    """1 - (ln x - ln min) / (ln max - ln min) over the feasible options of each draw; 1 when all are equal (ln max -
    ln min <= 1e-9: the noise of a percentile found by bisection, or of a float against costplan's Decimal, must not
    split options that are equal). A value is taken as at least 1e-12: ln 0 is undefined, and a $0 option (inside
    the free tier) is scored as costing $1e-12 (docs/model.md §6)."""
    lx = np.log(np.maximum(x, 1e-12))
    lo = np.where(feasible, lx, np.inf).min(axis=0)
    hi = np.where(feasible, lx, -np.inf).max(axis=0)
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        s = 1.0 - (lx - lo) / np.where(span > 1e-9, span, 1.0)
    return np.where(span > 1e-9, s, 1.0)


def decide(scenario, cost, read99, write99, feasible):
    """Scores (options x draws), winner and cheapest index per draw (-1: no feasible option)."""
    wts = weights_of(scenario)
    opts = scenario["options"]
    tr = np.array([traits(o) for o in opts])  # (O, 3)
    score = (
        wts["cost"] * log_scores(cost, feasible)
        + wts["readP99"] * log_scores(read99, feasible)
        + wts["writeP99"] * log_scores(write99, feasible)
        + wts["durability"] * tr[:, 0:1]
        + wts["ttl"] * tr[:, 1:2]
        + wts["operations"] * tr[:, 2:3]
    )
    any_feasible = feasible.any(axis=0)
    # Equal scores (within 1e-12) rank the cheaper option first, then the one listed first (docs/model.md §6).
    masked = np.where(feasible, score, -np.inf)
    top = masked.max(axis=0)
    contenders = feasible & (masked >= top - 1e-12)
    winner = np.where(any_feasible, first_cheapest(cost, contenders), -1)
    cheapest = np.where(any_feasible, first_cheapest(cost, feasible), -1)
    return score, winner, cheapest


def first_cheapest(cost, mask):
    """Per draw, the first listed option under `mask` whose cost is the least within 1e-12 relative: costplan's costs
    are exact decimals, where two options can cost exactly the same (44 nodes x $0.821 = 55 x $0.6568), and float64
    products of those rounds them 1 ulp apart either way; a plain argmin would then pick by rounding noise."""
    masked = np.where(mask, cost, np.inf)
    least = masked.min(axis=0)
    near = mask & (masked <= least + np.abs(least) * 1e-12)
    return np.argmax(near, axis=0)


# --------------------------------------------------------------------------------------------------------
# Running a scenario


def nearest_rank(sorted_values, pct, n):
    return sorted_values[-(-pct * n // 100) - 1]


# The band around each percentile: quantiles at p - 0.050, p - 0.049, ..., p + 0.050 (enough for 4.5 standard
# errors from about 5,000 draws on; below that the band is capped at 5 percentile points).
BAND_STEPS = 50


def band(sorted_values, pct, n):
    """Nearest-rank quantiles at pct/100 + j/1000 for j = -BAND_STEPS..BAND_STEPS (for the probability-space check)."""
    out = []
    for j in range(-BAND_STEPS, BAND_STEPS + 1):
        rank = max(1, min(n, -(-(pct * 10 + j) * n // 1000)))
        out.append(float(sorted_values[rank - 1]))
    return out


def run(scenario, pricing, samples, seed, point, scales=None, generator="numpy"):
    n = 1 if point else samples
    values = draw_inputs(scenario, n, seed, point, generator)
    choosers = {}
    memo = {}
    quantiles = {}  # (option, which, p) -> (params, (result, undecided)): reused at the next scale when params are equal

    def q_of(i, which, mix, params, p):
        """(quantiles, undecided on the tails)"""
        key = (i, which, p)
        prev = quantiles.get(key)
        if prev is not None and len(prev[0]) == len(params) and all(np.array_equal(a, b) for a, b in zip(prev[0], params)):
            return prev[1]
        result = quantile(pricing, mix, p, n, params)
        quantiles[key] = (params, result)
        return result

    out_scales = []
    for s in scales or scenario["scales"]:
        w = Workload(scenario, values, float(s), n, memo)
        priced = [price_option(pricing, o, i, w, values, choosers) for i, o in enumerate(scenario["options"])]
        undecided = set()
        for i, pr in enumerate(priced):
            pr.read99, read_undecided = q_of(i, "read", pr.read_mix, pr.read_params, 0.99)
            if read_undecided:
                undecided.add(i)
            pr.write99 = q_of(i, "write", pr.write_mix, pr.write_params, 0.99)[0]
            if point:
                pr.read50 = q_of(i, "read", pr.read_mix, pr.read_params, 0.5)[0]
                pr.write50 = q_of(i, "write", pr.write_mix, pr.write_params, 0.5)[0]
        cost = np.stack([np.broadcast_to(p.cost, (n,)) for p in priced])
        read99 = np.stack([p.read99 for p in priced])
        write99 = np.stack([p.write99 for p in priced])
        feasible = np.stack([np.broadcast_to(p.feasible, (n,)) for p in priced])
        score, winner, cheapest = decide(scenario, cost, read99, write99, feasible)
        options = []
        for i, (o, p) in enumerate(zip(scenario["options"], priced)):
            row = {"id": o["id"]}
            if point:
                row.update(
                    {
                        "monthlyCostUsd": float(cost[i, 0]),
                        "feasible": bool(feasible[i, 0]),
                        "readP50Ms": float(p.read50[0]),
                        "readP99Ms": float(read99[i, 0]),
                        "writeP50Ms": float(p.write50[0]),
                        "writeP99Ms": float(write99[i, 0]),
                        "score": float(score[i, 0]) if feasible[i, 0] else None,
                        "lines": {f"{svc}/{rid}": float(np.broadcast_to(c, (n,))[0]) for (svc, rid), c in p.line_costs.items()},
                    }
                )
            else:
                cs = np.sort(cost[i])
                rs = np.sort(read99[i])
                row.update(
                    {
                        "costP10Usd": float(nearest_rank(cs, 10, n)),
                        "costP50Usd": float(nearest_rank(cs, 50, n)),
                        "costP90Usd": float(nearest_rank(cs, 90, n)),
                        "readP99P10Ms": float(nearest_rank(rs, 10, n)),
                        "readP99P50Ms": float(nearest_rank(rs, 50, n)),
                        "readP99P90Ms": float(nearest_rank(rs, 90, n)),
                        "winProbability": float(np.count_nonzero(winner == i)) / n,
                        "cheapestProbability": float(np.count_nonzero(cheapest == i)) / n,
                        "feasibleShare": float(np.count_nonzero(feasible[i])) / n,
                        "readP99UndecidedOnTails": i in undecided,
                        "bands": {
                            name: band(sv, pct, n)
                            for sv, prefix in ((cs, "cost"), (rs, "readP99"))
                            for pct in (10, 50, 90)
                            for name in [SAMPLED_NAME[(prefix, pct)]]
                        },
                    }
                )
            options.append(row)
        entry = {"scale": s, "options": options}
        if point:
            entry["recommended"] = scenario["options"][int(winner[0])]["id"] if winner[0] >= 0 else None
        else:
            # §10: a recommendation that wins fewer than 60% of the draws is a tie among the options that win
            # at least 20%
            probs = [o["winProbability"] for o in options]
            best = int(np.argmax(probs))
            if probs[best] >= 0.6:
                entry["recommended"], entry["recommendedWinProbability"], entry["tie"] = options[best]["id"], probs[best], None
            else:
                entry["recommended"], entry["recommendedWinProbability"] = None, None
                entry["tie"] = [{"id": o["id"], "share": o["winProbability"]} for o in options if o["winProbability"] >= 0.2]
        out_scales.append(entry)
    return {
        "name": scenario["name"],
        "samples": n,
        "seed": seed,
        "generator": "numpy.random.default_rng (PCG64), standard_normal per input"
        if generator == "numpy"
        else "costplan's xoshiro256** (SplitMix64 seeding, AS 241), re-implemented from docs/model.md §10",
        "inputs": [{"path": p, "low": r["low"], "high": r["high"]} for p, _, _, r in ranged_inputs(scenario)],
        "scales": out_scales,
    }


# --------------------------------------------------------------------------------------------------------
# Checks against costplan


def costplan_scenario(doc, name):
    for s in doc["scenarios"]:
        if s["name"] == name:
            return s
    sys.exit(f"sampling_reference: scenario {name} not in costplan's output")


def check_point(result, costplan_doc, cost_tol=1e-9, latency_tol=1e-3):
    """Point model against `costplan compare --format json`. Returns a list of violations (strings)."""
    cp = costplan_scenario(costplan_doc, result["name"])
    bad = []
    rows = 0
    worst = {"cost": 0.0, "latency": 0.0}
    cp_scales = {float(s["scale"]): s for s in cp["scales"]}
    for sc in result["scales"]:
        cps = cp_scales.get(float(sc["scale"]))
        if cps is None:
            bad.append(f"scale {sc['scale']}: not in costplan's output")
            continue
        cpo = {o["id"]: o for o in cps["options"]}
        for o in sc["options"]:
            c = cpo[o["id"]]
            rows += 1
            want = float(c["monthlyCostUsd"])
            rel = abs(o["monthlyCostUsd"] - want) / max(abs(want), 1e-300)
            worst["cost"] = max(worst["cost"], rel)
            if rel > cost_tol:
                bad.append(f"scale {sc['scale']} {o['id']}: monthly cost {o['monthlyCostUsd']!r} vs costplan {want!r} ({rel:.3g} relative)")
            if bool(c["feasible"]) != o["feasible"]:
                bad.append(f"scale {sc['scale']} {o['id']}: feasible {o['feasible']} vs costplan {c['feasible']}")
            for f in ("readP50Ms", "readP99Ms", "writeP50Ms", "writeP99Ms"):
                want = float(c[f])
                rel = abs(o[f] - want) / want
                worst["latency"] = max(worst["latency"], rel)
                if rel > latency_tol:
                    bad.append(f"scale {sc['scale']} {o['id']}: {f} {o[f]:.6g} vs costplan {want:.6g} ({rel:.3g} relative)")
            if c.get("score") is not None and o["score"] is not None and abs(float(c["score"]) - o["score"]) > 5e-4:
                bad.append(f"scale {sc['scale']} {o['id']}: score {o['score']:.6f} vs costplan {float(c['score']):.6f}")
        if cps.get("recommended") != sc["recommended"]:
            bad.append(f"scale {sc['scale']}: recommended {sc['recommended']} vs costplan {cps.get('recommended')}")
    return bad, rows, worst


SAMPLED_PERCENTILES = ("costP10Usd", "costP50Usd", "costP90Usd", "readP99P10Ms", "readP99P50Ms", "readP99P90Ms")
SAMPLED_NAME = {
    ("cost", 10): "costP10Usd",
    ("cost", 50): "costP50Usd",
    ("cost", 90): "costP90Usd",
    ("readP99", 10): "readP99P10Ms",
    ("readP99", 50): "readP99P50Ms",
    ("readP99", 90): "readP99P90Ms",
}
PERCENT_OF = {name: pct for (_, pct), name in SAMPLED_NAME.items()}
SAMPLED_PROBABILITIES = ("winProbability", "cheapestProbability", "feasibleShare")


def check_sampled(result, costplan_doc, pct_tol=0.02, prob_tol=0.02):
    """Sampled results against costplan's. A percentile agrees when it is within pct_tol (relative) of this
    model's; or, where the distribution is so steep or stepped there that pct_tol is below the sampling noise
    (a jump at the percentile, a clamped or discrete input), when costplan's value lies between this model's
    quantiles at p - d and p + d, d being 4.5 standard errors of the difference of two empirical CDFs at p
    (the draws differ). Win, cheapest and feasible shares agree within prob_tol.
    Returns (violations, notes, worst)."""
    cp = costplan_scenario(costplan_doc, result["name"])
    sampling = cp.get("sampling")
    if sampling is None:
        sys.exit("sampling_reference: costplan's output has no \"sampling\" object (was it run with --samples?)")
    n_ref, n_cp = result["samples"], int(sampling["samples"])
    bad, notes = [], []
    worst = {"percentile": 0.0, "probability": 0.0}
    cp_scales = {float(s["scale"]): s for s in sampling["scales"]}
    for sc in result["scales"]:
        cps = cp_scales.get(float(sc["scale"]))
        if cps is None:
            bad.append(f"scale {sc['scale']}: not in costplan's sampling output")
            continue
        cpo = {o["id"]: o for o in cps["options"]}
        for o in sc["options"]:
            c = cpo.get(o["id"])
            if c is None:
                bad.append(f"scale {sc['scale']} {o['id']}: missing in costplan's sampling output")
                continue
            for f in SAMPLED_PERCENTILES:
                if f.startswith("readP99") and o.get("readP99UndecidedOnTails"):
                    notes.append(f"scale {sc['scale']} {o['id']}: {f} not checked: numpy's read p99 needed the tails' decision in more than 64 distinct draws (a limitation of this reference)")
                    continue
                if c.get(f) is None:
                    bad.append(f"scale {sc['scale']} {o['id']}: {f} missing in costplan's sampling output")
                    continue
                want, got = float(c[f]), o[f]
                rel = abs(got - want) / max(abs(want), abs(got), 1e-300)
                if rel <= pct_tol:
                    worst["percentile"] = max(worst["percentile"], rel)
                    continue
                p = PERCENT_OF[f] / 100.0
                d = 4.5 * math.sqrt(p * (1 - p) * (1.0 / n_ref + 1.0 / n_cp))
                j = min(BAND_STEPS, max(1, math.ceil(d * 1000)))
                q = o.get("bands", {}).get(f)
                what = f"scale {sc['scale']} {o['id']}: {f} numpy {got:.6g} vs costplan {want:.6g} ({100 * rel:.2f}% > {100 * pct_tol:g}%)"
                if q is not None:
                    lo, hi = q[BAND_STEPS - j], q[BAND_STEPS + j]
                    if lo * (1 - 1e-9) <= want <= hi * (1 + 1e-9):
                        notes.append(f"{what}, but within numpy's P{100 * (p - j / 1000):g}..P{100 * (p + j / 1000):g} = {lo:.6g}..{hi:.6g}")
                        continue
                    what += f", outside numpy's P{100 * (p - j / 1000):g}..P{100 * (p + j / 1000):g} = {lo:.6g}..{hi:.6g}"
                worst["percentile"] = max(worst["percentile"], rel)
                bad.append(what)
            for f in SAMPLED_PROBABILITIES:
                if f not in c:
                    if f != "feasibleShare":
                        bad.append(f"scale {sc['scale']} {o['id']}: {f} missing in costplan's sampling output")
                    continue
                want, got = float(c[f]), o[f]
                d = abs(got - want)
                if f == "winProbability" and any(x.get("readP99UndecidedOnTails") for x in sc["options"]):
                    # the win depends on read p99s this reference could not decide
                    if d > prob_tol:
                        notes.append(f"scale {sc['scale']} {o['id']}: {f} numpy {got:.4f} vs costplan {want:.4f} not checked (a read p99 undecided on the tails)")
                    continue
                worst["probability"] = max(worst["probability"], d)
                if d > prob_tol:
                    bad.append(f"scale {sc['scale']} {o['id']}: {f} numpy {got:.4f} vs costplan {want:.4f} (differ by {d:.4f} > {prob_tol})")
        ours = sorted(t["id"] for t in sc.get("tie") or []) or [sc.get("recommended")]
        theirs = sorted(t["id"] if isinstance(t, dict) else t for t in cps.get("tie") or []) or [cps.get("recommended")]
        # §10 says "a recommendation that wins fewer than 60% of the draws is reported as a tie": costplan reads
        # "the recommendation" as its point result's (at the medians), this script as the most frequent winner.
        # They differ only where the point result's winner is not the most frequent one; under costplan's reading
        # (its point recommendation, checked by --check-point) this script's shares give:
        point_rec = next((s.get("recommended") for s in cp.get("scales", []) if float(s["scale"]) == float(sc["scale"])), None)
        share = {o["id"]: o["winProbability"] for o in sc["options"]}
        if point_rec is not None and share.get(point_rec, 0) >= 0.6:
            as_costplan = [point_rec]
        else:
            as_costplan = sorted(i for i, v in share.items() if v >= 0.2) or [None]
        if ours != theirs:
            why = (
                "costplan ties because its point recommendation, "
                f"{point_rec}, wins {share.get(point_rec, 0):.3f} of numpy's draws; the same under that reading"
                if as_costplan == theirs
                else "a share near 60% or 20%"
            )
            notes.append(f"scale {sc['scale']}: numpy recommends {' / '.join(map(str, ours))}, costplan {' / '.join(map(str, theirs))} (informational: {why})")
    return bad, notes, worst


def doc_samples(doc, name):
    return costplan_scenario(doc, name).get("sampling", {}).get("samples")


def set_path(obj, dotted, value):
    parts = dotted.split(".")
    for part in parts[:-1]:
        obj = obj[part]
    obj[parts[-1]] = value


def check_draws(scenario_path, pricing_root, costplan, count, seed):
    """The point model at `count` single draws: each written as a scenario without ranges (the drawn values in
    place of the ranges), priced by `costplan compare --format json` and by this model. Checks the model over
    the whole input space, not only at the medians."""
    import subprocess
    import tempfile

    scenario = load_json(scenario_path)
    values = draw_inputs(scenario, count, seed, False)
    bad_all = []
    worst = {"cost": 0.0, "latency": 0.0}
    rows = 0
    with tempfile.TemporaryDirectory() as tmp:
        for j in range(count):
            copy = json.loads(json.dumps(scenario))
            copy.pop("uncertainty", None)  # no ranges left to sample
            for path, field, index, _ in ranged_inputs(scenario):
                v = float(values[path][j])
                v = int(v) if field in INTEGER_FIELDS else v
                if index is None:
                    set_path(copy["workload"], field, v)
                else:
                    set_path(copy["options"][index], field, v)
            path = os.path.join(tmp, f"draw{j}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(copy, f)
            out = subprocess.run(
                [costplan, "compare", "--scenario", path, "--pricing", pricing_root, "--format", "json"],
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                bad_all.append(f"draw {j}: costplan exit {out.returncode}: {out.stderr.strip()}")
                continue
            pricing = Pricing(pricing_root, copy["provider"], copy["region"])
            result = run(copy, pricing, 1, 0, True)
            bad, n, w = check_point(result, json.loads(out.stdout))
            rows += n
            worst = {k: max(worst[k], w[k]) for k in worst}
            drawn = ", ".join(f"{p}={values[p][j]:.6g}" for p in values)
            bad_all.extend(f"draw {j} ({drawn}): {b}" for b in bad)
    return bad_all, rows, worst


# --------------------------------------------------------------------------------------------------------
# Output


def print_table(result, elapsed, point):
    print(f"scenario {result['name']}: {'point model (medians)' if point else str(result['samples']) + ' draws, seed ' + str(result['seed'])}")
    for inp in result["inputs"]:
        print(f"  range {inp['path']}: {inp['low']} .. {inp['high']}")
    for sc in result["scales"]:
        rec = sc.get("recommended")
        tie = sc.get("tie") or []
        tie_text = "tie " + ", ".join(f"{t['id']} {t['share']:.3f}" for t in tie)
        if point:
            print(f"\nscale {sc['scale']}: recommended {rec}")
        else:
            print(f"\nscale {sc['scale']}: recommended {rec + ' (wins ' + format(sc['recommendedWinProbability'], '.3f') + ')' if rec else tie_text}")
        if point:
            print(f"  {'option':24s} {'cost USD':>14s} {'read p99':>10s} {'write p99':>10s} {'score':>8s} feasible")
            for o in sc["options"]:
                score = f"{o['score']:.6f}" if o["score"] is not None else "-"
                print(f"  {o['id']:24s} {o['monthlyCostUsd']:14.8g} {o['readP99Ms']:10.6g} {o['writeP99Ms']:10.6g} {score:>8s} {o['feasible']}")
        else:
            print(
                f"  {'option':24s} {'cost P10':>11s} {'P50':>11s} {'P90':>11s} {'read99 P10':>10s} {'P50':>9s} {'P90':>9s} {'win':>6s} {'cheapest':>8s}"
            )
            for o in sc["options"]:
                print(
                    f"  {o['id']:24s} {o['costP10Usd']:11.5g} {o['costP50Usd']:11.5g} {o['costP90Usd']:11.5g}"
                    f" {o['readP99P10Ms']:10.5g} {o['readP99P50Ms']:9.5g} {o['readP99P90Ms']:9.5g}"
                    f" {o['winProbability']:6.3f} {o['cheapestProbability']:8.3f}"
                )
    n = result["samples"]
    print(f"\nelapsed {elapsed:.3f} s, {n / elapsed:,.0f} draws/s")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--pricing", default="pricing")
    ap.add_argument("--samples", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--scales", help="comma-separated scales instead of the scenario's")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--point", action="store_true", help="the point model: every range at its median")
    ap.add_argument("--check-point", metavar="FILE", help="costplan compare --format json output to check the point model against (- for stdin)")
    ap.add_argument("--check-sampled", metavar="FILE", help="costplan compare --samples N --format json output to check against")
    ap.add_argument("--check-draws", type=int, metavar="K", help="check the point model at K single draws against --costplan")
    ap.add_argument("--costplan", metavar="PATH", help="costplan executable for --check-draws")
    ap.add_argument("--reference-json", metavar="FILE", help="with --check-sampled: this script's earlier --json output instead of sampling again")
    ap.add_argument(
        "--generator",
        choices=["numpy", "costplan"],
        default="numpy",
        help="numpy (default): NumPy's own draws, a statistical check; costplan: costplan's stream as §10 states it, draw for draw",
    )
    ap.add_argument("--percentile-tolerance", type=float, default=0.02)
    ap.add_argument("--probability-tolerance", type=float, default=0.02)
    args = ap.parse_args(argv)

    if args.check_draws:
        if not args.costplan:
            ap.error("--check-draws needs --costplan PATH")
        bad, rows, worst = check_draws(args.scenario, args.pricing, args.costplan, args.check_draws, args.seed or 0)
        print(
            f"point model at {args.check_draws} draws vs costplan: {rows} option-scale rows, worst cost difference"
            f" {worst['cost']:.3g} relative, worst latency difference {worst['latency']:.3g} relative"
        )
        for b in bad:
            print("  MISMATCH " + b)
        return 1 if bad else 0

    scenario = load_json(args.scenario)
    unc = scenario.get("uncertainty", {})
    samples = args.samples if args.samples is not None else int(unc.get("samples", 10000))
    seed = args.seed if args.seed is not None else int(unc.get("seed", 0))
    point = args.point or args.check_point is not None
    scales = [float(x) for x in args.scales.split(",")] if args.scales else None
    pricing = Pricing(args.pricing, scenario["provider"], scenario["region"])

    if args.reference_json:
        result = costplan_scenario(load_json(args.reference_json), scenario["name"])
        elapsed = result["elapsedSeconds"]
    else:
        t0 = time.perf_counter()
        result = run(scenario, pricing, samples, seed, point, scales, args.generator)
        elapsed = time.perf_counter() - t0
        result["elapsedSeconds"] = elapsed
        result["drawsPerSecond"] = result["samples"] / elapsed

    status = 0
    if args.check_point is not None:
        doc = json.load(sys.stdin) if args.check_point == "-" else load_json(args.check_point)
        bad, rows, worst = check_point(result, doc)
        print(
            f"point model vs costplan: {rows} option-scale rows, worst cost difference {worst['cost']:.3g} relative,"
            f" worst latency difference {worst['latency']:.3g} relative"
        )
        for b in bad:
            print("  MISMATCH " + b)
        status = 1 if bad else 0
    elif args.check_sampled is not None:
        doc = json.load(sys.stdin) if args.check_sampled == "-" else load_json(args.check_sampled)
        bad, notes, worst = check_sampled(result, doc, args.percentile_tolerance, args.probability_tolerance)
        print(
            f"sampling vs costplan ({result['samples']} numpy draws, {doc_samples(doc, result['name'])} costplan draws):"
            f" percentiles within {100 * args.percentile_tolerance:g}% except {len(notes)} at a jump or steep part"
            f" (checked in probability space, listed below), worst probability difference {worst['probability']:.4f}"
            f" (limit {args.probability_tolerance}); {len(bad)} violation(s)"
        )
        for b in notes:
            print("  note: " + b)
        for b in bad:
            print("  VIOLATION " + b)
        status = 1 if bad else 0
    if args.json:
        json.dump({"scenarios": [result]}, sys.stdout, indent=1)
        print()
    elif args.check_point is None and args.check_sampled is None:
        print_table(result, elapsed, point)
    return status


if __name__ == "__main__":
    sys.exit(main())
