import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// The seeded generator and the normal quantile against published vectors (docs/model.md §10).
@Suite struct GeneratorTests {
  @Test func splitMix64MatchesTheReferenceSequence() {
    // SplitMix64 seeded with 1234567: the sequence published with the algorithm's reference code (Rosetta Code
    // "Pseudo-random numbers/Splitmix64", reproduced by many independent implementations).
    var g = SplitMix64(seed: 1_234_567)
    let expected: [UInt64] = [
      6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
      4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ]
    #expect((0..<5).map { _ in g.next() } == expected)
  }

  @Test func xoshiro256StarStarMatchesPHPsVector() {
    // php-src ext/random/tests/02_engine/xoshiro256starstar_seed.phpt: every state word is the bytes 01…08
    // (little-endian 0x0807060504030201); after 1,000 outputs the next one is bin2hex "90a025df9300cfd1",
    // little-endian bytes of 0xd1cf0093df25a090.
    let w: UInt64 = 0x0807_0605_0403_0201
    var g = Xoshiro256StarStar(state: (w, w, w, w))
    for _ in 0..<1000 { _ = g.next() }
    #expect(g.next() == 0xD1CF_0093_DF25_A090)
  }

  @Test func theSeedExpandsThroughSplitMix64() {
    var sm = SplitMix64(seed: 42)
    let state = (sm.next(), sm.next(), sm.next(), sm.next())
    var a = Xoshiro256StarStar(seed: 42)
    var b = Xoshiro256StarStar(state: state)
    #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    var c = Xoshiro256StarStar(seed: 43)
    var d = Xoshiro256StarStar(seed: 42)
    #expect(c.next() != d.next())
  }

  @Test func uniformsStayInsideTheOpenInterval() {
    var g = Xoshiro256StarStar(state: (0, 0, 0, 1))
    for _ in 0..<10000 {
      let u = g.nextOpenUnit()
      #expect(u > 0 && u < 1)
    }
  }

  @Test func normalQuantileAgreesWithPythonsNormalDist() {
    // Python 3's statistics.NormalDist().inv_cdf, an independent implementation of the same algorithm (AS 241),
    // printed with repr: the values agree to a few units in the last place.
    let cases: [(Double, Double)] = [
      (1e-300, -37.0470962993612), (1e-20, -9.262340089798405), (1e-10, -6.361340902404056),
      (0.001, -3.090232306167813), (0.02425, -1.9729610513118845), (0.07, -1.4757910281791702),
      (0.075, -1.4395314709384557), (0.1, -1.2815515655446008), (0.3, -0.5244005127080407),
      (0.5, 0), (0.6, 0.2533471031357998), (0.9, 1.2815515655446008),
      (0.925, 1.439531470938456), (0.97575, 1.9729610513118847), (0.999, 3.090232306167813),
      (0.999999999999, 7.0344869100478356),
    ]
    for (p, z) in cases {
      let got = Normal.quantile(p)
      #expect(Swift.abs(got - z) <= 4 * Swift.max(z.magnitude, 1) * Double.ulpOfOne, "p = \(p)")
    }
    // And it inverts the CDF.
    for p in stride(from: 0.01, to: 1, by: 0.07) {
      #expect(Swift.abs(Normal.cdf(Normal.quantile(p)) - p) < 1e-14)
    }
  }
}

