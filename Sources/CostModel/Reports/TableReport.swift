import Foundation

/// The terminal table of `costplan compare`: per scale, each option's monthly cost. Fits 100 columns.
public enum TableReport {
  public static func render(_ results: [ScenarioResult]) -> String {
    var out = ""
    for (n, r) in results.enumerated() {
      if n > 0 { out += "\n" }
      let s = r.scenario
      out += "\(s.title) (\(s.name))\n"
      for (i, scale) in r.scales.enumerated() {
        let d = DerivedWorkload(workload: s.workload, scale: scale, horizonMonths: s.horizonMonths)
        out += "\n  \(MoneyFormat.scale(scale))×: \(MoneyFormat.quantity(d.entities)) \(s.workload.entity)s, "
        out += "\(MoneyFormat.quantity(d.recordsWritten)) \(s.workload.record)s a month\n"
        var rows: [[String]] = [["option", "configuration", "monthly", "status"]]
        for e in r.estimates[i] {
          let status = e.feasible ? (e.warnings.isEmpty ? "ok" : "warning") : "infeasible"
          rows.append([e.option.id, truncate(OptionDescription.describe(e.option), 52), MoneyFormat.usd(e.total), status])
        }
        out += layout(rows, rightAligned: [2], indent: 4)
        for e in r.estimates[i] {
          for reason in e.infeasibleReasons { out += "    \(e.option.id): \(reason)\n" }
        }
      }
    }
    return out
  }

  static func truncate(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

  /// Aligns columns with two spaces between them.
  static func layout(_ rows: [[String]], rightAligned: Set<Int>, indent: Int) -> String {
    let cols = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: cols)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    var out = ""
    for r in rows {
      var line = String(repeating: " ", count: indent)
      for (i, c) in r.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - c.count)
        line += rightAligned.contains(i) ? pad + c : c + pad
        if i < r.count - 1 { line += "  " }
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }
}
