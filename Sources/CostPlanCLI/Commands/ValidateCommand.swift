import CostModel
import Foundation
import StorageBench
import StorageKit

/// `costplan validate`: runs each scenario option through the reference store and compares what it did with
/// what the model assumed (README.md "The reference store: validate, bench, store").
enum ValidateCommand {
  static let spec = CommandSpec(
    name: "validate",
    overview:
      "Check the model's request, capacity-unit, byte and hit-ratio assumptions against the reference store.",
    usage:
      "costplan validate [--scenario <name|path>]... [--backend <url>]... [--entities <n>] [--out <file>]",
    options: [
      OptionDef(
        name: "scenario", value: "name|path",
        help: "A scenario name in scenarios/ or a file path; repeatable. (default: every scenario)",
        repeatable: true),
      .scenarios,
      .pricing,
      OptionDef(
        name: "backend", value: "url",
        help:
          "Also measure on a real server: redis://… for ElastiCache options, postgres://… for Aurora, s3://… for S3, dynamodb://… for DynamoDB; repeatable.",
        repeatable: true),
      OptionDef(name: "entities", value: "n", help: "Entities to run per option. (default: 20)"),
      OptionDef(
        name: "out", value: "file",
        help: "Also write the report to this file, e.g. reports/validation.md."),
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    var entities = 20
    if let t = p.value("entities") {
      guard let n = Int(t), n >= 1, n <= 100_000 else {
        throw UsageError(
          message:
            "The value '\(t)' is invalid for '--entities <n>': expected an integer from 1 to 100000",
          command: spec)
      }
      entities = n
    }
    var inputs = Inputs(
      scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing"
    )
    inputs.scenariosGiven = p.value("scenarios") != nil
    try Inputs.requireDirectory(
      inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let scenarios = try Inputs.loadScenarios(
      try inputs.scenarioFiles(p.all("scenario"), spec: spec))
    let backends = p.all("backend")
    for b in backends {
      let scheme = b.split(separator: ":").first.map { $0.lowercased() } ?? ""
      guard ["redis", "postgres", "postgresql", "s3", "dynamodb"].contains(scheme) else {
        throw UsageError(
          message:
            "The value '\(NetworkURL.mask(b))' is invalid for '--backend <url>': validate measures on redis:// (ElastiCache), postgres:// (Aurora), s3:// (S3) and dynamodb:// (DynamoDB) servers",
          command: spec)
      }
    }
    let work = NSTemporaryDirectory() + "costplan-validate-\(getpid())-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: work) }
    var runs: [(Validation, [OptionValidation])] = []
    var books: [String: RateBook] = [:]
    for s in scenarios {
      let key = "\(s.provider)/\(s.region)"
      let book =
        try books[key]
        ?? RateBook.load(
          pricingRoot: inputs.pricingDir, provider: s.provider, region: s.region, for: s)
      books[key] = book
      var v = Validation(scenario: s, book: book, entities: entities, workDir: work + "/" + s.name)
      v.workDirLabel = "$TMPDIR/" + s.name
      do {
        var results = try v.run()
        for url in backends {
          for option in s.options where Validation.serves(url, option) {
            do {
              results.append(try v.validateOnServer(option, url: url))
            } catch {
              if error.code == .badURL {
                throw UsageError(
                  message:
                    "The value '\(NetworkURL.mask(url))' is invalid for '--backend <url>': \(error.message)",
                  command: spec)
              }
              throw error.context("\(s.name)/\(option.id)")
            }
          }
        }
        runs.append((v, results))
      } catch let e as ValidationError {
        switch e {
        case .data(let d): throw d
        case .store(let option, let e):
          throw e.context("\(s.name)/\(option)")
        }
      }
    }
    let report = ValidationReport.markdown(runs)
    if let out = p.value("out") {
      let dir = (out as NSString).deletingLastPathComponent
      if !dir.isEmpty { try AtomicWriter.createDirectory(dir) }
      try AtomicWriter.write(report, to: out)
    }
    console.out(report)
    let failing = runs.flatMap { $0.1 }.filter { !$0.passes }
    if !failing.isEmpty {
      throw CheckFailed(files: [
        "validate: \(failing.count) option\(failing.count == 1 ? "" : "s") outside tolerance: \(failing.map(\.optionId).joined(separator: ", "))"
      ])
    }
  }
}
