import Foundation

// ElastiCache, node-based (clusters, reserved nodes) or serverless (docs/model.md §3.3): settings, latency, traits,
// rate files.

public struct ElastiCacheSettings: ServiceSettings {
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
  public enum Payment: String, Sendable, CaseIterable {
    case noUpfront = "no-upfront"
    case partialUpfront = "partial-upfront"
    case allUpfront = "all-upfront"
  }
  public var term: CommitmentTerm
  public var payment: Payment
  /// `<term>:<payment>`, the tail of the reserved rate ids.
  public var rateTail: String { "\(term.rawValue):\(payment.rawValue)" }
}

public struct ElastiCacheService: StorageService {
  public let id = "elasticache"
  public let fields = [
    "mode", "engine", "nodeType", "replicas", "perRecordOverheadBytes", "shards", "reservation",
    "savingsPlan",
  ]

  public var rateFiles: [RateFile] {
    [
      RateFile(name: "elasticache", offerCodes: ["AmazonElastiCache"]) { nodeTypes in
        Self.selectors(nodeTypes: nodeTypes)
      }
    ]
  }

  public func parse(
    _ r: JSONObjectReader, note: (String, String) -> Void, ranges: inout [String: InputRange]
  ) throws(DataError)
    -> (ServiceSettings, SavingsPlanSpec?)
  {
    let mode = ElastiCacheSettings.Mode(
      rawValue: try r.choice(
        "mode", ElastiCacheSettings.Mode.allCases.map(\.rawValue), default: "node"))!
    note("engine", "engine = valkey")
    let engine = ElastiCacheSettings.Engine(
      rawValue: try r.choice(
        "engine", ElastiCacheSettings.Engine.allCases.map(\.rawValue), default: "valkey"))!
    note(
      "perRecordOverheadBytes",
      "perRecordOverheadBytes = 400 (assumption: Redis 7 measured ~370 B over a 2 KB list entry)")
    var nodeType = "auto"
    var replicas = 0
    var shards: Int? = 1
    var reservation: NodeReservation?
    if mode == .node {
      note("nodeType", "nodeType = auto (cheapest node of the engine that fits)")
      nodeType = try r.optionalString("nodeType") ?? "auto"
      if nodeType != "auto" && (nodeType.isEmpty || nodeType.count > 100) {
        throw r.error(
          "nodeType", "expected a node type such as cache.r7g.large, or \"auto\"",
          at: r.node("nodeType"))
      }
      replicas = try r.integer("replicas", .nonNegativeInteger, max: 5, default: 0)
      shards = try Self.parseShards(r)
      if let n = r.node("reservation") {
        let rr = try JSONObjectReader(n, file: r.file, path: r.childPath("reservation"))
        let term = CommitmentTerm(
          rawValue: try rr.choice("term", CommitmentTerm.allCases.map(\.rawValue)))!
        let payment = NodeReservation.Payment(
          rawValue: try rr.choice("payment", NodeReservation.Payment.allCases.map(\.rawValue)))!
        try rr.finish(allowed: ["term", "payment"])
        reservation = NodeReservation(term: term, payment: payment)
      }
    } else {
      for key in ["nodeType", "replicas", "shards", "reservation"] where r.has(key) {
        let why =
          key == "replicas" ? " (serverless replicates across Availability Zones itself)" : ""
        throw r.error(
          key, "only for mode \"node\"; this option is serverless\(why)", at: r.node(key))
      }
    }
    let savingsPlan = try SavingsPlanSpec.parse(r)
    if savingsPlan != nil && reservation != nil {
      throw r.error(
        "savingsPlan",
        "a savings plan cannot cover reserved nodes (reservation): choose one commitment",
        at: r.node("savingsPlan"))
    }
    return (
      ElastiCacheSettings(
        mode: mode, engine: engine, nodeType: nodeType, replicas: replicas,
        perRecordOverheadBytes: try r.numberOrRange(
          "perRecordOverheadBytes", .nonNegative, ranges: &ranges) ?? 400, shards: shards,
        reservation: reservation), savingsPlan
    )
  }

  /// `shards`: an integer from 1 to 500, or "auto" (nil).
  static func parseShards(_ r: JSONObjectReader) throws(DataError) -> Int? {
    guard let n = r.node("shards") else { return 1 }
    if case .string(let text) = n.value {
      guard text == "auto" else {
        throw r.error(
          "shards", "expected a number of shards from 1 to 500, or \"auto\", found \"\(text)\"",
          at: n)
      }
      return nil
    }
    let d = try JSONObjectReader.decimal(n, .any, file: r.file, path: r.childPath("shards"))
    guard d.isInteger, d >= 1, d <= 500 else {
      throw r.error(
        "shards", "expected a number of shards from 1 to 500, or \"auto\", found \(d)", at: n)
    }
    return NSDecimalNumber(decimal: d).intValue
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Decimal>)
    throws(MissingRate)
  {
    try ElastiCachePricing.price(option.settings as! ElastiCacheSettings, into: &ctx)
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Double>)
    throws(MissingRate)
  {
    try ElastiCachePricing.price(option.settings as! ElastiCacheSettings, into: &ctx)
  }

  public func doublePricer(_ option: OptionSpec) -> DoublePricer {
    let s = option.settings as! ElastiCacheSettings
    return { ctx throws(MissingRate) in try ElastiCachePricing.price(s, into: &ctx) }
  }

