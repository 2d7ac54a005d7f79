import Foundation

// Aurora Serverless v2, PostgreSQL (docs/model.md §3.4): settings, latency, traits, rate files.

public struct AuroraSettings: ServiceSettings {
  public var minACU: Decimal
  public var maxACU: Decimal
  public var autoPauseMinutes: Decimal
  public var ioOptimized: Bool
  public var queriesPerSecondPerACU: Decimal
  public var rowOverheadBytes: Decimal
  public var readIOsPerLoad: Decimal
  /// Readers in failover tiers 0–1 (0–15): each scales with the writer.
  public var readers: Int = 0
  public var autoPause: Bool { minACU == 0 }
}

public struct AuroraService: StorageService {
  public let id = "aurora-serverless-v2"
  public let fields = [
    "minACU", "maxACU", "autoPauseMinutes", "ioOptimized", "queriesPerSecondPerACU",
    "rowOverheadBytes", "readIOsPerLoad",
    "readers", "savingsPlan",
  ]

  public var rateFiles: [RateFile] {
    [RateFile(name: "aurora", offerCodes: ["AmazonRDS"]) { _ in Self.selectors() }]
  }

  public func parse(
    _ r: JSONObjectReader, note: (String, String) -> Void, ranges: inout [String: InputRange]
  ) throws(DataError)
    -> (ServiceSettings, SavingsPlanSpec?)
  {
    note("minACU", "minACU = 0.5")
    note("maxACU", "maxACU = 16")
    note(
      "queriesPerSecondPerACU",
      "queriesPerSecondPerACU = 250 (assumption, calibrate with costplan bench)")
    note(
      "rowOverheadBytes",
      "rowOverheadBytes = 850 (assumption: PostgreSQL 15 measured ~850 B per 2 KB row)")
    note("readIOsPerLoad", "readIOsPerLoad = 0 (loads are buffer-pool hits)")
    let minACU = try r.decimal("minACU", .nonNegative, default: Decimal(string: "0.5")!)
    if minACU != 0 && minACU < Decimal(string: "0.5")! {
      throw r.error(
        "minACU", "expected 0 (auto-pause) or at least 0.5, found \(minACU)", at: r.node("minACU"))
    }
    if !(minACU * 2).isInteger {
      throw r.error(
        "minACU",
        "expected a multiple of 0.5 ACU (Aurora Serverless v2 capacity steps), found \(minACU)",
        at: r.node("minACU"))
    }
    let maxACU = try r.decimal("maxACU", .positive, default: 16)
    if !(maxACU * 2).isInteger {
      throw r.error(
        "maxACU",
        "expected a multiple of 0.5 ACU (Aurora Serverless v2 capacity steps), found \(maxACU)",
        at: r.node("maxACU"))
    }
    if maxACU < max(minACU, Decimal(string: "0.5")!) || maxACU > 256 {
      throw r.error(
        "maxACU", "expected from max(minACU, 0.5) to 256, found \(maxACU)", at: r.node("maxACU"))
    }
    if minACU != 0 && r.has("autoPauseMinutes") {
      throw r.error("autoPauseMinutes", "auto-pause needs minACU 0", at: r.node("autoPauseMinutes"))
    }
    if minACU == 0 { note("autoPauseMinutes", "autoPauseMinutes = 5") }
    let pause = try r.decimal("autoPauseMinutes", .positive, default: 5)
    if pause < 5 || pause > 1440 {
      throw r.error(
        "autoPauseMinutes", "expected from 5 to 1440 minutes (300–86,400 s), found \(pause)",
        at: r.node("autoPauseMinutes"))
    }
    let settings = AuroraSettings(
      minACU: minACU, maxACU: maxACU, autoPauseMinutes: pause,
      ioOptimized: try r.bool("ioOptimized", default: false),
      queriesPerSecondPerACU: try r.numberOrRange(
        "queriesPerSecondPerACU", .positive, ranges: &ranges) ?? 250,
      rowOverheadBytes: try r.numberOrRange("rowOverheadBytes", .nonNegative, ranges: &ranges)
        ?? 850,
      readIOsPerLoad: try r.decimal("readIOsPerLoad", .nonNegative, default: 0),
      readers: try r.integer("readers", .nonNegativeInteger, max: 15, default: 0))
    return (settings, try SavingsPlanSpec.parse(r))
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Decimal>)
    throws(MissingRate)
  {
    try AuroraPricing.price(option.settings as! AuroraSettings, into: &ctx)
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Double>)
    throws(MissingRate)
  {
    try AuroraPricing.price(option.settings as! AuroraSettings, into: &ctx)
  }

