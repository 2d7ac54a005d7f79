import Foundation

/// S3 classes an archive can go to, with the minimum storage duration S3 bills (aws-pricing-facts §2).
public enum ArchiveClass: String, Sendable, CaseIterable {
  case standardIA = "standard-ia"
  case glacierIR = "glacier-ir"
  case glacierFlexible = "glacier-flexible"
  case glacierDeepArchive = "glacier-deep-archive"

  /// Minimum storage duration in days: Standard-IA 30, Glacier IR 90, Glacier Flexible 90, Deep Archive 180.
  public var minimumDays: Decimal {
    switch self {
    case .standardIA: return 30
    case .glacierIR: return 90
    case .glacierFlexible: return 90
    case .glacierDeepArchive: return 180
    }
  }

  /// Rate ids in s3.json: requests into the class, storage in the class.
  /// (Written out: the pricers ask for them at every pricing.)
  public var requestsRateId: String {
    switch self {
    case .standardIA: return "requests-standard-ia"
    case .glacierIR: return "requests-glacier-ir"
    case .glacierFlexible: return "requests-glacier-flexible"
    case .glacierDeepArchive: return "requests-glacier-deep-archive"
    }
  }
  public var storageRateId: String {
    switch self {
    case .standardIA: return "storage-standard-ia"
    case .glacierIR: return "storage-glacier-ir"
    case .glacierFlexible: return "storage-glacier-flexible"
    case .glacierDeepArchive: return "storage-glacier-deep-archive"
    }
  }

  /// Glacier Flexible and Deep Archive add 32 KB at the archive rate and 8 KB at S3 Standard per object.
  public var hasGlacierMetadataOverhead: Bool {
    self == .glacierFlexible || self == .glacierDeepArchive
  }

  /// Standard-IA and Glacier IR bill at least 128 KB per object.
  public var minimumBillableBytes: Decimal? {
    (self == .standardIA || self == .glacierIR) ? 131_072 : nil
  }
}

public struct ArchiveSpec: Sendable {
  public var afterDays: Decimal
  public var storageClass: ArchiveClass
  /// Days from creation until the archived copy is deleted; nil keeps it forever (up to the horizon).
  public var retainDays: Decimal?
  /// S3 Lifecycle skips objects under 128 KB unless the rule says otherwise (docs/model.md §3.5).
  public var transitionSmallObjects: Bool = false
}

/// Relative traffic over the hours of an average day (docs/model.md §9): multipliers whose mean over the 24 hours
/// is 1, kept as groups of equal hours (the default profile has two groups, a custom one up to 24).
public struct TrafficProfile: Sendable, Equatable {
  public struct Group: Sendable, Equatable {
    public var multiplier: Decimal
    public var hours: Int
    /// The multiplier as the exact fraction numerator ÷ denominator: 24 × w_h ÷ Σ w, or (24 − k × P) ÷ (24 − k).
    /// `multiplier` is that quotient in 38 digits, a little under it where it does not end (1/3); a figure that
    /// is rounded or stepped hour by hour divides once by the denominator, so that an exact 2.5 stays 2.5.
    public var numerator: Decimal
    public var denominator: Decimal

    init(_ numerator: Decimal, over denominator: Decimal = 1, hours: Int) {
      self.numerator = numerator
      self.denominator = denominator
      self.multiplier = denominator == 1 ? numerator : numerator / denominator
      self.hours = hours
    }
  }
  public var groups: [Group]
  /// True when the scenario gave `hourlyProfile`; false for the two-level profile from `peakToAverage`.
  public var custom: Bool

  /// `k = min(6, ⌊24 / P⌋)` peak hours at P, the other `24 − k` at `(24 − k × P) / (24 − k)`.
  public static func peakToAverage(_ p: Decimal) -> TrafficProfile {
    let k = min(6, NSDecimalNumber(decimal: DecimalMath.floor(24 / p)).intValue)
    let base = Group(24 - Decimal(k) * p, over: Decimal(24 - k), hours: 24 - k)
    var groups = [Group(p, hours: k)]
    if base.multiplier == p {
      groups[0].hours = 24
    } else {
      groups.append(base)
    }
    return TrafficProfile(groups: groups, custom: false)
  }

  /// `m_h = 24 × w_h / Σ w`; hours with the same weight share a group (in order of first appearance).
  public static func hourly(_ weights: [Decimal]) -> TrafficProfile {
    let sum = weights.reduce(Decimal(0), +)
    var seen: [(weight: Decimal, hours: Int)] = []
    for w in weights {
      if let i = seen.firstIndex(where: { $0.weight == w }) {
        seen[i].hours += 1
      } else {
        seen.append((w, 1))
      }
    }
    return TrafficProfile(
      groups: seen.map { Group(24 * $0.weight, over: sum, hours: $0.hours) }, custom: true)
  }

