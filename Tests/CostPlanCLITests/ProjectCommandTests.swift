import Foundation
import Testing

@testable import CostPlanCLI

/// `costplan project` (docs/model.md §11, docs/formats.md) and the report's projection section.
@Suite(.serialized) struct ProjectCommandTests {
  /// Shipped pricing; a small scenario whose cheapest option changes as traffic grows 40% a month for 6 months:
  /// S3 (cost grows with traffic) against one cache.t4g.small node (a fixed monthly price until its memory runs
  /// out: at 20× in month 3).
  static let growing = """
    {
      "version": 1,
      "name": "growing",
      "provider": "aws",
      "region": "us-east-1",
      "scales": [1, 20],
      "horizonMonths": 6,
      "growth": { "monthlyPercent": 40 },
      "workload": {
        "entity": "session",
        "record": "event",
        "entitiesPerMonth": 200000,
        "recordsPerEntity": 4,
        "recordBytes": 1000,
        "loadsPerRecord": 2,
        "retentionDays": 1
      },
      "options": [
        { "id": "s3", "service": "s3" },
        { "id": "node", "service": "elasticache", "nodeType": "cache.t4g.small", "engine": "valkey" }
      ]
    }
    """

  static func sandbox(_ text: String = growing) throws -> Sandbox {
    let box = try Sandbox()
    try box.write("scenarios/growing.json", text)
    return box
  }

