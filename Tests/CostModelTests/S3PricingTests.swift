import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// S3 rules of docs/model.md §3.1 on the test rate book (Fixtures): PUT/LIST $5 per 1,000, GET $0.40 per 1,000,
/// storage tiers $0.03 to 1 GB, $0.02 to 3 GB, $0.01 beyond.
@Suite struct S3PricingTests {
  // E = 100 conversations, R = 4 records of B = 1000 bytes, K = 24, Lr = 1, Le = 2.
  // retentionDays 73 → ρ = 73 × 24 / 730 = 2.4 months exactly.
  static let workload = """
    "entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":1000,"keyBytes":24,
    "loadsPerRecord":1,"loadsPerEntity":2,"retentionDays":73
    """

  @Test func objectPerEntityBillsOnePutPerRecordAndOneGetPerLoad() throws {
    let e = try Fixtures.estimate(workload: Self.workload, option: #"{"id":"a","service":"s3"}"#)
    // PUT: W = E × R = 400 requests × $0.005 = $2.00
    #expect(e.quantity("s3/requests-tier1") == 400)
    #expect(e.cost("s3/requests-tier1") == 2)
    // GET: loads = E × (R × Lr + Le) = 100 × (4 + 2) = 600 × $0.0004 = $0.24
    #expect(e.quantity("s3/requests-tier2") == 600)
    #expect(e.cost("s3/requests-tier2") == Fixtures.d("0.24"))
    // Storage: E × ρ = 240 objects of K + R × B = 4024 bytes = 965,760 bytes = 965760 / 2^30 GB at $0.03.
    let gb = Decimal(965_760) / Decimal(1_073_741_824)
    #expect(close(e.quantity("s3/storage-standard"), gb))
    #expect(close(e.total, 2 + Fixtures.d("0.24") + gb * Fixtures.d("0.03")))
    #expect(e.feasible)
  }

  @Test func objectPerRecordListsThenGetsEachRecord() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"a","service":"s3","layout":"object-per-record"}"#)
    // Tier 1 holds 400 PUTs and 600 LISTs (one per load): 1,000 × $0.005 = $5.00, one line (same rate).
    #expect(e.quantity("s3/requests-tier1") == 1000)
    #expect(e.cost("s3/requests-tier1") == 5)
    // GETs: E × (Lr × R(R+1)/2 + Le × R) = 100 × (1 × 10 + 2 × 4) = 1,800 × $0.0004 = $0.72
    #expect(e.quantity("s3/requests-tier2") == 1800)
    #expect(e.cost("s3/requests-tier2") == Fixtures.d("0.72"))
    // Storage: W × ρ = 960 objects of K + B = 1024 bytes = 983,040 bytes.
    #expect(close(e.quantity("s3/storage-standard"), Decimal(983_040) / Decimal(1_073_741_824)))
  }

  @Test func fixedHitRatioSendsOnlyMissesToS3() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"a","service":"s3","cache":{"hitRatio":0.75}}"#)
    // 600 loads × (1 − 0.75) = 150 GETs; PUTs unchanged at 400.
    #expect(e.quantity("s3/requests-tier2") == 150)
    #expect(e.quantity("s3/requests-tier1") == 400)
    #expect(e.facts.hitRatio == Fixtures.d("0.75"))
  }

  @Test func cacheOnObjectPerRecordScalesListsAndGets() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"a","service":"s3","layout":"object-per-record","cache":{"hitRatio":0.5}}"#)
    // LIST 600 × 0.5 = 300 plus 400 PUTs = 700 in tier 1; GETs 1,800 × 0.5 = 900.
    #expect(e.quantity("s3/requests-tier1") == 700)
    #expect(e.quantity("s3/requests-tier2") == 900)
  }

  @Test func extraCacheMemoryAddsLambdaGBSecondsAcrossTiers() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"a","service":"s3","cache":{"hitRatio":0.9,"extraMemoryMB":512}}"#)
    // Invocations = requests = E × n = 100 × (4 × (1 + 1) + 2) = 1,000.
    // GB-s = 1,000 × 1500 ms / 1000 × 512 / 1024 = 750: tier 1 100 × $0.01 = $1, tier 2 650 × $0.005 = $3.25.
    #expect(e.line("lambda/gb-second", tier: 0)?.quantity == 100)
    #expect(e.line("lambda/gb-second", tier: 1)?.quantity == 650)
    #expect(e.cost("lambda/gb-second") == Fixtures.d("4.25"))
  }

  @Test func storageTiersApplyToTheMonthlyTotal() throws {
    // One 1 GiB object per entity, kept all horizon (H = 5): 5 GB stored.
    // Tiers: 1 GB × $0.03 + 2 GB × $0.02 + 2 GB × $0.01 = $0.03 + $0.04 + $0.02 = $0.09.
    let e = try Fixtures.estimate(
      workload: #""entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1073741824,"keyBytes":0"#,
      option: #"{"id":"a","service":"s3"}"#, horizon: 5)
    let tiers = e.lines.filter { $0.rateRef == "s3/storage-standard" }
    #expect(tiers.map(\.quantity) == [1, 2, 2])
    #expect(tiers.map(\.unitPrice) == [Fixtures.d("0.03"), Fixtures.d("0.02"), Fixtures.d("0.01")])
    #expect(e.cost("s3/storage-standard") == Fixtures.d("0.09"))
  }

  @Test func prefixWarningAbove3500PutsPerSecond() throws {
    // W = 4e9 records a month: 4e9 / 2,628,000 s × 3 = 4,566 PUT/s at peak > 3,500.
    let e = try Fixtures.estimate(
      workload: #""entitiesPerMonth":1000000000,"recordsPerEntity":4,"recordBytes":10"#,
      option: #"{"id":"a","service":"s3"}"#)
    #expect(e.warnings.contains { $0.contains("PUT/s") })
    let small = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"a","service":"s3"}"#)
    #expect(small.warnings.isEmpty)
  }

  @Test func scaleMultipliesEntitiesOnly() throws {
    let one = try Fixtures.estimate(workload: Self.workload, option: #"{"id":"a","service":"s3"}"#)
    let ten = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"a","service":"s3"}"#, scale: 10)
    // Everything here is linear in E below the first storage tier: ten times the cost.
    #expect(close(ten.total, one.total * 10))
    #expect(ten.quantity("s3/requests-tier1") == 4000)
  }
}

