import Foundation

/// A latency distribution's CDF made ready for many evaluations (sampling solves a p99 for thousands of draws):
/// a sum's quantiles of its second part are found once, and evaluations that are known to give exactly 0 or
/// exactly 1 skip their logarithm and error function. `LatencyDistribution.cdf` gives the same numbers: the
/// skipped terms are exact zeros and ones, and it prices a sum through this type (docs/model.md §5 for the
/// distributions).
indirect enum PreparedCDF {
  /// ln X ~ N(μ, σ²), σ ≠ 0, with where its CDF is exactly 0 or 1 (`LognormalPart`, unshifted).
  case lognormal(LognormalPart)
  /// The constant e^μ.
  case constant(Double)
  case shifted(PreparedCDF, by: Double)
  case mixture([(weight: Double, PreparedCDF)])
  case maxOf(PreparedCDF, k: Double)
  /// A lognormal plus an independent second part (LIST then concurrent GETs): `SumCDF`.
  case sum(SumCDF)
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
        self = .lognormal(LognormalPart(mu: mu, sigma: sigma, shift: 0))
      } else {
        // A negative σ (never built): no shortcut.
        self = .lognormal(
          LognormalPart(mu: mu, sigma: sigma, shift: 0, zeroBelow: 0, oneFrom: .infinity))
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
      self = .sum(SumCDF(mu: mu, sigma: sigma, then: next))
    }
  }

  /// F(y) = 0 for every y ≤ 0.
  var zeroAtOrBelowZero: Bool {
    switch self {
    case .lognormal: return true
    case .sum(let f): return f.sigma > 0 && f.then.zeroAtOrBelowZero
    case .constant(let c): return c > 0
    case .shifted(let d, let c): return c >= 0 && d.zeroAtOrBelowZero
    case .mixture(let parts): return parts.allSatisfy { $0.1.zeroAtOrBelowZero }
    case .maxOf(let d, let k): return k > 0 && d.zeroAtOrBelowZero
    case .passThrough(let d): return d.zeroAtOrBelowZero
    }
  }

  func cdf(_ x: Double) -> Double {
    switch self {
    case .lognormal(let part):
      return part.cdf(x)
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
    case .sum(let f):
      return f.cdf(x)
    case .passThrough(let d):
      return d.cdf(x)
    }
  }
}

/// A lognormal's CDF made ready for many evaluations, shifted by `shift` (0 for none) and weighted in a mixture:
/// below `zeroBelow` it is exactly 0 in `Double`, at or above `oneFrom` exactly 1, so those skip their logarithm and
/// error function. `PreparedCDF.lognormal` is one unshifted; a mixture of shifted lognormals is solved from its parts
/// laid out flat (`quantileFast`). `x − 0` is `x` in `Double`, so a part shifted by 0 gives the same bits as one
/// under `PreparedCDF.shifted`, which subtracts before it.
struct LognormalPart {
  /// The most parts a mixture is laid out flat with (sampling's have two).
  static let flatLimit = 16
  let weight: Double
  let shift: Double
  let mu: Double
  let sigma: Double
  let zeroBelow: Double
  let oneFrom: Double

  init(mu: Double, sigma: Double, shift: Double, weight: Double = 1) {
    self.init(
      mu: mu, sigma: sigma, shift: shift,
      zeroBelow: Foundation.exp(mu + PreparedCDF.zeroAtZ * sigma),
      oneFrom: Foundation.exp(mu + PreparedCDF.oneAtZ * sigma), weight: weight)
  }

  init(
    mu: Double, sigma: Double, shift: Double, zeroBelow: Double, oneFrom: Double, weight: Double = 1
  ) {
    self.mu = mu
    self.sigma = sigma
    self.shift = shift
    self.zeroBelow = zeroBelow
    self.oneFrom = oneFrom
    self.weight = weight
  }

  @inline(__always) func cdf(_ x: Double) -> Double {
    let y = x - shift
    if y <= 0 || y <= zeroBelow { return 0 }
    if y >= oneFrom { return 1 }
    return Normal.cdf((Foundation.log(y) - mu) / sigma)
  }

