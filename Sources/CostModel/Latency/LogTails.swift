import Foundation

/// The logarithms of a latency distribution's two tails, `ln F(x)` and `ln (1 − F(x))`, each accurate where it is
/// tiny (docs/model.md §5).
///
/// A percentile is where the CDF crosses p, and where a mixture's faster parts weigh exactly p (a cache that
/// answers 99% of the loads, and its p99) the CDF is `p − 0.99 × S_hit(x) + 0.01 × F_miss(x)`: both tails can be
/// below 1e-16 across a stretch of x, where `F(x)` in `Double` is p exactly. The crossing is then where
/// `0.01 × F_miss(x) = 0.99 × S_hit(x)`, which only the tails' own logarithms can locate. `percentile` decides
/// "F(x) ≥ p" on them wherever F(x) is within 1e-12 of p.
extension LatencyDistribution {
  /// `(ln F(x), ln (1 − F(x)))`.
  func logTails(_ x: Double) -> (lower: Double, upper: Double) {
    switch self {
    case .lognormal(let mu, let sigma):
      if x <= 0 { return (-.infinity, 0) }
      if sigma == 0 { return x >= Foundation.exp(mu) ? (0, -.infinity) : (-.infinity, 0) }
      let z = (Foundation.log(x) - mu) / sigma
      return (Normal.logCDF(z), Normal.logCDF(-z))
    case .shifted(let d, let c):
      return d.logTails(x - c)
    case .mixture(let parts):
      var lower = LogSum()
      var upper = LogSum()
      for part in parts where part.weight > 0 {
        let t = part.1.logTails(x)
        lower.add(Foundation.log(part.weight) + t.lower)
        upper.add(Foundation.log(part.weight) + t.upper)
      }
      return (lower.value, upper.value)
    case .maxOf(let d, let k):
      // F^k, and 1 − F^k = −expm1(k ln F) (ln F is exact near 0 as well: it comes from the upper tail there).
      let lower = k * d.logLower(x)
      return (lower, Foundation.log(-Foundation.expm1(lower)))
    case .sum(let first, let then):
      guard case .lognormal(let mu, let sigma) = first, sigma > 0 else {
        if case .lognormal(let mu, 0) = first { return then.logTails(x - Foundation.exp(mu)) }
        return then.logTails(x)
      }
      return Self.sumLogTails(x, mu: mu, sigma: sigma, then: then)
    }
  }

  /// `logTails(x).lower` alone: a lognormal's without its upper tail's error function (the slowest of k GETs needs
  /// only its GET's lower tail, at every point of a LIST + GETs integral).
  func logLower(_ x: Double) -> Double {
    guard case .lognormal(let mu, let sigma) = self, sigma > 0, x > 0 else {
      return logTails(x).lower
    }
    return Normal.logCDF((Foundation.log(x) - mu) / sigma)
  }

  /// For A lognormal(μ, σ) plus B: `F(x) = ∫₀ˣ f_A(a) F_B(x − a) da` and `1 − F(x) = S_A(x) + ∫₀ˣ f_A(a) S_B(x − a) da`,
  /// over `a = x / (1 + e^(−u))` for u in [−60, 60] (both ends of (0, x) reached smoothly), summed in logarithms by
  /// the trapezoid rule every 0.03 in u (the integrand is a smooth bump whose width is at least σ, which a latency
  /// table's p99 ≥ 1.05 × p50 keeps above 0.02).
  ///
  /// A term's B tail is a logarithm of at most 1, so `ln f_A(a) da/du` bounds the term from above: where that bound
  /// is more than `negligible` below what both sums already hold, the term cannot change either by more than
  /// e^−40 (4e-18) of itself, and B's tails there are not evaluated. The terms are visited from the bound's
  /// largest outwards, so that the sums are large early; where one of B's tails is exactly 0 it stays 0 further
  /// out, and only the other is evaluated, where it can still count. On a mixture's p99 decided on the tails (a cache that
  /// answers exactly 99% of the loads in front of LIST + GETs), this is most of sampling's time.
  static func sumLogTails(_ x: Double, mu: Double, sigma: Double, then: LatencyDistribution) -> (
    lower: Double, upper: Double
  ) {
    guard x > 0 else { return (-.infinity, 0) }
    let lx = Foundation.log(x)
    let grid = SumGrid.shared
    let logDensityScale = -Foundation.log(sigma * (2 * Double.pi).squareRoot())
    var lower = LogSum()
    var upper = LogSum()
    // ln of f_A(a) × da/du = φ(z) × (1 − a / x) / σ at each u, computed once; and where it is largest.
    withUnsafeTemporaryAllocation(of: Double.self, capacity: SumGrid.count) { bound in
      var peak = 0
      for i in 0..<SumGrid.count {
        let z = (lx + grid.logShare[i] - mu) / sigma
        bound[i] = logDensityScale - 0.5 * z * z + grid.logRest[i]
        if bound[i] > bound[peak] { peak = i }
      }
      // Rightwards x − a falls, so F_B falls and S_B rises: once S_B is exactly 1 it stays 1, and ln F_B is at
      // most its last value (`cap`); leftwards the same holds of F_B and ln S_B. A saturated tail's terms are then
      // `base` exactly, and the other tail is evaluated only where its cap leaves the term above `negligible`.
      // `tails` orders B's two tails as (the one that saturates, the other).
      func sweep(
        _ indices: some Sequence<Int>, _ saturating: inout LogSum, _ other: inout LogSum,
        _ tails: ((lower: Double, upper: Double)) -> (Double, Double)
      ) {
        var saturated = false
        var cap = 0.0
        for i in indices {
          let base = bound[i]
          if saturated {
            if base >= saturating.top - Self.negligible { saturating.add(base) }
            if base + cap >= other.top - Self.negligible {
              cap = tails(then.logTails(x * grid.rest[i])).1
              other.add(base + cap)
            }
            continue
          }
          if base < saturating.top - Self.negligible && base < other.top - Self.negligible {
            continue
          }
          let (s, o) = tails(then.logTails(x * grid.rest[i]))
          saturating.add(base + s)
          other.add(base + o)
          if s == 0 {
            saturated = true
            cap = o
          }
        }
      }
      sweep(peak..<SumGrid.count, &upper, &lower) { ($0.upper, $0.lower) }
      sweep(stride(from: peak - 1, through: 0, by: -1), &lower, &upper) { ($0.lower, $0.upper) }
    }
    let logStep = Foundation.log(SumGrid.step)
    var total = LogSum()
    total.add(Normal.logCDF(-(lx - mu) / sigma))
    total.add(upper.value + logStep)
    return (lower.value + logStep, total.value)
  }