  @Test func tableShowsEveryMonthTheCheapestAndTheSwitch() throws {
    let box = try Self.sandbox()
    let r = box.run(["project", "--scenario", "growing", "--scale", "1"])
    #expect(r.code == 0 && r.stderr.isEmpty, "\(r.stderr)")
    let out = r.stdout
    #expect(
      out.contains("Traffic grows 40% a month over the 6-month horizon: month 6 carries 5.38×"))
    #expect(out.contains("1×: 200,000 sessions in month 1, 1,075,648 in month 6"))
    // Months as rows, options as columns, then the total.
    let rows = out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(rows.contains { $0.hasPrefix("month") && $0.hasSuffix("node") })
    for m in 1...6 {
      #expect(rows.contains { $0.hasPrefix("\(m) ") && $0.contains("$") }, "month \(m)")
    }
    #expect(rows.contains { $0.hasPrefix("total ") })
    // Each month marks exactly one cheapest option.
    for m in 1...6 {
      let row = try #require(rows.first { $0.hasPrefix("\(m) ") })
      #expect(row.filter { $0 == "*" }.count == 1, "\(row)")
    }
    #expect(
      out.contains("The cheapest feasible option: s3 in months 1–5, node in month 6."), "\(out)")
    #expect(out.contains("Over the 6 months:"))
    #expect(out.contains("staying with s3 costs $"))
    #expect(out.contains("starting with node costs $"))
    #expect(out.contains("switching from s3 to node at the start of month"))
    #expect(out.contains("Cheapest over the horizon: "))
    // Without --scale, every scale.
    let all = box.run(["project", "--scenario", "growing"])
    #expect(all.code == 0 && all.stdout.contains("\n  1×: ") && all.stdout.contains("\n  20×: "))
    // At 20× the node runs out of memory in month 3: marked, explained, and the switch comes then.
    #expect(all.stdout.contains("node: infeasible from month 3: needs"))
    #expect(all.stdout.contains("switching from node to s3 at the start of month 3"))
  }

  @Test func csvHasOneExactRowPerScaleOptionAndMonth() throws {
    let box = try Self.sandbox()
    let r = box.run(["project", "--scenario", "growing", "--format", "csv"])
    #expect(r.code == 0 && r.stderr.isEmpty, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "scenario,scale,option,month,monthly_cost_usd,cumulative_cost_usd")
    // 2 scales × 2 options × 6 months.
    #expect(lines.count == 1 + 2 * 2 * 6)
    #expect(lines[1].hasPrefix("growing,1,s3,1,"))
    #expect(lines.last?.hasPrefix("growing,20,node,6,") == true)
    // The cumulative column is the running sum of the monthly one (both rounded to 10 decimals, so to within
    // 1e-9), and no number has an exponent.
    var sums: [String: Decimal] = [:]
    for line in lines.dropFirst() {
      let f = line.split(separator: ",").map(String.init)
      #expect(f.count == 6 && !(f[4] + f[5]).lowercased().contains("e"), "\(line)")
      let key = f[1] + "/" + f[2]
      sums[key, default: 0] += Decimal(string: f[4])!
      #expect((sums[key]! - Decimal(string: f[5])!).magnitude < Decimal(string: "1e-9")!, "\(line)")
    }
  }

  /// Without growth, month H of the projection is the steady state `compare` prices: the CSVs agree.
  @Test func flatProjectionEndsAtCompareFigures() throws {
    let project = runCLI(["project", "--scenario", "ops-review-results", "--format", "csv"])
    let compare = runCLI(["compare", "--scenario", "ops-review-results", "--format", "summary-csv"])
    #expect(project.code == 0 && compare.code == 0, "\(project.stderr)\(compare.stderr)")
    var steady: [String: String] = [:]
    for line in compare.stdout.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      steady["\(f[1])/\(f[2])"] = f[3]
    }
    var checked = 0
    for line in project.stdout.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",").map(String.init)
      guard f[3] == "12" else { continue }
      #expect(steady["\(f[1])/\(f[2])"] == f[4], "\(line)")
      checked += 1
    }
    #expect(checked == 3 * 3)  // 3 scales × 3 options
  }

  @Test(arguments: [
    (["--scale", "0"], "'--scale <scale>'"),
    (["--scale", "abc"], "'--scale <scale>'"),
    (["--scale=-2"], "'--scale <scale>'"),
    (["--scale", "1e10"], "'--scale <scale>'"),
    (["--format", "json"], "'--format <format>'"),
    (["--scales", "1"], "Unknown option '--scales'"),
  ])
  func badOptionsAreUsageErrors(_ extra: [String], _ fragment: String) throws {
    let r = runCLI(["project", "--scenario", "ops-review-results"] + extra)
    #expect(r.code == 64, "\(r.stderr)")
    #expect(
      r.stderr.contains(fragment) && r.stderr.contains("Usage: costplan project"), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func aMissingScenarioIsAUsageError() {
    let r = runCLI(["project"])
    #expect(
      r.code == 64 && r.stderr.contains("Missing expected argument '--scenario"), "\(r.stderr)")
  }

  @Test(arguments: [
    (#""monthlyPercent": 40"#, #""monthlyPercent": -100"#, "growth.monthlyPercent"),
    (#""monthlyPercent": 40"#, #""monthlyPercent": -250"#, "growth.monthlyPercent"),
    (#""horizonMonths": 6"#, #""horizonMonths": 0"#, "horizonMonths"),
    (#""horizonMonths": 6"#, #""horizonMonths": 6.5"#, "horizonMonths"),
    (#""horizonMonths": 6"#, #""horizonMonths": 1200"#, "growth.monthlyPercent"),
  ])
  func badGrowthOrHorizonIsADataErrorNamingTheField(
    _ from: String, _ to: String, _ field: String
  ) throws {
    // 40% a month over 1,200 months is 1.4^1199 ≈ 10^175: beyond Decimal, named as the growth's fault.
    let box = try Self.sandbox(Self.growing.replacingOccurrences(of: from, with: to))
    let r = box.run(["project", "--scenario", "growing"])
    #expect(r.code == 65, "\(to): \(r.stderr)")
    #expect(
      r.stderr.contains("growing.json") && r.stderr.contains("error: \(field):"), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// `report` adds the projection (section, chart file, page section) for a scenario with growth only.
  @Test func reportHasAProjectionSectionOnlyWithGrowth() throws {
    let box = try Self.sandbox()
    let r = box.run(["report"])
    #expect(r.code == 0, "\(r.stderr)")
    let md = try #require(box.read("reports/growing.md"))
    #expect(md.contains("## Growth over the horizon"))
    #expect(md.contains("![Monthly cost over the horizon](growing-projection.svg)"))
    #expect(
      md.contains(
        "| Option | Month 1 | Month 3 | Month 6 | Total over 6 months | Cheapest in months |"))
    #expect(md.contains("switching from `s3` to `node` at the start of month"))
    let svg = try #require(box.read("reports/growing-projection.svg"))
    #expect(svg.hasPrefix("<svg ") && svg.contains("switch to node at month"))
    let html = try #require(box.read("reports/growing.html"))
    #expect(html.contains("<section id=\"projection\">") && html.contains(svg))
    // The shipped ops review has no growth: no section, no chart; the chat scenario grows 20% a month and has
    // both. report --check still passes.
    #expect(box.read("reports/ops-review-results.md")?.contains("Growth over the horizon") == false)
    #expect(!box.exists("reports/ops-review-results-projection.svg"))
    #expect(
      box.read("reports/conversation-history.md")?.contains("## Growth over the horizon") == true)
    #expect(box.exists("reports/conversation-history-projection.svg"))
    #expect(box.run(["report", "--check"]).code == 0)
    // The manifest lists the chart: removing the scenario removes it.
    try FileManager.default.removeItem(atPath: box.root + "/scenarios/growing.json")
    #expect(box.run(["report"]).code == 0)
    #expect(!box.exists("reports/growing-projection.svg"))
  }

  @Test func helpListsTheCommand() {
    let root = runCLI(["--help"])
    #expect(root.stdout.contains("  project "))
    let help = runCLI(["help", "project"])
    #expect(
      help.code == 0 && help.stdout.contains("USAGE: costplan project --scenario <name|path>"))
    #expect(help.stdout.contains("--scale <scale>"))
  }
}
