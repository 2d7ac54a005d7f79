import CostModel
@testable import CostReports
import Foundation
import Testing

@testable import CostPlanCLI

/// `costplan pricing import|diff` as CI and a maintainer use them.
struct PricingCommandTests {
  /// A full AmazonDynamoDB offer in the bulk file's shape with one change from the shipped table: writes at
  /// 0.0000007000 USD per unit (0.7 per million) instead of 0.625.
  static func dynamoOffer(write: String = "0.0000007000", region: String = "us-east-1") -> String {
    let ppr = "Amazon DynamoDB PayPerRequest Throughput"
    let products: [(String, String, String, [(String, String, String)], String)] = [
      (
        "WRU", ppr, #""group": "DDB-WriteUnits", "usagetype": "WriteRequestUnits""#,
        [("0", "Inf", write)], "WriteRequestUnits"
      ),
      (
        "RRU", ppr, #""group": "DDB-ReadUnits", "usagetype": "ReadRequestUnits""#,
        [("0", "Inf", "0.0000001250")], "ReadRequestUnits"
      ),
      (
        "WIA", ppr, #""group": "DDB-WriteUnitsIA", "usagetype": "IA-WriteRequestUnits""#,
        [("0", "Inf", "0.0000007800")], "WriteRequestUnits"
      ),
      (
        "RIA", ppr, #""group": "DDB-ReadUnitsIA", "usagetype": "IA-ReadRequestUnits""#,
        [("0", "Inf", "0.0000001550")], "ReadRequestUnits"
      ),
      (
        "STO", "Database Storage",
        #""usagetype": "TimedStorage-ByteHrs", "volumeType": "Amazon DynamoDB - Indexed DataStore""#,
        [("0", "25", "0.0000000000"), ("25", "Inf", "0.2500000000")], "GB-Mo"
      ),
      (
        "SIA", "Database Storage",
        #""usagetype": "IA-TimedStorage-ByteHrs", "volumeType": "Amazon DynamoDB - Indexed DataStore - IA""#,
        [("0", "Inf", "0.1000000000")], "GB-Mo"
      ),
    ]
    let p = products.map { (sku, family, attrs, _, _) in
      "\"\(sku)\": {\"sku\": \"\(sku)\", \"productFamily\": \"\(family)\", \"attributes\": {\"servicecode\": \"AmazonDynamoDB\", \"regionCode\": \"\(region)\", \(attrs)}}"
    }.joined(separator: ",\n")
    let t = products.map { (sku, _, _, dims, unit) in
      let d = dims.enumerated().map { (i, r) in
        "\"\(sku).T.\(i)\": {\"rateCode\": \"\(sku).T.\(i)\", \"description\": \"test\", \"unit\": \"\(unit)\", \"beginRange\": \"\(r.0)\", \"endRange\": \"\(r.1)\", \"pricePerUnit\": {\"USD\": \"\(r.2)\"}, \"appliesTo\": []}"
      }.joined(separator: ", ")
      return
        "\"\(sku)\": {\"\(sku).T\": {\"offerTermCode\": \"T\", \"sku\": \"\(sku)\", \"priceDimensions\": {\(d)}, \"termAttributes\": {}}}"
    }.joined(separator: ",\n")
    return """
      {"formatVersion": "v1.0", "offerCode": "AmazonDynamoDB", "version": "20261115000000", "publicationDate": "2026-11-15T00:00:00Z",
       "products": {\(p)},
       "terms": {"OnDemand": {\(t)}}}
      """
  }

