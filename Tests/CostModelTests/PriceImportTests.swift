import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// Builds offer files in the shape of the real ones (AWS Billing User Guide, "Reading the service price list file for an AWS service"): products keyed by
/// SKU, OnDemand terms keyed by SKU then `<sku>.JRTCKXETXF`, prices as 10-digit decimal strings.
struct OfferBuilder {
  struct Dim {
    var begin: String? = "0"
    var end: String? = "Inf"
    var price: String
    var unit: String
  }
  var offerCode: String
  var products: [(sku: String, family: String?, attributes: [String: String], dims: [Dim])] = []
  var publicationDate = "2026-10-01T00:00:00Z"
  var version = "20261001000000"
  /// Reserved terms, keyed by SKU then `<sku>.<code>` like the OnDemand ones; an "Upfront Fee" has no range.
  struct ReservedDim {
    var description: String
    var unit: String
    var price: String
    var ranged = true
  }
  struct Reserved {
    var sku: String
    var code: String
    var attributes: [String: String]
    var dims: [ReservedDim]
  }
  var reserved: [Reserved] = []

  mutating func reserve(
    _ sku: String, _ code: String, _ lease: String, _ option: String, hourly: String?,
    unit: String = "Hrs",
    upfront: String?, offeringClass: String = "standard"
  ) {
    var dims: [ReservedDim] = []
    if let hourly {
      dims.append(
        .init(description: "reserved capacity used this month", unit: unit, price: hourly))
    }
    if let upfront {
      dims.append(
        .init(description: "Upfront Fee", unit: "Quantity", price: upfront, ranged: false))
    }
    reserved.append(
      .init(
        sku: sku, code: code,
        attributes: [
          "LeaseContractLength": lease, "PurchaseOption": option, "OfferingClass": offeringClass,
        ], dims: dims))
  }

  func reservedTermJSON(_ t: Reserved) -> String {
    let dims = t.dims.enumerated().map { (i, d) in
      let rc = "\(t.sku).\(t.code).RC\(i)"
      var f = ["\"rateCode\": \(Self.q(rc))", "\"description\": \(Self.q(d.description))"]
      if d.ranged { f += ["\"beginRange\": \"0\"", "\"endRange\": \"Inf\""] }
      f += [
        "\"unit\": \(Self.q(d.unit))", "\"pricePerUnit\": {\"USD\": \(Self.q(d.price))}",
        "\"appliesTo\": []",
      ]
      return "\(Self.q(rc)): {\(f.joined(separator: ", "))}"
    }.joined(separator: ", ")
    let attrs = t.attributes.keys.sorted().map { "\(Self.q($0)): \(Self.q(t.attributes[$0]!))" }
      .joined(separator: ", ")
    return
      "\(Self.q(t.sku + "." + t.code)): {\"offerTermCode\": \(Self.q(t.code)), \"sku\": \(Self.q(t.sku)), \"effectiveDate\": \"2026-10-01T00:00:00Z\", \"priceDimensions\": {\(dims)}, \"termAttributes\": {\(attrs)}}"
  }

  /// `terms.Reserved` of the bulk file: `{ <sku>: { <sku>.<code>: term } }`, SKUs in the order first reserved.
  var reservedJSON: String {
    var skus: [String] = []
    for t in reserved where !skus.contains(t.sku) { skus.append(t.sku) }
    return skus.map { sku in
      "\(Self.q(sku)): {"
        + reserved.filter { $0.sku == sku }.map(reservedTermJSON).joined(separator: ", ") + "}"
    }.joined(separator: ",\n")
  }

  mutating func add(_ sku: String, _ family: String?, _ attributes: [String: String], _ dims: [Dim])
  {
    var a = attributes
    if a["servicecode"] == nil { a["servicecode"] = offerCode }
    if a["regionCode"] == nil && a["location"] == nil {
      a["regionCode"] = "us-east-1"
      a["location"] = "US East (N. Virginia)"
    }
    products.append((sku, family, a, dims))
  }

  static func q(_ s: String) -> String { JSONReport.q(s) }

  func productJSON(_ p: (sku: String, family: String?, attributes: [String: String], dims: [Dim]))
    -> String
  {
    let attrs = p.attributes.keys.sorted().map { "\(Self.q($0)): \(Self.q(p.attributes[$0]!))" }
      .joined(separator: ", ")
    return "{\"sku\": \(Self.q(p.sku)), "
      + (p.family.map { "\"productFamily\": \(Self.q($0)), " } ?? "")
      + "\"attributes\": {\(attrs)}}"
  }