  /// The busiest hour's multiplier.
  public var peak: Decimal { groups.map(\.multiplier).max() ?? 1 }
}

/// The scenario's `workload` block (docs/model.md §2), unscaled.
public struct Workload: Sendable {
  public var entity: String
  public var record: String
  public var entitiesPerMonth: Decimal
  public var recordsPerEntity: Int
  public var recordBytes: Int
  public var keyBytes: Int
  public var loadsPerRecord: Decimal
  public var loadsPerEntity: Decimal
  public var entityLifetimeMinutes: Decimal
  public var peakToAverage: Decimal
  /// The day's traffic shape: from `hourlyProfile`, else from `peakToAverage`.
  public var profile: TrafficProfile
  public var retentionDays: Decimal?
  public var archive: ArchiveSpec?

  /// Which fields fell back to a default, for the report's Assumptions section.
  public var defaultsUsed: [String]
  /// Inputs given as ranges, by JSON path (`workload.entitiesPerMonth`); the fields above hold their medians.
  public var ranges: [String: InputRange] = [:]
  /// What the scenario states that the Assumptions section repeats (the ranges and their medians): not defaults.
  public var givenNotes: [String] = []

  static let fields = [
    "entity", "record", "entitiesPerMonth", "recordsPerEntity", "recordBytes", "keyBytes",
    "loadsPerRecord", "loadsPerEntity", "entityLifetimeMinutes", "peakToAverage", "hourlyProfile",
    "retentionDays", "archive",
  ]

  static let maxBytes = 1_000_000_000_000_000  // 10^15: far above any object or item size
  static let maxRecords = 1_000_000_000_000  // 10^12 records in one entity

  static func parse(_ r: JSONObjectReader) throws(DataError) -> Workload {
    var defaults: [String] = []
    func note(_ key: String, _ text: String) { if !r.has(key) { defaults.append(text) } }
    note("keyBytes", "keyBytes = 64 (key and metadata bytes stored with every record)")
    note("loadsPerRecord", "loadsPerRecord = 0")
    note("loadsPerEntity", "loadsPerEntity = 0")
    note("entityLifetimeMinutes", "entityLifetimeMinutes = 0 (a session's records arrive together)")
    if !r.has("hourlyProfile") {
      note("peakToAverage", "peakToAverage = 3 (6 peak hours at 3× the average, 18 at 1/3)")
    }
    note("retentionDays", "no retentionDays: records are kept for the whole horizon")
    var ranges: [String: InputRange] = [:]
    func required(_ key: String, _ value: Decimal?, _ rule: NumberRule) throws(DataError) -> Decimal
    {
      guard let value else {
        throw r.error(key, "missing, expected \(rule.expectation) or a range {\"low\", \"high\"}")
      }
      return value
    }
    let entities = try required(
      "entitiesPerMonth", try r.numberOrRange("entitiesPerMonth", .positive, ranges: &ranges),
      .positive)
    let records = try required(
      "recordsPerEntity",
      try r.numberOrRange(
        "recordsPerEntity", .positiveInteger, kind: .integer, max: Decimal(maxRecords),
        ranges: &ranges), .positiveInteger)
    let bytes = try required(
      "recordBytes",
      try r.numberOrRange(
        "recordBytes", .positiveInteger, kind: .integer, max: Decimal(maxBytes), ranges: &ranges),
      .positiveInteger)
    var w = Workload(
      entity: try r.optionalString("entity") ?? "entity",
      record: try r.optionalString("record") ?? "record",
      entitiesPerMonth: entities,
      recordsPerEntity: NSDecimalNumber(decimal: records).intValue,
      recordBytes: NSDecimalNumber(decimal: bytes).intValue,
      keyBytes: try r.integer("keyBytes", .nonNegativeInteger, max: maxBytes, default: 64),
      loadsPerRecord: try r.numberOrRange("loadsPerRecord", .nonNegative, ranges: &ranges) ?? 0,
      loadsPerEntity: try r.numberOrRange("loadsPerEntity", .nonNegative, ranges: &ranges) ?? 0,
      entityLifetimeMinutes: try r.numberOrRange(
        "entityLifetimeMinutes", .nonNegative, ranges: &ranges) ?? 0,
      peakToAverage: try r.numberOrRange(
        "peakToAverage", .positive, kind: .peakToAverage, ranges: &ranges) ?? 3,
      profile: TrafficProfile(groups: [], custom: false),
      retentionDays: try r.optionalDecimal("retentionDays", .positive),
      archive: try parseArchive(r),
      defaultsUsed: defaults)
    w.ranges = ranges
    for (path, range) in ranges.sorted(by: { $0.key < $1.key }) {
      w.givenNotes.append(
        "\(path) is a range from \(range.low) to \(range.high) (P10 to P90); point results use its median \(MoneyFormat.significant(w.median(path), digits: 4))"
      )
    }
    if w.peakToAverage < 1 || w.peakToAverage > 24 {
      throw r.error(
        "peakToAverage",
        "expected a number from 1 to 24 (the peak hour cannot be below the average, nor above the whole day's traffic), found \(w.peakToAverage)",
        at: r.node("peakToAverage"))
    }
    if let nodes = try r.optionalArray("hourlyProfile") {
      if r.has("peakToAverage") {
        throw r.error(
          "peakToAverage",
          "give hourlyProfile or peakToAverage, not both (the profile sets the peak)",
          at: r.node("peakToAverage"))
      }
      guard nodes.count == 24 else {
        throw r.error(
          "hourlyProfile", "expected 24 numbers (hours 0 to 23), found \(nodes.count)",
          at: r.node("hourlyProfile"))
      }
      var weights: [Decimal] = []
      for (i, n) in nodes.enumerated() {
        weights.append(
          try JSONObjectReader.decimal(
            n, .nonNegative, file: r.file, path: r.childPath("hourlyProfile[\(i)]")))
      }
      if weights.allSatisfy({ $0 == 0 }) {
        throw r.error(
          "hourlyProfile", "expected at least one hour with traffic, found 24 zeros",
          at: r.node("hourlyProfile"))
      }
      w.profile = TrafficProfile.hourly(weights)
      w.peakToAverage = w.profile.peak
    } else {
      w.profile = TrafficProfile.peakToAverage(w.peakToAverage)
    }
    if let e = crossFieldErrors(r).first { throw e }
    try r.finish(allowed: fields)
    return w
  }

