import Foundation

/// A scenario with every option priced at every scale: what the renderers work from.
public struct ScenarioResult: Sendable {
  public var scenario: Scenario
  public var book: RateBook
  public var scales: [Decimal]
  /// `estimates[i][j]`: scale i, option j (scenario order).
  public var estimates: [[OptionEstimate]]
  /// `latencies[i][j]`, nil when the region has no latency.json.
  public var latencies: [[LatencyEstimate?]]
  /// The decision matrix at each scale.
  public var decisions: [ScaleDecision]
  /// Every option's cost over [0.01, 10^6] and every crossover of every pair (empty without crossovers).
  public var curves: CostCurves?
  public var crossovers: [Crossover] { curves?.crossovers ?? [] }
  public var claims: [ClaimResult]

  public init(scenario: Scenario, book: RateBook, scales: [Decimal]? = nil, withCrossovers: Bool = true) throws(DataError) {
    self.scenario = scenario
    self.book = book
    self.scales = scales ?? scenario.scales
    let estimator = Estimator(scenario: scenario, book: book)
    self.estimates = try estimator.estimateAll(scales: self.scales)
    // Latency depends on the scale only through the hit ratio and the pause probability: compute it once per
    // distinct input (the LIST + GET convolution is the costly part).
    var memo: [String: LatencyEstimate] = [:]
    var latencies: [[LatencyEstimate?]] = []
    for (i, row) in estimates.enumerated() {
      var l: [LatencyEstimate?] = []
      for e in row {
        guard let table = book.latency else { l.append(nil); continue }
        let key = "\(e.option.id)|\(e.facts.hitRatio.map { "\($0)" } ?? "")|\(e.facts.pausedProbability ?? -1)"
        if let known = memo[key] { l.append(known); continue }
        let value = try LatencyModel.estimate(e, workload: estimator.workload(at: self.scales[i]), table: table, scenarioFile: scenario.file)
        memo[key] = value
        l.append(value)
      }
      latencies.append(l)
    }
    self.latencies = latencies
    let scaleList = self.scales, all = self.estimates
    self.decisions = all.indices.map { i in
      DecisionMatrix.decide(scale: scaleList[i], estimates: all[i], latencies: latencies[i], weights: scenario.weights)
    }
    self.curves = withCrossovers ? try BreakEven.curves(estimator: estimator) : nil
    var claims: [ClaimResult] = []
    let known = all.flatMap { $0 }
    for c in scenario.claims { claims.append(try ClaimCheck.evaluate(c, estimator: estimator, latency: book.latency, known: known)) }
    self.claims = claims
  }

  /// Every rate the estimates used, sorted by reference, for the sources table.
  public var ratesUsed: [(ref: String, rate: Rate)] {
    var seen = Set<String>()
    var out: [(String, Rate)] = []
    for row in estimates {
      for e in row {
        for l in e.lines where !seen.contains(l.rateRef) {
          seen.insert(l.rateRef)
          let parts = l.rateRef.split(separator: "/", maxSplits: 1).map(String.init)
          let id = parts[1].hasSuffix(":savings-plan") ? String(parts[1].dropLast(":savings-plan".count)) : parts[1]
          if let rate = book.rate(parts[0], id) { out.append((l.rateRef, rate)) }
        }
      }
    }
    return out.sorted { $0.0 < $1.0 }
  }
}
