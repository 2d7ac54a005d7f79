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
  /// The draws of the scenario's ranges (docs/model.md §10), when sampled.
  public var sampling: SamplingResult?
  /// Each ranged input's swing at each scale (empty without ranges).
  public var sensitivity: [ScaleSensitivity] = []
  /// Month by month over the horizon at each scale (docs/model.md §11): only with `withProjection`, for a
  /// scenario that has `growth` (the report's projection section).
  public var projection: ProjectionResult?

  public init(
    scenario: Scenario, book: RateBook, scales: [Decimal]? = nil, withCrossovers: Bool = true,
    withProjection: Bool = false
  ) throws(DataError) {
    self.scenario = scenario
    self.book = book
    self.scales = scales ?? scenario.scales
    let estimator = Estimator(scenario: scenario, book: book)
    let scaleList0 = self.scales
    self.estimates = try Timings.measure("\(scenario.name): exact estimates") {
      () throws(DataError) in try estimator.estimateAll(scales: scaleList0)
    }
    // Latency depends on the scale only through the hit ratio and the pause probability: compute it once per
    // distinct input (the LIST + GET convolution is the costly part), the distinct inputs on every core.
    var latencies: [[LatencyEstimate?]] = estimates.map { $0.map { _ in nil } }
    if let table = book.latency {
      var keyOf: [[Int]] = []
      var firstUse: [(i: Int, j: Int)] = []
      var known: [String: Int] = [:]
      for (i, row) in estimates.enumerated() {
        var keys: [Int] = []
        for (j, e) in row.enumerated() {
          let key =
            "\(e.option.id)|\(e.facts.hitRatio.map { "\($0)" } ?? "")|\(e.facts.pausedProbability ?? -1)"
          if let k = known[key] {
            keys.append(k)
            continue
          }
          known[key] = firstUse.count
          keys.append(firstUse.count)
          firstUse.append((i, j))
        }
        keyOf.append(keys)
      }
      let all = estimates
      let scaleList = self.scales
      let file = scenario.file
      let uses = firstUse
      let computed = parallelMap(uses.indices) { k -> Result<LatencyEstimate, DataError> in
        let (i, j) = uses[k]
        do throws(DataError) {
          return .success(
            try LatencyModel.estimate(
              all[i][j], workload: estimator.workload(at: scaleList[i]), table: table,
              scenarioFile: file))
        } catch { return .failure(error) }
      }
      // The first failure in (scale, option) order is the one thrown, as a sequential pass would throw it.
      for (i, keys) in keyOf.enumerated() {
        for (j, k) in keys.enumerated() { latencies[i][j] = try computed[k].get() }
      }
    }
    self.latencies = latencies
    let scaleList = self.scales
    let all = self.estimates
    self.decisions = all.indices.map { i in
      DecisionMatrix.decide(
        scale: scaleList[i], estimates: all[i], latencies: latencies[i], weights: scenario.weights)
    }
    self.curves =
      withCrossovers
      ? try Timings.measure("\(scenario.name): curves, crossovers") { () throws(DataError) in
        try BreakEven.curves(estimator: estimator)
      } : nil
    let known = all.flatMap { $0 }
    let latencyTable = book.latency
    let checked = parallelMap(scenario.claims) { c -> Result<ClaimResult, DataError> in
      do throws(DataError) {
        return .success(
          try ClaimCheck.evaluate(c, estimator: estimator, latency: latencyTable, known: known))
      } catch {
        return .failure(error)
      }
    }
    var claims: [ClaimResult] = []
    for c in checked { claims.append(try c.get()) }
    self.claims = claims
    if withProjection && scenario.growth != nil {
      let scales = self.scales
      self.projection = try Timings.measure("\(scenario.name): projection") {
        () throws(DataError) in try Projector.project(estimator, scales: scales)
      }
    }
  }

  /// Samples the scenario's ranges with `plan`, and finds each ranged input's swing (docs/model.md §10).
  public mutating func addUncertainty(sampling plan: SamplingPlan?) throws(DataError) {
    let (scenario, book, scales, decisions) = (
      self.scenario, self.book, self.scales, self.decisions
    )
    sensitivity = try Timings.measure("\(scenario.name): sensitivity") { () throws(DataError) in
      try Sensitivity.analyse(scenario: scenario, book: book, scales: scales, decisions: decisions)
    }
    guard let plan else { return }
    sampling = try Timings.measure("\(scenario.name): \(plan.samples) draws") {
      () throws(DataError) in
      try Sampler.run(
        scenario: scenario, book: book, scales: scales, decisions: decisions, plan: plan)
    }
  }

  /// Every rate the estimates used, sorted by reference, for the sources table.
  /// Every rate a line item bills, by the line's rate reference. A `:savings-plan` reference bills the rate's
  /// price less `planDiscount` (the rate's `savingsPlanDiscount`, docs/model.md §3.6); nil for every other.
  public var ratesUsed: [(ref: String, rate: Rate, planDiscount: Decimal?)] {
    var seen = Set<String>()
    var out: [(ref: String, rate: Rate, planDiscount: Decimal?)] = []
    for row in estimates {
      for e in row {
        for l in e.lines where !seen.contains(l.rateRef) {
          seen.insert(l.rateRef)
          let parts = CostLine.listedRef(l.rateRef).split(separator: "/", maxSplits: 1).map(
            String.init)
          if let rate = book.rate(parts[0], parts[1]) {
            out.append(
              (l.rateRef, rate, l.isSavingsPlanShare ? rate.decimals.savingsPlanDiscount : nil))
          }
        }
      }
    }
    return out.sorted { $0.ref < $1.ref }
  }
}
