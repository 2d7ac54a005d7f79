import CostModel
import CostReports
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `costplan compare`: every option of each scenario, priced at each scale.
enum CompareCommand {
  static let formats = ["table", "markdown", "csv", "summary-csv", "json"]
  static let spec = CommandSpec(
    name: "compare",
    overview: "Compare the monthly cost of each scenario's storage options at each scale.",
    usage:
      "costplan compare [--scenario <name|path>]... [--pricing <dir>] [--scales <scales>] [--samples <n>] [--seed <s>] [--format <format>]",
    options: [
      OptionDef(
        name: "scenario", value: "name|path",
        help: "A scenario name in scenarios/ or a file path; repeatable. (default: every scenario)",
        repeatable: true),
      .scenarios,
      .pricing,
      OptionDef(
        name: "scales", value: "scales",
        help: "Scales to price instead of the scenario's, e.g. 1,10,100."),
      OptionDef(
        name: "samples", value: "n",
        help:
          "Draw the scenario's ranges n times and report percentiles, win probabilities and ties (docs/model.md §10). (default: the scenario's uncertainty block, else none)"
      ),
      OptionDef(
        name: "seed", value: "s",
        help:
          "Seed of the draws; the same seed gives the same output. (default: the scenario's, else 1)"
      ),
      .format(formats),
    ])

  /// The draws for a scenario: `--samples` (with `--seed`, else the scenario's seed, else 1), else the scenario's
  /// `uncertainty` block (its seed unless `--seed` is given).
  static func plan(_ s: Scenario, samples: Int?, seed: UInt64?) -> SamplingPlan? {
    if let samples {
      return SamplingPlan(samples: samples, seed: seed ?? s.uncertainty?.seed ?? 1)
    }
    guard let u = s.uncertainty else { return nil }
    return SamplingPlan(samples: u.samples, seed: seed ?? u.seed)
  }

  static func run(_ p: ParsedArguments, console: Console) throws {
    let format = try OptionValues.format(p, allowed: formats, spec: spec)
    let scales = try OptionValues.scales(p, spec: spec)
    let (samples, seed) = try OptionValues.sampling(p, spec: spec)
    var inputs = Inputs(
      scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing"
    )
    inputs.scenariosGiven = p.value("scenarios") != nil
    try Inputs.requireDirectory(
      inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let files = try inputs.scenarioFiles(p.all("scenario"), spec: spec)
    let scenarios = try Inputs.loadScenarios(files)
    if let samples {
      for s in scenarios {
        let n = scales?.count ?? s.scales.count
        if let why = SamplingPlan.tooMany(samples: samples, options: s.options.count, scales: n) {
          throw UsageError(
            message:
              "The value '\(samples)' is invalid for '--samples <n>' (scenario \(s.name)): \(why)",
            command: spec)
        }
      }
    }
    // Crossovers are priced over 200 scales: only for the formats that show them.
    let results = try inputs.results(
      scenarios, scales: scales,
      withCrossovers: ["table", "markdown", "json"].contains(format),
      sampling: { plan($0, samples: samples, seed: seed) })
    switch format {
    case "markdown":
      console.out(results.map { MarkdownReport.render($0, chart: false) }.joined(separator: "\n"))
    case "csv": console.out(LineItemCSV.render(results))
    case "summary-csv": console.out(SummaryCSV.render(results))
    case "json": console.out(JSONReport.render(results))
    default: console.out(TableReport.render(results, width: TerminalWidth.current()))
    }
  }
}

/// The width the terminal table fits: `COLUMNS`, else the terminal's own width when stdout is one, else 100.
enum TerminalWidth {
  static func current() -> Int {
    if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), c > 0 {
      return c
    }
    var size = winsize()
    if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    return 100
  }
}
