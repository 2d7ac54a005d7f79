import Foundation

/// One option of a scenario: a service and its settings.
public struct OptionSpec: Sendable {
  public var id: String
  /// The service's id in the catalog (`ServiceCatalog`).
  public var service: String
  /// The service itself, found once when the option is read (pricing calls it for every scale it tries).
  public let model: any StorageService
  /// The service's own settings type (`S3Settings`, `DynamoDBSettings`, …).
  public var settings: any ServiceSettings
  /// Apply the rates' `freeQuantity` (free tier). Off unless asked.
  public var freeTier: Bool
  /// Database Savings Plans coverage (DynamoDB, ElastiCache, Aurora).
  public var savingsPlan: SavingsPlanSpec?
  /// `options[i]`, for error messages.
  public var path: String
  public var position: SourcePosition
  /// Settings that fell back to a default, for the Assumptions section.
  public var defaultsUsed: [String]
  /// Settings given as ranges, by JSON path (`options[2].cache.hitRatio`); the settings hold their medians.
  public var ranges: [String: InputRange] = [:]
  /// What the scenario states that the Assumptions section repeats (the ranges and their medians): not defaults.
  public var givenNotes: [String] = []

  public static var services: [String] { ServiceCatalog.ids }

  static func parse(_ r: JSONObjectReader) throws(DataError) -> OptionSpec {
    let id = try r.string("id")
    guard !id.isEmpty,
      id.allSatisfy({
        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".")
      })
    else {
      throw r.error(
        "id", "expected an id of letters, digits, '-', '_' or '.', found \"\(id)\"",
        at: r.node("id"))
    }
    let service = try r.choice("service", services)
    guard let model = ServiceCatalog.service(service) else {
      throw r.error("service", "unsupported service \"\(service)\"", at: r.node("service"))
    }
    let freeTier = try r.bool("freeTier", default: false)
    var defaults: [String] = []
    // A default is noted when its key is absent (an empty key: always).
    var ranges: [String: InputRange] = [:]
    let (settings, savingsPlan) = try model.parse(
      r, note: { key, text in if key.isEmpty || !r.has(key) { defaults.append(text) } },
      ranges: &ranges)
    try r.finish(allowed: ["id", "service", "freeTier"] + model.fields)
    var given: [String] = []
    for (path, range) in ranges.sorted(by: { $0.key < $1.key }) {
      given.append(
        "\(path.dropFirst(r.path.count + 1)) is a range from \(range.low) to \(range.high) (P10 to P90); point results use its median"
      )
    }
    var spec = OptionSpec(
      id: id, service: service, model: model, settings: settings, freeTier: freeTier,
      savingsPlan: savingsPlan, path: r.path,
      position: r.position, defaultsUsed: defaults, ranges: ranges)
    spec.givenNotes = given
    return spec
  }
}
