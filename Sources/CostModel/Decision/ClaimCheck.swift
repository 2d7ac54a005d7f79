import Foundation

/// A claim with the value costplan computes and whether it holds (docs/model.md §8).
public struct ClaimResult: Sendable {
  public var claim: Claim
  /// What costplan computes for the claim's metric (cost in USD or latency in ms).
  public var computed: String
  /// What the claim says, in the same words.
  public var expected: String
  public var holds: Bool?
  public var detail: String
}

public enum ClaimCheck {
  /// `known` holds estimates already made (the report's scales), so a claim at one of them costs nothing.
  public static func evaluate(
    _ claim: Claim, estimator: Estimator, latency: LatencyTable?, known: [OptionEstimate] = []
  ) throws(DataError) -> ClaimResult {
    let s = estimator.scenario
    func estimate(_ o: OptionSpec) throws(DataError) -> OptionEstimate {
      if let e = known.first(where: { $0.option.id == o.id && $0.scale == claim.scale }) {
        return e
      }
      return try estimator.estimate(o, scale: claim.scale)
    }
    let option = s.option(claim.option)!
    let e = try estimate(option)
    var value: Double
    var shown: String
    if claim.metric == .monthlyCost {
      value = DecimalMath.toDouble(e.total)
      shown = MoneyFormat.usd(e.total)
    } else {
      guard let latency else {
        return ClaimResult(
          claim: claim, computed: "—", expected: expectation(claim), holds: nil,
          detail: "no latency.json for this region")
      }
      let l = try LatencyModel.estimate(
        e, workload: estimator.workload(at: claim.scale), table: latency, scenarioFile: s.file)
      switch claim.metric {
      case .readP50Ms: value = l.readP50Ms
      case .readP99Ms: value = l.readP99Ms
      case .writeP50Ms: value = l.writeP50Ms
      default: value = l.writeP99Ms
      }
      shown = LatencyFormat.ms(value)
    }
    var holds: Bool
    var detail =
      e.feasible
      ? ""
      : "the option is infeasible at this scale: \(e.infeasibleReasons.joined(separator: "; "))"
    switch claim.test {
    case .atMost(let limit): holds = value <= DecimalMath.toDouble(limit)
    case .atLeast(let limit): holds = value >= DecimalMath.toDouble(limit)
    case .approximately(let target, let tol):
      let t = DecimalMath.toDouble(target)
      let off = t == 0 ? (value == 0 ? 0 : Double.infinity) : (value - t) / t * 100
      holds = abs(off) <= DecimalMath.toDouble(tol)
      let offText = off.isFinite ? String(format: "%+.0f%%", off) : "n/a"
      detail = [detail, "\(offText) from the claim"].filter { !$0.isEmpty }.joined(separator: "; ")
    case .cheaperThan(let other, let byPercent, let tol):
      let o = try estimate(s.option(other)!)
      let otherCost = DecimalMath.toDouble(o.total)
      let saving = otherCost == 0 ? 0 : (1 - value / otherCost) * 100
      if let byPercent {
        holds = abs(saving - DecimalMath.toDouble(byPercent)) <= DecimalMath.toDouble(tol)
      } else {
        holds = e.total < o.total
      }
      detail = [
        detail,
        "`\(other)` costs \(MoneyFormat.usd(o.total)); "
          + (value < otherCost
            ? String(format: "%.0f%% cheaper", saving) : String(format: "%.0f%% dearer", -saving)),
      ].filter { !$0.isEmpty }.joined(separator: "; ")
    }
    return ClaimResult(
      claim: claim, computed: shown, expected: expectation(claim), holds: holds, detail: detail)
  }

  static func expectation(_ c: Claim) -> String {
    let unit: (Decimal) -> String = {
      c.metric == .monthlyCost ? MoneyFormat.usd($0) : "\(MoneyFormat.exact($0)) ms"
    }
    switch c.test {
    case .atMost(let v): return "≤ \(unit(v))"
    case .atLeast(let v): return "≥ \(unit(v))"
    case .approximately(let v, let tol): return "≈ \(unit(v)) (±\(MoneyFormat.exact(tol))%)"
    case .cheaperThan(let o, let by, let tol):
      if let by {
        return "\(MoneyFormat.exact(by))% (±\(MoneyFormat.exact(tol))) cheaper than `\(o)`"
      }
      return "cheaper than `\(o)`"
    }
  }
}
