import CostModel
import Foundation

/// Finds and loads the scenarios and rate tables a command works on.
struct Inputs {
  var scenariosDir: String
  var pricingDir: String
  /// Whether --scenarios was passed (for the message when the folder is missing).
  var scenariosGiven = true

  /// Checks that a folder named by an option exists (a bad option value is a usage error).
  /// `given`: the user passed the option; otherwise the folder is the default, and the message says so.
  static func requireDirectory(
    _ path: String, option: String, spec: CommandSpec, given: Bool = true
  ) throws(UsageError) {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
      if !given {
        let start =
          option == "scenarios"
          ? "write a first scenario with 'costplan init NAME' (it creates scenarios/NAME.json)"
          : "start from a copy of costplan's repository, which ships pricing/ with sourced AWS prices, then 'costplan init NAME' for your scenario"
        throw UsageError(
          message:
            "No '\(path)' folder here: costplan reads ./\(path) by default. Run it in a project folder (one with pricing/ and scenarios/), pass --\(option) <dir>, or \(start)",
          command: spec)
      }
      throw UsageError(
        message: "The value '\(path)' is invalid for '--\(option) <dir>': no such directory",
        command: spec)
    }
  }

  /// Scenario files: each `--scenario` (a name in the scenarios folder, or a path), or every `*.json` there.
  func scenarioFiles(_ requested: [String], spec: CommandSpec) throws(UsageError) -> [String] {
    if requested.isEmpty {
      try Self.requireDirectory(
        scenariosDir, option: "scenarios", spec: spec, given: scenariosGiven)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: scenariosDir)) ?? []
      let files = names.filter { $0.hasSuffix(".json") }.sorted().map {
        (scenariosDir as NSString).appendingPathComponent($0)
      }
      if files.isEmpty {
        throw UsageError(
          message:
            "No scenarios: '\(scenariosDir)' holds no .json files; write one with 'costplan init NAME'",
          command: spec)
      }
      return files
    }
    var out: [String] = []
    for r in requested {
      let isPath = r.contains("/") || r.hasSuffix(".json")
      let path = isPath ? r : (scenariosDir as NSString).appendingPathComponent("\(r).json")
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue
      else {
        let known = ((try? FileManager.default.contentsOfDirectory(atPath: scenariosDir)) ?? [])
          .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        let guess = isPath ? nil : Suggest.closest(r, among: known)
        let hint =
          isPath || known.isEmpty
          ? ""
          : (guess.map { "; did you mean '\($0)'?" } ?? "")
            + " (known: \(known.joined(separator: ", ")))"
        throw UsageError(
          message:
            "The value '\(r)' is invalid for '--scenario <name|path>': no such scenario\(hint)",
          command: spec)
      }
      if !out.contains(path) { out.append(path) }
    }
    return out
  }

  /// Parses scenarios; two scenarios with one name would write the same report files. Every file is read: the
  /// error thrown carries every file's errors.
  static func loadScenarios(_ files: [String]) throws(DataError) -> [Scenario] {
    var out: [Scenario] = []
    var errors: [DataError] = []
    for f in files {
      do throws(DataError) {
        let s = try Scenario.load(path: f)
        if let other = out.first(where: { $0.name == s.name }) {
          throw DataError(
            file: f, path: "name",
            message: "scenario name \"\(s.name)\" is also used by \(other.file)")
        }
        out.append(s)
      } catch {
        errors.append(error)
      }
    }
    if let error = DataError.combining(errors) { throw error }
    return out
  }

  /// Prices every scenario, loading each provider/region's rate tables once.
  func results(
    _ scenarios: [Scenario], scales: [Decimal]?, withCrossovers: Bool = true,
    sampling: (Scenario) -> SamplingPlan? = { _ in nil },
    withProjection: Bool = false
  )
    throws(DataError) -> [ScenarioResult]
  {
    // One scenario after another (each one's pricing already runs on every core; GCD runs a nested
    // concurrentPerform on one thread, so pricing scenarios side by side was slower).
    var books: [String: RateBook] = [:]
    var out: [ScenarioResult] = []
    for s in scenarios {
      let key = "\(s.provider)/\(s.region)"
      let book: RateBook
      if let b = books[key] {
        book = b
      } else {
        let dir = pricingDir
        book = try Timings.measure("rates \(key)") { () throws(DataError) in
          try RateBook.load(pricingRoot: dir, provider: s.provider, region: s.region, for: s)
        }
        books[key] = book
      }
      var result = try ScenarioResult(
        scenario: s, book: book, scales: scales, withCrossovers: withCrossovers,
        withProjection: withProjection)
      if !s.rangedInputs.isEmpty || sampling(s) != nil {
        try result.addUncertainty(sampling: sampling(s))
      }
      out.append(result)
    }
    return out
  }
}
