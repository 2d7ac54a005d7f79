import Foundation
import Testing

@testable import CostModel
@testable import CostReports

@Suite struct DecisionMatrixTests {
  @Test func logScoresAreOneForTheBestAndZeroForTheWorst() {
    // ln 1 = 0, ln 10 = 2.303, ln 100 = 4.605 → scores 1, 0.5, 0.
    let s = DecisionMatrix.logScores([1, 10, 100])
    #expect(abs(s[0] - 1) < 1e-12 && abs(s[1] - 0.5) < 1e-12 && abs(s[2]) < 1e-12)
    #expect(DecisionMatrix.logScores([5, 5]) == [1, 1])
  }

  @Test func valuesEqualToTheirNinthDigitScoreAlike() {
    // docs/model.md §6: equal values score 1, and "equal" is ln max − ln min ≤ 1e-9. Two p99s of 15 ms, one of them
    // a bisection's 15 × (1 + 1e-11): ln ratio 1e-11, so both 1 (with the old 1e-12 the second scored 0 and lost
    // its whole write-p99 weight). A true difference of 1e-7 (ln ratio 1e-7 > 1e-9) still scores 1 and 0.
    #expect(DecisionMatrix.logScores([15, 15 * (1 + 1e-11)]) == [1, 1])
    let apart = DecisionMatrix.logScores([200, 200 * (1 - 3e-7)])
    #expect(apart[0] == 0 && apart[1] == 1)
  }

