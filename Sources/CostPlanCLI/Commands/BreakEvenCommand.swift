import CostModel
import CostReports
import Foundation

/// `costplan breakeven`: the scales where two options cost the same (docs/model.md §7).
enum BreakEvenCommand {
  static let formats = ["table", "csv"]
  static let spec = CommandSpec(
    name: "breakeven",
    overview: "Find the traffic at which one option becomes cheaper than another.",
    usage:
      "costplan breakeven --scenario <name|path> [--options <a,b>] [--pricing <dir>] [--format <format>]",
    options: [
      OptionDef(
        name: "scenario", value: "name|path", help: "A scenario name in scenarios/ or a file path."),
      .scenarios,
      OptionDef(
        name: "options", value: "a,b", help: "Two option ids to compare. (default: every pair)"),
      .pricing,
      .format(formats),
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    let format = try OptionValues.format(p, allowed: formats, spec: spec)
    guard let name = p.value("scenario") else {
      throw UsageError(message: "Missing expected argument '--scenario <name|path>'", command: spec)
    }
    var inputs = Inputs(
      scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing"
    )
    inputs.scenariosGiven = p.value("scenarios") != nil
    try Inputs.requireDirectory(
      inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let files = try inputs.scenarioFiles([name], spec: spec)
    let scenario = try Inputs.loadScenarios(files)[0]
    var pairs: [(String, String)]?
    if let text = p.value("options") {
      let ids = text.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard ids.count == 2, ids[0] != ids[1] else {
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--options <a,b>': expected two different option ids separated by a comma",
          command: spec)
      }
      for id in ids where scenario.option(id) == nil {
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--options <a,b>': no option '\(id)' in \(scenario.name) (options: \(scenario.options.map(\.id).joined(separator: ", ")))",
          command: spec)
      }
      pairs = [(ids[0], ids[1])]
    }
    let book = try RateBook.load(
      pricingRoot: inputs.pricingDir, provider: scenario.provider, region: scenario.region,
      for: scenario)
    let estimator = Estimator(scenario: scenario, book: book)
    // missing rates are data errors
    for o in scenario.options { _ = try estimator.estimate(o, scale: 1) }
    let crossovers = try BreakEven.crossovers(estimator: estimator, pairs: pairs)
    if format == "csv" {
      console.out(BreakEvenCSV.render(scenario.name, crossovers))
      return
    }
    let width = max(50, TerminalWidth.current())
    var out =
      TableReport.wrap(
        "\(scenario.title) (\(scenario.name)): cost crossovers between 0.01× and 1,000,000×",
        indent: 0, width: width) + "\n"
    if crossovers.isEmpty {
      out += "  No crossover: one option is cheaper over the whole range.\n"
    }
    for c in crossovers {
      out += TableReport.wrap(
        TextEscape.replace(
          BreakEvenCSV.sentence(c, record: scenario.workload.record), TextEscape.dropBackticks),
        indent: 2, width: width)
    }
    console.out(out)
  }
}
