import CostModel
import Foundation

/// `costplan lint`: validates every rate table and scenario, and prices each scenario once.
enum LintCommand {
  static let spec = CommandSpec(
    name: "lint",
    overview: "Check every rate table and scenario for errors.",
    usage: "costplan lint [--scenarios <dir>] [--pricing <dir>] [--max-age <days>]",
    options: [
      .scenarios,
      .pricing,
      OptionDef(
        name: "max-age", value: "days",
        help:
          "Also fail when a rate table's effectiveDate is more than this many days ago (the monthly price refresh uses 365)."
      ),
    ])

  /// `--max-age`: whole days, 1 to 36,500.
  static func maxAge(_ p: ParsedArguments) throws -> Int? {
    guard let text = p.value("max-age") else { return nil }
    guard let n = Int(text), n >= 1, n <= 36_500 else {
      throw UsageError(
        message:
          "The value '\(text)' is invalid for '--max-age <days>' (a whole number of days, 1 to 36500)",
        command: spec)
    }
    return n
  }

  /// A table whose effectiveDate is more than `days` ago, as a data error at that field. (A rate's own date says
  /// when AWS last changed that price, which may rightly be years ago; the table's says when the table was read.)
  static func staleness(_ t: RateTable, days: Int, today: Date) -> DataError? {
    let oldest = t.effectiveDate
    guard let date = Self.day.date(from: oldest) else { return nil }
    let age = Int((today.timeIntervalSince(date) / 86_400).rounded(.down))
    guard age > days else { return nil }
    let position = t.document.flatMap { doc -> SourcePosition? in
      guard case .object(let members) = doc.value else { return nil }
      return members.first { $0.key == "effectiveDate" }?.node.position
    }
    return DataError(
      file: t.file, position: position, path: "effectiveDate",
      message:
        "the table is effective \(oldest), \(age) days ago, more than --max-age \(days); refresh it (costplan pricing import) or check its prices and update its date"
    )
  }

  static let day: DateFormatter = {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    return f
  }()

  static func run(_ p: ParsedArguments, console: Console) throws {
    var inputs = Inputs(
      scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing"
    )
    inputs.scenariosGiven = p.value("scenarios") != nil
    try Inputs.requireDirectory(
      inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let maxAge = try Self.maxAge(p)
    var errors: [DataError] = []
    // Every provider/region folder of rate tables, whether or not a scenario uses it.
    var tableCount = 0
    let fm = FileManager.default
    for provider in ((try? fm.contentsOfDirectory(atPath: inputs.pricingDir)) ?? []).sorted() {
      let pdir = (inputs.pricingDir as NSString).appendingPathComponent(provider)
      for region in ((try? fm.contentsOfDirectory(atPath: pdir)) ?? []).sorted() {
        var isDir: ObjCBool = false
        guard
          fm.fileExists(
            atPath: (pdir as NSString).appendingPathComponent(region), isDirectory: &isDir),
          isDir.boolValue
        else { continue }
        do {
          let book = try RateBook.load(
            pricingRoot: inputs.pricingDir, provider: provider, region: region)
          tableCount += book.tables.count
          if let maxAge {
            for t in book.tables.values.sorted(by: { $0.file < $1.file }) {
              if let e = staleness(t, days: maxAge, today: Date()) { errors.append(e) }
            }
          }
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
          errors.append(
            DataError(
              file: f, position: s.fieldPositions["name"], path: "name",
              message: "scenario name \"\(s.name)\" is also used by \(other.file)"))
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
    console.out(
      "lint: \(count(tableCount, "rate table")) and \(count(scenarios.count, "scenario")) \(tableCount + scenarios.count == 1 ? "is" : "are") valid\n"
    )
  }
}
