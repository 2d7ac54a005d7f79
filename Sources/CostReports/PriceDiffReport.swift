import CostModel
import Foundation

/// `costplan pricing diff`: the rate changes, the changed monthly costs and recommendations, in Markdown and CSV.
extension PriceDiff {
  public static func percentText(_ p: Decimal?) -> String {
    guard let p else { return "" }
    let r = DecimalMath.round(p, 1, .plain)
    return (r > 0 ? "+" : "") + MoneyFormat.exact(r) + "%"
  }

  public static func price(_ r: RateDraft?) -> String { r?.priceText ?? "(none)" }

  public var changedRows: [Row] {
    rows.filter { $0.old != $0.new || $0.oldFeasible != $0.newFeasible }
  }

  /// Markdown fit for a pull-request comment: the rate changes, then every scenario, option and scale.
  public func markdown(oldName: String, newName: String) -> String {
    var md = "## Pricing diff: `\(oldName)` → `\(newName)`\n\n"
    let recChanges = recommendations.filter { $0.old != $0.new }
    let feasChanges = rows.filter { $0.oldFeasible != $0.newFeasible }
    md +=
      "\(rates.count) rate\(rates.count == 1 ? "" : "s") changed; \(changedRows.count) of \(rows.count) option totals changed; "
    md +=
      "\(recChanges.count) recommendation\(recChanges.count == 1 ? "" : "s") and \(feasChanges.count) feasibility verdict\(feasChanges.count == 1 ? "" : "s") changed.\n\n"
    md += "### Rates\n\n"
    if rates.isEmpty {
      md += "No rate changed.\n\n"
    } else {
      md += "| table | rate | old | new | change |\n|---|---|---|---|---:|\n"
      for c in rates {
        md +=
          "| \(c.table) | `\(c.id)` | \(Self.price(c.old)) | \(Self.price(c.new)) | \(c.old == nil ? "added" : c.new == nil ? "removed" : Self.percentText(c.percent)) |\n"
      }
      md += "\n"
    }
    if !unpriceable.isEmpty {
      md += "### Options the new tables cannot price\n\n"
      for u in unpriceable { md += "- \(u.scenario): `\(u.option)`: \(u.reason)\n" }
      md +=
        "\nThey are left out of the totals and decisions below; change the scenario or restore the rates.\n\n"
    }
    if !recChanges.isEmpty || !feasChanges.isEmpty {
      md += "### Decisions that change\n\n"
      for r in recChanges {
        md +=
          "- \(r.scenario) at \(MoneyFormat.scale(r.scale))×: recommendation `\(r.old ?? "none")` → `\(r.new ?? "none")`\n"
      }
      for r in feasChanges {
        md +=
          "- \(r.scenario) at \(MoneyFormat.scale(r.scale))×: `\(r.option)` becomes \(r.newFeasible ? "feasible" : "infeasible")\n"
      }
      md += "\n"
    }
    md += "### Monthly totals\n\n"
    for name in rows.map(\.scenario).reduce(
      into: [String](), { if !$0.contains($1) { $0.append($1) } })
    {
      md +=
        "**\(name)**\n\n| scale | option | old | new | delta | change |\n|---:|---|---:|---:|---:|---:|\n"
      for r in rows where r.scenario == name {
        let mark =
          r.oldFeasible == r.newFeasible
          ? "" : (r.newFeasible ? " (now feasible)" : " (now infeasible)")
        md +=
          "| \(MoneyFormat.scale(r.scale))× | `\(r.option)`\(mark) | \(MoneyFormat.usd(r.old)) | \(MoneyFormat.usd(r.new)) | "
        md +=
          "\(r.delta == 0 ? "–" : MoneyFormat.usd(r.delta)) | \(r.delta == 0 ? "" : Self.percentText(r.percent)) |\n"
      }
      md += "\n"
    }
    return md
  }

  public static let csvHeader = [
    "kind", "table", "rate_id", "scenario", "scale", "option", "old", "new", "delta",
    "change_percent", "old_feasible", "new_feasible",
  ]

  /// One CSV: `rate` rows (old and new as text), `total` rows (exact USD), `recommendation` rows.
  public func csv() -> String {
    var csv = CSVWriter(header: Self.csvHeader)
    for c in rates {
      csv.row([
        "rate", c.table, c.id, "", "", "", c.old?.priceText ?? "", c.new?.priceText ?? "", "",
        c.percent.map { CSVNumber.decimal(DecimalMath.round($0, 4, .plain)) } ?? "", "", "",
      ])
    }
    for r in rows {
      csv.row([
        "total", "", "", r.scenario, CSVNumber.decimal(r.scale), r.option, CSVNumber.decimal(r.old),
        CSVNumber.decimal(r.new),
        CSVNumber.decimal(r.delta),
        r.percent.map { CSVNumber.decimal(DecimalMath.round($0, 4, .plain)) } ?? "",
        String(r.oldFeasible), String(r.newFeasible),
      ])
    }
    for u in unpriceable {
      csv.row(["unpriceable", "", "", u.scenario, "", u.option, "", u.reason, "", "", "", ""])
    }
    for r in recommendations {
      csv.row([
        "recommendation", "", "", r.scenario, CSVNumber.decimal(r.scale), "", r.old ?? "",
        r.new ?? "", "", "", "", "",
      ])
    }
    return csv.text
  }
}
