import Foundation

/// Every file `costplan report` writes, rendered in memory first so a bad input writes nothing.
public enum ReportSet {
  /// File name → content, in a fixed order.
  public static func render(_ results: [ScenarioResult]) -> [(name: String, content: String)] {
    var files: [(String, String)] = []
    for r in results {
      files.append(("\(r.scenario.name).md", MarkdownReport.render(r)))
      files.append(("\(r.scenario.name).csv", LineItemCSV.render([r])))
      if let svg = CostChart.render(r) { files.append(("\(r.scenario.name)-cost.svg", svg)) }
    }
    files.append(("summary.csv", SummaryCSV.render(results)))
    return files
  }
}
