import CostModel
import Foundation

/// RFC 4180 CSV with `\n` line ends, in ASCII (docs/formats.md "CSV for spreadsheets"): a spreadsheet that
/// guesses a legacy encoding (Excel, LibreOffice under some locales) shows `×` as `Ã—`, so text is written in
/// ASCII (`x`, `>=`, `-`, accents dropped) and opens the same everywhere.
public struct CSVWriter {
  public private(set) var text = ""
  public init(header: [String]) { row(header) }

  public mutating func row(_ fields: [String]) {
    var first = true
    for f in fields {
      if !first { text += "," }
      first = false
      text += Self.quote(Self.ascii(f))
    }
    text += "\n"
  }

  static func quote(_ f: String) -> String {
    guard
      f.utf8.contains(where: {
        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13
      })
    else { return f }
    return "\"" + TextEscape.replace(f, TextEscape.csvQuote) + "\""
  }

  /// Characters the reports use, spelled in ASCII.
  static let spelled: [Unicode.Scalar: String] = [
    "×": "x", "≥": ">=", "≤": "<=", "≠": "!=", "≈": "~", "–": "-", "—": "-", "−": "-", "‐": "-",
    "‑": "-",
    "‘": "'", "’": "'", "“": "\"", "”": "\"", "…": "...", "→": "->", "←": "<-", "•": "*", "·": ".",
    "µ": "u", "μ": "u", "½": "1/2", "¼": "1/4", "¾": "3/4", "°": " deg", "€": "EUR", "£": "GBP",
    "¥": "JPY",
    "\u{00A0}": " ", "\u{202F}": " ", "\u{2009}": " ", "√": "sqrt", "∞": "inf", "±": "+/-",
    "²": "^2", "³": "^3",
    "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D",
  ]

  /// `s` in ASCII: known symbols spelled out, accented letters without their accents, anything else `?`.
  static func ascii(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
    var out = ""
    for scalar in s.unicodeScalars {
      if scalar.isASCII {
        out.unicodeScalars.append(scalar)
        continue
      }
      if let spelled = spelled[scalar] {
        out += spelled
        continue
      }
      // é → e + U+0301: keep the base letter.
      let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.filter(
        \.isASCII)
      out += base.isEmpty ? "?" : String(String.UnicodeScalarView(base))
    }
    return out
  }
}

/// Numbers in CSV: at most 10 decimals, half away from zero, trailing zeros dropped, never an exponent
/// (docs/formats.md). Totals are summed from the exact values before this rounding.
public enum CSVNumber {
  public static func decimal(_ d: Decimal) -> String {
    guard DecimalText.layoutVerified, !d.isNaN else {
      return MoneyFormat.exact(DecimalMath.round(d, 10, .plain))
    }
    return DecimalText.Fixed(d).rounded(10).text(minDecimals: 0, grouped: false)
  }

  /// A cost in whole cents, as dollars: 12.3 for $12.30 (trailing zeros dropped like every CSV number).
  public static func cents(_ d: Decimal) -> String {
    guard DecimalText.layoutVerified, !d.isNaN else {
      return MoneyFormat.exact(DecimalMath.round(d, 2, .plain))
    }
    return DecimalText.Fixed(d).rounded(2).text(minDecimals: 0, grouped: false)
  }

  /// A `Double` with `significant` digits, plain (1000000, not 1e+06).
  public static func double(_ x: Double, significant: Int) -> String {
    guard x.isFinite, let d = Decimal(string: String(format: "%.\(significant)g", x)) else {
      return ""
    }
    return decimal(d)
  }
}

/// `reports/<name>.csv` and `compare --format csv`: one row per line item (docs/formats.md).
public enum LineItemCSV {
  public static let header = [
    "scenario", "scale", "option", "component", "rate_id", "quantity", "unit",
    "unit_price_usd", "monthly_cost_usd", "monthly_cost_usd_cents", "rate_price_usd", "rate_per",
  ]

  public static func render(_ results: [ScenarioResult]) -> String {
    var csv = CSVWriter(header: header)
    for r in results {
      for row in r.estimates {
        for e in row {
          for l in e.lines {
            csv.row([
              r.scenario.name, CSVNumber.decimal(e.scale), e.option.id, l.component, l.rateRef,
              CSVNumber.decimal(l.quantity), l.unit, CSVNumber.decimal(l.unitPrice),
              CSVNumber.decimal(l.cost),
              CSVNumber.cents(l.cost),
              CSVNumber.decimal(l.pricePerBatch), CSVNumber.decimal(l.per),
            ])
          }
        }
      }
    }
    return csv.text
  }
}
