import Foundation

/// How one costplan rate is found in an AWS offer: product family, the usage type after its optional Region
/// prefix, and attributes (research/pricelist-vocabulary.md §A4). Exactly one SKU must match; never "first match".
public struct RateSelector: Sendable {
  public var rateId: String
  /// The offer (service code) the rate is in: `AmazonS3GlacierDeepArchive` is an offer of its own.
  public var offerCode: String
  /// nil: any family, or none (old products, and Glacier Deep Archive's, have no `productFamily`).
  public var productFamily: String?
  /// The usage type without its Region prefix, compared whole (`Request` must not match `Global-Request`).
  public var usageType: String?
  /// Attribute name → accepted values; the attribute must be present with one of them.
  public var attributes: [(String, [String])]
  /// Offer units this rate may be priced in (free text in the files), and costplan's name for the unit.
  public var offerUnits: [String]
  public var unit: String
  /// costplan's `per` when the table has none yet (1,000 for S3 requests, 1,000,000 for request units).
  public var per: Decimal
  /// Required rates must be in a full offer; optional ones rest on unverified attribute strings and are
  /// kept from the existing table when no SKU matches.
  public var required: Bool
  /// ElastiCache nodes: read `memory` ("0.5 GiB") into the `memoryGiB` attribute.
  public var readsMemory = false
  public var note: String
  /// Set for a rate read from a Reserved term of the SKU instead of its OnDemand term.
  public var reserved: ReservedTerm? = nil

  /// Which Reserved term a rate comes from and which of its fees it is.
  public struct ReservedTerm: Sendable {
    public enum Fee: Sendable { case hourly, upfront }
    /// `termAttributes.LeaseContractLength`: "1yr" or "3yr".
    public var lease: String
    /// `termAttributes.PurchaseOption` ("No Upfront", "Partial Upfront", "All Upfront"); nil: whatever the offer
    /// sells, provided it sells exactly one term of that length (DynamoDB reserved capacity).
    public var purchaseOption: String?
    public var fee: Fee
    /// Units the recurring (hourly) dimension may be in. The upfront fee is always in `Quantity`.
    public var hourlyUnits: [String]
    /// Offer units per costplan rate: DynamoDB sells reserved capacity in blocks of 100 units while the offer
    /// prices one unit, so its fees are multiplied by 100 (exact decimals). 1 for a node.
    public var block: Decimal = 1

    /// "1yr No Upfront", "3yr (any purchase option)".
    public var termDescription: String { "\(lease) \(purchaseOption ?? "(any purchase option)")" }
  }

  /// Strips a Region prefix such as `USE1-`, `EUW2-`, `EU-`, `APN1-` (absent in us-east-1 for older types).
  public static func usageSuffix(_ usageType: String) -> String {
    guard let dash = usageType.firstIndex(of: "-") else { return usageType }
    let prefix = usageType[..<dash]
    let letters = prefix.prefix { $0.isASCII && $0.isUppercase }
    let rest = prefix.dropFirst(letters.count)
    let ok = (2...4).contains(letters.count) && (rest.isEmpty || (rest.count == 1 && rest.first!.isASCII && rest.first!.isNumber))
    return ok ? String(usageType[usageType.index(after: dash)...]) : usageType
  }

  public func matches(_ p: OfferProduct) -> Bool {
    if let productFamily, p.productFamily != productFamily { return false }
    if let usageType {
      guard let u = p.attributes["usagetype"], u == usageType || Self.usageSuffix(u) == usageType else { return false }
      if u.contains("ExtendedSupport") { return false }  // surcharge SKUs share the node's usage type tail
    }
    for (name, values) in attributes {
      guard let v = p.attributes[name], values.contains(v) else { return false }
    }
    return true
  }

