import CostModel
import Foundation

/// `reports/<name>-cost.svg`: monthly cost against scale on log-log axes over a window around the scenario's scales
/// and the changes of the cheapest option; one line per option (options of the same cost share one, named
/// together), colour-blind-safe colours and dash patterns, infeasible stretches pale, the changes of the cheapest
/// option as labelled circles, other crossovers as dots, the scenario's scales as dotted verticals.
public enum CostChart {
  /// Okabe and Ito's colours, distinguishable with the common colour-vision deficiencies (yellow darkened to
  /// read on white); past seven series the dash pattern tells lines apart as well.
  static let palette = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#B8A000",
  ]
  static let dashes = ["", "9 3", "9 3 2 3", "2 3"]

  static func style(_ n: Int) -> (color: String, dash: String) {
    (palette[n % palette.count], dashes[(n / palette.count) % dashes.count])
  }

  /// The window drawn: a decade below the scenario's smallest scale to a decade above its largest, widened to
  /// every change of the cheapest option, in whole decades within the searched range.
  static func window(_ r: ScenarioResult, _ curves: CostCurves) -> (lo: Double, hi: Double) {
    var lo = r.scales.map { DecimalMath.toDouble($0) }.min() ?? 1
    var hi = r.scales.map { DecimalMath.toDouble($0) }.max() ?? 1
    lo /= 10
    hi *= 10
    for i in curves.cheapest {
      if !i.fromEdge {
        lo = Swift.min(lo, i.from / 2)
        hi = Swift.max(hi, i.from * 2)
      }
      if !i.toEdge {
        lo = Swift.min(lo, i.to / 2)
        hi = Swift.max(hi, i.to * 2)
      }
    }
    let a = Foundation.pow(
      10, Foundation.floor(Foundation.log10(Swift.max(lo, BreakEven.lowestScale))))
    let b = Foundation.pow(
      10, Foundation.ceil(Foundation.log10(Swift.min(hi, BreakEven.highestScale))))
    return (
      Swift.max(a, BreakEven.lowestScale), Swift.min(Swift.max(b, a * 10), BreakEven.highestScale)
    )
  }

  public static func render(_ r: ScenarioResult) -> String? {
    guard let curves = r.curves, !curves.order.isEmpty else { return nil }
    let (wLo, wHi) = window(r, curves)
    let inWindow = curves.grid.indices.filter {
      curves.grid[$0] >= wLo * (1 - 1e-9) && curves.grid[$0] <= wHi * (1 + 1e-9)
    }
    guard inWindow.count >= 2 else { return nil }
    let xs = inWindow.map { curves.grid[$0] }
    // Options whose curves coincide (within 0.1% everywhere in the window) share one line and one label.
    var groups: [(ids: [String], costs: [Double], feasible: [Bool])] = []
    for id in curves.order {
      let c = inWindow.map { curves.costs[id]![$0] }
      let fe = inWindow.map { curves.feasible[id]![$0] }
      if let k = groups.firstIndex(where: { g in
        g.feasible == fe
          && zip(g.costs, c).allSatisfy {
            Swift.abs($0 - $1) <= 0.001 * Swift.max(Swift.abs($0), Swift.abs($1))
          }
      }) {
        groups[k].ids.append(id)
      } else {
        groups.append(([id], c, fe))
      }
    }
    let width = 960.0
    let height = 560.0
    let right = 230.0
    let top = 50.0
    let bottom = 60.0
    // Only finite positive costs set the axis (an overflowing cost must not stretch it to infinity).
    let positive = groups.flatMap(\.costs).filter { $0 > 0 && $0.isFinite }
    guard let minCost = positive.min(), let maxCost = positive.max() else { return nil }
    let yLo = Foundation.floor(Foundation.log10(minCost))
    let yHi = Swift.max(yLo + 1, Foundation.ceil(Foundation.log10(maxCost)))
    // The left margin fits the widest cost label (about 7 px a character at 12 px).
    let widestLabel =
      stride(from: Int(yLo), through: Int(yHi), by: 1).map {
        moneyLabel(Foundation.pow(10, Double($0))).count
      }.max() ?? 6
    let left = Swift.max(70.0, Double(widestLabel) * 7.2 + 34)
    let plotW = width - left - right
    let plotH = height - top - bottom
    let xLo = Foundation.log10(xs.first!)
    let xHi = Foundation.log10(xs.last!)
    func px(_ s: Double) -> Double { left + (Foundation.log10(s) - xLo) / (xHi - xLo) * plotW }
    func py(_ c: Double) -> Double {
      top + plotH - (Foundation.log10(Swift.min(Swift.max(c, minCost), maxCost)) - yLo)
        / (yHi - yLo) * plotH
    }
    let f = coordinate
    /// The cost of `id` at scale `s`, interpolated on the grid in log-log.
    func costAt(_ id: String, _ s: Double) -> Double {
      let costs = curves.costs[id]!
      let grid = curves.grid
      let i = grid.lastIndex { $0 <= s } ?? 0
      let j = Swift.min(i + 1, grid.count - 1)
      let t =
        j == i
        ? 0
        : (Foundation.log10(s) - Foundation.log10(grid[i]))
          / (Foundation.log10(grid[j]) - Foundation.log10(grid[i]))
      return Foundation.pow(
        10,
        Foundation.log10(Swift.max(costs[i], minCost)) * (1 - t) + Foundation.log10(
          Swift.max(costs[j], minCost)) * t)
    }

    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg +=
      ChartText.title(
        "\(r.scenario.title): monthly cost against traffic", x: left, y: 28, size: 16,
        maxWidth: width - left - 12)
    // Grid and axes.
    for e in stride(from: Int(xLo.rounded()), through: Int(xHi.rounded()), by: 1) {
      let x = px(Foundation.pow(10, Double(e)))
      svg +=
        "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"#e5e5e5\"/>\n"
      svg +=
        "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(esc(scaleLabel(Foundation.pow(10, Double(e)))))</text>\n"
    }
    svg += moneyGrid(decades: yLo, yHi, left: left, top: top, width: plotW, height: plotH)
    svg +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
    let w = r.scenario.workload
    svg +=
      "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 18))\" text-anchor=\"middle\">scale (× today's traffic: \(esc(MoneyFormat.quantity(w.entitiesPerMonth))) \(esc(Noun.plural(w.entity))) a month)</text>\n"
    svg +=
      "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">monthly cost (USD, log)</text>\n"
    for s in r.scales {
      let v = DecimalMath.toDouble(s)
      guard v >= xs.first!, v <= xs.last! else { continue }
      svg +=
        "<line x1=\"\(f(px(v)))\" y1=\"\(f(top))\" x2=\"\(f(px(v)))\" y2=\"\(f(top + plotH))\" stroke=\"#999\" stroke-dasharray=\"2 3\"/>\n"
      svg +=
        "<text x=\"\(f(px(v) + 3))\" y=\"\(f(top + 12))\" fill=\"#666\">\(esc(MoneyFormat.quantity(s)))×</text>\n"
    }
    // One polyline per stretch of equal feasibility; infeasible stretches pale.
    var labels: [(y: Double, text: String, color: String, dash: String)] = []
    for (n, g) in groups.enumerated() {
      let (color, dash) = style(n)
      let name = g.ids.joined(separator: " = ")
      var start = 0
      while start < xs.count {
        var end = start
        while end + 1 < xs.count && g.feasible[end + 1] == g.feasible[start] { end += 1 }
        let stop = Swift.min(end + 1, xs.count - 1)  // join to the next stretch
        let points = (start...stop).map { "\(f(px(xs[$0]))),\(f(py(g.costs[$0])))" }.joined(
          separator: " ")
        let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        svg +=
          "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttr)\(g.feasible[start] ? "" : " stroke-opacity=\"0.35\"") points=\"\(points)\"><title>\(esc(name))\(g.feasible[start] ? "" : " (infeasible)")</title></polyline>\n"
        start = end + 1
      }
      labels.append((py(g.costs.last!), name, color, dash))
    }
    // Every crossover as a small dot (details on hover); where the cheapest option changes, a labelled circle.
    for c in r.crossovers
    where c.scale >= xs.first! && c.scale <= xs.last! && curves.costs[c.optionA] != nil {
      svg +=
        "<circle cx=\"\(f(px(c.scale)))\" cy=\"\(f(py(costAt(c.optionA, c.scale))))\" r=\"2.5\" fill=\"#888\"><title>\(esc("\(c.cheaperAbove) cheaper than \(c.cheaperBelow) above \(BreakEvenCSV.scaleText(c.scale))×"))</title></circle>\n"
    }
    var lastLabelX = -Double.infinity
    var row = 0
    for i in curves.cheapest where !i.fromEdge && i.from >= xs.first! && i.from <= xs.last! {
      let x = px(i.from)
      let y = py(costAt(i.option, i.from))
      svg +=
        "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\" fill=\"white\" stroke=\"#000\" stroke-width=\"1.5\"><title>\(esc("from \(BreakEvenCSV.scaleText(i.from))×, \(i.option) is the cheapest"))</title></circle>\n"
      // Labels stagger vertically when they would overlap.
      row = x - lastLabelX < 70 ? row + 1 : 0
      lastLabelX = x
      let ly = Swift.max(top + 14, y - 10 - Double(row) * 13)
      svg +=
        "<text x=\"\(f(x))\" y=\"\(f(ly))\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">\(esc(BreakEvenCSV.scaleText(i.from)))×</text>\n"
    }
    // Legend at the right end, nudged apart, each with its line style.
    labels.sort { $0.y < $1.y }
    var lastY = -Double.infinity
    for l in labels {
      let y = Swift.min(Swift.max(l.y, lastY + 14), height - 8)
      lastY = y
      let dashAttr = l.dash.isEmpty ? "" : " stroke-dasharray=\"\(l.dash)\""
      svg +=
        "<line x1=\"\(f(left + plotW + 6))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW + 26))\" y2=\"\(f(y))\" stroke=\"\(l.color)\" stroke-width=\"2\"\(dashAttr)/>\n"
      svg +=
        "<text x=\"\(f(left + plotW + 30))\" y=\"\(f(y + 4))\" fill=\"#222\">\(esc(l.text))</text>\n"
    }
    svg +=
      "<text x=\"\(f(left))\" y=\"\(f(height - 4))\" font-size=\"10\" fill=\"#666\">pale: infeasible; labelled circles: where the cheapest option changes; dots: other crossovers; dotted: the scenario's scales\(groups.contains { $0.ids.count > 1 } ? "; \"a = b\": the same cost" : "")</text>\n"
    return svg + "</svg>\n"
  }

  /// One decimal, without `String(format:)` (slow on Linux, and this runs for every point of every line).
  /// Coordinates are clamped to ±1e6 so that no value can overflow the integer conversion.
  static func coordinate(_ v: Double) -> String {
    let clamped = v.isNaN ? 0 : Swift.min(1e6, Swift.max(-1e6, v))
    let tenths = Int((clamped * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let m = Swift.abs(tenths)
    return "\(sign)\(m / 10).\(m % 10)"
  }

  /// The horizontal grid of a log money axis from 10^lo to 10^hi dollars, with its labels on the left.
  static func moneyGrid(
    decades lo: Double, _ hi: Double, left: Double, top: Double, width: Double, height: Double
  ) -> String {
    let f = coordinate
    var svg = ""
    for e in stride(from: Int(lo), through: Int(hi), by: 1) {
      let y = top + height - (Double(e) - lo) / (hi - lo) * height
      svg +=
        "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + width))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>\n"
      svg +=
        "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(esc(moneyLabel(Foundation.pow(10, Double(e)))))</text>\n"
    }
    return svg
  }

  static func scaleLabel(_ s: Double) -> String {
    s >= 1 ? whole(s) + "×" : String(format: "%g×", s)
  }

  static func moneyLabel(_ v: Double) -> String {
    v >= 1
      ? "$" + whole(v) : "$" + MoneyFormat.significantTrimmed(DecimalMath.fromDouble(v), digits: 3)
  }

  /// A whole number with thousands separators; past 10^15 (beyond any exact integer conversion) a power of ten.
  static func whole(_ v: Double) -> String {
    guard v.isFinite, v < 1e15 else {
      return v.isFinite ? "1e\(Int(Foundation.log10(v).rounded()))" : "∞"
    }
    return MoneyFormat.grouped(Decimal(Int(v.rounded())), decimals: 0)
  }

  static func esc(_ s: String) -> String {
    TextEscape.replace(s, TextEscape.html)
  }
}

/// Chart text that must not run past the picture's edge.
enum ChartText {
  /// An upper bound on a line's width in Helvetica or Arial: 0.62 em a character (bold capitals and digits are
  /// under 0.72 em, an average line well under 0.6).
  static func estimatedWidth(_ text: String, size: Double) -> Double {
    Double(text.count) * size * 0.62
  }

  /// A bold title at (x, y) that fits within `maxWidth`: where it might not, it is drawn compressed to that width
  /// (`textLength`), so a long scenario title is never clipped by the viewer.
  static func title(_ text: String, x: Double, y: Double, size: Double, maxWidth: Double) -> String
  {
    let fit =
      estimatedWidth(text, size: size) > maxWidth
      ? " textLength=\"\(Int(maxWidth))\" lengthAdjust=\"spacingAndGlyphs\"" : ""
    return
      "<text x=\"\(CostChart.coordinate(x))\" y=\"\(CostChart.coordinate(y))\" font-size=\"\(Int(size))\" font-weight=\"bold\"\(fit)>\(CostChart.esc(text))</text>\n"
  }
}
