import Foundation
import Testing

@testable import CostModel

/// Eight draws priced at once (`Lanes`, `LaneBatch`) must give what pricing them one at a time gives, bit for bit.
@Suite struct LanesTests {
  static let root = CheapestIntervalTests.root

  @Test func arithmeticIsLaneByLaneAsDouble() {
    let a = Lanes(SIMD8(1, 2, 3, 4, 5, 6, 7, -0.5))
    let b = Lanes(SIMD8(0.1, 3, 3, 1e-9, .infinity, 6.5, 0, 2))
    let pairs: [(Lanes, (Double, Double) -> Double)] = [
      (a + b, { $0 + $1 }), (a - b, { $0 - $1 }), (a * b, { $0 * $1 }), (a / b, { $0 / $1 }),
    ]
    for (k, (r, f)) in pairs.enumerated() {
      for lane in 0..<Lanes.count {
        #expect(
          r.v[lane].bitPattern == f(a.v[lane], b.v[lane]).bitPattern,
          "operation \(k), lane \(lane)")
      }
    }
    // larger/smaller lane by lane as Double's `isLess(b, a) ? a : b` and `isLess(a, b) ? a : b`.
    let big = Lanes.maximum(a, b)
    let small = Lanes.minimum(a, b)
    for lane in 0..<Lanes.count {
      let (x, y) = (a.v[lane], b.v[lane])
      #expect(big.v[lane] == Double.larger(x, y))
      #expect(small.v[lane] == Double.smaller(x, y))
    }
    // 2.5 → 3 half up; 7.000001 → 8 ceiling.
    let c = Lanes(SIMD8(2.5, 7.000001, 0, 1, 1.5, 2.4999, 10, 0.1))
    #expect(c.roundedHalfUp.v == SIMD8(3, 7, 0, 1, 2, 2, 10, 0))
    #expect(c.ceiling.v == SIMD8(3, 8, 0, 1, 2, 3, 10, 1))
  }

  @Test func aComparisonTheLanesDisagreeOnIsADivergence() {
    _ = LaneDivergence.take()
    let a = Lanes(SIMD8(1, 2, 3, 4, 5, 6, 7, 8))
    // Every lane agrees: an answer, no divergence.
    #expect(Lanes.isLess(a, Lanes(repeating: 100)))
    #expect(!Lanes.isLess(a, Lanes(repeating: 0)))
    // The lanes differ: leaving the type diverges.
    #expect(a.asDouble == 1 && LaneDivergence.take())
    #expect(Lanes(repeating: 4).asDouble == 4 && !LaneDivergence.take())
    #expect(!LaneDivergence.take())
    // Lanes 1–3 below 4.5, lanes 4–8 not: lane 0's verdict, and the pricing is marked.
    #expect(Lanes.isLess(a, Lanes(repeating: 4.5)))
    #expect(LaneDivergence.take())
    #expect(!LaneDivergence.take(), "take clears the mark")
    // max and min do not diverge: they are lane by lane.
    _ = Lanes.maximum(a, Lanes(repeating: 4.5))
    #expect(!LaneDivergence.take())
  }

  /// The shipped scenarios and the sampling fixtures (every service and option kind), sampled with and without
  /// lanes; the fixtures whose drawn record count or peak-to-average ratio keeps lanes off are also sampled with those
  /// ranges replaced by a number, so that lanes run on every option kind. Every percentile and share must be equal.
  @Test(arguments: [
    "scenarios/conversation-history.json", "scenarios/ops-review-results.json",
    "Tests/Fixtures/sampling/kinds-a.json", "Tests/Fixtures/sampling/kinds-b.json",
    "Tests/Fixtures/sampling/kinds-c.json",
  ])
  func lanesGiveTheSameDrawsAsOneAtATime(_ path: String) throws {
    let book = try RateBook.load(
      pricingRoot: Self.root + "/pricing", provider: "aws", region: "us-east-1")
    let text = try String(contentsOfFile: Self.root + "/" + path, encoding: .utf8)
    var variants = [text]
    // The same with recordsPerEntity and peakToAverage fixed (lanes then price every option whose settings
    // are not drawn).
    if var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      var workload = json["workload"] as? [String: Any]
    {
      var changed = false
      for (field, value) in [("recordsPerEntity", 12), ("peakToAverage", 3)]
      where workload[field] is [String: Any] {
        workload[field] = value
        changed = true
      }
      if changed {
        json["workload"] = workload
        variants.append(
          String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self))
      }
    }
    for (v, source) in variants.enumerated() {
      let s = try Scenario.parse(try JSONParser.parse(Data(source.utf8), file: path), file: path)
      let point = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
      let plan = SamplingPlan(samples: 1203, seed: 97)  // 150 blocks of eight and three draws alone
      let one = try Sampler.run(
        scenario: s, book: book, scales: s.scales, decisions: point.decisions, plan: plan,
        lanes: false)
      let eight = try Sampler.run(
        scenario: s, book: book, scales: s.scales, decisions: point.decisions, plan: plan,
        lanes: true)
      for (a, b) in zip(one.scales, eight.scales) {
        for (x, y) in zip(a.options, b.options) {
          let same =
            x.cost == y.cost && x.readP99 == y.readP99 && x.winProbability == y.winProbability
            && x.cheapestProbability == y.cheapestProbability && x.feasibleShare == y.feasibleShare
          #expect(same, "\(path) variant \(v), scale \(a.scale), \(x.id): \(x) vs \(y)")
        }
      }
    }
  }
}