  /// The CDF at x, as `cdf`, and its derivative in ln x: `x φ(z) / (σ (x − shift))`, z the score of x − shift
  /// (0 where the CDF is exactly 0 or 1).
  @inline(__always) func cdfAndSlope(_ x: Double) -> (Double, Double) {
    let y = x - shift
    if y <= 0 || y <= zeroBelow { return (0, 0) }
    if y >= oneFrom { return (1, 0) }
    let z = (Foundation.log(y) - mu) / sigma
    return (Normal.cdf(z), x * Normal.pdf(z) / (sigma * y))
  }
}

/// P(A + B ≤ x) for A lognormal(μ, σ > 0) and B independent (docs/model.md §5: a LIST, then the slowest of k
/// concurrent GETs): `∫ φ(z) F_B(x − e^{μ + σz}) dz` over A's standard normal variate z.
///
/// The integrand falls from φ(z) to 0 where `x − e^{μ + σz}` crosses B's range, and that can be a sliver of the
/// z axis: with a LIST whose p99 is 28 times its p50 and 38 GETs, B's range maps to 0.05 of z near the p99, so a
/// fixed grid (v1 used 160 Simpson steps over [−8, 8]) missed the p99 by 3%. So: below the z where
/// `x − e^{μ + σz}` is B's top (its quantile at Φ(8)), F_B is 1 and the integral is Φ(z), exactly; above the z
/// where it is B's bottom (at Φ(−8)), F_B is 0. Between, the panels end at 32 even steps and at every z where
/// `x − e^{μ + σz}` is one of B's quantiles at Φ(−7.5), Φ(−7), …, Φ(7.5), so that neither φ nor F_B changes much
/// within a panel; each panel is a 3-point Gauss–Legendre rule. Against a 400,000-point integral the p50 and p99
/// agree to 1e-7 on LISTs and GETs from constant to 30-fold spreads and k from 1 to 100,000.
struct SumCDF {
  let mu: Double
  let sigma: Double
  let then: PreparedCDF
  /// B's quantiles at scores −8, −7.5, …, 8 (rising).
  let quantiles: [Double]

  /// The scores of B's quantiles, and the z range the integral covers (φ beyond ±8.5 is below 1e-16).
  static let scoreStep = 0.5
  static let scoreEnd = 8.0
  static let zEnd = 8.5
  /// Even panels between the ends of the integral.
  static let evenPanels = 32
  /// 3-point Gauss–Legendre on [−1, 1]: nodes 0 and ±√(3/5), weights 8/9 and 5/9.
  static let node = (0.6).squareRoot()

  init(mu: Double, sigma: Double, then: PreparedCDF) {
    self.mu = mu
    self.sigma = sigma
    self.then = then
    let n = Int((2 * Self.scoreEnd / Self.scoreStep).rounded())
    quantiles = (0...n).map { then.quantile(score: -Self.scoreEnd + Double($0) * Self.scoreStep) }
  }

  /// z at which A's value is x − y (x > y).
  @inline(__always) func z(_ x: Double, minus y: Double) -> Double {
    (Foundation.log(x - y) - mu) / sigma
  }

  func cdf(_ x: Double) -> Double {
    let bottom = quantiles[0]
    let top = quantiles[quantiles.count - 1]
    guard x > bottom else { return 0 }
    // Past zHigh, x − a is below B's bottom: F_B is 0.
    let zHigh = Swift.min(Self.zEnd, z(x, minus: bottom))
    var zLow = -Self.zEnd
    var total = 0.0
    if x > top {
      // Below z(x − top), x − a is above B's top: F_B is 1 and the integral is Φ.
      let z1 = z(x, minus: top)
      if z1 >= zHigh { return Swift.min(1, Normal.cdf(z1)) }
      if z1 > zLow {
        total = Normal.cdf(z1)
        zLow = z1
      }
    }
    guard zHigh > zLow else { return Swift.min(1, total) }
    // The panels' ends, in rising order: the even steps merged with the z of B's inner quantiles, which rise as
    // the quantile falls (x − y grows); quantiles at or past x are reached by no A, and are skipped.
    let step = (zHigh - zLow) / Double(Self.evenPanels)
    var even = 1
    var q = quantiles.count - 2
    var from = zLow
    while from < zHigh {
      while q >= 1 && (quantiles[q] >= x || z(x, minus: quantiles[q]) <= from) { q -= 1 }
      let evenEnd = even >= Self.evenPanels ? zHigh : zLow + Double(even) * step
      var to = evenEnd
      if q >= 1 {
        let zq = z(x, minus: quantiles[q])
        if zq < evenEnd { to = zq }
      }
      if to == evenEnd { even += 1 }
      total += panel(x, from, to)
      from = to
    }
    return Swift.min(1, total)
  }

