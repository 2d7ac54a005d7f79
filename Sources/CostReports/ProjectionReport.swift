import CostModel
import Foundation

/// The projection over the horizon (docs/model.md §11) for people: `costplan project`'s terminal table and the
/// report's projection section (Markdown and HTML), from one set of sentences.
public enum ProjectionReport {
  // MARK: sentences

  /// Months the report's table shows: 1, 3, 6, 12, 24, 36, 48, 60, then every 60 months, and H.
  static func selectedMonths(_ H: Int) -> [Int] {
    var months = [1, 3, 6, 12, 24, 36, 48]
    months += stride(from: 60, through: max(60, H), by: 60)
    return Array(Set(months.filter { $0 < H } + [H])).sorted()
  }

  /// [1, 2, 3, 7, 9, 10] → "1–3, 7, 9–10".
  static func monthRanges(_ months: [Int]) -> String {
    var parts: [String] = []
    var k = 0
    while k < months.count {
      var end = k
      while end + 1 < months.count && months[end + 1] == months[end] + 1 { end += 1 }
      parts.append(end == k ? "\(months[k])" : "\(months[k])–\(months[end])")
      k = end + 1
    }
    return parts.joined(separator: ", ")
  }

  /// The traffic's growth, in a sentence.
  static func growthSentence(_ p: ProjectionResult) -> String {
    let g = p.monthlyPercent
    let H = p.months
    guard g != 0 else {
      return
        "Traffic stays flat over the \(H)-month horizon (no `growth`): every month's traffic is the scale's."
    }
    var factor = Decimal(1)
    for _ in 1..<max(1, H) { factor *= 1 + g / 100 }
    let verb = g > 0 ? "grows" : "shrinks"
    return
      "Traffic \(verb) \(DecimalText.plain(g.magnitude))% a month over the \(H)-month horizon: month \(H) carries "
      + "\(MoneyFormat.significantTrimmed(factor, digits: 3))× month 1's traffic. Stored data is each month's stock of "
      + "every earlier month's writes still within their retention."
  }

  /// "`s3` is the cheapest feasible option in every month." or "… in months 1–8, `dynamodb` in months 9–12."
  static func cheapestSentence(_ sp: ScaleProjection) -> String {
    let H = sp.cheapest.count
    var parts: [String] = []
    var k = 0
    while k < H {
      var end = k
      while end + 1 < H && sp.cheapest[end + 1] == sp.cheapest[k] { end += 1 }
      let when = k == end ? "month \(k + 1)" : "months \(k + 1)–\(end + 1)"
      parts.append(sp.cheapest[k].map { "`\($0)` in \(when)" } ?? "no feasible option in \(when)")
      k = end + 1
    }
    if parts.count == 1, let only = sp.cheapest.first ?? nil {
      return "`\(only)` is the cheapest feasible option in every month."
    }
    return "The cheapest feasible option: " + parts.joined(separator: ", ") + "."
  }

