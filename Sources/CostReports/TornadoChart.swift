import CostModel
import Foundation

/// `reports/<name>-tornado.svg`: per scale, how far each ranged input moves the monthly cost of the options that
/// matter there (the recommended one first, then the options that share its wins or are cheapest), with the input
/// at its P10 and at its P90 and the others at their medians (docs/model.md §10). Bars are the change from the
/// option's cost at the medians, in percent, so that options of very different cost share one axis; the
/// recommended option's bars carry their dollar ends. Inputs are sorted by the recommended option's swing.
public enum TornadoChart {
  /// At most this many options per scale.
  static let maxOptions = 3

  public static func render(_ r: ScenarioResult) -> String? {
    guard !r.sensitivity.isEmpty else { return nil }
    let width = 820.0
    let left = 250.0
    let right = 190.0
    let plotWidth = width - left - right
    let barHeight = 11.0
    let rowGap = 10.0
    var panels: [(y: Double, svg: String)] = []
    var y = 56.0
    var legend: [Int: String] = [:]
    for (i, s) in r.sensitivity.enumerated() {
      let shown = options(r, i, s)
      for j in shown { legend[j] = r.scenario.options[j].id }
      // The percent change of option j's cost at an input's end, from its cost at the medians.
      func pct(_ cost: Double, _ j: Int) -> Double {
        let m = s.medianCost[j]
        guard m > 0, cost.isFinite else { return 0 }
        return (cost / m - 1) * 100
      }
      var lo = 0.0
      var hi = 0.0
      for b in s.bars {
        for j in shown {
          lo = Swift.min(lo, pct(b.costAtLow[j], j), pct(b.costAtHigh[j], j))
          hi = Swift.max(hi, pct(b.costAtLow[j], j), pct(b.costAtHigh[j], j))
        }
      }
      let (axisLo, axisHi, step) = ticks(lo, hi)
      let x = { (p: Double) in left + (p - axisLo) / (axisHi - axisLo) * plotWidth }
      var svg = ""
      let scaleText = MoneyFormat.scale(s.scale)
      let traffic = MoneyFormat.quantity(s.scale * r.scenario.workload.entitiesPerMonth)
      svg +=
        "<text x=\"12\" y=\"\(f(y))\" font-size=\"13\" font-weight=\"bold\">At \(esc(scaleText))× (\(esc(traffic)) \(esc(Noun.plural(r.scenario.workload.entity))) a month at the medians)</text>\n"
      y += 10
      let top = y
      let rowHeight = Double(shown.count) * (barHeight + 2) + rowGap
      let plotHeight = Double(s.bars.count) * rowHeight
      // Grid and axis labels.
      var t = axisLo
      while t <= axisHi + step / 2 {
        let gx = x(t)
        svg +=
          "<line x1=\"\(f(gx))\" y1=\"\(f(top))\" x2=\"\(f(gx))\" y2=\"\(f(top + plotHeight))\" stroke=\"\(t == 0 ? "#333" : "#ddd")\" stroke-width=\"\(t == 0 ? 1.2 : 1)\"/>\n"
        svg +=
          "<text x=\"\(f(gx))\" y=\"\(f(top + plotHeight + 13))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#444\">\(t > 0 ? "+" : "")\(Int(t.rounded()))%</text>\n"
        t += step
      }
      for (k, b) in s.bars.enumerated() {
        let rowTop = top + Double(k) * rowHeight + rowGap / 2
        let mid = rowTop + Double(shown.count) * (barHeight + 2) / 2
        svg +=
          "<text x=\"\(f(left - 8))\" y=\"\(f(mid - 2))\" text-anchor=\"end\" font-size=\"12\">\(esc(b.label))</text>\n"
        svg +=
          "<text x=\"\(f(left - 8))\" y=\"\(f(mid + 11))\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">\(esc(UncertaintyText.value(b.lowValue))) to \(esc(UncertaintyText.value(b.highValue)))</text>\n"
        for (n, j) in shown.enumerated() {
          let by = rowTop + Double(n) * (barHeight + 2)
          let a = pct(b.costAtLow[j], j)
          let c = pct(b.costAtHigh[j], j)
          let x0 = x(Swift.min(a, c))
          let x1 = Swift.max(x(Swift.max(a, c)), x0 + 1.5)
          let color = CostChart.style(j).color
          svg +=
            "<rect x=\"\(f(x0))\" y=\"\(f(by))\" width=\"\(f(x1 - x0))\" height=\"\(f(barHeight))\" fill=\"\(color)\" fill-opacity=\"\(n == 0 ? "0.9" : "0.55")\"><title>\(esc(r.scenario.options[j].id)): \(esc(UncertaintyText.usd(b.costAtLow[j]))) at \(esc(UncertaintyText.value(b.lowValue))), \(esc(UncertaintyText.usd(b.costAtHigh[j]))) at \(esc(UncertaintyText.value(b.highValue)))</title></rect>\n"
          if n == 0 {
            svg +=
              "<text x=\"\(f(width - right + 8))\" y=\"\(f(by + barHeight - 2))\" font-size=\"10\" fill=\"#222\">\(esc(UncertaintyText.usd(b.costAtLow[j]))) to \(esc(UncertaintyText.usd(b.costAtHigh[j])))</text>\n"
          }
        }
      }
      y = top + plotHeight + 34
      panels.append((y, svg))
    }
    let height = y + 44
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg +=
      ChartText.title(r.scenario.title, x: 12, y: 22, size: 15, maxWidth: width - 24)
    svg +=
      "<text x=\"12\" y=\"38\" font-size=\"12\" fill=\"#444\">What moves the monthly cost: each ranged input at its P10 and at its P90, the others at their medians</text>\n"
    svg += panels.map(\.svg).joined()
    // Legend: each option's colour.
    var lx = 12.0
    for (j, id) in legend.sorted(by: { $0.key < $1.key }) {
      svg +=
        "<rect x=\"\(f(lx))\" y=\"\(f(height - 18))\" width=\"12\" height=\"10\" fill=\"\(CostChart.style(j).color)\"/>\n"
      svg += "<text x=\"\(f(lx + 16))\" y=\"\(f(height - 9))\" font-size=\"11\">\(esc(id))</text>\n"
      lx += 24 + Double(id.count) * 6.5
    }
    svg +=
      "<text x=\"12\" y=\"\(f(height - 30))\" font-size=\"10\" fill=\"#666\">Bars: change from each option's monthly cost at the medians; the option a panel is sorted by (the recommended one) solid, the others lighter. Right: its dollars at P10 and P90.</text>\n"
    return svg + "</svg>\n"
  }