  /// ∫ φ(z) F_B(x − e^{μ + σz}) dz over [a, b], 3-point Gauss–Legendre.
  @inline(__always) func panel(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let half = (b - a) / 2
    let mid = (a + b) / 2
    func f(_ z: Double) -> Double {
      Normal.pdf(z) * then.cdf(x - Foundation.exp(mu + sigma * z))
    }
    return half * (5 / 9 * (f(mid - half * Self.node) + f(mid + half * Self.node)) + 8 / 9 * f(mid))
  }
}

extension PreparedCDF {
  /// The quantile at level Φ(s) (s a standard normal score, so that levels near 0 and 1 keep their precision):
  /// exact for lognormals, constants, shifts and maxima; by bisection on the CDF for the others.
  func quantile(score s: Double) -> Double {
    switch self {
    case .lognormal(let part):
      return Foundation.exp(part.mu + part.sigma * s)
    case .constant(let c):
      return c
    case .shifted(let d, let c):
      return d.quantile(score: s) + c
    case .maxOf(let d, let k):
      // F^k = Φ(s) where F = Φ(s)^(1/k): the score of that level, from its logarithm (and from 1 − level for
      // levels near 1).
      guard k > 0 else { return d.quantile(score: s) }
      let logLevel = s < 0 ? Foundation.log(Normal.cdf(s)) : Foundation.log1p(-Normal.cdf(-s))
      let logRoot = logLevel / k
      let score: Double
      if logRoot < -Foundation.log(2.0) {
        score = Normal.quantile(Foundation.exp(logRoot))
      } else {
        let rest = -Foundation.expm1(logRoot)
        score = rest > 0 ? -Normal.quantile(rest) : 40
      }
      return d.quantile(score: score)
    case .passThrough(let d):
      return d.quantile(score: s)
    case .mixture, .sum:
      return bisectedQuantile(score: s)
    }
  }

  /// The quantile at level Φ(s) by bisection on the CDF (for mixtures and sums, which have no closed form):
  /// a bracket grown by doubling, then halved 200 times or until it is 1e-12 wide relative.
  func bisectedQuantile(score s: Double) -> Double {
    let level = Normal.cdf(s)
    let above = Normal.cdf(-s)  // 1 − level, kept exactly for levels near 1
    func reached(_ y: Double) -> Bool {
      s > 0 ? 1 - cdf(y) <= above : cdf(y) >= level
    }
    return LatencyDistribution.geometricBisection(
      start: 1e-9, doublings: 1100, floor: 1e-300, narrow: { lo, hi in hi - lo <= hi * 1e-12 },
      reached)
  }
}

extension LatencyDistribution {
  /// The p-quantile (relative width below 1e-10, as `percentile`) on the prepared CDF, its bracket started around
  /// `near` (the last draw's answer for the same option) when given: sampling's solver.
  func quantileFast(_ p: Double, near: Double?) -> Double {
    // A mixture of lognormals, each at most shifted (a cache's hits and misses, Aurora's appends that find the
    // cluster paused: what sampling solves in most draws), is evaluated from its parts laid out flat on the stack,
    // with the same operations as `PreparedCDF`'s and without its indirect cases' reference counting.
    if isFlatMixture, case .mixture(let parts) = self {
      return withUnsafeTemporaryAllocation(of: LognormalPart.self, capacity: parts.count) { flat in
        for (i, part) in parts.enumerated() {
          let f = part.1.flatPart!
          flat.initializeElement(
            at: i, to: LognormalPart(mu: f.mu, sigma: f.sigma, shift: f.shift, weight: part.weight))
        }
        return flatQuantile(p, near: near, UnsafeBufferPointer(flat))
      }
    }
    let f = PreparedCDF(self)
    return quantileFast(p, near: near, f.cdf)
  }

