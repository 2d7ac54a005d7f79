import CostModel
import Foundation

/// The words of a checked claim (docs/model.md §8), the same in the Markdown, the HTML and the JSON: what the
/// claim expects, what costplan computes, and the detail beside the verdict.
extension ClaimResult {
  /// What the claim says, e.g. "≤ $5.00" or "12% (±3) cheaper than `s3`".
  public var expected: String {
    let c = claim
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

  /// The computed value in the claim's unit ("—" without a latency table).
  public var computedText: String {
    switch computed {
    case .cost(let c): return MoneyFormat.usd(c)
    case .latency(let ms): return LatencyFormat.ms(ms)
    case .noLatencyTable: return "—"
    }
  }

  /// Why the claim holds or not beyond the two values: infeasibility, the distance from an approximate claim, the
  /// other option's cost.
  public var detail: String {
    if computed == .noLatencyTable { return "no latency.json for this region" }
    var parts: [String] = []
    if !infeasibleReasons.isEmpty {
      parts.append(
        "the option is infeasible at this scale: \(infeasibleReasons.joined(separator: "; "))")
    }
    if case .approximately = claim.test {
      let offText = offPercent.map { Self.percent($0, signed: true) } ?? "n/a"
      parts.append("\(offText) from the claim")
    }
    if let o = other {
      parts.append(
        "`\(o.id)` costs \(MoneyFormat.usd(o.cost)), so `\(claim.option)` is "
          + (o.cheaper
            ? "\(Self.percent(o.savingPercent)) cheaper"
            : "\(Self.percent(-o.savingPercent)) dearer"))
    }
    return parts.joined(separator: "; ")
  }

  /// A percentage to whole percent, with one decimal where whole percent would read as 100% or 0% but is not.
  static func percent(_ v: Double, signed: Bool = false) -> String {
    let whole = v.rounded()
    let decimals = (Swift.abs(whole) == 100 || whole == 0) && v != whole ? 1 : 0
    return String(format: signed ? "%+.\(decimals)f%%" : "%.\(decimals)f%%", v)
  }
}