  func termJSON(_ p: (sku: String, family: String?, attributes: [String: String], dims: [Dim]))
    -> String
  {
    let dims = p.dims.enumerated().map { (i, d) in
      let rc = "\(p.sku).JRTCKXETXF.RC\(i)"
      var f = [
        "\"rateCode\": \(Self.q(rc))", "\"description\": \"$\(d.price) per \(d.unit)\"",
        "\"unit\": \(Self.q(d.unit))",
      ]
      if let b = d.begin { f.append("\"beginRange\": \(Self.q(b))") }
      if let e = d.end { f.append("\"endRange\": \(Self.q(e))") }
      f.append("\"pricePerUnit\": {\"USD\": \(Self.q(d.price))}")
      f.append("\"appliesTo\": []")
      return "\(Self.q(rc)): {\(f.joined(separator: ", "))}"
    }.joined(separator: ", ")
    return
      "{\"\(p.sku).JRTCKXETXF\": {\"offerTermCode\": \"JRTCKXETXF\", \"sku\": \(Self.q(p.sku)), \"effectiveDate\": \"2026-10-01T00:00:00Z\", \"priceDimensions\": {\(dims)}, \"termAttributes\": {}}}"
  }

  var bulk: String {
    let products = self.products.map { "\(Self.q($0.sku)): \(productJSON($0))" }.joined(
      separator: ",\n")
    let terms = self.products.map { "\(Self.q($0.sku)): \(termJSON($0))" }.joined(separator: ",\n")
    return """
      {"formatVersion": "v1.0", "disclaimer": "test", "offerCode": \(Self.q(offerCode)), "version": \(Self.q(version)),
       "publicationDate": \(Self.q(publicationDate)),
       "products": {\(products)},
       "terms": {"OnDemand": {\(terms)}, "Reserved": {\(reservedJSON)}}}
      """
  }

  /// The same products as a GetProducts response: each element a JSON *string*, terms keyed by `<sku>.<term>`.
  var getProducts: String {
    let items = products.map { p -> String in
      let r = reserved.filter { $0.sku == p.sku }.map(reservedTermJSON).joined(separator: ", ")
      let inner =
        "{\"product\": \(productJSON(p)), \"serviceCode\": \(Self.q(offerCode)), \"terms\": {\"OnDemand\": \(termJSON(p)), \"Reserved\": {\(r)}}, \"version\": \(Self.q(version)), \"publicationDate\": \(Self.q(publicationDate))}"
      return Self.q(inner)
    }
    return "{\"FormatVersion\": \"aws_v1\", \"PriceList\": [\(items.joined(separator: ", "))]}"
  }
}

