import Foundation
import Testing

@testable import CostModel
@testable import CostReports

@Suite struct MoneyFormatTests {
  @Test func peopleSeeTwoDecimalsFromOneDollarAndFourSignificantDigitsBelow() {
    #expect(MoneyFormat.usd(Decimal(string: "43.8")!) == "$43.80")
    #expect(MoneyFormat.usd(Decimal(string: "1234.565")!) == "$1,234.57")  // half away from zero
    #expect(MoneyFormat.usd(Decimal(string: "0.0012155")!) == "$0.001216")
    #expect(MoneyFormat.usd(Decimal(string: "0.0025")!) == "$0.002500")
    #expect(MoneyFormat.usd(Decimal(string: "0.99995")!) == "$1.00")
    #expect(MoneyFormat.usd(0) == "$0.00")
    #expect(MoneyFormat.usd(Decimal(string: "-2.345")!) == "-$2.35")
  }

  @Test func csvIsExactWithoutExponent() {
    #expect(MoneyFormat.exact(Decimal(string: "0.000000625")!) == "0.000000625")
    #expect(MoneyFormat.exact(Decimal(string: "1e20")!) == "100000000000000000000")
    #expect(MoneyFormat.exact(0) == "0")
  }
}

@Suite struct JSONParserTests {
  @Test func numbersStayExactAndPositionsAreKept() throws {
    let node = try JSONParser.parse(
      Data("{\n  \"a\": 0.0000166667,\n  \"b\": [true, null]\n}".utf8), file: "x.json")
    guard case .object(let members) = node.value else {
      Issue.record("not an object")
      return
    }
    #expect(members[0].key == "a")
    guard case .number(let text) = members[0].node.value else {
      Issue.record("not a number")
      return
    }
    #expect(text == "0.0000166667")
    #expect(members[0].node.position == SourcePosition(line: 2, column: 8))
    #expect(members[1].node.position == SourcePosition(line: 3, column: 8))
  }

  @Test(arguments: [
    "", "{", "{\"a\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":\"\\q\"}", "{\"a\":\"\u{01}\"}", "[1,]",
    "{} x", "\"\\ud800\"",
  ])
  func malformedDocumentsAreErrors(_ text: String) {
    #expect(throws: DataError.self) { try JSONParser.parse(Data(text.utf8), file: "x.json") }
  }

  @Test func randomBytesNeverTrap() {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("{}[]\",:0123456789.eE-+truefalsn \n\\u".utf8)
    for _ in 0..<2000 {
      let bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in
        alphabet.randomElement(using: &rng)!
      }
      _ = try? JSONParser.parse(Data(bytes), file: "fuzz.json")
    }
    #expect(Bool(true), "reaching here means no input trapped")
  }
}

@Suite struct DecimalTextTests {
  @Test func plainMatchesFoundationOnManyValues() {
    var rng = SystemRandomNumberGenerator()
    var values: [Decimal] = [
      "0.000000625", "1e20", "-3.5", "1200", "0.1", "123456789012345678901234567890.12345678",
      "0.00000000000000000000000000000000001",
    ].map { Decimal(string: $0)! }
    values.append(Decimal(168) / Decimal(730))
    values.append(Decimal(1) / Decimal(3) * Decimal(string: "1e-20")!)
    for _ in 0..<300 {
      let a = Decimal(UInt64.random(in: 0...UInt64.max, using: &rng))
      let b = Decimal(Int.random(in: 1...10_000_000, using: &rng))
      values.append(a / b)
      values.append(-(a * b))
    }
    for v in values {
      #expect(DecimalText.plain(v) == v.description, "\(v)")
    }
  }
}

@Suite struct LatencyFormatTests {
  @Test func fixedRoundsHalfAwayFromZero() {
    // 2.345 is 2.34499… in binary
    #expect(LatencyFormat.fixed(2.345, 2) == "2.35" || LatencyFormat.fixed(2.345, 2) == "2.34")
    #expect(LatencyFormat.fixed(0.7895, 3) == "0.790" || LatencyFormat.fixed(0.7895, 3) == "0.789")
    #expect(LatencyFormat.fixed(15007.4, 0) == "15007")
    #expect(LatencyFormat.fixed(0.05, 6) == "0.050000")
    #expect(LatencyFormat.fixed(-1.25, 1) == "-1.3")
    #expect(LatencyFormat.fixed(12.0, 1) == "12.0")
  }

  /// Latencies for people: three significant digits, trailing zeros kept, so that a column reads at one precision.
  @Test func threeSignificantDigitsWithTheirZeros() {
    let cases: [(Double, String)] = [
      (250, "250"), (20, "20.0"), (6, "6.00"), (1, "1.00"), (0.8, "0.800"), (0.34, "0.340"),
      (0.0101, "0.0101"), (0.05, "0.0500"), (0.001, "0.00100"), (0.09996, "0.100"),
      (0.99996, "1.00"), (0.12345, "0.123"), (0.0005, "0.000500"),
    ]
    for (v, text) in cases {
      #expect(LatencyFormat.number(v) == text, "\(v)")
    }
    #expect(LatencyFormat.ms(0.8) == "0.800 ms")
  }
}

/// The nouns a scenario names its entities and records by, counted in the outputs.
@Suite struct NounTests {
  @Test func pluralsFollowEnglishSpelling() {
    let cases = [
      ("session", "sessions"), ("entity", "entities"), ("day", "days"), ("key", "keys"),
      ("batch", "batches"), ("box", "boxes"), ("status", "statuses"), ("wish", "wishes"),
      ("Query", "Queries"), ("message", "messages"), ("y", "ys"),
    ]
    for (one, many) in cases {
      #expect(Noun.plural(one) == many)
      #expect(Noun.plural(one, count: 2) == many)
      #expect(Noun.plural(one, count: 1) == one)
    }
  }

  @Test func theTableCountsEntitiesInEnglish() throws {
    // A scenario whose noun is the default, "entity": 50 a month at 1× and 500 at 10× are "entities", never
    // "entitys"; 1 at 0.02× is "1 entity".
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[0.02,10],"horizonMonths":12,
       "workload":{"entitiesPerMonth":50,"recordsPerEntity":1,"recordBytes":1000},
       "options":[{"id":"ddb","service":"dynamodb"}],"weights":{"cost":1}}
      """
    let s = try Scenario.parse(
      try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
    let r = try ScenarioResult(scenario: s, book: try Fixtures.book(), withCrossovers: false)
    let table = TableReport.render([r], width: 100)
    #expect(table.contains("10×: 500 entities, 500 records a month"), "\(table)")
    #expect(table.contains(": 1 entity, 1 record a month"), "\(table)")
    #expect(!table.contains("entitys"))
    let md = MarkdownReport.render(r)
    #expect(md.contains("500 entities, 500 records a month"))
    #expect(!md.contains("entitys"))
  }
}
