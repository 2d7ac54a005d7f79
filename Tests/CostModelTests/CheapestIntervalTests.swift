import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// docs/model.md §7: the cheapest feasible option along the traffic range, as intervals.
@Suite struct CheapestIntervalTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  static func shipped(_ name: String) throws -> (ScenarioResult, Estimator) {
    let book = try RateBook.load(
      pricingRoot: root + "/pricing", provider: "aws", region: "us-east-1")
    let file = root + "/scenarios/\(name).json"
    let s = try Scenario.parse(
      try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: file)), file: file), file: file)
    return (try ScenarioResult(scenario: s, book: book), Estimator(scenario: s, book: book))
  }

  /// The cheapest feasible option at `scale`, priced afresh (ties to the earlier option).
  static func cheapest(_ e: Estimator, _ scale: Double) throws -> String? {
    var best: (String, Double)?
    for o in e.scenario.options {
      let q = try e.quickTotal(o, scale: scale)
      if q.feasible && (best == nil || q.total < best!.1) { best = (o.id, q.total) }
    }
    return best?.0
  }

  @Test(arguments: ["conversation-history", "ops-review-results"])
  func intervalsAreTheLowerEnvelope(_ name: String) throws {
    let (r, e) = try Self.shipped(name)
    let intervals = try #require(r.curves?.cheapest)
    #expect(!intervals.isEmpty)
    #expect(
      intervals.first!.from == BreakEven.lowestScale
        || intervals.first!.from > BreakEven.lowestScale)
    for (a, b) in zip(intervals, intervals.dropFirst()) {
      #expect(a.option != b.option || a.to < b.from, "the same option twice in a row")
      #expect(a.to <= b.from)
    }
    for i in intervals {
      #expect(i.from < i.to)
      // Inside: this option is the cheapest feasible one.
      #expect(try Self.cheapest(e, (i.from * i.to).squareRoot()) == i.option, "\(i)")
      // At its edges, within 1e-5 of the boundary: still this option inside, another (or none) outside.
      if !i.fromEdge {
        #expect(try Self.cheapest(e, i.from * (1 + 1e-5)) == i.option, "\(i) just above its start")
        #expect(try Self.cheapest(e, i.from * (1 - 1e-5)) != i.option, "\(i) just below its start")
      }
      if !i.toEdge {
        #expect(try Self.cheapest(e, i.to * (1 - 1e-5)) == i.option, "\(i) just below its end")
        #expect(try Self.cheapest(e, i.to * (1 + 1e-5)) != i.option, "\(i) just above its end")
      }
    }
  }

  @Test func aStretchThatEndsWhereTheOptionStopsFittingSaysSo() throws {
    // SamplerTests' pair at 1,000 entities a month: DynamoDB costs $0.00100314 per entity, the node $7.30 while
    // 12 months × E × 1424 bytes fit in 0.75 GiB, E ≤ 47,127. So the node is cheapest from E* = 7.30 / c = 7,277
    // (7.277×) to 47.127×, where it stops fitting, and DynamoDB is cheapest below and above.
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":12,
       "workload":{"entitiesPerMonth":1000,"recordsPerEntity":1,"recordBytes":1000,"keyBytes":24},
       "options":[{"id":"ddb","service":"dynamodb"},
                  {"id":"node","service":"elasticache","nodeType":"small"}],
       "weights":{"cost":1}}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    let r = try ScenarioResult(scenario: s, book: try Fixtures.book())
    let intervals = try #require(r.curves?.cheapest)
    #expect(intervals.map(\.option) == ["ddb", "node", "ddb"])
    #expect(Swift.abs(intervals[1].from / 7.27715 - 1) < 1e-4)
    #expect(Swift.abs(intervals[1].to / 47.127 - 1) < 1e-4)
    #expect(!intervals[0].endsInfeasible && intervals[1].endsInfeasible)
    let sentences = CheapestIntervals.sentences(intervals)
    #expect(sentences[1] == "`node` is cheapest between 7.28× and 47.1× (infeasible above that)")
    #expect(sentences[0] == "`ddb` is cheapest below 7.28× and above 47.1×")
  }

  @Test func sentencesNameEachStretch() {
    let lo = BreakEven.lowestScale
    let hi = BreakEven.highestScale
    let list = [
      CheapestInterval(option: "redis", from: lo, to: 0.654321),
      CheapestInterval(option: "dynamo", from: 0.654321, to: 1.31),
      CheapestInterval(option: "redis", from: 1.31, to: 2.26, endsInfeasible: true),
      CheapestInterval(option: "aurora", from: 3400.4, to: hi),
    ]
    #expect(
      CheapestIntervals.sentences(list) == [
        "`redis` is cheapest below 0.654× and between 1.31× and 2.26× (infeasible above that)",
        "`dynamo` is cheapest between 0.654× and 1.31×",
        "`aurora` is cheapest above 3,400×",
      ])
    #expect(
      CheapestIntervals.sentences([CheapestInterval(option: "s3", from: lo, to: hi)])
        == ["`s3` is cheapest across the whole range (0.01× to 1,000,000×)"])
  }

  /// The terminal table fits the width it is given, and never splits a word: narrower widths drop read p50,
  /// then the score, then shorten option ids.
  @Test(arguments: [60, 72, 80, 100, 132])
  func tableFitsTheTerminal(_ width: Int) throws {
    let (r, _) = try Self.shipped("conversation-history")
    let text = TableReport.render([r], width: width)
    for line in text.split(separator: "\n") {
      #expect(line.count <= width, "\(line.count) > \(width): \(line)")
    }
    // Status cells stay whole.
    #expect(text.contains("ok, pareto"))
    #expect(!text.contains("pa\nreto") && !text.contains("ok,\n"))
    if width >= 100 { #expect(text.contains("read p50") && text.contains("score")) }
    if width <= 80 { #expect(!text.contains("read p50")) }
  }
}

/// Decisions return values; each renderer writes the sentence its own way (no renderer strips another's marks).
@Suite struct DecisionReasonTests {
  @Test func theReasonIsValuesRenderedPerMedium() throws {
    let (r, _) = try CheapestIntervalTests.shipped("conversation-history")
    let d = r.decisions[0]
    let why = d.why
    #expect(why.option == d.recommended)
    let row = try #require(d.rows.first { $0.optionId == d.recommended })
    #expect(why.monthly == row.cost && why.score == row.score)
    #expect(
      why.strengths.contains(.cheapest(monthly: row.cost))
        == (row.criteria.first { $0.name == "cost" }!.score >= 0.999))
    #expect(why.markdown.hasPrefix("`\(d.recommended!)` has the best weighted score"))
    #expect(
      why.plain.hasPrefix("\(d.recommended!) has the best weighted score")
        && !why.plain.contains("`"))
    #expect(why.text { "<code>\($0)</code>" }.hasPrefix("<code>\(d.recommended!)</code>"))
    #expect(DecisionReason(option: nil).plain == "No option is feasible at this scale.")
  }
}
