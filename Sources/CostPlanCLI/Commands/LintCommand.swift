import CostModel
import Foundation

/// `costplan lint`: validates every rate table and scenario, and prices each scenario once.
enum LintCommand {
  static let spec = CommandSpec(
    name: "lint",
    overview: "Check every rate table and scenario for errors.",
    usage: "costplan lint [--scenarios <dir>] [--pricing <dir>]",
    options: [
      .scenarios,
      .pricing,
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    var inputs = Inputs(scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing")
    inputs.scenariosGiven = p.value("scenarios") != nil
    try Inputs.requireDirectory(inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    var errors: [DataError] = []
    // Every provider/region folder of rate tables, whether or not a scenario uses it.
    var tableCount = 0
    let fm = FileManager.default
    for provider in ((try? fm.contentsOfDirectory(atPath: inputs.pricingDir)) ?? []).sorted() {
      let pdir = (inputs.pricingDir as NSString).appendingPathComponent(provider)
      for region in ((try? fm.contentsOfDirectory(atPath: pdir)) ?? []).sorted() {
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: (pdir as NSString).appendingPathComponent(region), isDirectory: &isDir), isDir.boolValue else { continue }
        do {
          let book = try RateBook.load(pricingRoot: inputs.pricingDir, provider: provider, region: region)
          tableCount += book.tables.count
        } catch {
          errors.append(error)
        }
      }
    }
    let files = try inputs.scenarioFiles([], spec: spec)
    var scenarios: [Scenario] = []
    for f in files {
      do {
        let s = try Scenario.load(path: f)
        if let other = scenarios.first(where: { $0.name == s.name }) {
          errors.append(DataError(file: f, path: "name", message: "scenario name \"\(s.name)\" is also used by \(other.file)"))
          continue
        }
        scenarios.append(s)
      } catch {
        errors.append(error)
      }
    }
    for s in scenarios {
      do {
        _ = try inputs.results([s], scales: nil)
      } catch {
        if !errors.contains(error) { errors.append(error) }
      }
    }
    if !errors.isEmpty { throw DataErrors(errors) }
    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    console.out("lint: \(count(tableCount, "rate table")) and \(count(scenarios.count, "scenario")) \(tableCount + scenarios.count == 1 ? "is" : "are") valid\n")
  }
}
