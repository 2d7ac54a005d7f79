import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// The traffic profile over the day (docs/model.md §9).
@Suite struct TrafficProfileTests {
  @Test func peakToAverageGivesPeakHoursAndAnEvenBase() {
    // P = 3: k = min(6, ⌊24 / 3⌋ = 8) = 6 hours at 3; the other 18 at (24 − 18) / 18 = 1/3.
    let p3 = TrafficProfile.peakToAverage(3)
    #expect(p3.groups.map(\.hours) == [6, 18])
    #expect(p3.groups[0].multiplier == 3)
    #expect(close(p3.groups[1].multiplier, Decimal(1) / 3))
    // P = 5: k = min(6, 4) = 4 hours at 5; 20 at (24 − 20) / 20 = 0.2.
    let p5 = TrafficProfile.peakToAverage(5)
    #expect(p5.groups.map(\.hours) == [4, 20] && p5.groups[1].multiplier == Fixtures.d("0.2"))
    // P = 24: one hour carries the whole day; the other 23 are idle.
    let p24 = TrafficProfile.peakToAverage(24)
    #expect(p24.groups.map(\.hours) == [1, 23] && p24.groups[1].multiplier == 0)
    // P = 1: flat, one group of 24 hours at 1.
    #expect(
      TrafficProfile.peakToAverage(1).groups.map { [$0.multiplier, Decimal($0.hours)] } == [
        [1, 24]
      ])
    // P = 3: the quiet hours' multiplier is kept as the fraction (24 − 18) / 18 = 1/3 as well.
    let fractions = TrafficProfile.peakToAverage(3).groups
    #expect(fractions.map(\.numerator) == [3, 6] && fractions.map(\.denominator) == [1, 18])
  }

  @Test func hourlyProfileIsNormalisedToAMeanOfOne() throws {
    // Weights 2 in 6 hours, 1 in 12, 0 in 6: Σ = 24 → m = 24 × w / 24 = w.
    let weights =
      Array(repeating: Decimal(2), count: 6) + Array(repeating: Decimal(1), count: 12)
      + Array(repeating: Decimal(0), count: 6)
    let p = TrafficProfile.hourly(weights)
    #expect(p.groups.map { [$0.multiplier, Decimal($0.hours)] } == [[2, 6], [1, 12], [0, 6]])
    #expect(
      p.groups.map(\.numerator) == [48, 24, 0] && p.groups.allSatisfy { $0.denominator == 24 })
    // Weights 5 in one hour, 0 elsewhere: m = 24 in that hour.
    let spike = TrafficProfile.hourly([5] + Array(repeating: Decimal(0), count: 23))
    #expect(spike.peak == 24)
    // From a scenario: the peak request rate uses max_h m_h.
    let s = try Fixtures.scenario(
      workload:
        #""entitiesPerMonth":2628000,"recordsPerEntity":1,"recordBytes":1,"hourlyProfile":[3,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"#,
      option: #"{"id":"a","service":"s3"}"#)
    let w = DerivedWorkload(workload: s.workload, scale: Decimal(1), horizonMonths: 12)
    // 2,628,000 requests a month = 1 a second on average; Σ w = 26 → busiest hour 24 × 3 / 26 = 2.769.
    #expect(close(w.peakRequestsPerSecond, Decimal(72) / 26))
  }
}

/// DynamoDB provisioned capacity, reserved capacity, Standard-IA and savings plans (docs/model.md §3.2, §3.6).
@Suite struct DynamoDBProvisionedTests {
  // AWS's provisioned-capacity example: 80 units consumed every second at a 70% target.
  // I = 64 + 960 = 1024 bytes → 1 WRU per write; 80 WRU/s × 2,628,000 s = 210,240,000 writes a month (R = 1).
  // Reads: Le = 2 GetItem-like Query loads of one 1 KB item = ⌈1024 / 4096⌉ = 1 RRU each, halved (eventually
  // consistent) → 210,240,000 × 2 × 0.5 = 210,240,000 RRU = 80 RCU a second. Flat profile (peakToAverage 1).
  static let steady =
    #""entitiesPerMonth":210240000,"recordsPerEntity":1,"recordBytes":960,"keyBytes":64,"loadsPerEntity":2,"peakToAverage":1"#