  @Test func ranksRecommendsAndFindsTheParetoSet() throws {
    let scenario = try Fixtures.scenario(
      workload: S3PricingTests.workload, option: #"{"id":"s3","service":"s3"}"#)
    var options = scenario.options
    let s = try Fixtures.scenario(
      workload: S3PricingTests.workload, option: #"{"id":"ddb","service":"dynamodb"}"#)
    options.append(s.options[0])
    var full = scenario
    full.options = options
    let estimator = Estimator(scenario: full, book: try Fixtures.book())
    let estimates = try options.map { try estimator.estimate($0, scale: 1) }
    // s3: $2.24 a month, read p99 200 ms; ddb: cost c, read p99 20 ms.
    let latencies: [LatencyEstimate?] = [
      LatencyEstimate(readP50Ms: 30, readP99Ms: 200, writeP50Ms: 40, writeP99Ms: 250),
      LatencyEstimate(readP50Ms: 6, readP99Ms: 20, writeP50Ms: 6, writeP99Ms: 15),
    ]
    // Weights: cost only → the cheaper wins.
    let costOnly = Weights(cost: 1, readP99: 0, writeP99: 0, durability: 0, ttl: 0, operations: 0)
    let d1 = DecisionMatrix.decide(
      scale: 1, estimates: estimates, latencies: latencies, weights: costOnly)
    let cheaper = estimates[0].total < estimates[1].total ? "s3" : "ddb"
    #expect(d1.recommended == cheaper)
    // Read p99 only → ddb (20 ms < 200 ms).
    let readOnly = Weights(cost: 0, readP99: 1, writeP99: 0, durability: 0, ttl: 0, operations: 0)
    let d2 = DecisionMatrix.decide(
      scale: 1, estimates: estimates, latencies: latencies, weights: readOnly)
    #expect(d2.recommended == "ddb")
    #expect(d2.rows.first { $0.optionId == "ddb" }?.rank == 1)
    #expect(d2.rows.first { $0.optionId == "s3" }?.score == 0)
    // Pareto on (cost, read p99): ddb is faster; it is on the set; s3 only if cheaper.
    #expect(d2.paretoSet.contains("ddb"))
    #expect(d2.paretoSet.contains("s3") == (cheaper == "s3"))
    // Operations only: S3 (1) beats DynamoDB (0.9).
    let opsOnly = Weights(cost: 0, readP99: 0, writeP99: 0, durability: 0, ttl: 0, operations: 1)
    #expect(
      DecisionMatrix.decide(scale: 1, estimates: estimates, latencies: latencies, weights: opsOnly)
        .recommended == "s3")
  }
}

@Suite struct BreakEvenTests {
  @Test func crossoverOfAFixedAndALinearCostMatchesTheHandWorkedScale() throws {
    // Option A: a small ElastiCache node, $0.01 × 730 = $7.30 a month whatever the traffic (while it fits).
    // Option B: S3 with K + B = 1024 bytes, no loads, no retention beyond 1 day:
    //   PUT: E × R × $0.005 = 100 s × 4 × 0.005 = $2 × s; storage: 100 s × 4 × ... small.
    // Storage per scale: W × ρ × 1024 / 2^30 × $0.03 with ρ = 24/730 → 400 s × 0.032877 × 9.5367e-7 × 0.03
    //   = 3.7624e-7 × s. So B(s) = 2.00000037624 s and A = B at s = 7.3 / 2.00000037624 = 3.6499993.
    let w =
      #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":1000,"keyBytes":24,"retentionDays":1"#
    var scenario = try Fixtures.scenario(
      workload: w,
      option:
        #"{"id":"cache","service":"elasticache","nodeType":"small","perRecordOverheadBytes":0}"#)
    scenario.options += try Fixtures.scenario(workload: w, option: #"{"id":"s3","service":"s3"}"#)
      .options
    let crossings = try BreakEven.crossovers(
      estimator: Estimator(scenario: scenario, book: try Fixtures.book()))
    #expect(crossings.count == 1)
    let c = try #require(crossings.first)
    let expected = 7.3 / (2 + 400 * (24.0 / 730) * 1024 / 1_073_741_824 * 0.03)
    #expect(abs(c.scale / expected - 1) < 1e-5)
    #expect(c.cheaperBelow == "s3" && c.cheaperAbove == "cache")
    #expect(abs(c.recordsPerMonth - 400 * expected) < 0.01)
  }

  @Test func parallelCostsNeverCross() throws {
    let w = #""entitiesPerMonth":100,"recordsPerEntity":4,"recordBytes":1000"#
    var scenario = try Fixtures.scenario(workload: w, option: #"{"id":"a","service":"s3"}"#)
    scenario.options += try Fixtures.scenario(
      workload: w, option: #"{"id":"b","service":"s3","cache":{"hitRatio":0.5}}"#
    ).options
    #expect(
      try BreakEven.crossovers(estimator: Estimator(scenario: scenario, book: try Fixtures.book()))
        .isEmpty)
  }
}

@Suite struct ClaimTests {
  func result(_ claim: String) throws -> ClaimResult {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],
       "workload":{\(S3PricingTests.workload)},
       "options":[{"id":"s3","service":"s3"},{"id":"ddb","service":"dynamodb"}],
       "claims":[\(claim)]}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    return try ClaimCheck.evaluate(
      s.claims[0], estimator: Estimator(scenario: s, book: try Fixtures.book()), latency: nil)
  }

  @Test func costClaimsAreCheckedAgainstTheComputedTotal() throws {
    // s3 at 1×: $2.00 PUT + $0.24 GET + storage (≈ $0.000027) ≈ $2.24.
    #expect(
      try result(#"{"text":"x","option":"s3","scale":1,"metric":"monthlyCost","atMost":2.5}"#).holds
        == true)
    #expect(
      try result(#"{"text":"x","option":"s3","scale":1,"metric":"monthlyCost","atMost":2}"#).holds
        == false)
    #expect(
      try result(
        #"{"text":"x","option":"s3","scale":1,"metric":"monthlyCost","approximately":2.2,"tolerancePercent":5}"#
      ).holds == true)
    #expect(
      try result(#"{"text":"x","option":"s3","scale":1,"metric":"monthlyCost","atLeast":3}"#).holds
        == false)
  }