  /// The same offer plus a provisioned WCU SKU (on demand: 25 free WCU a month, then 0.00065 per WCU-hour) with
  /// 1yr reserved capacity priced per single WCU: 0.000128 per hour and 1.5 upfront. `duplicate` adds a second 1yr
  /// term for the same purchase option.
  static func dynamoOfferWithReserved(duplicate: Bool = false) -> String {
    func reserved(_ code: String, _ hourly: String, _ upfront: String) -> String {
      """
      "WCU.\(code)": {"offerTermCode": "\(code)", "sku": "WCU", "priceDimensions": {
        "WCU.\(code).H": {"rateCode": "WCU.\(code).H", "description": "Amazon DynamoDB, Reserved Write Capacity used this month", "beginRange": "0", "endRange": "Inf", "unit": "WriteCapacityUnit-Hrs", "pricePerUnit": {"USD": "\(hourly)"}, "appliesTo": []},
        "WCU.\(code).U": {"rateCode": "WCU.\(code).U", "description": "Upfront Fee", "unit": "Quantity", "pricePerUnit": {"USD": "\(upfront)"}, "appliesTo": []}},
        "termAttributes": {"LeaseContractLength": "1yr", "OfferingClass": "standard", "PurchaseOption": "Heavy Utilization"}}
      """
    }
    let terms =
      [reserved("R1", "0.0001280000", "1.5")]
      + (duplicate ? [reserved("R2", "0.0001200000", "1.6")] : [])
    return dynamoOffer()
      .replacingOccurrences(
        of: "\"products\": {",
        with: """
          "products": {"WCU": {"sku": "WCU", "productFamily": "Provisioned IOPS", "attributes": {"servicecode": "AmazonDynamoDB", "regionCode": "us-east-1", "group": "DDB-WriteUnits", "usagetype": "WriteCapacityUnit-Hrs", "operation": "CommittedThroughput"}},
          """
      )
      .replacingOccurrences(
        of: "\"terms\": {\"OnDemand\": {",
        with: """
          "terms": {"Reserved": {"WCU": {\(terms.joined(separator: ", "))}}, "OnDemand": {"WCU": {"WCU.T": {"offerTermCode": "T", "sku": "WCU", "priceDimensions": {
            "WCU.T.0": {"rateCode": "WCU.T.0", "description": "free tier", "unit": "WriteCapacityUnit-Hrs", "beginRange": "0", "endRange": "18600", "pricePerUnit": {"USD": "0.0000000000"}, "appliesTo": []},
            "WCU.T.1": {"rateCode": "WCU.T.1", "description": "paid", "unit": "WriteCapacityUnit-Hrs", "beginRange": "18600", "endRange": "Inf", "pricePerUnit": {"USD": "0.0006500000"}, "appliesTo": []}},
            "termAttributes": {}}},
          """)
  }

