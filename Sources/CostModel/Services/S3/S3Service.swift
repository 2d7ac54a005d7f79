import Foundation

// S3 Standard, alone or behind an in-process cache (docs/model.md §3.1): settings, latency, traits, rate files.

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

public struct S3Settings: ServiceSettings {
  public enum Layout: String, Sendable, CaseIterable {
    case objectPerEntity = "object-per-entity"
    case objectPerRecord = "object-per-record"
  }
  public var layout: Layout
  public var cache: CacheSpec?
}

public struct S3Service: StorageService {
  public let id = "s3"
  public let fields = ["layout", "cache"]

  public var rateFiles: [RateFile] {
    [
      RateFile(name: "s3", offerCodes: ["AmazonS3", "AmazonS3GlacierDeepArchive"]) { _ in
        Self.s3Selectors()
      },
      RateFile(name: "lambda", offerCodes: ["AWSLambda"]) { _ in Self.lambdaSelectors() },
    ]
  }

  public func parse(
    _ r: JSONObjectReader, note: (String, String) -> Void, ranges: inout [String: InputRange]
  ) throws(DataError)
    -> (ServiceSettings, SavingsPlanSpec?)
  {
    note("layout", "layout = object-per-entity")
    let layout = S3Settings.Layout(
      rawValue: try r.choice(
        "layout", S3Settings.Layout.allCases.map(\.rawValue), default: "object-per-entity"))!
    var cache: CacheSpec?
    if let c = try r.optionalObject("cache") {
      cache = try Self.parseCache(c, note: note, ranges: &ranges)
    }
    return (S3Settings(layout: layout, cache: cache), nil)
  }

  static func parseCache(
    _ c: JSONObjectReader, note: (String, String) -> Void, ranges: inout [String: InputRange]
  ) throws(DataError) -> CacheSpec {
    let model: CacheHitModel
    if c.has("hitRatio") && c.has("model") {
      throw c.error("model", "give either hitRatio or model, not both", at: c.node("model"))
    }
    var allowed = ["hitRatio", "model", "extraMemoryMB", "handlerMs"]
    if c.has("hitRatio") {
      model = .fixed(try c.numberOrRange("hitRatio", .fraction, kind: .fraction, ranges: &ranges)!)
    } else if c.has("model") {
      _ = try c.choice("model", ["lambda-fleet"])
      allowed += ["idleTimeoutMinutes"]
      if !c.has("handlerMs") { note("", "cache.handlerMs = 1500") }
      if !c.has("idleTimeoutMinutes") { note("", "cache.idleTimeoutMinutes = 10") }
      model = .lambdaFleet(
        idleTimeoutMinutes: try c.decimal("idleTimeoutMinutes", .positive, default: 10))
    } else {
      throw c.error("hitRatio", "missing, expected hitRatio (0 to 1) or model \"lambda-fleet\"")
    }
    if !c.has("extraMemoryMB") {
      note("", "cache.extraMemoryMB = 0 (the cache fits in the function's existing memory)")
    }
    let extra = try c.decimal("extraMemoryMB", .nonNegative, default: 0)
    let handler = try c.decimal("handlerMs", .positive, default: 1500)
    try c.finish(allowed: allowed)
    return CacheSpec(model: model, handlerMs: handler, extraMemoryMB: extra)
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Decimal>)
    throws(MissingRate)
  {
    try S3Pricing.price(option.settings as! S3Settings, into: &ctx)
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Double>)
    throws(MissingRate)
  {
    try S3Pricing.price(option.settings as! S3Settings, into: &ctx)
  }

  public func doublePricer(_ option: OptionSpec) -> DoublePricer {
    let s = option.settings as! S3Settings
    return { ctx throws(MissingRate) in try S3Pricing.price(s, into: &ctx) }
  }

  public func lanesPricer(_ option: OptionSpec) -> LanesPricer? {
    let s = option.settings as! S3Settings
    return { ctx throws(MissingRate) in try S3Pricing.price(s, into: &ctx) }
  }

  public func setting(_ field: String, to value: Decimal, in settings: any ServiceSettings) -> (
    any ServiceSettings
  )? {
    guard field == "cache.hitRatio", var s = settings as? S3Settings, s.cache != nil else {
      return nil
    }
    s.cache!.model = .fixed(value)
    return s
  }

  public func latencyOperations(_ option: OptionSpec) -> [String] {
    let s = option.settings as! S3Settings
    var ops =
      s.layout == .objectPerEntity ? ["s3.get", "s3.put"] : ["s3.list", "s3.get", "s3.put"]
    if s.cache != nil { ops.append("cache.hit") }
    return ops
  }

