import Foundation

/// How the in-process cache of an "S3 + cache" option finds its hit ratio (docs/model.md §3.1, §4).
public enum CacheHitModel: Sendable {
  case fixed(Decimal)
  case lambdaFleet(idleTimeoutMinutes: Decimal)
}

public struct CacheSpec: Sendable {
  public var model: CacheHitModel
  /// Lambda handler duration: the fleet's concurrency and the extra memory's GB-seconds depend on it.
  public var handlerMs: Decimal
  public var extraMemoryMB: Decimal
}

public struct S3Settings: Sendable {
  public enum Layout: String, Sendable, CaseIterable { case objectPerEntity = "object-per-entity", objectPerRecord = "object-per-record" }
  public var layout: Layout
  public var cache: CacheSpec?
}

/// A commitment term: 1 or 3 years.
public enum CommitmentTerm: String, Sendable, CaseIterable {
  case oneYear = "1y", threeYears = "3y"
  public var years: Int { self == .oneYear ? 1 : 3 }
}

/// Database Savings Plans (docs/model.md §3.6): `coverage` of each eligible line's billable quantity is billed
/// at the rate's price × (1 − savingsPlanDiscount).
public struct SavingsPlanSpec: Sendable {
  public var coverage: Decimal
}

public struct DynamoDBSettings: Sendable {
  public enum Layout: String, Sendable, CaseIterable { case itemPerRecord = "item-per-record", itemPerEntity = "item-per-entity" }
  public enum TableClass: String, Sendable, CaseIterable { case standard, standardIA = "standard-ia" }
  public enum Capacity: String, Sendable, CaseIterable { case onDemand = "on-demand", provisioned }
  public var layout: Layout
  public var consistentReads: Bool
  public var pitr: Bool
  public var tableClass: TableClass = .standard
  public var capacity: Capacity = .onDemand
  /// Auto scaling's target utilization u (0.2–0.9): provisioned = consumed / u.
  public var targetUtilization: Decimal = Decimal(string: "0.7")!
  public var minWCU: Decimal = 1
  public var minRCU: Decimal = 1
  /// Reserved capacity in units (multiples of 100), paid every hour of the term.
  public var reservedWCU: Decimal = 0
  public var reservedRCU: Decimal = 0
  public var reservedTerm: CommitmentTerm = .oneYear
  /// Days TTL takes to delete an expired item; DynamoDB bills the item until then.
  public var ttlLagDays: Decimal = 2

  /// `-standard-ia` for the Standard-IA table class: every DynamoDB rate id gets it.
  public var rateSuffix: String { tableClass == .standardIA ? "-standard-ia" : "" }
  public var reserved: Bool { reservedWCU > 0 || reservedRCU > 0 }
}

public struct ElastiCacheSettings: Sendable {
  public enum Mode: String, Sendable, CaseIterable { case node, serverless }
  public enum Engine: String, Sendable, CaseIterable { case valkey, redis }
  public var mode: Mode
  public var engine: Engine
  /// A node type such as `cache.t4g.micro`, or `auto` (cheapest that fits, per scale). Node mode only.
  public var nodeType: String
  /// Replicas per shard (0–5).
  public var replicas: Int
  public var perRecordOverheadBytes: Decimal
  /// Shards (node groups): a number from 1 (cluster mode disabled) to 500, or nil for `auto`.
  public var shards: Int? = 1
  public var reservation: NodeReservation? = nil
}

/// ElastiCache reserved nodes: a term and a payment option.
public struct NodeReservation: Sendable {
  public enum Payment: String, Sendable, CaseIterable { case noUpfront = "no-upfront", partialUpfront = "partial-upfront", allUpfront = "all-upfront" }
  public var term: CommitmentTerm
  public var payment: Payment
  /// `<term>:<payment>`, the tail of the reserved rate ids.
  public var rateTail: String { "\(term.rawValue):\(payment.rawValue)" }
}

public struct AuroraSettings: Sendable {
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

public enum OptionSettings: Sendable {
  case s3(S3Settings)
  case dynamodb(DynamoDBSettings)
  case elasticache(ElastiCacheSettings)
  case aurora(AuroraSettings)
}

/// One option of a scenario: a service and its settings.
public struct OptionSpec: Sendable {
  public var id: String
  public var service: String
  public var settings: OptionSettings
  /// Apply the rates' `freeQuantity` (free tier). Off unless asked.
  public var freeTier: Bool
  /// Database Savings Plans coverage (DynamoDB, ElastiCache, Aurora).
  public var savingsPlan: SavingsPlanSpec?
  /// `options[i]`, for error messages.
  public var path: String
  public var position: SourcePosition
  /// Settings that fell back to a default, for the Assumptions section.
  public var defaultsUsed: [String]

  public static let services = ["s3", "dynamodb", "elasticache", "aurora-serverless-v2"]

