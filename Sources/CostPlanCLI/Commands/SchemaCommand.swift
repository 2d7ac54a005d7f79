import CostModel
import Foundation

/// `costplan schema scenario|rates`: the JSON Schema (draft 2020-12) of scenario files or rate tables, so that an
/// editor or a CI step can check a file before costplan reads it. `schemas/*.schema.json` are this output, committed.
enum SchemaCommand {
  static let kinds = ["scenario", "rates"]

  static let spec = CommandSpec(
    name: "schema",
    overview: "Print the JSON Schema (draft 2020-12) of scenario files or rate tables.",
    usage: "costplan schema scenario|rates",
    options: [],
    arguments: [
      (
        "scenario",
        "Scenario files, scenarios/<name>.json (committed as schemas/scenario.schema.json)."
      ),
      (
        "rates",
        "Rate tables, pricing/<provider>/<region>/<service>.json (committed as schemas/rates.schema.json)."
      ),
    ],
    maxPositionals: 1)

  static func run(_ p: ParsedArguments, console: Console) throws {
    guard let kind = p.positionals.first else {
      throw UsageError(message: "Missing argument: scenario or rates", command: spec)
    }
    switch kind {
    case "scenario": console.out(ScenarioSchema.document.pretty)
    case "rates": console.out(RatesSchema.document.pretty)
    default:
      throw UsageError(
        message:
          "Unknown schema '\(kind)'\(Suggest.hint(kind, among: kinds)) (expected scenario or rates)",
        command: spec)
    }
  }
}
