import Foundation

// DynamoDB (docs/model.md §3.2): settings, latency, traits, rate files.

public struct DynamoDBSettings: ServiceSettings {
  public enum Layout: String, Sendable, CaseIterable {
    case itemPerRecord = "item-per-record"
    case itemPerEntity = "item-per-entity"
  }
  public enum TableClass: String, Sendable, CaseIterable {
    case standard
    case standardIA = "standard-ia"
  }
  public enum Capacity: String, Sendable, CaseIterable {
    case onDemand = "on-demand"
    case provisioned
  }
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

public struct DynamoDBService: StorageService {
  public let id = "dynamodb"
  public let fields = [
    "layout", "consistentReads", "pitr", "tableClass", "capacity", "targetUtilization", "minWCU",
    "minRCU",
    "reservedWCU", "reservedRCU", "reservedTerm", "ttlLagDays", "savingsPlan",
  ]

  public var rateFiles: [RateFile] {
    [RateFile(name: "dynamodb", offerCodes: ["AmazonDynamoDB"]) { _ in Self.selectors() }]
  }

  public func parse(
    _ r: JSONObjectReader, note: (String, String) -> Void, ranges: inout [String: InputRange]
  ) throws(DataError)
    -> (ServiceSettings, SavingsPlanSpec?)
  {
    let d = try Self.parseDynamoDB(r, note: note)
    let plan = try SavingsPlanSpec.parse(r)
    if plan != nil, d.reserved {
      throw r.error(
        "savingsPlan",
        "a savings plan cannot cover an option with reserved capacity (reservedWCU or reservedRCU): choose one commitment",
        at: r.node("savingsPlan"))
    }
    return (d, plan)
  }

  static func parseDynamoDB(_ r: JSONObjectReader, note: (String, String) -> Void) throws(DataError)
    -> DynamoDBSettings
  {
    note("layout", "layout = item-per-record")
    note("consistentReads", "consistentReads = false (eventually consistent reads, half price)")
    let layout = DynamoDBSettings.Layout(
      rawValue: try r.choice(
        "layout", DynamoDBSettings.Layout.allCases.map(\.rawValue), default: "item-per-record"))!
    var d = DynamoDBSettings(
      layout: layout, consistentReads: try r.bool("consistentReads", default: false),
      pitr: try r.bool("pitr", default: false))
    d.tableClass = .init(
      rawValue: try r.choice(
        "tableClass", DynamoDBSettings.TableClass.allCases.map(\.rawValue), default: "standard"))!
    d.capacity = .init(
      rawValue: try r.choice(
        "capacity", DynamoDBSettings.Capacity.allCases.map(\.rawValue), default: "on-demand"))!
    note(
      "ttlLagDays",
      "ttlLagDays = 2 (assumption: TTL deletes an expired item within a few days, and DynamoDB bills it until then)"
    )
    d.ttlLagDays = try r.decimal("ttlLagDays", .nonNegative, default: 2)
    if d.ttlLagDays > 3650 {
      throw r.error(
        "ttlLagDays", "expected at most 3650 days, found \(d.ttlLagDays)", at: r.node("ttlLagDays"))
    }
    let provisionedOnly = [
      "targetUtilization", "minWCU", "minRCU", "reservedWCU", "reservedRCU", "reservedTerm",
    ]
    if d.capacity == .onDemand {
      for key in provisionedOnly where r.has(key) {
        let what = key.hasPrefix("reserved") ? "reserved capacity needs" : "only with"
        throw r.error(
          key, "\(what) capacity \"provisioned\" (this table is on-demand)", at: r.node(key))
      }
      return d
    }
    note(
      "targetUtilization",
      "targetUtilization = 0.7 (auto scaling keeps consumed capacity at 70% of provisioned)")
    d.targetUtilization = try r.decimal(
      "targetUtilization", .positive, default: Decimal(string: "0.7")!)
    if d.targetUtilization < Decimal(string: "0.2")!
      || d.targetUtilization > Decimal(string: "0.9")!
    {
      throw r.error(
        "targetUtilization",
        "expected a fraction from 0.2 to 0.9 (DynamoDB auto scaling's range), found \(d.targetUtilization)",
        at: r.node("targetUtilization"))
    }
    d.minWCU = Decimal(try r.integer("minWCU", .positiveInteger, max: 40_000_000, default: 1))
    d.minRCU = Decimal(try r.integer("minRCU", .positiveInteger, max: 40_000_000, default: 1))
    for key in ["reservedWCU", "reservedRCU"] {
      let v = Decimal(try r.integer(key, .nonNegativeInteger, max: 1_000_000_000, default: 0))
      if !(v / 100).isInteger {
        throw r.error(
          key,
          "expected a multiple of 100 (reserved capacity is sold in blocks of 100 units), found \(v)",
          at: r.node(key))
      }
      if v > 0 && d.tableClass == .standardIA {
        throw r.error(
          key,
          "reserved capacity is sold for the Standard table class only; this table is standard-ia",
          at: r.node(key))
      }
      if key == "reservedWCU" { d.reservedWCU = v } else { d.reservedRCU = v }
    }
    d.reservedTerm = CommitmentTerm(
      rawValue: try r.choice("reservedTerm", CommitmentTerm.allCases.map(\.rawValue), default: "1y")
    )!
    return d
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Decimal>)
    throws(MissingRate)
  {
    try DynamoDBPricing.price(option.settings as! DynamoDBSettings, into: &ctx)
  }

