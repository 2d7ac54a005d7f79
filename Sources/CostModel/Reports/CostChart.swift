import Foundation

/// `reports/<name>-cost.svg`: monthly cost against scale on log-log axes, one labelled line per option,
/// infeasible stretches dashed, crossovers marked, the scenario's scales as dotted verticals.
public enum CostChart {
  /// Distinct colours for up to 18 options before one repeats (the chat scenario has 15).
  static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
    "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"]

  public static func render(_ r: ScenarioResult) -> String? {
    guard let curves = r.curves, !curves.order.isEmpty else { return nil }
    let width = 960.0, height = 560.0
    let left = 80.0, right = 190.0, top = 50.0, bottom = 60.0
    let plotW = width - left - right, plotH = height - top - bottom
    let xs = curves.grid
    // Only finite positive costs set the axis (an overflowing cost must not stretch it to infinity).
    let positive = curves.order.flatMap { curves.costs[$0]! }.filter { $0 > 0 && $0.isFinite }
    guard let minCost = positive.min(), let maxCost = positive.max() else { return nil }
    let yLo = Foundation.floor(Foundation.log10(minCost)), yHi = Swift.max(yLo + 1, Foundation.ceil(Foundation.log10(maxCost)))
    let xLo = Foundation.log10(xs.first!), xHi = Foundation.log10(xs.last!)
    func px(_ s: Double) -> Double { left + (Foundation.log10(s) - xLo) / (xHi - xLo) * plotW }
    func py(_ c: Double) -> Double {
      top + plotH - (Foundation.log10(Swift.min(Swift.max(c, minCost), maxCost)) - yLo) / (yHi - yLo) * plotH
    }
    /// One decimal, without `String(format:)` (slow on Linux, and this runs for every point of every line).
    /// Coordinates are clamped to ±1e6 so that no value can overflow the integer conversion.
    func f(_ v: Double) -> String {
      let clamped = v.isNaN ? 0 : Swift.min(1e6, Swift.max(-1e6, v))
      let tenths = Int((clamped * 10).rounded())
      let sign = tenths < 0 ? "-" : ""
      let m = Swift.abs(tenths)
      return "\(sign)\(m / 10).\(m % 10)"
    }

    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg += "<text x=\"\(f(left))\" y=\"28\" font-size=\"16\" font-weight=\"bold\">\(esc(r.scenario.title)): monthly cost against traffic</text>\n"
    // Grid and axes.
    for e in stride(from: Int(xLo), through: Int(xHi), by: 1) {
      let x = px(Foundation.pow(10, Double(e)))
      svg += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"#e5e5e5\"/>\n"
      svg += "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(esc(scaleLabel(Foundation.pow(10, Double(e)))))</text>\n"
    }
    for e in stride(from: Int(yLo), through: Int(yHi), by: 1) {
      let y = top + plotH - (Double(e) - yLo) / (yHi - yLo) * plotH
      svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>\n"
      svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(esc(moneyLabel(Foundation.pow(10, Double(e)))))</text>\n"
    }
    svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
    svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 18))\" text-anchor=\"middle\">scale (× today's traffic: \(esc(MoneyFormat.exact(r.scenario.workload.entitiesPerMonth))) \(esc(r.scenario.workload.entity))s a month)</text>\n"
    svg += "<text transform=\"translate(20 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">monthly cost (USD, log)</text>\n"
    for s in r.scales {
      let v = DecimalMath.toDouble(s)
      guard v >= xs.first!, v <= xs.last! else { continue }
      svg += "<line x1=\"\(f(px(v)))\" y1=\"\(f(top))\" x2=\"\(f(px(v)))\" y2=\"\(f(top + plotH))\" stroke=\"#999\" stroke-dasharray=\"2 3\"/>\n"
      svg += "<text x=\"\(f(px(v) + 3))\" y=\"\(f(top + 12))\" fill=\"#666\">\(esc(MoneyFormat.scale(s)))×</text>\n"
    }
    // One polyline per stretch of equal feasibility.
    var labels: [(y: Double, text: String, color: String)] = []
    for (n, id) in curves.order.enumerated() {
      let color = palette[n % palette.count]
      let costs = curves.costs[id]!, feasible = curves.feasible[id]!
      var start = 0
      while start < xs.count {
        var end = start
        while end + 1 < xs.count && feasible[end + 1] == feasible[start] { end += 1 }
        let stop = Swift.min(end + 1, xs.count - 1)  // join to the next stretch
        let points = (start...stop).map { "\(f(px(xs[$0]))),\(f(py(costs[$0])))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(feasible[start] ? "" : " stroke-dasharray=\"6 4\"") points=\"\(points)\"><title>\(esc(id))\(feasible[start] ? "" : " (infeasible)")</title></polyline>\n"
        start = end + 1
      }
      labels.append((py(costs.last!), id, color))
    }
    for c in r.crossovers {
      guard let costs = curves.costs[c.optionA] else { continue }
      let i = xs.lastIndex { $0 <= c.scale } ?? 0
      let j = Swift.min(i + 1, xs.count - 1)
      let t = j == i ? 0 : (Foundation.log10(c.scale) - Foundation.log10(xs[i])) / (Foundation.log10(xs[j]) - Foundation.log10(xs[i]))
      let y = Foundation.pow(10, Foundation.log10(Swift.max(costs[i], minCost)) * (1 - t) + Foundation.log10(Swift.max(costs[j], minCost)) * t)
      svg += "<circle cx=\"\(f(px(c.scale)))\" cy=\"\(f(py(y)))\" r=\"4\" fill=\"white\" stroke=\"#000\"><title>\(esc("\(c.cheaperAbove) cheaper than \(c.cheaperBelow) above \(BreakEvenCSV.scaleText(c.scale))×"))</title></circle>\n"
    }
    // Labels at the right end, nudged apart.
    labels.sort { $0.y < $1.y }
    var lastY = -Double.infinity
    for l in labels {
      let y = Swift.max(l.y, lastY + 14)
      lastY = y
      svg += "<text x=\"\(f(left + plotW + 8))\" y=\"\(f(y + 4))\" fill=\"\(l.color)\">\(esc(l.text))</text>\n"
    }
    svg += "<text x=\"\(f(left))\" y=\"\(f(height - 4))\" font-size=\"10\" fill=\"#666\">dashed: infeasible; circles: crossovers; dotted: the scenario's scales</text>\n"
    return svg + "</svg>\n"
  }

  static func scaleLabel(_ s: Double) -> String {
    s >= 1 ? whole(s) + "×" : String(format: "%g×", s)
  }

  static func moneyLabel(_ v: Double) -> String {
    v >= 1 ? "$" + whole(v) : "$" + MoneyFormat.significantTrimmed(DecimalMath.fromDouble(v), digits: 3)
  }

  /// A whole number with thousands separators; past 10^15 (beyond any exact integer conversion) a power of ten.
  static func whole(_ v: Double) -> String {
    guard v.isFinite, v < 1e15 else { return v.isFinite ? "1e\(Int(Foundation.log10(v).rounded()))" : "∞" }
    return MoneyFormat.grouped(Decimal(Int(v.rounded())), decimals: 0)
  }

  static func esc(_ s: String) -> String {
    TextEscape.replace(s, TextEscape.html)
  }
}
