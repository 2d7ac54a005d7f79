import Foundation

/// A guessed input written `{"low": a, "high": b}` (0 < a ≤ b): a lognormal whose P10 is a and P90 is b
/// (docs/model.md §10). Point results (compare, report) use its median √(a × b).
public struct InputRange: Sendable, Equatable {
  public var low: Decimal
  public var high: Decimal

  /// How a field's median is made usable: integer fields round half up to at least 1, a hit ratio is clamped to
  /// [0, 1], a peak-to-average ratio to [1, 24].
  public enum Kind: Sendable {
    case real, integer, fraction, peakToAverage

    /// A value as the field holds it.
    public func usable(_ d: Decimal) -> Decimal {
      switch self {
      case .real: return d
      case .integer: return Swift.max(1, DecimalMath.round(d, 0, .plain))
      case .fraction: return Swift.min(1, Swift.max(0, d))
      case .peakToAverage: return Swift.min(24, Swift.max(1, d))
      }
    }
  }

  public func median(_ kind: Kind) -> Decimal { kind.usable(DecimalMath.squareRoot(low * high)) }
}

extension JSONObjectReader {
  /// A number, or a range `{"low", "high"}` standing for one (its median, kept in `ranges` under the JSON path).
  /// The median must still satisfy `rule` (and `max` for integers).
  func numberOrRange(
    _ key: String, _ rule: NumberRule, kind: InputRange.Kind = .real, max: Decimal? = nil,
    ranges: inout [String: InputRange]
  ) throws(DataError) -> Decimal? {
    guard let n = node(key) else { return nil }
    guard case .object = n.value else {
      let d = try Self.decimal(n, rule, file: file, path: childPath(key))
      if let max, d > max {
        throw error(key, "expected \(rule.expectation) of at most \(max), found \(d)", at: n)
      }
      return d
    }
    let r = try JSONObjectReader(n, file: file, path: childPath(key))
    let low = try r.decimal("low", .positive)
    let high = try r.decimal("high", .positive)
    if low > high {
      throw r.error(
        "high",
        "expected at least low (\(low)): a range runs from its P10 up to its P90, found \(high)",
        at: r.node("high"))
    }
    try r.finish(allowed: ["low", "high"])
    let range = InputRange(low: low, high: high)
    let m = range.median(kind)
    if let max, m > max {
      throw error(key, "expected a range whose median is at most \(max), found \(m)", at: n)
    }
    ranges[childPath(key)] = range
    return m
  }
}

extension DecimalMath {
  /// √x for x ≥ 0: a Double first guess refined by Newton's iteration in Decimal (38 digits).
  public static func squareRoot(_ x: Decimal) -> Decimal {
    guard x > 0 else { return 0 }
    var r = Decimal(Foundation.sqrt(toDouble(x)))
    if r <= 0 { r = 1 }
    for _ in 0..<6 { r = (r + x / r) / 2 }
    return r
  }
}

/// `growth {monthlyPercent}`: traffic in month t is the scale × (1 + g/100)^(t−1) (docs/model.md §11; used by the
/// projection, not by the steady-state `compare` and `report`).
public struct GrowthSpec: Sendable {
  public var monthlyPercent: Decimal
}

/// `uncertainty {samples, seed}`: how many joint draws of the ranges, from which seed (docs/model.md §10).
public struct UncertaintySpec: Sendable {
  public var samples: Int
  public var seed: UInt64
}