  /// The p-quantile of a mixture of lognormal `parts` (this distribution, laid out flat), to the same relative
  /// width as `quantileFast`: Newton steps on ln x from `near`, with the parts' density, to a point within about
  /// 1e-12 of the root in ln x, then a bracket around it narrower than 1e-10 (widened until it holds the root),
  /// checked against the tails' rule (`onTails`) as every answer is. Newton steps on ln x, at most a factor e each (a step where no part has density goes a factor e towards
  /// the root). Where there is no hint, the CDF is p across a stretch, or 24 steps do not converge, the bracket
  /// starts at the hint's ±2% instead. A step costs about 1.3 CDF evaluations; a solve, about 7 where the
  /// hint's bracket took 17 (callgrind on the chat scenario).
  func flatQuantile(_ p: Double, near: Double?, _ flat: UnsafeBufferPointer<LognormalPart>)
    -> Double
  {
    func cdf(_ x: Double) -> Double {
      var sum = 0.0
      for part in flat { sum += part.weight * part.cdf(x) }
      return sum
    }
    guard let near, near.isFinite, near > 1e-6 else {
      return quantileFast(p, near: near, cdf)
    }
    var x = near
    var margin = 0.0
    var step = Double.infinity
    var steps = 0
    while true {
      // F(x) − p and dF/d(ln x) in one pass over the parts (F as `cdf` sums it).
      var F = 0.0
      var slope = 0.0
      for part in flat {
        let (c, d) = part.cdfAndSlope(x)
        F += part.weight * c
        slope += part.weight * d
      }
      margin = F - p
      if Swift.abs(step) < 1e-7 { break }
      steps += 1
      guard steps <= 24 else { return quantileFast(p, near: near, cdf) }
      if slope > 0 {
        step = -margin / slope
      } else if Swift.abs(margin) > 1e-12 {
        // No density here (every part's CDF is exactly 0 or 1): towards the root by a factor e.
        step = margin < 0 ? 1 : -1
      } else {
        // The CDF is p across a stretch: the tails decide (`solved`, from the hint's bracket).
        return quantileFast(p, near: near, cdf)
      }
      guard step.isFinite else { return quantileFast(p, near: near, cdf) }
      // At most a factor e a step: a far hint (another regime of the mixture) is approached, not overshot.
      step = Swift.min(1, Swift.max(-1, step))
      x *= Foundation.exp(step)
      guard x.isFinite, x > 0 else { return quantileFast(p, near: near, cdf) }
    }
    // Quadratic convergence: the root is within about step² of x in ln x. A bracket of 1e-11 on the side the
    // root is on, grown eightfold until it holds the root.
    var width = Swift.max(1e-11, 64 * step * step)
    var lo = x
    var hi = x
    var fLo = margin
    var fHi = margin
    var guardCount = 0
    if margin >= 0 {
      repeat {
        hi = lo
        fHi = fLo
        lo = x * Foundation.exp(-width)
        fLo = cdf(lo) - p
        width *= 8
        guardCount += 1
      } while fLo >= 0 && guardCount < 40
    } else {
      repeat {
        lo = hi
        fLo = fHi
        hi = x * Foundation.exp(width)
        fHi = cdf(hi) - p
        width *= 8
        guardCount += 1
      } while fHi < 0 && guardCount < 40
    }
    guard fLo < 0, fHi >= 0 else { return quantileFast(p, near: near, cdf) }
    // Not `solved`: its shortcut to the tails for a bracket whose top is within 1e-12 of p would take every
    // bracket this narrow. Where the CDF is p across a stretch the density is nil and the steps went to the
    // hint's bracket above; `onTails` still checks the answer.
    return onTails(p, Self.illinois(p, lo: lo, hi: hi, fLo: fLo, fHi: fHi, cdf: cdf), cdf)
  }

  /// The p-quantile of `cdf` (this distribution's), its bracket started around `near` when given.
  func quantileFast(_ p: Double, near: Double?, _ cdf: (Double) -> Double) -> Double {
    guard let near, near.isFinite, near > 1e-6 else {
      return quantileFast(p, cdf: cdf)
    }
    // A bracket of ±2% around the hint, widened until it holds the quantile.
    let b = Self.widened(lo: near / 1.02, hi: near * 1.02) { cdf($0) - p }
    guard b.fLo < 0, b.fHi >= 0 else { return b.hi }
    return solved(p, lo: b.lo, hi: b.hi, fLo: b.fLo, fHi: b.fHi, cdf)
  }

  /// This distribution as one part of a flat mixture, a lognormal with σ > 0 or one shifted once: its numbers.
  var flatPart: (mu: Double, sigma: Double, shift: Double)? {
    switch self {
    case .lognormal(let mu, let sigma) where sigma > 0: return (mu, sigma, 0)
    case .shifted(.lognormal(let mu, let sigma), let c) where sigma > 0: return (mu, sigma, c)
    default: return nil
    }
  }