  /// The switching plan, one sentence a line (Markdown marks: backticks and **bold**).
  static func planSentences(_ sp: ScaleProjection, entity: String) -> [String] {
    let H = sp.cheapest.count
    guard let plan = sp.plan else {
      // Cheapest in every month: the cheapest-months sentence said it all.
      if let a = sp.cheapest.first ?? nil, !sp.cheapest.contains(where: { $0 != a }) { return [] }
      if let a = sp.cheapest.first ?? nil, sp.cheapest.last == a {
        return [
          "`\(a)` is the cheapest feasible option in month 1 and in month \(H): no switch to plan."
        ]
      }
      return [
        "No option is feasible in month \(sp.cheapest.first == nil ? 1 : H): no switch to plan."
      ]
    }
    func infeasibility(_ id: String) -> String {
      guard let o = sp.option(id), let first = o.firstInfeasible else { return "" }
      return " (infeasible from month \(first.month): \(first.reason))"
    }
    var out = [
      "The cheapest feasible option is `\(plan.from)` in month 1 and `\(plan.to)` in month \(H). Over the \(H) months:"
    ]
    out.append(
      "staying with `\(plan.from)` costs \(MoneyFormat.usd(plan.stay.total))\(infeasibility(plan.from))"
    )
    out.append(
      "starting with `\(plan.to)` costs \(MoneyFormat.usd(plan.start.total))\(infeasibility(plan.to))"
    )
    guard let best = plan.best else {
      out.append(
        "switching from `\(plan.from)` to `\(plan.to)` in no month 2–\(H) keeps both feasible while they run"
      )
      return out
    }
    let m = best.migration
    out.append(
      "switching from `\(plan.from)` to `\(plan.to)` at the start of month \(best.month) costs \(MoneyFormat.usd(best.total.total)), "
        + "including \(MoneyFormat.usd(m.total)) once to move \(MoneyFormat.quantity(DecimalMath.round(m.entities, 0, .plain))) \(Noun.plural(entity, count: DecimalMath.round(m.entities, 0, .plain))) "
        + "(read from `\(plan.from)`, written into `\(plan.to)`)")
    var ways: [(String, Decimal)] = [("switching at month \(best.month)", best.total.total)]
    if plan.stay.feasible { ways.append(("staying with `\(plan.from)`", plan.stay.total)) }
    if plan.start.feasible { ways.append(("starting with `\(plan.to)`", plan.start.total)) }
    let cheapest = ways.min { $0.1 < $1.1 }!
    let others = ways.filter { $0.0 != cheapest.0 }
    out.append(
      "**Cheapest over the horizon: \(cheapest.0)**"
        + (others.isEmpty
          ? ""
          : " ("
            + others.map { "\(MoneyFormat.usd($0.1 - cheapest.1)) less than \($0.0)" }.joined(
              separator: ", ") + ")"))
    return out
  }

  /// "1×: 50 conversations a month in month 1, 85.52 in month 12".
  static func scaleHeading(_ p: ProjectionResult, _ sp: ScaleProjection) -> String {
    let w = p.scenario.workload
    let first = w.entitiesPerMonth * sp.scale
    var last = first
    for _ in 1..<max(1, p.months) { last *= 1 + p.monthlyPercent / 100 }
    let text =
      "\(MoneyFormat.scale(sp.scale))×: \(MoneyFormat.quantity(first)) \(Noun.plural(w.entity, count: first)) in month 1"
    return p.months > 1 ? text + ", \(MoneyFormat.quantity(last)) in month \(p.months)" : text
  }