  @Test func awsExample80UnitsAt70PercentProvisions114() throws {
    let e = try Fixtures.estimate(
      workload: Self.steady, option: #"{"id":"d","service":"dynamodb","capacity":"provisioned"}"#)
    // round(80 / 0.7) = round(114.2857) = 114 units every hour: (730 / 24) × 24 × 114 = 83,220 unit-hours.
    #expect(e.quantity("dynamodb/wcu-hour") == 83_220)
    #expect(e.quantity("dynamodb/rcu-hour") == 83_220)
    // 114 × $0.00065 = $0.0741 an hour (AWS's figure) × 730 = $54.093; 114 × $0.00013 = $0.01482 × 730 = $10.8186.
    #expect(e.cost("dynamodb/wcu-hour") == Fixtures.d("54.093"))
    #expect(e.cost("dynamodb/rcu-hour") == Fixtures.d("10.8186"))
    // Provisioned capacity replaces the on-demand request lines.
    #expect(
      e.line("dynamodb/write-request-unit") == nil && e.line("dynamodb/read-request-unit") == nil)
    // The free tier (25 units × 730 h = 18,250 unit-hours each) only with freeTier: 64,970 × $0.00065 = $42.2305.
    let free = try Fixtures.estimate(
      workload: Self.steady,
      option: #"{"id":"d","service":"dynamodb","capacity":"provisioned","freeTier":true}"#)
    #expect(free.cost("dynamodb/wcu-hour") == Fixtures.d("42.2305"))
  }

  @Test func autoScalingFollowsTheHourlyProfileAndMinimums() throws {
    // 26,280,000 writes of 1 WRU = 10 WRU/s on average; default profile: 6 hours at 30/s, 18 at 10/3 per second.
    // At u = 0.7: round(42.857) = 43 and round(4.762) = 5 → Σ = 6 × 43 + 18 × 5 = 348 → 348 × 730 / 24 = 10,585 WCU-hours.
    // No reads: RCU = max(minRCU 1, round(0)) = 1 every hour → 730 RCU-hours.
    let w = #""entitiesPerMonth":26280000,"recordsPerEntity":1,"recordBytes":100,"keyBytes":0"#
    let e = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb","capacity":"provisioned"}"#)
    #expect(e.quantity("dynamodb/wcu-hour") == 10_585)
    #expect(e.quantity("dynamodb/rcu-hour") == 730)
    // minWCU 10 lifts the quiet hours: 6 × 43 + 18 × 10 = 438 → 13,322.5 WCU-hours.
    let floor = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb","capacity":"provisioned","minWCU":10}"#)
    #expect(floor.quantity("dynamodb/wcu-hour") == Fixtures.d("13322.5"))
    // u = 0.5: round(60) = 60, round(6.667) = 7 → 6 × 60 + 18 × 7 = 486 → 14,782.5.
    let half = try Fixtures.estimate(
      workload: w,
      option: #"{"id":"d","service":"dynamodb","capacity":"provisioned","targetUtilization":0.5}"#)
    #expect(half.quantity("dynamodb/wcu-hour") == Fixtures.d("14782.5"))
  }

  @Test func halfUnitsRoundUp() throws {
    // 1.75 WRU/s at u = 0.7 → exactly 2.5 → 3 (half up). 1.75 × 2,628,000 = 4,599,000 writes; flat profile.
    let w =
      #""entitiesPerMonth":4599000,"recordsPerEntity":1,"recordBytes":100,"keyBytes":0,"peakToAverage":1"#
    let e = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb","capacity":"provisioned"}"#)
    let q = e.quantity("dynamodb/wcu-hour")
    #expect(close(q, 3 * 730), "\(q)")
  }

  /// A half that is exact although the hour's multiplier is not (found by an independent implementation of the
  /// model): with the default profile the quiet hours' multiplier is 6/18 = 1/3, which no decimal holds, and
  /// consumed × 0.333… fell just under the half and was rounded down.
  @Test func aHalfIsRoundedUpWhenTheMultiplierDoesNotEnd() throws {
    // 13,797,000 writes of 1 WRU (164-byte items). Quiet hours: 13,797,000 × (1/3) / 2,628,000 = 1.75 WRU/s,
    // / 0.7 = 2.5 exactly → 3. Busy hours: × 3 = 15.75 / 0.7 = 22.5 → 23. Σ = 6 × 23 + 18 × 3 = 192 unit-hours a
    // day → 192 × 730 / 24 = 5,840 WCU-hours × $0.00065 = $3.796. (Rounded down, 18 × 2: 5,292.5 and $3.440125.)
    let w = #""entitiesPerMonth":13797000,"recordsPerEntity":1,"recordBytes":100,"keyBytes":0"#
    let e = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb","capacity":"provisioned"}"#)
    #expect(e.quantity("dynamodb/wcu-hour") == 5_840)
    #expect(e.cost("dynamodb/wcu-hour") == Fixtures.d("3.796"))
    // A custom profile whose weights sum to 7: one hour of weight 2 and five of weight 1 (multipliers 48/7 and
    // 24/7), the other 18 hours 0. 1,149,750 writes / 2,628,000 = 0.4375 WRU/s on average; × 24/7 = 1.5 / 0.6 =
    // 2.5 exactly → 3; × 48/7 = 3 / 0.6 = 5 → 5; the empty hours take minWCU 1. Σ = 5 + 5 × 3 + 18 × 1 = 38
    // unit-hours a day → 38 × 730 / 24 WCU-hours (rounded down it was 5 + 5 × 2 + 18 = 33).
    let profile = "[2,1,1,1,1,1" + String(repeating: ",0", count: 18) + "]"
    let custom = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":1149750,"recordsPerEntity":1,"recordBytes":100,"keyBytes":0,"hourlyProfile":"#
        + profile,
      option: #"{"id":"d","service":"dynamodb","capacity":"provisioned","targetUtilization":0.6}"#)
    #expect(custom.quantity("dynamodb/wcu-hour") == Decimal(38) * 730 / 24)
  }

  @Test func reservedCapacityIsPaidEveryHourAndCoversItsShare() throws {
    let e = try Fixtures.estimate(
      workload: Self.steady,
      option:
        #"{"id":"d","service":"dynamodb","capacity":"provisioned","reservedWCU":100,"reservedRCU":200,"reservedTerm":"1y"}"#
    )
    // WCU: 114 provisioned − 100 reserved = 14 on demand-priced hours: 14 × 730 = 10,220 WCU-hours.
    #expect(e.quantity("dynamodb/wcu-hour") == 10_220)
    // Reserved WCU: 1 block × 730 h × $0.0128 = $9.344; upfront $150 / 12 months = $12.50.
    #expect(e.quantity("dynamodb/reserved-wcu-100:1y") == 730)
    #expect(e.cost("dynamodb/reserved-wcu-100:1y") == Fixtures.d("9.344"))
    #expect(close(e.cost("dynamodb/reserved-wcu-100:1y-upfront"), Fixtures.d("12.5")))
    // RCU: 200 reserved ≥ 114 → nothing above the reservation (0 RCU-hours); 2 blocks × 730 × $0.0025 = $3.65,
    // upfront 2 × $30 / 12 = $5.
    #expect(e.quantity("dynamodb/rcu-hour") == 0)
    #expect(e.cost("dynamodb/reserved-rcu-100:1y") == Fixtures.d("3.65"))
    #expect(close(e.cost("dynamodb/reserved-rcu-100:1y-upfront"), 5))
    // 3-year term: upfront spread over 36 months: $180 / 36 = $5 per 100 WCU.
    let three = try Fixtures.estimate(
      workload: Self.steady,
      option:
        #"{"id":"d","service":"dynamodb","capacity":"provisioned","reservedWCU":100,"reservedTerm":"3y"}"#
    )
    #expect(close(three.cost("dynamodb/reserved-wcu-100:3y-upfront"), 5))
    #expect(three.cost("dynamodb/reserved-wcu-100:3y") == Fixtures.d("5.913"))  // 730 × $0.0081
  }

  @Test func standardIATableClassUsesItsOwnRates() throws {
    // The DynamoDBPricingTests workload: 800 WRU, 500 RRU, priced at the -standard-ia twins.
    let e = try Fixtures.estimate(
      workload: DynamoDBPricingTests.workload,
      option: #"{"id":"d","service":"dynamodb","tableClass":"standard-ia","pitr":true}"#)
    #expect(e.cost("dynamodb/write-request-unit-standard-ia") == 1)  // 800 × $1.25 / 1000
    // 500 × $0.25 / 1000
    #expect(e.cost("dynamodb/read-request-unit-standard-ia") == Fixtures.d("0.125"))
    #expect(
      e.line("dynamodb/storage-standard-ia") != nil
        && e.line("dynamodb/pitr-storage-standard-ia") != nil)
    #expect(e.line("dynamodb/storage") == nil)
    let p = try Fixtures.estimate(
      workload: Self.steady,
      option:
        #"{"id":"d","service":"dynamodb","tableClass":"standard-ia","capacity":"provisioned"}"#)
    #expect(p.cost("dynamodb/wcu-hour-standard-ia") == Fixtures.d("67.4082"))  // 83,220 × $0.00081
  }

  @Test func savingsPlanSplitsEligibleLinesAfterTheFreeTier() throws {
    // 83,220 − 18,250 free = 64,970 WCU-hours; coverage 1: all at $0.00065 × (1 − 0.12) = $0.000572 → $37.16284.
    let e = try Fixtures.estimate(
      workload: Self.steady,
      option:
        #"{"id":"d","service":"dynamodb","capacity":"provisioned","freeTier":true,"savingsPlan":{"coverage":1}}"#
    )
    #expect(e.line("dynamodb/wcu-hour") == nil)
    let covered = try #require(e.line("dynamodb/wcu-hour:savings-plan"))
    #expect(covered.quantity == 64_970 && covered.unitPrice == Fixtures.d("0.000572"))
    #expect(covered.cost == Fixtures.d("37.16284"))
    // Storage has no savingsPlanDiscount: not split.
    #expect(e.line("dynamodb/storage:savings-plan") == nil)
  }
}

/// ElastiCache clusters and reserved nodes (docs/model.md §3.3). Test nodes: small 1 GiB $0.01/h, medium 4 GiB
/// $0.03/h, large 16 GiB $0.10/h; usable 75%: 0.75, 3 and 12 GiB.
@Suite struct ElastiCacheClusterTests {
  // 20 records of 1 GiB, no key, no overhead, horizon 1 month, no retention: 20 GiB resident.
  static let twentyGiB =
    #""entitiesPerMonth":20,"recordsPerEntity":1,"recordBytes":1073741824,"keyBytes":0"#

  static func estimate(_ settings: String, workload: String = twentyGiB) throws -> OptionEstimate {
    try Fixtures.estimate(
      workload: workload,
      option: #"{"id":"c","service":"elasticache","perRecordOverheadBytes":0,"# + settings + "}",
      horizon: 1)
  }

  @Test func autoNodeAndAutoShardsPicksTheCheapestFit() throws {
    // small: ⌈20 / 0.75⌉ = 27 shards × $0.01 = $0.27/h; medium: ⌈20 / 3⌉ = 7 × $0.03 = $0.21; large: ⌈20 / 12⌉ = 2 × $0.10 = $0.20.
    let e = try Self.estimate(#""nodeType":"auto","shards":"auto""#)
    #expect(e.facts.nodeType == "large" && e.facts.shards == 2 && e.feasible)
    #expect(e.quantity("elasticache/node:large:valkey") == 1460)  // 2 nodes × 730 h
    #expect(e.cost("elasticache/node:large:valkey") == 146)
    // One replica per shard doubles the nodes: 2 × (1 + 1) × 730 = 2,920 hours.
    let r = try Self.estimate(#""nodeType":"auto","shards":"auto","replicas":1"#)
    #expect(r.quantity("elasticache/node:large:valkey") == 2920)
  }

  @Test func namedNodeWithAutoShardsTakesTheFewestThatFit() throws {
    // medium: 7 shards (6 × 3 = 18 GiB < 20 ≤ 21) → 7 × 730 = 5,110 h × $0.03 = $153.30.
    let e = try Self.estimate(#""nodeType":"medium","shards":"auto""#)
    #expect(e.facts.shards == 7 && e.cost("elasticache/node:medium:valkey") == Fixtures.d("153.3"))
  }

  @Test func autoNodeWithFixedShardsPicksTheCheapestTypeThatFits() throws {
    // 10 shards of 2 GiB each: small (0.75) does not fit; medium 10 × $0.03 < large 10 × $0.10.
    let e = try Self.estimate(#""shards":10"#)
    #expect(e.facts.nodeType == "medium" && e.quantity("elasticache/node:medium:valkey") == 7300)
    // A named node and fixed shards that are too small: infeasible, priced as asked (3 × 3 GiB < 20 GiB).
    let tight = try Self.estimate(#""nodeType":"medium","shards":3"#)
    #expect(!tight.feasible && tight.quantity("elasticache/node:medium:valkey") == 2190)
  }

  @Test func nothingFitsPricesTheLargestAt500Shards() throws {
    // 6,020 GiB > 500 × 12 GiB: infeasible, priced at the largest node with 500 shards.
    let huge =
      #""entitiesPerMonth":6020,"recordsPerEntity":1,"recordBytes":1073741824,"keyBytes":0"#
    let e = try Self.estimate(#""shards":"auto""#, workload: huge)
    #expect(!e.feasible && e.facts.nodeType == "large" && e.facts.shards == 500)
    #expect(e.quantity("elasticache/node:large:valkey") == 365_000)
  }

  @Test func tiesGoToFewerShardsThenLessMemory() throws {
    // 1.5 GiB: small needs 2 shards × $0.015 = $0.03, medium 1 shard × $0.03 = $0.03: a tie → medium (fewer shards).
    let book = try Fixtures.book(
      replacing: "elasticache",
      with: """
        {"version":1,"provider":"aws","service":"elasticache","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
         "rates":[{"id":"node:small:valkey","unit":"hour","price":0.015,"attributes":{"memoryGiB":1}},
          {"id":"node:medium:valkey","unit":"hour","price":0.03,"attributes":{"memoryGiB":4}},
          {"id":"node:other:valkey","unit":"hour","price":0.03,"attributes":{"memoryGiB":8}}]}
        """)
    let s = try Fixtures.scenario(
      workload: #""entitiesPerMonth":3,"recordsPerEntity":1,"recordBytes":536870912,"keyBytes":0"#,
      option: #"{"id":"c","service":"elasticache","perRecordOverheadBytes":0,"shards":"auto"}"#,
      horizon: 1)
    let e = try Estimator(scenario: s, book: book).estimate(s.options[0], scale: 1)
    // medium (4 GiB) and other (8 GiB) tie at one shard and $0.03: less memory wins.
    #expect(e.facts.nodeType == "medium" && e.facts.shards == 1)
  }

  @Test func reservedNodesCompareOnEffectiveMonthlyCost() throws {
    // 1y partial upfront: small 730 × $0.004 + $36 / 12 = $5.92 a node-month; medium 730 × $0.01 + $120 / 12 = $17.30;
    // large has no reserved rates, so it is no candidate. small: 27 × 5.92 = $159.84; medium: 7 × 17.30 = $121.10.
    let e = try Self.estimate(
      #""shards":"auto","reservation":{"term":"1y","payment":"partial-upfront"}"#)
    #expect(e.facts.nodeType == "medium" && e.facts.shards == 7)
    #expect(
      // 5,110 h × $0.01
      e.cost("elasticache/node-reserved:medium:valkey:1y:partial-upfront") == Fixtures.d("51.1"))
    #expect(
      e.quantity("elasticache/node-reserved-upfront:medium:valkey:1y:partial-upfront") == Decimal(7)
        / 12)
    #expect(close(e.total, Fixtures.d("121.1")))
    #expect(e.line("elasticache/node:medium:valkey") == nil)
  }

  @Test func aNamedNodeWithoutReservedRatesIsADataError() throws {
    let s = try Fixtures.scenario(
      workload: Self.twentyGiB,
      option:
        #"{"id":"c","service":"elasticache","nodeType":"large","shards":"auto","reservation":{"term":"1y","payment":"partial-upfront"}}"#
    )
    #expect {
      try Estimator(scenario: s, book: try Fixtures.book()).estimate(s.options[0], scale: 1)
    } throws: { e in
      let text = "\(e)"
      return text.contains("options[0]")
        && text.contains("node-reserved:large:valkey:1y:partial-upfront")
    }
  }

  @Test func savingsPlanCoversPartOfTheNodeHours() throws {
    // large × 2 shards = 1,460 h; coverage 0.25: 365 h at $0.10 × 0.8 = $0.08 ($29.20) + 1,095 h at $0.10 ($109.50).
    let e = try Self.estimate(#""shards":"auto","savingsPlan":{"coverage":0.25}"#)
    #expect(e.cost("elasticache/node:large:valkey:savings-plan") == Fixtures.d("29.2"))
    #expect(e.cost("elasticache/node:large:valkey") == Fixtures.d("109.5"))
    #expect(e.total == Fixtures.d("138.7"))
  }
}

/// Aurora capacity hour by hour, readers and savings plans (docs/model.md §3.4).
@Suite struct AuroraHourlyTests {
  // 525,600,000 requests a month (R = 1, no loads) = 200 a second on average → 0.8 ACU at 250 per ACU.
  static let load =
    #""entitiesPerMonth":525600000,"recordsPerEntity":1,"recordBytes":100,"keyBytes":0"#

  @Test func capacityFollowsTheProfileInHalfACUSteps() throws {
    // Default profile: 6 hours at 3 × 0.8 = 2.4 ACU → ⌈4.8⌉ / 2 = 2.5; 18 hours at 0.2667 → max(0.5, ⌈0.533⌉ / 2 = 1 / 2) = 0.5.
    // Σ = 6 × 2.5 + 18 × 0.5 = 24 → (730 / 24) × 24 = 730 ACU-hours (v1 billed 2.4 × 730 = 1,752).
    let e = try Fixtures.estimate(
      workload: Self.load, option: #"{"id":"a","service":"aurora-serverless-v2"}"#)
    #expect(e.quantity("aurora/acu-hour") == 730)
    #expect(e.facts.acu == Fixtures.d("2.5"))
    // One reader scales with the writer: 2 × 730 = 1,460.
    let r = try Fixtures.estimate(
      workload: Self.load, option: #"{"id":"a","service":"aurora-serverless-v2","readers":1}"#)
    #expect(r.quantity("aurora/acu-hour") == 1460)
    // maxACU 2 < 2.4 needed at the busiest hour: infeasible.
    let capped = try Fixtures.estimate(
      workload: Self.load, option: #"{"id":"a","service":"aurora-serverless-v2","maxACU":2}"#)
    #expect(!capped.feasible)
  }

  @Test func hourlyProfileDrivesCapacity() throws {
    // 12 busy hours (m = 2, need 1.6 → 2 ACU) and 12 idle (m = 0 → the 0.5 floor): Σ = 24 + 6 = 30 → 912.5 ACU-hours.
    let profile = Array(repeating: "1", count: 12) + Array(repeating: "0", count: 12)
    let w = Self.load + #","hourlyProfile":["# + profile.joined(separator: ",") + "]"
    let e = try Fixtures.estimate(
      workload: w, option: #"{"id":"a","service":"aurora-serverless-v2"}"#)
    #expect(e.quantity("aurora/acu-hour") == Fixtures.d("912.5"))
    // minACU 1: idle hours at 1 → Σ = 24 + 12 = 36 → 1,095.
    let m1 = try Fixtures.estimate(
      workload: w, option: #"{"id":"a","service":"aurora-serverless-v2","minACU":1}"#)
    #expect(m1.quantity("aurora/acu-hour") == 1095)
  }

  @Test func anAutoPausedClusterAlmostNeverWokenIsBilledItsTinyActiveFraction() throws {
    // docs/model.md §3.4: f_h = 1 − exp(−λ_h (L + P) / 60). 0.0000073 entities a month: λ = 0.0000073 / 730 = 1e-8 an
    // hour, flat (peakToAverage 1); L = 55 and P = 5 minutes, so (L + P) / 60 = 1 hour and f = 1 − e^(−1e-8)
    // = 1e-8 − 5e-17 + … = 9.99999995e-9 in every hour. c = 0.5 ACU: (730 / 24) × 24 × 0.5 × f = 365 × f
    // = 3.64999998175e-6 ACU-hours. Computed as 1 − exp(−1e-8) in Double, f loses half its digits (the sum of 1 and
    // a tiny number keeps only 16): 9.99999993922529e-9, 6e-9 too low (found by scripts/differential.py at
    // 9.2e-6 entities a month); −expm1(−1e-8) keeps them all.
    let e = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":0.0000073,"recordsPerEntity":1,"recordBytes":100,"entityLifetimeMinutes":55,"peakToAverage":1"#,
      option: #"{"id":"a","service":"aurora-serverless-v2","minACU":0}"#)
    let q = e.quantity("aurora/acu-hour")
    #expect(abs(q - Fixtures.d("0.00000364999998175")) < Fixtures.d("1e-18"), "\(q)")
  }

  @Test func savingsPlanOnACUHours() throws {
    // Always-on 0.5 ACU: 365 ACU-hours; coverage 0.5: 182.5 at $0.12 = $21.90, 182.5 at $0.12 × 0.65 = $0.078 → $14.235.
    let e = try Fixtures.estimate(
      workload: DynamoDBPricingTests.workload,
      option: #"{"id":"a","service":"aurora-serverless-v2","savingsPlan":{"coverage":0.5}}"#)
    #expect(e.cost("aurora/acu-hour") == Fixtures.d("21.9"))
    #expect(e.cost("aurora/acu-hour:savings-plan") == Fixtures.d("14.235"))
  }
}

/// S3 v2 rules: LIST pages, the 128 KB lifecycle rule, transition ending the hot residency, Lambda free tier.
@Suite struct S3V2Tests {
  @Test func listReturnsAtMost1000KeysAPage() throws {
    // R = 2,500, Lr = 1, Le = 1: Σ_{k=1}^{2500} ⌈k / 1000⌉ = 1000 × 1 + 1000 × 2 + 500 × 3 = 4,500; + ⌈2500 / 1000⌉ = 3.
    let e = try Fixtures.estimate(
      workload:
        #""entitiesPerMonth":1,"recordsPerEntity":2500,"recordBytes":10,"loadsPerRecord":1,"loadsPerEntity":1"#,
      option: #"{"id":"a","service":"s3","layout":"object-per-record"}"#)
    // tier1 = 2,500 PUTs + 4,503 LISTs.
    #expect(e.quantity("s3/requests-tier1") == 7003)
  }

  @Test func objectsUnder128KBStayInStandard() throws {
    // Entity objects of 4,024 bytes (< 131,072): no transition, no Glacier lines. Hot: 100 × 2.4 months = 240 objects;
    // then they stay in Standard min(r / D, H − a / D) = min(365 × 24 / 730 = 12, 24 − 2.4) = 12 months → 1,200 objects.
    let w =
      S3PricingTests.workload
      + #","archive":{"afterDays":73,"storageClass":"glacier-flexible","retainDays":438}"#
    let e = try Fixtures.estimate(workload: w, option: #"{"id":"a","service":"s3"}"#, horizon: 24)
    #expect(
      e.line("s3/requests-glacier-flexible") == nil && e.line("s3/storage-glacier-flexible") == nil)
    #expect(close(e.quantity("s3/storage-standard"), Decimal(1440 * 4024) / Decimal(1_073_741_824)))
    #expect(!e.warnings.isEmpty)
    // DynamoDB writes its archive object straight into the class: the 128 KB rule does not apply.
    let d = try Fixtures.estimate(
      workload: w, option: #"{"id":"d","service":"dynamodb"}"#, horizon: 24)
    #expect(d.quantity("s3/requests-glacier-flexible") == 100)
  }

  @Test func transitionEndsTheHotResidencyAtAfterDays() throws {
    // Entity objects of 24 + 4 × 40,000 = 160,024 bytes (≥ 128 KB, transitioned). retentionDays 73, afterDays 30:
    // hot ρ = 30 × 24 / 730 = 720 / 730 months → 100 × 720 / 730 objects in Standard.
    let w =
      #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":40000,"keyBytes":24,"retentionDays":73,"archive":{"afterDays":30,"storageClass":"glacier-ir","retainDays":400}"#
    let e = try Fixtures.estimate(workload: w, option: #"{"id":"a","service":"s3"}"#)
    #expect(
      close(
        e.quantity("s3/storage-standard"),
        Decimal(100 * 720 * 160_024) / 730 / Decimal(1_073_741_824)))
    #expect(e.quantity("s3/requests-glacier-ir") == 100)
  }

  @Test func lambdaCacheMemoryNeverUsesTheFreeTier() throws {
    let w = S3PricingTests.workload
    let opt = #""service":"s3","cache":{"hitRatio":0.5,"extraMemoryMB":1024}"#
    let paid = try Fixtures.estimate(workload: w, option: #"{"id":"a","# + opt + "}")
    let free = try Fixtures.estimate(
      workload: w, option: #"{"id":"a","freeTier":true,"# + opt + "}")
    #expect(paid.quantity("lambda/gb-second") > 0)
    #expect(free.quantity("lambda/gb-second") == paid.quantity("lambda/gb-second"))
  }
}

/// Every malformed v2 field is a data error naming the JSON path (docs/formats.md).
@Suite struct ModelV2BadInputTests {
  static let cases: [(workload: String, option: String, path: String, says: String)] = [
    (
      #""retentionDays":7,"archive":{"afterDays":8,"storageClass":"glacier-ir"}"#,
      #"{"id":"a","service":"s3"}"#, "workload.archive.afterDays", "retentionDays"
    ),
    (
      "",
      #"{"id":"d","service":"dynamodb","tableClass":"standard-ia","capacity":"provisioned","reservedWCU":100}"#,
      "options[0].reservedWCU", "Standard"
    ),
    (
      "", #"{"id":"d","service":"dynamodb","reservedRCU":100}"#, "options[0].reservedRCU",
      "provisioned"
    ),
    (
      "", #"{"id":"d","service":"dynamodb","capacity":"provisioned","reservedWCU":150}"#,
      "options[0].reservedWCU", "multiple of 100"
    ),
    (
      "",
      #"{"id":"d","service":"dynamodb","capacity":"provisioned","reservedWCU":100,"savingsPlan":{"coverage":0.5}}"#,
      "options[0].savingsPlan", "reserved"
    ),
    (
      "",
      #"{"id":"c","service":"elasticache","reservation":{"term":"1y","payment":"no-upfront"},"savingsPlan":{"coverage":0.5}}"#,
      "options[0].savingsPlan", "reserved"
    ),
    (
      #""peakToAverage":2,"hourlyProfile":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"#,
      #"{"id":"a","service":"s3"}"#, "workload.peakToAverage", "not both"
    ),
    (
      #""hourlyProfile":[1,1,1]"#, #"{"id":"a","service":"s3"}"#, "workload.hourlyProfile",
      "24 numbers"
    ),
    (
      #""hourlyProfile":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"#,
      #"{"id":"a","service":"s3"}"#, "workload.hourlyProfile", "zeros"
    ),
    (
      #""hourlyProfile":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,-1]"#,
      #"{"id":"a","service":"s3"}"#, "workload.hourlyProfile[23]", "≥ 0"
    ),
    (
      "", #"{"id":"d","service":"dynamodb","capacity":"provisioned","targetUtilization":0.95}"#,
      "options[0].targetUtilization", "0.2 to 0.9"
    ),
    (
      "", #"{"id":"d","service":"dynamodb","capacity":"provisioned","targetUtilization":0.1}"#,
      "options[0].targetUtilization", "0.2 to 0.9"
    ),
    ("", #"{"id":"c","service":"elasticache","shards":0}"#, "options[0].shards", "1 to 500"),
    ("", #"{"id":"c","service":"elasticache","shards":501}"#, "options[0].shards", "1 to 500"),
    ("", #"{"id":"c","service":"elasticache","shards":"many"}"#, "options[0].shards", "auto"),
    ("", #"{"id":"a","service":"aurora-serverless-v2","readers":16}"#, "options[0].readers", "15"),
    (
      "", #"{"id":"c","service":"elasticache","mode":"serverless","replicas":1}"#,
      "options[0].replicas", "serverless"
    ),
    (
      "", #"{"id":"a","service":"aurora-serverless-v2","minACU":0.75}"#, "options[0].minACU",
      "multiple of 0.5"
    ),
    (
      "", #"{"id":"a","service":"aurora-serverless-v2","maxACU":16.25}"#, "options[0].maxACU",
      "multiple of 0.5"
    ),
    (
      "", #"{"id":"a","service":"s3","savingsPlan":{"coverage":0.5}}"#, "options[0].savingsPlan",
      "unknown field"
    ),
    (
      "", #"{"id":"d","service":"dynamodb","savingsPlan":{"coverage":0}}"#,
      "options[0].savingsPlan.coverage", "above 0"
    ),
    (
      "", #"{"id":"d","service":"dynamodb","savingsPlan":{"coverage":1.5}}"#,
      "options[0].savingsPlan.coverage", "0 to 1"
    ),
    (#""peakToAverage":25"#, #"{"id":"a","service":"s3"}"#, "workload.peakToAverage", "1 to 24"),
    (
      "", #"{"id":"d","service":"dynamodb","capacity":"provisioned","reservedTerm":"2y"}"#,
      "options[0].reservedTerm", "1y"
    ),
    (
      #""loadsPerRecord":{"low":0,"high":5}"#, #"{"id":"a","service":"s3"}"#,
      "workload.loadsPerRecord.low", "positive"
    ),
    (
      #""loadsPerRecord":{"low":5,"high":2}"#, #"{"id":"a","service":"s3"}"#,
      "workload.loadsPerRecord.high", "at least low"
    ),
    (
      #""loadsPerRecord":{"low":1,"high":2,"mid":1.5}"#, #"{"id":"a","service":"s3"}"#,
      "workload.loadsPerRecord.mid", "unknown field"
    ),
    (
      "", #"{"id":"a","service":"s3","cache":{"hitRatio":{"low":0.5}}}"#,
      "options[0].cache.hitRatio.high", "missing"
    ),
  ]

  @Test(arguments: cases.indices) func rejected(_ i: Int) throws {
    let c = Self.cases[i]
    let base = #""entitiesPerMonth":10,"recordsPerEntity":2,"recordBytes":100"#
    let w = c.workload.isEmpty ? base : base + "," + c.workload
    #expect {
      _ = try Fixtures.scenario(workload: w, option: c.option)
    } throws: { e in
      guard let d = e as? DataError else { return false }
      let ok = d.path == c.path && d.message.contains(c.says) && d.position != nil
      if !ok { Issue.record("case \(i): \(d)") }
      return ok
    }
  }
}

/// Ranges stand for their medians in point results (docs/model.md §10); growth and uncertainty are read and kept.
@Suite struct RangeTests {
  @Test func pointResultsUseTheMedian() throws {
    // entitiesPerMonth √(20 × 200) = √4000 = 63.2456; recordBytes √(500 × 4096) = √2,048,000 = 1431.08 → 1431 (half up);
    // peakToAverage √(10 × 100) = 31.6 → clamped to 24.
    let s = try Fixtures.scenario(
      workload:
        #""entitiesPerMonth":{"low":20,"high":200},"recordsPerEntity":{"low":1,"high":2},"recordBytes":{"low":500,"high":4096},"peakToAverage":{"low":10,"high":100}"#,
      option: #"{"id":"a","service":"s3","cache":{"hitRatio":{"low":0.8,"high":0.99}}}"#)
    #expect(abs(DecimalMath.toDouble(s.workload.entitiesPerMonth) - 63.245553203) < 1e-8)
    #expect(s.workload.recordBytes == 1431)
    // recordsPerEntity √2 = 1.414 → 1.
    #expect(s.workload.recordsPerEntity == 1)
    #expect(s.workload.peakToAverage == 24)
    #expect(s.workload.ranges["workload.entitiesPerMonth"] == InputRange(low: 20, high: 200))
    // hitRatio √(0.8 × 0.99) = √0.792 = 0.889944.
    let cache = try #require((s.options[0].settings as? S3Settings)?.cache)
    guard case .fixed(let h) = cache.model else {
      Issue.record("not fixed")
      return
    }
    #expect(abs(DecimalMath.toDouble(h) - 0.8899438184) < 1e-9)
    #expect(s.options[0].ranges["options[0].cache.hitRatio"] != nil)
    // √ in Decimal to 30 digits: √2 × √2 = 2.
    let r2 = DecimalMath.squareRoot(2)
    #expect(close(r2 * r2, 2, Fixtures.d("1e-30")))
  }

  @Test func growthAndUncertaintyAreReadAndChecked() throws {
    func parse(_ extra: String) throws -> Scenario {
      let json = """
        {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],\(extra)
         "workload":{"entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1},"options":[{"id":"a","service":"s3"}]}
        """
      return try Scenario.parse(
        try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    }
    let s = try parse(#""growth":{"monthlyPercent":3},"uncertainty":{"samples":1000,"seed":42},"#)
    #expect(
      s.growth?.monthlyPercent == 3 && s.uncertainty?.samples == 1000 && s.uncertainty?.seed == 42)
    for (extra, path) in [
      (#""growth":{"monthlyPercent":-100},"#, "growth.monthlyPercent"),
      (#""uncertainty":{"samples":0},"#, "uncertainty.samples"),
      (#""uncertainty":{"samples":10,"seed":-1},"#, "uncertainty.seed"),
      (#""growth":{"percent":3},"#, "growth.percent"),
    ] {
      #expect(throws: DataError.self, "\(extra)") { _ = try parse(extra) }
      do { _ = try parse(extra) } catch let e as DataError {
        #expect(e.path == path, "\(extra): \(e)")
      } catch {}
    }
    // Unknown keys come first, then what is missing: both in one run.
    do { _ = try parse(#""growth":{"percent":3},"#) } catch let e as DataError {
      #expect(
        e.message.hasPrefix("unknown field") && e.also.map(\.path) == ["growth.monthlyPercent"],
        "\(e)")
    }
  }

  /// One run reports every unknown key of a file (in file order, with did-you-mean), before the error that
  /// stopped the parse; options are checked against their own service's fields.
  @Test func everyUnknownKeyOfAFileIsReported() throws {
    let json = """
      {"version":1,"name":"t","titel":"T","provider":"aws","region":"test-1","scales":[1],
       "workload":{"entitiesPerMonht":1,"recordsPerEntity":1,"recordByte":1},
       "options":[{"id":"a","service":"s3","cache":{"hitRatoi":0.9}},{"id":"d","service":"dynamodb","capacty":"provisioned"}]}
      """
    do {
      _ = try Scenario.parse(try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
      Issue.record("accepted")
    } catch {
      let all = [error] + error.also
      #expect(
        all.map(\.path) == [
          "titel", "workload.entitiesPerMonht", "workload.recordByte", "options[0].cache.hitRatoi",
          "options[1].capacty",
        ], "\(error)")
      #expect(all.allSatisfy { $0.message.hasPrefix("unknown field") && $0.position != nil })
      #expect(error.description.split(separator: "\n").count == 5)
      #expect(error.description.contains("did you mean \"capacity\"?"))
    }
  }
}

/// The service catalog is the one list of services: parsing, rate files and import read it.
@Suite struct ServiceCatalogTests {
  @Test func catalogDrivesParsingAndRateFiles() throws {
    #expect(ServiceCatalog.ids == ["s3", "dynamodb", "elasticache", "aurora-serverless-v2"])
    #expect(OptionSpec.services == ServiceCatalog.ids)
    // Every rate table the model reads is brought by one service, once.
    #expect(
      ServiceCatalog.rateFiles.map(\.name) == ["s3", "lambda", "dynamodb", "elasticache", "aurora"])
    #expect(RateSelectors.offerCodes["s3"] == ["AmazonS3", "AmazonS3GlacierDeepArchive"])
    for file in ServiceCatalog.rateFiles {
      let selectors = file.selectors(["cache.t4g.micro"])
      #expect(!selectors.isEmpty, "\(file.name)")
      #expect(
        Set(selectors.map(\.rateId)).count == selectors.count, "\(file.name): duplicate rate ids")
    }
    // An option of each service parses to that service's settings and prices on the test book.
    let cases: [(String, any ServiceSettings.Type)] = [
      (#"{"id":"a","service":"s3"}"#, S3Settings.self),
      (#"{"id":"a","service":"dynamodb"}"#, DynamoDBSettings.self),
      (#"{"id":"a","service":"elasticache"}"#, ElastiCacheSettings.self),
      (#"{"id":"a","service":"aurora-serverless-v2"}"#, AuroraSettings.self),
    ]
    for (json, type) in cases {
      let e = try Fixtures.estimate(workload: S3PricingTests.workload, option: json)
      #expect(Swift.type(of: e.option.settings) == type)
      #expect(
        e.total > 0 && !OptionTraits.ttlLabel(e.option).isEmpty
          && !OptionDescription.describe(e.option).isEmpty)
    }
    // An unknown service is refused at `service`, listing the catalog.
    #expect {
      _ = try Fixtures.scenario(
        workload: S3PricingTests.workload, option: #"{"id":"a","service":"memcached"}"#)
    } throws: { e in
      let d = e as? DataError
      return d?.path == "options[0].service"
        && (d?.message.contains("aurora-serverless-v2") ?? false)
    }
  }
}

/// Extreme inputs that lint accepts render without a trap (a chart once converted a $1e20 cost to Int).
@Suite struct ExtremeChartTests {
  @Test func hugeCostsRenderAChart() throws {
    let book = try Fixtures.book()
    for entities in ["1e18", "1e-9"] {
      let json = """
        {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1,10],
         "workload":{"entitiesPerMonth":\(entities),"recordsPerEntity":10,"recordBytes":2048,"loadsPerRecord":2},
         "options":[{"id":"s3","service":"s3"},{"id":"d","service":"dynamodb","capacity":"provisioned"},
           {"id":"c","service":"elasticache","shards":"auto"},{"id":"a","service":"aurora-serverless-v2"}]}
        """
      let s = try Scenario.parse(
        try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
      let r = try ScenarioResult(scenario: s, book: book)
      let svg = try #require(CostChart.render(r))
      #expect(svg.hasSuffix("</svg>\n"), "\(entities)")
      // Labels past 10^15 are powers of ten, never an overflowing integer.
      if entities == "1e18" { #expect(svg.contains("$1e")) }
    }
  }
}

/// Messages that echo input stay one harmless line: no raw newline or terminal escape, no 50 MB string.
@Suite struct PrintableErrorTests {
  @Test func controlCharactersAreEscapedAndLongTextIsCut() throws {
    let json =
      #"{"version":1,"name":"evil\u001b[31m\nname","provider":"aws","region":"test-1","scales":[1],"workload":{"entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1},"options":[{"id":"a","service":"s3"}]}"#
    #expect {
      _ = try Scenario.parse(try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    } throws: { e in
      let text = "\(e)"
      return text.contains("evil\\u{1b}[31m\\u{a}name") && !text.contains("\u{1b}")
        && !text.contains("\n")
    }
    let long = String(repeating: "x", count: 100_000)
    let d = DataError(file: "f.json", path: "p", message: "found \"\(long)\"")
    #expect(d.description.count < 2_600 && d.description.contains("more characters)"))
  }
}
