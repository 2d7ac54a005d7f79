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
      // Every scale's tables first, fitted together: each scale shows the same columns.
      var mainTables: [[[String]]] = []
      var sampleTables: [[[String]]?] = []
      for (i, _) in r.scales.enumerated() {
        var rows: [[String]] = [
          ["#", "option", "monthly", "read p50", "read p99", "write p99", "score", "status"]
        ]
        for row in r.decisions[i].ranked {
          let e = r.estimates[i].first { $0.option.id == row.optionId }!
          let status =
            !row.feasible
            ? "infeasible" : (!e.warnings.isEmpty ? "warning" : (row.pareto ? "ok, pareto" : "ok"))
          rows.append([
            row.rank.map(String.init) ?? "-", row.optionId, MoneyFormat.usd(row.cost),
            row.latency.map { LatencyFormat.ms($0.readP50Ms) } ?? "-",
            row.latency.map { LatencyFormat.ms($0.readP99Ms) } ?? "-",
            row.latency.map { LatencyFormat.ms($0.writeP99Ms) } ?? "-",
            row.score.map { LatencyFormat.fixed($0, 3) } ?? "-", status,
          ])
        }
        mainTables.append(rows)
        sampleTables.append(sampleRows(r, i))
      }
      let mains = fitted(mainTables, width: width)
      let samples = fittedSamples(sampleTables.compactMap { $0 }, width: width)
      var nextSample = samples.makeIterator()
      for (i, scale) in r.scales.enumerated() {
        let d = DerivedWorkload(workload: s.workload, scale: scale, horizonMonths: s.horizonMonths)
        out +=
          "\n"
          + wrap(
            "\(MoneyFormat.scale(scale))×: \(MoneyFormat.quantity(d.entities)) \(Noun.plural(s.workload.entity, count: d.entities)), "
              + "\(MoneyFormat.quantity(d.recordsWritten)) \(Noun.plural(s.workload.record, count: d.recordsWritten)) a month",
            indent: 2
          )
        let decision = r.decisions[i]
        out += mains[i]
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
        out += uncertainty(
          r, i, table: sampleTables[i] == nil ? nil : nextSample.next(), width: width)
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

  /// The sampled table's rows at scale `i`: the options that win or are cheapest in any draw (nil without
  /// sampling).
  static func sampleRows(_ r: ScenarioResult, _ i: Int) -> [[String]]? {
    let t = UncertaintyText.atScale(r, i) { $0 }
    guard t.verdict != nil, let sc = r.sampling?.scales[i] else { return nil }
    var rows: [[String]] = [
      ["option", "cost P10", "P50", "P90", "read p99 P50", "wins", "cheapest"]
    ]
    for o in UncertaintyText.notable(sc) {
      rows.append([
        o.id, UncertaintyText.usd(o.cost.p10), UncertaintyText.usd(o.cost.p50),
        UncertaintyText.usd(o.cost.p90), o.readP99.map { LatencyFormat.ms($0.p50) } ?? "-",
        UncertaintyText.percent(o.winProbability), UncertaintyText.percent(o.cheapestProbability),
      ])
    }
    return rows
  }

  /// How sure the recommendation at scale `i` is (docs/model.md §10): the verdict over the draws, the fitted
  /// table of the options that win or are cheapest in any, and the inputs that move the recommended option's
  /// cost most.
  static func uncertainty(_ r: ScenarioResult, _ i: Int, table: String?, width: Int) -> String {
    var out = ""
    let t = UncertaintyText.atScale(r, i) { $0 }
    if let verdict = t.verdict, r.sampling != nil {
      out += wrap("Sampled: " + verdict, indent: 4, width: width)
      out += table ?? ""
    }
    if let text = t.drivers {
      out += wrap(text, indent: 4, width: width)
    }
    return out
  }

  /// The sampled tables of a scenario's scales within `width`, all with the same columns: narrower terminals
  /// lose the read p99 column, then the P10 and P90 (the median stays), then shorten the option ids.
  static func fittedSamples(_ tables: [[[String]]], width: Int) -> [String] {
    fit(
      tables, width: width, indent: 6, idColumn: 0,
      drops: [["read p99 P50"], ["cost P10", "P90"]],
      rename: ["P50": "cost P50"],
      rightAligned: { header in Set(1..<header.count) })
  }

  /// `s` in at most `n` characters: its start and its end around an ellipsis, which keeps ids that share a
  /// prefix apart ("dynamodb-reserved" and "dynamodb-provisioned" as "dyn…erved" and "dyn…oned").
  static func truncate(_ s: String, _ n: Int) -> String {
    guard s.count > n else { return s }
    guard n >= 3 else { return String(s.prefix(n)) }
    let tail = (n - 1) / 2
    return String(s.prefix(n - 1 - tail)) + "…" + String(s.suffix(tail))
  }

  /// Shortens `ids` to at most `n` characters each; where two would read the same, the longer end is kept.
  static func abbreviate(_ ids: [String], _ n: Int) -> [String] {
    var out = ids.map { truncate($0, n) }
    if Set(out).count < Set(ids).count {
      out = ids.map { s in s.count <= n ? s : "…" + String(s.suffix(n - 1)) }
    }
    return out
  }

  /// Wraps text at `width` columns (100 unless given) between words, with a hanging indent.
  public static func wrap(_ text: String, indent: Int, width: Int = 100) -> String {
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

  /// Each column's widest cell over all the tables' rows.
  static func columnWidths(_ tables: [[[String]]]) -> [Int] {
    var widths: [Int] = []
    for t in tables {
      for r in t {
        for (i, c) in r.enumerated() {
          if i == widths.count { widths.append(0) }
          widths[i] = max(widths[i], c.count)
        }
      }
    }
    return widths
  }

  /// The width `layout` gives these rows at this indent.
  static func lineWidth(_ rows: [[String]], indent: Int) -> Int {
    let widths = columnWidths([rows])
    return indent + widths.reduce(0, +) + 2 * max(0, widths.count - 1)
  }

  /// A scenario's ranking tables (one per scale) within `width` columns, all with the same columns: drops read
  /// p50, then score, then shortens option ids (to 6 characters at the least).
  static func fitted(_ tables: [[[String]]], width: Int) -> [String] {
    fit(
      tables, width: width, indent: 4, idColumn: 1, drops: [["read p50"], ["score"]], rename: [:],
      rightAligned: { header in
        Set(
          header.indices.filter {
            ["#", "monthly", "read p50", "read p99", "write p99", "score"].contains(header[$0])
          })
      })
  }

  /// Tables that share a header, fitted together: each group of `drops` leaves every table while the widest is
  /// over `width` (`rename` then relabels what remains), then the ids in `idColumn` are shortened alike.
  static func fit(
    _ tables: [[[String]]], width: Int, indent: Int, idColumn: Int, drops: [[String]],
    rename: [String: String], rightAligned: ([String]) -> Set<Int>
  ) -> [String] {
    var tables = tables
    func widest() -> Int { tables.map { lineWidth($0, indent: indent) }.max() ?? 0 }
    for group in drops where widest() > width {
      for t in tables.indices {
        let gone = Set(group.compactMap { tables[t][0].firstIndex(of: $0) })
        tables[t] = tables[t].map { row in row.indices.filter { !gone.contains($0) }.map { row[$0] }
        }
        tables[t][0] = tables[t][0].map { rename[$0] ?? $0 }
      }
    }
    let over = widest() - width
    if over > 0 {
      let longest = tables.flatMap { $0.dropFirst().map { $0[idColumn].count } }.max() ?? 0
      let keep = max(6, longest - over)
      for t in tables.indices {
        let ids = abbreviate(tables[t].dropFirst().map { $0[idColumn] }, keep)
        for (n, id) in ids.enumerated() { tables[t][n + 1][idColumn] = id }
      }
    }
    // One set of column widths for all: the scales' tables line up under each other.
    let widths = columnWidths(tables)
    return tables.map {
      layout($0, rightAligned: rightAligned($0[0]), indent: indent, widths: widths)
    }
  }

  /// Aligns columns to `widths` (`columnWidths` of these rows, or of tables that hold them), two spaces apart.
  static func layout(_ rows: [[String]], rightAligned: Set<Int>, indent: Int, widths: [Int])
    -> String
  {
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