enum PriceListFiles {
  static let fixtures: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<2 { url.deleteLastPathComponent() }
    return url.path + "/Fixtures/pricelist"
  }()

  static func write(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "costplan-offer-\(UUID().uuidString).json"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func importing(
    _ text: String, service: String, region: String = "us-east-1", existing: String? = nil,
    partial: Bool = false, chunkSize: Int = 1 << 20
  ) throws -> PriceImport.Result {
    let path = try write(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let table = try existing.map { try Fixtures.table($0, service) }
    return try PriceImport.run(
      offerPath: path, display: "offer.json", service: service, region: region, existing: table,
      partial: partial, chunkSize: chunkSize)
  }

  static func table(_ r: PriceImport.Result, _ service: String) throws -> RateTable {
    try RateTable.parse(
      try JSONParser.parse(Data(r.text.utf8), file: "out.json"), file: "out.json",
      expectedService: service)
  }

  /// The DataError an import throws (the test fails if it succeeds).
  static func failure(
    _ text: String, service: String, region: String = "us-east-1", existing: String? = nil,
    partial: Bool = false
  ) throws -> DataError {
    do {
      _ = try importing(
        text, service: service, region: region, existing: existing, partial: partial)
    } catch let e as DataError {
      return e
    }
    Issue.record("expected the import to fail")
    return DataError(file: "", message: "")
  }
}

/// An existing us-east-1 table, as `pricing import` finds it at its destination.
func existingTable(_ service: String, _ rates: String) -> String {
  """
  {"version":1,"provider":"aws","service":"\(service)","region":"us-east-1","currency":"USD","effectiveDate":"2025-01-01",
   "source":"hand-written","rates":[\(rates)]}
  """
}

struct RealExcerptImportTests {
  static func fixture(_ name: String) throws -> String {
    try String(contentsOfFile: PriceListFiles.fixtures + "/" + name, encoding: .utf8)
  }

  @Test func s3StandardTiersFromTheRealExcerpt() throws {
    // s3.json: SKU WP9ANXZGBYYSGJEA, three GB-Mo tiers 0–51200 at 0.0230000000, 51200–512000 at 0.0220000000,
    // 512000–Inf at 0.0210000000. costplan's tiers keep the upper bounds: upTo 51200, upTo 512000, then open.
    let existing = existingTable(
      "s3",
      """
      {"id":"storage-standard","unit":"GB-month","price":0.03},
      {"id":"requests-tier1","unit":"request","price":0.005,"per":1000},
      {"id":"requests-tier2","unit":"request","price":0.0004,"per":1000}
      """)
    let r = try PriceListFiles.importing(
      try Self.fixture("s3.json"), service: "s3", existing: existing, partial: true)
    let t = try PriceListFiles.table(r, "s3")
    let storage = try #require(t.rates.first { $0.id == "storage-standard" })
    #expect(
      storage.tiers == [
        Tier(upTo: 51200, price: Decimal(string: "0.023")!),
        Tier(upTo: 512000, price: Decimal(string: "0.022")!),
        Tier(upTo: nil, price: Decimal(string: "0.021")!),
      ])
    #expect(storage.price == nil)
    #expect(t.effectiveDate == "2023-01-23")  // publicationDate 2023-01-23T17:06:43Z
    #expect(
      t.source
        == "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonS3/20230123170643/us-east-1/index.json"
    )
    #expect(storage.source == t.source)
    // The request rate is not in the excerpt: kept with the table's own source and date.
    let req = try #require(t.rates.first { $0.id == "requests-tier1" })
    #expect(req.price == Decimal(string: "0.005") && req.per == 1000)
    #expect(req.source == "hand-written" && req.effectiveDate == "2025-01-01")
    #expect(r.kept.contains { $0.id == "requests-tier1" })
    #expect(r.changes.map(\.id) == ["storage-standard"])
  }

  @Test func excerptWithoutPartialRefusesAndNamesTheRate() throws {
    let existing = existingTable(
      "s3",
      #"{"id":"storage-standard","unit":"GB-month","price":0.03},{"id":"requests-tier1","unit":"request","price":0.005,"per":1000}"#
    )
    let e = try PriceListFiles.failure(
      try Self.fixture("s3.json"), service: "s3", existing: existing)
    #expect(e.message.contains("rate requests-tier1: no SKU in the offer matches"))
    #expect(e.message.contains("--partial"))
  }

  @Test func deepArchiveProductWithoutFamilyAndPerRequestUnits() throws {
    // s3glacierdeeparchive.json: the storage SKU has no productFamily (0.0009900000 per GB-Mo); the
    // Requests-GDA-Tier1 SKU is InitiateMultipartUpload at 0.0000050000 per request, not a storage price.
    let existing = existingTable(
      "s3", #"{"id":"storage-glacier-deep-archive","unit":"GB-month","price":0.002}"#)
    let r = try PriceListFiles.importing(
      try Self.fixture("s3glacierdeeparchive.json"), service: "s3", existing: existing)
    let t = try PriceListFiles.table(r, "s3")
    #expect(t.rates.count == 1)
    #expect(t.rates[0].price == Decimal(string: "0.00099"))
    #expect(r.changes.map(\.sku) == ["SKAKWE8C8SPXCVHA"])
    #expect(r.offerCode == "AmazonS3GlacierDeepArchive" && t.effectiveDate == "2023-02-07")
  }

  @Test func rdsExcerptHasNoAuroraAndOtherRegions() throws {
    // rds.json: two Database Instance products (us-west-2 Oracle, Tokyo MariaDB), a data-transfer product with no
    // productFamily and another service code, Reserved terms with "Quantity" upfront fees; no Aurora at all.
    let text = try Self.fixture("rds.json")
    let wrongRegion = try PriceListFiles.failure(text, service: "aurora")
    #expect(
      wrongRegion.message
        == "region us-east-1 is not in the offer (it prices: Asia Pacific (Tokyo), US West (Oregon))"
    )
    let noAurora = try PriceListFiles.failure(
      text, service: "aurora", region: "us-west-2", partial: true)
    #expect(
      noAurora.message.hasPrefix(
        "rate acu-hour: no SKU in the offer matches productFamily=ServerlessV2"))
    #expect(noAurora.message.contains("the table has no price for it to keep"))
  }

  @Test func getProductsResponseForAnotherServiceIsRefused() throws {
    let e = try PriceListFiles.failure(
      try Self.fixture("getproducts-ec2-example.json"), service: "s3")
    #expect(
      e.message
        == "the offer is for AmazonEC2, not s3 (expected AmazonS3 or AmazonS3GlacierDeepArchive)")
    let other = try PriceListFiles.failure(try Self.fixture("s3.json"), service: "dynamodb")
    #expect(other.message == "the offer is for AmazonS3, not dynamodb (expected AmazonDynamoDB)")
  }
}