  /// The options drawn at scale `i`: the one the bars are sorted by, then tie members, then the options with the
  /// most wins or cheapest draws (or, without sampling, the next by rank).
  static func options(_ r: ScenarioResult, _ i: Int, _ s: ScaleSensitivity) -> [Int] {
    var out = [s.sortedBy]
    let ids = r.scenario.options.map(\.id)
    var candidates: [String] = []
    if let sampled = r.sampling, i < sampled.scales.count {
      let sc = sampled.scales[i]
      candidates += (sc.tie ?? []).map(\.id)
      candidates += sc.options.filter { $0.winProbability >= 0.05 }
        .sorted { $0.winProbability > $1.winProbability }.map(\.id)
      candidates += sc.options.filter { $0.cheapestProbability >= 0.05 }
        .sorted { $0.cheapestProbability > $1.cheapestProbability }.map(\.id)
    } else if i < r.decisions.count {
      candidates += r.decisions[i].ranked.filter { $0.rank != nil }.map(\.optionId)
    }
    for id in candidates {
      guard out.count < maxOptions, let j = ids.firstIndex(of: id), !out.contains(j) else {
        continue
      }
      out.append(j)
    }
    return out
  }

  /// An axis from below `lo` to above `hi` (both including 0) in steps of 1, 2 or 5 × 10^k, at most ~8 ticks.
  static func ticks(_ lo: Double, _ hi: Double) -> (Double, Double, Double) {
    let span = Swift.max(hi - lo, 1)
    let raw = span / 6
    let p = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
    return (Foundation.floor(lo / step) * step, Foundation.ceil(hi / step) * step, step)
  }

  static func f(_ v: Double) -> String { String(format: "%.1f", v) }
  static func esc(_ s: String) -> String { TextEscape.replace(s, TextEscape.html) }
}
