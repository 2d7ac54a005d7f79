import Foundation
import Testing

@testable import CostModel

/// One run reports every error of a scenario or rate table (issue 13, docs/formats.md "Validation errors"):
/// unknown keys, then missing fields, then the rest in file order, each at its line and column.
@Suite struct DiagnosticsTests {
  /// Every error of a scenario, `[first] + also`.
  static func scenarioErrors(_ json: String) -> [DataError] {
    do {
      _ = try Scenario.parse(try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
      Issue.record("accepted")
      return []
    } catch {
      return [error] + error.also
    }
  }

  static func rateErrors(_ json: String) -> [DataError] {
    do {
      _ = try RateTable.parse(
        try JSONParser.parse(Data(json.utf8), file: "s3.json"), file: "s3.json",
        expectedService: "s3")
      Issue.record("accepted")
      return []
    } catch {
      return [error] + error.also
    }
  }

  static func at(_ e: DataError) -> String {
    "\(e.position.map { "\($0.line):\($0.column)" } ?? "-") \(e.path)"
  }

  @Test func fiveKindsOfErrorInOneScenarioAreAllReportedInOrder() {
    let json = """
      {
        "version": 1,
        "name": "t",
        "provider": "aws",
        "region": "test-1",
        "scales": [1],
        "horizonMonths": 2000,
        "workload": {
          "entitiesPerMonth": "many",
          "recordsPerEntity": 1,
          "colour": "blue"
        },
        "options": [
          { "id": "d", "service": "dynamodb", "capacity": "reserved" }
        ]
      }
      """
    let errors = Self.scenarioErrors(json)
    #expect(
      errors.map(Self.at) == [
        "11:15 workload.colour", "8:15 workload.recordBytes", "7:20 horizonMonths",
        "9:25 workload.entitiesPerMonth", "14:53 options[0].capacity",
      ], "\(errors)")
    guard errors.count == 5 else { return }
    #expect(errors[0].message.hasPrefix("unknown field (allowed here: entity, record,"))
    #expect(errors[1].message.hasPrefix("missing, expected an integer from 1 to"))
    // The parser's own words where it reports the same field.
    #expect(errors[2].message == "expected at most 1200 months, found 2000")
    #expect(errors[3].message == #"expected a positive number, found "many""#)
    #expect(errors[4].message == #"expected one of on-demand, provisioned, found "reserved""#)
    #expect(errors.allSatisfy { $0.file == "t.json" })
  }

