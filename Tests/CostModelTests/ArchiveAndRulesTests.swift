import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// Archive (docs/model.md §3.5), residency (§2), minimums and the closed-form request-unit sums.
@Suite struct ArchivePricingTests {
  // E = 100, R = 4, K = 24, B = 1000: an entity object is 4,024 bytes. ρ = 2.4 (73 days).
  static func workload(_ archive: String) -> String {
    S3PricingTests.workload + #","archive":"# + archive
  }

  @Test func glacierFlexibleAddsMetadataOverheadAndTransitions() throws {
    // afterDays 73, retainDays 438 → r = 365 d → 365 × 24 / 730 = 12 months; H = 24 leaves 24 − 2.4 = 21.6 → ρa = 12.
    // Stock = 100 objects/month × 12 = 1,200 objects.
    let e = try Fixtures.estimate(
      workload: Self.workload(
        #"{"afterDays":73,"storageClass":"glacier-flexible","retainDays":438,"transitionSmallObjects":true}"#
      ),
      option: #"{"id":"a","service":"s3"}"#, horizon: 24)
    // 100 transitions × $0.03 = $3.00
    #expect(e.quantity("s3/requests-glacier-flexible") == 100)
    #expect(e.cost("s3/requests-glacier-flexible") == 3)
    // Archive class: 1,200 × (4,024 + 32,768) = 44,150,400 bytes.
    #expect(
      close(e.quantity("s3/storage-glacier-flexible"), Decimal(44_150_400) / Decimal(1_073_741_824))
    )
    // Standard holds hot objects (240 × 4,024 = 965,760) plus 8 KB metadata (1,200 × 8,192 = 9,830,400), one total.
    #expect(
      close(
        e.quantity("s3/storage-standard"), Decimal(965_760 + 9_830_400) / Decimal(1_073_741_824)))
    #expect(e.lines.filter { $0.rateRef == "s3/storage-standard" }.count == 1)
  }

  @Test func minimumDurationAppliesToShortArchives() throws {
    // Deep Archive: r = 110 − 73 = 37 days < 180 → billed 180 days = 180 × 24 / 730 months.
    let e = try Fixtures.estimate(
      workload: Self.workload(
        #"{"afterDays":73,"storageClass":"glacier-deep-archive","retainDays":110,"transitionSmallObjects":true}"#
      ),
      option: #"{"id":"a","service":"s3"}"#)
    let months = Decimal(180 * 24) / 730
    #expect(
      close(
        e.quantity("s3/storage-glacier-deep-archive"),
        100 * months * Decimal(4024 + 32768) / Decimal(1_073_741_824), Fixtures.d("1e-25")))
  }

  @Test func archiveWithoutRetainIsCappedByTheHorizon() throws {
    // No retainDays: ρa = H − a/D = 12 − 2.4 = 9.6 months → 960 objects.
    let e = try Fixtures.estimate(
      workload: Self.workload(
        #"{"afterDays":73,"storageClass":"glacier-ir","transitionSmallObjects":true}"#),
      option: #"{"id":"a","service":"s3"}"#)
    // Glacier IR bills at least 128 KB per object: 960 × 131,072 bytes.
    #expect(
      close(e.quantity("s3/storage-glacier-ir"), Decimal(960 * 131_072) / Decimal(1_073_741_824)))
    #expect(e.cost("s3/requests-glacier-ir") == 2)  // 100 × $0.02
  }

  @Test func otherServicesWriteOneObjectPerEntity() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload(#"{"afterDays":73,"storageClass":"standard-ia","retainDays":438}"#),
      option: #"{"id":"d","service":"dynamodb"}"#, horizon: 24)
    // 100 PUTs into Standard-IA × $0.01 = $1; 1,200 objects × max(4,024, 131,072) bytes.
    #expect(e.cost("s3/requests-standard-ia") == 1)
    #expect(
      close(e.quantity("s3/storage-standard-ia"), Decimal(1200 * 131_072) / Decimal(1_073_741_824)))
  }

  @Test func objectPerRecordArchivesEveryRecordObject() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload(
        #"{"afterDays":73,"storageClass":"glacier-flexible","retainDays":438,"transitionSmallObjects":true}"#
      ),
      option: #"{"id":"a","service":"s3","layout":"object-per-record"}"#, horizon: 24)
    #expect(e.quantity("s3/requests-glacier-flexible") == 400)
  }
}

