import Foundation

/// A latency distribution in milliseconds, known by its CDF; percentiles are found by bisection.
public indirect enum LatencyDistribution: Sendable {
  /// ln X ~ N(μ, σ²); σ = 0 is a constant.
  case lognormal(mu: Double, sigma: Double)
  /// X + c.
  case shifted(LatencyDistribution, by: Double)
  /// With probability wᵢ, Xᵢ (weights sum to 1).
  case mixture([(weight: Double, LatencyDistribution)])
  /// max of k independent copies (k may be fractional: the mean k of a session's loads).
  case maxOf(LatencyDistribution, k: Double)
  /// A lognormal plus an independent X (LIST then concurrent GETs).
  case sum(first: LatencyDistribution, then: LatencyDistribution)

  /// From p50 and p99: μ = ln p50, σ = (ln p99 − ln p50) / z₀.₉₉ with z₀.₉₉ = 2.3263478740.
  public static func lognormal(p50: Double, p99: Double) -> LatencyDistribution {
    .lognormal(
      mu: Foundation.log(p50), sigma: (Foundation.log(p99) - Foundation.log(p50)) / 2.3263478740)
  }

  public func cdf(_ x: Double) -> Double {
    switch self {
    case .lognormal(let mu, let sigma):
      if x <= 0 { return 0 }
      if sigma == 0 { return x >= Foundation.exp(mu) ? 1 : 0 }
      return Normal.cdf((Foundation.log(x) - mu) / sigma)
    case .shifted(let d, let c):
      return d.cdf(x - c)
    case .mixture(let parts):
      var sum = 0.0
      for part in parts { sum += part.weight * part.1.cdf(x) }
      return sum
    case .maxOf(let d, let k):
      return Foundation.pow(d.cdf(x), k)
    case .sum:
      // The integral over the first part's variate, with panels fitted to the second part (`SumCDF`).
      return PreparedCDF(self).cdf(x)
    }
  }

  /// The p-quantile (0 < p < 1), by bisection on the CDF to a relative width below 1e-10 (docs/model.md asks
  /// < 0.1%). The decision matrix scores p99s on a log scale between the fastest and the slowest option, so two
  /// p99s that truly differ in the 7th digit (an S3 option behind a cache that hits one load in a million, and the
  /// same option without it) must come out different, and two equal ones equal: with a width of 1e-6 both fell in
  /// the same last bracket, and the faster option lost its whole read-p99 weight to the tie.
  ///
  /// A mixture whose CDF is within 1e-12 of p is decided on its parts' tails (`logTails`): where its faster parts
  /// weigh exactly p (a 99% hit ratio and the p99), the CDF is p in `Double` across a stretch, and the crossing
  /// lies where the slower parts' lower tail overtakes the faster parts' upper tail.
  public func percentile(_ p: Double) -> Double {
    let f = PreparedCDF(self)
    func reached(_ x: Double) -> Bool {
      let F = f.cdf(x)
      if case .mixture(let parts) = self, Swift.abs(F - p) <= 1e-12 {
        return Self.mixtureReaches(parts, p, at: x)
      }
      return F >= p
    }
    return Self.geometricBisection(
      start: 1e-6, doublings: 200, floor: 1e-12, narrow: { lo, hi in hi / lo - 1 < 1e-10 }, reached)
  }

  /// The least x (to within `narrow`) at which `reached` holds: a bracket [start, 1] whose top doubles (at most
  /// `doublings` times) until reached and whose bottom halves (down to `floor`) until not, then up to 200 halvings
  /// of its ratio (geometric midpoints). `reached` must be monotone.
  static func geometricBisection(
    start: Double, doublings: Int, floor: Double, narrow: (Double, Double) -> Bool,
    _ reached: (Double) -> Bool
  ) -> Double {
    var lo = start
    var hi = 1.0
    var guardCount = 0
    while !reached(hi) && guardCount < doublings {
      lo = hi
      hi *= 2
      guardCount += 1
    }
    while reached(lo) && lo > floor { lo /= 2 }
    for _ in 0..<200 {
      if narrow(lo, hi) { break }
      let mid = (lo * hi).squareRoot()
      if reached(mid) { hi = mid } else { lo = mid }
    }
    return hi
  }
}

/// The standard normal distribution.
public enum Normal {
  public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
  public static func pdf(_ z: Double) -> Double {
    Foundation.exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
  }
}

extension LatencyDistribution {
  /// The p-quantile as `percentile` finds it (relative width below 1e-10), with fewer CDF evaluations: the bracket
  /// is narrowed by the Illinois variant of regula falsi on ln x, for sampling, which needs it for every draw.
  public func quantileFast(_ p: Double) -> Double { quantileFast(p, cdf: PreparedCDF(self).cdf) }