  /// A mixture of at most `LognormalPart.flatLimit` parts that are each a `flatPart`: solved by Newton steps
  /// (`flatQuantile`).
  var isFlatMixture: Bool {
    guard case .mixture(let parts) = self, parts.count <= LognormalPart.flatLimit else {
      return false
    }
    return parts.allSatisfy { $0.1.flatPart != nil }
  }

  /// The p-quantile in the bracket [lo, hi] (F(lo) < p ≤ F(hi), `fLo` and `fHi` their F − p): the secant's answer,
  /// or the tails' where a mixture's CDF is p to 1e-12 across a stretch. A bracket whose top is already in that
  /// stretch (the last draw's answer was decided on the tails, and this one is near it) goes to the tails at once,
  /// without first finding where the stretch begins.
  func solved(
    _ p: Double, lo: Double, hi: Double, fLo: Double, fHi: Double, _ cdf: (Double) -> Double
  ) -> Double {
    if case .mixture(let parts) = self, Swift.abs(fHi) <= 1e-12 {
      return tailsQuantile(parts, p, lo: lo, hi: hi, cdf)
    }
    return onTails(p, Self.illinois(p, lo: lo, hi: hi, fLo: fLo, fHi: fHi, cdf: cdf), cdf)
  }

  /// [lo, hi] widened by a growing factor (1.1, then its square, …) until an increasing `margin` is < 0 at lo and
  /// ≥ 0 at hi: upwards at most 200 times, downwards to 1e-12. The caller checks that it got there.
  static func widened(lo: Double, hi: Double, _ margin: (Double) -> Double) -> (
    lo: Double, hi: Double, fLo: Double, fHi: Double
  ) {
    var lo = lo
    var hi = hi
    var fLo = margin(lo)
    var fHi = lo == hi ? fLo : margin(hi)
    var step = 1.1
    var guardCount = 0
    while fHi < 0 && guardCount < 200 {
      lo = hi
      fLo = fHi
      hi *= step
      step *= step
      fHi = margin(hi)
      guardCount += 1
    }
    step = 1.1
    while fLo >= 0 && lo > 1e-12 {
      hi = lo
      fHi = fLo
      lo /= step
      step *= step
      fLo = margin(lo)
    }
    return (lo, hi, fLo, fHi)
  }

  /// `q`, or `percentile(p)` where a mixture's CDF just below q is still within 1e-12 of p: there the CDF can be p
  /// in `Double` across a stretch (hits weighing exactly p), whose start the secant finds, while the crossing is
  /// where the tails decide it (`percentile`, docs/model.md §6). At an ordinary crossing the CDF 1e-6 below q is
  /// further from p than that (by the density there × 1e-6 q), so the check costs one CDF and rarely more.
  func onTails(_ p: Double, _ q: Double, _ cdf: (Double) -> Double) -> Double {
    guard case .mixture(let parts) = self, Swift.abs(cdf(q * (1 - 1e-6)) - p) <= 1e-12 else {
      return q
    }
    return tailsQuantile(parts, p, lo: q, hi: q, cdf)
  }

  /// The least x where `percentile`'s test holds, solved from the bracket [lo, hi] (widened as needed).
  func tailsQuantile(
    _ parts: [(weight: Double, LatencyDistribution)], _ p: Double, lo: Double, hi: Double,
    _ cdf: (Double) -> Double
  ) -> Double {
    // `percentile`'s test, "F(x) ≥ p", as a signed margin (≥ 0 exactly where it holds, increasing in x): F − p,
    // or where F is within 1e-12 of p the tails' margin. A secant on it takes a handful of tail evaluations where
    // the bisection of `percentile` takes forty, each an integral for a LIST + GETs load.
    func margin(_ x: Double) -> Double {
      let F = cdf(x)
      if Swift.abs(F - p) <= 1e-12 { return Self.mixtureMargin(parts, p, at: x) }
      return F - p
    }
    let b = Self.widened(lo: lo, hi: hi, margin)
    guard b.fLo < 0, b.fHi >= 0 else { return percentile(p) }
    return Self.illinois(lo: b.lo, hi: b.hi, fLo: b.fLo, fHi: b.fHi, margin)
  }
}