  public func latency(_ e: LatencyInputs, ops: [String: LatencyDistribution], table: LatencyTable)
    -> (read: LatencyDistribution, write: LatencyDistribution)
  {
    let s = e.option.settings as! S3Settings
    var miss: LatencyDistribution
    if s.layout == .objectPerEntity {
      miss = ops["s3.get"]!
    } else {
      // A LIST, then k concurrent GETs: LIST + max of k GETs, at the mean k of the session's loads.
      let loads = e.loadsPerEntity
      let k = loads > 0 ? e.recordsReadPerEntity / loads : e.recordsPerEntity
      miss = .sum(first: ops["s3.list"]!, then: .maxOf(ops["s3.get"]!, k: k))
    }
    if s.cache != nil {
      let h = e.hitRatio ?? 0
      miss =
        h >= 1
        ? ops["cache.hit"]! : (h <= 0 ? miss : .mixture([(h, ops["cache.hit"]!), (1 - h, miss)]))
    }
    return (miss, ops["s3.put"]!)
  }

  /// A system of record; lifecycle expiry (0.75); operations 1, or 0.7 with a cache to run.
  public func traits(_ option: OptionSpec) -> ServiceTraits {
    ServiceTraits(
      durability: 1, ttl: 0.75, operations: (option.settings as! S3Settings).cache == nil ? 1 : 0.7)
  }

  public func describe(_ option: OptionSpec) -> String {
    let s = option.settings as! S3Settings
    var d = "S3 Standard, \(s.layout.rawValue)"
    if let c = s.cache {
      switch c.model {
      case .fixed(let h): d += ", in-process cache (hit ratio \(brief(h)))"
      case .lambdaFleet: d += ", in-process cache (lambda-fleet model)"
      }
    }
    return d
  }

  static func s3Selectors() -> [RateSelector] {
    func storage(
      _ id: String, _ usage: String, _ attrs: [(String, [String])], required: Bool,
      offer: String = "AmazonS3",
      family: String? = "Storage", note: String
    ) -> RateSelector {
      RateSelector(
        rateId: id, offerCode: offer, productFamily: family, usageType: usage, attributes: attrs,
        offerUnits: ["GB-Mo"], unit: "GB-month", per: 1, required: required, note: note)
    }
    return [
      storage(
        "storage-standard", "TimedStorage-ByteHrs", [("volumeType", ["Standard"])], required: true,
        note: "[real] s3.json excerpt"),
      RateSelector(
        rateId: "requests-tier1", offerCode: "AmazonS3", productFamily: "API Request",
        usageType: "Requests-Tier1",
        attributes: [("group", ["S3-API-Tier1"])], offerUnits: ["Requests"], unit: "request",
        per: 1000, required: true,
        note: "[code] infracost, terrapod"),
      RateSelector(
        rateId: "requests-tier2", offerCode: "AmazonS3", productFamily: "API Request",
        usageType: "Requests-Tier2",
        attributes: [("group", ["S3-API-Tier2"])], offerUnits: ["Requests"], unit: "request",
        per: 1000, required: true,
        note: "[code] infracost, terrapod"),
      storage(
        "storage-standard-ia", "TimedStorage-SIA-ByteHrs", [], required: false,
        note: "[weak] usage type from one source"),
      storage(
        "storage-glacier-ir", "TimedStorage-GIR-ByteHrs", [], required: false,
        note: "unverified usage type"),
      storage(
        "storage-glacier-flexible", "TimedStorage-GlacierByteHrs", [], required: false,
        note: "[weak] usage type from one source"),
      storage(
        "storage-glacier-deep-archive", "TimedStorage-GDA-ByteHrs",
        [("volumeType", ["Glacier Deep Archive"])], required: true,
        offer: "AmazonS3GlacierDeepArchive", family: nil,
        note: "[real] s3glacierdeeparchive.json excerpt (no productFamily)"),
    ]
  }

  /// Lambda: the cache's extra memory (GB-seconds) and requests.
  static func lambdaSelectors() -> [RateSelector] {
    let million = Decimal(1_000_000)
    let seconds = ["Lambda-GB-Second", "GB-Second", "GB-Seconds", "seconds", "Second"]
    return [
      RateSelector(
        rateId: "request", offerCode: "AWSLambda", productFamily: "Serverless",
        usageType: "Request",
        attributes: [("group", ["AWS-Lambda-Requests"])], offerUnits: ["Requests", "Request"],
        unit: "request", per: million,
        required: true, note: "[code] infracost"),
      RateSelector(
        rateId: "gb-second", offerCode: "AWSLambda", productFamily: "Serverless",
        usageType: "Lambda-GB-Second",
        attributes: [("group", ["AWS-Lambda-Duration"])], offerUnits: seconds, unit: "GB-second",
        per: 1,
        required: true, note: "[code] infracost, terrapod"),
      RateSelector(
        rateId: "gb-second-arm", offerCode: "AWSLambda", productFamily: "Serverless",
        usageType: "Lambda-GB-Second-ARM",
        attributes: [("group", ["AWS-Lambda-Duration-ARM"])], offerUnits: seconds,
        unit: "GB-second", per: 1,
        required: true, note: "[code] infracost"),
    ]
  }
}
