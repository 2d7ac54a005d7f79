import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// ElastiCache rules of docs/model.md §3.3 on the test rate book: Valkey nodes small (1 GiB, $0.01/h),
/// medium (4 GiB, $0.03/h), large (16 GiB, $0.10/h); serverless $0.10/GB-hour (min 0.1 GB), $2/M ECPU.
@Suite struct ElastiCachePricingTests {
  // K = 24, B = 1000, overhead 400: 1424 bytes per resident record; W × ρ = 960 resident.
  static let workload = S3PricingTests.workload

  @Test func nodeBills730HoursPerNode() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"c","service":"elasticache","nodeType":"small"}"#)
    // 730 h × $0.01 = $7.30
    #expect(e.quantity("elasticache/node:small:valkey") == 730)
    #expect(e.total == Fixtures.d("7.3"))
    let replicated = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"c","service":"elasticache","nodeType":"small","replicas":2}"#)
    // 3 nodes × 730 h = 2,190 h × $0.01 = $21.90
    #expect(replicated.total == Fixtures.d("21.9"))
  }

  @Test func redisEngineUsesItsOwnRate() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"c","service":"elasticache","nodeType":"small","engine":"redis"}"#)
    #expect(e.total == Fixtures.d("14.6"))  // 730 × $0.02
  }

  @Test func autoPicksTheCheapestNodeThatFits() throws {
    // 960 resident records × 1,000,000 bytes (K = 0, overhead 0) = 960 MB = 0.894 GiB:
    // small has 0.75 GiB usable (1 GiB − 25%), medium 3 GiB → medium, 730 × $0.03 = $21.90.
    let w =
      #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":1000000,"keyBytes":0,"retentionDays":73"#
    let e = try Fixtures.estimate(
      workload: w,
      option: #"{"id":"c","service":"elasticache","nodeType":"auto","perRecordOverheadBytes":0}"#)
    #expect(e.facts.nodeType == "medium")
    #expect(e.total == Fixtures.d("21.9"))
    #expect(e.feasible)
    // The same data on a named small node does not fit.
    let small = try Fixtures.estimate(
      workload: w,
      option: #"{"id":"c","service":"elasticache","nodeType":"small","perRecordOverheadBytes":0}"#)
    #expect(!small.feasible)
  }

  @Test func autoWithNothingBigEnoughPricesTheLargestAndIsInfeasible() throws {
    // 960 × 20 MB = 19.2 GB = 17.9 GiB > 12 GiB usable on large.
    let e = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":20000000,"keyBytes":0,"retentionDays":73"#,
      option: #"{"id":"c","service":"elasticache","perRecordOverheadBytes":0}"#)
    #expect(e.facts.nodeType == "large")
    #expect(!e.feasible)
    #expect(e.total == 73)  // 730 × $0.10
  }

  @Test func serverlessBillsTheMinimumDataStoredPerHour() throws {
    // 960 × 1424 = 1,367,040 bytes = 0.00127 GB < 0.1 GB minimum → 0.1 × 730 = 73 GB-hours × $0.10 = $7.30.
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"c","service":"elasticache","mode":"serverless"}"#)
    #expect(e.quantity("elasticache/serverless-storage:valkey") == 73)
    #expect(e.cost("elasticache/serverless-storage:valkey") == Fixtures.d("7.3"))
    // ECPU: K + B = 1024 bytes → 1 per append (400); a load of k records moves k KB → k ECPU:
    // Σ k = 10, at R 4 → per entity 1 × 10 + 2 × 4 = 18 → 1,800. Total 2,200 × $0.000002 = $0.0044.
    #expect(e.quantity("elasticache/serverless-ecpu:valkey") == 2200)
    #expect(e.cost("elasticache/serverless-ecpu:valkey") == Fixtures.d("0.0044"))
  }

  @Test func serverlessChargesAtLeastOneECPUPerRequest() throws {
    // K + B = 500 bytes: appends max(1, 0.488) = 1 → 400. Loads of k = 1..4 records:
    // max(1, 0.488) + max(1, 0.977) + 1500/1024 + 2000/1024 = 1 + 1 + 1.46484375 + 1.953125 = 5.41796875;
    // at R: 1.953125. Per entity 5.41796875 + 2 × 1.953125 = 9.32421875 → × 100 = 932.421875. Total 1332.421875.
    let e = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":500,"keyBytes":0,"loadsPerRecord":1,"loadsPerEntity":2,"retentionDays":73"#,
      option: #"{"id":"c","service":"elasticache","mode":"serverless"}"#)
    #expect(e.quantity("elasticache/serverless-ecpu:valkey") == Fixtures.d("1332.421875"))
  }

  @Test func serverlessAboveTheMinimumBillsResidentGB() throws {
    // 960 × 1,000,000 bytes = 0.894069671630859375 GB × 730 h.
    let e = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":1000000,"keyBytes":0,"retentionDays":73"#,
      option: #"{"id":"c","service":"elasticache","mode":"serverless","perRecordOverheadBytes":0}"#)
    #expect(
      close(
        e.quantity("elasticache/serverless-storage:valkey"),
        Fixtures.d("0.894069671630859375") * 730))
  }
}

