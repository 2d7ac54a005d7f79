import Foundation

/// A claim with the value costplan computes and whether it holds (docs/model.md §8): values only; the reports
/// word them.
public struct ClaimResult: Sendable {
  public var claim: Claim
  /// What costplan computes for the claim's metric.
  public enum Computed: Sendable, Equatable {
    /// A monthly cost in USD.
    case cost(Decimal)
    /// A latency in milliseconds.
    case latency(Double)
    /// A latency claim where the region has no latency table.
    case noLatencyTable
  }
  public var computed: Computed
  /// nil when it cannot be checked (no latency table).
  public var holds: Bool?
  /// Why the claim's option is infeasible at the claim's scale (empty when it is feasible).
  public var infeasibleReasons: [String]
  /// For an "approximately" claim: how far the computed value is from the claimed one, in percent (nil when the
  /// claimed value is 0 and the computed one is not).
  public var offPercent: Double?
  /// For a "cheaper than" claim: the other option, its monthly cost, whether the claim's option costs less, and
  /// how much less in percent of the other's cost (negative: more).
  public var other: (id: String, cost: Decimal, cheaper: Bool, savingPercent: Double)?
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
    var result = ClaimResult(
      claim: claim, computed: .noLatencyTable, holds: nil,
      infeasibleReasons: e.infeasibleReasons, offPercent: nil, other: nil)
    if claim.metric == .monthlyCost {
      value = DecimalMath.toDouble(e.total)
      result.computed = .cost(e.total)
    } else {
      guard let latency else {
        result.infeasibleReasons = []
        return result
      }
      let l = try LatencyModel.estimate(
        e, workload: estimator.workload(at: claim.scale), table: latency, scenarioFile: s.file)
      switch claim.metric {
      case .readP50Ms: value = l.readP50Ms
      case .readP99Ms: value = l.readP99Ms
      case .writeP50Ms: value = l.writeP50Ms
      default: value = l.writeP99Ms
      }
      result.computed = .latency(value)
    }
    switch claim.test {
    case .atMost(let limit): result.holds = value <= DecimalMath.toDouble(limit)
    case .atLeast(let limit): result.holds = value >= DecimalMath.toDouble(limit)
    case .approximately(let target, let tol):
      let t = DecimalMath.toDouble(target)
      let off = t == 0 ? (value == 0 ? 0 : Double.infinity) : (value - t) / t * 100
      result.holds = abs(off) <= DecimalMath.toDouble(tol)
      result.offPercent = off.isFinite ? off : nil
    case .cheaperThan(let other, let byPercent, let tol):
      let o = try estimate(s.option(other)!)
      let otherCost = DecimalMath.toDouble(o.total)
      let saving = otherCost == 0 ? 0 : (1 - value / otherCost) * 100
      if let byPercent {
        result.holds = abs(saving - DecimalMath.toDouble(byPercent)) <= DecimalMath.toDouble(tol)
      } else {
        result.holds = e.total < o.total
      }
      result.other = (other, o.total, value < otherCost, saving)
    }
    return result
  }
}