  /// The filter in words, for "no SKU matches …" and "2 SKUs match …".
  public var filterDescription: String {
    var parts = [productFamily.map { "productFamily=\($0)" } ?? "any productFamily"]
    if let usageType { parts.append("usagetype=[prefix-]\(usageType)") }
    for (n, v) in attributes { parts.append("\(n)=\(v.joined(separator: "|"))") }
    return parts.joined(separator: ", ")
  }
}

/// The offers each costplan service file is imported from, and the rates selected in each.
public enum RateSelectors {
  public static let offerCodes: [String: [String]] = [
    "s3": ["AmazonS3", "AmazonS3GlacierDeepArchive"],
    "dynamodb": ["AmazonDynamoDB"],
    "elasticache": ["AmazonElastiCache"],
    "aurora": ["AmazonRDS"],
    "lambda": ["AWSLambda"],
  ]

  /// Node types priced when the table has none yet (the shipped table's).
  public static let defaultNodeTypes = ["cache.t4g.micro", "cache.t3.micro", "cache.t4g.small", "cache.r7g.large"]
  static let engines: [(id: String, cacheEngine: String)] = [("valkey", "Valkey"), ("redis", "Redis")]
  /// Reserved terms: `LeaseContractLength` → costplan's term, `PurchaseOption` → costplan's payment.
  static let leases: [(lease: String, term: String)] = [("1yr", "1y"), ("3yr", "3y")]
  static let purchaseOptions: [(option: String, payment: String)] = [
    ("No Upfront", "no-upfront"), ("Partial Upfront", "partial-upfront"), ("All Upfront", "all-upfront"),
  ]

