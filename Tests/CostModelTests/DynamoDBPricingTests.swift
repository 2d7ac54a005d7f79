import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// DynamoDB rules of docs/model.md §3.2 on the test rate book: $1 per 1,000 WRU, $0.20 per 1,000 RRU,
/// storage $0.25/GB-month (25 GB free with freeTier), PITR $0.20.
@Suite struct DynamoDBPricingTests {
  // K = 48, B = 2000: an item per record is I = 2048 bytes. E = 100, R = 4, Lr = 1, Le = 2, ρ = 2.4.
  static let workload = """
    "entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":2000,"keyBytes":48,
    "loadsPerRecord":1,"loadsPerEntity":2,"retentionDays":73
    """

  @Test func itemPerRecordRoundsWritesPerItemAndQueriesOnTheSum() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"d","service":"dynamodb"}"#)
    // Write: ⌈2048 / 1024⌉ = 2 WRU × 400 records = 800 WRU × $0.001 = $0.80
    #expect(e.quantity("dynamodb/write-request-unit") == 800)
    #expect(e.cost("dynamodb/write-request-unit") == Fixtures.d("0.8"))
    // Query of k items: ⌈k × 2048 / 4096⌉ → k = 1..4: 1, 1, 2, 2 (sum 6); at R: 2.
    // Per entity: Lr × 6 + Le × 2 = 10; × 100 = 1,000 RRU, halved (eventually consistent) = 500.
    #expect(e.quantity("dynamodb/read-request-unit") == 500)
    #expect(e.cost("dynamodb/read-request-unit") == Fixtures.d("0.1"))
    // Storage: items live 73 days + the 2-day TTL lag = 75 days: ρ = 75 × 24 / 730 = 1800 / 730 months;
    // W × ρ = 400 × 1800 / 730 = 986.30 items × (2048 + 100) bytes.
    #expect(
      close(
        e.quantity("dynamodb/storage"), Decimal(400 * 1800 * 2148) / 730 / Decimal(1_073_741_824)))
    // Without the lag (ttlLagDays 0): 960 items × 2148 = 2,062,080 bytes.
    let noLag = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"d","service":"dynamodb","ttlLagDays":0}"#)
    #expect(close(noLag.quantity("dynamodb/storage"), Decimal(2_062_080) / Decimal(1_073_741_824)))
  }

  @Test func stronglyConsistentReadsCostTwice() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"d","service":"dynamodb","consistentReads":true}"#)
    #expect(e.quantity("dynamodb/read-request-unit") == 1000)
  }

  @Test func itemPerEntityChargesTheGrowingItem() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"d","service":"dynamodb","layout":"item-per-entity"}"#)
    // After k appends the item is 48 + 2000k = 2048, 4048, 6048, 8048 bytes.
    // WRU ⌈/1024⌉: 2 + 4 + 6 + 8 = 20 per entity × 100 = 2,000 WRU.
    #expect(e.quantity("dynamodb/write-request-unit") == 2000)
    // GetItem ⌈/4096⌉: 1 + 1 + 2 + 2 = 6; at R: 2. Per entity 1 × 6 + 2 × 2 = 10 → 1,000 × ½ = 500 RRU.
    #expect(e.quantity("dynamodb/read-request-unit") == 500)
    // Storage: E × ρ with the 2-day TTL lag = 100 × 1800 / 730 items × (8048 + 100) bytes
    // (240 items × 8148 = 1,955,520 bytes without the lag).
    #expect(
      close(
        e.quantity("dynamodb/storage"), Decimal(100 * 1800 * 8148) / 730 / Decimal(1_073_741_824)))
    #expect(e.feasible)
  }

  @Test func itemPerEntityOver400KBIsInfeasibleButPriced() throws {
    // 48 + 205 × 2000 = 410,048 > 409,600 bytes.
    let over = try Fixtures.estimate(
      workload: #""entitiesPerMonth":1,"recordsPerEntity":205,"recordBytes":2000,"keyBytes":48"#,
      option: #"{"id":"d","service":"dynamodb","layout":"item-per-entity"}"#)
    #expect(!over.feasible)
    #expect(over.infeasibleReasons[0].contains("400 KB"))
    #expect(over.total > 0)
    // 48 + 204 × 2000 = 408,048 ≤ 409,600.
    let under = try Fixtures.estimate(
      workload: #""entitiesPerMonth":1,"recordsPerEntity":204,"recordBytes":2000,"keyBytes":48"#,
      option: #"{"id":"d","service":"dynamodb","layout":"item-per-entity"}"#)
    #expect(under.feasible)
  }

  @Test func freeTierOnlyWhenAsked() throws {
    // One 10 GiB item per entity kept 3 months: 3 × (10 × 2^30 + 100) bytes = 30 GB + 300 B.
    let w = #""entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":10737418240,"keyBytes":0"#
    let paid = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb"}"#, horizon: 3)
    let gb = Decimal(30) + Decimal(300) / Decimal(1_073_741_824)
    #expect(close(paid.quantity("dynamodb/storage"), gb))
    let free = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb","freeTier":true}"#, horizon: 3)
    // 25 GB free: 5 GB + 300 B billed at $0.25.
    #expect(close(free.quantity("dynamodb/storage"), gb - 25))
    #expect(close(free.cost("dynamodb/storage"), (gb - 25) * Fixtures.d("0.25")))
  }

  @Test func pitrBillsTheTableSize() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"d","service":"dynamodb","pitr":true}"#)
    #expect(e.quantity("dynamodb/pitr-storage") == e.quantity("dynamodb/storage"))
    #expect(
      close(e.cost("dynamodb/pitr-storage"), e.quantity("dynamodb/storage") * Fixtures.d("0.2")))
  }
}