  @Test func cheaperThanComparesTwoOptions() throws {
    // ddb at 1×: 400 WRU (⌈1024/1024⌉ = 1 each) × $0.001 = $0.40; RRU small → far below s3's $2.24.
    #expect(
      try result(
        #"{"text":"x","option":"ddb","scale":1,"metric":"monthlyCost","cheaperThan":"s3"}"#
      ).holds == true)
    #expect(
      try result(
        #"{"text":"x","option":"s3","scale":1,"metric":"monthlyCost","cheaperThan":"ddb"}"#
      ).holds == false)
    // "80% cheaper": ddb saves (1 − 0.40/2.24) ≈ 82% → holds within 10 points, fails at 50 ± 10.
    #expect(
      try result(
        #"{"text":"x","option":"ddb","scale":1,"metric":"monthlyCost","cheaperThan":"s3","byPercent":80}"#
      ).holds == true)
    #expect(
      try result(
        #"{"text":"x","option":"ddb","scale":1,"metric":"monthlyCost","cheaperThan":"s3","byPercent":50}"#
      ).holds == false)
  }

  @Test func aClaimResultHoldsValuesAndTheReportsWordThem() throws {
    // The model returns the figures; CostReports writes the sentence (the same words in every report).
    let cheaper = try result(
      #"{"text":"x","option":"ddb","scale":1,"metric":"monthlyCost","cheaperThan":"s3"}"#)
    guard case .cost(let ddb) = cheaper.computed, let other = cheaper.other else {
      Issue.record("expected a cost and the other option")
      return
    }
    #expect(other.id == "s3" && other.cheaper && other.cost > ddb)
    let saving = (1 - DecimalMath.toDouble(ddb) / DecimalMath.toDouble(other.cost)) * 100
    #expect(Swift.abs(other.savingPercent - saving) < 1e-9)
    #expect(cheaper.infeasibleReasons.isEmpty && cheaper.offPercent == nil)
    #expect(cheaper.computedText == MoneyFormat.usd(ddb))
    #expect(cheaper.expected == "cheaper than `s3`")
    #expect(
      cheaper.detail
        == "`s3` costs \(MoneyFormat.usd(other.cost)), so `ddb` is \(String(format: "%.0f", saving))% cheaper"
    )
    // 2.2 ± 5%: off by (total − 2.2) / 2.2 × 100 percent.
    let near = try result(
      #"{"text":"x","option":"s3","scale":1,"metric":"monthlyCost","approximately":2.2,"tolerancePercent":5}"#
    )
    guard case .cost(let s3) = near.computed, let off = near.offPercent else {
      Issue.record("expected a cost and its distance")
      return
    }
    #expect(Swift.abs(off - (DecimalMath.toDouble(s3) - 2.2) / 2.2 * 100) < 1e-9)
    #expect(near.expected == "≈ $2.20 (±5%)")
    #expect(near.detail == String(format: "%+.0f%% from the claim", off))
    // Whole percent, except where that would read 100% or 0% and is not: a claim of $43 against $2.09 is
    // (2.09 − 43) / 43 = −95.1%, printed −95%; a saving of 99.6% is not "100% cheaper".
    #expect(ClaimResult.percent(-95.14, signed: true) == "-95%")
    #expect(ClaimResult.percent(-99.6, signed: true) == "-99.6%")
    #expect(ClaimResult.percent(99.6) == "99.6%" && ClaimResult.percent(99.4) == "99%")
    #expect(ClaimResult.percent(0.3, signed: true) == "+0.3%" && ClaimResult.percent(0) == "0%")
    #expect(ClaimResult.percent(100) == "100%" && ClaimResult.percent(2675.2) == "2675%")
    // A latency claim without a latency table cannot be checked.
    let latency = try result(
      #"{"text":"x","option":"s3","scale":1,"metric":"readP99Ms","atMost":100}"#)
    #expect(latency.computed == .noLatencyTable && latency.holds == nil)
    #expect(latency.computedText == "—" && latency.detail == "no latency.json for this region")
  }
}
