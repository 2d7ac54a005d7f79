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
  public var requestsRateId: String { "requests-" + rawValue }
  public var storageRateId: String { "storage-" + rawValue }

  /// Glacier Flexible and Deep Archive add 32 KB at the archive rate and 8 KB at S3 Standard per object.
  public var hasGlacierMetadataOverhead: Bool { self == .glacierFlexible || self == .glacierDeepArchive }

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
}

/// The scenario's `workload` block (MODEL.md §2), unscaled.
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
  public var retentionDays: Decimal?
  public var archive: ArchiveSpec?

  /// Which fields fell back to a default, for the report's Assumptions section.
  public var defaultsUsed: [String]

  static let fields = ["entity", "record", "entitiesPerMonth", "recordsPerEntity", "recordBytes", "keyBytes",
    "loadsPerRecord", "loadsPerEntity", "entityLifetimeMinutes", "peakToAverage", "retentionDays", "archive"]

  static let maxBytes = 1_000_000_000_000_000  // 10^15: far above any object or item size
  static let maxRecords = 1_000_000_000_000  // 10^12 records in one entity

  static func parse(_ r: JSONObjectReader) throws(DataError) -> Workload {
    var defaults: [String] = []
    func note(_ key: String, _ text: String) { if !r.has(key) { defaults.append(text) } }
    note("keyBytes", "keyBytes = 64 (key and metadata bytes stored with every record)")
    note("loadsPerRecord", "loadsPerRecord = 0")
    note("loadsPerEntity", "loadsPerEntity = 0")
    note("entityLifetimeMinutes", "entityLifetimeMinutes = 0 (a session's records arrive together)")
    note("peakToAverage", "peakToAverage = 3 (peak request rate ÷ average)")
    note("retentionDays", "no retentionDays: records are kept for the whole horizon")
    let w = Workload(
      entity: try r.optionalString("entity") ?? "entity",
      record: try r.optionalString("record") ?? "record",
      entitiesPerMonth: try r.decimal("entitiesPerMonth", .positive),
      recordsPerEntity: try r.integer("recordsPerEntity", .positiveInteger, max: maxRecords),
      recordBytes: try r.integer("recordBytes", .positiveInteger, max: maxBytes),
      keyBytes: try r.integer("keyBytes", .nonNegativeInteger, max: maxBytes, default: 64),
      loadsPerRecord: try r.decimal("loadsPerRecord", .nonNegative, default: 0),
      loadsPerEntity: try r.decimal("loadsPerEntity", .nonNegative, default: 0),
      entityLifetimeMinutes: try r.decimal("entityLifetimeMinutes", .nonNegative, default: 0),
      peakToAverage: try r.decimal("peakToAverage", .positive, default: 3),
      retentionDays: try r.optionalDecimal("retentionDays", .positive),
      archive: try parseArchive(r),
      defaultsUsed: defaults)
    if w.peakToAverage < 1 {
      throw r.error("peakToAverage", "expected a number ≥ 1 (the peak cannot be below the average), found \(w.peakToAverage)", at: r.node("peakToAverage"))
    }
    try r.finish(allowed: fields)
    return w
  }

  static func parseArchive(_ r: JSONObjectReader) throws(DataError) -> ArchiveSpec? {
    guard let a = try r.optionalObject("archive") else { return nil }
    let after = try a.decimal("afterDays", .nonNegative)
    let cls = try a.choice("storageClass", ArchiveClass.allCases.map(\.rawValue))
    let retain = try a.optionalDecimal("retainDays", .positive)
    if let retain, retain < after {
      throw a.error("retainDays", "expected at least afterDays (\(after)), found \(retain)", at: a.node("retainDays"))
    }
    try a.finish(allowed: ["afterDays", "storageClass", "retainDays"])
    return ArchiveSpec(afterDays: after, storageClass: ArchiveClass(rawValue: cls)!, retainDays: retain)
  }
}