struct BuiltOfferImportTests {
  static func dynamoOffer() -> OfferBuilder {
    var b = OfferBuilder(offerCode: "AmazonDynamoDB")
    let ppr = "Amazon DynamoDB PayPerRequest Throughput"
    b.add(
      "WRU1", ppr,
      [
        "group": "DDB-WriteUnits", "usagetype": "WriteRequestUnits",
        "operation": "PayPerRequestThroughput",
      ],
      [.init(price: "0.0000006250", unit: "WriteRequestUnits")])
    b.add(
      "RRU1", ppr, ["group": "DDB-ReadUnits", "usagetype": "ReadRequestUnits"],
      [.init(price: "0.0000001250", unit: "ReadRequestUnits")])
    // Standard-IA and replicated units share the usage type's tail once the "IA-" prefix is stripped.
    b.add(
      "WRUIA", ppr, ["group": "DDB-WriteUnitsIA", "usagetype": "IA-WriteRequestUnits"],
      [.init(price: "0.0000007800", unit: "WriteRequestUnits")])
    b.add(
      "RRUIA", ppr, ["group": "DDB-ReadUnitsIA", "usagetype": "IA-ReadRequestUnits"],
      [.init(price: "0.0000001550", unit: "ReadRequestUnits")])
    b.add(
      "REPL", ppr,
      ["group": "DDB-ReplicatedWriteUnits", "usagetype": "ReplicatedWriteRequestUnits"],
      [.init(price: "0.0000009375", unit: "ReplicatedWriteRequestUnits")])
    b.add(
      "STOR", "Database Storage",
      ["usagetype": "TimedStorage-ByteHrs", "volumeType": "Amazon DynamoDB - Indexed DataStore"],
      [
        .init(begin: "0", end: "25", price: "0.0000000000", unit: "GB-Mo"),
        .init(begin: "25", end: "Inf", price: "0.2500000000", unit: "GB-Mo"),
      ])
    b.add(
      "STORIA", "Database Storage",
      [
        "usagetype": "IA-TimedStorage-ByteHrs",
        "volumeType": "Amazon DynamoDB - Indexed DataStore - IA",
      ],
      [.init(price: "0.1000000000", unit: "GB-Mo")])
    // Same products in another Region: must not make the us-east-1 selection ambiguous.
    b.add(
      "WRU2", ppr,
      [
        "group": "DDB-WriteUnits", "usagetype": "USW2-WriteRequestUnits", "regionCode": "us-west-2",
        "location": "US West (Oregon)",
      ],
      [.init(price: "0.0000007000", unit: "WriteRequestUnits")])
    return b
  }