  static func parse(_ r: JSONObjectReader) throws(DataError) -> OptionSpec {
    let id = try r.string("id")
    guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
      throw r.error("id", "expected an id of letters, digits, '-', '_' or '.', found \"\(id)\"", at: r.node("id"))
    }
    let service = try r.choice("service", services)
    let freeTier = try r.bool("freeTier", default: false)
    var defaults: [String] = []
    func note(_ key: String, _ text: String) { if !r.has(key) { defaults.append(text) } }
    let settings: OptionSettings
    var savingsPlan: SavingsPlanSpec?
    var allowed = ["id", "service", "freeTier"]
    switch service {
    case "s3":
      allowed += ["layout", "cache"]
      note("layout", "layout = object-per-entity")
      let layout = S3Settings.Layout(rawValue: try r.choice("layout", S3Settings.Layout.allCases.map(\.rawValue), default: "object-per-entity"))!
      var cache: CacheSpec?
      if let c = try r.optionalObject("cache") { cache = try parseCache(c, defaults: &defaults) }
      settings = .s3(S3Settings(layout: layout, cache: cache))
    case "dynamodb":
      allowed += ["layout", "consistentReads", "pitr", "tableClass", "capacity", "targetUtilization", "minWCU", "minRCU",
        "reservedWCU", "reservedRCU", "reservedTerm", "ttlLagDays", "savingsPlan"]
      settings = .dynamodb(try parseDynamoDB(r, note: note))
      savingsPlan = try parseSavingsPlan(r)
      if let _ = savingsPlan, case .dynamodb(let d) = settings, d.reserved {
        throw r.error("savingsPlan", "a savings plan cannot cover an option with reserved capacity (reservedWCU or reservedRCU): choose one commitment", at: r.node("savingsPlan"))
      }
    case "elasticache":
      allowed += ["mode", "engine", "nodeType", "replicas", "perRecordOverheadBytes", "shards", "reservation", "savingsPlan"]
      let mode = ElastiCacheSettings.Mode(rawValue: try r.choice("mode", ElastiCacheSettings.Mode.allCases.map(\.rawValue), default: "node"))!
      note("engine", "engine = valkey")
      let engine = ElastiCacheSettings.Engine(rawValue: try r.choice("engine", ElastiCacheSettings.Engine.allCases.map(\.rawValue), default: "valkey"))!
      note("perRecordOverheadBytes", "perRecordOverheadBytes = 400 (assumption: Redis 7 measured ~370 B over a 2 KB list entry)")
      var nodeType = "auto"
      var replicas = 0
      var shards: Int? = 1
      var reservation: NodeReservation?
      if mode == .node {
        note("nodeType", "nodeType = auto (cheapest node of the engine that fits)")
        nodeType = try r.optionalString("nodeType") ?? "auto"
        if nodeType != "auto" && (nodeType.isEmpty || nodeType.count > 100) {
          throw r.error("nodeType", "expected a node type such as cache.r7g.large, or \"auto\"", at: r.node("nodeType"))
        }
        replicas = try r.integer("replicas", .nonNegativeInteger, max: 5, default: 0)
        shards = try parseShards(r)
        if let n = r.node("reservation") {
          let rr = try JSONObjectReader(n, file: r.file, path: r.childPath("reservation"))
          let term = CommitmentTerm(rawValue: try rr.choice("term", CommitmentTerm.allCases.map(\.rawValue)))!
          let payment = NodeReservation.Payment(rawValue: try rr.choice("payment", NodeReservation.Payment.allCases.map(\.rawValue)))!
          try rr.finish(allowed: ["term", "payment"])
          reservation = NodeReservation(term: term, payment: payment)
        }
      } else {
        for key in ["nodeType", "replicas", "shards", "reservation"] where r.has(key) {
          let why = key == "replicas" ? " (serverless replicates across Availability Zones itself)" : ""
          throw r.error(key, "only for mode \"node\"; this option is serverless\(why)", at: r.node(key))
        }
      }
      savingsPlan = try parseSavingsPlan(r)
      if savingsPlan != nil && reservation != nil {
        throw r.error("savingsPlan", "a savings plan cannot cover reserved nodes (reservation): choose one commitment", at: r.node("savingsPlan"))
      }
      settings = .elasticache(ElastiCacheSettings(mode: mode, engine: engine, nodeType: nodeType, replicas: replicas,
        perRecordOverheadBytes: try r.decimal("perRecordOverheadBytes", .nonNegative, default: 400), shards: shards,
        reservation: reservation))
    case "aurora-serverless-v2":
      allowed += ["minACU", "maxACU", "autoPauseMinutes", "ioOptimized", "queriesPerSecondPerACU", "rowOverheadBytes", "readIOsPerLoad",
        "readers", "savingsPlan"]
      note("minACU", "minACU = 0.5")
      note("maxACU", "maxACU = 16")
      note("queriesPerSecondPerACU", "queriesPerSecondPerACU = 250 (assumption, calibrate with costplan bench)")
      note("rowOverheadBytes", "rowOverheadBytes = 850 (assumption: PostgreSQL 15 measured ~850 B per 2 KB row)")
      note("readIOsPerLoad", "readIOsPerLoad = 0 (loads are buffer-pool hits)")
      let minACU = try r.decimal("minACU", .nonNegative, default: Decimal(string: "0.5")!)
      if minACU != 0 && minACU < Decimal(string: "0.5")! {
        throw r.error("minACU", "expected 0 (auto-pause) or at least 0.5, found \(minACU)", at: r.node("minACU"))
      }
      if !(minACU * 2).isInteger {
        throw r.error("minACU", "expected a multiple of 0.5 ACU (Aurora Serverless v2 capacity steps), found \(minACU)", at: r.node("minACU"))
      }
      let maxACU = try r.decimal("maxACU", .positive, default: 16)
      if !(maxACU * 2).isInteger {
        throw r.error("maxACU", "expected a multiple of 0.5 ACU (Aurora Serverless v2 capacity steps), found \(maxACU)", at: r.node("maxACU"))
      }
      if maxACU < max(minACU, Decimal(string: "0.5")!) || maxACU > 256 {
        throw r.error("maxACU", "expected from max(minACU, 0.5) to 256, found \(maxACU)", at: r.node("maxACU"))
      }
      if minACU != 0 && r.has("autoPauseMinutes") {
        throw r.error("autoPauseMinutes", "auto-pause needs minACU 0", at: r.node("autoPauseMinutes"))
      }
      if minACU == 0 { note("autoPauseMinutes", "autoPauseMinutes = 5") }
      let pause = try r.decimal("autoPauseMinutes", .positive, default: 5)
      if pause < 5 || pause > 1440 {
        throw r.error("autoPauseMinutes", "expected from 5 to 1440 minutes (300–86,400 s), found \(pause)", at: r.node("autoPauseMinutes"))
      }
      settings = .aurora(AuroraSettings(minACU: minACU, maxACU: maxACU, autoPauseMinutes: pause,
        ioOptimized: try r.bool("ioOptimized", default: false),
        queriesPerSecondPerACU: try r.decimal("queriesPerSecondPerACU", .positive, default: 250),
        rowOverheadBytes: try r.decimal("rowOverheadBytes", .nonNegative, default: 850),
        readIOsPerLoad: try r.decimal("readIOsPerLoad", .nonNegative, default: 0),
        readers: try r.integer("readers", .nonNegativeInteger, max: 15, default: 0)))
      savingsPlan = try parseSavingsPlan(r)
    default:
      // `choice` above admits only the services listed; a new one needs its own case.
      throw r.error("service", "unsupported service \"\(service)\"", at: r.node("service"))
    }
    try r.finish(allowed: allowed)
    return OptionSpec(id: id, service: service, settings: settings, freeTier: freeTier, savingsPlan: savingsPlan, path: r.path,
      position: r.position, defaultsUsed: defaults)
  }