  @Test func importAddsReservedCapacityAndRefusesAnAmbiguousTerm() throws {
    let sandbox = try Sandbox()
    try sandbox.write("offer.json", Self.dynamoOfferWithReserved())
    let imp = sandbox.run(["pricing", "import", "--offer", "offer.json", "--service", "dynamodb"])
    #expect(imp.code == 0, "\(imp.stderr)")
    // 0.000128 per WCU-hour × 100 = 0.0128 per hour for 100 WCU; 1.5 × 100 = 150 upfront per 100 WCU.
    // The shipped table already holds these prices (from AWS's reserved-capacity tool), so the offer confirms them.
    #expect(
      imp.stdout.contains("reserved-wcu-100:1y: unchanged: 0.0128 per hour [SKU WCU, term WCU.R1]"))
    #expect(
      imp.stdout.contains(
        "reserved-wcu-100:1y-upfront: unchanged: 150 per 100 WCU-term [SKU WCU, term WCU.R1]"))
    // The offer's free tier is 25 units × 744 h = 18,600 unit-hours; in 730-hour months it is 25 × 730 = 18,250.
    #expect(imp.stdout.contains("wcu-hour: unchanged: 0.00065 per WCU-hour (18250 free) [SKU WCU]"))
    // The offer sells no 3yr term: the table's is kept, and listed.
    #expect(imp.stdout.contains("reserved-wcu-100:3y: SKU WCU has no Reserved term 3yr"))
    #expect(sandbox.run(["lint"]).code == 0)
    let after = sandbox.read("pricing/aws/us-east-1/dynamodb.json")
    try sandbox.write("dup.json", Self.dynamoOfferWithReserved(duplicate: true))
    let d = sandbox.run(["pricing", "import", "--offer", "dup.json", "--service", "dynamodb"])
    #expect(d.code == 65)
    #expect(d.stderr.hasPrefix("dup.json:"))
    #expect(
      d.stderr.contains(
        "error: terms.Reserved.WCU.WCU.R2: rate reserved-wcu-100:1y: SKU WCU has two Reserved terms for 1yr Heavy Utilization (WCU.R1 and WCU.R2); refusing to pick one"
      ))
    #expect(d.stdout.isEmpty)
    #expect(sandbox.read("pricing/aws/us-east-1/dynamodb.json") == after)
  }

  static func lines(_ text: String?) -> [String] {
    (text ?? "").split(separator: "\n").map(String.init)
  }

  @Test func importThenReportChangesExactlyTheAffectedLines() throws {
    let sandbox = try Sandbox()
    try sandbox.write("offer.json", Self.dynamoOffer())
    #expect(sandbox.run(["report", "--out", "before"]).code == 0)
    let imp = sandbox.run(["pricing", "import", "--offer", "offer.json", "--service", "dynamodb"])
    #expect(imp.code == 0, "\(imp.stderr)")
    #expect(
      imp.stdout.contains(
        "write-request-unit: 0.625 per 1000000 WRU -> 0.7 per 1000000 WRU [SKU WRU]"))
    #expect(imp.stdout.contains("read-request-unit: unchanged: 0.125 per 1000000 RRU [SKU RRU]"))
    #expect(imp.stdout.contains("pitr-storage: not imported from offers"))
    #expect(sandbox.run(["lint"]).code == 0)
    #expect(sandbox.run(["report", "--out", "after"]).code == 0)
    // Line items: the only rows that differ are DynamoDB write request units.
    for name in ["conversation-history", "ops-review-results"] {
      let before = Set(Self.lines(sandbox.read("before/\(name).csv")))
      let after = Set(Self.lines(sandbox.read("after/\(name).csv")))
      let changed = after.subtracting(before)
      #expect(!changed.isEmpty, "\(name)")
      for row in changed {
        // The write-request-unit line, also its savings-plan share (priced from the same rate).
        #expect(
          row.contains(",dynamodb/write-request-unit,")
            || row.contains(",dynamodb/write-request-unit:savings-plan,"), "\(name): \(row)")
      }
      #expect(before.subtracting(after).count == changed.count)
    }
    // Summary: only the totals of options priced by DynamoDB change (scores are relative, so they may all move).
    func costs(_ dir: String) -> [String: String] {
      var out: [String: String] = [:]
      for row in Self.lines(sandbox.read("\(dir)/summary.csv")).dropFirst() {
        let f = row.split(separator: ",", omittingEmptySubsequences: false)
        out["\(f[0]),\(f[1]),\(f[2])"] = String(f[3]) + "," + String(f[8])
      }
      return out
    }
    let (b, a) = (costs("before"), costs("after"))
    #expect(b.count == a.count && b.count > 20)
    let moved = a.keys.filter { a[$0] != b[$0] }
    #expect(!moved.isEmpty)
    for key in moved { #expect(key.split(separator: ",")[2].hasPrefix("dynamodb"), "\(key)") }
    // The rate's new source and date reach the report; other DynamoDB rates keep theirs.
    let md = sandbox.read("after/conversation-history.md") ?? ""
    #expect(md.contains("AmazonDynamoDB/20261115000000/us-east-1/index.json"))
  }

  @Test func badOfferWritesNothing() throws {
    let sandbox = try Sandbox()
    let before = sandbox.read("pricing/aws/us-east-1/dynamodb.json")
    let offer = Self.dynamoOffer()
    try sandbox.write("cut.json", String(offer.prefix(offer.utf8.count - 40)))
    let r = sandbox.run(["pricing", "import", "--offer", "cut.json", "--service", "dynamodb"])
    #expect(r.code == 65)
    #expect(r.stderr.hasPrefix("cut.json:"))
    #expect(r.stdout.isEmpty)
    try sandbox.write(
      "bad.json", offer.replacingOccurrences(of: "0.0000001250", with: "0.000000125O"))
    let b = sandbox.run(["pricing", "import", "--offer", "bad.json", "--service", "dynamodb"])
    #expect(b.code == 65)
    #expect(
      b.stderr.contains("price \"0.000000125O\" of rate code RRU.T.0 is not a decimal number"))
    try sandbox.write("west.json", Self.dynamoOffer(region: "us-west-2"))
    let w = sandbox.run(["pricing", "import", "--offer", "west.json", "--service", "dynamodb"])
    #expect(w.code == 65)
    #expect(w.stderr.contains("region us-east-1 is not in the offer (it prices: us-west-2)"))
    let s = sandbox.run(["pricing", "import", "--offer", "west.json", "--service", "s3"])
    #expect(s.code == 65 && s.stderr.contains("the offer is for AmazonDynamoDB, not s3"))
    #expect(sandbox.read("pricing/aws/us-east-1/dynamodb.json") == before)
    #expect(!sandbox.exists("pricing/aws/us-west-2"))
  }

  @Test func importIntoAnEmptyFolderWritesANewTable() throws {
    let sandbox = try Sandbox(copyShipped: false)
    try sandbox.write("offer.json", Self.dynamoOffer(write: "0.0000006250", region: "us-west-2"))
    let r = sandbox.run([
      "pricing", "import", "--offer", "offer.json", "--service", "dynamodb", "--region",
      "us-west-2", "--out", "p",
    ])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(
      r.stdout.hasPrefix(
        "wrote p/aws/us-west-2/dynamodb.json from AmazonDynamoDB (effective 2026-11-15, 6 products read)"
      ))
    let book = try RateBook.load(
      pricingRoot: sandbox.root + "/p", provider: "aws", region: "us-west-2")
    #expect(book.rate("dynamodb", "write-request-unit")?.price == Decimal(string: "0.625"))
    #expect(book.rate("dynamodb", "storage")?.freeQuantity == 25)
  }

  @Test func usageErrors() throws {
    let sandbox = try Sandbox()
    for (args, message) in [
      (["pricing"], "Missing action: import, diff or offers"),
      (["pricing", "offers", "--service", "s3"], "'--service' does not go with offers"),
      (["pricing", "export"], "Unknown action 'export'"),
      (["pricing", "import", "--service", "s3"], "Missing '--offer <file>'"),
      (
        ["pricing", "import", "--offer", "nope.json", "--service", "s3"],
        "The value 'nope.json' is invalid for '--offer <file>': no such file"
      ),
      (
        ["pricing", "import", "--offer", "pricing/README.md", "--service", "ec2"],
        "The value 'ec2' is invalid for '--service <name>'"
      ),
      (
        [
          "pricing", "import", "--offer", "pricing/README.md", "--service", "s3", "--region",
          "US East",
        ], "expected a Region code"
      ),
      (
        [
          "pricing", "import", "--offer", "pricing/README.md", "--service", "s3", "--format", "csv",
        ], "'--format' does not go with import"
      ),
      (["pricing", "diff", "pricing"], "diff takes two folders"),
      (
        ["pricing", "diff", "pricing", "nowhere"], "The value 'nowhere' is invalid for '<new-dir>'"
      ),
      (
        ["pricing", "diff", "pricing", "pricing", "--format", "xml"],
        "The value 'xml' is invalid for '--format <format>'"
      ),
      (
        ["pricing", "diff", "pricing", "pricing", "--partial"], "'--partial' does not go with diff"
      ),
    ] {
      let r = sandbox.run(args)
      #expect(r.code == 64, "\(args)")
      #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
      #expect(r.stderr.contains("See 'costplan pricing --help'"), "\(args)")
    }
  }

  /// The seeds priced DynamoDB at $1.25 / $0.25 per million (before the 2024-11-01 cut): the diff shows the halving
  /// and what it does to every scenario.
  @Test func diffAgainstTheSeedsStale2024Prices() throws {
    let sandbox = try Sandbox()
    try FileManager.default.copyItem(
      atPath: sandbox.root + "/pricing", toPath: sandbox.root + "/seed")
    try FileManager.default.removeItem(atPath: sandbox.root + "/seed/aws/us-east-1/dynamodb.json")
    try FileManager.default.copyItem(
      atPath: repoRoot + "/examples/seed-2024/dynamodb.json",
      toPath: sandbox.root + "/seed/aws/us-east-1/dynamodb.json")
    let r = sandbox.run(["pricing", "diff", "seed", "pricing"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains(
        "| aws/us-east-1/dynamodb | `write-request-unit` | 1.25 per 1000000 WRU | 0.625 per 1000000 WRU | -50% |"
      ))
    #expect(
      r.stdout.contains(
        "| aws/us-east-1/dynamodb | `read-request-unit` | 0.25 per 1000000 RRU | 0.125 per 1000000 RRU | -50% |"
      ))
    // Only the request-unit prices halve, so for each option the total falls by exactly what its units cost at
    // the new price: old − new = (WRU × 1.25 + RRU × 0.25)/1e6 − (WRU × 0.625 + RRU × 0.125)/1e6
    //                          = (WRU × 0.625 + RRU × 0.125)/1e6, with WRU and RRU the quantities in the line items.
    let csv = sandbox.run(["pricing", "diff", "seed", "pricing", "--format", "csv"])
    #expect(csv.code == 0)
    let rows = Self.lines(csv.stdout)
    #expect(
      rows.first
        == "kind,table,rate_id,scenario,scale,option,old,new,delta,change_percent,old_feasible,new_feasible"
    )
    // The exact quantities (the CSV rounds them to 10 decimals; the median entity count is √4000): from the JSON.
    let json = sandbox.run([
      "compare", "--scenario", "conversation-history", "--scales", "1", "--format", "json",
    ]).stdout
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let scenario = try #require((root["scenarios"] as? [[String: Any]])?.first)
    let options = try #require(
      (scenario["scales"] as? [[String: Any]])?.first?["options"] as? [[String: Any]])
    let dynamodb = try #require(options.first { $0["id"] as? String == "dynamodb" })
    var wru = Decimal(0)
    var rru = Decimal(0)
    for line in (dynamodb["lines"] as? [[String: Any]]) ?? [] {
      let q = Decimal(string: line["quantity"] as? String ?? "") ?? 0
      if line["rateId"] as? String == "dynamodb/write-request-unit" { wru += q }
      if line["rateId"] as? String == "dynamodb/read-request-unit" { rru += q }
    }
    #expect(wru > 0 && rru > 0)
    let expectedDelta =
      -((wru * Decimal(string: "0.625")! + rru * Decimal(string: "0.125")!) / 1_000_000)
    let row = try #require(rows.first { $0.hasPrefix("total,,,conversation-history,1,dynamodb,") })
    let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    // The CSV carries 10 decimals: each figure is within 5e-11 of the exact one, a difference of two within 1e-10.
    let tiny = Decimal(string: "1e-10")!
    #expect((Decimal(string: f[8])! - expectedDelta).magnitude < tiny)
    #expect((Decimal(string: f[7])! - Decimal(string: f[6])! - expectedDelta).magnitude < tiny)
    // Options that use no DynamoDB rate do not move.
    for r in rows
    where r.hasPrefix("total,")
      && !r.split(separator: ",", omittingEmptySubsequences: false)[5].hasPrefix("dynamodb")
    {
      #expect(r.split(separator: ",", omittingEmptySubsequences: false)[8] == "0", "\(r)")
    }
  }

  @Test func diffShowsFeasibilityAndRecommendationChanges() throws {
    let sandbox = try Sandbox()
    try FileManager.default.copyItem(
      atPath: sandbox.root + "/pricing", toPath: sandbox.root + "/new")
    // Make DynamoDB on-demand writes 1,000 times dearer: the recommendation moves away from the on-demand tables.
    let path = sandbox.root + "/new/aws/us-east-1/dynamodb.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(
        of: "\"id\": \"write-request-unit\", \"unit\": \"WRU\", \"price\": 0.625,",
        with: "\"id\": \"write-request-unit\", \"unit\": \"WRU\", \"price\": 625,")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let r = sandbox.run(["pricing", "diff", "pricing", "new", "--scenarios", "scenarios"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains(
        "| aws/us-east-1/dynamodb | `write-request-unit` | 0.625 per 1000000 WRU | 625 per 1000000 WRU | +99900% |"
      ))
    #expect(r.stdout.contains("### Decisions that change"))
    #expect(r.stdout.contains("recommendation `dynamodb-savings-plan"))
  }
}

@Suite struct PricingOffersTests {
  /// `pricing offers` lists, from the service catalog, which offers feed which table (the monthly workflow reads it).
  @Test func offersListsEachTableAndItsOfferCodes() {
    let r = runCLI(["pricing", "offers"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(
      r.stdout
        == "s3 AmazonS3\ns3 AmazonS3GlacierDeepArchive\nlambda AWSLambda\ndynamodb AmazonDynamoDB\nelasticache AmazonElastiCache\naurora AmazonRDS\n"
    )
  }
}
