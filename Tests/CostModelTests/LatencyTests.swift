import Foundation
import Testing

@testable import CostModel
@testable import CostReports

@Suite struct LatencyDistributionTests {
  @Test func singleLognormalMatchesItsClosedForm() {
    // μ = ln 30, σ = (ln 200 − ln 30) / 2.3263478740: the p50 and p99 come back, and p90 = e^{μ + 1.2815516 σ}.
    let d = LatencyDistribution.lognormal(p50: 30, p99: 200)
    #expect(abs(d.percentile(0.5) / 30 - 1) < 1e-4)
    #expect(abs(d.percentile(0.99) / 200 - 1) < 1e-4)
    let sigma = (log(200.0) - log(30.0)) / 2.3263478740
    #expect(abs(d.percentile(0.9) / exp(log(30.0) + 1.2815515655 * sigma) - 1) < 1e-4)
  }

  @Test func mixtureAgreesWithNumericalIntegration() {
    // 0.9 × cache hit (p50 0.01, p99 0.05) + 0.1 × GET (p50 30, p99 200): integrate both densities
    // with the trapezoid rule in log space and read off where the CDF crosses 0.5 and 0.99.
    let hit = LatencyDistribution.lognormal(p50: 0.01, p99: 0.05)
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let mix = LatencyDistribution.mixture([(0.9, hit), (0.1, get)])
    func density(_ p50: Double, _ p99: Double, _ x: Double) -> Double {
      let mu = log(p50)
      let s = (log(p99) - log(p50)) / 2.3263478740
      let z = (log(x) - mu) / s
      return exp(-0.5 * z * z) / (x * s * (2 * Double.pi).squareRoot())
    }
    var cdf = 0.0
    var x = 1e-5
    var previous = 0.0
    var found: [Double: Double] = [:]
    let step = 1.0005
    while x < 1e5 {
      let f = 0.9 * density(0.01, 0.05, x) + 0.1 * density(30, 200, x)
      let next = x * step
      let fNext = 0.9 * density(0.01, 0.05, next) + 0.1 * density(30, 200, next)
      previous = cdf
      cdf += (f + fNext) / 2 * (next - x)
      for p in [0.5, 0.99] where found[p] == nil && previous < p && cdf >= p { found[p] = next }
      x = next
    }
    #expect(abs(mix.percentile(0.5) / found[0.5]! - 1) < 0.01)
    #expect(abs(mix.percentile(0.99) / found[0.99]! - 1) < 0.01)
    // p99 of the mixture is the GET's 90th percentile: 0.9 + 0.1 × F_GET(x) = 0.99 → F_GET(x) = 0.9.
    #expect(abs(mix.percentile(0.99) / get.percentile(0.9) - 1) < 0.001)
  }

  @Test func listPlusMaxOfGetsMatchesAFineIntegral() {
    // LIST + max of 4 GETs; the CDF by 160-step Simpson against a Monte Carlo-free 20,000-point sum.
    let list = LatencyDistribution.lognormal(p50: 50, p99: 300)
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let sum = LatencyDistribution.sum(first: list, then: .maxOf(get, k: 4))
    let mu = log(50.0)
    let sigma = (log(300.0) - log(50.0)) / 2.3263478740
    func fine(_ x: Double) -> Double {
      let n = 20_000
      var total = 0.0
      let h = 16.0 / Double(n)
      for i in 0..<n {
        let z = -8 + (Double(i) + 0.5) * h
        total += Normal.pdf(z) * pow(get.cdf(x - exp(mu + sigma * z)), 4) * h
      }
      return total
    }
    for x in [60.0, 120.0, 250.0, 600.0] {
      #expect(abs(sum.cdf(x) - fine(x)) < 1e-4, "x = \(x)")
    }
    // Always slower than the LIST alone and than one GET.
    #expect(sum.percentile(0.5) > list.percentile(0.5))
  }

  @Test func aWideListPlusConstantGetsIsTheListsPercentilePlusTheConstant() {
    // docs/model.md §5: an object-per-record load is a LIST plus the slowest of k GETs. A LIST with p50 100 ms
    // and p99 3,000 ms (σ = ln 30 / 2.32635 = 1.462) and GETs that always take 50 ms (p50 = p99): the load is the
    // LIST shifted by 50 ms, so its p50 is 100 + 50 = 150 ms and its p99 3,000 + 50 = 3,050 ms, exactly.
    // The v1 integral (160 Simpson steps over z ∈ [−8, 8]) put the p99 at 2,936.6 ms: the integrand steps from
    // φ(z) to 0 between two of its nodes.
    let list = LatencyDistribution.lognormal(p50: 100, p99: 3000)
    let get = LatencyDistribution.lognormal(p50: 50, p99: 50)
    let load = LatencyDistribution.sum(first: list, then: .maxOf(get, k: 10))
    #expect(abs(load.percentile(0.5) / 150 - 1) < 2e-6, "\(load.percentile(0.5))")
    #expect(abs(load.percentile(0.99) / 3050 - 1) < 2e-6, "\(load.percentile(0.99))")
  }