  static func parseSavingsPlan(_ r: JSONObjectReader) throws(DataError) -> SavingsPlanSpec? {
    guard let n = r.node("savingsPlan") else { return nil }
    let p = try JSONObjectReader(n, file: r.file, path: r.childPath("savingsPlan"))
    let c = try p.decimal("coverage", .fraction)
    if c == 0 {
      throw p.error("coverage", "expected a fraction above 0 and at most 1 (the share of eligible usage the plan covers), found 0", at: p.node("coverage"))
    }
    try p.finish(allowed: ["coverage"])
    return SavingsPlanSpec(coverage: c)
  }

  /// `shards`: an integer from 1 to 500, or "auto" (nil).
  static func parseShards(_ r: JSONObjectReader) throws(DataError) -> Int? {
    guard let n = r.node("shards") else { return 1 }
    if case .string(let text) = n.value {
      guard text == "auto" else { throw r.error("shards", "expected a number of shards from 1 to 500, or \"auto\", found \"\(text)\"", at: n) }
      return nil
    }
    let d = try JSONObjectReader.decimal(n, .any, file: r.file, path: r.childPath("shards"))
    guard d.isInteger, d >= 1, d <= 500 else {
      throw r.error("shards", "expected a number of shards from 1 to 500, or \"auto\", found \(d)", at: n)
    }
    return NSDecimalNumber(decimal: d).intValue
  }