  /// Selectors for a service; `nodeTypes` lists the ElastiCache node types to price.
  public static func selectors(service: String, nodeTypes: [String]) -> [RateSelector] {
    let million = Decimal(1_000_000)
    switch service {
    case "s3":
      func storage(_ id: String, _ usage: String, _ attrs: [(String, [String])], required: Bool, offer: String = "AmazonS3",
        family: String? = "Storage", note: String) -> RateSelector
      {
        RateSelector(rateId: id, offerCode: offer, productFamily: family, usageType: usage, attributes: attrs,
          offerUnits: ["GB-Mo"], unit: "GB-month", per: 1, required: required, note: note)
      }
      return [
        storage("storage-standard", "TimedStorage-ByteHrs", [("volumeType", ["Standard"])], required: true, note: "[real] s3.json excerpt"),
        RateSelector(rateId: "requests-tier1", offerCode: "AmazonS3", productFamily: "API Request", usageType: "Requests-Tier1",
          attributes: [("group", ["S3-API-Tier1"])], offerUnits: ["Requests"], unit: "request", per: 1000, required: true,
          note: "[code] infracost, terrapod"),
        RateSelector(rateId: "requests-tier2", offerCode: "AmazonS3", productFamily: "API Request", usageType: "Requests-Tier2",
          attributes: [("group", ["S3-API-Tier2"])], offerUnits: ["Requests"], unit: "request", per: 1000, required: true,
          note: "[code] infracost, terrapod"),
        storage("storage-standard-ia", "TimedStorage-SIA-ByteHrs", [], required: false, note: "[weak] usage type from one source"),
        storage("storage-glacier-ir", "TimedStorage-GIR-ByteHrs", [], required: false, note: "unverified usage type"),
        storage("storage-glacier-flexible", "TimedStorage-GlacierByteHrs", [], required: false, note: "[weak] usage type from one source"),
        storage("storage-glacier-deep-archive", "TimedStorage-GDA-ByteHrs", [("volumeType", ["Glacier Deep Archive"])], required: true,
          offer: "AmazonS3GlacierDeepArchive", family: nil, note: "[real] s3glacierdeeparchive.json excerpt (no productFamily)"),
      ]
    case "dynamodb":
      let family = "Amazon DynamoDB PayPerRequest Throughput"
      return [
        RateSelector(rateId: "write-request-unit", offerCode: "AmazonDynamoDB", productFamily: family, usageType: "WriteRequestUnits",
          attributes: [("group", ["DDB-WriteUnits"])], offerUnits: ["WriteRequestUnits"], unit: "WRU", per: million, required: true,
          note: "[code] infracost, csp-pricing"),
        RateSelector(rateId: "read-request-unit", offerCode: "AmazonDynamoDB", productFamily: family, usageType: "ReadRequestUnits",
          attributes: [("group", ["DDB-ReadUnits"])], offerUnits: ["ReadRequestUnits"], unit: "RRU", per: million, required: true,
          note: "[code] infracost, csp-pricing"),
        RateSelector(rateId: "storage", offerCode: "AmazonDynamoDB", productFamily: "Database Storage", usageType: "TimedStorage-ByteHrs",
          attributes: [("volumeType", ["Amazon DynamoDB - Indexed DataStore"])], offerUnits: ["GB-Mo"], unit: "GB-month", per: 1,
          required: true, note: "[code] csp-pricing; the free 25 GB is a $0 first tier"),
        RateSelector(rateId: "write-request-unit-standard-ia", offerCode: "AmazonDynamoDB", productFamily: family, usageType: nil,
          attributes: [("group", ["DDB-WriteUnitsIA"])], offerUnits: ["WriteRequestUnits"], unit: "WRU", per: million, required: false,
          note: "[code] group name only"),
        RateSelector(rateId: "read-request-unit-standard-ia", offerCode: "AmazonDynamoDB", productFamily: family, usageType: nil,
          attributes: [("group", ["DDB-ReadUnitsIA"])], offerUnits: ["ReadRequestUnits"], unit: "RRU", per: million, required: false,
          note: "[code] group name only"),
        RateSelector(rateId: "storage-standard-ia", offerCode: "AmazonDynamoDB", productFamily: "Database Storage", usageType: "IA-TimedStorage-ByteHrs",
          attributes: [("volumeType", ["Amazon DynamoDB - Indexed DataStore - IA"])], offerUnits: ["GB-Mo"], unit: "GB-month", per: 1,
          required: false, note: "[code] csp-pricing"),
      ] + provisionedCapacity()
    case "elasticache":
      var out: [RateSelector] = []
      for node in nodeTypes {
        for e in engines {
          out.append(RateSelector(rateId: "node:\(node):\(e.id)", offerCode: "AmazonElastiCache", productFamily: "Cache Instance",
            usageType: "NodeUsage:\(node)", attributes: [("instanceType", [node]), ("cacheEngine", [e.cacheEngine])],
            offerUnits: ["Hrs"], unit: "hour", per: 1, required: true, readsMemory: true, note: "[code] infracost, terrapod"))
          // Reserved nodes: the same SKU's Reserved terms [real] elasticache-reserved.json (2025 offer excerpt).
          for (lease, term) in leases {
            for (option, payment) in purchaseOptions {
              let base = RateSelector(rateId: "", offerCode: "AmazonElastiCache", productFamily: "Cache Instance",
                usageType: "NodeUsage:\(node)", attributes: [("instanceType", [node]), ("cacheEngine", [e.cacheEngine])],
                offerUnits: ["Hrs"], unit: "hour", per: 1, required: false, note: "[real] elasticache-reserved.json")
              var hourly = base
              hourly.rateId = "node-reserved:\(node):\(e.id):\(term):\(payment)"
              hourly.reserved = .init(lease: lease, purchaseOption: option, fee: .hourly, hourlyUnits: ["Hrs"])
              var upfront = base
              upfront.rateId = "node-reserved-upfront:\(node):\(e.id):\(term):\(payment)"
              upfront.offerUnits = ["Quantity"]
              upfront.unit = "node-term"
              upfront.reserved = .init(lease: lease, purchaseOption: option, fee: .upfront, hourlyUnits: ["Hrs"])
              out.append(hourly)
              out.append(upfront)
            }
          }
        }
      }
      for e in engines {
        out.append(RateSelector(rateId: "serverless-storage:\(e.id)", offerCode: "AmazonElastiCache", productFamily: "ElastiCache Serverless",
          usageType: "CachedData:\(e.cacheEngine)", attributes: [], offerUnits: ["GB-Hrs", "GB-Hours", "GB-hour"], unit: "GB-hour", per: 1,
          required: false, note: "[weak] usage type from a billing catalogue"))
        out.append(RateSelector(rateId: "serverless-ecpu:\(e.id)", offerCode: "AmazonElastiCache", productFamily: "ElastiCache Serverless",
          usageType: "ElastiCacheProcessingUnits:\(e.cacheEngine)", attributes: [], offerUnits: ["ECPU", "ECPUs", "ElastiCacheProcessingUnits"],
          unit: "ECPU", per: million, required: false, note: "[weak] usage type from a billing catalogue"))
      }
      return out
    case "aurora":
      let engine = ("databaseEngine", ["Aurora PostgreSQL", "Any"])
      func r(_ id: String, _ family: String, _ usage: String, _ units: [String], _ unit: String, _ per: Decimal) -> RateSelector {
        RateSelector(rateId: id, offerCode: "AmazonRDS", productFamily: family, usageType: usage, attributes: [engine],
          offerUnits: units, unit: unit, per: per, required: true, note: "[code] infracost")
      }
      return [
        r("acu-hour", "ServerlessV2", "Aurora:ServerlessV2Usage", ["ACU-Hr", "ACU-Hrs"], "ACU-hour", 1),
        r("acu-hour-io-optimized", "ServerlessV2", "Aurora:ServerlessV2IOOptimizedUsage", ["ACU-Hr", "ACU-Hrs"], "ACU-hour", 1),
        r("storage", "Database Storage", "Aurora:StorageUsage", ["GB-Mo"], "GB-month", 1),
        r("storage-io-optimized", "Database Storage", "Aurora:IO-OptimizedStorageUsage", ["GB-Mo"], "GB-month", 1),
        r("io-request", "System Operation", "Aurora:StorageIOUsage", ["IOs"], "I/O", million),
        r("backup-storage", "Storage Snapshot", "Aurora:BackupUsage", ["GB-Mo"], "GB-month", 1),
      ]
    case "lambda":
      let seconds = ["Lambda-GB-Second", "GB-Second", "GB-Seconds", "seconds", "Second"]
      return [
        RateSelector(rateId: "request", offerCode: "AWSLambda", productFamily: "Serverless", usageType: "Request",
          attributes: [("group", ["AWS-Lambda-Requests"])], offerUnits: ["Requests", "Request"], unit: "request", per: million,
          required: true, note: "[code] infracost"),
        RateSelector(rateId: "gb-second", offerCode: "AWSLambda", productFamily: "Serverless", usageType: "Lambda-GB-Second",
          attributes: [("group", ["AWS-Lambda-Duration"])], offerUnits: seconds, unit: "GB-second", per: 1,
          required: true, note: "[code] infracost, terrapod"),
        RateSelector(rateId: "gb-second-arm", offerCode: "AWSLambda", productFamily: "Serverless", usageType: "Lambda-GB-Second-ARM",
          attributes: [("group", ["AWS-Lambda-Duration-ARM"])], offerUnits: seconds, unit: "GB-second", per: 1,
          required: true, note: "[code] infracost"),
      ]
    default:
      return []
    }
  }