  public func doublePricer(_ option: OptionSpec) -> DoublePricer {
    let s = option.settings as! AuroraSettings
    return { ctx throws(MissingRate) in try AuroraPricing.price(s, into: &ctx) }
  }

  public func lanesPricer(_ option: OptionSpec) -> LanesPricer? {
    let s = option.settings as! AuroraSettings
    return { ctx throws(MissingRate) in try AuroraPricing.price(s, into: &ctx) }
  }

  public func setting(_ field: String, to value: Decimal, in settings: any ServiceSettings) -> (
    any ServiceSettings
  )? {
    guard var s = settings as? AuroraSettings else { return nil }
    switch field {
    case "queriesPerSecondPerACU": s.queriesPerSecondPerACU = value
    case "rowOverheadBytes": s.rowOverheadBytes = value
    default: return nil
    }
    return s
  }

  public func latencyOperations(_ option: OptionSpec) -> [String] {
    (option.settings as! AuroraSettings).autoPause
      ? ["aurora.select", "aurora.insert", "aurora.resume"] : ["aurora.select", "aurora.insert"]
  }

  public func latency(_ e: LatencyInputs, ops: [String: LatencyDistribution], table: LatencyTable)
    -> (read: LatencyDistribution, write: LatencyDistribution)
  {
    let s = e.option.settings as! AuroraSettings
    let insert = ops["aurora.insert"]!
    if s.autoPause, let p = e.pausedProbability, p > 0 {
      // A session's first append finds the cluster paused with probability p: (p / R) of appends wait.
      let resume = table.operation("aurora.resume")!.p50Ms
      let share = p / e.recordsPerEntity
      return (
        ops["aurora.select"]!,
        .mixture([(1 - share, insert), (share, .shifted(insert, by: resume))])
      )
    }
    return (ops["aurora.select"]!, insert)
  }

  /// A system of record; expiry needs a sweeper job (manual, 0.25); operations 0.3.
  public func traits(_ option: OptionSpec) -> ServiceTraits {
    ServiceTraits(durability: 1, ttl: 0.25, operations: 0.3)
  }

  public func describe(_ option: OptionSpec) -> String {
    let s = option.settings as! AuroraSettings
    let floor = s.autoPause ? "0 ACU, auto-pause \(s.autoPauseMinutes) min" : "min \(s.minACU) ACU"
    let readers = s.readers > 0 ? ", \(s.readers) reader\(s.readers > 1 ? "s" : "")" : ""
    return
      "Aurora Serverless v2 PostgreSQL, \(floor)\(s.ioOptimized ? ", I/O-Optimized" : "")\(readers)"
      + SavingsPlanSpec.describe(option)
  }

  static func selectors() -> [RateSelector] {
    let million = Decimal(1_000_000)
    let engine = ("databaseEngine", ["Aurora PostgreSQL", "Any"])
    func r(
      _ id: String, _ family: String, _ usage: String, _ units: [String], _ unit: String,
      _ per: Decimal
    ) -> RateSelector {
      RateSelector(
        rateId: id, offerCode: "AmazonRDS", productFamily: family, usageType: usage,
        attributes: [engine],
        offerUnits: units, unit: unit, per: per, required: true, note: "[code] infracost")
    }
    return [
      r(
        "acu-hour", "ServerlessV2", "Aurora:ServerlessV2Usage", ["ACU-Hr", "ACU-Hrs"], "ACU-hour", 1
      ),
      r(
        "acu-hour-io-optimized", "ServerlessV2", "Aurora:ServerlessV2IOOptimizedUsage",
        ["ACU-Hr", "ACU-Hrs"], "ACU-hour", 1),
      r("storage", "Database Storage", "Aurora:StorageUsage", ["GB-Mo"], "GB-month", 1),
      r(
        "storage-io-optimized", "Database Storage", "Aurora:IO-OptimizedStorageUsage", ["GB-Mo"],
        "GB-month", 1),
      r("io-request", "System Operation", "Aurora:StorageIOUsage", ["IOs"], "I/O", million),
      r("backup-storage", "Storage Snapshot", "Aurora:BackupUsage", ["GB-Mo"], "GB-month", 1),
    ]
  }
}
