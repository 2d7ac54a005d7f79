import Foundation

/// `compare --format json`: everything the tables show, money as decimal strings.
public enum JSONReport {
  public static func render(_ results: [ScenarioResult]) -> String {
    var out = "{\"scenarios\": ["
    out += results.map(scenario).joined(separator: ", ")
    return out + "]}\n"
  }

  static func scenario(_ r: ScenarioResult) -> String {
    var fields: [String] = [
      "\"name\": \(q(r.scenario.name))", "\"title\": \(q(r.scenario.title))",
    ]
    let scales = r.decisions.enumerated().map { i, d -> String in
      let options = d.rows.enumerated().map { j, row -> String in
        let e = r.estimates[i][j]
        var o = [
          "\"id\": \(q(row.optionId))", "\"monthlyCostUsd\": \(q(MoneyFormat.exact(e.total)))",
          "\"feasible\": \(row.feasible)",
        ]
        if let l = row.latency {
          o += [
            "\"readP50Ms\": \(LatencyFormat.exact(l.readP50Ms))",
            "\"readP99Ms\": \(LatencyFormat.exact(l.readP99Ms))",
            "\"writeP50Ms\": \(LatencyFormat.exact(l.writeP50Ms))",
            "\"writeP99Ms\": \(LatencyFormat.exact(l.writeP99Ms))",
          ]
        }
        o.append("\"score\": " + (row.score.map { LatencyFormat.fixed($0, 6) } ?? "null"))
        o.append("\"rank\": " + (row.rank.map(String.init) ?? "null"))
        o.append("\"pareto\": \(row.pareto)")
        o.append(
          "\"notes\": [" + (e.infeasibleReasons + e.warnings).map(q).joined(separator: ", ") + "]")
        o.append(
          "\"lines\": ["
            + e.lines.map { l in
              "{\"component\": \(q(l.component)), \"rateId\": \(q(l.rateRef)), \"quantity\": \(q(MoneyFormat.exact(l.quantity))), "
                + "\"unit\": \(q(l.unit)), \"unitPriceUsd\": \(q(MoneyFormat.exact(l.unitPrice))), \"monthlyCostUsd\": \(q(MoneyFormat.exact(l.cost)))}"
            }.joined(separator: ", ") + "]")
        return "{" + o.joined(separator: ", ") + "}"
      }
      return "{\"scale\": \(q(MoneyFormat.exact(d.scale))), \"recommended\": "
        + (d.recommended.map(q) ?? "null")
        + ", \"reason\": \(q(d.why.plain)), \"pareto\": ["
        + d.paretoSet.map(q).joined(separator: ", ")
        + "], \"options\": [" + options.joined(separator: ", ") + "]}"
    }
    fields.append("\"scales\": [" + scales.joined(separator: ", ") + "]")
    fields.append(
      "\"crossovers\": ["
        + r.crossovers.map { c in
          "{\"optionA\": \(q(c.optionA)), \"optionB\": \(q(c.optionB)), \"scale\": \(String(format: "%.6g", c.scale)), "
            + "\"recordsPerMonth\": \(String(format: "%.0f", c.recordsPerMonth)), \"cheaperBelow\": \(q(c.cheaperBelow)), \"cheaperAbove\": \(q(c.cheaperAbove))}"
        }.joined(separator: ", ") + "]")
    fields.append(
      "\"claims\": ["
        + r.claims.map { c in
          "{\"text\": \(q(c.claim.text)), \"option\": \(q(c.claim.option)), \"scale\": \(q(MoneyFormat.exact(c.claim.scale))), "
            + "\"metric\": \(q(c.claim.metric.rawValue)), \"expected\": \(q(plain(c.expected))), \"computed\": \(q(c.computed)), "
            + "\"holds\": \(c.holds.map { "\($0)" } ?? "null")}"
        }.joined(separator: ", ") + "]")
    return "{" + fields.joined(separator: ", ") + "}"
  }

  /// A JSON string literal (also used by `bench --format json` and `store load`).
  public static func q(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          out += String(format: "\\u%04x", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  /// Text for JSON consumers: no Markdown code marks.
  static func plain(_ s: String) -> String { TextEscape.replace(s, TextEscape.dropBackticks) }
}