  /// The rules between fields of a workload, read from the document field by field: the parse checks them last,
  /// and a parse that stopped at another error reports them beside it. `archive.afterDays` ≤ `retentionDays`:
  /// past it, the hot copy is gone before it would be archived.
  static func crossFieldErrors(_ r: JSONObjectReader) -> [DataError] {
    guard let t = try? r.optionalDecimal("retentionDays", .positive),
      let node = r.node("archive"),
      let ar = try? JSONObjectReader(node, file: r.file, path: r.childPath("archive")),
      let after = try? ar.optionalDecimal("afterDays", .nonNegative), after > t
    else { return [] }
    return [
      ar.error(
        "afterDays",
        "expected at most retentionDays (\(t)): the hot copy is deleted before it would be archived, found \(after)",
        at: ar.node("afterDays"))
    ]
  }

  /// The median a range stands for, as the field holds it.
  func median(_ path: String) -> Decimal {
    switch path {
    case "workload.entitiesPerMonth": return entitiesPerMonth
    case "workload.recordsPerEntity": return Decimal(recordsPerEntity)
    case "workload.recordBytes": return Decimal(recordBytes)
    case "workload.loadsPerRecord": return loadsPerRecord
    case "workload.loadsPerEntity": return loadsPerEntity
    case "workload.entityLifetimeMinutes": return entityLifetimeMinutes
    default: return peakToAverage
    }
  }

  static func parseArchive(_ r: JSONObjectReader) throws(DataError) -> ArchiveSpec? {
    guard let a = try r.optionalObject("archive") else { return nil }
    let after = try a.decimal("afterDays", .nonNegative)
    let cls = try a.choice("storageClass", ArchiveClass.allCases.map(\.rawValue))
    let retain = try a.optionalDecimal("retainDays", .positive)
    let small = try a.bool("transitionSmallObjects", default: false)
    if let retain, retain < after {
      throw a.error(
        "retainDays", "expected at least afterDays (\(after)), found \(retain)",
        at: a.node("retainDays"))
    }
    try a.finish(allowed: ["afterDays", "storageClass", "retainDays", "transitionSmallObjects"])
    return ArchiveSpec(
      afterDays: after, storageClass: ArchiveClass(rawValue: cls)!, retainDays: retain,
      transitionSmallObjects: small)
  }
}