/// Sampling: percentiles, win probabilities, ties and sensitivity against figures worked by hand.
@Suite struct SamplerTests {
  /// DynamoDB on-demand against one small Valkey node, by cost alone, with entitiesPerMonth a range.
  /// DynamoDB (test rates): 1 WRU per write (24 + 1000 bytes ≤ 1 KB) at $1 per million → $0.001 per entity;
  /// storage 12 months × (1024 + 100) bytes at $0.25 per GB-month → 12 × 1124 × 0.25 / 2^30 = $3.1408e-6.
  /// So c = $0.00100314 per entity, linear. The node: 730 h × $0.01 = $7.30 while the data fits (12 months × E ×
  /// 1424 bytes ≤ 0.75 GiB, E ≤ 47,127). They cross at E* = 7.30 / c ≈ 7,277 entities.
  static func scenario(low: Int = 2000, high: Int = 20000, extra: String = "") throws -> Scenario {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":12,
       "workload":{"entitiesPerMonth":{"low":\(low),"high":\(high)},"recordsPerEntity":1,"recordBytes":1000,"keyBytes":24\(extra)},
       "options":[{"id":"ddb","service":"dynamodb"},
                  {"id":"node","service":"elasticache","nodeType":"small"}],
       "weights":{"cost":1}}
      """
    return try Scenario.parse(try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
  }

  static func run(_ s: Scenario, samples: Int = 20000, seed: UInt64 = 7) throws -> SamplingResult {
    let book = try Fixtures.book()
    let result = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
    return try Sampler.run(
      scenario: s, book: book, scales: s.scales, decisions: result.decisions,
      plan: SamplingPlan(samples: samples, seed: seed))
  }

  @Test func theRangeIsALognormalWithP10AndP90AtItsEnds() throws {
    let s = try Self.scenario()
    let input = try #require(s.rangedInputs.first)
    #expect(input.path == "workload.entitiesPerMonth")
    // μ = (ln 2000 + ln 20000) / 2 = ln 6324.56; σ = ln 10 / (2 × 1.2815515655) = 0.8983583474.
    #expect(Swift.abs(Foundation.exp(input.mu) - 6324.555320336759) < 1e-9)
    #expect(Swift.abs(input.sigma - 0.8983583473738543) < 1e-12)
    #expect(Swift.abs(Foundation.exp(input.mu - RangedInput.z90 * input.sigma) - 2000) < 1e-9)
    #expect(Swift.abs(Foundation.exp(input.mu + RangedInput.z90 * input.sigma) - 20000) < 1e-8)
    // The point result uses the median √(2000 × 20000) = 6324.555…
    #expect(close(s.workload.entitiesPerMonth, Fixtures.d("6324.555320336758663997"), 1e-15))
  }

  @Test func costPercentilesFollowTheInputsPercentiles() throws {
    let s = try Self.scenario()
    let r = try Self.run(s)
    let ddb = try #require(r.scales[0].option("ddb"))
    // Cost is increasing in E, so its P10/P50/P90 are the cost at E's: 2000 × c, 6324.56 × c, 20000 × c with
    // c = 0.001 + 12 × 1124 × 0.25 / 2^30 = 0.00100314065.
    let c = 0.001 + 12 * 1124 * 0.25 / 1_073_741_824
    #expect(Swift.abs(ddb.cost.p10 / (2000 * c) - 1) < 0.03)
    #expect(Swift.abs(ddb.cost.p50 / (6324.555 * c) - 1) < 0.03)
    #expect(Swift.abs(ddb.cost.p90 / (20000 * c) - 1) < 0.03)
    // The node costs $7.30 in every draw; it is infeasible when the data outgrows it, E > 47,127:
    // (ln 47127 − μ) / σ = 2.2356, so it fits in Φ(2.2356) = 98.73% of the draws.
    let node = try #require(r.scales[0].option("node"))
    #expect(Swift.abs(node.cost.p10 - 7.3) < 1e-9 && Swift.abs(node.cost.p90 - 7.3) < 1e-9)
    #expect(Swift.abs(node.feasibleShare - 0.9873123459) < 0.004)
  }

  @Test func winProbabilityIsTheShareOfDrawsOnEachSideOfTheCrossover() throws {
    let s = try Self.scenario()
    let r = try Self.run(s)
    let sc = r.scales[0]
    // The node wins when it is cheaper and still fits: E* < E ≤ 47,127, with E* = 7.30 / c = 7,277.15:
    // P = Φ((ln 47127 − μ) / σ) − Φ((ln E* − μ) / σ) = Φ(2.2356) − Φ(0.1562) = 0.9873 − 0.5621 = 0.4253.
    let c = 0.001 + 12 * 1124 * 0.25 / 1_073_741_824
    let input = s.rangedInputs[0]
    let expectedNode =
      Normal.cdf((Foundation.log(805_306_368.0 / 17088) - input.mu) / input.sigma)
      - Normal.cdf((Foundation.log(7.3 / c) - input.mu) / input.sigma)
    #expect(Swift.abs(expectedNode - 0.4252607611) < 1e-6)
    let node = try #require(sc.option("node"))
    let ddb = try #require(sc.option("ddb"))
    // 20,000 draws: a standard error of 0.0035; allow 3.5 of them.
    #expect(Swift.abs(node.winProbability - expectedNode) < 0.012)
    #expect(Swift.abs(ddb.winProbability - (1 - expectedNode)) < 0.012)
    // By cost alone, winning is being the cheapest feasible option.
    #expect(node.cheapestProbability == node.winProbability)
    // At the medians DynamoDB is cheaper (6,325 < 7,277) and is recommended, but it wins only ~57%: a tie.
    #expect(sc.recommended == "ddb")
    let tie = try #require(sc.tie)
    #expect(tie.map(\.id) == ["ddb", "node"])
    #expect(Swift.abs(tie[0].share - ddb.winProbability) < 1e-12)
  }

  @Test func aClearWinnerIsNoTie() throws {
    // E from 200 to 2,000 (median 632.5): the node ($7.30) is cheaper only past E* = 7,277, in the far tail:
    // P(E < E*) = Φ((ln 7277.15 − ln 632.46) / 0.89836) = Φ(2.7196) = 0.99673.
    let r = try Self.run(try Self.scenario(low: 200, high: 2000), samples: 20000)
    #expect(r.scales[0].recommended == "ddb")
    #expect(Swift.abs((r.scales[0].option("ddb")?.winProbability ?? 0) - 0.99673) < 0.002)
    #expect(r.scales[0].tie == nil)
  }

  @Test func theSameSeedGivesTheSameDrawsAndAnotherSeedOthers() throws {
    let s = try Self.scenario()
    let a = try Self.run(s, samples: 3000, seed: 11)
    let b = try Self.run(s, samples: 3000, seed: 11)
    let c = try Self.run(s, samples: 3000, seed: 12)
    #expect(a.scales[0].options[0].cost == b.scales[0].options[0].cost)
    #expect(a.scales[0].options[0].winProbability == b.scales[0].options[0].winProbability)
    #expect(a.scales[0].options[0].cost != c.scales[0].options[0].cost)
  }

  @Test func sensitivityPricesEachInputAtItsEnds() throws {
    // Two ranges: E from 1,000 to 6,000 (median √6e6 = 2449.49) and recordBytes from 500 to 3,000 (median
    // √1.5e6 = 1224.74, rounded to 1225).
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":12,
       "workload":{"entitiesPerMonth":{"low":1000,"high":6000},"recordsPerEntity":1,"recordBytes":{"low":500,"high":3000},"keyBytes":24},
       "options":[{"id":"ddb","service":"dynamodb"},{"id":"node","service":"elasticache","nodeType":"small"}],
       "weights":{"cost":1}}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    #expect(s.workload.recordBytes == 1225)
    let book = try Fixtures.book()
    let result = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
    let sens = try Sensitivity.analyse(
      scenario: s, book: book, scales: s.scales, decisions: result.decisions)
    let at1 = try #require(sens.first)
    // At the medians an item is 24 + 1225 = 1249 bytes → 2 WRU a write, and
    // c = 0.002 + 12 × 1349 × 0.25 / 2^30 = $0.0020037695 an entity: 2449.49 × c = $4.91 < $7.30, so DynamoDB is
    // recommended and the bars are sorted by its swing.
    #expect(result.decisions[0].recommended == "ddb")
    #expect(at1.sortedBy == 0)
    let m = 2449.489742783178
    let c = 0.002 + 12 * 1349 * 0.25 / 1_073_741_824
    #expect(Swift.abs(at1.medianCost[0] - m * c) < 1e-9)
    // E at 1,000 and 6,000: $2.0038 to $12.0226 (swing $10.02).
    let e = try #require(at1.bars.first { $0.input.path == "workload.entitiesPerMonth" })
    #expect(Swift.abs(e.costAtLow[0] - 1000 * c) < 1e-9)
    #expect(Swift.abs(e.costAtHigh[0] - 6000 * c) < 1e-9)
    // B at 500 (524-byte item: 1 WRU; 624 bytes stored) and at 3,000 (3024 bytes: 3 WRU; 3124 stored):
    // 2449.49 × (0.001 + 12 × 624 × 0.25 / 2^30) = $2.4516 to 2449.49 × (0.003 + 12 × 3124 × 0.25 / 2^30) = $7.3699
    // (swing $4.92).
    let b = try #require(at1.bars.first { $0.input.path == "workload.recordBytes" })
    #expect(Swift.abs(b.costAtLow[0] - m * (0.001 + 12 * 624 * 0.25 / 1_073_741_824)) < 1e-9)
    #expect(Swift.abs(b.costAtHigh[0] - m * (0.003 + 12 * 3124 * 0.25 / 1_073_741_824)) < 1e-9)
    // Sorted by DynamoDB's swing: E first. The node's cost never moves (the data fits at every end).
    #expect(at1.bars.map(\.input.path) == ["workload.entitiesPerMonth", "workload.recordBytes"])
    #expect(e.swing(1) == 0 && b.swing(1) == 0)
    #expect(at1.drivers.count == 2)
  }

  @Test func selectionFindsTheSameRanksAsSorting() {
    var g = Xoshiro256StarStar(seed: 5)
    for n in [1, 2, 3, 10, 101, 1000] {
      let values = (0..<n).map { _ in Double(g.next() % 50) }  // many equal values
      let sorted = values.sorted()
      var a = values
      var lower = 0
      for p in [0.1, 0.5, 0.9] {
        let rank = Swift.min(n - 1, Swift.max(0, Int((p * Double(n)).rounded(.up)) - 1))
        #expect(Selection.select(&a, rank: rank, from: lower) == sorted[rank])
        lower = rank
      }
    }
  }

  @Test func fastQuantileAgreesWithBisection() {
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let hit = LatencyDistribution.lognormal(p50: 0.01, p99: 0.05)
    let cases: [LatencyDistribution] = [
      get, .mixture([(0.9, hit), (0.1, get)]), .mixture([(0.999, hit), (0.001, get)]),
      .shifted(get, by: 15000), .maxOf(get, k: 4.5),
      .mixture([(0.97, get), (0.03, .shifted(get, by: 15000))]),
      // Hits weighing exactly p: the CDF is p in Double across a stretch (docs/model.md §6), where the point
      // model finds the crossing on the tails; so must the fast solver.
      .mixture([(0.99, hit), (0.01, get)]), .mixture([(0.5, hit), (0.5, get)]),
    ]
    for d in cases {
      for p in [0.5, 0.99] {
        let slow = d.percentile(p)
        let fast = d.quantileFast(p)
        #expect(Swift.abs(fast / slow - 1) < 2e-6, "\(d) at \(p): \(fast) vs \(slow)")
      }
    }
  }

  /// The LIST-then-GETs sum and the mixtures sampling solves, the constant (σ = 0) and shifted parts.
  static let latencyCases: [LatencyDistribution] = {
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let list = LatencyDistribution.lognormal(p50: 25, p99: 120)
    let hit = LatencyDistribution.lognormal(p50: 0.01, p99: 0.05)
    let sum = LatencyDistribution.sum(first: list, then: .maxOf(get, k: 4.5))
    return [
      get, hit, .lognormal(mu: 3, sigma: 0), sum, .mixture([(0.9, hit), (0.1, sum)]),
      .sum(first: .lognormal(mu: 2, sigma: 0), then: get), .shifted(sum, by: 15000),
      .mixture([(0.97, get), (0.03, .shifted(get, by: 15000))]), .maxOf(sum, k: 2),
      .mixture([(0.99, hit), (0.01, sum)]), .mixture([(0.99, hit), (0.01, get)]),
      // A cache that almost never hits (a Lambda fleet at huge scale): its p99 is the GET's less a few parts in
      // a billion, which the decision still scores apart from the GET's own (docs/model.md §6).
      .mixture([(3e-9, hit), (1 - 3e-9, get)]),
    ]
  }()

  @Test func thePreparedCDFIsTheCDF() {
    // Every point from far below to far above each distribution's support: the skipped terms are exact 0s and 1s.
    for d in Self.latencyCases {
      let prepared = PreparedCDF(d)
      var x = 1e-5
      while x < 1e7 {
        #expect(prepared.cdf(x) == d.cdf(x), "\(d) at \(x)")
        x *= 1.37
      }
    }
  }

  @Test func aQuantileSolvedFromAHintIsTheQuantile() {
    // Hints far below, near and far above the answer, and none. Both solve to 1e-10 (relative width): sampling's
    // p99s are scored as the point model's are, where p99s a few parts in a billion apart are told apart, so a
    // draw's p99 must be as exact as the point one (at 1e-7, a Lambda-fleet cache that hits a few loads in a billion
    // won 0.04% of the draws where it should win none; seed 45 of the sampled differential).
    for d in Self.latencyCases {
      let slow = d.percentile(0.99)
      for hint in [nil, slow * 1e-4, slow / 1.5, slow * 1.01, slow, slow * 40] as [Double?] {
        let fast = d.quantileFast(0.99, near: hint)
        #expect(Swift.abs(fast / slow - 1) < 3e-10, "\(d) from \(hint ?? 0): \(fast) vs \(slow)")
      }
    }
    // The tiny-weight mixture's p99 lies below the GET's 200 ms: F_GET(x) = (0.99 − 3e-9) / (1 − 3e-9) ≈ 0.99 − 3e-11,
    // and the GET's density there is φ(2.3263) / (σ x) with σ = ln(200/30) / 2.3263 = 0.8155, so
    // x f(x) = 0.026652 / 0.8155 = 0.03268 and x is 200 × (1 − 3e-11 / 0.03268) = 200 × (1 − 9.2e-10).
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let rare = LatencyDistribution.mixture([
      (3e-9, .lognormal(p50: 0.01, p99: 0.05)), (1 - 3e-9, get),
    ])
    let q = rare.quantileFast(0.99, near: 200)
    #expect(q > 200 * (1 - 1.1e-9) && q < 200 * (1 - 7.5e-10), "\(q)")
  }

  @Test func aMixtureSolvedByNewtonStepsIsThePercentile() {
    // The mixtures sampling solves most (`flatQuantile`): two or three lognormals, some shifted by seconds (an
    // Aurora resume), with weights on both sides of 1 − p (the p99 in the fast part or in the slow one), from hints
    // in the other regime, far below and far above. 300 seeded cases, each against the bisection to 1e-10.
    var rng = SplitMix64(seed: 2026)
    func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
    for n in 0..<300 {
      let parts = 2 + n % 2
      var weights = (0..<parts).map { _ in 1e-4 + uniform() }
      if n % 3 == 0 { weights[parts - 1] = [0.002, 0.009, 0.0101, 0.02, 0.2][n % 5] * weights[0] }
      let total = weights.reduce(0, +)
      var mixture: [(weight: Double, LatencyDistribution)] = []
      for (i, w) in weights.enumerated() {
        let p50 = Foundation.exp(-3 + 10 * uniform())
        let d = LatencyDistribution.lognormal(p50: p50, p99: p50 * (1.01 + 20 * uniform()))
        let shifted =
          i > 0 && n % 4 == 1 ? LatencyDistribution.shifted(d, by: 15000 * uniform()) : d
        mixture.append((w / total, shifted))
      }
      let d = LatencyDistribution.mixture(mixture)
      let slow = d.percentile(0.99)
      for hint in [slow * 1e-3, slow / 1.3, slow * 1.000001, slow * 3, slow * 1e4] {
        let fast = d.quantileFast(0.99, near: hint)
        #expect(Swift.abs(fast / slow - 1) < 3e-10, "case \(n) from \(hint): \(fast) vs \(slow)")
      }
    }
  }

  @Test func aCacheThatAnswersExactlyP99OfTheLoadsSamplesThePointP99() throws {
    // A fixed hit ratio of 99% (and 50%) and a ranged record count: a load of an object per record lists and
    // gets more objects in some draws, so the misses' distribution changes from draw to draw and each p99 is solved
    // from the last one's. The read p99 grows with R, so its sampled median is the point p99 at the median R (10).
    // The hits weigh exactly p: that p99 lies where the tails decide it (docs/model.md §6); the secant's answer
    // alone was the start of the stretch where the CDF is p in Double, well below it.
    let root = CheapestIntervalTests.root
    let book = try RateBook.load(
      pricingRoot: root + "/pricing", provider: "aws", region: "us-east-1")
    for ratio in ["0.99", "0.5"] {
      let json = """
        {"version":1,"name":"t","provider":"aws","region":"us-east-1","scales":[1,10],"horizonMonths":12,
         "workload":{"entitiesPerMonth":50,"recordsPerEntity":{"low":5,"high":20},"recordBytes":2048},
         "options":[{"id":"s3-cache","service":"s3","layout":"object-per-record","cache":{"hitRatio":\(ratio)}}],
         "weights":{"cost":1}}
        """
      let s = try Scenario.parse(
        try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
      let point = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
      let sampled = try Sampler.run(
        scenario: s, book: book, scales: s.scales, decisions: point.decisions,
        plan: SamplingPlan(samples: 2000, seed: 5))
      for i in s.scales.indices {
        let exact = try #require(point.latencies[i][0]).readP99Ms
        let read = try #require(sampled.scales[i].options[0].readP99)
        #expect(read.p10 < read.p90, "the draws' latency should change")
        #expect(
          Swift.abs(read.p50 / exact - 1) < 2e-6,
          "hit ratio \(ratio), scale \(i): \(read.p50) vs \(exact)")
      }
    }
  }

  @Test func aCacheAtExactlyP99WithContinuouslyRangedLoadsSamplesBetweenItsPointP99s() throws {
    // As above, with a continuous range (loads after each append, lr from 0.5 to 3) and R = 10: no two draws' GET
    // counts are the same, k = (lr R(R+1)/2 + R) / (lr R + 1) falls as lr rises (5.8 at the median lr ≈ 1.22), and
    // every p99 is solved anew on the tails, each from the last draw's (a path of its own since the tails were
    // made faster). The sampled median is the p99 at the draws' median lr, which 2,000 draws put within about 2%
    // of the range's median (5 standard errors: ±10%); so it must lie between the point p99s at 0.9 and 1.1 times
    // that median, and every percentile between those at lr = 3 and lr = 0.5. Decided at the stretch's start, as
    // before the tails were used, the p99 was 61% low (far outside).
    let root = CheapestIntervalTests.root
    let book = try RateBook.load(
      pricingRoot: root + "/pricing", provider: "aws", region: "us-east-1")
    func scenario(_ loadsPerRecord: String) throws -> Scenario {
      let json = """
        {"version":1,"name":"t","provider":"aws","region":"us-east-1","scales":[1,10],"horizonMonths":12,
         "workload":{"entitiesPerMonth":50,"recordsPerEntity":10,"recordBytes":2048,"loadsPerRecord":\(loadsPerRecord),
                     "loadsPerEntity":1},
         "options":[{"id":"s3-cache","service":"s3","layout":"object-per-record","cache":{"hitRatio":0.99}}],
         "weights":{"cost":1}}
        """
      return try Scenario.parse(
        try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    }
    func pointP99(_ loadsPerRecord: Decimal) throws -> [Double] {
      let r = try ScenarioResult(
        scenario: try scenario("\(loadsPerRecord)"), book: book, withCrossovers: false)
      return try r.latencies.map { try #require($0[0]).readP99Ms }
    }
    let s = try scenario(#"{"low":0.5,"high":3}"#)
    let median = s.workload.loadsPerRecord
    let point = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
    let sampled = try Sampler.run(
      scenario: s, book: book, scales: s.scales, decisions: point.decisions,
      plan: SamplingPlan(samples: 2000, seed: 5))
    let (nearLow, nearHigh) = (try pointP99(median * 0.9), try pointP99(median * 1.1))
    let (atLow, atHigh) = (try pointP99(0.5), try pointP99(3))
    for i in s.scales.indices {
      let read = try #require(sampled.scales[i].options[0].readP99)
      #expect(read.p10 < read.p90, "the draws' latency should change")
      #expect(
        nearHigh[i] < read.p50 && read.p50 < nearLow[i],
        "scale \(i): P50 \(read.p50) outside [\(nearHigh[i]), \(nearLow[i])]")
      #expect(
        atHigh[i] * (1 - 1e-6) <= read.p10 && read.p90 <= atLow[i] * (1 + 1e-6),
        "scale \(i): P10 \(read.p10), P90 \(read.p90) outside [\(atHigh[i]), \(atLow[i])]")
    }
  }

  @Test func theLatencyMemoFindsWhatItKeptAndNeverAnotherKeysValue() {
    var memo = LatencyMemo()
    func key(_ i: Int) -> LatencyKey {
      LatencyKey(hit: -1, paused: -1, records: Double(i), loads: 1, read: 2)
    }
    // 200 record counts, as a range of whole records draws: most kept. Direct-mapped, 1,024 slots: about
    // 200 × 199 / (2 × 1024) ≈ 19 of them land in a taken slot and replace its key (a recomputation, never a wrong
    // value).
    // Values: read p99, write p99 and their logarithms (any four numbers here).
    for i in 1...200 { memo.store(key(i), (Double(i), Double(-i), Double(2 * i), Double(-2 * i))) }
    var found = 0
    for i in 1...200 {
      guard let v = memo.find(key(i)) else { continue }
      #expect(
        v == (Double(i), Double(-i), Double(2 * i), Double(-2 * i)),
        "key \(i) gave another key's p99s")
      found += 1
    }
    #expect(found >= 160, "\(found) of 200 kept")
    // Whole numbers (Doubles whose low 40-odd bits are 0) spread over the slots too.
    let slots = Set((1...200).map { LatencyMemo.slot(key($0)) })
    #expect(slots.count >= 160, "\(slots.count) slots for 200 keys")
    #expect(memo.find(key(201)) == nil)
    // A key stored again replaces its value.
    memo.store(key(7), (70, -70, 1, 2))
    #expect(memo.find(key(7))! == (70, -70, 1, 2))
  }

  @Test func aDrawnValueBecomesADecimalOf15Digits() {
    var g = SplitMix64(seed: 11)
    for _ in 0..<2000 {
      // Values from 1e-9 to 1e12, and exact powers of ten (where log10 may land one off).
      let u = Double(g.next() >> 11) / 9_007_199_254_740_992
      let v = Foundation.pow(10, -9 + 21 * u)
      for x in [v, -v, Foundation.pow(10, (-9 + 21 * u).rounded())] {
        let d = DecimalMath.fromDoubleFast(x)
        #expect(Swift.abs(DecimalMath.toDouble(d) / x - 1) < 1e-14, "\(x) → \(d)")
        #expect(DecimalText.mantissa(d) < 1_000_000_000_000_000, "\(x) → \(d)")
      }
    }
    #expect(DecimalMath.fromDoubleFast(0) == 0)
    #expect(DecimalMath.fromDoubleFast(2048) == 2048)
    #expect(DecimalMath.fromDoubleFast(0.1) == Decimal(string: "0.1"))
  }
}

/// The sampled parts of the outputs, on the shipped chat scenario (ranges in entities, message size, session
/// length and the cache's hit ratio).
@Suite struct SampledOutputTests {
  static func shipped(samples: Int = 400) throws -> ScenarioResult {
    let (r0, _) = try CheapestIntervalTests.shipped("conversation-history")
    var r = r0
    try r.addUncertainty(sampling: SamplingPlan(samples: samples, seed: 3))
    return r
  }

  @Test(arguments: [60, 80, 100])
  func theSampledTableFitsTheTerminal(_ width: Int) throws {
    let text = TableReport.render([try Self.shipped()], width: width)
    #expect(text.contains("Sampled: "))
    for line in text.split(separator: "\n") {
      #expect(line.count <= width, "\(line.count) > \(width): \(line)")
    }
  }

  @Test func everyOutputCarriesTheVerdictAndTheDrivers() throws {
    let r = try Self.shipped()
    let sampling = try #require(r.sampling)
    #expect(
      sampling.inputs.map(\.path) == [
        "workload.entitiesPerMonth", "workload.recordBytes", "workload.entityLifetimeMinutes",
        "options[1].cache.hitRatio",
      ])
    // Win and cheapest shares are shares of the draws: each scale's add up to 1 (some option is feasible in
    // every draw).
    for sc in sampling.scales {
      #expect(Swift.abs(sc.options.map(\.winProbability).reduce(0, +) - 1) < 1e-12)
      #expect(Swift.abs(sc.options.map(\.cheapestProbability).reduce(0, +) - 1) < 1e-12)
      for o in sc.options {
        #expect(o.cost.p10 <= o.cost.p50 && o.cost.p50 <= o.cost.p90)
      }
    }
    let md = MarkdownReport.render(r)
    #expect(md.contains("## Uncertainty"))
    #expect(md.contains("![What moves the monthly cost](conversation-history-tornado.svg)"))
    #expect(md.contains("Most of the uncertainty in `"))
    let html = HTMLReport.render(r)
    #expect(html.contains("<section id=\"uncertainty\">") && html.contains("<svg"))
    let svg = try #require(TornadoChart.render(r))
    #expect(svg.contains("entitiesPerMonth") && svg.contains("At 10,000×"))
    let csv = SummaryCSV.render([r])
    let row = try #require(csv.split(separator: "\n").dropFirst().first)
    let fields = row.split(separator: ",", omittingEmptySubsequences: false)
    #expect(fields.count == SummaryCSV.header.count)
    #expect(fields.suffix(4).allSatisfy { !$0.isEmpty && Double($0) != nil })
    let json = JSONReport.render([r])
    let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect(parsed != nil)
    #expect(json.contains("\"sampling\": {\"samples\": 400, \"seed\": 3"))
  }
}

/// A ranged option setting's median in the option's description: a readable number, not Decimal's 38 digits.
@Suite struct RangedSettingTextTests {
  @Test func aRangedHitRatioIsDescribedWithFourSignificantDigits() throws {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":12,
       "workload":{"entitiesPerMonth":100,"recordsPerEntity":1,"recordBytes":1000,"keyBytes":24},
       "options":[{"id":"c","service":"s3","cache":{"hitRatio":{"low":0.8,"high":0.98}}}],
       "weights":{"cost":1}}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    // The point value is the median √(0.8 × 0.98) = √0.784 = 0.88543774…, shown as 0.8854.
    let text = s.options[0].model.describe(s.options[0])
    #expect(text.hasSuffix("in-process cache (hit ratio 0.8854)"), "\(text)")
  }
}

/// A LIST + GETs read p99 in sampling (`SharedP99`): solved once per record count for the whole run, from no earlier
/// answer, so it is the same whichever chunk meets it first, and it is the point model's p99 at that count.
@Suite struct SharedP99Tests {
  @Test func aListAndGetsP99IsThePointModelsAtItsWholeRecordCount() throws {
    let book = try RateBook.load(
      pricingRoot: CheapestIntervalTests.root + "/pricing", provider: "aws", region: "us-east-1")
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"us-east-1","scales":[1,10],"horizonMonths":12,
       "workload":{"entitiesPerMonth":100,"recordsPerEntity":{"low":3,"high":12},"recordBytes":2048,"keyBytes":24,
                   "loadsPerRecord":0,"loadsPerEntity":1},
       "options":[{"id":"s3","service":"s3","layout":"object-per-record"},
                  {"id":"ddb","service":"dynamodb"}],
       "weights":{"cost":1,"readP99":1}}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    let point = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
    // 5,000 draws: sixteen chunks of 313, each meeting most record counts of the range.
    let plan = SamplingPlan(samples: 5000, seed: 11)
    let a = try Sampler.run(
      scenario: s, book: book, scales: s.scales, decisions: point.decisions, plan: plan)
    let b = try Sampler.run(
      scenario: s, book: book, scales: s.scales, decisions: point.decisions, plan: plan)
    let table = try #require(book.latency)
    var ops: [String: LatencyDistribution] = [:]
    for id in LatencyModel.operationsNeeded(s.options[0]) {
      ops[id] = try #require(table.operation(id)).distribution
    }
    // One load a session reads all R records: a LIST, then the slowest of R concurrent GETs (docs/model.md §5).
    let reads = (1...200).map { r -> LatencyDistribution in
      let inputs = LatencyInputs(
        option: s.options[0], hitRatio: nil, pausedProbability: nil, recordsPerEntity: Double(r),
        loadsPerEntity: 1, recordsReadPerEntity: Double(r))
      return s.options[0].model.latency(inputs, ops: ops, table: table).read
    }
    let byCount = reads.map { $0.percentile(0.99) }
    // Solved from no hint: the same bits as the sampler's, whichever chunk solved it.
    let canonical = Set(reads.map { $0.quantileFast(0.99, near: nil) })
    for (x, y) in zip(a.scales, b.scales) {
      let p = try #require(x.options[0].readP99)
      #expect(p == y.options[0].readP99, "the same bits in a second run")
      #expect(p.p10 < p.p90, "the record count is drawn: \(p)")
      for q in [p.p10, p.p50, p.p90] {
        // percentile(0.99) and the sampler's solve each stop within 1e-10 of the root.
        #expect(byCount.contains { Swift.abs($0 - q) <= 1e-9 * q }, "\(q) is no record count's p99")
        let solvedFromNoHint = canonical.contains(q)
        #expect(solvedFromNoHint, "\(q) was not solved from no hint")
      }
    }
  }
}

/// `WeightLadder`: a two-part mixture over an integral (a cache with a drawn hit ratio in front of a LIST and GETs),
/// solved inside the bracket of its neighbouring weights' p99s.
@Suite struct WeightLadderTests {
  @Test func aP99SolvedBetweenItsNeighboursIsThePercentile() {
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let list = LatencyDistribution.lognormal(p50: 25, p99: 120)
    let hit = LatencyDistribution.lognormal(p50: 0.01, p99: 0.05)
    let miss = LatencyDistribution.sum(first: list, then: .maxOf(get, k: 8))
    var rng = SplitMix64(seed: 99)
    var ladder: WeightLadder? = nil
    var inside = 0
    // 40 hit ratios drawn between 0.85 and 0.985 (the p99 in the misses' integral in every draw).
    for n in 0..<40 {
      let h = 0.85 + 0.135 * Double(rng.next() >> 11) / Double(1 << 53)
      let parts: [(weight: Double, LatencyDistribution)] = [(h, hit), (1 - h, miss)]
      let d = LatencyDistribution.mixture(parts)
      if ladder.map({ !$0.holds(parts) }) ?? true { ladder = WeightLadder(parts) }
      var q = ladder!.between(h).flatMap { d.quantile(0.99, between: $0.0, $0.1) }
      if q != nil { inside += 1 }
      if q == nil { q = d.quantileFast(0.99, near: nil) }
      ladder!.insert(h, q!)
      let slow = d.percentile(0.99)
      #expect(Swift.abs(q! / slow - 1) < 3e-10, "draw \(n), hit ratio \(h): \(q!) vs \(slow)")
    }
    // Every weight after the first few falls between two kept ones, and its neighbours' p99s bracket it (more hits,
    // a lower p99).
    #expect(inside >= 30, "\(inside) of 40 solved between neighbours")
    // A bracket that does not hold the p99 is refused, not solved.
    let d = LatencyDistribution.mixture([(0.9, hit), (0.1, miss)])
    let p = d.percentile(0.99)
    #expect(d.quantile(0.99, between: p * 1.1, p * 1.2) == nil)
    #expect(d.quantile(0.99, between: p * 0.8, p * 0.9) == nil)
  }
}