  @Test func aWideListPlusManyNarrowGetsMatchesAFineIntegral() {
    // Found by scripts/differential.py on a mutated latency table: LIST p50 164.522, p99 4,636.25 ms (σ = 1.435),
    // GET p50 125.608, p99 233.416 ms (σ = 0.266), 38 GETs. The slowest of 38 GETs lies within about 100–400 ms,
    // which near the p99 is 0.05 of the LIST's z: v1 gave a p99 of 4,701.17 ms. A 400,000-point trapezoid
    // integral of φ(z) Φ((ln(x − e^{μ + σz}) − μ_get) / σ_get)^38 puts the CDF at 0.99 at x = 4,860.497 ms (a
    // 2,000,000-draw Monte Carlo gives 4,860.9); the p50 is at 391.544 ms.
    let list = LatencyDistribution.lognormal(p50: 164.522, p99: 4636.25)
    let get = LatencyDistribution.lognormal(p50: 125.608, p99: 233.416)
    let load = LatencyDistribution.sum(first: list, then: .maxOf(get, k: 38))
    #expect(abs(load.percentile(0.99) / 4860.497 - 1) < 1e-5, "\(load.percentile(0.99))")
    #expect(abs(load.percentile(0.5) / 391.544 - 1) < 1e-5, "\(load.percentile(0.5))")
  }

  @Test func aCacheHittingOneLoadInAMillionShavesTheP99InItsSeventhDigit() {
    // A 10⁻⁶ hit ratio in front of GETs (p50 30, p99 200 ms; σ = ln(200 / 30) / 2.3263478740 = 0.815495): the hits
    // (p99 0.05 ms) are all below 200 ms, so F(x) = 10⁻⁶ + (1 − 10⁻⁶) F_get(x) = 0.99 needs
    // F_get(x) = (0.99 − 10⁻⁶) / (1 − 10⁻⁶) = 0.99 − 1.0e-8, a normal score 1.0e-8 / φ(2.3263479) = 1.0e-8 / 0.026652
    // = 3.7521e-7 below 2.3263479, so p99 = 200 × e^(−0.815495 × 3.7521e-7) = 200 × (1 − 3.0598e-7)
    // = 199.9999388 ms. The decision matrix must see it below the cacheless 200 ms: a bisection to a width of
    // 1e-6 gave both the same last bracket, and so the same p99.
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let hit = LatencyDistribution.lognormal(p50: 0.01, p99: 0.05)
    let cached = LatencyDistribution.mixture([(1e-6, hit), (1 - 1e-6, get)])
    #expect(abs(cached.percentile(0.99) - 199.9999388) < 2e-7, "\(cached.percentile(0.99))")
    #expect(abs(get.percentile(0.99) - 200) < 2e-7, "\(get.percentile(0.99))")
    #expect(cached.percentile(0.99) < get.percentile(0.99))
  }

