import CostModel
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
            + "\"recordsPerMonth\": \(String(format: "%.0f", c.recordsPerMonth)), \"cheaperBelow\": \(q(c.cheaperBelow)), \"cheaperAbove\": \(q(c.cheaperAbove)), \"infeasible\": [\(c.infeasible.map(q).joined(separator: ", "))]}"
        }.joined(separator: ", ") + "]")
    fields.append(
      "\"claims\": ["
        + r.claims.map { c in
          "{\"text\": \(q(c.claim.text)), \"option\": \(q(c.claim.option)), \"scale\": \(q(MoneyFormat.exact(c.claim.scale))), "
            + "\"metric\": \(q(c.claim.metric.rawValue)), \"expected\": \(q(plain(c.expected))), \"computed\": \(q(c.computedText)), "
            + "\"holds\": \(c.holds.map { "\($0)" } ?? "null")}"
        }.joined(separator: ", ") + "]")
    if let sampling = r.sampling { fields.append("\"sampling\": " + samplingJSON(sampling)) }
    if !r.sensitivity.isEmpty {
      fields.append(
        "\"sensitivity\": [" + r.sensitivity.map { sensitivityJSON($0, r) }.joined(separator: ", ")
          + "]")
    }
    return "{" + fields.joined(separator: ", ") + "}"
  }

  /// A sampled figure: a JSON number with 10 significant digits, null when not finite.
  static func number(_ x: Double) -> String {
    x.isFinite ? String(format: "%.10g", x) : "null"
  }

  static func samplingJSON(_ s: SamplingResult) -> String {
    let inputs = s.inputs.map {
      "{\"path\": \(q($0.path)), \"low\": \(q(MoneyFormat.exact($0.range.low))), \"high\": \(q(MoneyFormat.exact($0.range.high)))}"
    }
    let scales = s.scales.map { sc -> String in
      let options = sc.options.map { o -> String in
        var f = [
          "\"id\": \(q(o.id))", "\"costP10Usd\": \(number(o.cost.p10))",
          "\"costP50Usd\": \(number(o.cost.p50))", "\"costP90Usd\": \(number(o.cost.p90))",
        ]
        if let r = o.readP99 {
          f += [
            "\"readP99P10Ms\": \(number(r.p10))", "\"readP99P50Ms\": \(number(r.p50))",
            "\"readP99P90Ms\": \(number(r.p90))",
          ]
        }
        f += [
          "\"winProbability\": \(number(o.winProbability))",
          "\"cheapestProbability\": \(number(o.cheapestProbability))",
          "\"feasibleShare\": \(number(o.feasibleShare))",
        ]
        return "{" + f.joined(separator: ", ") + "}"
      }
      let tie =
        sc.tie.map {
          "["
            + $0.map { "{\"id\": \(q($0.id)), \"share\": \(number($0.share))}" }.joined(
              separator: ", ") + "]"
        } ?? "null"
      return "{\"scale\": \(q(MoneyFormat.exact(sc.scale))), \"recommended\": "
        + (sc.recommended.map(q) ?? "null") + ", \"recommendedWinProbability\": "
        + (sc.recommendedShare.map(number) ?? "null") + ", \"tie\": \(tie), \"options\": ["
        + options.joined(separator: ", ") + "]}"
    }
    return
      "{\"samples\": \(s.plan.samples), \"seed\": \(s.plan.seed), \"generator\": \(q(SamplingPlan.generatorName)), "
      + "\"inputs\": [" + inputs.joined(separator: ", ") + "], \"scales\": ["
      + scales.joined(separator: ", ") + "]}"
  }

  static func sensitivityJSON(_ s: ScaleSensitivity, _ r: ScenarioResult) -> String {
    let ids = r.scenario.options.map(\.id)
    let bars = s.bars.map { b -> String in
      let options = ids.indices.map { j in
        "{\"id\": \(q(ids[j])), \"costAtLowUsd\": \(number(b.costAtLow[j])), \"costAtHighUsd\": \(number(b.costAtHigh[j]))}"
      }
      return
        "{\"path\": \(q(b.input.path)), \"low\": \(number(b.lowValue)), \"high\": \(number(b.highValue)), \"options\": ["
        + options.joined(separator: ", ") + "]}"
    }
    return
      "{\"scale\": \(q(MoneyFormat.exact(s.scale))), \"sortedBy\": \(q(ids[s.sortedBy])), \"inputs\": ["
      + bars.joined(separator: ", ") + "]}"
  }

  /// A JSON string literal (also used by `bench --format json` and `store load`).
  public static func q(_ s: String) -> String { JSONText.quote(s) }

  /// Text for JSON consumers: no Markdown code marks.
  static func plain(_ s: String) -> String { TextEscape.replace(s, TextEscape.dropBackticks) }
}
