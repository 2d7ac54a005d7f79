import CostModel
import Foundation

/// `reports/summary.csv` and `compare --format summary-csv`: one row per scenario, scale and option.
public enum SummaryCSV {
  public static let header = [
    "scenario", "scale", "option", "monthly_cost_usd", "read_p50_ms", "read_p99_ms",
    "write_p50_ms", "write_p99_ms", "feasible", "score", "rank", "notes", "monthly_cost_usd_cents",
    "cost_p10_usd", "cost_p50_usd", "cost_p90_usd", "win_probability",
  ]

  public static func render(_ results: [ScenarioResult]) -> String {
    var csv = CSVWriter(header: header)
    for r in results {
      for (i, decision) in r.decisions.enumerated() {
        for (j, row) in decision.rows.enumerated() {
          let e = r.estimates[i][j]
          let l = row.latency
          // The sampled columns (cost_p10_usd … win_probability) are empty when the scenario was not sampled.
          let sampled = r.sampling.flatMap { $0.scales.indices.contains(i) ? $0.scales[i] : nil }?
            .option(row.optionId)
          csv.row([
            r.scenario.name, CSVNumber.decimal(e.scale), row.optionId, CSVNumber.decimal(e.total),
            l.map { LatencyFormat.exact($0.readP50Ms) } ?? "",
            l.map { LatencyFormat.exact($0.readP99Ms) } ?? "",
            l.map { LatencyFormat.exact($0.writeP50Ms) } ?? "",
            l.map { LatencyFormat.exact($0.writeP99Ms) } ?? "",
            row.feasible ? "true" : "false", row.score.map { LatencyFormat.fixed($0, 6) } ?? "",
            row.rank.map(String.init) ?? "",
            (e.infeasibleReasons + e.warnings).joined(separator: "; "),
            CSVNumber.cents(e.total),
            sampled.map { CSVNumber.double($0.cost.p10, significant: 10) } ?? "",
            sampled.map { CSVNumber.double($0.cost.p50, significant: 10) } ?? "",
            sampled.map { CSVNumber.double($0.cost.p90, significant: 10) } ?? "",
            sampled.map { CSVNumber.double($0.winProbability, significant: 10) } ?? "",
          ])
        }
      }
    }
    return csv.text
  }
}

/// `breakeven --format csv` and the crossover table: one row per crossover.
public enum BreakEvenCSV {
  public static let header = [
    "scenario", "option_a", "option_b", "scale", "records_per_month", "cheaper_below",
    "cheaper_above",
  ]

  public static func render(_ scenario: String, _ crossovers: [Crossover]) -> String {
    var csv = CSVWriter(header: header)
    for c in crossovers {
      csv.row([
        scenario, c.optionA, c.optionB, CSVNumber.double(c.scale, significant: 6),
        String(format: "%.0f", c.recordsPerMonth),
        c.cheaperBelow, c.cheaperAbove,
      ])
    }
    return csv.text
  }

  /// "ElastiCache becomes cheaper than DynamoDB above 3,400× today's traffic, 1.7 million messages a month."
  /// Where an option of the pair cannot run at that traffic, the sentence says so.
  public static func sentence(_ c: Crossover, record: String) -> String {
    "`\(c.cheaperAbove)` becomes cheaper than `\(c.cheaperBelow)` above \(scaleText(c.scale))× today's traffic "
      + "(\(countText(c.recordsPerMonth)) \(Noun.plural(record)) a month)" + infeasibleNote(c)
  }

  /// ", where `a` is infeasible" / ", where both are infeasible", or nothing.
  public static func infeasibleNote(_ c: Crossover) -> String {
    switch c.infeasible.count {
    case 0: return ""
    case 1: return ", where `\(c.infeasible[0])` is infeasible"
    default: return ", where both are infeasible"
    }
  }

  /// An option's name in a crossover table, marked where it is infeasible at the crossover.
  public static func side(_ id: String, _ c: Crossover) -> String {
    c.infeasible.contains(id) ? "`\(id)` (infeasible there)" : "`\(id)`"
  }

  public static func scaleText(_ s: Double) -> String {
    if s >= 100 { return MoneyFormat.grouped(Decimal(Int(s.rounded())), decimals: 0) }
    return String(format: "%.3g", s)
  }

  public static func countText(_ n: Double) -> String {
    if n >= 1e9 { return String(format: "%.3g billion", n / 1e9) }
    if n >= 1e6 { return String(format: "%.3g million", n / 1e6) }
    return MoneyFormat.grouped(Decimal(Int(n.rounded())), decimals: 0)
  }
}
