import Foundation

/// How the in-process cache of an "S3 + cache" option finds its hit ratio (MODEL.md §3.1, §4).
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

public struct DynamoDBSettings: Sendable {
  public enum Layout: String, Sendable, CaseIterable { case itemPerRecord = "item-per-record", itemPerEntity = "item-per-entity" }
  public var layout: Layout
  public var consistentReads: Bool
  public var pitr: Bool
}

public struct ElastiCacheSettings: Sendable {
  public enum Mode: String, Sendable, CaseIterable { case node, serverless }
  public enum Engine: String, Sendable, CaseIterable { case valkey, redis }
  public var mode: Mode
  public var engine: Engine
  /// A node type such as `cache.t4g.micro`, or `auto` (cheapest that fits, per scale). Node mode only.
  public var nodeType: String
  public var replicas: Int
  public var perRecordOverheadBytes: Decimal
}

public struct AuroraSettings: Sendable {
  public var minACU: Decimal
  public var maxACU: Decimal
  public var autoPauseMinutes: Decimal
  public var ioOptimized: Bool
  public var queriesPerSecondPerACU: Decimal
  public var rowOverheadBytes: Decimal
  public var readIOsPerLoad: Decimal
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
      allowed += ["layout", "consistentReads", "pitr"]
      note("layout", "layout = item-per-record")
      note("consistentReads", "consistentReads = false (eventually consistent reads, half price)")
      let layout = DynamoDBSettings.Layout(rawValue: try r.choice("layout", DynamoDBSettings.Layout.allCases.map(\.rawValue), default: "item-per-record"))!
      settings = .dynamodb(DynamoDBSettings(layout: layout, consistentReads: try r.bool("consistentReads", default: false),
        pitr: try r.bool("pitr", default: false)))
    case "elasticache":
      allowed += ["mode", "engine", "nodeType", "replicas", "perRecordOverheadBytes"]
      let mode = ElastiCacheSettings.Mode(rawValue: try r.choice("mode", ElastiCacheSettings.Mode.allCases.map(\.rawValue), default: "node"))!
      note("engine", "engine = valkey")
      let engine = ElastiCacheSettings.Engine(rawValue: try r.choice("engine", ElastiCacheSettings.Engine.allCases.map(\.rawValue), default: "valkey"))!
      note("perRecordOverheadBytes", "perRecordOverheadBytes = 400 (assumption: Redis 7 measured ~370 B over a 2 KB list entry)")
      var nodeType = "auto"
      var replicas = 0
      if mode == .node {
        note("nodeType", "nodeType = auto (cheapest node of the engine that fits)")
        nodeType = try r.optionalString("nodeType") ?? "auto"
        replicas = try r.integer("replicas", .nonNegativeInteger, max: 5, default: 0)
      } else {
        for key in ["nodeType", "replicas"] where r.has(key) {
          throw r.error(key, "only for mode \"node\" (this option is serverless)", at: r.node(key))
        }
      }
      settings = .elasticache(ElastiCacheSettings(mode: mode, engine: engine, nodeType: nodeType, replicas: replicas,
        perRecordOverheadBytes: try r.decimal("perRecordOverheadBytes", .nonNegative, default: 400)))
    default:
      allowed += ["minACU", "maxACU", "autoPauseMinutes", "ioOptimized", "queriesPerSecondPerACU", "rowOverheadBytes", "readIOsPerLoad"]
      note("minACU", "minACU = 0.5")
      note("maxACU", "maxACU = 16")
      note("queriesPerSecondPerACU", "queriesPerSecondPerACU = 250 (assumption, calibrate with costplan bench)")
      note("rowOverheadBytes", "rowOverheadBytes = 850 (assumption: PostgreSQL 15 measured ~850 B per 2 KB row)")
      note("readIOsPerLoad", "readIOsPerLoad = 0 (loads are buffer-pool hits)")
      let minACU = try r.decimal("minACU", .nonNegative, default: Decimal(string: "0.5")!)
      if minACU != 0 && minACU < Decimal(string: "0.5")! {
        throw r.error("minACU", "expected 0 (auto-pause) or at least 0.5, found \(minACU)", at: r.node("minACU"))
      }
      let maxACU = try r.decimal("maxACU", .positive, default: 16)
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
        readIOsPerLoad: try r.decimal("readIOsPerLoad", .nonNegative, default: 0)))
    }
    try r.finish(allowed: allowed)
    return OptionSpec(id: id, service: service, settings: settings, freeTier: freeTier, path: r.path,
      position: r.position, defaultsUsed: defaults)
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
