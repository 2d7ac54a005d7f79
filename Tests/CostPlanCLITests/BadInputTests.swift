import Foundation
import Testing

@testable import CostPlanCLI

/// Malformed rate tables and scenarios: exit 65, one line naming file:line:col, the JSON path and what
/// was expected, and nothing written.
@Suite(.serialized) struct BadInputTests {
  static let goodScenario = """
    {
      "version": 1,
      "name": "bad",
      "provider": "aws",
      "region": "us-east-1",
      "scales": [1],
      "workload": {
        "entitiesPerMonth": 50,
        "recordsPerEntity": 10,
        "recordBytes": 2048
      },
      "options": [
        { "id": "s3", "service": "s3" }
      ]
    }
    """

  /// (description, text replaced → replacement, expected fragment of the message)
  static let scenarioCases: [(String, String, String, String)] = [
    (
      "negative bytes", #""recordBytes": 2048"#, #""recordBytes": -2048"#,
      "bad.json:10:20: error: workload.recordBytes: expected a positive integer, found -2048"
    ),
    (
      "zero records", #""recordsPerEntity": 10"#, #""recordsPerEntity": 0"#,
      "workload.recordsPerEntity: expected a positive integer, found 0"
    ),
    (
      "fractional records", #""recordsPerEntity": 10"#, #""recordsPerEntity": 2.5"#,
      "workload.recordsPerEntity: expected a positive integer, found 2.5"
    ),
    (
      "string count", #""entitiesPerMonth": 50"#, #""entitiesPerMonth": "50""#,
      "workload.entitiesPerMonth: expected a positive number, found \"50\""
    ),
    (
      "unknown workload field", #""recordBytes": 2048"#, #""recordBytes": 2048, "recordByte": 1"#,
      "workload.recordByte: unknown field"
    ),
    (
      "unknown top field", #""version": 1,"#, #""version": 1, "scale": [1],"#,
      "scale: unknown field"
    ),
    (
      "unknown service", #""service": "s3""#, #""service": "s4""#,
      "options[0].service: expected one of s3, dynamodb, elasticache, aurora-serverless-v2, found \"s4\""
    ),
    (
      "unknown layout", #""service": "s3""#, #""service": "s3", "layout": "flat""#,
      "options[0].layout: expected one of object-per-entity, object-per-record, found \"flat\""
    ),
    (
      "unknown engine", #""service": "s3" }"#,
      #""service": "elasticache", "engine": "memcached" }"#,
      "options[0].engine: expected one of valkey, redis"
    ),
    (
      "unknown node type", #""service": "s3" }"#,
      #""service": "elasticache", "nodeType": "cache.x9.huge" }"#,
      "unknown node type \"cache.x9.huge\" for engine valkey"
    ),
    (
      "scale of zero", #""scales": [1]"#, #""scales": [0]"#,
      "scales[0]: expected a positive number, found 0"
    ),
    ("duplicate scale", #""scales": [1]"#, #""scales": [1, 1]"#, "scales[1]: duplicate scale 1"),
    (
      "duplicate option id", #"{ "id": "s3", "service": "s3" }"#,
      #"{ "id": "s3", "service": "s3" }, { "id": "s3", "service": "dynamodb" }"#,
      "options[1].id: duplicate option id \"s3\""
    ),
    (
      "syntax error", #""scales": [1],"#, #""scales": [1],,"#,
      "bad.json:6:17: error: unexpected character ',', expected a quoted key"
    ),
    ("truncated file", "\n  ]\n}", "\n  ]", "unexpected end of file"),
    (
      "duplicate key", #""recordBytes": 2048"#, #""recordBytes": 2048, "recordBytes": 4096"#,
      "workload.recordBytes: duplicate key"
    ),
    (
      "absurd number", #""entitiesPerMonth": 50"#, #""entitiesPerMonth": 1e400"#,
      "workload.entitiesPerMonth: expected a positive number within ±1e30"
    ),
    (
      "hit ratio above 1", #""service": "s3" }"#,
      #""service": "s3", "cache": { "hitRatio": 1.5 } }"#,
      "options[0].cache.hitRatio: expected a number from 0 to 1, found 1.5"
    ),
    (
      "cache without ratio", #""service": "s3" }"#, #""service": "s3", "cache": {} }"#,
      "options[0].cache.hitRatio: missing"
    ),
    (
      "minACU below 0.5", #""service": "s3" }"#,
      #""service": "aurora-serverless-v2", "minACU": 0.25 }"#,
      "options[0].minACU: expected 0 (auto-pause) or at least 0.5, found 0.25"
    ),
    (
      "auto-pause without minACU 0", #""service": "s3" }"#,
      #""service": "aurora-serverless-v2", "autoPauseMinutes": 10 }"#,
      "options[0].autoPauseMinutes: auto-pause needs minACU 0"
    ),
    ("unknown version", #""version": 1"#, #""version": 2"#, "version: unsupported version 2"),
    (
      "missing workload field", #""recordBytes": 2048"#, #""keyBytes": 64"#,
      "workload.recordBytes: missing, expected a positive integer"
    ),
    (
      "all-zero weights", #""scales": [1],"#,
      #""scales": [1], "weights": { "cost": 0, "readP99": 0 },"#, "weights: all weights are zero"
    ),
    (
      "negative weight", #""scales": [1],"#, #""scales": [1], "weights": { "cost": -1 },"#,
      "weights.cost: expected a number ≥ 0, found -1"
    ),
    (
      "claim on unknown option", #""scales": [1],"#,
      #""scales": [1], "claims": [{ "text": "x", "option": "nope", "scale": 1, "metric": "monthlyCost", "atMost": 1 }],"#,
      "claims[0].option: unknown option \"nope\""
    ),
    (
      "claim with unknown metric", #""scales": [1],"#,
      #""scales": [1], "claims": [{ "text": "x", "option": "s3", "scale": 1, "metric": "speed", "atMost": 1 }],"#,
      "claims[0].metric: expected one of monthlyCost"
    ),
    (
      "retain before archive", #""recordBytes": 2048"#,
      #""recordBytes": 2048, "archive": { "afterDays": 30, "storageClass": "glacier-ir", "retainDays": 10 }"#,
      "workload.archive.retainDays: expected at least afterDays (30), found 10"
    ),
    (
      "unknown archive class", #""recordBytes": 2048"#,
      #""recordBytes": 2048, "archive": { "afterDays": 30, "storageClass": "tape" }"#,
      "workload.archive.storageClass: expected one of standard-ia"
    ),
    (
      "deep nesting", #""scales": [1]"#,
      #""scales": [1], "notes": "# + String(repeating: "[", count: 300)
        + String(repeating: "]", count: 300), "nesting deeper than 256 levels"
    ),
    (
      "records too many", #""recordsPerEntity": 10"#, #""recordsPerEntity": 1e20"#,
      "workload.recordsPerEntity: expected a positive integer of at most 1000000000000"
    ),
    // Model v2 fields (docs/formats.md "Validation errors").
    (
      "archive after deletion", #""recordBytes": 2048"#,
      #""recordBytes": 2048, "retentionDays": 7, "archive": { "afterDays": 30, "storageClass": "glacier-ir" }"#,
      "bad.json:10:72: error: workload.archive.afterDays: expected at most retentionDays (7)"
    ),
    (
      "reserved on standard-ia", #""service": "s3" }"#,
      #""service": "dynamodb", "tableClass": "standard-ia", "capacity": "provisioned", "reservedWCU": 100 }"#,
      "options[0].reservedWCU: reserved capacity is sold for the Standard table class only"
    ),
    (
      "reserved on on-demand", #""service": "s3" }"#,
      #""service": "dynamodb", "reservedRCU": 100 }"#,
      "options[0].reservedRCU: reserved capacity needs capacity \"provisioned\""
    ),
    (
      "savings plan and reservation", #""service": "s3" }"#,
      #""service": "elasticache", "reservation": { "term": "1y", "payment": "all-upfront" }, "savingsPlan": { "coverage": 1 } }"#,
      "options[0].savingsPlan: a savings plan cannot cover reserved nodes"
    ),
    (
      "profile and peak", #""recordBytes": 2048"#,
      #""recordBytes": 2048, "peakToAverage": 2, "hourlyProfile": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"#,
      "workload.peakToAverage: give hourlyProfile or peakToAverage, not both"
    ),
    (
      "profile of 23 hours", #""recordBytes": 2048"#,
      #""recordBytes": 2048, "hourlyProfile": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"#,
      "workload.hourlyProfile: expected 24 numbers (hours 0 to 23), found 23"
    ),
    (
      "target utilization 0.95", #""service": "s3" }"#,
      #""service": "dynamodb", "capacity": "provisioned", "targetUtilization": 0.95 }"#,
      "options[0].targetUtilization: expected a fraction from 0.2 to 0.9"
    ),
    (
      "501 shards", #""service": "s3" }"#, #""service": "elasticache", "shards": 501 }"#,
      "options[0].shards: expected a number of shards from 1 to 500"
    ),
    (
      "16 readers", #""service": "s3" }"#, #""service": "aurora-serverless-v2", "readers": 16 }"#,
      "options[0].readers: expected an integer ≥ 0 of at most 15"
    ),
    (
      "replicas on serverless", #""service": "s3" }"#,
      #""service": "elasticache", "mode": "serverless", "replicas": 1 }"#,
      "options[0].replicas: only for mode \"node\"; this option is serverless"
    ),
    (
      "reserved node type without rates", #""service": "s3" }"#,
      #""service": "elasticache", "nodeType": "cache.t3.micro", "reservation": { "term": "1y", "payment": "all-upfront" } }"#,
      "no reserved-node rates for cache.t3.micro (valkey, 1y, all-upfront)"
    ),
    (
      "region leaving the pricing folder", #""region": "us-east-1""#, #""region": "../../etc""#,
      "region: expected lowercase letters, digits and '-' (it names a folder under the pricing directory, like us-east-1), found \"../../etc\""
    ),
    (
      "range upside down", #""recordBytes": 2048"#, #""recordBytes": { "low": 4096, "high": 512 }"#,
      "workload.recordBytes.high: expected at least low (4096)"
    ),
    (
      "range bound not positive", #""recordBytes": 2048"#,
      #""recordBytes": { "low": 0, "high": 512 }"#,
      "workload.recordBytes.low: expected a positive number, found 0"
    ),
    (
      "range where none is allowed", #""recordBytes": 2048"#,
      #""recordBytes": 2048, "keyBytes": { "low": 16, "high": 64 }"#,
      "workload.keyBytes: expected an integer ≥ 0, found a range: a range {\"low\", \"high\"} may stand only for entitiesPerMonth"
    ),
    (
      "no draws", #""scales": [1],"#,
      #""scales": [1], "uncertainty": { "samples": 0, "seed": 1 },"#,
      "uncertainty.samples: expected a positive integer, found 0"
    ),
    (
      // 10,000,000 draws × 1 option × 11 scales = 110 M values of 16 bytes: more than sampling holds.
      "more draws than sampling holds", #""scales": [1],"#,
      #""scales": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "uncertainty": { "samples": 10000000, "seed": 1 },"#,
      "uncertainty.samples: 10,000,000 draws × 1 option × 11 scales are more than the 100,000,000 priced values sampling holds in memory (16 bytes each); at most 9,090,909 draws for this scenario"
    ),
    (
      "a fractional seed", #""scales": [1],"#,
      #""scales": [1], "uncertainty": { "samples": 10, "seed": 1.5 },"#,
      "uncertainty.seed: expected an integer ≥ 0, found 1.5"
    ),
    (
      "growth of -100%", #""scales": [1],"#,
      #""scales": [1], "growth": { "monthlyPercent": -100 },"#,
      "growth.monthlyPercent: expected a monthly growth above -100% and at most 1000%, found -100"
    ),
    (
      "a horizon of 0", #""scales": [1],"#, #""scales": [1], "horizonMonths": 0,"#,
      "horizonMonths: expected a positive number, found 0"
    ),
  ]

  /// `--samples` and `--seed` that are not whole numbers in range: exit 64 naming the flag, nothing on stdout.
  @Test(arguments: [
    (["--samples", "0"], "'--samples <n>'"), (["--samples", "1e3"], "'--samples <n>'"),
    (["--samples", "10000001"], "'--samples <n>'"), (["--seed", "-1"], "'--seed <s>'"),
    (["--seed", "1.5"], "'--seed <s>'"), (["--seed", "18446744073709551616"], "'--seed <s>'"),
    // Within 10,000,000, but 1 option × 11 scales of them is more than sampling holds (at most 9,090,909).
    (
      ["--samples", "9090910", "--scales", "1,2,3,4,5,6,7,8,9,10,11"],
      "'--samples <n>' (scenario bad): 9,090,910 draws × 1 option × 11 scales are more than"
    ),
  ])
  func badSamplingFlagsExit64(_ flags: [String], _ named: String) throws {
    let sandbox = try Sandbox()
    try sandbox.write("scenarios/bad.json", Self.goodScenario)
    let r = sandbox.run(["compare", "--scenario", "scenarios/bad.json"] + flags)
    #expect(r.code == 64, "\(flags): \(r.stderr)")
    #expect(r.stderr.contains(named), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test(arguments: scenarioCases.indices)
  func badScenarioExits65WithPreciseMessage(_ i: Int) throws {
    let (name, from, to, expected) = Self.scenarioCases[i]
    let sandbox = try Sandbox()
    #expect(Self.goodScenario.contains(from), "case \(name) does not apply")
    try sandbox.write(
      "scenarios/bad.json", Self.goodScenario.replacingOccurrences(of: from, with: to))
    let r = sandbox.run(["compare", "--scenario", "scenarios/bad.json"])
    #expect(r.code == 65, "\(name): \(r.stderr)")
    #expect(r.stderr.contains(expected), "\(name): \(r.stderr)")
    #expect(r.stderr.hasPrefix("scenarios/bad.json:"), "\(name): \(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.split(separator: "\n").count == 1, "\(name): one line expected: \(r.stderr)")
  }

  @Test func aDocumentThatIsNotAnObject() throws {
    let sandbox = try Sandbox()
    try sandbox.write("scenarios/bad.json", "[1, 2]")
    let r = sandbox.run(["compare", "--scenario", "scenarios/bad.json"])
    #expect(r.code == 65)
    #expect(r.stderr == "scenarios/bad.json:1:1: error: expected an object, found an array\n")
  }

  @Test func theGoodScenarioIsGood() throws {
    let sandbox = try Sandbox()
    try sandbox.write("scenarios/bad.json", Self.goodScenario)
    let r = sandbox.run(["compare", "--scenario", "scenarios/bad.json"])
    #expect(r.code == 0, "\(r.stderr)")
  }

  static let rateCases: [(String, String, String, String)] = [
    (
      "negative price", #""price": 0.625, "per": 1000000"#, #""price": -0.625, "per": 1000000"#,
      "rates[0].price: expected a number ≥ 0, found -0.625"
    ),
    (
      "zero per", #""price": 0.625, "per": 1000000"#, #""price": 0.625, "per": 0"#,
      "rates[0].per: expected a positive number, found 0"
    ),
    (
      "duplicate id", #""id": "read-request-unit""#, #""id": "write-request-unit""#,
      "rates[1].id: duplicate rate id \"write-request-unit\""
    ),
    (
      "price and tiers", #""price": 0.25, "freeQuantity": 25"#,
      #""price": 0.25, "tiers": [{"price": 1}]"#,
      "rates[2].tiers: a rate has either price or tiers, not both"
    ),
    (
      "unsorted tiers", #""price": 0.25, "freeQuantity": 25"#,
      #""tiers": [{"upTo": 100, "price": 0.3}, {"upTo": 50, "price": 0.2}, {"price": 0.1}]"#,
      "rates[2].tiers[1].upTo: tiers must be in ascending order"
    ),
    (
      "price as string", #""price": 0.20,"#, #""price": "0.20","#,
      "rates[3].price: expected a number ≥ 0, found \"0.20\""
    ),
    (
      "unknown rate field", #""price": 0.20,"#, #""price": 0.20, "cost": 1,"#,
      "rates[3].cost: unknown field"
    ),
    (
      "bad date", #""effectiveDate": "2026-08-15""#, #""effectiveDate": "15/08/2026""#,
      "effectiveDate: expected a date YYYY-MM-DD, found \"15/08/2026\""
    ),
    (
      "wrong service name", #""service": "dynamodb""#, #""service": "dynamo""#,
      "service: expected \"dynamodb\" (the file's name), found \"dynamo\""
    ),
  ]

  @Test(arguments: rateCases.indices)
  func badRateTableExits65(_ i: Int) throws {
    let (name, from, to, expected) = Self.rateCases[i]
    let sandbox = try Sandbox()
    let path = "pricing/aws/us-east-1/dynamodb.json"
    let original = sandbox.read(path)!
    #expect(original.contains(from), "case \(name) does not apply")
    try sandbox.write(path, original.replacingOccurrences(of: from, with: to))
    let r = sandbox.run(["report"])
    #expect(r.code == 65, "\(name): \(r.stderr)")
    #expect(r.stderr.contains(expected), "\(name): \(r.stderr)")
    #expect(r.stderr.contains(path + ":"), "\(name): \(r.stderr)")
    #expect(!sandbox.exists("reports"), "nothing may be written on bad input")
  }

  @Test func badLatencyFilesExit65() throws {
    let sandbox = try Sandbox()
    let path = "pricing/aws/us-east-1/latency.json"
    let original = sandbox.read(path)!
    try sandbox.write(
      path,
      original.replacingOccurrences(
        of: #""id": "s3.list", "p50Ms": 50, "p99Ms": 300"#,
        with: #""id": "s3.list", "p50Ms": 50, "p99Ms": 30"#))
    let low = sandbox.run(["compare"])
    #expect(low.code == 65)
    #expect(
      low.stderr.contains(path + ":")
        && low.stderr.contains("operations[2].p99Ms: p99 (30 ms) is below p50 (50 ms)"),
      "\(low.stderr)")
    // Drop s3.list, which the ops-review scenario's object-per-record S3 option needs.
    let start = original.range(of: #"    { "id": "s3.list""#)!.lowerBound
    let end = original.range(of: #"    { "id": "dynamodb.query""#)!.lowerBound
    var text = original
    text.removeSubrange(start..<end)
    try sandbox.write(path, text)
    let missing = sandbox.run(["report"])
    #expect(missing.code == 65)
    #expect(
      missing.stderr.contains(
        "missing operation \"s3.list\", which option \"s3\" of scenarios/ops-review-results.json needs"
      ), "\(missing.stderr)")
    #expect(!sandbox.exists("reports"))
  }

  @Test func missingRateNamesTheOptionAndTheFile() throws {
    let sandbox = try Sandbox()
    let path = "pricing/aws/us-east-1/dynamodb.json"
    try sandbox.write(
      path,
      sandbox.read(path)!.replacingOccurrences(
        of: #""id": "read-request-unit""#, with: #""id": "read-unit""#))
    let r = sandbox.run(["compare", "--scenario", "conversation-history"])
    #expect(r.code == 65)
    #expect(r.stderr.contains("scenarios/conversation-history.json:"))
    #expect(
      r.stderr.contains(
        "options[3]: needs rate dynamodb/read-request-unit, which pricing/aws/us-east-1/dynamodb.json does not have"
      ))
  }

  @Test func lintReportsEveryBadFile() throws {
    let sandbox = try Sandbox()
    try sandbox.write("scenarios/a.json", "{")
    try sandbox.write(
      "scenarios/b.json",
      Self.goodScenario.replacingOccurrences(
        of: #""recordBytes": 2048"#, with: #""recordBytes": 0"#))
    let r = sandbox.run(["lint"])
    #expect(r.code == 65)
    #expect(r.stderr.contains("scenarios/a.json:1:2: error:"))
    #expect(r.stderr.contains("scenarios/b.json:10:20: error: workload.recordBytes"))
  }

  /// Every error of a scenario in one run (issue 13): unknown keys, then missing fields, then the rest in file
  /// order, each at its line and column; exit 65 and nothing written.
  @Test func everyErrorOfAScenarioIsReportedInOneRun() throws {
    let sandbox = try Sandbox()
    let text = Self.goodScenario
      .replacingOccurrences(of: #""scales": [1]"#, with: #""scales": [0]"#)
      .replacingOccurrences(of: #""recordsPerEntity": 10"#, with: #""recordsPerEntity": "10""#)
      .replacingOccurrences(of: #""recordBytes": 2048"#, with: #""recordBites": 2048"#)
      .replacingOccurrences(
        of: #"{ "id": "s3", "service": "s3" }"#,
        with: #"{ "id": "s3", "service": "s3", "layout": "flat", "cache": {} }"#
      )
      .replacingOccurrences(of: #""region": "us-east-1","#, with: "")
    try sandbox.write("scenarios/bad.json", text)
    let r = sandbox.run(["compare", "--scenario", "scenarios/bad.json"])
    #expect(r.code == 65)
    #expect(
      r.stderr.split(separator: "\n") == [
        #"scenarios/bad.json:10:20: error: workload.recordBites: unknown field; did you mean "recordBytes"? (allowed here: entity, record, entitiesPerMonth, recordsPerEntity, recordBytes, keyBytes, loadsPerRecord, loadsPerEntity, entityLifetimeMinutes, peakToAverage, hourlyProfile, retentionDays, archive)"#,
        "scenarios/bad.json:1:1: error: region: missing, expected a string",
        #"scenarios/bad.json:13:63: error: options[0].cache.hitRatio: missing, expected hitRatio or model"#,
        "scenarios/bad.json:6:14: error: scales[0]: expected a positive number of at most 1000000000, found 0",
        #"scenarios/bad.json:9:25: error: workload.recordsPerEntity: expected a positive integer, found "10""#,
        #"scenarios/bad.json:13:46: error: options[0].layout: expected one of object-per-entity, object-per-record, found "flat""#,
      ], "\(r.stderr)")
    #expect(r.stdout.isEmpty && !sandbox.exists("reports"))
  }

  /// At most 20 errors a file are printed, then how many more there are.
  @Test func twentyErrorsAFileArePrinted() throws {
    let sandbox = try Sandbox()
    let options = (0..<25).map { #"{ "id": "o\#($0)", "service": "s3", "layout": "flat" }"# }
    try sandbox.write(
      "scenarios/bad.json",
      Self.goodScenario.replacingOccurrences(
        of: #"{ "id": "s3", "service": "s3" }"#, with: options.joined(separator: ",\n")))
    let r = sandbox.run(["lint", "--scenarios", "scenarios"])
    let lines = r.stderr.split(separator: "\n")
    #expect(r.code == 65)
    #expect(lines.count == 21, "\(r.stderr)")
    #expect(lines.prefix(20).allSatisfy { $0.hasPrefix("scenarios/bad.json:") })
    #expect(lines.first?.contains("options[0].layout: expected one of") == true)
    #expect(lines.dropLast().last?.contains("options[19].layout") == true)
    #expect(lines.last == "scenarios/bad.json: note: 5 more errors not shown")
  }

  /// Several bad files: each file's errors, both for scenarios a command reads and for the rate tables of a
  /// region.
  @Test func everyBadFileHasItsErrors() throws {
    let sandbox = try Sandbox()
    for name in ["a", "b"] {
      try sandbox.write(
        "scenarios/\(name).json",
        Self.goodScenario.replacingOccurrences(of: #""name": "bad""#, with: #""name": "\#(name)""#)
          .replacingOccurrences(of: #""recordBytes": 2048"#, with: #""recordBytes": 0"#)
          .replacingOccurrences(of: #""scales": [1]"#, with: #""scales": []"#))
    }
    let report = sandbox.run(["report"])
    #expect(report.code == 65)
    for name in ["a", "b"] {
      #expect(
        report.stderr.contains(
          "scenarios/\(name).json:6:13: error: scales: expected at least one scale"),
        "\(report.stderr)")
      #expect(
        report.stderr.contains(
          "scenarios/\(name).json:10:20: error: workload.recordBytes: expected a positive integer, found 0"
        ), "\(report.stderr)")
    }
    #expect(!sandbox.exists("reports"))

    let tables = try Sandbox()
    let dynamo = "pricing/aws/us-east-1/dynamodb.json"
    let s3 = "pricing/aws/us-east-1/s3.json"
    try tables.write(
      dynamo,
      tables.read(dynamo)!.replacingOccurrences(
        of: #""price": 0.625, "per": 1000000"#, with: #""price": -0.625, "per": 0"#))
    try tables.write(
      s3,
      tables.read(s3)!.replacingOccurrences(of: #""currency": "USD""#, with: #""currency": "usd""#))
    let lint = tables.run(["lint"])
    #expect(lint.code == 65)
    let lines = lint.stderr.split(separator: "\n")
    #expect(lines.count == 3, "\(lint.stderr)")
    #expect(
      lines.first?.hasPrefix(dynamo + ":") == true
        && lines.first?.contains("rates[0].price") == true)
    #expect(
      lines.dropFirst().first?.contains("rates[0].per: expected a positive number, found 0") == true
    )
    #expect(
      lines.last?.hasPrefix(s3 + ":") == true
        && lines.last?.contains(#"currency: expected "USD", found "usd""#) == true)
  }

  @Test func hugeEntityCountsDoNotTrap() throws {
    let sandbox = try Sandbox()
    let text = Self.goodScenario.replacingOccurrences(
      of: #""entitiesPerMonth": 50"#, with: #""entitiesPerMonth": 1e30"#
    )
    .replacingOccurrences(of: #""scales": [1]"#, with: #""scales": [1, 1000000]"#)
    try sandbox.write("scenarios/bad.json", text)
    let r = sandbox.run(["compare", "--scenario", "scenarios/bad.json", "--format", "csv"])
    #expect(r.code == 0 || r.code == 65, "\(r.stderr)")
    #expect(!r.stderr.contains("internal error"))
  }
}

/// Usage errors: exit 64 with the three-line block.
@Suite(.serialized) struct UsageErrorTests {
  static let cases: [([String], String)] = [
    (["frobnicate"], "Error: Unknown subcommand 'frobnicate'"),
    (["compare", "--formt", "csv"], "Error: Unknown option '--formt'"),
    (
      ["compare", "--format", "xml"],
      "Error: The value 'xml' is invalid for '--format <format>' (values: table, markdown, csv"
    ),
    (["compare", "--scales", "1,0"], "Error: The value '1,0' is invalid for '--scales <scales>'"),
    (["compare", "--scales", "ten"], "Error: The value 'ten' is invalid for '--scales <scales>'"),
    (
      ["compare", "--scenario", "nope"],
      "Error: The value 'nope' is invalid for '--scenario <name|path>': no such scenario (known: conversation-history, ops-review-results)"
    ),
    (
      ["compare", "--pricing", "/nonexistent"],
      "Error: The value '/nonexistent' is invalid for '--pricing <dir>': no such directory"
    ),
    (["compare", "--format"], "Error: Missing value for '--format <format>'"),
    (["report", "--check=yes"], "Error: Option '--check' takes no value"),
    (["report", "extra"], "Error: Unexpected argument 'extra'"),
    (["help", "nope"], "Error: Unknown subcommand 'nope'"),
  ]

  @Test(arguments: cases.indices)
  func usageErrorExits64(_ i: Int) {
    let (args, expected) = Self.cases[i]
    let r = runCLI(args)
    #expect(r.code == 64, "\(args): \(r.stderr)")
    #expect(r.stderr.hasPrefix(expected), "\(args): \(r.stderr)")
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.count == 3 && lines[1].hasPrefix("Usage: costplan"))
    #expect(lines.count == 3 && lines[2].contains("--help' for more information."))
    #expect(r.stdout.isEmpty)
  }
}