  @Test func whereTheFastPartsWeighExactlyPThePercentileIsWhereTheTailsCross() {
    // 99% cache hits (p50 0.01, p99 0.05 ms) and 1% of loads that take 1,000 ms plus a GET (p50 30, p99 200 ms).
    // Below 1,000 ms the slow part has no mass, so F(x) = 0.99 × (1 − S_hit(x)) < 0.99: the p99 is past 1,000 ms.
    // Just past it F(x) − 0.99 = 0.01 × F_get(x − 1000) − 0.99 × S_hit(x), with S_hit(1000) = Φ(−16.64) = 1.7e-62:
    // the GET's lower tail reaches 99 × 1.7e-62 at 4.8e-5 ms, so p99 = 1,000.0000480 ms (60-digit bisection:
    // 1,000.00004804466). In Double, 0.99 × (1 − S_hit(x)) is 0.99 from about 3 ms on, and the bisection stopped
    // there: a p99 of 3.1 ms for loads of which 1% take a second.
    let hit = LatencyDistribution.lognormal(p50: 0.01, p99: 0.05)
    let get = LatencyDistribution.lognormal(p50: 30, p99: 200)
    let slow = LatencyDistribution.mixture([(0.99, hit), (1 - 0.99, .shifted(get, by: 1000))])
    #expect(abs(slow.percentile(0.99) - 1000.00004804466) < 1e-6, "\(slow.percentile(0.99))")
    // The same 99% hits in front of a LIST (p50 50, p99 300 ms) and the slowest of 5.5 GETs (object-per-record,
    // R = 10, one load per record): the crossing 0.01 × F_miss(x) = 0.99 × S_hit(x), both near 1e-19, is at
    // 5.29950 ms (60-digit quadrature and bisection: 5.2995010364); v1 said 3.10 ms.
    let list = LatencyDistribution.lognormal(p50: 50, p99: 300)
    let cached = LatencyDistribution.mixture([
      (0.99, hit), (1 - 0.99, .sum(first: list, then: .maxOf(get, k: 5.5))),
    ])
    #expect(abs(cached.percentile(0.99) / 5.2995010364 - 1) < 1e-6, "\(cached.percentile(0.99))")
    // Away from such a tie nothing changes: with 98% hits, F = 0.98 + 0.02 × F_miss = 0.99 where F_miss = ½, so
    // the p99 is the miss path's median, found on the CDF as before.
    let partly = LatencyDistribution.mixture([
      (0.98, hit), (1 - 0.98, .sum(first: list, then: .maxOf(get, k: 5.5))),
    ])
    let miss = LatencyDistribution.sum(first: list, then: .maxOf(get, k: 5.5))
    #expect(abs(partly.percentile(0.99) / miss.percentile(0.5) - 1) < 1e-6)
  }

  @Test func logCDFIsAccurateInBothTails() {
    // ln Φ(0) = ln ½; ln Φ(−40) = −804.608442013754 (asymptotic series); ln Φ(10) = ln(1 − Φ(−10)) = −7.6198530241605e-24.
    #expect(abs(Normal.logCDF(0) - log(0.5)) < 1e-15)
    #expect(abs(Normal.logCDF(-40) / -804.608442013754 - 1) < 1e-12)
    #expect(abs(Normal.logCDF(10) / -7.6198530241605e-24 - 1) < 1e-10)
    #expect(abs(Normal.logCDF(-30) / log(0.5 * erfc(30 / 2.0.squareRoot())) - 1) < 1e-13)
  }

  /// `sumLogTails` as it was before terms were skipped: every point of the grid, in order.
  static func fullGridSumLogTails(_ x: Double, mu: Double, sigma: Double, then: LatencyDistribution)
    -> (lower: Double, upper: Double)
  {
    let lx = log(x)
    let step = 0.03
    let logDensityScale = -log(sigma * (2 * Double.pi).squareRoot())
    var lower = LogSum()
    var upper = LogSum()
    for i in 0...4000 {
      let u = -60 + Double(i) * step
      let logShare = -log1p(exp(-u))
      let logRest = -log1p(exp(u))
      let z = (lx + logShare - mu) / sigma
      let base = logDensityScale - 0.5 * z * z + logRest
      let t = then.logTails(x * exp(logRest))
      lower.add(base + t.lower)
      upper.add(base + t.upper)
    }
    var total = LogSum()
    total.add(Normal.logCDF(-(lx - mu) / sigma))
    total.add(upper.value + log(step))
    return (lower.value + log(step), total.value)
  }

  @Test func sumTailsThatSkipNegligibleTermsAgreeWithTheFullGrid() {
    // The skipped terms are each below e^-40 of a sum already held, at most 4,001 of them: the logarithms agree to
    // about 4001 × 4e-18 = 2e-14 (absolute, in ln), here checked at 1e-12 (and exactly where a tail is 0 or −∞).
    // LISTs and GETs from nearly constant to 30-fold spreads, 1 to 100,000 GETs, x from far below the bulk to far
    // into the upper tail (both tails from ~0 to below 1e-300).
    var checked = 0
    for (listP50, listP99) in [(20.0, 21.0), (20.0, 80.0), (20.0, 600.0)] {
      for (getP50, getP99) in [(10.0, 10.5), (15.0, 60.0), (15.0, 450.0)] {
        for k in [1.0, 3.7, 38, 100_000] {
          let list = LatencyDistribution.lognormal(p50: listP50, p99: listP99)
          guard case .lognormal(let mu, let sigma) = list else { continue }
          let then = LatencyDistribution.maxOf(.lognormal(p50: getP50, p99: getP99), k: k)
          for x in [1.0, 10, 25, 40, 80, 200, 1000, 20_000, 1e6] {
            let fast = LatencyDistribution.sumLogTails(x, mu: mu, sigma: sigma, then: then)
            let full = Self.fullGridSumLogTails(x, mu: mu, sigma: sigma, then: then)
            for (a, b, tail) in [
              (fast.lower, full.lower, "lower"), (fast.upper, full.upper, "upper"),
            ] {
              let close = a == b || Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(b))
              #expect(
                close,
                "\(tail) at x \(x), LIST \(listP50)/\(listP99), GET \(getP50)/\(getP99) × \(k): \(a) vs \(b)"
              )
              checked += 1
            }
          }
        }
      }
    }
    #expect(checked == 3 * 3 * 4 * 9 * 2)
  }

  @Test func shiftedAddsTheConstant() {
    let insert = LatencyDistribution.lognormal(p50: 3, p99: 15)
    #expect(abs(LatencyDistribution.shifted(insert, by: 15000).percentile(0.5) - 15003) < 0.1)
  }
}