  func quantileFast(_ p: Double, cdf: (Double) -> Double) -> Double {
    var lo = 1e-6
    var hi = 1.0
    var guardCount = 0
    // The CDF is not evaluated where it is known to be below p (the first bracket's result is the same).
    let below = p > 0.5 && p < 1 ? knownBelow(p - 1e-6) : -.infinity
    var fHi = hi <= below ? -1 : cdf(hi) - p
    while fHi < 0 && guardCount < 200 {
      lo = hi
      hi *= 2
      fHi = hi <= below ? -1 : cdf(hi) - p
      guardCount += 1
    }
    var fLo = cdf(lo) - p
    while fLo >= 0 && lo > 1e-12 {
      lo /= 2
      fLo = cdf(lo) - p
    }
    guard fLo < 0, fHi >= 0 else { return hi }
    return solved(p, lo: lo, hi: hi, fLo: fLo, fHi: fHi, cdf)
  }

  /// Narrows a bracket [lo, hi] of the p-quantile (F(lo) < p ≤ F(hi), `fLo` and `fHi` their F − p) by the
  /// Illinois variant of regula falsi on ln x, to a width below 1e-10 in ln x (as `percentile`'s: the decision tells
  /// apart p99s a few parts in a billion apart, in every draw as at the point); returns its upper end.
  static func illinois(
    _ p: Double, lo: Double, hi: Double, fLo: Double, fHi: Double, cdf: (Double) -> Double
  ) -> Double {
    illinois(lo: lo, hi: hi, fLo: fLo, fHi: fHi) { cdf($0) - p }
  }

  /// The same on any increasing `margin` (< 0 at lo, ≥ 0 at hi): the least x where it is ≥ 0, to 1e-10 in ln x.
  static func illinois(
    lo: Double, hi: Double, fLo: Double, fHi: Double, _ margin: (Double) -> Double
  ) -> Double {
    var a = Foundation.log(lo)
    var b = Foundation.log(hi)
    var fa = fLo
    var fb = fHi
    var side = 0
    for _ in 0..<100 {
      if b - a < 1e-10 { break }
      // The secant point, kept inside the bracket and off its ends.
      var t = (a * fb - b * fa) / (fb - fa)
      let offEnds = (b - a) * 1e-3
      if !(t > a + offEnds) { t = a + offEnds }
      if !(t < b - offEnds) { t = b - offEnds }
      let ft = margin(Foundation.exp(t))
      if ft >= 0 {
        b = t
        fb = ft
        if side == 1 { fa /= 2 }
        side = 1
      } else {
        a = t
        fa = ft
        if side == -1 { fb /= 2 }
        side = -1
      }
    }
    return Foundation.exp(b)
  }
}

extension LatencyDistribution {
  /// A latency x₀ with CDF(x) < q at every x ≤ x₀, found without evaluating the CDF (−∞ when none is known, and
  /// for q outside (0, 1)): a lognormal's is half its q-quantile; a mixture gives its parts shares of q; a shift
  /// moves it; the max of k copies asks each for q^(1/k); a sum is at least its second part (the first is a
  /// positive lognormal), whose bound is taken 0.001 lower for the integration's error.
  func knownBelow(_ q: Double) -> Double {
    guard q > 0 && q < 1 else { return -.infinity }
    let x = bound(q)
    return x.isNaN ? -.infinity : x
  }

  private func bound(_ q: Double) -> Double {
    switch self {
    case .lognormal(let mu, let sigma):
      guard sigma >= 0 else { return -.infinity }
      // σ = 0 is the constant e^μ: the CDF is 0 below it.
      return 0.5 * Foundation.exp(mu + (sigma == 0 ? 0 : sigma * Normal.quantile(q)))
    case .shifted(let d, let c):
      return d.knownBelow(q) + c
    case .maxOf(let d, let k):
      guard k > 0 else { return -.infinity }
      return d.knownBelow(Foundation.pow(q, 1 / k))
    case .sum(let first, let then):
      guard case .lognormal = first else { return then.knownBelow(q) }
      return then.knownBelow(q - 1e-3)
    case .mixture(let parts):
      // Σ wᵢ Fᵢ(x) < q where parts left out (Fᵢ ≤ 1) use up their weight of q and the others share the rest: the
      // parts with the lowest bounds are left out one by one, and the best bound found is kept.
      guard parts.allSatisfy({ $0.weight >= 0 }) else { return -.infinity }
      let atQ = parts.map { $0.1.knownBelow(q) }
      // The parts by their bound at q, lowest first (by insertion: a mixture has two or three parts).
      var order = Array(parts.indices)
      var n = 1
      while n < order.count {
        var m = n
        while m > 0 && atQ[order[m]] < atQ[order[m - 1]] {
          order.swapAt(m, m - 1)
          m -= 1
        }
        n += 1
      }
      var best = -Double.infinity
      var out = 0.0
      var rest = parts.reduce(0.0) { $0 + $1.weight }
      for k in order.indices {
        let share = (q - out) / rest
        guard rest > 0, share > 0 else { break }
        var x = Double.infinity
        for i in order[k...] {
          x = Swift.min(x, share == q ? atQ[i] : parts[i].1.knownBelow(share))
        }
        best = Swift.max(best, x)
        out += parts[order[k]].weight
        rest -= parts[order[k]].weight
      }
      return best
    }
  }
}
