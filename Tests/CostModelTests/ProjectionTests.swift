import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// docs/model.md §11: month-by-month growth, the stock of every month's cohort, and switching.
@Suite struct ProjectionTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  static func shipped(_ name: String) throws -> Estimator {
    let book = try RateBook.load(
      pricingRoot: root + "/pricing", provider: "aws", region: "us-east-1")
    let file = root + "/scenarios/\(name).json"
    let s = try Scenario.parse(
      try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: file)), file: file), file: file)
    return Estimator(scenario: s, book: book)
  }

  /// A scenario on the test rate book with growth and the given options.
  static func scenario(
    growth: String, horizon: Int, workload: String, options: [String], scales: String = "1"
  ) throws -> Scenario {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[\(scales)],"horizonMonths":\(horizon),
       "growth":{"monthlyPercent":\(growth)},"workload":{\(workload)},"options":[\(options.joined(separator: ","))]}
      """
    return try Scenario.parse(try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
  }

  /// Month t of option `j` at scale 1, with its line items.
  static func month(_ e: Estimator, _ t: Int, option j: Int = 0) throws -> OptionEstimate {
    let table = GrowthTable<Decimal>(
      monthlyPercent: e.scenario.growth?.monthlyPercent ?? 0,
      months: NSDecimalNumber(decimal: e.scenario.horizonMonths).intValue)
    return try e.estimate(
      e.scenario.options[j], workload: e.workload(at: 1).projected(month: t, growth: table))
  }

  static let gib = Decimal(1_073_741_824)

  @Test func growthPowersAreExactProducts() {
    // 1.1^1 = 1.1, 1.1^2 = 1.21, 1.1^3 = 1.331; −2.5%: 0.975^2 = 0.950625.
    let t = GrowthTable<Decimal>(monthlyPercent: 10, months: 4)
    #expect(t.powers == [1, Fixtures.d("1.1"), Fixtures.d("1.21"), Fixtures.d("1.331")])
    let down = GrowthTable<Decimal>(monthlyPercent: Fixtures.d("-2.5"), months: 3)
    #expect(down.powers == [1, Fixtures.d("0.975"), Fixtures.d("0.950625")])
    #expect(t.isValid && down.isValid)
    // 1000% a month for 1200 months is 11^1199 ≈ 10^1248: beyond Decimal, so the table says so.
    #expect(!GrowthTable<Decimal>(monthlyPercent: 1000, months: 1200).isValid)
  }

  /// S3 object-per-entity (Fixtures: PUT $5 per 1,000, GET $0.40 per 1,000, storage $0.03/GB to 1 GB),
  /// g = 10%, retention 45 days, H = 3. ρ = 45 × 24 / 730 = 1080/730 = 1.47945… months.
  @Test func s3StockFollowsTheCohortsByHand() throws {
    let s = try Self.scenario(
      growth: "10", horizon: 3,
      workload:
        #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":1000,"keyBytes":24,"loadsPerRecord":1,"loadsPerEntity":2,"retentionDays":45"#,
      options: [#"{"id":"s3","service":"s3"}"#])
    let e = Estimator(scenario: s, book: try Fixtures.book())
    let rho = Decimal(1080) / Decimal(730)
    let objectBytes = Decimal(4024)  // K + R × B = 24 + 4 × 1000
    // Month 1: E = 100; one cohort of age [0, 1), weight 1: 100 objects.
    // PUT 100 × 4 = 400 → $2; GET 100 × (4 × 1 + 2) = 600 → $0.24.
    let m1 = try Self.month(e, 1)
    #expect(m1.quantity("s3/requests-tier1") == 400 && m1.cost("s3/requests-tier1") == 2)
    #expect(m1.quantity("s3/requests-tier2") == 600)
    #expect(close(m1.quantity("s3/storage-standard"), 100 * objectBytes / Self.gib))
    // Month 2: E = 110. Cohort 2 (age [0, 1)) weight 1: 110; cohort 1 (age [1, 2)) weight ρ − 1 = 0.47945…:
    // 100 × 0.47945… = 47.945…; stock 157.945… objects. PUT 440 → $2.20, GET 660 → $0.264.
    let m2 = try Self.month(e, 2)
    #expect(
      m2.quantity("s3/requests-tier1") == 440 && m2.cost("s3/requests-tier1") == Fixtures.d("2.2"))
    #expect(
      m2.quantity("s3/requests-tier2") == 660 && m2.cost("s3/requests-tier2") == Fixtures.d("0.264")
    )
    let stock2 = 110 + 100 * (rho - 1)
    #expect(
      close(
        m2.quantity("s3/storage-standard"), stock2 * objectBytes / Self.gib, Fixtures.d("1e-25")))
    // Month 3: E = 121. Cohort 3 weight 1: 121; cohort 2 (age [1, 2)) 110 × 0.47945… = 52.739…; cohort 1
    // (age [2, 3)) weight max(0, min(3, ρ) − 2) = 0. Stock 173.739… objects. PUT 484 → $2.42, GET 726 → $0.2904.
    let m3 = try Self.month(e, 3)
    #expect(m3.cost("s3/requests-tier1") == Fixtures.d("2.42"))
    #expect(m3.cost("s3/requests-tier2") == Fixtures.d("0.2904"))
    let stock3 = 121 + 110 * (rho - 1)
    #expect(
      close(
        m3.quantity("s3/storage-standard"), stock3 * objectBytes / Self.gib, Fixtures.d("1e-25")))
    #expect(
      close(
        m3.total, Fixtures.d("2.71040") + stock3 * objectBytes / Self.gib * Fixtures.d("0.03"),
        Fixtures.d("1e-25")))
    // The steady state (what compare shows) holds E = 100 × ρ = 147.945… objects and 400 PUTs: not month 3.
    let steady = try e.estimate(s.options[0], scale: 1)
    #expect(close(steady.quantity("s3/storage-standard"), 100 * rho * objectBytes / Self.gib))
    // The projection's totals are these months, summed.
    let p = try Projector.project(e)
    let row = try #require(p.scales.first?.option("s3"))
    #expect(row.monthly == [m1.total, m2.total, m3.total])
    #expect(row.cumulative == [m1.total, m1.total + m2.total, m1.total + m2.total + m3.total])
    #expect(row.cheapestMonths == [1, 2, 3])
  }

  /// With g = 0, month H is §2's steady state exactly, for every option of both shipped scenarios at every scale.
  @Test(arguments: ["conversation-history", "ops-review-results"])
  func flatGrowthEndsAtTheSteadyState(_ name: String) throws {
    // Growth taken away (the chat scenario grows 20% a month): g = 0.
    var e = try Self.shipped(name)
    e.scenario.growth = nil
    let p = try Projector.project(e)
    #expect(p.monthlyPercent == 0 && p.months == 12)
    for (i, scale) in e.scenario.scales.enumerated() {
      for (j, o) in e.scenario.options.enumerated() {
        let steady = try e.estimate(o, scale: scale)
        let row = p.scales[i].options[j]
        #expect(row.monthly.last == steady.total, "\(o.id) at \(scale)×")
        #expect(row.feasible.last == steady.feasible, "\(o.id) at \(scale)×")
        // Line by line too, quantities and costs.
        let table = GrowthTable<Decimal>(monthlyPercent: 0, months: 12)
        let last = try e.estimate(
          o, workload: e.workload(at: scale).projected(month: 12, growth: table))
        #expect(last.lines == steady.lines, "\(o.id) at \(scale)×")
      }
    }
  }

  @Test(arguments: ["conversation-history", "ops-review-results"])
  func theProjectionsMonthlyTotalIsTheEstimates(_ name: String) throws {
    // The projection prices each month without the lines' names: every month's total and first infeasibility
    // reason must be the full estimate's, feasible or not (the chat's t4g.micro runs out of memory as it grows).
    let e = try Self.shipped(name)
    let p = try Projector.project(e)
    var infeasible = 0
    for (i, scale) in e.scenario.scales.enumerated() {
      for (j, o) in e.scenario.options.enumerated() {
        for t in [1, p.months / 2, p.months] {
          let table = GrowthTable<Decimal>(
            monthlyPercent: e.scenario.growth?.monthlyPercent ?? 0, months: p.months)
          let full = try e.estimate(
            o, workload: e.workload(at: scale).projected(month: t, growth: table))
          #expect(
            p.scales[i].options[j].monthly[t - 1] == full.total, "\(o.id) \(scale)× month \(t)")
          #expect(p.scales[i].options[j].feasible[t - 1] == full.feasible)
          if let reason = full.infeasibleReasons.first {
            infeasible += 1
            let first = p.scales[i].options[j].firstInfeasible
            #expect(first != nil && first!.0 <= t)
            if first?.0 == t { #expect(first?.1 == reason) }
          }
        }
      }
    }
    if name == "conversation-history" { #expect(infeasible > 0) }
  }

  /// The weight of the cohort written in month j, in month t: the overlap of its age [t − j, t − j + 1) with
  /// [start, end) (docs/model.md §11), written out here on its own.
  static func weight(_ t: Int, _ j: Int, start: Decimal, end: Decimal?) -> Decimal {
    let lo = Swift.max(Decimal(t - j), start)
    let hi = end.map { Swift.min(Decimal(t - j + 1), $0) } ?? Decimal(t - j + 1)
    return Swift.max(0, hi - lo)
  }

  /// Σ_{j=1}^{t} inflow_j × weight(t, j), inflow_j = E × f^(j − 1) × perEntity.
  static func bruteForce(
    _ t: Int, growth g: Decimal, entities: Decimal, start: Decimal, end: Decimal?
  ) -> Decimal {
    var sum = Decimal(0)
    for j in 1...t {
      var inflow = entities
      for _ in 1..<j { inflow *= 1 + g / 100 }
      sum += inflow * weight(t, j, start: start, end: end)
    }
    return sum
  }

  /// Storage quantities of every kind (S3 hot and small-object Standard, DynamoDB items with TTL lag, archive
  /// stock with its minimum duration, kept forever) agree with a brute-force sum over cohorts.
  @Test(arguments: ["12.5", "-4", "150"])
  func storageMatchesABruteForceSumOverCohorts(_ growth: String) throws {
    let g = Fixtures.d(growth)
    let D = Decimal(730) / Decimal(24)
    let H = 9
    // Retention 50 days, archived after 20 days to Glacier Flexible for 20 − 20 … until day 100 (r = 80 d,
    // minimum 90 d → billed 90 d). S3's hot copy ends at 20 d; DynamoDB's at 50 + 2 d.
    let archived = try Self.scenario(
      growth: growth, horizon: H,
      workload:
        #""entitiesPerMonth":30,"recordsPerEntity":3,"recordBytes":200000,"keyBytes":0,"retentionDays":50,"archive":{"afterDays":20,"storageClass":"glacier-flexible","retainDays":100}"#,
      options: [
        #"{"id":"s3","service":"s3"}"#,
        #"{"id":"ddb","service":"dynamodb","layout":"item-per-entity"}"#,
      ])
    let e = Estimator(scenario: archived, book: try Fixtures.book())
    let objectBytes = Decimal(600_000)
    for t in 1...H {
      let s3 = try Self.month(e, t, option: 0)
      let hot = Self.bruteForce(t, growth: g, entities: 30, start: 0, end: 20 / D)
      let archive = Self.bruteForce(t, growth: g, entities: 30, start: 20 / D, end: 20 / D + 90 / D)
      // Hot in Standard plus the archive's 8 KB of metadata per object, one rate.
      let standard = (hot * objectBytes + archive * 8192) / Self.gib
      #expect(
        close(s3.quantity("s3/storage-standard"), standard, Fixtures.d("1e-20")), "month \(t)")
      #expect(
        close(
          s3.quantity("s3/storage-glacier-flexible"), archive * (objectBytes + 32768) / Self.gib,
          Fixtures.d("1e-20")), "month \(t)")
      let ddb = try Self.month(e, t, option: 1)
      let items = Self.bruteForce(t, growth: g, entities: 30, start: 0, end: 52 / D)
      #expect(
        close(
          ddb.quantity("dynamodb/storage"), items * (objectBytes + 100) / Self.gib,
          Fixtures.d("1e-20")),
        "month \(t)")
    }
    // Small objects (2,000 B < 128 KB) stay in Standard from day 20 to day 100 (no minimum); kept forever: all
    // of [0, ∞).
    let small = try Self.scenario(
      growth: growth, horizon: H,
      workload:
        #""entitiesPerMonth":30,"recordsPerEntity":1,"recordBytes":2000,"keyBytes":0,"retentionDays":50,"archive":{"afterDays":20,"storageClass":"glacier-flexible","retainDays":100}"#,
      options: [#"{"id":"s3","service":"s3"}"#])
    let forever = try Self.scenario(
      growth: growth, horizon: H,
      workload: #""entitiesPerMonth":30,"recordsPerEntity":1,"recordBytes":2000,"keyBytes":0"#,
      options: [#"{"id":"s3","service":"s3"}"#])
    let es = Estimator(scenario: small, book: try Fixtures.book())
    let ef = Estimator(scenario: forever, book: try Fixtures.book())
    for t in 1...H {
      let hot = Self.bruteForce(t, growth: g, entities: 30, start: 0, end: 20 / D)
      let stay = Self.bruteForce(t, growth: g, entities: 30, start: 20 / D, end: 100 / D)
      #expect(
        close(
          try Self.month(es, t).quantity("s3/storage-standard"), (hot + stay) * 2000 / Self.gib,
          Fixtures.d("1e-20")), "month \(t)")
      let all = Self.bruteForce(t, growth: g, entities: 30, start: 0, end: nil)
      #expect(
        close(
          try Self.month(ef, t).quantity("s3/storage-standard"), all * 2000 / Self.gib,
          Fixtures.d("1e-20")),
        "month \(t)")
    }
  }

  /// DynamoDB on demand (free tier on: its tiny storage is free) against one small ElastiCache node ($0.01 an
  /// hour = $7.30 a month, whatever the traffic), g = 50%, H = 4, retention 71 days (+2 days of TTL lag = 73 days,
  /// ρ = 2.4 months for DynamoDB).
  @Test func switchingTotalsByHand() throws {
    let s = try Self.scenario(
      growth: "50", horizon: 4,
      workload:
        #""entitiesPerMonth":4000,"recordsPerEntity":1,"recordBytes":1000,"keyBytes":24,"loadsPerRecord":0,"loadsPerEntity":1,"retentionDays":71"#,
      options: [
        #"{"id":"ddb","service":"dynamodb","freeTier":true}"#,
        #"{"id":"cache","service":"elasticache","nodeType":"small","engine":"valkey"}"#,
      ])
    let p = try Projector.project(Estimator(scenario: s, book: try Fixtures.book()))
    let at = try #require(p.scales.first)
    // Entities 4,000, 6,000, 9,000, 13,500. DynamoDB per entity: 1 WRU ($0.001) + one Query of ⌈1024 / 4096⌉ = 1
    // RRU, halved (eventually consistent) = 0.5 × $0.0002 = $0.0001: $0.0011 → $4.40, $6.60, $9.90, $14.85.
    let ddb = try #require(at.option("ddb"))
    #expect(
      ddb.monthly == [Fixtures.d("4.4"), Fixtures.d("6.6"), Fixtures.d("9.9"), Fixtures.d("14.85")])
    #expect(ddb.total == Fixtures.d("35.75"))
    let cache = try #require(at.option("cache"))
    #expect(
      cache.monthly == [Fixtures.d("7.3"), Fixtures.d("7.3"), Fixtures.d("7.3"), Fixtures.d("7.3")])
    #expect(at.cheapest == ["ddb", "ddb", "cache", "cache"])
    #expect(ddb.cheapestMonths == [1, 2] && cache.cheapestMonths == [3, 4])
    let plan = try #require(at.plan)
    #expect(plan.from == "ddb" && plan.to == "cache")
    #expect(plan.stay.total == Fixtures.d("35.75") && plan.stay.feasible)
    #expect(plan.start.total == Fixtures.d("29.2"))
    // The stock moved at the start of month t is DynamoDB's of month t − 1, cohorts weighted 1, 1, 0.4 by age:
    // month 1: 4,000; month 2: 6,000 + 4,000 = 10,000; month 3: 9,000 + 6,000 + 0.4 × 4,000 = 16,600 entities.
    // Each read once (0.5 RRU, $0.0001); the node bills no one-off writes. Migration $0.40, $1.00, $1.66.
    // (The stock passes through one division by month t's growth factor: equal to Decimal's last digits.)
    #expect(plan.candidates.map(\.month) == [2, 3, 4])
    for (c, (entities, cost, total)) in zip(
      plan.candidates,
      [(4000, "0.4", "26.7"), (10000, "1", "26.6"), (16600, "1.66", "29.86")]
        as [(Decimal, String, String)])
    {
      #expect(close(c.migration.entities, entities), "month \(c.month)")
      #expect(close(c.migration.total, Fixtures.d(cost)), "month \(c.month)")
      // Switch at 2: 4.40 + 0.40 + 3 × 7.30 = 26.70; at 3: 4.40 + 6.60 + 1.00 + 2 × 7.30 = 26.60;
      // at 4: 4.40 + 6.60 + 9.90 + 1.66 + 7.30 = 29.86.
      #expect(close(c.total.total, Fixtures.d(total)), "month \(c.month)")
      #expect(c.total.feasible)
    }
    #expect(plan.best?.month == 3)
  }

  /// Each service's migration rules: reads by the source's load rules (no cache), writes by the destination's
  /// append rules, one write per entity for the one-object-per-entity layouts; nothing for capacity-priced lines.
  @Test func migrationLinesFollowEachServicesRules() throws {
    // E = 100, R = 3, B = 1500, K = 100; retention 365 days: H = 2 months all resident, so month 1's stock is
    // the 100 entities of month 1 (g = 0).
    let w =
      #""entitiesPerMonth":100,"recordsPerEntity":3,"recordBytes":1500,"keyBytes":100,"retentionDays":365"#
    let options = [
      #"{"id":"s3","service":"s3","cache":{"hitRatio":0.9}}"#,
      #"{"id":"s3r","service":"s3","layout":"object-per-record"}"#,
      #"{"id":"ddb","service":"dynamodb","layout":"item-per-record","consistentReads":true}"#,
      #"{"id":"ddbe","service":"dynamodb","layout":"item-per-entity"}"#,
      #"{"id":"ddbp","service":"dynamodb","capacity":"provisioned"}"#,
      #"{"id":"node","service":"elasticache","nodeType":"small","engine":"valkey"}"#,
      #"{"id":"sls","service":"elasticache","mode":"serverless","engine":"valkey"}"#,
      #"{"id":"pg","service":"aurora-serverless-v2","readIOsPerLoad":2}"#,
    ]
    let s = try Self.scenario(growth: "0", horizon: 2, workload: w, options: options)
    let e = Estimator(scenario: s, book: try Fixtures.book())
    let table = GrowthTable<Decimal>(monthlyPercent: 0, months: 2)
    func move(_ a: String, _ b: String) throws -> Migration {
      try Projector.migration(
        from: s.option(a)!, to: s.option(b)!, month: 2, scale: 1, estimator: e, table: table)
    }
    func q(_ m: Migration, _ ref: String) -> Decimal {
      m.lines.filter { $0.rateRef == ref }.reduce(0) { $0 + $1.quantity }
    }
    // S3 + cache → S3 object-per-record: 100 GETs of the entity object (the cache is bypassed: not 10), then
    // 300 PUTs, one per record. $0.04 + $1.50.
    let a = try move("s3", "s3r")
    #expect(a.entities == 100)
    #expect(q(a, "s3/requests-tier2") == 100 && q(a, "s3/requests-tier1") == 300)
    #expect(a.total == Fixtures.d("1.54"))
    // object-per-record → DynamoDB item-per-entity: 100 × ⌈3 / 1000⌉ = 100 LISTs + 300 GETs; one PutItem per
    // entity of ⌈(100 + 3 × 1500) / 1024⌉ = ⌈4.49⌉ = 5 WRU: 500 WRU (not the list_appends' 2 + 4 + 5 = 11 each).
    let b = try move("s3r", "ddbe")
    #expect(q(b, "s3/requests-tier1") == 100 && q(b, "s3/requests-tier2") == 300)
    #expect(q(b, "dynamodb/write-request-unit") == 500)
    // DynamoDB item-per-record, strongly consistent → S3 object-per-entity: a Query of ⌈3 × 1600 / 4096⌉ = 2 RRU
    // per entity (200), then one PUT per entity (100).
    let c = try move("ddb", "s3")
    #expect(q(c, "dynamodb/read-request-unit") == 200 && q(c, "s3/requests-tier1") == 100)
    // item-per-entity, eventually consistent → item-per-record: GetItem ⌈4600 / 4096⌉ = 2 × 0.5 = 1 RRU per entity
    // (100); PutItems ⌈1600 / 1024⌉ = 2 WRU per record, 3 records (600).
    let d = try move("ddbe", "ddb")
    #expect(q(d, "dynamodb/read-request-unit") == 100 && q(d, "dynamodb/write-request-unit") == 600)
    // Provisioned DynamoDB and ElastiCache nodes: capacity-priced, nothing one-off either way.
    #expect(try move("ddbp", "node").lines.isEmpty)
    // Serverless ElastiCache: a load of 3 × 1600 B = 4.6875 ECPUs per entity, then 3 appends of 1600 / 1024 =
    // 1.5625 ECPUs: 468.75 + 468.75 = 937.5 ECPUs in one line.
    let f = try move("sls", "sls")
    #expect(q(f, "elasticache/serverless-ecpu:valkey") == Fixtures.d("937.5"))
    // Aurora Standard: 2 read I/Os per entity (200), then ⌈1600 / 4096⌉ + 1 = 2 write I/Os per record (600).
    let g = try move("pg", "pg")
    #expect(q(g, "aurora/io-request") == 800)
  }

  @Test func aSwitchInMonthOneMovesNothing() throws {
    let s = try Self.scenario(
      growth: "5", horizon: 2,
      workload: #""entitiesPerMonth":10,"recordsPerEntity":1,"recordBytes":10"#,
      options: [#"{"id":"s3","service":"s3"}"#])
    let e = Estimator(scenario: s, book: try Fixtures.book())
    let m = try Projector.migration(
      from: s.options[0], to: s.options[0], month: 1, scale: 1, estimator: e,
      table: GrowthTable(monthlyPercent: 5, months: 2))
    #expect(m.entities == 0 && m.lines.isEmpty && m.total == 0)
  }

  /// A horizon that is not a whole number of months cannot be projected; with growth it is refused when read.
  @Test func fractionalHorizonIsADataError() throws {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":6.5,%@
       "workload":{"entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1},"options":[{"id":"a","service":"s3"}]}
      """
    func parse(_ extra: String) throws -> Scenario {
      let text = json.replacingOccurrences(of: "%@", with: extra)
      return try Scenario.parse(
        try JSONParser.parse(Data(text.utf8), file: "t.json"), file: "t.json")
    }
    do {
      _ = try parse(#""growth":{"monthlyPercent":2},"#)
      Issue.record("a fractional horizon with growth was accepted")
    } catch let e as DataError {
      #expect(e.path == "horizonMonths" && e.message.contains("whole number"), "\(e)")
    }
    let steady = try parse("")
    #expect(throws: DataError.self) {
      _ = try Projector.project(Estimator(scenario: steady, book: try Fixtures.book()))
    }
  }

  /// A steady decline the other way: −50% a month for 1,200 months is 0.5^1199 ≈ 10^−361, below Decimal's smallest
  /// exponent. The powers 0.5^k carry 38-digit mantissas, so 0.5^k's exponent is ⌊log10 0.5^k⌋ − 37: −127 at
  /// k = 299 (0.5^299 ≈ 1.3 × 10^−90), −129 at k = 303 (≈ 6.1 × 10^−92). Foundation's `*` trapped there (an
  /// illegal instruction, the process killed: `costplan project` on such a scenario died). Now it is a data error.
  @Test func aDeclineBelowDecimalIsADataErrorNotACrash() throws {
    let s = try Self.scenario(
      growth: "-50", horizon: 1200,
      workload: #""entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1"#,
      options: [#"{"id":"s3","service":"s3"}"#])
    #expect(!GrowthTable<Decimal>(monthlyPercent: -50, months: 1200).isValid)
    // 300 months (powers up to 0.5^299) still fit.
    #expect(GrowthTable<Decimal>(monthlyPercent: -50, months: 300).isValid)
    do {
      _ = try Projector.project(Estimator(scenario: s, book: try Fixtures.book()))
      Issue.record("no error")
    } catch let e as DataError {
      #expect(
        e.path == "growth.monthlyPercent" && e.message.contains("a decline of 50% a month")
          && e.message.contains("below what can be computed"),
        "\(e)")
      // The error points at the growth rate itself (file:line:column), inside the scenario's growth block.
      let block = try #require(s.fieldPositions["growth"])
      let rate = try #require(s.fieldPositions["growth.monthlyPercent"])
      #expect(e.position == rate)
      #expect(rate.line > block.line || (rate.line == block.line && rate.column > block.column))
    }
  }

  @Test func trafficBeyondDecimalIsADataErrorNamingGrowth() throws {
    let s = try Self.scenario(
      growth: "1000", horizon: 1200,
      workload: #""entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1"#,
      options: [#"{"id":"s3","service":"s3"}"#])
    do {
      _ = try Projector.project(Estimator(scenario: s, book: try Fixtures.book()))
      Issue.record("no error")
    } catch let e as DataError {
      #expect(
        e.path == "growth.monthlyPercent" && e.message.contains("beyond what can be computed"),
        "\(e)")
    }
  }
}