  @Test func dynamoDBUnitsPerMillionAndTheFreeStorageTier() throws {
    // 0.0000006250 USD per WRU × 1,000,000 = 0.625 per million; 0.0000001250 × 1,000,000 = 0.125.
    // Storage: a $0 tier 0–25 GB then 0.25 → price 0.25 with freeQuantity 25 (applied only with freeTier).
    let r = try PriceListFiles.importing(Self.dynamoOffer().bulk, service: "dynamodb")
    let t = try PriceListFiles.table(r, "dynamodb")
    func rate(_ id: String) throws -> Rate { try #require(t.rates.first { $0.id == id }) }
    #expect(
      try rate("write-request-unit").price == Decimal(string: "0.625")
        && rate("write-request-unit").per == 1_000_000)
    #expect(try rate("read-request-unit").price == Decimal(string: "0.125"))
    #expect(try rate("write-request-unit").unit == "WRU")
    #expect(
      try rate("storage").price == Decimal(string: "0.25") && rate("storage").freeQuantity == 25)
    #expect(try rate("write-request-unit-standard-ia").price == Decimal(string: "0.78"))
    #expect(try rate("read-request-unit-standard-ia").price == Decimal(string: "0.155"))
    #expect(try rate("storage-standard-ia").price == Decimal(string: "0.1"))
    #expect(t.effectiveDate == "2026-10-01")
    // us-west-2 has only a write price: even --partial cannot make a new table without the read price.
    let west = try PriceListFiles.failure(
      Self.dynamoOffer().bulk, service: "dynamodb", region: "us-west-2", partial: true)
    #expect(west.message.hasPrefix("rate read-request-unit: no SKU in the offer matches"))
    #expect(west.message.hasSuffix("in us-west-2, and the table has no price for it to keep"))
  }

  @Test func getProductsShapeGivesTheSameTable() throws {
    let bulk = try PriceListFiles.importing(Self.dynamoOffer().bulk, service: "dynamodb")
    let query = try PriceListFiles.importing(Self.dynamoOffer().getProducts, service: "dynamodb")
    let a = try PriceListFiles.table(bulk, "dynamodb").rates.map(RateDraft.init)
    let b = try PriceListFiles.table(query, "dynamodb").rates.map(RateDraft.init)
    #expect(a.map(\.priceText) == b.map(\.priceText))
    #expect(
      query.source.hasPrefix("AWS Price List Query API GetProducts, ServiceCode=AmazonDynamoDB"))
  }

  @Test func updateKeepsHandWrittenFieldsAndRatesTheOfferDoesNotHave() throws {
    let existing = existingTable(
      "dynamodb",
      """
      {"id":"write-request-unit","unit":"WRU","price":1.25,"per":1000000,"description":"hand note"},
      {"id":"read-request-unit","unit":"RRU","price":0.25,"per":1000000},
      {"id":"storage","unit":"GB-month","price":0.25,"freeQuantity":25},
      {"id":"pitr-storage","unit":"GB-month","price":0.2}
      """)
    let r = try PriceListFiles.importing(
      Self.dynamoOffer().bulk, service: "dynamodb", existing: existing)
    let t = try PriceListFiles.table(r, "dynamodb")
    #expect(
      t.rates.map(\.id) == [
        "write-request-unit", "read-request-unit", "storage", "pitr-storage",
        "write-request-unit-standard-ia", "read-request-unit-standard-ia", "storage-standard-ia",
      ])
    #expect(t.rates[0].description == "hand note")
    #expect(t.rates[3].source == "hand-written" && t.rates[3].effectiveDate == "2025-01-01")
    let w = try #require(r.changes.first { $0.id == "write-request-unit" })
    #expect(w.old == "1.25 per 1000000 WRU" && w.new == "0.625 per 1000000 WRU")
  }

  @Test func elastiCacheNodesSkipExtendedSupportAndReadMemory() throws {
    var b = OfferBuilder(offerCode: "AmazonElastiCache")
    for (engine, price, surcharge) in [
      ("Valkey", "0.0128000000", "0.0064000000"), ("Redis", "0.0160000000", "0.0080000000"),
    ] {
      b.add(
        "T4G-\(engine)", "Cache Instance",
        [
          "instanceType": "cache.t4g.micro", "cacheEngine": engine, "memory": "0.5 GiB",
          "usagetype": "NodeUsage:cache.t4g.micro", "locationType": "AWS Region",
          "currentGeneration": "Yes",
        ], [.init(price: price, unit: "Hrs")])
      b.add(
        "EXT1-\(engine)", "Cache Instance",
        [
          "instanceType": "cache.t4g.micro", "cacheEngine": engine, "memory": "0.5 GiB",
          "usagetype": "ExtendedSupportYr1_Yr2-NodeUsage:cache.t4g.micro",
        ], [.init(price: surcharge, unit: "Hrs")])
      b.add(
        "EXT2-\(engine)", "Cache Instance",
        [
          "instanceType": "cache.t4g.micro", "cacheEngine": engine, "memory": "0.5 GiB",
          "usagetype": "USE1-ExtendedSupportYr3-NodeUsage:cache.t4g.micro",
        ], [.init(price: surcharge, unit: "Hrs")])
    }
    b.add(
      "SLS-V", "ElastiCache Serverless", ["usagetype": "USE1-CachedData:Valkey"],
      [.init(price: "0.0837000000", unit: "GB-Hrs")])
    b.add(
      "ECPU-V", "ElastiCache Serverless", ["usagetype": "USE1-ElastiCacheProcessingUnits:Valkey"],
      [.init(price: "0.0000000023", unit: "ECPU")])
    let existing = existingTable(
      "elasticache",
      """
      {"id":"node:cache.t4g.micro:valkey","unit":"hour","price":0.0125,"attributes":{"memoryGiB":0.5}},
      {"id":"node:cache.t4g.micro:redis","unit":"hour","price":0.017,"attributes":{"memoryGiB":0.5}},
      {"id":"serverless-storage:valkey","unit":"GB-hour","price":0.0837,"minimumQuantity":0.1},
      {"id":"serverless-ecpu:valkey","unit":"ECPU","price":0.00227,"per":1000000}
      """)
    let r = try PriceListFiles.importing(b.bulk, service: "elasticache", existing: existing)
    let t = try PriceListFiles.table(r, "elasticache")
    func rate(_ id: String) throws -> Rate { try #require(t.rates.first { $0.id == id }) }
    #expect(try rate("node:cache.t4g.micro:valkey").price == Decimal(string: "0.0128"))
    #expect(try rate("node:cache.t4g.micro:redis").price == Decimal(string: "0.016"))
    #expect(try rate("node:cache.t4g.micro:redis").attribute("memoryGiB") == Decimal(string: "0.5"))
    // The minimum is not in the offer: kept. 0.0000000023 per ECPU × 1,000,000 = 0.0023 per million.
    #expect(try rate("serverless-storage:valkey").minimumQuantity == Decimal(string: "0.1"))
    #expect(try rate("serverless-ecpu:valkey").price == Decimal(string: "0.0023"))
    #expect(r.changes.allSatisfy { !$0.sku.hasPrefix("EXT") })
  }

  @Test func elastiCacheTwoNodeSKUsForOneEngineAreAmbiguous() throws {
    var b = OfferBuilder(offerCode: "AmazonElastiCache")
    for sku in ["AAA", "BBB"] {
      b.add(
        sku, "Cache Instance",
        [
          "instanceType": "cache.t4g.micro", "cacheEngine": "Valkey", "memory": "0.5 GiB",
          "usagetype": "NodeUsage:cache.t4g.micro",
        ], [.init(price: sku == "AAA" ? "0.0128000000" : "0.0130000000", unit: "Hrs")])
    }
    let existing = existingTable(
      "elasticache",
      #"{"id":"node:cache.t4g.micro:valkey","unit":"hour","price":0.0125,"attributes":{"memoryGiB":0.5}}"#
    )
    let e = try PriceListFiles.failure(
      b.bulk, service: "elasticache", existing: existing, partial: true)
    #expect(e.message.contains("rate node:cache.t4g.micro:valkey: 2 SKUs match"))
    #expect(
      e.message.contains(
        "AAA (NodeUsage:cache.t4g.micro, 0.0128 USD/Hrs); BBB (NodeUsage:cache.t4g.micro, 0.013 USD/Hrs)"
      ))
    #expect(e.message.hasSuffix("refusing to pick one"))
  }

  @Test func auroraStandardAndIOOptimizedForPostgreSQL() throws {
    var b = OfferBuilder(offerCode: "AmazonRDS")
    for (engine, bump) in [("Aurora PostgreSQL", ""), ("Aurora MySQL", "9")] {
      b.add(
        "ACU-\(engine)", "ServerlessV2",
        ["databaseEngine": engine, "usagetype": "Aurora:ServerlessV2Usage"],
        [.init(price: "0.12000000\(bump)0", unit: "ACU-Hr")])
      b.add(
        "ACUIO-\(engine)", "ServerlessV2",
        ["databaseEngine": engine, "usagetype": "Aurora:ServerlessV2IOOptimizedUsage"],
        [.init(price: "0.1600000000", unit: "ACU-Hr")])
    }
    b.add(
      "STO", "Database Storage",
      [
        "databaseEngine": "Any", "usagetype": "Aurora:StorageUsage",
        "volumeType": "General Purpose-Aurora",
      ], [.init(price: "0.1000000000", unit: "GB-Mo")])
    b.add(
      "STOIO", "Database Storage",
      ["databaseEngine": "Any", "usagetype": "Aurora:IO-OptimizedStorageUsage"],
      [.init(price: "0.2250000000", unit: "GB-Mo")])
    b.add(
      "IO", "System Operation",
      [
        "databaseEngine": "Any", "usagetype": "Aurora:StorageIOUsage",
        "group": "Aurora I/O Operation",
      ], [.init(price: "0.0000002000", unit: "IOs")])
    b.add(
      "BAK", "Storage Snapshot", ["databaseEngine": "Any", "usagetype": "Aurora:BackupUsage"],
      [.init(price: "0.0210000000", unit: "GB-Mo")])
    b.add(
      "DB", "Database Instance",
      ["databaseEngine": "Aurora PostgreSQL", "usagetype": "InstanceUsage:db.r7g.large"],
      [.init(price: "0.2760000000", unit: "Hrs")])
    let r = try PriceListFiles.importing(b.bulk, service: "aurora")
    let t = try PriceListFiles.table(r, "aurora")
    // 0.0000002000 per I/O × 1,000,000 = 0.2 per million.
    #expect(
      t.rates.map { "\($0.id)=\(DecimalText.plain($0.price ?? -1))/\(DecimalText.plain($0.per))" }
        == [
          "acu-hour=0.12/1", "acu-hour-io-optimized=0.16/1", "storage=0.1/1",
          "storage-io-optimized=0.225/1",
          "io-request=0.2/1000000", "backup-storage=0.021/1",
        ])
    #expect(r.changes.first { $0.id == "acu-hour" }?.sku == "ACU-Aurora PostgreSQL")
  }

  @Test func lambdaTiersAndGlobalUsageTypesNotPicked() throws {
    var b = OfferBuilder(offerCode: "AWSLambda")
    b.add(
      "REQ", "Serverless", ["group": "AWS-Lambda-Requests", "usagetype": "Request"],
      [.init(price: "0.0000002000", unit: "Requests")])
    b.add(
      "GREQ", "Serverless", ["group": "AWS-Lambda-Requests", "usagetype": "Global-Request"],
      [.init(price: "0.0000000000", unit: "Requests")])
    b.add(
      "DUR", "Serverless", ["group": "AWS-Lambda-Duration", "usagetype": "Lambda-GB-Second"],
      [
        .init(begin: "0", end: "6000000000", price: "0.0000166667", unit: "Lambda-GB-Second"),
        .init(
          begin: "6000000000", end: "15000000000", price: "0.0000150000", unit: "Lambda-GB-Second"),
        .init(begin: "15000000000", end: "Inf", price: "0.0000133334", unit: "Lambda-GB-Second"),
      ])
    b.add(
      "GDUR", "Serverless",
      ["group": "AWS-Lambda-Duration", "usagetype": "Global-Lambda-GB-Second"],
      [.init(price: "0.0000100000", unit: "Lambda-GB-Second")])
    b.add(
      "ARM", "Serverless",
      ["group": "AWS-Lambda-Duration-ARM", "usagetype": "Lambda-GB-Second-ARM"],
      [
        .init(begin: "0", end: "7500000000", price: "0.0000133334", unit: "Lambda-GB-Second"),
        .init(begin: "7500000000", end: "Inf", price: "0.0000120001", unit: "Lambda-GB-Second"),
      ])
    b.add(
      "DT", nil, ["servicecode": "AWSDataTransfer", "usagetype": "DataTransfer-Out-Bytes"],
      [.init(price: "0.0900000000", unit: "GB")])
    let existing = existingTable(
      "lambda",
      """
      {"id":"request","unit":"request","price":0.2,"per":1000000,"freeQuantity":1000000},
      {"id":"gb-second","unit":"GB-second","freeQuantity":400000,"tiers":[{"upTo":6000000000,"price":0.0000166667},{"price":0.000015}]},
      {"id":"gb-second-arm","unit":"GB-second","price":0.0000133334}
      """)
    let r = try PriceListFiles.importing(b.bulk, service: "lambda", existing: existing)
    let t = try PriceListFiles.table(r, "lambda")
    let dur = try #require(t.rates.first { $0.id == "gb-second" })
    #expect(
      dur.tiers == [
        Tier(upTo: 6_000_000_000, price: Decimal(string: "0.0000166667")!),
        Tier(upTo: 15_000_000_000, price: Decimal(string: "0.000015")!),
        Tier(upTo: nil, price: Decimal(string: "0.0000133334")!),
      ])
    #expect(dur.freeQuantity == 400_000)  // the free tier is not in the offer: kept from the table
    let arm = try #require(t.rates.first { $0.id == "gb-second-arm" })
    #expect(arm.tiers?.count == 2 && arm.price == nil)
    // 0.0000002000 per request × 1,000,000 = 0.2 per million
    #expect(t.rates.first { $0.id == "request" }?.price == Decimal(string: "0.2"))
    #expect(r.changes.map(\.sku).sorted() == ["ARM", "DUR", "REQ"])
  }

  @Test func streamedInBoundedMemory() throws {
    // ~4 MB of filler products around the wanted ones, read in 4 KB chunks: the parser never holds much more
    // than a chunk and one product.
    var b = Self.dynamoOffer()
    for i in 0..<12_000 {
      b.add(
        String(format: "FILL%06d", i), "Data Transfer",
        ["usagetype": "USE1-DataTransfer-Regional-Bytes", "transferType": "IntraRegion"],
        [.init(price: "0.0100000000", unit: "GB")])
    }
    let text = b.bulk
    #expect(text.utf8.count > 4_000_000)
    let r = try PriceListFiles.importing(text, service: "dynamodb", chunkSize: 4096)
    #expect(r.productsRead == 12_008)
    #expect(r.peakBufferedBytes < 16_384)
    #expect(
      try PriceListFiles.table(r, "dynamodb").rates.first { $0.id == "write-request-unit" }?.price
        == Decimal(string: "0.625"))
  }

  @Test func termsBeforeProductsTakeASecondPass() throws {
    let b = Self.dynamoOffer()
    let products = b.products.map { "\(OfferBuilder.q($0.sku)): \(b.productJSON($0))" }.joined(
      separator: ",")
    let terms = b.products.map { "\(OfferBuilder.q($0.sku)): \(b.termJSON($0))" }.joined(
      separator: ",")
    let text =
      "{\"terms\": {\"OnDemand\": {\(terms)}}, \"offerCode\": \"AmazonDynamoDB\", \"publicationDate\": \"2026-10-01T00:00:00Z\", \"products\": {\(products)}}"
    let r = try PriceListFiles.importing(text, service: "dynamodb")
    #expect(
      try PriceListFiles.table(r, "dynamodb").rates.first { $0.id == "read-request-unit" }?.price
        == Decimal(string: "0.125"))
  }
}

