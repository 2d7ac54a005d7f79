import Foundation

/// How one costplan rate is found in an AWS offer: product family, the usage type after its optional Region
/// prefix, and attributes (AWS Billing User Guide, "Reading the service price list file"). Exactly one SKU must match; never "first match".
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
  /// The offer's free first tier is unit-hours over a 744-hour month (DynamoDB's 25 free WCU/RCU): scale it to
  /// costplan's 730-hour month (docs/model.md §1).
  public var freeTierIn744HourMonths = false
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
    let ok =
      (2...4).contains(letters.count)
      && (rest.isEmpty || (rest.count == 1 && rest.first!.isASCII && rest.first!.isNumber))
    return ok ? String(usageType[usageType.index(after: dash)...]) : usageType
  }

  public func matches(_ p: OfferProduct) -> Bool {
    if let productFamily, p.productFamily != productFamily { return false }
    if let usageType {
      guard let u = p.attributes["usagetype"], u == usageType || Self.usageSuffix(u) == usageType
      else { return false }
      // surcharge SKUs share the node's usage type tail
      if u.contains("ExtendedSupport") { return false }
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
  /// The offers each rate file is imported from (from the service catalog).
  public static var offerCodes: [String: [String]] {
    Dictionary(uniqueKeysWithValues: ServiceCatalog.rateFiles.map { ($0.name, $0.offerCodes) })
  }

  /// Node types priced when the table has none yet (the shipped table's).
  public static let defaultNodeTypes = [
    "cache.t4g.micro", "cache.t3.micro", "cache.t4g.small", "cache.r7g.large",
  ]
  static let engines: [(id: String, cacheEngine: String)] = [
    ("valkey", "Valkey"), ("redis", "Redis"),
  ]
  /// Reserved terms: `LeaseContractLength` → costplan's term, `PurchaseOption` → costplan's payment.
  static let leases: [(lease: String, term: String)] = [("1yr", "1y"), ("3yr", "3y")]
  static let purchaseOptions: [(option: String, payment: String)] = [
    ("No Upfront", "no-upfront"), ("Partial Upfront", "partial-upfront"),
    ("All Upfront", "all-upfront"),
  ]

  /// Selectors for a rate file (each service's folder holds its own); `nodeTypes` lists the ElastiCache node types to price.
  public static func selectors(service: String, nodeTypes: [String]) -> [RateSelector] {
    ServiceCatalog.rateFile(service)?.selectors(nodeTypes) ?? []
  }

  /// AWS's display names for Region codes, for products that carry only `location` (older offers).
  public static let locations: [String: [String]] = [
    "us-east-1": ["US East (N. Virginia)"], "us-east-2": ["US East (Ohio)"],
    "us-west-1": ["US West (N. California)"], "us-west-2": ["US West (Oregon)"],
    "ca-central-1": ["Canada (Central)"],
    "sa-east-1": ["South America (Sao Paulo)", "South America (São Paulo)"],
    "eu-west-1": ["EU (Ireland)", "Europe (Ireland)"],
    "eu-west-2": ["EU (London)", "Europe (London)"],
    "eu-west-3": ["EU (Paris)", "Europe (Paris)"],
    "eu-central-1": ["EU (Frankfurt)", "Europe (Frankfurt)"],
    "eu-north-1": ["EU (Stockholm)", "Europe (Stockholm)"],
    "eu-south-1": ["EU (Milan)", "Europe (Milan)"],
    "ap-northeast-1": ["Asia Pacific (Tokyo)"], "ap-northeast-2": ["Asia Pacific (Seoul)"],
    "ap-northeast-3": ["Asia Pacific (Osaka)", "Asia Pacific (Osaka-Local)"],
    "ap-southeast-1": ["Asia Pacific (Singapore)"],
    "ap-southeast-2": ["Asia Pacific (Sydney)"], "ap-south-1": ["Asia Pacific (Mumbai)"],
    "ap-east-1": ["Asia Pacific (Hong Kong)"],
    "me-south-1": ["Middle East (Bahrain)"], "af-south-1": ["Africa (Cape Town)"],
  ]

  /// Whether a product is priced for `region`: `regionCode` when the product has one, else `location`.
  public static func inRegion(_ p: OfferProduct, _ region: String) -> Bool {
    if let code = p.attributes["regionCode"] { return code == region }
    guard let loc = p.attributes["location"] else { return false }
    return locations[region]?.contains(loc) ?? false
  }
}