  public func price(_ option: OptionSpec, into ctx: inout PricingContext<Double>)
    throws(MissingRate)
  {
    try DynamoDBPricing.price(option.settings as! DynamoDBSettings, into: &ctx)
  }

  public func doublePricer(_ option: OptionSpec) -> DoublePricer {
    let s = option.settings as! DynamoDBSettings
    return { ctx throws(MissingRate) in try DynamoDBPricing.price(s, into: &ctx) }
  }

  public func lanesPricer(_ option: OptionSpec) -> LanesPricer? {
    let s = option.settings as! DynamoDBSettings
    return { ctx throws(MissingRate) in try DynamoDBPricing.price(s, into: &ctx) }
  }

  public func latencyOperations(_ option: OptionSpec) -> [String] {
    (option.settings as! DynamoDBSettings).layout == .itemPerRecord
      ? ["dynamodb.query", "dynamodb.putItem"] : ["dynamodb.getItem", "dynamodb.updateItem"]
  }

  public func latency(_ e: LatencyInputs, ops: [String: LatencyDistribution], table: LatencyTable)
    -> (read: LatencyDistribution, write: LatencyDistribution)
  {
    let perRecord = (e.option.settings as! DynamoDBSettings).layout == .itemPerRecord
    return perRecord
      ? (ops["dynamodb.query"]!, ops["dynamodb.putItem"]!)
      : (ops["dynamodb.getItem"]!, ops["dynamodb.updateItem"]!)
  }

  /// A system of record with native TTL; operations 0.9.
  public func traits(_ option: OptionSpec) -> ServiceTraits {
    ServiceTraits(durability: 1, ttl: 1, operations: 0.9)
  }

  public func describe(_ option: OptionSpec) -> String {
    let s = option.settings as! DynamoDBSettings
    var d = "DynamoDB "
    if s.capacity == .onDemand {
      d += "on-demand"
    } else {
      d += "provisioned (auto scaling at \(s.targetUtilization * 100)%"
      var reserved: [String] = []
      if s.reservedWCU > 0 { reserved.append("\(s.reservedWCU) WCU") }
      if s.reservedRCU > 0 { reserved.append("\(s.reservedRCU) RCU") }
      if !reserved.isEmpty {
        d += ", \(reserved.joined(separator: " + ")) reserved \(s.reservedTerm.rawValue)"
      }
      d += ")"
    }
    if s.tableClass == .standardIA { d += ", Standard-IA" }
    return d
      + ", \(s.layout.rawValue)\(s.consistentReads ? ", strong reads" : "")\(s.pitr ? ", PITR" : "")"
      + SavingsPlanSpec.describe(option)
  }