struct BadOfferTests {
  static let good = BuiltOfferImportTests.dynamoOffer().bulk

  @Test func truncatedOfferNamesThePosition() throws {
    let cut = String(Self.good.prefix(Self.good.utf8.count / 2))
    let e = try PriceListFiles.failure(cut, service: "dynamodb")
    #expect(e.position != nil)
    #expect(e.message.contains("unexpected end of file"))
  }

  @Test func notJSONAndNotAnOffer() throws {
    #expect(
      try PriceListFiles.failure("<html>503</html>", service: "s3").message.contains(
        "expected an object"))
    #expect(
      try PriceListFiles.failure("{\"hello\": 1}", service: "s3").message.hasPrefix(
        "not an AWS Price List offer"))
    #expect(try PriceListFiles.failure("", service: "s3").message.contains("end of file"))
  }

  @Test func priceThatIsNotADecimalNamesTheRateCode() throws {
    let bad = Self.good.replacingOccurrences(of: "\"0.0000006250\"", with: "\"6.25E-7\"")
    let e = try PriceListFiles.failure(bad, service: "dynamodb")
    #expect(
      e.message == "price \"6.25E-7\" of rate code WRU1.JRTCKXETXF.RC0 is not a decimal number")
    #expect(
      e.path
        == "terms.OnDemand.WRU1.WRU1.JRTCKXETXF.priceDimensions.WRU1.JRTCKXETXF.RC0.pricePerUnit.USD"
    )
    let number = Self.good.replacingOccurrences(of: "\"0.0000006250\"", with: "0.000000625")
    #expect(
      try PriceListFiles.failure(number, service: "dynamodb").message.contains(
        "expected a string, found 0.000000625"))
  }

  @Test func unknownUnitNamesTheSKU() throws {
    let bad = Self.good.replacingOccurrences(
      of: "\"unit\": \"ReadRequestUnits\"", with: "\"unit\": \"ReadRequestUnitsPerSecond\"")
    let e = try PriceListFiles.failure(bad, service: "dynamodb")
    #expect(
      e.message.hasPrefix(
        "rate read-request-unit: SKU RRU1 rate code RRU1.JRTCKXETXF.RC0: unit \"ReadRequestUnitsPerSecond\" is not one the importer knows"
      ))
  }

  @Test func regionNotInTheFile() throws {
    let e = try PriceListFiles.failure(Self.good, service: "dynamodb", region: "eu-west-1")
    #expect(e.message == "region eu-west-1 is not in the offer (it prices: us-east-1, us-west-2)")
  }

  @Test func gapsInTiersAndMissingTermsAreRefused() throws {
    let gap = Self.good.replacingOccurrences(
      of: "\"beginRange\": \"25\"", with: "\"beginRange\": \"30\"")
    #expect(
      try PriceListFiles.failure(gap, service: "dynamodb").message.contains(
        "do not run from 0 to Inf without gaps"))
    var b = BuiltOfferImportTests.dynamoOffer()
    b.products[0].dims = []
    #expect(
      try PriceListFiles.failure(b.bulk, service: "dynamodb").message.contains(
        "rate write-request-unit: SKU WRU1 term WRU1.JRTCKXETXF has no price dimensions"))
  }

  @Test func nonUSDAndDuplicateKeys() throws {
    let cny = Self.good.replacingOccurrences(
      of: "{\"USD\": \"0.0000001250\"}", with: "{\"CNY\": \"0.0000001250\"}")
    #expect(
      try PriceListFiles.failure(cny, service: "dynamodb").message.contains(
        "only USD prices are imported (found CNY)"))
    let dup = Self.good.replacingOccurrences(
      of: "\"offerCode\": \"AmazonDynamoDB\",",
      with: "\"offerCode\": \"AmazonDynamoDB\", \"offerCode\": \"AmazonS3\",")
    #expect(
      try PriceListFiles.failure(dup, service: "dynamodb").message == "duplicate key \"offerCode\"")
  }
}

