import Foundation

/// Decision-matrix weights (docs/model.md §6). Absent criteria weigh 0 when the scenario gives weights.
public struct Weights: Sendable, Equatable {
  public var cost: Decimal
  public var readP99: Decimal
  public var writeP99: Decimal
  public var durability: Decimal
  public var ttl: Decimal
  public var operations: Decimal

  public static let standard = Weights(
    cost: Decimal(string: "0.4")!, readP99: Decimal(string: "0.3")!,
    writeP99: Decimal(string: "0.1")!, durability: 0, ttl: 0, operations: Decimal(string: "0.2")!)
  static let keys = ["cost", "readP99", "writeP99", "durability", "ttl", "operations"]
}

public enum ClaimMetric: String, Sendable, CaseIterable {
  case monthlyCost, readP50Ms, readP99Ms, writeP50Ms, writeP99Ms
}

public enum ClaimTest: Sendable {
  case atMost(Decimal)
  case atLeast(Decimal)
  case approximately(Decimal, tolerancePercent: Decimal)
  /// Cheaper than another option; with `byPercent`, by that much (± tolerancePercent points).
  case cheaperThan(String, byPercent: Decimal?, tolerancePercent: Decimal)
}

/// A claim quoted from the scenario's source document (docs/model.md §8).
public struct Claim: Sendable {
  public var text: String
  public var option: String
  public var scale: Decimal
  public var metric: ClaimMetric
  public var test: ClaimTest
}

/// A workload scenario (`scenarios/<name>.json`).
public struct Scenario: Sendable {
  public var name: String
  public var title: String
  public var source: String?
  public var notes: [String]
  public var provider: String
  public var region: String
  public var scales: [Decimal]
  public var horizonMonths: Decimal
  public var workload: Workload
  public var options: [OptionSpec]
  public var weights: Weights
  public var claims: [Claim]
  public var file: String
  public var defaultsUsed: [String]
  /// What the scenario states that the Assumptions section repeats (growth): not defaults.
  public var givenNotes: [String] = []
  /// Monthly traffic growth for the projection (docs/model.md §11); the steady-state figures ignore it.
  public var growth: GrowthSpec?
  /// Draws for sampling the ranges (docs/model.md §10).
  public var uncertainty: UncertaintySpec?
  /// Where each top-level field's value starts in the file: errors found after loading (a missing rate folder, a
  /// name used twice) point there.
  public var fieldPositions: [String: SourcePosition] = [:]

  public func option(_ id: String) -> OptionSpec? { options.first { $0.id == id } }

  static let fields = [
    "$schema", "version", "name", "title", "source", "notes", "provider", "region", "scales",
    "horizonMonths", "growth", "uncertainty", "workload", "options", "weights", "claims",
  ]