  static func selectors() -> [RateSelector] {
    let million = Decimal(1_000_000)
    let family = "Amazon DynamoDB PayPerRequest Throughput"
    return [
      RateSelector(
        rateId: "write-request-unit", offerCode: "AmazonDynamoDB", productFamily: family,
        usageType: "WriteRequestUnits",
        attributes: [("group", ["DDB-WriteUnits"])], offerUnits: ["WriteRequestUnits"], unit: "WRU",
        per: million, required: true,
        note: "[code] infracost, csp-pricing"),
      RateSelector(
        rateId: "read-request-unit", offerCode: "AmazonDynamoDB", productFamily: family,
        usageType: "ReadRequestUnits",
        attributes: [("group", ["DDB-ReadUnits"])], offerUnits: ["ReadRequestUnits"], unit: "RRU",
        per: million, required: true,
        note: "[code] infracost, csp-pricing"),
      RateSelector(
        rateId: "storage", offerCode: "AmazonDynamoDB", productFamily: "Database Storage",
        usageType: "TimedStorage-ByteHrs",
        attributes: [("volumeType", ["Amazon DynamoDB - Indexed DataStore"])],
        offerUnits: ["GB-Mo"], unit: "GB-month", per: 1,
        required: true, note: "[code] csp-pricing; the free 25 GB is a $0 first tier"),
      RateSelector(
        rateId: "write-request-unit-standard-ia", offerCode: "AmazonDynamoDB",
        productFamily: family, usageType: nil,
        attributes: [("group", ["DDB-WriteUnitsIA"])], offerUnits: ["WriteRequestUnits"],
        unit: "WRU", per: million, required: false,
        note: "[code] group name only"),
      RateSelector(
        rateId: "read-request-unit-standard-ia", offerCode: "AmazonDynamoDB", productFamily: family,
        usageType: nil,
        attributes: [("group", ["DDB-ReadUnitsIA"])], offerUnits: ["ReadRequestUnits"], unit: "RRU",
        per: million, required: false,
        note: "[code] group name only"),
      RateSelector(
        rateId: "storage-standard-ia", offerCode: "AmazonDynamoDB",
        productFamily: "Database Storage", usageType: "IA-TimedStorage-ByteHrs",
        attributes: [("volumeType", ["Amazon DynamoDB - Indexed DataStore - IA"])],
        offerUnits: ["GB-Mo"], unit: "GB-month", per: 1,
        required: false, note: "[code] csp-pricing"),
    ] + provisionedCapacity()
  }

  /// DynamoDB provisioned capacity: on-demand WCU/RCU-hours (Standard and Standard-IA) and reserved capacity, which is
  /// in the Reserved terms of the Standard provisioned SKUs (usage type `WriteCapacityUnit-Hrs`, operation
  /// `CommittedThroughput`). The `IA-` usage types lose "IA-" as if it were a Region prefix, so the Standard
  /// selectors also filter on `group` (the IA SKUs' group is `DDB-WriteUnitsIA` / `DDB-ReadUnitsIA`).
  static func provisionedCapacity() -> [RateSelector] {
    let family = "Provisioned IOPS"
    var out: [RateSelector] = []
    for (kind, usage, group, unit) in [
      ("wcu", "WriteCapacityUnit-Hrs", "DDB-WriteUnits", "WCU"),
      ("rcu", "ReadCapacityUnit-Hrs", "DDB-ReadUnits", "RCU"),
    ] {
      var standard = RateSelector(
        rateId: "\(kind)-hour", offerCode: "AmazonDynamoDB", productFamily: family,
        usageType: usage,
        attributes: [("group", [group])], offerUnits: [usage], unit: "\(unit)-hour", per: 1,
        required: false,
        note:
          "[code] infracost (family, group), csp-pricing (unit); the free 25 units a month are a $0 first tier"
      )
      standard.freeTierIn744HourMonths = true
      out.append(standard)
      out.append(
        RateSelector(
          rateId: "\(kind)-hour-standard-ia", offerCode: "AmazonDynamoDB", productFamily: family,
          usageType: "IA-\(usage)",
          attributes: [], offerUnits: [usage], unit: "\(unit)-hour", per: 1, required: false,
          note:
            "[doc] usage type (DynamoDB billing page); [weak] family and unit from third-party fixtures"
        ))
      for (lease, term) in RateSelectors.leases {
        var hourly = standard
        hourly.freeTierIn744HourMonths = false
        hourly.rateId = "reserved-\(kind)-100:\(term)"
        hourly.unit = "hour"
        hourly.note =
          "[code] csp-pricing (Reserved units and descriptions from the 2022-01-03 offer)"
        hourly.reserved = .init(
          lease: lease, purchaseOption: nil, fee: .hourly, hourlyUnits: [usage], block: 100)
        var upfront = hourly
        upfront.rateId = "reserved-\(kind)-100:\(term)-upfront"
        upfront.offerUnits = ["Quantity"]
        upfront.unit = "100 \(unit)-term"
        upfront.reserved = .init(
          lease: lease, purchaseOption: nil, fee: .upfront, hourlyUnits: [usage], block: 100)
        out.append(hourly)
        out.append(upfront)
      }
    }
    return out
  }

}