  /// DynamoDB provisioned capacity: on-demand WCU/RCU-hours (Standard and Standard-IA) and reserved capacity, which is
  /// in the Reserved terms of the Standard provisioned SKUs (usage type `WriteCapacityUnit-Hrs`, operation
  /// `CommittedThroughput`). The `IA-` usage types lose "IA-" as if it were a Region prefix, so the Standard
  /// selectors also filter on `group` (the IA SKUs' group is `DDB-WriteUnitsIA` / `DDB-ReadUnitsIA`).
  static func provisionedCapacity() -> [RateSelector] {
    let family = "Provisioned IOPS"
    var out: [RateSelector] = []
    for (kind, usage, group, unit) in [("wcu", "WriteCapacityUnit-Hrs", "DDB-WriteUnits", "WCU"), ("rcu", "ReadCapacityUnit-Hrs", "DDB-ReadUnits", "RCU")] {
      let standard = RateSelector(rateId: "\(kind)-hour", offerCode: "AmazonDynamoDB", productFamily: family, usageType: usage,
        attributes: [("group", [group])], offerUnits: [usage], unit: "\(unit)-hour", per: 1, required: false,
        note: "[code] infracost (family, group), csp-pricing (unit); the free 25 units a month are a $0 first tier")
      out.append(standard)
      out.append(RateSelector(rateId: "\(kind)-hour-standard-ia", offerCode: "AmazonDynamoDB", productFamily: family, usageType: "IA-\(usage)",
        attributes: [], offerUnits: [usage], unit: "\(unit)-hour", per: 1, required: false,
        note: "[doc] usage type (DynamoDB billing page); [weak] family and unit from third-party fixtures"))
      for (lease, term) in leases {
        var hourly = standard
        hourly.rateId = "reserved-\(kind)-100:\(term)"
        hourly.unit = "hour"
        hourly.note = "[code] csp-pricing (Reserved units and descriptions from the 2022-01-03 offer)"
        hourly.reserved = .init(lease: lease, purchaseOption: nil, fee: .hourly, hourlyUnits: [usage], block: 100)
        var upfront = hourly
        upfront.rateId = "reserved-\(kind)-100:\(term)-upfront"
        upfront.offerUnits = ["Quantity"]
        upfront.unit = "100 \(unit)-term"
        upfront.reserved = .init(lease: lease, purchaseOption: nil, fee: .upfront, hourlyUnits: [usage], block: 100)
        out.append(hourly)
        out.append(upfront)
      }
    }
    return out
  }

