import Foundation

/// One input of a scenario given as a range (docs/model.md §10), and where its value goes.
public struct RangedInput: Sendable {
  public enum Target: Sendable, Equatable {
    /// A `workload` field, by name (`entitiesPerMonth`).
    case workload(String)
    /// An option's setting: the option's index and the setting's path inside it (`cache.hitRatio`).
    case option(Int, String)
  }
  /// The JSON path, `workload.entitiesPerMonth` or `options[2].cache.hitRatio`.
  public var path: String
  public var range: InputRange
  public var kind: InputRange.Kind
  public var target: Target

  /// The lognormal's parameters: P10 = low, P90 = high, μ = (ln a + ln b) / 2, σ = (ln b − ln a) / (2 z₀.₉).
  public var mu: Double { (Foundation.log(low) + Foundation.log(high)) / 2 }
  public var sigma: Double { (Foundation.log(high) - Foundation.log(low)) / (2 * Self.z90) }
  public var low: Double { DecimalMath.toDouble(range.low) }
  public var high: Double { DecimalMath.toDouble(range.high) }
  /// z of the standard normal's 90th percentile.
  public static let z90 = 1.2815515655446004

  /// The value as the field holds it: integers round half up to at least 1, a hit ratio is clamped to [0, 1], a
  /// peak-to-average ratio to [1, 24].
  public static func usable(_ x: Double, _ kind: InputRange.Kind) -> Double {
    switch kind {
    case .real: return x
    case .integer: return Swift.max(1, (x + 0.5).rounded(.down))
    case .fraction: return Swift.min(1, Swift.max(0, x))
    case .peakToAverage: return Swift.min(24, Swift.max(1, x))
    }
  }

  /// A short name for tables and charts: the field, with the option's id for an option setting.
  public func label(in scenario: Scenario) -> String {
    switch target {
    case .workload(let field): return field
    case .option(let i, let field): return "\(scenario.options[i].id) \(field)"
    }
  }
}

extension InputRange.Kind {
  /// The kind of a ranged field, by its name (docs/model.md §10).
  static func of(field: String) -> InputRange.Kind {
    switch field {
    case "recordsPerEntity", "recordBytes": return .integer
    case "cache.hitRatio", "hitRatio": return .fraction
    case "peakToAverage": return .peakToAverage
    default: return .real
    }
  }
}

extension Scenario {
  /// Every input given as a range: the workload's in field order, then each option's in option order.
  public var rangedInputs: [RangedInput] {
    var out: [RangedInput] = []
    for field in Workload.fields {
      let path = "workload.\(field)"
      if let r = workload.ranges[path] {
        out.append(
          RangedInput(path: path, range: r, kind: .of(field: field), target: .workload(field)))
      }
    }
    for (i, o) in options.enumerated() {
      for (path, r) in o.ranges.sorted(by: { $0.key < $1.key }) {
        let field = String(path.dropFirst(o.path.count + 1))
        out.append(
          RangedInput(path: path, range: r, kind: .of(field: field), target: .option(i, field)))
      }
    }
    return out
  }

  /// The scenario with one ranged input set to `value` (already made usable for its kind).
  public func setting(_ input: RangedInput, to value: Decimal) -> Scenario {
    var s = self
    switch input.target {
    case .workload(let field): s.workload.set(field, value)
    case .option(let i, let field):
      let o = s.options[i]
      if let settings = o.model.setting(field, to: value, in: o.settings) {
        s.options[i].settings = settings
      }
    }
    return s
  }
}

extension Workload {
  /// Sets a field a range may stand for (docs/model.md §10); integers are given whole. A traffic profile made from
  /// `peakToAverage` follows it.
  mutating func set(_ field: String, _ value: Decimal) {
    switch field {
    case "entitiesPerMonth": entitiesPerMonth = value
    case "recordsPerEntity": recordsPerEntity = Self.wholeNumber(value, max: Self.maxRecords)
    case "recordBytes": recordBytes = Self.wholeNumber(value, max: Self.maxBytes)
    case "loadsPerRecord": loadsPerRecord = value
    case "loadsPerEntity": loadsPerEntity = value
    case "entityLifetimeMinutes": entityLifetimeMinutes = value
    case "peakToAverage":
      peakToAverage = value
      if !profile.custom { profile = TrafficProfile.peakToAverage(value) }
    default: break
    }
  }

  /// `set(field, Decimal(n))` for a whole number `n` (an integer field's draw), without Decimal arithmetic.
  mutating func set(_ field: String, whole n: Int) {
    switch field {
    case "recordsPerEntity":
      recordsPerEntity = n >= Self.maxRecords ? Self.maxRecords : Swift.max(1, n)
    case "recordBytes": recordBytes = n >= Self.maxBytes ? Self.maxBytes : Swift.max(1, n)
    default: set(field, Decimal(n))
    }
  }

  /// A positive whole number from a Decimal, capped at `max` (a far draw of a lognormal must not trap).
  static func wholeNumber(_ d: Decimal, max: Int) -> Int {
    guard d < Decimal(max) else { return max }
    return Swift.max(1, NSDecimalNumber(decimal: d).intValue)
  }
}