  /// Messages of the schema check, where no parser error stands for them: worded like the parser's.
  @Test func schemaMessagesReadLikeTheParsers() {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1, 2, 1],"horizonMonths":12.5,
       "growth":{"monthlyPercent":3},
       "weights":{"cost":0},
       "workload":{"entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1,"keyBytes":-5,
        "hourlyProfile":[1,1,1],"peakToAverage":2},
       "options":[{"id":"a","service":"s3","layout":"flat"},
        {"id":"b","service":"elasticache","mode":"serverless","engine":"memcached","replicas":1},
        {"id":"c","service":"dynamodb","layout":"flat","reservedWCU":100},
        {"id":"e","service":"elasticache","engine":"memcached","shards":"many"}],
       "claims":[{"text":"x","option":"nope","scale":1,"metric":"monthlyCost"}]}
      """
    let errors = Self.scenarioErrors(json)
    let lines = errors.map { "\($0.path): \($0.message)" }
    for expected in [
      // The parser's words where its first error is (the parse stops at the repeated scale), and in each
      // part read on its own (the workload, each option).
      "scales[2]: duplicate scale 1",
      "workload.keyBytes: expected an integer ≥ 0, found -5",
      #"options[1].engine: expected one of valkey, redis, found "memcached""#,
      // The schema's, after those.
      "horizonMonths: expected a whole number when growth is given, found 12.5",
      "weights: expected at least one of cost, readP99, writeP99, durability, ttl, operations to be a positive number, found none",
      "workload.hourlyProfile: expected 24 values, found 3",
      "workload.peakToAverage: not allowed together with hourlyProfile",
      #"options[0].layout: expected one of object-per-entity, object-per-record, found "flat""#,
      #"options[1].replicas: not allowed when mode is "serverless""#,
      #"options[2].reservedWCU: allowed only when capacity is "provisioned""#,
      #"options[3].shards: expected an integer from 1 to 500 or "auto", found "many""#,
      // A claim without a test: the alternatives' keys (the parse stopped at its option).
      "claims[0].atMost: missing, expected atMost, atLeast, approximately or cheaperThan",
      #"claims[0].option: unknown option "nope" (options: a, b, c, e)"#,
    ] {
      #expect(lines.contains(expected), "\(expected) in \(lines)")
    }
    #expect(lines.count == 15, "\(lines)")
    // Each field once; positions known; the missing field first, then the rest in file order.
    #expect(Set(errors.map(\.path)).count == errors.count)
    #expect(errors.first?.path == "claims[0].atMost")
    let positions = errors.dropFirst().compactMap(\.position).map { [$0.line, $0.column] }
    #expect(
      positions.count == errors.count - 1
        && positions == positions.sorted { $0.lexicographicallyPrecedes($1) })
  }

  /// A rule the schema cannot state (afterDays ≤ retentionDays, maxACU ≥ minACU) is the parser's: reported
  /// beside the schema's errors, in every part of the file (not only the part where the parse stopped).
  @Test func semanticAndSchemaErrorsBothAppear() {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":0,
       "workload":{"entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1,
        "retentionDays":7,"archive":{"afterDays":30,"storageClass":"glacier-ir"}},
       "options":[{"id":"a","service":"aurora-serverless-v2","minACU":4,"maxACU":2},
        {"id":"b","service":"s3","layout":"flat"}]}
      """
    let errors = Self.scenarioErrors(json)
    #expect(
      errors.map(\.path) == [
        "horizonMonths", "workload.archive.afterDays", "options[0].maxACU", "options[1].layout",
      ], "\(errors)")
    guard errors.count == 4 else { return }
    #expect(errors[0].message == "expected a positive number, found 0")
    #expect(errors[1].message.contains("at most retentionDays (7)"))
    #expect(errors[2].message == "expected from max(minACU, 0.5) to 256, found 2")
  }

  @Test func aRateTableReportsEveryError() {
    let json = """
      {"version":1,"provider":"aws","service":"s3","region":"test-1","currency":"EUR","effectiveDate":"2026-01-01","source":"test",
       "rates":[
        {"id":"a","unit":"GB-month","price":-1},
        {"id":"b","price":1,"cost":2},
        {"id":"c","unit":"request","tiers":[{"upTo":100,"price":0.3},{"upTo":50,"price":0.2},{"price":0.1}]},
        {"id":"a","unit":"request","price":1,"effectiveDate":"2026-13-01"},
        {"id":"e","unit":"request"}]}
      """
    let errors = Self.rateErrors(json)
    #expect(
      errors.map(Self.at) == [
        "4:30 rates[1].cost", "4:3 rates[1].unit", "7:3 rates[4].price", "1:75 currency",
        "3:39 rates[0].price", "5:72 rates[2].tiers[1].upTo", "6:56 rates[3].effectiveDate",
      ], "\(errors)")
    let messages = errors.map(\.message)
    guard messages.count == 7 else { return }
    #expect(messages[0].hasPrefix("unknown field (allowed here: id, description, unit,"))
    #expect(messages[1] == "missing, expected a string")
    #expect(messages[2] == "missing, expected a price ≥ 0 (or tiers)")
    #expect(messages[3] == #"expected "USD", found "EUR""#)
    #expect(messages[4] == "expected a number ≥ 0, found -1")
    #expect(messages[5].hasPrefix("tiers must be in ascending order"))
    #expect(messages[6] == #"expected a date YYYY-MM-DD, found "2026-13-01""#)
  }

  /// A rate whose id repeats an earlier one, once the rest of the table is fine apart from another rate.
  @Test func aDuplicateRateIdIsReportedBesideOtherErrors() {
    let json = """
      {"version":1,"provider":"aws","service":"s3","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
       "rates":[{"id":"a","unit":"x","price":1},{"id":"a","unit":"x","price":2},{"id":"b","unit":"x","price":"3"}]}
      """
    let errors = Self.rateErrors(json)
    #expect(errors.map(\.path) == ["rates[1].id", "rates[2].price"], "\(errors)")
    #expect(errors.first?.message == #"duplicate rate id "a""#)
  }

  @Test func twentyErrorsArePrintedAndTheRestCounted() {
    let options = (0..<25).map { #"{"id":"o\#($0)","service":"s3","layout":"flat"}"# }
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],
       "workload":{"entitiesPerMonth":1,"recordsPerEntity":1,"recordBytes":1},
       "options":[\(options.joined(separator: ",\n"))]}
      """
    let errors = Self.scenarioErrors(json)
    #expect(errors.map(\.path) == (0..<25).map { "options[\($0)].layout" })
    let printed = (errors.first?.description ?? "").split(separator: "\n")
    #expect(printed.count == 21)
    #expect(printed.last == "t.json: note: 5 more errors not shown")
    #expect(printed.dropLast().allSatisfy { $0.hasPrefix("t.json:") && $0.contains(": error: ") })
  }

  /// Errors of several files: each file is capped on its own.
  @Test func errorsOfSeveralFilesAreCappedFileByFile() throws {
    func errors(_ file: String, _ n: Int) -> [DataError] {
      (0..<n).map { DataError(file: file, path: "x[\($0)]", message: "bad") }
    }
    let combined = try #require(DataError.combining(errors("a.json", 22) + errors("b.json", 3)))
    let lines = combined.description.split(separator: "\n")
    #expect(lines.count == 24)
    #expect(lines[20] == "a.json: note: 2 more errors not shown")
    #expect(lines[21...].allSatisfy { $0.hasPrefix("b.json: error: ") })
    #expect(DataError.combining([]) == nil)
  }

  /// A file that is not JSON keeps its single syntax error; every shipped-style valid file has none.
  @Test func aSyntaxErrorStaysOneError() {
    do {
      _ = try JSONParser.parse(Data(#"{"version": 1,, "name": "t"}"#.utf8), file: "t.json")
      Issue.record("accepted")
    } catch {
      #expect(error.also.isEmpty && error.path.isEmpty, "\(error)")
    }
  }

  /// Bad input of every shape never crashes the check: documents of the wrong type at every level.
  @Test(arguments: [
    "[]", "1", "null", #"{"options":"x"}"#, #"{"options":[1,null,{"service":7}]}"#,
    #"{"workload":[],"claims":[{"atMost":"x","atLeast":1}],"weights":{"cost":1e400}}"#,
    #"{"scales":[1e400,-1e-400,"1"],"uncertainty":{"samples":1.5,"seed":-1}}"#,
    #"{"options":[{"id":"a","service":"s3","cache":{"hitRatio":{"low":2},"model":"x"}}]}"#,
  ])
  func malformedScenariosAreReported(_ json: String) {
    let errors = Self.scenarioErrors(json)
    #expect(!errors.isEmpty)
    #expect(errors.allSatisfy { !$0.message.isEmpty })
  }
}
