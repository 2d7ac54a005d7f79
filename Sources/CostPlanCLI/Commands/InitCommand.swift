import CostModel
import Foundation

/// `costplan init NAME`: writes `scenarios/NAME.json`, a small scenario that prices as it is, to edit into one's own.
enum InitCommand {
  static let spec = CommandSpec(
    name: "init",
    overview: "Write a starting scenario, scenarios/<name>.json, to edit and price.",
    usage: "costplan init <name> [--scenarios <dir>]",
    options: [
      .scenarios
    ],
    arguments: [
      (
        "<name>",
        "The scenario's name: letters, digits, '-' and '_', at most 100; it names the file and the reports."
      )
    ],
    maxPositionals: 1)

  static func run(_ p: ParsedArguments, console: Console) throws {
    guard let name = p.positionals.first else {
      throw UsageError(message: "Missing argument '<name>'", command: spec)
    }
    guard Scenario.isValidName(name) else {
      throw UsageError(
        message:
          "The value '\(name)' is invalid for '<name>': expected letters, digits, '-' and '_', at most 100 (it names <name>.json and the report files)",
        command: spec)
    }
    let dir = p.value("scenarios") ?? "scenarios"
    let path = (dir as NSString).appendingPathComponent("\(name).json")
    let text = ScenarioTemplate.text(name: name)
    // What is written must load: check it with the parser `compare` uses.
    _ = try Scenario.parse(try JSONParser.parse(Data(text.utf8), file: path), file: path)
    try AtomicWriter.createDirectory(dir)
    try AtomicWriter.writeNew(text, to: path)
    let compare =
      p.value("scenarios") == nil
      ? "costplan compare --scenario \(name)"
      : "costplan compare --scenarios \(dir) --scenario \(name)"
    var s =
      "wrote \(path)\nEdit it (its notes say what each part is; docs/scenarios.md has every field), then price it: \(compare)\n"
    let parent = (dir as NSString).deletingLastPathComponent
    let schema = ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(
      "schemas/scenario.schema.json")
    if !FileManager.default.fileExists(atPath: schema) {
      let shown = schema.hasPrefix("./") ? String(schema.dropFirst(2)) : schema
      s +=
        "Its \"$schema\" is \(ScenarioTemplate.schemaReference), for editors; to have one there: costplan schema scenario > \(shown)\n"
    }
    console.out(s)
  }
}
