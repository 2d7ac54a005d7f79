import CostModel
import CostReports
import Foundation

/// `costplan project`: every option month by month over the horizon as traffic grows, and when to switch
/// (docs/model.md §11).
enum ProjectCommand {
  static let formats = ["table", "csv"]
  static let spec = CommandSpec(
    name: "project",
    overview: "Project each option's cost month by month as traffic grows, and when to switch.",
    usage:
      "costplan project --scenario <name|path> [--pricing <dir>] [--scale <scale>] [--format <format>]",
    options: [
      OptionDef(
        name: "scenario", value: "name|path", help: "A scenario name in scenarios/ or a file path."),
      .scenarios,
      .pricing,
      OptionDef(
        name: "scale", value: "scale",
        help: "One scale to project, e.g. 10. (default: every scale of the scenario)"),
      .format(formats),
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    let format = try OptionValues.format(p, allowed: formats, spec: spec)
    guard let name = p.value("scenario") else {
      throw UsageError(message: "Missing expected argument '--scenario <name|path>'", command: spec)
    }
    var scales: [Decimal]?
    if let text = p.value("scale") {
      let t = text.trimmingCharacters(in: .whitespaces)
      guard OptionValues.isPlainNumber(t),
        let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")), d > 0,
        d <= 1_000_000_000
      else {
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--scale <scale>': expected a positive number up to 1e9, like 10",
          command: spec)
      }
      scales = [d]
    }
    var inputs = Inputs(
      scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing"
    )
    inputs.scenariosGiven = p.value("scenarios") != nil
    try Inputs.requireDirectory(
      inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let files = try inputs.scenarioFiles([name], spec: spec)
    let scenario = try Inputs.loadScenarios(files)[0]
    let book = try RateBook.load(
      pricingRoot: inputs.pricingDir, provider: scenario.provider, region: scenario.region,
      for: scenario)
    let projection = try Projector.project(
      Estimator(scenario: scenario, book: book), scales: scales)
    ExitFast.keep(projection)
    switch format {
    case "csv": console.out(ProjectionCSV.render([projection]))
    default: console.out(ProjectionReport.table([projection], width: TerminalWidth.current()))
    }
  }
}