  static func parseDynamoDB(_ r: JSONObjectReader, note: (String, String) -> Void) throws(DataError) -> DynamoDBSettings {
    note("layout", "layout = item-per-record")
    note("consistentReads", "consistentReads = false (eventually consistent reads, half price)")
    let layout = DynamoDBSettings.Layout(rawValue: try r.choice("layout", DynamoDBSettings.Layout.allCases.map(\.rawValue), default: "item-per-record"))!
    var d = DynamoDBSettings(layout: layout, consistentReads: try r.bool("consistentReads", default: false),
      pitr: try r.bool("pitr", default: false))
    d.tableClass = .init(rawValue: try r.choice("tableClass", DynamoDBSettings.TableClass.allCases.map(\.rawValue), default: "standard"))!
    d.capacity = .init(rawValue: try r.choice("capacity", DynamoDBSettings.Capacity.allCases.map(\.rawValue), default: "on-demand"))!
    note("ttlLagDays", "ttlLagDays = 2 (assumption: TTL deletes an expired item within a few days, and DynamoDB bills it until then)")
    d.ttlLagDays = try r.decimal("ttlLagDays", .nonNegative, default: 2)
    if d.ttlLagDays > 3650 {
      throw r.error("ttlLagDays", "expected at most 3650 days, found \(d.ttlLagDays)", at: r.node("ttlLagDays"))
    }
    let provisionedOnly = ["targetUtilization", "minWCU", "minRCU", "reservedWCU", "reservedRCU", "reservedTerm"]
    if d.capacity == .onDemand {
      for key in provisionedOnly where r.has(key) {
        let what = key.hasPrefix("reserved") ? "reserved capacity needs" : "only with"
        throw r.error(key, "\(what) capacity \"provisioned\" (this table is on-demand)", at: r.node(key))
      }
      return d
    }
    note("targetUtilization", "targetUtilization = 0.7 (auto scaling keeps consumed capacity at 70% of provisioned)")
    d.targetUtilization = try r.decimal("targetUtilization", .positive, default: Decimal(string: "0.7")!)
    if d.targetUtilization < Decimal(string: "0.2")! || d.targetUtilization > Decimal(string: "0.9")! {
      throw r.error("targetUtilization", "expected a fraction from 0.2 to 0.9 (DynamoDB auto scaling's range), found \(d.targetUtilization)", at: r.node("targetUtilization"))
    }
    d.minWCU = Decimal(try r.integer("minWCU", .positiveInteger, max: 40_000_000, default: 1))
    d.minRCU = Decimal(try r.integer("minRCU", .positiveInteger, max: 40_000_000, default: 1))
    for key in ["reservedWCU", "reservedRCU"] {
      let v = Decimal(try r.integer(key, .nonNegativeInteger, max: 1_000_000_000, default: 0))
      if !(v / 100).isInteger {
        throw r.error(key, "expected a multiple of 100 (reserved capacity is sold in blocks of 100 units), found \(v)", at: r.node(key))
      }
      if v > 0 && d.tableClass == .standardIA {
        throw r.error(key, "reserved capacity is sold for the Standard table class only; this table is standard-ia", at: r.node(key))
      }
      if key == "reservedWCU" { d.reservedWCU = v } else { d.reservedRCU = v }
    }
    d.reservedTerm = CommitmentTerm(rawValue: try r.choice("reservedTerm", CommitmentTerm.allCases.map(\.rawValue), default: "1y"))!
    return d
  }

  static func parseCache(_ c: JSONObjectReader, defaults: inout [String]) throws(DataError) -> CacheSpec {
    let model: CacheHitModel
    if c.has("hitRatio") && c.has("model") {
      throw c.error("model", "give either hitRatio or model, not both", at: c.node("model"))
    }
    var allowed = ["hitRatio", "model", "extraMemoryMB", "handlerMs"]
    if c.has("hitRatio") {
      model = .fixed(try c.decimal("hitRatio", .fraction))
    } else if c.has("model") {
      _ = try c.choice("model", ["lambda-fleet"])
      allowed += ["idleTimeoutMinutes"]
      if !c.has("handlerMs") { defaults.append("cache.handlerMs = 1500") }
      if !c.has("idleTimeoutMinutes") { defaults.append("cache.idleTimeoutMinutes = 10") }
      model = .lambdaFleet(idleTimeoutMinutes: try c.decimal("idleTimeoutMinutes", .positive, default: 10))
    } else {
      throw c.error("hitRatio", "missing, expected hitRatio (0 to 1) or model \"lambda-fleet\"")
    }
    if !c.has("extraMemoryMB") { defaults.append("cache.extraMemoryMB = 0 (the cache fits in the function's existing memory)") }
    let extra = try c.decimal("extraMemoryMB", .nonNegative, default: 0)
    let handler = try c.decimal("handlerMs", .positive, default: 1500)
    try c.finish(allowed: allowed)
    return CacheSpec(model: model, handlerMs: handler, extraMemoryMB: extra)
  }
}
