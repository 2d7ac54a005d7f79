import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// Reserved terms: ElastiCache reserved nodes and DynamoDB reserved capacity.
struct ReservedPriceImportTests {
  static func fixture(_ name: String) throws -> String {
    try String(contentsOfFile: PriceListFiles.fixtures + "/" + name, encoding: .utf8)
  }

  static let c7gnTable = existingTable(
    "elasticache",
    """
    {"id":"node:cache.c7gn.large:valkey","unit":"hour","price":0.2,"attributes":{"memoryGiB":3.09}},
    {"id":"node:cache.c7gn.large:redis","unit":"hour","price":0.25,"attributes":{"memoryGiB":3.09}}
    """)

  /// The real excerpt with its Reserved terms where AWS files them (the test author filed them under "OnDemand").
  static func refiled() throws -> String {
    let text = try fixture("elasticache-reserved.json")
    #expect(text.components(separatedBy: "\"OnDemand\" :").count == 2)
    return text.replacingOccurrences(of: "\"OnDemand\" :", with: "\"Reserved\" :")
  }

  @Test func realElastiCacheExcerptAsFiledIsRefused() throws {
    // As found, the six reservations sit where OnDemand prices belong: six "OnDemand" terms on one SKU.
    let e = try PriceListFiles.failure(
      try Self.fixture("elasticache-reserved.json"), service: "elasticache",
      existing: Self.c7gnTable, partial: true)
    #expect(
      e.message.hasPrefix(
        "rate node:cache.c7gn.large:valkey: SKU 4D2E7K7G4GPM84WN has 6 OnDemand terms"))
    #expect(e.message.hasSuffix("refusing to pick one"))
  }

  @Test func realElastiCacheExcerptGivesSixReservationsOfTheValkeyNode() throws {
    // elasticache-reserved.json, SKU 4D2E7K7G4GPM84WN (cache.c7gn.large, Valkey), term by term:
    //   1yr No Upfront      4NA7Y494T4: 0.1384000000 Hrs, no Upfront Fee dimension  → hourly 0.1384, upfront 0
    //   1yr Partial Upfront HU7G6KETJZ: 0.0664000000 Hrs + 580.788 Quantity       → 0.0664, 580.788
    //   1yr All Upfront     6QCMYABX3D: 0.0000000000 Hrs + 1143.7056 Quantity     → 0, 1143.7056
    //   3yr No Upfront      BPH4J8HBKS: 0.1064000000 Hrs                          → 0.1064, 0
    //   3yr Partial Upfront 38NPMPTW36: 0.0488000000 Hrs + 1286.6688 Quantity     → 0.0488, 1286.6688
    //   3yr All Upfront     NQ3QZPMQV9: 0.0000000000 Hrs + 2412.504 Quantity      → 0, 2412.504
    // Sanity: 1yr partial = 580.788 + 0.0664 × 8760 h = 580.788 + 581.664 = 1162.452, a little above all-upfront's
    // 1143.7056 and below no-upfront's 0.1384 × 8760 = 1212.384.
    let r = try PriceListFiles.importing(
      try Self.refiled(), service: "elasticache", existing: Self.c7gnTable, partial: true)
    let t = try PriceListFiles.table(r, "elasticache")
    func price(_ id: String) -> Decimal? { t.rates.first { $0.id == id }?.price }
    let n = "cache.c7gn.large:valkey"
    let expected: [(String, String, String)] = [
      ("1y:no-upfront", "0.1384", "0"), ("1y:partial-upfront", "0.0664", "580.788"),
      ("1y:all-upfront", "0", "1143.7056"),
      ("3y:no-upfront", "0.1064", "0"), ("3y:partial-upfront", "0.0488", "1286.6688"),
      ("3y:all-upfront", "0", "2412.504"),
    ]
    for (term, hourly, upfront) in expected {
      #expect(price("node-reserved:\(n):\(term)") == Decimal(string: hourly), "\(term)")
      #expect(price("node-reserved-upfront:\(n):\(term)") == Decimal(string: upfront), "\(term)")
    }
    #expect(t.rates.first { $0.id == "node-reserved:\(n):1y:partial-upfront" }?.unit == "hour")
    #expect(
      t.rates.first { $0.id == "node-reserved-upfront:\(n):1y:partial-upfront" }?.unit
        == "node-term")
    // The node itself has no OnDemand term in the excerpt: --partial keeps the table's price.
    #expect(price("node:\(n)") == Decimal(string: "0.2"))
    #expect(
      r.kept.contains {
        $0.id == "node:\(n)" && $0.why.contains("no OnDemand term in this excerpt")
      })
    // Only the Valkey product is in the excerpt: the Redis SKU's terms are orphans and price nothing.
    #expect(!t.rates.contains { $0.id.contains(":redis:") })
    #expect(r.changes.count == 12)
    let change = try #require(r.changes.first { $0.id == "node-reserved:\(n):1y:partial-upfront" })
    #expect(change.sku == "4D2E7K7G4GPM84WN" && change.term == "4D2E7K7G4GPM84WN.HU7G6KETJZ")
    #expect(t.effectiveDate == "2025-06-24")
    #expect(
      t.source
        == "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonElastiCache/20250624130639/us-east-1/index.json"
    )
    // The table's rates first, then the new ones in the importer's order.
    #expect(
      t.rates.map(\.id).prefix(4) == [
        "node:\(n)", "node:cache.c7gn.large:redis", "node-reserved:\(n):1y:no-upfront",
        "node-reserved-upfront:\(n):1y:no-upfront",
      ])
  }

  /// A t4g.micro node offer (Valkey and Redis) with a full set of reservations for Valkey.
  static func nodeOffer() -> OfferBuilder {
    var b = OfferBuilder(offerCode: "AmazonElastiCache")
    for (engine, price) in [("Valkey", "0.0128000000"), ("Redis", "0.0160000000")] {
      b.add(
        "T4G-\(engine)", "Cache Instance",
        [
          "instanceType": "cache.t4g.micro", "cacheEngine": engine, "memory": "0.5 GiB",
          "usagetype": "NodeUsage:cache.t4g.micro",
        ], [.init(price: price, unit: "Hrs")])
    }
    b.reserve("T4G-Valkey", "NOUP1YEAR0", "1yr", "No Upfront", hourly: "0.0087000000", upfront: nil)
    b.reserve(
      "T4G-Valkey", "PART1YEAR0", "1yr", "Partial Upfront", hourly: "0.0041000000", upfront: "36")
    b.reserve(
      "T4G-Valkey", "ALLUP1YEAR", "1yr", "All Upfront", hourly: "0.0000000000", upfront: "71")
    b.reserve("T4G-Valkey", "NOUP3YEAR0", "3yr", "No Upfront", hourly: "0.0060000000", upfront: "0")
    return b
  }

  static let t4gTable = existingTable(
    "elasticache",
    """
    {"id":"node:cache.t4g.micro:valkey","unit":"hour","price":0.0125,"attributes":{"memoryGiB":0.5}},
    {"id":"node:cache.t4g.micro:redis","unit":"hour","price":0.016,"attributes":{"memoryGiB":0.5}},
    {"id":"node-reserved:cache.t4g.micro:redis:1y:no-upfront","unit":"hour","price":0.011,"description":"typed by hand"},
    {"id":"node-reserved:cache.t4g.micro:valkey:1y:no-upfront","unit":"hour","price":0.009,"description":"typed by hand"}
    """)

  @Test func reservationsTheOfferLacksAreKeptAndHandWrittenFieldsSurvive() throws {
    // Valkey 1yr No Upfront: 0.0087 per hour replaces the hand-typed 0.009 (its description stays). 1yr Partial:
    // 0.0041/h + 36 once. 1yr All Upfront: 0/h + 71. 3yr No Upfront's "Upfront Fee" of "0" is allowed: upfront 0.
    // Redis has no Reserved terms: its hand-typed reservation is kept, none is added.
    let r = try PriceListFiles.importing(
      Self.nodeOffer().bulk, service: "elasticache", existing: Self.t4gTable)
    let t = try PriceListFiles.table(r, "elasticache")
    func rate(_ id: String) -> Rate? { t.rates.first { $0.id == id } }
    let v = "cache.t4g.micro:valkey"
    #expect(rate("node-reserved:\(v):1y:no-upfront")?.price == Decimal(string: "0.0087"))
    #expect(rate("node-reserved:\(v):1y:no-upfront")?.description == "typed by hand")
    #expect(rate("node-reserved-upfront:\(v):1y:no-upfront")?.price == 0)
    #expect(rate("node-reserved:\(v):1y:partial-upfront")?.price == Decimal(string: "0.0041"))
    #expect(rate("node-reserved-upfront:\(v):1y:partial-upfront")?.price == 36)
    #expect(rate("node-reserved:\(v):1y:all-upfront")?.price == 0)
    #expect(rate("node-reserved-upfront:\(v):1y:all-upfront")?.price == 71)
    #expect(rate("node-reserved-upfront:\(v):3y:no-upfront")?.price == 0)
    // not in the offer, not in the table
    #expect(rate("node-reserved:\(v):3y:partial-upfront") == nil)
    let redis = try #require(rate("node-reserved:cache.t4g.micro:redis:1y:no-upfront"))
    #expect(
      redis.price == Decimal(string: "0.011") && redis.source == "hand-written"
        && redis.effectiveDate == "2025-01-01")
    #expect(
      r.kept.contains {
        $0.id == "node-reserved:cache.t4g.micro:redis:1y:no-upfront"
          && $0.why == "SKU T4G-Redis has no Reserved term 1yr No Upfront"
      })
    #expect(!t.rates.contains { $0.id.hasPrefix("node-reserved-upfront:cache.t4g.micro:redis") })
    let d = try #require(rate("node-reserved-upfront:\(v):1y:partial-upfront")?.description)
    #expect(
      d
        == "1yr Partial Upfront reservation: reserved capacity used this month; Upfront Fee (SKU T4G-Valkey, term T4G-Valkey.PART1YEAR0)"
    )
  }

  @Test func reservationsOnlyForNodeTypesTheTablePrices() throws {
    var b = Self.nodeOffer()
    b.add(
      "R7G-Valkey", "Cache Instance",
      [
        "instanceType": "cache.r7g.large", "cacheEngine": "Valkey", "memory": "13.07 GiB",
        "usagetype": "NodeUsage:cache.r7g.large",
      ], [.init(price: "0.1752000000", unit: "Hrs")])
    b.reserve("R7G-Valkey", "NOUP1YEAR0", "1yr", "No Upfront", hourly: "0.1100000000", upfront: nil)
    let r = try PriceListFiles.importing(b.bulk, service: "elasticache", existing: Self.t4gTable)
    #expect(!r.changes.contains { $0.id.contains("r7g") })
  }

  @Test func elastiCacheGetProductsShapeGivesTheSameReservations() throws {
    let bulk = try PriceListFiles.importing(
      Self.nodeOffer().bulk, service: "elasticache", existing: Self.t4gTable)
    let query = try PriceListFiles.importing(
      Self.nodeOffer().getProducts, service: "elasticache", existing: Self.t4gTable)
    #expect(bulk.changes.map { "\($0.id)=\($0.new)" } == query.changes.map { "\($0.id)=\($0.new)" })
    #expect(
      query.changes.contains {
        $0.id == "node-reserved-upfront:cache.t4g.micro:valkey:1y:all-upfront"
          && $0.new == "71 per node-term"
      })
  }

  @Test func dynamoDBReservedCapacityPerHundredUnits() throws {
    // dynamodb-provisioned.constructed.json prices ONE unit, as the offer does; costplan's rates are per block of 100:
    //   WCU 1yr: 0.0001280000 USD/WCU-hour × 100 = 0.0128 per hour; Upfront Fee 1.5 × 100 = 150 per 100 WCU-term
    //   WCU 3yr: 0.0000810000 × 100 = 0.0081;  1.8 × 100 = 180
    //   RCU 1yr: 0.0000250000 × 100 = 0.0025;  0.3 × 100 = 30
    //   RCU 3yr: 0.0000160000 × 100 = 0.0016;  0.36 × 100 = 36
    // On demand: WCU 0–18600 unit-hours at $0 (25 WCU × 744 h, the free tier) then 0.00065 → price 0.00065 with
    // freeQuantity 25 × 730 = 18250 (costplan's 730-hour month); RCU 0.00013 likewise; Standard-IA 0.00081 / 0.00016
    // with no free tier.
    // The excerpt has no request-unit or storage SKUs: --partial keeps the table's.
    let r = try PriceListFiles.importing(
      try Self.fixture("dynamodb-provisioned.constructed.json"), service: "dynamodb",
      existing: existingTable(
        "dynamodb",
        """
        {"id":"write-request-unit","unit":"WRU","price":0.625,"per":1000000},
        {"id":"read-request-unit","unit":"RRU","price":0.125,"per":1000000},
        {"id":"storage","unit":"GB-month","price":0.25,"freeQuantity":25}
        """), partial: true)
    let t = try PriceListFiles.table(r, "dynamodb")
    func rate(_ id: String) throws -> Rate { try #require(t.rates.first { $0.id == id }, "\(id)") }
    let expected: [(String, String, String)] = [
      ("reserved-wcu-100:1y", "0.0128", "hour"),
      ("reserved-wcu-100:1y-upfront", "150", "100 WCU-term"),
      ("reserved-wcu-100:3y", "0.0081", "hour"),
      ("reserved-wcu-100:3y-upfront", "180", "100 WCU-term"),
      ("reserved-rcu-100:1y", "0.0025", "hour"),
      ("reserved-rcu-100:1y-upfront", "30", "100 RCU-term"),
      ("reserved-rcu-100:3y", "0.0016", "hour"),
      ("reserved-rcu-100:3y-upfront", "36", "100 RCU-term"),
      ("wcu-hour", "0.00065", "WCU-hour"), ("rcu-hour", "0.00013", "RCU-hour"),
      ("wcu-hour-standard-ia", "0.00081", "WCU-hour"),
      ("rcu-hour-standard-ia", "0.00016", "RCU-hour"),
    ]
    for (id, price, unit) in expected {
      #expect(try rate(id).price == Decimal(string: price), "\(id)")
      #expect(try rate(id).unit == unit && rate(id).per == 1, "\(id)")
    }
    #expect(try rate("wcu-hour").freeQuantity == 18250 && rate("rcu-hour").freeQuantity == 18250)
    #expect(try rate("wcu-hour-standard-ia").freeQuantity == nil)
    #expect(
      r.changes.first { $0.id == "reserved-wcu-100:1y" }?.term == "CONSTRUCTEDWCU01.C1YRHEAVYU")
    // Exact decimals: 0.000128 × 100 is 0.0128, not 0.012799999….
    #expect(try DecimalText.plain(rate("reserved-wcu-100:1y").price!) == "0.0128")
    #expect(
      try rate("reserved-wcu-100:1y").description?.hasSuffix(
        "(SKU CONSTRUCTEDWCU01, term CONSTRUCTEDWCU01.C1YRHEAVYU, × 100 units)") == true)
  }

  @Test func dynamoDBWithoutReservedTermsImportsAsBefore() throws {
    // The existing on-demand offer has no provisioned products: no provisioned or reserved rate appears.
    let r = try PriceListFiles.importing(
      BuiltOfferImportTests.dynamoOffer().bulk, service: "dynamodb")
    #expect(!r.changes.contains { $0.id.contains("reserved") || $0.id.contains("cu-hour") })
  }

  // MARK: refusals

  /// One DynamoDB WCU SKU with 1yr and 3yr reservations, for the refusals to break.
  static func wcuOffer(_ edit: (inout OfferBuilder) -> Void = { _ in }) -> String {
    var b = BuiltOfferImportTests.dynamoOffer()
    b.add(
      "WCU", "Provisioned IOPS", ["group": "DDB-WriteUnits", "usagetype": "WriteCapacityUnit-Hrs"],
      [
        .init(begin: "0", end: "18600", price: "0.0000000000", unit: "WriteCapacityUnit-Hrs"),
        .init(begin: "18600", end: "Inf", price: "0.0006500000", unit: "WriteCapacityUnit-Hrs"),
      ])
    b.reserve(
      "WCU", "ONEYEAR000", "1yr", "Heavy Utilization", hourly: "0.0001280000",
      unit: "WriteCapacityUnit-Hrs", upfront: "1.5")
    b.reserve(
      "WCU", "THREEYEAR0", "3yr", "Heavy Utilization", hourly: "0.0000810000",
      unit: "WriteCapacityUnit-Hrs", upfront: "1.8")
    edit(&b)
    return b.bulk
  }

  @Test func theWCUOfferImports() throws {
    let t = try PriceListFiles.table(
      try PriceListFiles.importing(Self.wcuOffer(), service: "dynamodb"), "dynamodb")
    #expect(t.rates.first { $0.id == "reserved-wcu-100:3y-upfront" }?.price == 180)  // 1.8 × 100
  }

  @Test func twoTermsForTheSameLeaseAndPurchaseOptionAreAmbiguous() throws {
    let e = try PriceListFiles.failure(
      Self.wcuOffer { b in
        b.reserve(
          "WCU", "ONEYEARBIS", "1yr", "Heavy Utilization", hourly: "0.0001000000",
          unit: "WriteCapacityUnit-Hrs", upfront: "2")
      }, service: "dynamodb")
    #expect(
      e.message
        == "rate reserved-wcu-100:1y: SKU WCU has two Reserved terms for 1yr Heavy Utilization (WCU.ONEYEAR000 and WCU.ONEYEARBIS); refusing to pick one"
    )
    #expect(e.path == "terms.Reserved.WCU.WCU.ONEYEARBIS")
    #expect(e.position != nil)
  }

  @Test func dynamoDBTakesOnlyOneTermPerLease() throws {
    // costplan's DynamoDB ids carry no purchase option: two 1yr offers (say a new "Partial Upfront" beside "Heavy
    // Utilization") would need a choice, so the import refuses.
    let e = try PriceListFiles.failure(
      Self.wcuOffer { b in
        b.reserve(
          "WCU", "ONEYEARPAR", "1yr", "Partial Upfront", hourly: "0.0001000000",
          unit: "WriteCapacityUnit-Hrs", upfront: "2")
      }, service: "dynamodb")
    #expect(
      e.message
        == "rate reserved-wcu-100:1y: SKU WCU has 2 Reserved terms for 1yr: WCU.ONEYEAR000 (Heavy Utilization), WCU.ONEYEARPAR (Partial Upfront); refusing to pick one"
    )
  }

  @Test func elastiCacheDuplicateTermIsRefusedWithItsPath() throws {
    var b = Self.nodeOffer()
    b.reserve(
      "T4G-Valkey", "PART1YEAR1", "1yr", "Partial Upfront", hourly: "0.0040000000", upfront: "37")
    let e = try PriceListFiles.failure(b.bulk, service: "elasticache", existing: Self.t4gTable)
    #expect(
      e.message.hasSuffix(
        "SKU T4G-Valkey has two Reserved terms for 1yr Partial Upfront (T4G-Valkey.PART1YEAR0 and T4G-Valkey.PART1YEAR1); refusing to pick one"
      ))
    #expect(e.path == "terms.Reserved.T4G-Valkey.T4G-Valkey.PART1YEAR1")
  }

  @Test func aTermWithoutItsPurchaseOptionIsMalformed() throws {
    let e = try PriceListFiles.failure(
      Self.wcuOffer { b in b.reserved[0].attributes["PurchaseOption"] = nil }, service: "dynamodb")
    #expect(
      e.message
        == "rate reserved-wcu-100:1y: SKU WCU Reserved term WCU.ONEYEAR000 states no PurchaseOption; refusing to guess which reservation it prices"
    )
    #expect(e.path == "terms.Reserved.WCU.WCU.ONEYEAR000.termAttributes.PurchaseOption")
  }

  @Test func nonUSDReservedPriceIsRefused() throws {
    let bad = Self.wcuOffer().replacingOccurrences(
      of: "{\"USD\": \"1.8\"}", with: "{\"EUR\": \"1.8\"}")
    let e = try PriceListFiles.failure(bad, service: "dynamodb")
    #expect(e.message.contains("only USD prices are imported (found EUR)"))
    #expect(
      e.path
        == "terms.Reserved.WCU.WCU.THREEYEAR0.priceDimensions.WCU.THREEYEAR0.RC1.pricePerUnit.USD")
  }

  @Test func upfrontFeeOutsideQuantityIsRefused() throws {
    let e = try PriceListFiles.failure(
      Self.wcuOffer { b in b.reserved[1].dims[1].unit = "Hrs" }, service: "dynamodb")
    #expect(
      e.message
        == "rate reserved-wcu-100:3y: SKU WCU Reserved term WCU.THREEYEAR0 (3yr Heavy Utilization): rate code WCU.THREEYEAR0.RC1: upfront fee in unit \"Hrs\", expected \"Quantity\" (one payment per reservation)"
    )
    #expect(e.path == "terms.Reserved.WCU.WCU.THREEYEAR0.priceDimensions.WCU.THREEYEAR0.RC1")
  }

  @Test func unknownRecurringUnitAndMissingFeesAreRefused() throws {
    let unit = try PriceListFiles.failure(
      Self.wcuOffer { b in b.reserved[0].dims[0].unit = "Hrs" }, service: "dynamodb")
    #expect(
      unit.message.contains(
        "rate code WCU.ONEYEAR000.RC0: unit \"Hrs\" is not one the importer knows for this rate (expected \"WriteCapacityUnit-Hrs\""
      ))
    let noFee = try PriceListFiles.failure(
      Self.wcuOffer { b in b.reserved[0].dims.removeLast() }, service: "dynamodb")
    #expect(
      noFee.message
        == "rate reserved-wcu-100:1y: SKU WCU Reserved term WCU.ONEYEAR000 (1yr Heavy Utilization): no upfront fee"
    )
    var b = Self.nodeOffer()
    b.reserve(
      "T4G-Valkey", "NOUP3YEAR1", "3yr", "All Upfront", hourly: "0.0010000000", upfront: "100")
    let allUp = try PriceListFiles.failure(b.bulk, service: "elasticache", existing: Self.t4gTable)
    #expect(
      allUp.message.hasSuffix(
        "Reserved term T4G-Valkey.NOUP3YEAR1 (3yr All Upfront): an All Upfront term with a recurring fee of 0.001"
      ))
  }

  @Test func aBlockPricedHourlyFeeIsNotScaledAgain() throws {
    // If an offer priced the block of 100 (0.0128 per hour) instead of one unit, × 100 would give 1.28 per hour:
    // 0.0128 is not below the on-demand 0.00065 per unit, so the import refuses.
    let e = try PriceListFiles.failure(
      Self.wcuOffer { b in b.reserved[0].dims[0].price = "0.0128000000" }, service: "dynamodb")
    #expect(
      e.message.hasSuffix(
        "the reserved hourly fee 0.0128 per unit is not below the on-demand 0.00065 per unit; the offer may already price a block of 100, refusing to scale it"
      ))
  }

  @Test func aTableUnitThatDisagreesIsRefused() throws {
    let existing = existingTable(
      "dynamodb", #"{"id":"reserved-wcu-100:1y","unit":"month","price":9}"#)
    let e = try PriceListFiles.failure(Self.wcuOffer(), service: "dynamodb", existing: existing)
    #expect(
      e.message
        == "rate reserved-wcu-100:1y: the table prices it per \"month\", the import per \"hour\"; fix the table's unit first"
    )
  }

  @Test func onlyWantedSKUsKeepTheirReservedTermsWhileStreaming() throws {
    // 6,000 filler node products, each with a 1yr reservation, around the wanted one; read in 4 KB chunks.
    var b = Self.nodeOffer()
    for i in 0..<6_000 {
      let sku = String(format: "FILL%06d", i)
      b.add(
        sku, "Cache Instance",
        [
          "instanceType": "cache.m5.large", "cacheEngine": "Redis",
          "usagetype": "NodeUsage:cache.m5.large",
        ],
        [.init(price: "0.1560000000", unit: "Hrs")])
      b.reserve(sku, "NOUP1YEAR0", "1yr", "No Upfront", hourly: "0.1000000000", upfront: nil)
    }
    let text = b.bulk
    #expect(text.utf8.count > 4_000_000)
    let path = try PriceListFiles.write(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sels = RateSelectors.selectors(service: "elasticache", nodeTypes: ["cache.t4g.micro"])
    let offer = try OfferReader.read(
      path: path, display: "offer.json", chunkSize: 4096,
      keepReserved: { p in sels.contains { $0.reserved != nil && $0.matches(p) } },
      keep: { p in sels.contains { $0.matches(p) } })
    #expect(offer.productCount == 6_002)
    #expect(Set(offer.reserved.keys) == ["T4G-Valkey"])
    #expect(offer.reserved["T4G-Valkey"]?.count == 4)
    #expect(offer.peakBufferedBytes < 16_384)
  }
}
