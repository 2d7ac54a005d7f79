import CostModel
import Foundation

/// The terminal table of `costplan compare`: per scale, options ranked with cost, read p50/p99, write p99
/// and feasibility, and the recommendation underneath. Fits `width` columns (the terminal's): narrower
/// terminals lose the read p50 column, then the score, then option ids are shortened; text wraps between words.
public enum TableReport {
  public static func render(_ results: [ScenarioResult], width: Int = 100) -> String {
    let width = max(50, width)
    func wrap(_ text: String, indent: Int) -> String {
      TableReport.wrap(text, indent: indent, width: width)
    }
    var out = ""
    for (n, r) in results.enumerated() {
      if n > 0 { out += "\n" }
      let s = r.scenario
      out += "\(s.title) (\(s.name))\n"
      for (i, scale) in r.scales.enumerated() {
        let d = DerivedWorkload(workload: s.workload, scale: scale, horizonMonths: s.horizonMonths)
        out +=
          "\n"
          + wrap(
            "\(MoneyFormat.scale(scale))×: \(MoneyFormat.quantity(d.entities)) \(Noun.plural(s.workload.entity, count: d.entities)), "
              + "\(MoneyFormat.quantity(d.recordsWritten)) \(Noun.plural(s.workload.record, count: d.recordsWritten)) a month",
            indent: 2
          )
        var rows: [[String]] = [
          ["#", "option", "monthly", "read p50", "read p99", "write p99", "score", "status"]
        ]
        let decision = r.decisions[i]
        for row in decision.ranked {
          let e = r.estimates[i].first { $0.option.id == row.optionId }!
          let status =
            !row.feasible
            ? "infeasible" : (!e.warnings.isEmpty ? "warning" : (row.pareto ? "ok, pareto" : "ok"))
          rows.append([
            row.rank.map(String.init) ?? "-", truncate(row.optionId, 24), MoneyFormat.usd(row.cost),
            row.latency.map { LatencyFormat.ms($0.readP50Ms) } ?? "-",
            row.latency.map { LatencyFormat.ms($0.readP99Ms) } ?? "-",
            row.latency.map { LatencyFormat.ms($0.writeP99Ms) } ?? "-",
            row.score.map { LatencyFormat.fixed($0, 3) } ?? "-", status,
          ])
        }
        out += fitted(rows, width: width)
        for row in decision.rows where !row.feasible {
          out += wrap("\(row.optionId): \(row.reasons.joined(separator: "; "))", indent: 4)
        }
        // What "warning" in the status column means: each warning once, with the options it concerns.
        var warned: [(text: String, ids: [String])] = []
        for e in r.estimates[i] {
          for w in e.warnings {
            if let k = warned.firstIndex(where: { $0.text == w }) {
              warned[k].ids.append(e.option.id)
            } else {
              warned.append((w, [e.option.id]))
            }
          }
        }
        for w in warned {
          out += wrap("Warning (\(w.ids.joined(separator: ", "))): \(w.text)", indent: 4)
        }
        out += wrap(
          "Recommended: " + decision.why.plain, indent: 4
        )
        out += uncertainty(r, i, width: width)
      }
      let cheapest = r.curves?.cheapest ?? []
      if !cheapest.isEmpty {
        out +=
          "\n"
          + wrap(
            "Cheapest feasible option by traffic, 0.01× to 1,000,000× (each pair's crossovers: costplan breakeven --scenario \(s.name)):",
            indent: 2)
        for line in CheapestIntervals.sentences(cheapest) {
          out += wrap(TextEscape.replace(line, TextEscape.dropBackticks), indent: 4)
        }
      }
    }
    return out
  }