  /// AWS's display names for Region codes, for products that carry only `location` (older offers).
  public static let locations: [String: [String]] = [
    "us-east-1": ["US East (N. Virginia)"], "us-east-2": ["US East (Ohio)"],
    "us-west-1": ["US West (N. California)"], "us-west-2": ["US West (Oregon)"],
    "ca-central-1": ["Canada (Central)"], "sa-east-1": ["South America (Sao Paulo)", "South America (São Paulo)"],
    "eu-west-1": ["EU (Ireland)", "Europe (Ireland)"], "eu-west-2": ["EU (London)", "Europe (London)"],
    "eu-west-3": ["EU (Paris)", "Europe (Paris)"], "eu-central-1": ["EU (Frankfurt)", "Europe (Frankfurt)"],
    "eu-north-1": ["EU (Stockholm)", "Europe (Stockholm)"], "eu-south-1": ["EU (Milan)", "Europe (Milan)"],
    "ap-northeast-1": ["Asia Pacific (Tokyo)"], "ap-northeast-2": ["Asia Pacific (Seoul)"],
    "ap-northeast-3": ["Asia Pacific (Osaka)", "Asia Pacific (Osaka-Local)"], "ap-southeast-1": ["Asia Pacific (Singapore)"],
    "ap-southeast-2": ["Asia Pacific (Sydney)"], "ap-south-1": ["Asia Pacific (Mumbai)"], "ap-east-1": ["Asia Pacific (Hong Kong)"],
    "me-south-1": ["Middle East (Bahrain)"], "af-south-1": ["Africa (Cape Town)"],
  ]

  /// Whether a product is priced for `region`: `regionCode` when the product has one, else `location`.
  public static func inRegion(_ p: OfferProduct, _ region: String) -> Bool {
    if let code = p.attributes["regionCode"] { return code == region }
    guard let loc = p.attributes["location"] else { return false }
    return locations[region]?.contains(loc) ?? false
  }
}
