import CostModel
import Foundation
import StorageBench
import StorageKit

/// `costplan bench`: drives one backend with a scenario's operation mix and reports latency percentiles.
enum BenchCommand {
  static let formats = ["table", "json"]
  static let spec = CommandSpec(
    name: "bench",
    overview:
      "Drive a reference-store backend with a scenario's operation mix; report ops/s and latency percentiles.",
    usage:
      "costplan bench --backend <url> [--scenario <name|path>] [--operations <n>] [--rate <ops-per-s>] [--format <format>]",
    options: [
      OptionDef(
        name: "backend", value: "url",
        help:
          "The backend to drive: memory:, file:DIR, cache:INNER, redis://…, postgres://…, s3://…, dynamodb://… (README: the reference store)."
      ),
      OptionDef(
        name: "scenario", value: "name|path",
        help:
          "The workload: record size and the mix of appends and loads. (default: the first scenario)"
      ),
      .scenarios,
      OptionDef(name: "operations", value: "n", help: "Operations to run. (default: 1000)"),
      OptionDef(
        name: "rate", value: "ops-per-s",
        help:
          "Open loop at this rate, latency from each request's intended start. (default: closed loop)"
      ),
      .format(formats),
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    let format = try OptionValues.format(p, allowed: formats, spec: spec)
    guard let url = p.value("backend") else {
      throw UsageError(message: "Missing '--backend <url>'", command: spec)
    }
    let operations = try positiveNumber(p, "operations", default: 1000, max: 100_000_000)
    let rate =
      p.value("rate") == nil ? nil : try positiveNumber(p, "rate", default: 0, max: 10_000_000)
    let inputs = Inputs(scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: "pricing")
    let requested = p.value("scenario").map { [$0] } ?? []
    let file = try inputs.scenarioFiles(requested, spec: spec)[0]
    let scenario = try Scenario.load(path: file)
    let store = try StoreCommand.openBackend(url, spec: spec)
    let bench = Bench(
      plan: SessionPlan(scenario.workload), recordBytes: scenario.workload.recordBytes,
      operations: Int(operations), rate: rate)
    let prefix = "bench-\(getpid())-\(Int(Date().timeIntervalSince1970))"
    let result = try bench.run(store, entityPrefix: prefix)
    console.out(
      format == "json"
        ? BenchReport.json(result) : "scenario \(scenario.name)\n" + BenchReport.table(result))
  }

  static func positiveNumber(_ p: ParsedArguments, _ name: String, default d: Double, max: Double)
    throws(UsageError) -> Double
  {
    guard let text = p.value(name) else { return d }
    guard OptionValues.isPlainNumber(text), let v = Double(text), v > 0, v <= max,
      name != "operations" || v == v.rounded()
    else {
      throw UsageError(
        message:
          "The value '\(text)' is invalid for '--\(name)': expected a positive \(name == "operations" ? "integer" : "number") up to \(Int(max))",
        command: spec)
    }
    return v
  }
}
