import CostModel
import Foundation

/// `reports/<name>-projection.svg`: each option's monthly cost over the horizon (docs/model.md §11), one panel per
/// scale stacked; months across (linear), cost up (log). The same style as the cost chart: Okabe and Ito's
/// colours with dash patterns past seven lines, options of the same cost on one line named together, infeasible
/// months pale, the months where the cheapest option changes as labelled circles, the best month to switch as a
/// dotted vertical.
public enum ProjectionChart {
  static let width = 960.0
  static let right = 230.0
  static let panelGap = 56.0

  public static func render(_ p: ProjectionResult) -> String? {
    guard p.months >= 1, !p.scales.isEmpty else { return nil }
    // Lines per panel: options whose months all agree within 0.1% (and in feasibility) share one.
    typealias Group = (ids: [String], costs: [Double], feasible: [Bool])
    var panels: [[Group]] = []
    for sp in p.scales {
      var groups: [Group] = []
      for o in sp.options {
        let c = o.monthly.map { DecimalMath.toDouble($0) }
        if let k = groups.firstIndex(where: { g in
          g.feasible == o.feasible
            && zip(g.costs, c).allSatisfy {
              Swift.abs($0 - $1) <= 0.001 * Swift.max(Swift.abs($0), Swift.abs($1))
            }
        }) {
          groups[k].ids.append(o.option.id)
        } else {
          groups.append(([o.option.id], c, o.feasible))
        }
      }
      panels.append(groups)
    }
    // Each panel its own decades (scales differ by orders of magnitude); the left margin fits the widest label.
    var ranges: [(lo: Double, hi: Double, min: Double, max: Double)] = []
    for groups in panels {
      let positive = groups.flatMap(\.costs).filter { $0 > 0 && $0.isFinite }
      guard let minCost = positive.min(), let maxCost = positive.max() else { return nil }
      let lo = Foundation.floor(Foundation.log10(minCost))
      ranges.append(
        (lo, Swift.max(lo + 1, Foundation.ceil(Foundation.log10(maxCost))), minCost, maxCost))
    }
    let widest =
      ranges.flatMap { r in
        stride(from: Int(r.lo), through: Int(r.hi), by: 1).map {
          CostChart.moneyLabel(Foundation.pow(10, Double($0))).count
        }
      }.max() ?? 6
    let left = Swift.max(70.0, Double(widest) * 7.2 + 34)
    let plotW = width - left - right
    let top = 70.0
    // Each panel tall enough for its legend (14 px a label).
    let heights = panels.map { Swift.max(240.0, Double($0.count) * 14 + 40) }
    let height = top + heights.reduce(0, +) + panelGap * Double(panels.count - 1) + 64
    let H = p.months
    func px(_ month: Double) -> Double {
      H == 1 ? left + plotW / 2 : left + (month - 1) / Double(H - 1) * plotW
    }
    let f = CostChart.coordinate
    let esc = CostChart.esc
    let subtitle =
      "Monthly cost over \(H) months, traffic "
      + (p.monthlyPercent == 0
        ? "flat"
        : "\(p.monthlyPercent > 0 ? "+" : "−")\(DecimalText.plain(p.monthlyPercent.magnitude))% a month")
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    svg +=
      ChartText.title(p.scenario.title, x: left, y: 26, size: 16, maxWidth: Self.width - left - 12)
    svg += "<text x=\"\(f(left))\" y=\"44\" fill=\"#444\">\(esc(subtitle))</text>\n"
    // Month ticks: about a dozen, on round steps.
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240].first { H / $0 <= 12 } ?? 240
    // Month 1, then the multiples of the step not crowding it.
    let ticks =
      [1]
      + stride(from: step, through: H, by: step).filter { Double($0 - 1) >= Double(step) * 0.75 }
    var y0 = top
    for (n, sp) in p.scales.enumerated() {
      let plotH = heights[n]
      let (yLo, yHi, minCost, maxCost) = ranges[n]
      func py(_ c: Double) -> Double {
        y0 + plotH - (Foundation.log10(Swift.min(Swift.max(c, minCost), maxCost)) - yLo)
          / (yHi - yLo) * plotH
      }
      svg +=
        "<text x=\"\(f(left))\" y=\"\(f(y0 - 8))\" font-weight=\"bold\">\(esc(MoneyFormat.scale(sp.scale)))×</text>\n"
      for m in ticks {
        let x = px(Double(m))
        svg +=
          "<line x1=\"\(f(x))\" y1=\"\(f(y0))\" x2=\"\(f(x))\" y2=\"\(f(y0 + plotH))\" stroke=\"#e5e5e5\"/>\n"
        svg +=
          "<text x=\"\(f(x))\" y=\"\(f(y0 + plotH + 16))\" text-anchor=\"middle\">\(m)</text>\n"
      }
      svg += CostChart.moneyGrid(
        decades: yLo, yHi, left: left, top: y0, width: plotW, height: plotH)
      svg +=
        "<rect x=\"\(f(left))\" y=\"\(f(y0))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
      // The best month to switch, where the plan has one.
      if let best = sp.plan?.best {
        let x = px(Double(best.month) - 0.5)
        svg +=
          "<line x1=\"\(f(x))\" y1=\"\(f(y0))\" x2=\"\(f(x))\" y2=\"\(f(y0 + plotH))\" stroke=\"#555\" stroke-dasharray=\"2 3\"/>\n"
        // The label on the side with room: left of the line in the plot's right half.
        let onLeft = x > left + plotW / 2
        svg +=
          "<text x=\"\(f(onLeft ? x - 4 : x + 4))\" y=\"\(f(y0 + 13))\" fill=\"#444\"\(onLeft ? " text-anchor=\"end\"" : "")>\(esc("switch to \(sp.plan!.to) at month \(best.month)"))</text>\n"
      }
      var labels: [(y: Double, text: String, color: String, dash: String)] = []
      for (k, g) in panels[n].enumerated() {
        let (color, dash) = CostChart.style(k)
        let name = g.ids.joined(separator: " = ")
        let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        if H == 1 {
          svg +=
            "<circle cx=\"\(f(px(1)))\" cy=\"\(f(py(g.costs[0])))\" r=\"3\" fill=\"\(color)\"\(g.feasible[0] ? "" : " fill-opacity=\"0.35\"")><title>\(esc(name))</title></circle>\n"
        }
        var start = 0
        while H > 1 && start < H {
          var end = start
          while end + 1 < H && g.feasible[end + 1] == g.feasible[start] { end += 1 }
          let stop = Swift.min(end + 1, H - 1)  // joined to the next stretch
          let points = (start...stop).map { "\(f(px(Double($0 + 1)))),\(f(py(g.costs[$0])))" }
            .joined(separator: " ")
          svg +=
            "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttr)\(g.feasible[start] ? "" : " stroke-opacity=\"0.35\"") points=\"\(points)\"><title>\(esc(name))\(g.feasible[start] ? "" : " (infeasible)")</title></polyline>\n"
          start = end + 1
        }
        labels.append((py(g.costs[H - 1]), name, color, dash))
      }
      // Where the cheapest feasible option changes: a circle on the new one, labelled with the month.
      var lastX = -Double.infinity
      var row = 0
      for m in 1..<H {
        guard let now = sp.cheapest[m], now != sp.cheapest[m - 1],
          let o = sp.option(now)
        else { continue }
        let x = px(Double(m + 1))
        let y = py(DecimalMath.toDouble(o.monthly[m]))
        svg +=
          "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\" fill=\"white\" stroke=\"#000\" stroke-width=\"1.5\"><title>\(esc("from month \(m + 1), \(now) is the cheapest"))</title></circle>\n"
        row = x - lastX < 60 ? row + 1 : 0
        lastX = x
        let ly = Swift.max(y0 + 26, y - 10 - Double(row) * 13)
        // Kept inside the plot: a label at either end would run into the cost labels or the legend.
        let lx = Swift.min(Swift.max(x, left + 28), left + plotW - 28)
        svg +=
          "<text x=\"\(f(lx))\" y=\"\(f(ly))\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\">month \(m + 1)</text>\n"
      }
      // Legend at the right end of each line, 14 px apart, kept within the panel: pushed down from the top, then
      // pulled back up from the bottom.
      labels.sort { $0.y < $1.y }
      var ys = labels.map(\.y)
      for k in ys.indices { ys[k] = Swift.max(ys[k], k == 0 ? y0 + 4 : ys[k - 1] + 14) }
      for k in ys.indices.reversed() {
        ys[k] = Swift.min(ys[k], k == ys.count - 1 ? y0 + plotH : ys[k + 1] - 14)
      }
      for (l, y) in zip(labels, ys) {
        let dashAttr = l.dash.isEmpty ? "" : " stroke-dasharray=\"\(l.dash)\""
        svg +=
          "<line x1=\"\(f(left + plotW + 6))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW + 26))\" y2=\"\(f(y))\" stroke=\"\(l.color)\" stroke-width=\"2\"\(dashAttr)/>\n"
        svg +=
          "<text x=\"\(f(left + plotW + 30))\" y=\"\(f(y + 4))\" fill=\"#222\">\(esc(l.text))</text>\n"
      }
      svg +=
        "<text transform=\"translate(16 \(f(y0 + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">monthly cost (USD, log)</text>\n"
      y0 += plotH + panelGap
    }
    let bottom = y0 - panelGap
    svg +=
      "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(bottom + 38))\" text-anchor=\"middle\">month</text>\n"
    svg +=
      "<text x=\"\(f(left))\" y=\"\(f(height - 6))\" font-size=\"10\" fill=\"#666\">pale: infeasible that month; circles: where the cheapest option changes; dotted: the best month to switch; \"a = b\": the same cost</text>\n"
    return svg + "</svg>\n"
  }
}
