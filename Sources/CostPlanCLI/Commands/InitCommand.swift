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
    let base = parent.isEmpty ? "." : parent
    func shown(_ path: String) -> String { path.hasPrefix("./") ? String(path.dropFirst(2)) : path }
    // compare reads the rate tables from ./pricing unless told otherwise: say so where there are none.
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: "pricing", isDirectory: &isDirectory)
      || !isDirectory.boolValue
    {
      s +=
        "There is no pricing/ folder here: compare reads the rate tables from it. Run compare in a costplan checkout (its pricing/ holds the AWS rate tables), or add --pricing <a checkout's pricing folder>.\n"
    }
    let schemaDir = (base as NSString).appendingPathComponent("schemas")
    let schema = (schemaDir as NSString).appendingPathComponent("scenario.schema.json")
    if !FileManager.default.fileExists(atPath: schema) {
      let make =
        FileManager.default.fileExists(atPath: schemaDir) ? "" : "mkdir -p \(shown(schemaDir)) && "
      s +=
        "Its \"$schema\" is \(ScenarioTemplate.schemaReference), for editors; to have one there: \(make)costplan schema scenario > \(shown(schema))\n"
    }
    console.out(s)
  }
}