  static func plainText(_ s: String) -> String {
    s.replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "**", with: "")
  }

  // MARK: Markdown

  /// The report's section (only for scenarios with `growth`): selected months per option at each scale, the
  /// total over the horizon, the months each option is cheapest in, and the switching plan.
  public static func markdown(_ p: ProjectionResult, chart: Bool) -> String {
    let s = p.scenario
    var md = "## Growth over the horizon\n\n"
    md +=
      growthSentence(p)
      + " The monthly figures elsewhere in this report are the steady state; here each month is priced on its own "
      + "(`costplan project --scenario \(s.name)` prints every month).\n\n"
    if chart { md += "![Monthly cost over the horizon](\(s.name)-projection.svg)\n\n" }
    let months = selectedMonths(p.months)
    for sp in p.scales {
      md += "### \(scaleHeading(p, sp))\n\n"
      md +=
        "| Option | " + months.map { "Month \($0)" }.joined(separator: " | ")
        + " | Total over \(p.months) months | Cheapest in months |\n"
      md += "|---|" + months.map { _ in "---:|" }.joined() + "---:|---|\n"
      for o in sp.options {
        let cells = months.map { m -> String in
          let cost = MoneyFormat.usd(o.monthly[m - 1])
          if !o.feasible[m - 1] { return cost + " (infeasible)" }
          return sp.cheapest[m - 1] == o.option.id ? "**\(cost)**" : cost
        }
        md +=
          "| `\(o.option.id)` | " + cells.joined(separator: " | ")
          + " | \(MoneyFormat.usd(o.total))\(o.feasibleThroughout ? "" : " (infeasible in some months)") | "
          + "\(o.cheapestMonths.isEmpty ? "—" : monthRanges(o.cheapestMonths)) |\n"
      }
      md += "\nBold: the cheapest feasible option that month. " + cheapestSentence(sp) + "\n\n"
      let plan = planSentences(sp, entity: s.workload.entity)
      for (k, line) in plan.enumerated() {
        md += (k == 0 ? "" : "- ") + MarkdownReport.escape(line) + (k == 0 ? "\n\n" : ".\n")
      }
      if plan.count > 1 { md += "\n" }
    }
    return md
  }

  // MARK: HTML

  /// The report page's section, with the chart inline.
  public static func html(_ p: ProjectionResult) -> String {
    let s = p.scenario
    var h = "<section id=\"projection\"><h2>Growth over the horizon</h2>\n"
    h +=
      "<p>\(HTMLReport.inline(growthSentence(p))) The monthly figures elsewhere on this page are the steady state; "
      + "here each month is priced on its own (<code>costplan project --scenario \(HTMLReport.esc(s.name))</code> "
      + "prints every month).</p>\n"
    if let svg = ProjectionChart.render(p) { h += "<figure>\(svg)</figure>\n" }
    let months = selectedMonths(p.months)
    for sp in p.scales {
      h += "<h3>\(HTMLReport.esc(scaleHeading(p, sp)))</h3>\n"
      h += "<table class=\"sortable\"><thead><tr><th>Option</th>"
      for m in months { h += "<th>Month \(m)</th>" }
      h += "<th>Total over \(p.months) months</th><th>Cheapest in months</th></tr></thead><tbody>\n"
      for o in sp.options {
        h += "<tr><td><code>\(HTMLReport.esc(o.option.id))</code></td>"
        for m in months {
          let cost = HTMLReport.esc(MoneyFormat.usd(o.monthly[m - 1]))
          if !o.feasible[m - 1] {
            h += "<td class=\"num infeasible\">\(cost) (infeasible)</td>"
          } else if sp.cheapest[m - 1] == o.option.id {
            h += "<td class=\"num\"><strong>\(cost)</strong></td>"
          } else {
            h += "<td class=\"num\">\(cost)</td>"
          }
        }
        h +=
          "<td class=\"num\(o.feasibleThroughout ? "" : " infeasible")\">\(HTMLReport.esc(MoneyFormat.usd(o.total)))</td>"
        h +=
          "<td>\(o.cheapestMonths.isEmpty ? "—" : HTMLReport.esc(monthRanges(o.cheapestMonths)))</td></tr>\n"
      }
      h += "</tbody></table>\n"
      h +=
        "<p>Bold: the cheapest feasible option that month. \(HTMLReport.inline(cheapestSentence(sp)))</p>\n"
      let plan = planSentences(sp, entity: s.workload.entity)
      if let first = plan.first { h += "<p>\(HTMLReport.inline(first))</p>\n" }
      if plan.count > 1 {
        h +=
          "<ul>\n" + plan.dropFirst().map { "<li>\(HTMLReport.inline($0)).</li>\n" }.joined()
          + "</ul>\n"
      }
    }
    return h + "</section>\n"
  }

  // MARK: terminal

  /// `costplan project`'s table: per scale, months as rows and options as columns (in blocks that fit `width`),
  /// the cheapest feasible option marked, then the totals, the cheapest months and the switching plan.
  public static func table(_ results: [ProjectionResult], width: Int = 100) -> String {
    let width = max(50, width)
    var out = ""
    for (n, p) in results.enumerated() {
      if n > 0 { out += "\n" }
      let s = p.scenario
      out += "\(s.title) (\(s.name))\n"
      out += TableReport.wrap(plainText(growthSentence(p)), indent: 2, width: width)
      for sp in p.scales {
        out += "\n" + TableReport.wrap(scaleHeading(p, sp), indent: 2, width: width)
        out += monthBlocks(sp, width: width)
        out += TableReport.wrap(
          "* the cheapest feasible option that month; ! infeasible", indent: 4, width: width)
        for o in sp.options where o.firstInfeasible != nil {
          let f = o.firstInfeasible!
          out += TableReport.wrap(
            "\(o.option.id): infeasible from month \(f.month): \(f.reason)", indent: 4, width: width
          )
        }
        out += TableReport.wrap(plainText(cheapestSentence(sp)), indent: 4, width: width)
        let plan = planSentences(sp, entity: s.workload.entity)
        if let first = plan.first {
          out += TableReport.wrap(plainText(first), indent: 4, width: width)
        }
        for line in plan.dropFirst() {
          out += TableReport.wrap("- " + plainText(line) + ".", indent: 6, width: width)
        }
      }
    }
    return out
  }

  /// Months 1…H down, options across, split into as many blocks as the width needs; option ids too long for
  /// their column break at '-' over several header lines.
  static func monthBlocks(_ sp: ScaleProjection, width: Int) -> String {
    let H = sp.cheapest.count
    // Each option's column: its cells (month 1…H, then the total) and its header lines.
    var columns: [(header: [String], cells: [String])] = []
    for o in sp.options {
      var cells: [String] = []
      for m in 0..<H {
        let mark = !o.feasible[m] ? "!" : (sp.cheapest[m] == o.option.id ? "*" : " ")
        cells.append(MoneyFormat.usd(o.monthly[m]) + mark)
      }
      cells.append(MoneyFormat.usd(o.total) + (o.feasibleThroughout ? " " : "!"))
      let cellWidth = cells.map(\.count).max() ?? 0
      columns.append((headerLines(o.option.id, width: max(cellWidth, 8)), cells))
    }
    let label = ["month"] + (1...max(1, H)).map(String.init) + ["total"]
    let labelWidth = label.map(\.count).max() ?? 5
    var out = ""
    var start = 0
    while start < columns.count {
      // As many columns as fit, at least one.
      var used = 4 + labelWidth
      var end = start
      while end < columns.count {
        let w = max(
          columns[end].header.map(\.count).max() ?? 0, columns[end].cells.map(\.count).max() ?? 0)
        if end > start && used + 2 + w > width { break }
        used += 2 + w
        end += 1
      }
      let block = Array(columns[start..<end])
      let widths = block.map {
        max($0.header.map(\.count).max() ?? 0, $0.cells.map(\.count).max() ?? 0)
      }
      let headerRows = block.map(\.header.count).max() ?? 1
      if start > 0 { out += "\n" }
      for r in 0..<headerRows {
        var line = "    " + pad(r == headerRows - 1 ? "month" : "", labelWidth, right: false)
        for (k, c) in block.enumerated() {
          // Header lines sit at the bottom, right-aligned over the figures (less the mark's column).
          let offset = headerRows - c.header.count
          let text = r >= offset ? c.header[r - offset] : ""
          line += "  " + pad(text + " ", widths[k], right: true)
        }
        out += trimmed(line) + "\n"
      }
      for row in 0...H {
        var line = "    " + pad(row == H ? "total" : "\(row + 1)", labelWidth, right: row < H)
        for (k, c) in block.enumerated() {
          line += "  " + pad(c.cells[row], widths[k], right: true)
        }
        out += trimmed(line) + "\n"
      }
      start = end
    }
    return out
  }

  /// An option id in lines of at most `width` characters, broken after '-' (a part longer stays whole).
  static func headerLines(_ id: String, width: Int) -> [String] {
    var parts: [String] = []
    var current = ""
    for ch in id {
      current.append(ch)
      if ch == "-" {
        parts.append(current)
        current = ""
      }
    }
    if !current.isEmpty { parts.append(current) }
    var lines: [String] = []
    var line = ""
    for part in parts {
      if !line.isEmpty && line.count + part.count > width - 1 {
        lines.append(line)
        line = ""
      }
      line += part
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  static func pad(_ s: String, _ n: Int, right: Bool) -> String {
    let fill = String(repeating: " ", count: max(0, n - s.count))
    return right ? fill + s : s + fill
  }

  static func trimmed(_ s: String) -> String {
    var s = s
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}

/// `costplan project --format csv` (docs/formats.md): one row per scale, option and month, exact decimals.
public enum ProjectionCSV {
  public static let header = [
    "scenario", "scale", "option", "month", "monthly_cost_usd", "cumulative_cost_usd",
  ]

  public static func render(_ results: [ProjectionResult]) -> String {
    var csv = CSVWriter(header: header)
    for p in results {
      for sp in p.scales {
        for o in sp.options {
          for m in o.monthly.indices {
            csv.row([
              p.scenario.name, CSVNumber.decimal(sp.scale), o.option.id, "\(m + 1)",
              CSVNumber.decimal(o.monthly[m]), CSVNumber.decimal(o.cumulative[m]),
            ])
          }
        }
      }
    }
    return csv.text
  }
}
