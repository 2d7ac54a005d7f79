import Foundation

/// One ranged input's effect at one scale: every option's monthly cost with the input at its P10 and at its P90,
/// the other inputs at their medians (docs/model.md §10).
public struct SensitivityBar: Sendable {
  public var input: RangedInput
  public var label: String
  /// The input's value at P10 and P90, as the field holds it.
  public var lowValue: Double
  public var highValue: Double
  /// Per option (scenario order): monthly cost with the input at low and at high.
  public var costAtLow: [Double]
  public var costAtHigh: [Double]

  public func swing(_ option: Int) -> Double { Swift.abs(costAtHigh[option] - costAtLow[option]) }
}

/// The tornado at one scale: the bars sorted by the swing of the option recommended at the medians.
public struct ScaleSensitivity: Sendable {
  public var scale: Decimal
  public var recommended: String?
  /// The index of the option the bars are sorted by (the recommended one, else the first option).
  public var sortedBy: Int
  /// Every option's monthly cost at the medians (the point result, in `Double`).
  public var medianCost: [Double]
  public var bars: [SensitivityBar]

  /// The inputs that move the sorted-by option's cost at all, largest swing first.
  public var drivers: [SensitivityBar] { bars.filter { $0.swing(sortedBy) > 0 } }
}

public enum Sensitivity {
  public static func analyse(
    scenario: Scenario, book: RateBook, scales: [Decimal], decisions: [ScaleDecision]
  ) throws(DataError) -> [ScaleSensitivity] {
    let inputs = scenario.rangedInputs
    guard !inputs.isEmpty else { return [] }
    let base = Estimator(scenario: scenario, book: book)
    // Two estimators per input: the input at P10 and at P90.
    var ends: [(Estimator, Estimator, Double, Double)] = []
    for input in inputs {
      let low = input.kind.usable(input.range.low)
      let high = input.kind.usable(input.range.high)
      ends.append(
        (
          Estimator(scenario: scenario.setting(input, to: low), book: book),
          Estimator(scenario: scenario.setting(input, to: high), book: book),
          DecimalMath.toDouble(low), DecimalMath.toDouble(high)
        ))
    }
    var out: [ScaleSensitivity] = []
    for (i, scale) in scales.enumerated() {
      let s = DecimalMath.toDouble(scale)
      let recommended = i < decisions.count ? decisions[i].recommended : nil
      let sortedBy = recommended.flatMap { id in scenario.options.firstIndex { $0.id == id } } ?? 0
      var median: [Double] = []
      for o in scenario.options { median.append(try base.quickTotal(o, scale: s).total) }
      var bars: [SensitivityBar] = []
      for (k, input) in inputs.enumerated() {
        let (lowEstimator, highEstimator, low, high) = ends[k]
        var atLow: [Double] = []
        var atHigh: [Double] = []
        for (j, _) in scenario.options.enumerated() {
          atLow.append(
            try lowEstimator.quickTotal(lowEstimator.scenario.options[j], scale: s).total)
          atHigh.append(
            try highEstimator.quickTotal(highEstimator.scenario.options[j], scale: s).total)
        }
        bars.append(
          SensitivityBar(
            input: input, label: input.label(in: scenario), lowValue: low, highValue: high,
            costAtLow: atLow, costAtHigh: atHigh))
      }
      let order = bars.indices.sorted { a, b in
        let (x, y) = (bars[a].swing(sortedBy), bars[b].swing(sortedBy))
        return x != y ? x > y : a < b
      }
      out.append(
        ScaleSensitivity(
          scale: scale, recommended: recommended, sortedBy: sortedBy, medianCost: median,
          bars: order.map { bars[$0] }))
    }
    return out
  }
}