@Suite struct WorkloadRuleTests {
  func derived(_ w: String, horizon: Int = 12) throws -> DerivedWorkload<Decimal> {
    let s = try Fixtures.scenario(
      workload: w, option: #"{"id":"a","service":"s3"}"#, horizon: horizon)
    return DerivedWorkload(workload: s.workload, scale: 3, horizonMonths: s.horizonMonths)
  }

  @Test func derivesLoadsRequestsAndResidency() throws {
    let d = try derived(
      #""entitiesPerMonth":10,"recordsPerEntity":5,"recordBytes":1,"loadsPerRecord":2,"loadsPerEntity":1,"retentionDays":3650,"entityLifetimeMinutes":40"#
    )
    #expect(d.entities == 30)  // 10 × scale 3
    #expect(d.recordsWritten == 150)
    #expect(d.loads == 330)  // 30 × (5 × 2 + 1)
    #expect(d.requestsPerSession == 16)  // 5 × 3 + 1
    #expect(d.hotResidencyMonths == 12)  // min(3650 × 24 / 730 = 120, H = 12)
    #expect(d.recordGapMinutes == 10)  // 40 / (5 − 1)
    #expect(d.recordsReadPerEntity == 35)  // 2 × 15 + 1 × 5
  }

  @Test func noRetentionKeepsForTheHorizon() throws {
    let d = try derived(#""entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1"#, horizon: 7)
    #expect(d.hotResidencyMonths == 7)
    #expect(d.recordGapMinutes == 0)
  }
}

@Suite struct DecimalMathTests {
  /// The allocation-free conversion gives exactly NSDecimalNumber's doubleValue: random mantissas of 1 to 38
  /// digits, exponents −40…40, both signs, and the edge values.
  @Test func toDoubleMatchesNSDecimalNumberBitForBit() {
    var rng = SystemRandomNumberGenerator()
    var samples: [Decimal] = [
      0, 1, -1, Decimal(string: "0.0000166667")!, Decimal(string: "1e30")!,
      Decimal(string: "-7e-30")!,
      Decimal(string: "340282366920938463463374607431768211455")!, Decimal.greatestFiniteMagnitude,
      Decimal.leastNonzeroMagnitude,
    ]
    for _ in 0..<20_000 {
      let digits = Int.random(in: 1...38, using: &rng)
      var text = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
      text += "e\(Int.random(in: -40...40, using: &rng))"
      if Bool.random(using: &rng) { text = "-" + text }
      samples.append(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!)
    }
    for d in samples {
      let expected = NSDecimalNumber(decimal: d).doubleValue
      #expect(DecimalMath.toDouble(d).bitPattern == expected.bitPattern, "\(d)")
    }
  }

  @Test(arguments: [
    (0, 2048, 4096), (64, 2048, 1024), (64, 2048, 4096), (7, 1000, 1024), (0, 1, 4096),
    (4095, 3, 4096), (1, 4096, 4096),
  ])
  func sumCeilMatchesBruteForce(a: Int, b: Int, m: Int) {
    for count in [0, 1, 2, 3, 10, 257, 1000, 5000] {
      var brute = 0
      if count > 0 { for k in 1...count { brute += (a + k * b + m - 1) / m } }
      #expect(
        DecimalMath.sumCeil(a: a, b: b, m: m, count: count, as: Decimal.self) == Decimal(brute),
        "a=\(a) b=\(b) m=\(m) count=\(count)")
    }
  }

  @Test func sumCeilHandlesHugeCounts() {
    // b = 4096 = m: every term is k + ⌈a/m⌉ → Σ = n(n+1)/2 + n for a = 1.
    let n = 1_000_000_000_000
    let expected = Decimal(n) * Decimal(n + 1) / 2 + Decimal(n)
    #expect(DecimalMath.sumCeil(a: 1, b: 4096, m: 4096, count: n, as: Decimal.self) == expected)
  }

  @Test func sumECPUMatchesBruteForce() {
    for s in [1, 100, 500, 1023, 1024, 2112, 5000] {
      for count in [1, 2, 5, 40] {
        var brute = Decimal(0)
        for k in 1...count { brute += Swift.max(1, Decimal(k * s) / 1024) }
        #expect(
          DecimalMath.sumECPU(bytesPerRecord: s, count: count, as: Decimal.self) == brute,
          "s=\(s) count=\(count)")
      }
    }
  }
}

@Suite struct LineBuilderTests {
  /// Prices `quantity` of the table's only rate through a LineBuilder, as the pricers do.
  func priced(_ table: RateTable, _ quantity: Decimal, freeTier: Bool) throws -> [CostLine] {
    var b = LineBuilder<Decimal>(detailed: true)
    b.add("x", table.rates[0].id, "c", quantity)
    let book = RateBook(provider: "aws", region: "r", directory: "d", tables: ["x": table])
    let lines = try b.build(book: book, freeTier: freeTier)
    // The fast Double path must agree with the lines.
    var fast = LineBuilder<Double>(detailed: false)
    fast.add("x", table.rates[0].id, "c", Double(quantity))
    #expect(
      abs(
        try fast.total(book: book, freeTier: freeTier)
          - DecimalMath.toDouble(lines.reduce(0) { $0 + $1.cost })) < 1e-9)
    return lines
  }

  @Test func minimumQuantityRaisesAFlatQuantity() throws {
    let t = try Fixtures.table(
      #"{"version":1,"provider":"aws","service":"x","region":"r","currency":"USD","effectiveDate":"2026-01-01","source":"s","rates":[{"id":"m","unit":"u","price":2,"minimumQuantity":10}]}"#,
      "x")
    let lines = try priced(t, 3, freeTier: false)
    // max(3, 10) = 10 × $2 = $20
    #expect(lines.map(\.quantity) == [10])
    #expect(lines[0].cost == 20)
  }

  @Test func freeQuantityCanSpanTiers() throws {
    let t = try Fixtures.table(
      #"{"version":1,"provider":"aws","service":"x","region":"r","currency":"USD","effectiveDate":"2026-01-01","source":"s","rates":[{"id":"t","unit":"u","freeQuantity":5,"per":10,"tiers":[{"upTo":10,"price":1},{"price":0.5}]}]}"#,
      "x")
    // 25 − 5 free = 20 billable: 10 at $1/10 = $1, 10 at $0.5/10 = $0.50.
    let lines = try priced(t, 25, freeTier: true)
    #expect(lines.map(\.quantity) == [10, 10])
    #expect(lines.map(\.cost) == [1, Fixtures.d("0.5")])
    #expect(lines.map(\.unitPrice) == [Fixtures.d("0.1"), Fixtures.d("0.05")])
    // Without freeTier all 25 are billed.
    let paid = try priced(t, 25, freeTier: false)
    #expect(paid.map(\.quantity) == [10, 15])
  }
}
