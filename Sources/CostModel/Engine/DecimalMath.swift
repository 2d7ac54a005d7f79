import Foundation

/// Money and quantities are `Decimal` (docs/model.md §1); these are the few operations Foundation lacks.
public enum DecimalMath {
  /// 2^30: AWS's S3 example divides byte-hours by this (the one declaration is `CostNumber.bytesPerGiB`).
  public static let bytesPerGB: Decimal = .bytesPerGiB
  /// The pricing month (the one declaration is `CostNumber.hoursPerMonth`).
  public static let hoursPerMonth: Decimal = .hoursPerMonth
  public static let secondsPerMonth: Decimal = 2_628_000  // 730 × 3600
  /// 0.5 exactly (not parsed from text on every use).
  public static let half = Decimal(sign: .plus, exponent: -1, significand: 5)

  public static func ceil(_ x: Decimal) -> Decimal { round(x, 0, .up) }
  public static func floor(_ x: Decimal) -> Decimal { round(x, 0, .down) }

  /// 1, 0.1, 0.01, … 1e-38, each read once from its text (exact).
  static let inversePowersOfTen: [Decimal] = (0...38).map { Decimal(string: "1e-\($0)")! }

  public static func round(_ x: Decimal, _ scale: Int, _ mode: NSDecimalNumber.RoundingMode)
    -> Decimal
  {
    var input = x
    var out = Decimal()
    NSDecimalRound(&out, &input, scale, mode)
    return out
  }

  /// Converts a probability computed in `Double` (with `exp`) to `Decimal` once, where it meets a quantity.
  /// (`Decimal(string:)` without a locale reads "." whatever LANG says, and builds no Locale.)
  public static func fromDouble(_ d: Double) -> Decimal {
    guard d.isFinite else { return 0 }
    return Decimal(string: String(format: "%.17g", d)) ?? Decimal(d)
  }

  /// `d` to 15 significant digits (a drawn value: sampling converts several a draw, and `Decimal(Double)` costs
  /// thousands of instructions): the digits are `d` scaled by a power of ten into [10^14, 10^15), rounded.
  public static func fromDoubleFast(_ d: Double) -> Decimal {
    guard d.isFinite else { return 0 }
    guard d != 0 else { return Decimal(0) }
    let a = Swift.abs(d)
    var e = Int(Foundation.log10(a).rounded(.down)) - 14
    var m = (a / Foundation.pow(10, Double(e))).rounded()
    // log10 may be one off near a power of ten.
    if m >= 1e15 {
      e += 1
      m = (a / Foundation.pow(10, Double(e))).rounded()
    } else if m < 1e14 {
      e -= 1
      m = (a / Foundation.pow(10, Double(e))).rounded()
    }
    guard m >= 0, m < 1.8e19, (-120...120).contains(e) else { return fromDouble(d) }
    return Decimal(
      sign: d < 0 ? .minus : .plus, exponent: e, significand: Decimal(UInt64(m)))
  }

  /// The same value `NSDecimalNumber(decimal:).doubleValue` gives, bit for bit (mantissa words high to low, × 65536
  /// each, then the exponent applied by repeated × or ÷ 10, as Foundation does), without allocating an
  /// NSDecimalNumber: the break-even search converts thousands of settings (57 ns each that way).
  public static func toDouble(_ d: Decimal) -> Double {
    // The fields from the value's bytes (DecimalArithmetic.fields): Foundation's `isNaN`, `exponent` and `sign` are
    // calls into it, which were most of a conversion's cost (sampling converts settings at every pricing).
    guard DecimalArithmetic.verified else {
      return NSDecimalNumber(decimal: d).doubleValue
    }
    let f = DecimalArithmetic.fields(d)
    if f.length == 0 && f.negative { return NSDecimalNumber(decimal: d).doubleValue }  // NaN
    var x = 0.0
    if f.mantissa < 1 << 53 {
      // Below 2^53 every partial sum of the words is exact: the same value, without the loop.
      x = Double(UInt64(f.mantissa))
    } else {
      for i in stride(from: 7, through: 0, by: -1) {
        x = x * 65536 + Double(UInt16(truncatingIfNeeded: f.mantissa >> (16 * i)))
      }
    }
    let e = f.exponent
    if e < 0 {
      for _ in e..<0 { x /= 10 }
    } else {
      for _ in 0..<e { x *= 10 }
    }
    return f.negative ? -x : x
  }

  /// Σ_{k=1}^{count} ⌈(a + k·b) / m⌉ for integers a, b ≥ 0, m > 0, computed in closed form:
  /// (a + k·b) mod m repeats with period p = m / gcd(b, m) ≤ m, so only one period is summed by hand.
  /// This is how per-request rounding of capacity units is priced for any number of records.
  public static func sumCeil<Q: CostNumber>(a: Int, b: Int, m: Int, count: Int, as: Q.Type) -> Q {
    guard count > 0 else { return 0 }
    let bm = b % m
    let am = a % m
    let period = m / gcd(bm, m)
    // pad_k = (−(a + k·b)) mod m: what ⌈⌉ adds to reach the next multiple of m.
    func pad(_ k: Int) -> Int {
      let r = (am + (k % period) * bm) % m
      return r == 0 ? 0 : m - r
    }
    let full = count / period
    // A whole period is summed only when the count spans one (a period can be m = 4096 terms long).
    var perPeriod = 0
    if full > 0 { for k in 1...period { perPeriod += pad(k) } }
    let rest = count % period
    var partial = 0
    if rest > 0 { for k in 1...rest { partial += pad(k) } }
    let n = Q(count)
    let linear = n * Q(a) + Q(b) * n * (n + 1) / 2
    return (linear + Q(full) * Q(perPeriod) + Q(partial)) / Q(m)
  }

  /// Σ_{k=1}^{count} max(1, k·s / 1024): ElastiCache Serverless ECPUs for loads of k records of s bytes.
  public static func sumECPU<Q: CostNumber>(bytesPerRecord s: Int, count: Int, as: Q.Type) -> Q {
    guard count > 0 else { return 0 }
    let belowOne = min(count, s == 0 ? count : 1023 / s)  // k·s < 1024 ⟺ k ≤ 1023 / s
    let n = Q(count)
    let lo = Q(belowOne)
    let sumK = n * (n + 1) / 2 - lo * (lo + 1) / 2
    return lo + Q(s) * sumK / 1024
  }

  static func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
  }
}