  /// How far below a log-sum's largest term a term may be left out (e^−40 ≈ 4e-18 of it).
  static let negligible = 40.0

  /// Whether a mixture's CDF at x reaches p, decided on its parts' tails: the parts past their median at x (F ≥ ½)
  /// count as their weight less their upper tail, the others as their lower tail, so that
  /// `F(x) − p = (Σ_past w − p) − Σ_past w S + Σ_others w F` loses nothing when `Σ_past w = p`.
  static func mixtureReaches(
    _ parts: [(weight: Double, LatencyDistribution)], _ p: Double, at x: Double
  )
    -> Bool
  {
    mixtureMargin(parts, p, at: x) >= 0
  }

  /// `mixtureReaches` as a signed margin, ≥ 0 exactly where it holds: `ln Σ_others w F − ln Σ_past w S` when the
  /// parts past their median weigh exactly p, else `F(x) − p` summed as there.
  static func mixtureMargin(
    _ parts: [(weight: Double, LatencyDistribution)], _ p: Double, at x: Double
  ) -> Double {
    var constant = -p
    var gains = LogSum()
    var losses = LogSum()
    for part in parts where part.weight > 0 {
      let t = part.1.logTails(x)
      if t.lower >= -Foundation.log(2.0) {
        constant += part.weight
        losses.add(Foundation.log(part.weight) + t.upper)
      } else {
        gains.add(Foundation.log(part.weight) + t.lower)
      }
    }
    if constant == 0 {
      let (g, l) = (gains.value, losses.value)
      return g >= l ? Swift.max(0, g - l) : g - l
    }
    return constant + Foundation.exp(gains.value) - Foundation.exp(losses.value)
  }
}

/// The points of `sumLogTails`'s trapezoid rule, which depend on neither x nor the distributions: at
/// u = −60, −59.97, …, 60, `ln (a / x) = −ln(1 + e^(−u))`, `ln ((x − a) / x) = −ln(1 + e^u)` and `(x − a) / x`.
struct SumGrid: Sendable {
  static let step = 0.03
  static let count = 4001
  static let shared = SumGrid()
  let logShare: [Double]
  let logRest: [Double]
  let rest: [Double]

  private init() {
    let u = (0..<Self.count).map { -60 + Double($0) * Self.step }
    logShare = u.map { -Foundation.log1p(Foundation.exp(-$0)) }
    logRest = u.map { -Foundation.log1p(Foundation.exp($0)) }
    rest = logRest.map { Foundation.exp($0) }
  }
}

/// ln Σ eᵗ of terms added one by one, without overflow or underflow.
struct LogSum {
  /// The largest term so far (−∞ before any).
  private(set) var top = -Double.infinity
  private var scaled = 0.0  // Σ e^(t − top)

  mutating func add(_ t: Double) {
    guard t > -.infinity else { return }
    if t <= top {
      scaled += Foundation.exp(t - top)
    } else {
      scaled = scaled * Foundation.exp(top - t) + 1
      top = t
    }
  }

  var value: Double { top == -.infinity ? -.infinity : top + Foundation.log(scaled) }
}

extension Normal {
  /// ln Φ(z), accurate in both tails: from erfc down to z = −37 (where it is 1e-300), then from the asymptotic
  /// series `ln Φ(z) = −z²/2 − ln(−z √(2π)) + ln(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸)`; `log1p(−Φ(−z))` above 0.
  public static func logCDF(_ z: Double) -> Double {
    if z >= 0 { return Foundation.log1p(-0.5 * erfc(z / 2.0.squareRoot())) }
    if z > -37 { return Foundation.log(0.5 * erfc(-z / 2.0.squareRoot())) }
    let r = 1 / (z * z)
    let series = 1 - r * (1 - r * (3 - r * (15 - r * 105)))
    return -0.5 * z * z - Foundation.log(-z * (2 * Double.pi).squareRoot()) + Foundation.log(series)
  }
}
