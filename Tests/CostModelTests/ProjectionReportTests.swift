import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// The projection's text and chart (docs/model.md §11) as people read them.
@Suite struct ProjectionReportTests {
  /// One S3 option whose cost grows with the traffic and one ElastiCache node at a fixed price (test rates:
  /// $7.30 a month): S3 is the cheapest in the first months, the node from the month S3 passes $7.30.
  static func projection(months: Int = 8, growth: String = "60") throws -> ProjectionResult {
    let json = """
      {"version":1,"name":"t","title":"T","provider":"aws","region":"test-1","scales":[1,10],"horizonMonths":\(months),
       "growth":{"monthlyPercent":\(growth)},
       "workload":{"entitiesPerMonth":300,"recordsPerEntity":1,"recordBytes":1000,"retentionDays":1},
       "options":[{"id":"s3","service":"s3"},{"id":"node-with-a-rather-long-id","service":"elasticache","nodeType":"small","engine":"valkey"}]}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    return try Projector.project(Estimator(scenario: s, book: try Fixtures.book()))
  }

  @Test func monthListsAndRanges() {
    #expect(ProjectionReport.selectedMonths(1) == [1])
    #expect(ProjectionReport.selectedMonths(5) == [1, 3, 5])
    #expect(ProjectionReport.selectedMonths(12) == [1, 3, 6, 12])
    #expect(ProjectionReport.selectedMonths(36) == [1, 3, 6, 12, 24, 36])
    #expect(ProjectionReport.selectedMonths(150) == [1, 3, 6, 12, 24, 36, 48, 60, 120, 150])
    #expect(ProjectionReport.monthRanges([1, 2, 3, 7, 9, 10]) == "1–3, 7, 9–10")
    #expect(ProjectionReport.monthRanges([4]) == "4")
    // Ids break after '-' to fit a column; a part longer than the column stays whole.
    #expect(
      ProjectionReport.headerLines("dynamodb-savings-plan", width: 10) == [
        "dynamodb-", "savings-", "plan",
      ])
    #expect(ProjectionReport.headerLines("s3", width: 8) == ["s3"])
    #expect(
      ProjectionReport.headerLines("elasticache-reserved", width: 9) == [
        "elasticache-", "reserved",
      ])
  }

  /// S3 per month: 300 × 1.6^(t − 1) PUTs at $0.005 plus a little storage; $7.30 is passed in month 5
  /// (300 × 1.6^4 = 1,966 PUTs = $9.83); at 10× S3 is dearer from month 1 ($15).
  @Test func sentencesNameTheCheapestMonthsAndThePlan() throws {
    let p = try Self.projection()
    let one = p.scales[0]
    #expect(
      one.cheapest.map { $0 ?? "-" } == ["s3", "s3", "s3", "s3"]
        + Array(repeating: "node-with-a-rather-long-id", count: 4))
    #expect(
      ProjectionReport.cheapestSentence(one)
        == "The cheapest feasible option: `s3` in months 1–4, `node-with-a-rather-long-id` in months 5–8."
    )
    let plan = ProjectionReport.planSentences(one, entity: "session")
    #expect(plan.count == 5)
    #expect(
      plan[3].hasPrefix(
        "switching from `s3` to `node-with-a-rather-long-id` at the start of month 5 costs $"))
    #expect(plan[4].hasPrefix("**Cheapest over the horizon: switching at month 5**"))
    // At 10× the node is the cheapest throughout: one sentence, no plan.
    #expect(
      ProjectionReport.cheapestSentence(p.scales[1])
        == "`node-with-a-rather-long-id` is the cheapest feasible option in every month.")
    #expect(ProjectionReport.planSentences(p.scales[1], entity: "session").isEmpty)
  }

  /// The terminal table fits the width it is given: options split into blocks, long ids over two lines.
  @Test func tableFitsTheWidth() throws {
    let p = try Self.projection()
    for width in [50, 80, 120] {
      let text = ProjectionReport.table([p], width: width)
      for line in text.split(separator: "\n") {
        #expect(line.count <= width, "width \(width): \(line)")
      }
      #expect(text.contains("node-with-") && text.contains("a-rather-"))
    }
  }

  /// No label leaves the picture: every text's x within the width (cost labels, right-aligned, fit left of the
  /// axis at about 7.2 px a character), every y within the height.
  @Test func chartLabelsStayInside() throws {
    let p = try Self.projection(months: 24, growth: "25")
    let svg = try #require(ProjectionChart.render(p))
    let size = svg.components(separatedBy: "height=\"")[1].prefix { $0 != "\"" }
    let height = try #require(Double(size))
    let texts = svg.components(separatedBy: "<text x=\"").dropFirst()
    #expect(texts.count > 20)
    for piece in texts {
      let x = try #require(Double(piece.prefix { $0 != "\"" }))
      let y = try #require(Double(piece.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" }))
      let text = piece.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
      #expect(y > 0 && y <= height, "\(text) at y = \(y)")
      if piece.contains("text-anchor=\"end\"") {
        #expect(x - Double(text.count) * 7.2 >= 0, "\(text) at x = \(x)")
      } else if piece.contains("text-anchor=\"middle\"") {
        #expect(x - Double(text.count) * 3.6 >= 0 && x + Double(text.count) * 3.6 <= 960, "\(text)")
      } else {
        // 7.2 px a character at 12 px, 6 at 10 px (the footnote), 9.6 at 16 px (the title).
        let px =
          piece.contains("font-size=\"10\"") ? 6 : piece.contains("font-size=\"16\"") ? 9.6 : 7.2
        #expect(x >= 0 && x + Double(text.count) * px <= 960, "\(text) at x = \(x)")
      }
    }
    // The change of the cheapest option and the best month to switch are marked; one panel a scale.
    #expect(svg.contains(">month 5</text>") || svg.contains(">month "))
    #expect(svg.contains("switch to node-with-a-rather-long-id at month"))
    #expect(svg.contains(">1×</text>") && svg.contains(">10×</text>"))
  }
}
