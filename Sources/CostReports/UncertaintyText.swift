import CostModel
import Foundation

/// The sentences and figures of the uncertainty sections (docs/model.md §10), for the terminal, Markdown and HTML:
/// option ids pass through `id` as in `DecisionReason.text(id:)`.
public enum UncertaintyText {
  /// A sampled dollar figure, rounded like every other: 2 decimals from $1, 4 significant digits below.
  public static func usd(_ x: Double) -> String {
    x.isFinite ? MoneyFormat.usd(DecimalMath.fromDouble(x)) : "n/a"
  }

  /// A share of the draws as a whole percentage; "<1%" and ">99%" rather than a misleading 0% or 100%.
  public static func percent(_ p: Double) -> String {
    if p <= 0 { return "0%" }
    if p >= 1 { return "100%" }
    if p < 0.005 { return "<1%" }
    if p >= 0.995 { return ">99%" }
    return "\(Int((p * 100).rounded()))%"
  }

  /// How sure the recommendation at one scale is.
  public static func verdict(_ sc: SampledScale, samples: Int, id: (String) -> String) -> String {
    let draws =
      "\(MoneyFormat.grouped(Decimal(samples), decimals: 0)) draw\(samples == 1 ? "" : "s")"
    guard let rec = sc.recommended, let share = sc.recommendedShare else {
      return "No option is feasible at the medians."
    }
    guard let tie = sc.tie else {
      return
        "\(id(rec)) ranks first in \(percent(share)) of the \(draws): the recommendation holds."
    }
    if tie.count >= 2 {
      let list = tie.map { "\(id($0.id)) \(percent($0.share))" }
      return
        "A tie: \(joined(list)) of the \(draws) (\(id(rec)), the pick at the medians, ranks first in fewer than 60%)."
    }
    if tie.count == 1, tie[0].id == rec {
      return
        "Uncertain: \(id(rec)) ranks first in only \(percent(share)) of the \(draws), and no other option in 20% or more."
    }
    let others = tie.map { "\(id($0.id)) \(percent($0.share))" }
    return
      "Uncertain: \(id(rec)), the pick at the medians, ranks first in only \(percent(share)) of the \(draws)"
      + (others.isEmpty ? ", and no option in 20% or more." : "; \(joined(others)).")
  }

  /// Scale `i` of a result: the verdict over its draws (and whether it is a tie) and the sentence naming what drives
  /// the recommended option's cost; each nil when the scenario was not sampled or has no ranges.
  public static func atScale(_ r: ScenarioResult, _ i: Int, id: (String) -> String) -> (
    verdict: String?, tie: Bool, drivers: String?
  ) {
    var said: String?
    var tie = false
    if let sampling = r.sampling, i < sampling.scales.count {
      said = Self.verdict(sampling.scales[i], samples: sampling.plan.samples, id: id)
      tie = sampling.scales[i].tie != nil
    }
    let named =
      i < r.sensitivity.count ? Self.drivers(r.sensitivity[i], scenario: r.scenario, id: id) : nil
    return (said, tie, named)
  }

  /// The three inputs that move the recommended option's cost most (docs/model.md §10's tornado, in words).
  public static func drivers(_ s: ScaleSensitivity, scenario: Scenario, id: (String) -> String)
    -> String?
  {
    let top = Array(s.drivers.prefix(3))
    guard !top.isEmpty else { return nil }
    let option = scenario.options[s.sortedBy].id
    let parts = top.map { b in
      "\(b.label) (\(usd(b.costAtLow[s.sortedBy])) at \(value(b.lowValue)) to \(usd(b.costAtHigh[s.sortedBy])) at \(value(b.highValue)))"
    }
    var text = "Most of the uncertainty in \(id(option))'s cost is \(parts[0])"
    if parts.count > 1 { text += ", then " + joined(Array(parts.dropFirst())) }
    return text + "."
  }

  /// An input's value for a sentence: up to 4 significant digits, grouped.
  public static func value(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    if x >= 1000, x == x.rounded() { return MoneyFormat.grouped(Decimal(Int(x)), decimals: 0) }
    var text = MoneyFormat.significant(DecimalMath.fromDouble(x), digits: 4)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  static func joined(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    case 2: return "\(items[0]) and \(items[1])"
    default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
  }

  /// The options worth a row in a sampled table: every option that wins or is cheapest in at least 1% of the
  /// draws, and the recommended one; in scenario order.
  public static func notable(_ sc: SampledScale) -> [SampledOption] {
    sc.options.filter {
      $0.winProbability >= 0.01 || $0.cheapestProbability >= 0.01 || $0.id == sc.recommended
    }
  }
}