/// The lambda-fleet hit ratio (docs/model.md §4).
@Suite struct CacheHitRatioTests {
  @Test func warmFleetOfOneHitsAllButTheFirstRequest() throws {
    // n = R(1 + Lr) + Le = 4 × 2 + 2 = 10. Peak = 1,000 requests / 2,628,000 s × 3 = 0.00114/s;
    // c = max(1, ⌈0.00114 × 1.5⌉) = 1. g = L / (R − 1) = 30 / 3 = 10 min ≤ 10 → w = 1. h = 9/10 × 1 = 0.9.
    let e = try Fixtures.estimate(
      workload: S3PricingTests.workload + #","entityLifetimeMinutes":30"#,
      option: #"{"id":"a","service":"s3","cache":{"model":"lambda-fleet"}}"#)
    #expect(e.facts.hitRatio == Fixtures.d("0.9"))
    #expect(e.quantity("s3/requests-tier2") == 60)  // 600 loads × 0.1
  }

  @Test func idleGapLongerThanTimeoutNeverHits() throws {
    // g = 31 / 3 = 10.33 min > 10 → w = 0 → h = 0.
    let e = try Fixtures.estimate(
      workload: S3PricingTests.workload + #","entityLifetimeMinutes":31"#,
      option: #"{"id":"a","service":"s3","cache":{"model":"lambda-fleet"}}"#)
    #expect(e.facts.hitRatio == 0)
  }

  @Test func concurrencyDividesTheHitRatio() throws {
    // E = 1e6: requests = 1e7; peak = 1e7 / 2,628,000 × 3 = 11.415/s; × 1500 ms = 17.12 → c = 18.
    // h = 0.9 / 18 = 0.05.
    let e = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":1000000,"recordsPerEntity":4,"recordBytes":1000,"loadsPerRecord":1,"loadsPerEntity":2,"entityLifetimeMinutes":30"#,
      option: #"{"id":"a","service":"s3","cache":{"model":"lambda-fleet"}}"#)
    #expect(e.facts.hitRatio == Fixtures.d("0.05"))
  }
}
