import Foundation

/// A latency distribution's CDF made ready for many evaluations (sampling solves a p99 for thousands of draws):
/// the sum's integration nodes are computed once, and evaluations that are known to give exactly 0 or exactly 1
/// skip their logarithm and error function. It gives the same numbers as `LatencyDistribution.cdf`: the skipped
/// terms are exact zeros and ones (docs/model.md §5 for the distributions).
indirect enum PreparedCDF {
  /// ln X ~ N(μ, σ²), σ > 0; below `zeroBelow` the CDF is exactly 0 in `Double`, at or above `oneFrom` exactly 1.
  case lognormal(mu: Double, sigma: Double, zeroBelow: Double, oneFrom: Double)
  /// The constant e^μ.
  case constant(Double)
  case shifted(PreparedCDF, by: Double)
  case mixture([(weight: Double, PreparedCDF)])
  case maxOf(PreparedCDF, k: Double)
  /// Σᵢ cᵢ F(x − sᵢ) × h / 3, the shifts sᵢ = e^{μ + σ zᵢ} rising with i; `positive` when F(y) = 0 for every
  /// y ≤ 0, so that the sum stops at the first shift at or past x.
  case sum(shifts: [Double], then: PreparedCDF, positive: Bool)
  /// A sum whose first part is not a lognormal (not built by the latency model): its second part.
  case passThrough(PreparedCDF)

  /// Standard normal Φ(u) is exactly 1 in `Double` from u ≥ 8.5 (erfc(−6.01) rounds to 2) and exactly 0 at
  /// u ≤ −40 (erfc(28.3) underflows).
  static let oneAtZ = 8.5
  static let zeroAtZ = -40.0

  init(_ d: LatencyDistribution) {
    switch d {
    case .lognormal(let mu, let sigma):
      if sigma == 0 {
        self = .constant(Foundation.exp(mu))
      } else if sigma > 0 {
        self = .lognormal(
          mu: mu, sigma: sigma, zeroBelow: Foundation.exp(mu + Self.zeroAtZ * sigma),
          oneFrom: Foundation.exp(mu + Self.oneAtZ * sigma))
      } else {
        // A negative σ (never built): no shortcut.
        self = .lognormal(mu: mu, sigma: sigma, zeroBelow: 0, oneFrom: .infinity)
      }
    case .shifted(let d, let c):
      self = .shifted(PreparedCDF(d), by: c)
    case .mixture(let parts):
      self = .mixture(parts.map { ($0.weight, PreparedCDF($0.1)) })
    case .maxOf(let d, let k):
      self = .maxOf(PreparedCDF(d), k: k)
    case .sum(let first, let then):
      let next = PreparedCDF(then)
      guard case .lognormal(let mu, let sigma) = first else {
        self = .passThrough(next)
        return
      }
      if sigma == 0 {
        self = .shifted(next, by: Foundation.exp(mu))
        return
      }
      let nodes = SimpsonNodes.standard
      self = .sum(
        shifts: nodes.z.map { Foundation.exp(mu + sigma * $0) }, then: next,
        positive: sigma > 0 && next.zeroAtOrBelowZero)
    }
  }

  /// F(y) = 0 for every y ≤ 0.
  var zeroAtOrBelowZero: Bool {
    switch self {
    case .lognormal: return true
    case .sum(_, _, let positive): return positive
    case .constant(let c): return c > 0
    case .shifted(let d, let c): return c >= 0 && d.zeroAtOrBelowZero
    case .mixture(let parts): return parts.allSatisfy { $0.1.zeroAtOrBelowZero }
    case .maxOf(let d, let k): return k > 0 && d.zeroAtOrBelowZero
    case .passThrough(let d): return d.zeroAtOrBelowZero
    }
  }

  func cdf(_ x: Double) -> Double {
    switch self {
    case .lognormal(let mu, let sigma, let zeroBelow, let oneFrom):
      if x <= 0 || x <= zeroBelow { return 0 }
      if x >= oneFrom { return 1 }
      return Normal.cdf((Foundation.log(x) - mu) / sigma)
    case .constant(let c):
      return x >= c ? 1 : 0
    case .shifted(let d, let c):
      return d.cdf(x - c)
    case .mixture(let parts):
      var sum = 0.0
      for part in parts { sum += part.weight * part.1.cdf(x) }
      return sum
    case .maxOf(let d, let k):
      return Foundation.pow(d.cdf(x), k)
    case .sum(let shifts, let then, let positive):
      let weights = SimpsonNodes.standard.weights
      var total = 0.0
      for i in shifts.indices {
        let y = x - shifts[i]
        if positive && y <= 0 { break }  // F is 0 here and at every later (larger) shift
        total += weights[i] * then.cdf(y)
      }
      return Swift.min(1, total * SimpsonNodes.standard.h / 3)
    case .passThrough(let d):
      return d.cdf(x)
    }
  }
}

/// The composite Simpson rule `LatencyDistribution.cdf` integrates a sum with: 160 steps over z ∈ [−8, 8], each
/// node's weight (1, 4, 2, …, 4, 1) × φ(z) computed as it does.
struct SimpsonNodes: Sendable {
  let z: [Double]
  let weights: [Double]
  let h: Double
  static let standard = SimpsonNodes(steps: 160, from: -8, to: 8)

  init(steps n: Int, from a: Double, to b: Double) {
    let h = (b - a) / Double(n)
    var z: [Double] = []
    var weights: [Double] = []
    for i in 0...n {
      let zi = a + Double(i) * h
      let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
      z.append(zi)
      weights.append(w * Normal.pdf(zi))
    }
    self.z = z
    self.weights = weights
    self.h = h
  }
}

extension LatencyDistribution {
  /// The p-quantile (relative width below 1e-6, as `percentile`) on the prepared CDF, its bracket started around
  /// `near` (the last draw's answer for the same option) when given: sampling's solver.
  func quantileFast(_ p: Double, near: Double?) -> Double {
    let f = PreparedCDF(self)
    guard let near, near.isFinite, near > 1e-6 else {
      return quantileFast(p, cdf: f.cdf)
    }
    // A bracket of ±2% around the hint, widened by a growing factor until it holds the quantile.
    var lo = near / 1.02
    var hi = near * 1.02
    var fLo = f.cdf(lo) - p
    var fHi = f.cdf(hi) - p
    var step = 1.1
    var guardCount = 0
    while fHi < 0 && guardCount < 200 {
      lo = hi
      fLo = fHi
      hi *= step
      step *= step
      fHi = f.cdf(hi) - p
      guardCount += 1
    }
    step = 1.1
    while fLo >= 0 && lo > 1e-12 {
      hi = lo
      fHi = fLo
      lo /= step
      step *= step
      fLo = f.cdf(lo) - p
    }
    guard fLo < 0, fHi >= 0 else { return hi }
    return Self.illinois(p, lo: lo, hi: hi, fLo: fLo, fHi: fHi, cdf: f.cdf)
  }
}