  /// How sure the recommendation at scale `i` is (docs/model.md §10): the verdict over the draws, a table of the
  /// options that win or are cheapest in any, and the inputs that move the recommended option's cost most.
  static func uncertainty(_ r: ScenarioResult, _ i: Int, width: Int) -> String {
    var out = ""
    let t = UncertaintyText.atScale(r, i) { $0 }
    if let verdict = t.verdict, let sc = r.sampling?.scales[i] {
      out += wrap("Sampled: " + verdict, indent: 4, width: width)
      var rows: [[String]] = [
        ["option", "cost P10", "P50", "P90", "read p99 P50", "wins", "cheapest"]
      ]
      for o in UncertaintyText.notable(sc) {
        rows.append([
          truncate(o.id, 24), UncertaintyText.usd(o.cost.p10), UncertaintyText.usd(o.cost.p50),
          UncertaintyText.usd(o.cost.p90), o.readP99.map { LatencyFormat.ms($0.p50) } ?? "-",
          UncertaintyText.percent(o.winProbability), UncertaintyText.percent(o.cheapestProbability),
        ])
      }
      out += fittedSample(rows, width: width)
    }
    if let text = t.drivers {
      out += wrap(text, indent: 4, width: width)
    }
    return out
  }

  /// The sampled table within `width`: narrower terminals lose the read p99 column, then the P50, then shorten
  /// the option ids.
  static func fittedSample(_ rows: [[String]], width: Int) -> String {
    func lineWidth(_ rows: [[String]]) -> Int { TableReport.lineWidth(rows, indent: 6) }
    var rows = rows
    for drop in ["read p99 P50", "P50"] where lineWidth(rows) > width {
      guard let k = rows[0].firstIndex(of: drop) else { continue }
      rows = rows.map {
        var r = $0
        r.remove(at: k)
        return r
      }
    }
    let over = lineWidth(rows) - width
    if over > 0 {
      let keep = max(6, (rows.dropFirst().map { $0[0].count }.max() ?? 0) - over)
      for n in rows.indices.dropFirst() { rows[n][0] = truncate(rows[n][0], keep) }
    }
    return layout(rows, rightAligned: Set(1..<(rows.first?.count ?? 1)), indent: 6)
  }

  static func truncate(_ s: String, _ n: Int) -> String {
    s.count <= n ? s : String(s.prefix(n - 1)) + "…"
  }

  /// Wraps text at 100 columns with a hanging indent.
  static func wrap(_ text: String, indent: Int, width: Int = 100) -> String {
    var out = ""
    var line = String(repeating: " ", count: indent)
    for word in text.split(separator: " ") {
      if line.count + word.count + 1 > width && line.trimmingCharacters(in: .whitespaces).count > 0
      {
        out += line + "\n"
        line = String(repeating: " ", count: indent + 2)
      }
      line += (line.last == " " ? "" : " ") + word
    }
    return out + line + "\n"
  }

  /// The table within `width` columns: drops read p50, then score, then shortens option ids (to 6 characters at the least).
  /// The width `layout` gives these rows at this indent.
  static func lineWidth(_ rows: [[String]], indent: Int) -> Int {
    let cols = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: cols)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    return indent + widths.reduce(0, +) + 2 * max(0, cols - 1)
  }

  static func fitted(_ rows: [[String]], width: Int) -> String {
    func lineWidth(_ rows: [[String]]) -> Int { TableReport.lineWidth(rows, indent: 4) }
    var rows = rows
    var right: [Int] = [0, 2, 3, 4, 5, 6]
    for drop in ["read p50", "score"] where lineWidth(rows) > width {
      guard let k = rows[0].firstIndex(of: drop) else { continue }
      rows = rows.map {
        var r = $0
        r.remove(at: k)
        return r
      }
      right = right.filter { $0 != k }.map { $0 > k ? $0 - 1 : $0 }
    }
    let over = lineWidth(rows) - width
    if over > 0 {
      let longest = rows.dropFirst().map { $0[1].count }.max() ?? 0
      let keep = max(6, longest - over)
      rows = rows.enumerated().map { n, r in
        n == 0
          ? r
          : {
            var r = r
            r[1] = truncate(r[1], keep)
            return r
          }()
      }
    }
    return layout(rows, rightAligned: Set(right), indent: 4)
  }

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
