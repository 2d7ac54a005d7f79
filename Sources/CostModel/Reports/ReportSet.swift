import Foundation

/// Every file `costplan report` writes, rendered in memory first so a bad input writes nothing.
public enum ReportSet {
  /// File name → content, in a fixed order.
  /// The files are rendered on every core (each from the results alone) and listed in a fixed order.
  public static func render(_ results: [ScenarioResult]) -> [(name: String, content: String)] {
    enum Job: Sendable { case markdown(Int), csv(Int), chart(Int), html(Int), summary }
    var jobs: [Job] = []
    for i in results.indices { jobs += [.markdown(i), .csv(i), .chart(i), .html(i)] }
    jobs.append(.summary)
    let rendered = parallelMap(jobs) { job -> (String, String)? in
      switch job {
      case .markdown(let i): return ("\(results[i].scenario.name).md", MarkdownReport.render(results[i]))
      case .csv(let i): return ("\(results[i].scenario.name).csv", LineItemCSV.render([results[i]]))
      case .chart(let i): return CostChart.render(results[i]).map { ("\(results[i].scenario.name)-cost.svg", $0) }
      case .html(let i): return ("\(results[i].scenario.name).html", HTMLReport.render(results[i]))
      case .summary: return ("summary.csv", SummaryCSV.render(results))
      }
    }
    return rendered.compactMap { $0 }
  }
}