  /// A scenario name names its report files (and `costplan init NAME`'s file): 1 to 100 ASCII letters, digits,
  /// '-' and '_'. `namePattern` is the same rule for the schema.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 100
      && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
  }
  static let namePattern = "^[A-Za-z0-9_-]{1,100}$"
  /// `provider` and `region` name folders under the pricing directory (checked in `parse`).
  static let folderPattern = "^[a-z0-9-]{1,64}$"

  /// Loads a scenario file; every problem is a `DataError` naming file, position and JSON path.
  public static func load(path: String, display: String? = nil) throws(DataError) -> Scenario {
    let shown = display ?? path
    return try parse(try loadJSON(path: path, display: shown), file: shown)
  }

  /// Parses a scenario. A parse stops at its first error; when it fails, the file is checked against its schema
  /// (`SchemaCheck`) and its parts (the workload, each option, the claims) are read again on their own, so that
  /// the error thrown carries every error of the file: unknown keys, then missing fields, then the rest in file
  /// order (up to 20 are printed).
  public static func parse(_ root: JSONNode, file: String) throws(DataError) -> Scenario {
    do {
      return try parseFields(root, file: file)
    } catch {
      throw SchemaCheck.report(
        root, schema: ScenarioSchema.document, file: file, parserError: error,
        more: partErrors(root, file: file))
    }
  }

  /// The first error of each part of a scenario the parse reads on its own: the workload, each option, each
  /// claim (against the ids the options give); and repeated option ids.
  static func partErrors(_ root: JSONNode, file: String) -> [DataError] {
    guard case .object(let members) = root.value else { return [] }
    func member(_ key: String) -> JSONNode? { members.first { $0.key == key }?.node }
    var out: [DataError] = []
    if let w = member("workload") {
      do throws(DataError) {
        _ = try Workload.parse(try JSONObjectReader(w, file: file, path: "workload"))
      } catch {
        out.append(error)
        if let r = try? JSONObjectReader(w, file: file, path: "workload") {
          out += Workload.crossFieldErrors(r)
        }
      }
    }
    var ids: [String] = []
    if case .array(let optionNodes)? = member("options")?.value {
      for (i, n) in optionNodes.enumerated() {
        do throws(DataError) {
          _ = try OptionSpec.parse(try JSONObjectReader(n, file: file, path: "options[\(i)]"))
        } catch { out.append(error) }
        guard case .object(let fields) = n.value,
          case .string(let id)? = fields.first(where: { $0.key == "id" })?.node.value
        else { continue }
        if ids.contains(id) { out.append(duplicateOption(id, n, i, file: file)) }
        ids.append(id)
      }
    }
    if case .array(let claimNodes)? = member("claims")?.value {
      for (i, n) in claimNodes.enumerated() {
        do throws(DataError) {
          _ = try parseClaim(
            try JSONObjectReader(n, file: file, path: "claims[\(i)]"), options: ids)
        } catch { out.append(error) }
      }
    }
    return out
  }

  static func duplicateOption(_ id: String, _ node: JSONNode, _ i: Int, file: String) -> DataError {
    DataError(
      file: file, position: node.position, path: "options[\(i)].id",
      message: "duplicate option id \"\(id)\"")
  }

  static func parseFields(_ root: JSONNode, file: String) throws(DataError) -> Scenario {
    let r = try JSONObjectReader(root, file: file, path: "")
    r.markUsed("$schema")  // an editor's schema reference; the model ignores it
    try r.requireVersion1()
    let name = try r.string("name")
    guard isValidName(name) else {
      throw r.error(
        "name",
        "expected a name of letters, digits, '-' and '_' (it names the report files), found \"\(name)\"",
        at: r.node("name"))
    }
    let title = try r.optionalString("title") ?? name
    let source = try r.optionalString("source")
    var notes: [String] = []
    if let nn = try r.optionalArray("notes") {
      for (i, n) in nn.enumerated() {
        notes.append(try JSONObjectReader.string(n, file: file, path: "notes[\(i)]"))
      }
    }
    let provider = try r.string("provider")
    let region = try r.string("region")
    // Both name folders under --pricing: letters, digits and '-' only, so no path can leave it.
    for (key, value) in [("provider", provider), ("region", region)] {
      guard !value.isEmpty, value.count <= 64,
        value.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 })
      else {
        throw r.error(
          key,
          "expected lowercase letters, digits and '-' (it names a folder under the pricing directory, like us-east-1), found \"\(value.prefix(64))\"",
          at: r.node(key))
      }
    }
    var given: [String] = []
    var defaults: [String] = []
    let scaleNodes = try r.array("scales")
    if scaleNodes.isEmpty {
      throw r.error("scales", "expected at least one scale", at: r.node("scales"))
    }
    var scales: [Decimal] = []
    for (i, n) in scaleNodes.enumerated() {
      let s = try JSONObjectReader.decimal(n, .positive, file: file, path: "scales[\(i)]")
      if s > 1_000_000_000 {
        throw DataError(
          file: file, position: n.position, path: "scales[\(i)]",
          message: "expected a scale of at most 1e9, found \(s)")
      }
      if scales.contains(s) {
        throw DataError(
          file: file, position: n.position, path: "scales[\(i)]", message: "duplicate scale \(s)")
      }
      scales.append(s)
    }
    if !r.has("horizonMonths") {
      defaults.append(
        "horizonMonths = 12 (storage kept forever is priced at its stock after 12 months)")
    }
    let horizon = try r.decimal("horizonMonths", .positive, default: 12)
    if horizon > 1200 {
      throw r.error(
        "horizonMonths", "expected at most 1200 months, found \(horizon)",
        at: r.node("horizonMonths"))
    }
    var growth: GrowthSpec?
    if let g = try r.optionalObject("growth") {
      let pct = try g.decimal("monthlyPercent", .any)
      if pct <= -100 || pct > 1000 {
        throw g.error(
          "monthlyPercent", "expected a monthly growth above -100% and at most 1000%, found \(pct)",
          at: g.node("monthlyPercent"))
      }
      try g.finish(allowed: ["monthlyPercent"])
      // The projection counts months one by one (docs/model.md §11).
      if horizon != DecimalMath.round(horizon, 0, .plain) {
        throw r.error(
          "horizonMonths",
          "expected a whole number of months with growth (the projection goes month by month), found \(horizon)",
          at: r.node("horizonMonths"))
      }
      growth = GrowthSpec(monthlyPercent: pct)
      given.append(
        "growth \(pct)% a month applies to the month-by-month projection; the monthly figures here are the steady state at each scale"
      )
    }
    var uncertainty: UncertaintySpec?
    if let u = try r.optionalObject("uncertainty") {
      let samples = try u.integer("samples", .positiveInteger, max: 10_000_000)
      let seed = try u.decimal("seed", .nonNegativeInteger, default: 0)
      guard seed <= Decimal(string: "18446744073709551615")!,
        let seedValue = UInt64(DecimalText.plain(seed))
      else {
        throw u.error(
          "seed", "expected an integer from 0 to 2^64 − 1, found \(seed)", at: u.node("seed"))
      }
      try u.finish(allowed: ["samples", "seed"])
      uncertainty = UncertaintySpec(samples: samples, seed: seedValue)
    }
    let workload = try Workload.parse(try r.object("workload"))
    let optionNodes = try r.array("options")
    if optionNodes.isEmpty {
      throw r.error("options", "expected at least one option", at: r.node("options"))
    }
    var options: [OptionSpec] = []
    for (i, n) in optionNodes.enumerated() {
      let o = try OptionSpec.parse(try JSONObjectReader(n, file: file, path: "options[\(i)]"))
      if options.contains(where: { $0.id == o.id }) {
        throw duplicateOption(o.id, n, i, file: file)
      }
      options.append(o)
    }
    var weights = Weights.standard
    if let w = try r.optionalObject("weights") {
      weights = Weights(
        cost: try w.decimal("cost", .nonNegative, default: 0),
        readP99: try w.decimal("readP99", .nonNegative, default: 0),
        writeP99: try w.decimal("writeP99", .nonNegative, default: 0),
        durability: try w.decimal("durability", .nonNegative, default: 0),
        ttl: try w.decimal("ttl", .nonNegative, default: 0),
        operations: try w.decimal("operations", .nonNegative, default: 0))
      try w.finish(allowed: Weights.keys)
      let sum =
        weights.cost + weights.readP99 + weights.writeP99 + weights.durability + weights.ttl
        + weights.operations
      if sum == 0 {
        throw DataError(
          file: file, position: w.position, path: "weights",
          message: "all weights are zero; give at least one criterion a positive weight")
      }
    } else {
      defaults.append("weights: cost 0.4, readP99 0.3, writeP99 0.1, operations 0.2")
    }
    var claims: [Claim] = []
    if let cn = try r.optionalArray("claims") {
      for (i, n) in cn.enumerated() {
        claims.append(
          try parseClaim(
            try JSONObjectReader(n, file: file, path: "claims[\(i)]"), options: options.map(\.id)))
      }
    }
    try r.finish(allowed: fields)
    var scenario = Scenario(
      name: name, title: title, source: source, notes: notes, provider: provider, region: region,
      scales: scales, horizonMonths: horizon, workload: workload, options: options,
      weights: weights,
      claims: claims, file: file, defaultsUsed: defaults, growth: growth, uncertainty: uncertainty)
    scenario.givenNotes = given
    for key in fields { if let n = r.node(key) { scenario.fieldPositions[key] = n.position } }
    // The fields inside a block that a later error names (the projection's growth rate).
    if case .object(let members)? = r.node("growth")?.value {
      for m in members { scenario.fieldPositions["growth.\(m.key)"] = m.node.position }
    }
    return scenario
  }

  /// A claim about one of the options `ids`.
  static func parseClaim(_ c: JSONObjectReader, options ids: [String]) throws(DataError) -> Claim {
    let text = try c.string("text")
    let option = try c.string("option")
    guard ids.contains(option) else {
      throw c.error(
        "option",
        "unknown option \"\(option)\" (options: \(ids.joined(separator: ", ")))",
        at: c.node("option"))
    }
    let scale = try c.decimal("scale", .positive)
    let metric = ClaimMetric(
      rawValue: try c.choice("metric", ClaimMetric.allCases.map(\.rawValue)))!
    let tests = ["atMost", "atLeast", "approximately", "cheaperThan"].filter { c.has($0) }
    guard tests.count == 1 else {
      throw c.error(
        tests.count > 1 ? tests[1] : "atMost",
        tests.isEmpty
          ? "missing, expected one test: atMost, atLeast, approximately or cheaperThan"
          : "give one test, found \(tests.joined(separator: " and "))")
    }
    var allowed = ["text", "option", "scale", "metric", tests[0]]
    let test: ClaimTest
    switch tests[0] {
    case "atMost": test = .atMost(try c.decimal("atMost", .nonNegative))
    case "atLeast": test = .atLeast(try c.decimal("atLeast", .nonNegative))
    case "approximately":
      allowed.append("tolerancePercent")
      test = .approximately(
        try c.decimal("approximately", .nonNegative),
        tolerancePercent: try c.decimal("tolerancePercent", .nonNegative, default: 10))
    default:
      let other = try c.string("cheaperThan")
      guard ids.contains(other) else {
        throw c.error(
          "cheaperThan",
          "unknown option \"\(other)\" (options: \(ids.joined(separator: ", ")))",
          at: c.node("cheaperThan"))
      }
      if metric != .monthlyCost {
        throw c.error(
          "cheaperThan", "cheaperThan compares monthlyCost; the metric is \(metric.rawValue)",
          at: c.node("cheaperThan"))
      }
      if other == option {
        throw c.error(
          "cheaperThan", "an option cannot be cheaper than itself", at: c.node("cheaperThan"))
      }
      allowed += ["byPercent", "tolerancePercent"]
      let by = try c.optionalDecimal("byPercent", .nonNegative)
      if let by, by > 100 {
        throw c.error(
          "byPercent", "expected a percentage from 0 to 100, found \(by)", at: c.node("byPercent"))
      }
      test = .cheaperThan(
        other, byPercent: by,
        tolerancePercent: try c.decimal("tolerancePercent", .nonNegative, default: 10))
    }
    try c.finish(allowed: allowed)
    return Claim(text: text, option: option, scale: scale, metric: metric, test: test)
  }
}
