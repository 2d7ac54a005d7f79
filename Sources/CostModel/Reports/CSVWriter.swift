import Foundation

/// RFC 4180 CSV with `\n` line ends.
public struct CSVWriter {
  public private(set) var text = ""
  public init(header: [String]) { row(header) }

  public mutating func row(_ fields: [String]) {
    text += fields.map(Self.quote).joined(separator: ",") + "\n"
  }

  static func quote(_ f: String) -> String {
    guard f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return f }
    return "\"" + TextEscape.replace(f, TextEscape.csvQuote) + "\""
  }
}

/// `reports/<name>.csv` and `compare --format csv`: one row per line item (docs/formats.md).
public enum LineItemCSV {
  public static let header = ["scenario", "scale", "option", "component", "rate_id", "quantity", "unit",
    "unit_price_usd", "monthly_cost_usd"]

  public static func render(_ results: [ScenarioResult]) -> String {
    var csv = CSVWriter(header: header)
    for r in results {
      for row in r.estimates {
        for e in row {
          for l in e.lines {
            csv.row([r.scenario.name, MoneyFormat.exact(e.scale), e.option.id, l.component, l.rateRef,
              MoneyFormat.exact(l.quantity), l.unit, MoneyFormat.exact(l.unitPrice), MoneyFormat.exact(l.cost)])
          }
        }
      }
    }
    return csv.text
  }
}