struct JSONStreamReaderTests {
  /// Streaming with tiny chunks must report the same errors at the same positions as the whole-file parser.
  @Test(arguments: [
    "{\"a\": [1, 2, {\"b\": \"x\\u00e9\"}], \"c\": tru}",
    "{\"a\": 1,\n \"a\": 2}",
    "{\"a\": \"line\nbreak\"}",
    "{\"a\": 01}",
    "{\"a\": [1, 2,]}",
    "{\"a\": \"\\ud800\"}",
    "{\"a\": 1} x",
    "{\"a\": 1.5e+3, \"b\": -0.25}",
  ])
  func sameErrorsAsTheWholeParser(_ text: String) throws {
    var whole: DataError?
    do { _ = try JSONParser.parse(Data(text.utf8), file: "t.json") } catch { whole = error }
    var streamed: DataError?
    for chunk in [1, 2, 3, 7] {
      let path = try PriceListFiles.write(text)
      defer { try? FileManager.default.removeItem(atPath: path) }
      streamed = nil
      do {
        let r = try JSONStreamReader(path: path, display: "t.json", chunkSize: chunk)
        try r.beginObject(path: "")
        while let (key, _) = try r.nextKey() { _ = try r.readValue(path: key) }
        try r.finish()
      } catch {
        streamed = error
      }
      #expect(streamed?.position == whole?.position, "chunk \(chunk)")
      #expect(streamed?.message == whole?.message, "chunk \(chunk)")
    }
  }
}
