import CostModel
import Foundation

/// Every file `costplan report` writes, rendered in memory first so a bad input writes nothing.
public enum ReportSet {
  /// File name → content, in a fixed order.
  /// The files are rendered on every core (each from the results alone) and listed in a fixed order.
  public static func render(_ results: [ScenarioResult]) -> [(name: String, content: String)] {
    // The page embeds the chart: one job renders both, so the chart is drawn once.
    enum Job: Sendable { case markdown(Int), csv(Int), chartAndPage(Int), summary }
    var jobs: [Job] = []
    for i in results.indices { jobs += [.chartAndPage(i), .markdown(i), .csv(i)] }
    jobs.append(.summary)
    let rendered = parallelMap(jobs) { job -> [(String, String)] in
      switch job {
      case .markdown(let i):
        return [("\(results[i].scenario.name).md", MarkdownReport.render(results[i]))]
      case .csv(let i):
        return [("\(results[i].scenario.name).csv", LineItemCSV.render([results[i]]))]
      case .chartAndPage(let i):
        let name = results[i].scenario.name
        let chart = CostChart.render(results[i])
        let tornado = TornadoChart.render(results[i])
        let page = ("\(name).html", HTMLReport.render(results[i], chart: chart, tornado: tornado))
        // A scenario with growth also gets its projection chart (docs/model.md §11).
        let projection = results[i].projection.flatMap(ProjectionChart.render).map {
          [("\(name)-projection.svg", $0)]
        }
        return (chart.map { [("\(name)-cost.svg", $0)] } ?? [])
          + (tornado.map { [("\(name)-tornado.svg", $0)] } ?? []) + [page] + (projection ?? [])
      case .summary: return [("summary.csv", SummaryCSV.render(results))]
      }
    }
    // Written in a fixed order (the order only affects which file a failed write names first).
    return rendered.flatMap { $0 }
  }
}
