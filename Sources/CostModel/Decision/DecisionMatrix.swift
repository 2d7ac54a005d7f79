import Foundation

/// One option's row of the decision matrix at one scale.
public struct MatrixRow: Sendable {
  public var optionId: String
  public var cost: Decimal
  public var latency: LatencyEstimate?
  public var feasible: Bool
  public var reasons: [String]
  /// Criterion → score in [0, 1]; empty when infeasible.
  public var criteria: [(name: String, score: Double)]
  public var score: Double?
  public var rank: Int?
  public var pareto: Bool
}

/// Why the recommended option wins, as values; the renderers make the sentence (Markdown, HTML, the terminal and
/// JSON each their own way). nil `option`: no option is feasible.
public struct DecisionReason: Sendable, Equatable {
  public enum Strength: Sendable, Equatable {
    case cheapest(monthly: Decimal)
    case fastestReads(p99Ms: Double)
    case fastestWrites(p99Ms: Double)
    case durable, nativeExpiry, leastToOperate
  }

  public var option: String?
  public var score: Double = 0
  public var feasibleCount: Int = 0
  /// The criteria on which the option scores best, in the weights' order.
  public var strengths: [Strength] = []
  public var monthly: Decimal = 0
  public var readP99Ms: Double?
}

/// The decision at one scale (docs/model.md §6).
public struct ScaleDecision: Sendable {
  public var scale: Decimal
  public var rows: [MatrixRow]  // scenario order
  public var recommended: String?
  /// Why, as values (the renderers write the sentence).
  public var why: DecisionReason

  public var ranked: [MatrixRow] {
    rows.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! } + rows.filter { $0.rank == nil }
  }
  public var paretoSet: [String] { rows.filter(\.pareto).map(\.optionId) }
}

public enum DecisionMatrix {
  /// Values whose logarithms are this close are equal (docs/model.md §6): above the noise of a percentile found by
  /// bisection to 1e-10 and of a cost turned from `Decimal` into `Double`, so that two options equal in truth score
  /// alike, and far below any difference a report shows.
  static let equalWithin = 1e-9

  /// Scores `1 − (ln x − ln min) / (ln max − ln min)`; 1 when all are equal (docs/model.md §6).
  static func logScores(_ values: [Double]) -> [Double] {
    let logs = values.map { Foundation.log(Swift.max($0, 1e-12)) }
    guard let lo = logs.min(), let hi = logs.max(), hi - lo > equalWithin else {
      return values.map { _ in 1 }
    }
    return logs.map { 1 - ($0 - lo) / (hi - lo) }
  }

  public static func decide(
    scale: Decimal, estimates: [OptionEstimate], latencies: [LatencyEstimate?], weights: Weights
  ) -> ScaleDecision {
    var rows = estimates.enumerated().map { i, e in
      MatrixRow(
        optionId: e.option.id, cost: e.total, latency: latencies[i], feasible: e.feasible,
        reasons: e.infeasibleReasons, criteria: [], score: nil, rank: nil, pareto: false)
    }
    let feasible = rows.indices.filter { rows[$0].feasible }
    guard !feasible.isEmpty else {
      return ScaleDecision(
        scale: scale, rows: rows, recommended: nil, why: DecisionReason(option: nil))
    }
    let haveLatency = feasible.allSatisfy { rows[$0].latency != nil }
    let w = { (d: Decimal) in DecimalMath.toDouble(d) }
    var criteria: [(String, Double, [Double])] = []
    criteria.append(
      ("cost", w(weights.cost), logScores(feasible.map { DecimalMath.toDouble(rows[$0].cost) })))
    if haveLatency {
      criteria.append(
        ("readP99", w(weights.readP99), logScores(feasible.map { rows[$0].latency!.readP99Ms })))
      criteria.append(
        ("writeP99", w(weights.writeP99), logScores(feasible.map { rows[$0].latency!.writeP99Ms })))
    }
    criteria.append(
      (
        "durability", w(weights.durability),
        feasible.map { OptionTraits.durability(estimates[$0].option) }
      ))
    criteria.append(
      ("ttl", w(weights.ttl), feasible.map { OptionTraits.ttl(estimates[$0].option) }))
    criteria.append(
      (
        "operations", w(weights.operations),
        feasible.map { OptionTraits.operations(estimates[$0].option) }
      ))
    for (j, i) in feasible.enumerated() {
      rows[i].criteria = criteria.map { ($0.0, $0.2[j]) }
      rows[i].score = criteria.reduce(0) { $0 + $1.1 * $1.2[j] }
    }
    // Rank by score, then cost, then scenario order.
    let order = feasible.sorted {
      let (a, b) = (rows[$0], rows[$1])
      if abs(a.score! - b.score!) > 1e-12 { return a.score! > b.score! }
      if a.cost != b.cost { return a.cost < b.cost }
      return $0 < $1
    }
    for (r, i) in order.enumerated() { rows[i].rank = r + 1 }
    // Pareto set on (monthly cost, read p99): no other feasible option is at least as good on both and better on one.
    for i in feasible {
      let ci = rows[i].cost
      let ri = rows[i].latency?.readP99Ms ?? 0
      rows[i].pareto = !feasible.contains { j in
        guard j != i else { return false }
        let cj = rows[j].cost
        let rj = rows[j].latency?.readP99Ms ?? 0
        return cj <= ci && rj <= ri && (cj < ci || rj < ri)
      }
    }
    let top = rows[order[0]]
    return ScaleDecision(
      scale: scale, rows: rows, recommended: top.optionId,
      why: reason(
        top, estimate: estimates[order[0]], rows: rows, feasibleCount: feasible.count,
        weights: criteria.map { ($0.0, $0.1) }))
  }

  /// Why the top option wins: the criteria it is best on (score ≥ 0.999 with a weight above 0).
  static func reason(
    _ top: MatrixRow, estimate: OptionEstimate, rows: [MatrixRow], feasibleCount: Int,
    weights: [(String, Double)]
  ) -> DecisionReason {
    var strengths: [DecisionReason.Strength] = []
    let weighted = Dictionary(uniqueKeysWithValues: weights)
    for (name, score) in top.criteria where (weighted[name] ?? 0) > 0 && score >= 0.999 {
      switch name {
      case "cost": strengths.append(.cheapest(monthly: top.cost))
      case "readP99": strengths.append(.fastestReads(p99Ms: top.latency!.readP99Ms))
      case "writeP99": strengths.append(.fastestWrites(p99Ms: top.latency!.writeP99Ms))
      case "durability": strengths.append(.durable)
      case "ttl": strengths.append(.nativeExpiry)
      case "operations": strengths.append(.leastToOperate)
      default: break
      }
    }
    return DecisionReason(
      option: top.optionId, score: top.score!, feasibleCount: feasibleCount, strengths: strengths,
      monthly: top.cost, readP99Ms: top.latency?.readP99Ms)
  }
}
