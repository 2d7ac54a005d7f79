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
      let offText = offPercent.map { String(format: "%+.0f%%", $0) } ?? "n/a"
      parts.append("\(offText) from the claim")
    }
    if let o = other {
      parts.append(
        "`\(o.id)` costs \(MoneyFormat.usd(o.cost)); "
          + (o.cheaper
            ? String(format: "%.0f%% cheaper", o.savingPercent)
            : String(format: "%.0f%% dearer", -o.savingPercent)))
    }
    return parts.joined(separator: "; ")
  }
}
