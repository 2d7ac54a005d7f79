import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// The cost chart as people read it (issue: clipped labels, no thousands separators, unlabelled crossovers,
/// colours too alike, lines hiding each other, always 0.01×–10^6×).
@Suite struct ChartTests {
  static func result(_ json: String) throws -> ScenarioResult {
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    return try ScenarioResult(scenario: s, book: try Fixtures.book())
  }

  static func scenario(entities: String, scales: String, options: String) -> String {
    """
    {"version":1,"name":"t","title":"T","provider":"aws","region":"test-1","scales":[\(scales)],
     "workload":{"entitiesPerMonth":\(entities),"recordsPerEntity":10,"recordBytes":2048,"loadsPerRecord":2},
     "options":[\(options)]}
    """
  }

  /// Every cost label fits left of the axis: about 7.2 px a character at 12 px, right-aligned 8 px left of it.
  @Test func costLabelsAreNotClipped() throws {
    let r = try Self.result(
      Self.scenario(
        entities: "2000000", scales: "1,10,1000",
        options: #"{"id":"s3","service":"s3"},{"id":"a","service":"aurora-serverless-v2"}"#))
    let svg = try #require(CostChart.render(r))
    let labels = svg.components(separatedBy: "<text x=\"").dropFirst().compactMap {
      piece -> (Double, String)? in
      guard piece.contains("text-anchor=\"end\"") else { return nil }
      let x = Double(piece.prefix { $0 != "\"" })!
      let text = piece.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
      return (x, text)
    }
    #expect(labels.contains { $0.1.contains(",000") }, "thousands separators: \(labels.map(\.1))")
    for (x, text) in labels { #expect(x - Double(text.count) * 7.2 >= 0, "\(text) at x = \(x)") }
    // The axis title counts with separators: 2,000,000, not 2000000.
    #expect(
      svg.contains("2,000,000 sessions a month") || svg.contains("2,000,000 "), "\(svg.prefix(0))")
  }

  /// The x axis runs from a decade below the smallest scale to a decade above the largest.
  @Test func theWindowFollowsTheScenario() throws {
    let r = try Self.result(
      Self.scenario(
        entities: "50", scales: "1,10,100",
        options: #"{"id":"s3","service":"s3"},{"id":"d","service":"dynamodb"}"#))
    let svg = try #require(CostChart.render(r))
    let (lo, hi) = CostChart.window(r, r.curves!)
    // s3 is cheaper than on-demand DynamoDB at every scale here (no change of the cheapest): 0.1× to 1,000×.
    #expect(r.curves!.cheapest.count == 1)
    #expect(lo == 0.1 && hi == 1000)
    #expect(
      svg.contains(">0.1×</text>") && svg.contains(">1,000×</text>")
        && !svg.contains(">0.01×</text>"))
  }

  /// Two options that cost the same share a line and a label; the changes of the cheapest option are labelled.
  @Test func coincidingLinesAreNamedTogetherAndChangesAreLabelled() throws {
    let r = try Self.result(
      Self.scenario(
        entities: "50", scales: "1,10,100",
        options:
          #"{"id":"d1","service":"dynamodb"},{"id":"d2","service":"dynamodb"},{"id":"a","service":"aurora-serverless-v2"}"#
      ))
    let svg = try #require(CostChart.render(r))
    #expect(svg.contains(">d1 = d2</text>"))
    let changes = r.curves!.cheapest.filter { !$0.fromEdge }
    let (lo, hi) = CostChart.window(r, r.curves!)
    let shown = changes.filter { $0.from >= lo && $0.from <= hi }
    #expect(shown.count == changes.count, "the window holds every change of the cheapest option")
    #expect(svg.components(separatedBy: "r=\"5\"").count - 1 == shown.count)
    for c in shown { #expect(svg.contains(">\(BreakEvenCSV.scaleText(c.from))×</text>")) }
  }

  /// No two of the first 32 series share colour and dash.
  @Test func seriesStylesAreDistinct() {
    let styles = (0..<32).map { CostChart.style($0) }
    #expect(Set(styles.map { "\($0.color)|\($0.dash)" }).count == 32)
  }

  /// A long title was clipped at the picture's edge ("…(each input at its P10 anc" in the ops review's tornado).
  /// Where a title may not fit (0.62 em a character, an upper bound for Helvetica), it is drawn compressed to the
  /// room there is.
  @Test func aTitleTooLongForTheChartIsFittedNotClipped() {
    // 60 characters at 15 px: at most 60 × 15 × 0.62 = 558 px, within 796: drawn as is.
    let short = ChartText.title(
      String(repeating: "a", count: 60), x: 12, y: 22, size: 15, maxWidth: 796)
    #expect(!short.contains("textLength"))
    // 100 characters: up to 930 px, more than 796: compressed to 796.
    let long = ChartText.title(
      String(repeating: "a", count: 100), x: 12, y: 22, size: 15, maxWidth: 796)
    #expect(long.contains(#"textLength="796" lengthAdjust="spacingAndGlyphs""#))
    #expect(ChartText.title("<&>", x: 0, y: 0, size: 10, maxWidth: 100).contains("&lt;&amp;&gt;"))
  }
}