/// Aurora Serverless v2 rules of docs/model.md §3.4: $0.12/ACU-h, storage $0.10, I/O $0.20 per million.
@Suite struct AuroraPricingTests {
  static let workload = S3PricingTests.workload

  @Test func alwaysOnHalfACU() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload, option: #"{"id":"a","service":"aurora-serverless-v2"}"#)
    // acu = max(0.5, peak QPS / 250) = 0.5; 0.5 × 730 = 365 ACU-h × $0.12 = $43.80
    #expect(e.quantity("aurora/acu-hour") == 365)
    #expect(e.cost("aurora/acu-hour") == Fixtures.d("43.8"))
    // Storage: 960 rows × (1024 + 850) = 1,799,040 bytes.
    #expect(close(e.quantity("aurora/storage"), Decimal(1_799_040) / Decimal(1_073_741_824)))
    // I/O: 400 inserts × (⌈1024 / 4096⌉ + 1 = 2) = 800; loads × 0 = 0.
    #expect(e.quantity("aurora/io-request") == 800)
  }

  @Test func autoPauseBillsTheActiveFraction() throws {
    // λ = E / 730 = 100/730 per hour; L + P = 25 + 5 = 30 min = 0.5 h. Default profile (peakToAverage 3):
    // 6 hours at m = 3, 18 at m = 1/3; f_h = 1 − exp(−λ m_h × 0.5):
    //   f(3) = 1 − exp(−0.2054795) = 0.185743, f(1/3) = 1 − exp(−0.0228311) = 0.022572.
    // Capacity 0.5 ACU every hour (a tiny load). ACU-hours = (730 / 24) × 0.5 × (6 × 0.185773 + 18 × 0.022572)
    //   = 30.41667 × 0.5 × 1.520762 = 23.128.
    let e = try Fixtures.estimate(
      workload: Self.workload + #","entityLifetimeMinutes":25"#,
      option: #"{"id":"a","service":"aurora-serverless-v2","minACU":0,"autoPauseMinutes":5}"#)
    let f3 = 1 - Foundation.exp(-100.0 / 730.0 * 3 * 0.5)
    let f13 = 1 - Foundation.exp(-100.0 / 730.0 / 3 * 0.5)
    #expect(abs(f3 - 0.185743) < 1e-6 && abs(f13 - 0.022572) < 1e-6)
    let hours = DecimalMath.toDouble(e.quantity("aurora/acu-hour"))
    #expect(abs(hours - 730.0 / 24 * 0.5 * (6 * f3 + 18 * f13)) < 1e-9)
    #expect(abs(hours - 23.128) < 0.001)
    // The pause probability a session meets: Σ_h (m_h / 24) exp(−λ_h × 0.5) = (6 × 3 × 0.814257 + 18 × ⅓ × 0.977428) / 24 = 0.85505.
    #expect(abs(e.facts.pausedProbability! - (18 * (1 - f3) + 6 * (1 - f13)) / 24) < 1e-12)
  }

  @Test func peakLoadRaisesACUAndMaxACUMakesItInfeasible() throws {
    // E = 1e8, n = 10 → 1e9 requests; avg 1e9 / 2,628,000 = 380.52/s; busiest hour × 3 = 1,141.55 QPS;
    // / 250 = 4.566 ACU needed > maxACU 4; capacity in 0.5 steps: ⌈2 × 4.566⌉ / 2 = 5 ACU.
    let w =
      #""entitiesPerMonth":100000000,"recordsPerEntity":4,"recordBytes":1000,"keyBytes":24,"loadsPerRecord":1,"loadsPerEntity":2,"retentionDays":1"#
    let e = try Fixtures.estimate(
      workload: w, option: #"{"id":"a","service":"aurora-serverless-v2","maxACU":4}"#)
    #expect(!e.feasible)
    let acu = DecimalMath.toDouble(e.facts.acu!)
    #expect(acu == 5)
    #expect(e.infeasibleReasons[0].contains("4.566 ACU"))
  }

  @Test func ioOptimizedHasNoIOChargeAndItsOwnRates() throws {
    let e = try Fixtures.estimate(
      workload: Self.workload,
      option: #"{"id":"a","service":"aurora-serverless-v2","ioOptimized":true}"#)
    #expect(e.cost("aurora/acu-hour-io-optimized") == Fixtures.d("58.4"))  // 365 × $0.16
    #expect(e.line("aurora/io-request") == nil)
    #expect(e.line("aurora/storage-io-optimized") != nil)
  }
}