@Suite struct LatencyModelTests {
  static let table = try! LatencyTable.parse(
    try! JSONParser.parse(
      Data(
        """
        {"version":1,"provider":"aws","region":"test-1","operations":[
         {"id":"s3.get","p50Ms":30,"p99Ms":200,"source":"t"},{"id":"s3.put","p50Ms":40,"p99Ms":250,"source":"t"},
         {"id":"s3.list","p50Ms":50,"p99Ms":300,"source":"t"},{"id":"cache.hit","p50Ms":0.01,"p99Ms":0.05,"source":"t"},
         {"id":"aurora.select","p50Ms":2,"p99Ms":10,"source":"t"},{"id":"aurora.insert","p50Ms":3,"p99Ms":15,"source":"t"},
         {"id":"aurora.resume","p50Ms":15000,"p99Ms":15000,"source":"t"},
         {"id":"dynamodb.query","p50Ms":6,"p99Ms":20,"source":"t"},{"id":"dynamodb.putItem","p50Ms":6,"p99Ms":15,"source":"t"}]}
        """.utf8), file: "latency.json"), file: "latency.json")

  func latency(_ workload: String, _ option: String) throws -> LatencyEstimate {
    let e = try Fixtures.estimate(workload: workload, option: option)
    let s = try Fixtures.scenario(workload: workload, option: option)
    return try LatencyModel.estimate(
      e, workload: Estimator(scenario: s, book: try Fixtures.book()).workload(at: 1),
      table: Self.table, scenarioFile: "t.json")
  }

  @Test func plainOptionsUseTheirOperations() throws {
    let l = try latency(S3PricingTests.workload, #"{"id":"a","service":"s3"}"#)
    #expect(abs(l.readP50Ms - 30) < 0.01 && abs(l.readP99Ms - 200) < 0.1)
    #expect(abs(l.writeP99Ms - 250) < 0.1)
  }

  @Test func autoPauseSendsOneAppendInRToTheResume() throws {
    // λ = 100/730 per hour, (L + P) = 30 min → p = exp(−0.0685) = 0.9338; R = 4 → 23.3% of appends wait 15 s.
    // So the write p50 is an ordinary insert (≈ 3 ms) and the p99 includes the resume (≥ 15,000 ms).
    let l = try latency(
      S3PricingTests.workload + #","entityLifetimeMinutes":25"#,
      #"{"id":"a","service":"aurora-serverless-v2","minACU":0}"#)
    #expect(l.writeP50Ms < 10)
    #expect(l.writeP99Ms > 15000)
    #expect(abs(l.readP99Ms - 10) < 0.01)
  }

  @Test func missingOperationIsADataError() throws {
    let e = try Fixtures.estimate(
      workload: S3PricingTests.workload,
      option: #"{"id":"x","service":"dynamodb","layout":"item-per-entity"}"#)
    let s = try Fixtures.scenario(
      workload: S3PricingTests.workload,
      option: #"{"id":"x","service":"dynamodb","layout":"item-per-entity"}"#)
    #expect(throws: DataError.self) {
      try LatencyModel.estimate(
        e, workload: Estimator(scenario: s, book: try Fixtures.book()).workload(at: 1),
        table: Self.table, scenarioFile: "t.json")
    }
  }

  @Test func p99BelowP50IsRejected() {
    let text =
      #"{"version":1,"provider":"aws","region":"r","operations":[{"id":"s3.get","p50Ms":30,"p99Ms":20,"source":"t"}]}"#
    #expect(throws: DataError.self) {
      try LatencyTable.parse(try JSONParser.parse(Data(text.utf8), file: "l.json"), file: "l.json")
    }
  }
}