  public func lanesPricer(_ option: OptionSpec) -> LanesPricer? {
    let s = option.settings as! ElastiCacheSettings
    return { ctx throws(MissingRate) in try ElastiCachePricing.price(s, into: &ctx) }
  }

  func prefix(_ option: OptionSpec) -> String {
    (option.settings as! ElastiCacheSettings).mode == .node
      ? "elasticache" : "elasticache-serverless"
  }

  public func setting(_ field: String, to value: Decimal, in settings: any ServiceSettings) -> (
    any ServiceSettings
  )? {
    guard field == "perRecordOverheadBytes", var s = settings as? ElastiCacheSettings else {
      return nil
    }
    s.perRecordOverheadBytes = value
    return s
  }

  public func latencyOperations(_ option: OptionSpec) -> [String] {
    ["\(prefix(option)).read", "\(prefix(option)).write"]
  }

  public func latency(_ e: LatencyInputs, ops: [String: LatencyDistribution], table: LatencyTable)
    -> (read: LatencyDistribution, write: LatencyDistribution)
  {
    (ops["\(prefix(e.option)).read"]!, ops["\(prefix(e.option)).write"]!)
  }

  /// Volatile without replicas (a node failure loses the data); native TTL (EXPIRE); operations 0.4.
  public func traits(_ option: OptionSpec) -> ServiceTraits {
    let s = option.settings as! ElastiCacheSettings
    return ServiceTraits(
      durability: s.mode == .node && s.replicas == 0 ? 0 : 1, ttl: 1, operations: 0.4)
  }

  public func describe(_ option: OptionSpec) -> String {
    let s = option.settings as! ElastiCacheSettings
    let engine = s.engine == .valkey ? "Valkey" : "Redis OSS"
    if s.mode == .serverless {
      return "ElastiCache Serverless (\(engine))" + SavingsPlanSpec.describe(option)
    }
    var d = "ElastiCache \(s.nodeType) (\(engine))"
    if let n = s.shards { if n > 1 { d += ", \(n) shards" } } else { d += ", shards auto" }
    if s.replicas > 0 {
      d += ", \(s.replicas) replica\(s.replicas > 1 ? "s" : "")\(s.shards == 1 ? "" : " per shard")"
    }
    if let r = s.reservation { d += ", reserved \(r.term.rawValue) \(r.payment.rawValue)" }
    return d + SavingsPlanSpec.describe(option)
  }

  static func selectors(nodeTypes: [String]) -> [RateSelector] {
    let million = Decimal(1_000_000)
    let engines = RateSelectors.engines
    let leases = RateSelectors.leases
    let purchaseOptions = RateSelectors.purchaseOptions
    var out: [RateSelector] = []
    for node in nodeTypes {
      for e in engines {
        out.append(
          RateSelector(
            rateId: "node:\(node):\(e.id)", offerCode: "AmazonElastiCache",
            productFamily: "Cache Instance",
            usageType: "NodeUsage:\(node)",
            attributes: [("instanceType", [node]), ("cacheEngine", [e.cacheEngine])],
            offerUnits: ["Hrs"], unit: "hour", per: 1, required: true, readsMemory: true,
            note: "[code] infracost, terrapod"))
        // Reserved nodes: the same SKU's Reserved terms [real] elasticache-reserved.json (2025 offer excerpt).
        for (lease, term) in leases {
          for (option, payment) in purchaseOptions {
            let base = RateSelector(
              rateId: "", offerCode: "AmazonElastiCache", productFamily: "Cache Instance",
              usageType: "NodeUsage:\(node)",
              attributes: [("instanceType", [node]), ("cacheEngine", [e.cacheEngine])],
              offerUnits: ["Hrs"], unit: "hour", per: 1, required: false,
              note: "[real] elasticache-reserved.json")
            var hourly = base
            hourly.rateId = "node-reserved:\(node):\(e.id):\(term):\(payment)"
            hourly.reserved = .init(
              lease: lease, purchaseOption: option, fee: .hourly, hourlyUnits: ["Hrs"])
            var upfront = base
            upfront.rateId = "node-reserved-upfront:\(node):\(e.id):\(term):\(payment)"
            upfront.offerUnits = ["Quantity"]
            upfront.unit = "node-term"
            upfront.reserved = .init(
              lease: lease, purchaseOption: option, fee: .upfront, hourlyUnits: ["Hrs"])
            out.append(hourly)
            out.append(upfront)
          }
        }
      }
    }
    for e in engines {
      out.append(
        RateSelector(
          rateId: "serverless-storage:\(e.id)", offerCode: "AmazonElastiCache",
          productFamily: "ElastiCache Serverless",
          usageType: "CachedData:\(e.cacheEngine)", attributes: [],
          offerUnits: ["GB-Hrs", "GB-Hours", "GB-hour"], unit: "GB-hour", per: 1,
          required: false, note: "[weak] usage type from a billing catalogue"))
      out.append(
        RateSelector(
          rateId: "serverless-ecpu:\(e.id)", offerCode: "AmazonElastiCache",
          productFamily: "ElastiCache Serverless",
          usageType: "ElastiCacheProcessingUnits:\(e.cacheEngine)", attributes: [],
          offerUnits: ["ECPU", "ECPUs", "ElastiCacheProcessingUnits"],
          unit: "ECPU", per: million, required: false,
          note: "[weak] usage type from a billing catalogue"))
    }
    return out
  }
}
