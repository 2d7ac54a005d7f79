import Foundation
import Testing

@testable import CostModel
@testable import CostReports
@testable import CostPlanCLI

/// `costplan schema` and `costplan init`: the schemas are valid, committed as printed, accept every shipped file,
/// and agree with the parsers on what is an error; `init` writes a scenario that prices.
@Suite(.serialized) struct SchemaInitTests {
  static let draft = "https://json-schema.org/draft/2020-12/schema"

  static func schema(_ kind: String) throws -> SchemaValidator {
    let r = runCLI(["schema", kind])
    #expect(r.code == 0 && r.stderr.isEmpty, "\(r.stderr)")
    return try SchemaValidator(schema: r.stdout)
  }

  static func read(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  // MARK: the schemas themselves

  @Test func schemasAreDraft2020_12JSONAndUseOnlyCheckedKeywords() throws {
    for kind in ["scenario", "rates"] {
      let r = runCLI(["schema", kind])
      #expect(r.code == 0 && r.stderr.isEmpty)
      let doc = try Self.json(r.stdout)
      #expect(doc["$schema"] as? String == Self.draft)
      #expect(doc["additionalProperties"] as? Bool == false)
      #expect(r.stdout.hasPrefix("{\n  \"$schema\": ") && r.stdout.hasSuffix("\n}\n"))
      #expect(
        runCLI(["schema", kind]).stdout == r.stdout, "the output must be the same on every run")
      #expect(try Self.schema(kind).unsupportedKeywords() == [])
    }
  }

  @Test func committedSchemaFilesEqualTheCommandsOutput() throws {
    for kind in ["scenario", "rates"] {
      let committed = try Self.read("\(repoRoot)/schemas/\(kind).schema.json")
      #expect(
        committed == runCLI(["schema", kind]).stdout,
        "schemas/\(kind).schema.json is stale: costplan schema \(kind) > schemas/\(kind).schema.json"
      )
    }
  }

  /// Every object the parsers close with `finish(allowed:)` has the same keys in the schema.
  @Test func schemaPropertiesAreTheFieldsTheParsersRead() throws {
    func keys(_ doc: [String: Any], _ path: [String]) -> Set<String> {
      var node: Any? = doc
      for p in path { node = (node as? [String: Any])?[p] }
      return Set(((node as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
    }
    let scenario = try Self.json(runCLI(["schema", "scenario"]).stdout)
    #expect(keys(scenario, []) == Set(Scenario.fields))
    #expect(keys(scenario, ["$defs", "workload"]) == Set(Workload.fields))
    #expect(keys(scenario, ["$defs", "weights"]) == Set(Weights.keys))
    for service in ServiceCatalog.all {
      #expect(
        keys(scenario, ["$defs", "\(service.id)-option"])
          == Set(["id", "service", "freeTier"] + service.fields), "\(service.id)")
    }
    let rates = try Self.json(runCLI(["schema", "rates"]).stdout)
    #expect(keys(rates, []) == Set(RateTable.topFields))
    #expect(keys(rates, ["$defs", "rate"]) == Set(RateTable.rateFields))
  }

  // MARK: shipped files

  @Test func everyShippedScenarioAndRateTableValidatesAndPointsAtItsSchema() throws {
    let fm = FileManager.default
    let scenarios = try fm.contentsOfDirectory(atPath: "\(repoRoot)/scenarios").filter {
      $0.hasSuffix(".json")
    }.sorted()
      .map { "\(repoRoot)/scenarios/\($0)" }
    var tables: [String] = []
    for provider in try fm.contentsOfDirectory(atPath: "\(repoRoot)/pricing")
    where !provider.hasSuffix(".md") {
      for region in try fm.contentsOfDirectory(atPath: "\(repoRoot)/pricing/\(provider)") {
        let dir = "\(repoRoot)/pricing/\(provider)/\(region)"
        tables += try fm.contentsOfDirectory(atPath: dir).filter {
          $0.hasSuffix(".json") && $0 != "latency.json"
        }.sorted().map { "\(dir)/\($0)" }
      }
    }
    #expect(scenarios.count >= 2 && tables.count >= 5)
    for (files, kind, reference) in [
      (scenarios, "scenario", "../schemas/scenario.schema.json"),
      (tables, "rates", "../../../schemas/rates.schema.json"),
    ] {
      let validator = try Self.schema(kind)
      for file in files {
        let text = try Self.read(file)
        #expect(try validator.errors(text) == [], "\(file)")
        #expect(try Self.json(text)["$schema"] as? String == reference, "\(file)")
        let target = ((file as NSString).deletingLastPathComponent as NSString)
          .appendingPathComponent(reference)
        #expect(fm.fileExists(atPath: target), "\(file): its $schema does not resolve")
      }
    }
  }

  /// `pricing import` rewrites a table; the `$schema` the table had stays, first, as in the shipped files.
  @Test func pricingImportKeepsTheTablesSchemaReference() throws {
    let box = try Sandbox()
    try box.write("offer.json", PricingCommandTests.dynamoOffer())
    let r = box.run(["pricing", "import", "--offer", "offer.json", "--service", "dynamodb"])
    #expect(r.code == 0, "\(r.stderr)")
    let text = try #require(box.read("pricing/aws/us-east-1/dynamodb.json"))
    #expect(
      text.hasPrefix("{\n  \"$schema\": \"../../../schemas/rates.schema.json\",\n  \"version\": 1,")
    )
    #expect(
      text.contains("0.7 per 1000000 WRU") || text.contains("\"price\": 0.7"),
      "the import did change the table")
    #expect(try Self.schema("rates").errors(text) == [])
  }

  // MARK: the schema and the parser agree

  static let base = """
    {"version": 1, "name": "t", "provider": "aws", "region": "us-east-1", "scales": [1, 10],
     "workload": {"entitiesPerMonth": 100, "recordsPerEntity": 5, "recordBytes": 300, "peakToAverage": 3},
     "options": [{"id": "d", "service": "dynamodb", "layout": "item-per-record"}]}
    """

  static func scenario(replacing from: String, with to: String) -> String {
    precondition(base.contains(from))
    return base.replacingOccurrences(of: from, with: to)
  }

  static func option(_ json: String) -> String {
    scenario(
      replacing: #"{"id": "d", "service": "dynamodb", "layout": "item-per-record"}"#, with: json)
  }

  static func top(_ fields: String) -> String {
    scenario(replacing: #""scales": [1, 10],"#, with: #""scales": [1, 10], "# + fields + ",")
  }

  /// (what, scenario, valid): each must be accepted or rejected by both the schema and `Scenario.parse`.
  static let scenarioCases: [(String, String, Bool)] = [
    ("the base", base, true),
    ("$schema", top(#""$schema": "../schemas/scenario.schema.json""#), true),
    ("unknown top-level key", top(#""titel": "x""#), false),
    ("version 2", scenario(replacing: #""version": 1"#, with: #""version": 2"#), false),
    ("name with a space", scenario(replacing: #""name": "t""#, with: #""name": "a b""#), false),
    ("region in capitals", scenario(replacing: "us-east-1", with: "US-EAST-1"), false),
    ("no scales", scenario(replacing: "[1, 10]", with: "[]"), false),
    ("duplicate scale", scenario(replacing: "[1, 10]", with: "[1, 1.0]"), false),
    ("scale 0", scenario(replacing: "[1, 10]", with: "[0]"), false),
    ("scale over 1e9", scenario(replacing: "[1, 10]", with: "[2e9]"), false),
    ("horizon 1201", top(#""horizonMonths": 1201"#), false),
    ("growth -100%", top(#""growth": {"monthlyPercent": -100}"#), false),
    ("growth 3%", top(#""growth": {"monthlyPercent": 3}"#), true),
    (
      "growth over 6.5 months",
      top(#""horizonMonths": 6.5, "growth": {"monthlyPercent": 3}"#), false
    ),
    ("growth over 6 months", top(#""horizonMonths": 6, "growth": {"monthlyPercent": 3}"#), true),
    ("6.5 months without growth", top(#""horizonMonths": 6.5"#), true),
    ("uncertainty without samples", top(#""uncertainty": {"seed": 4}"#), false),
    ("uncertainty", top(#""uncertainty": {"samples": 1000, "seed": 42}"#), true),
    (
      "recordBytes a string",
      scenario(replacing: #""recordBytes": 300"#, with: #""recordBytes": "300""#), false
    ),
    (
      "recordBytes a fraction",
      scenario(replacing: #""recordBytes": 300"#, with: #""recordBytes": 2.5"#), false
    ),
    (
      "recordBytes a range",
      scenario(
        replacing: #""recordBytes": 300"#, with: #""recordBytes": {"low": 200, "high": 450}"#), true
    ),
    (
      "a range with a third key",
      scenario(
        replacing: #""recordBytes": 300"#, with: #""recordBytes": {"low": 2, "high": 4, "mid": 3}"#),
      false
    ),
    (
      "a range at 0",
      scenario(
        replacing: #""entitiesPerMonth": 100"#, with: #""entitiesPerMonth": {"low": 0, "high": 4}"#),
      false
    ),
    (
      "entitiesPerMonth 0",
      scenario(replacing: #""entitiesPerMonth": 100"#, with: #""entitiesPerMonth": 0"#), false
    ),
    (
      "keyBytes a range",
      scenario(
        replacing: #""recordBytes": 300"#,
        with: #""recordBytes": 300, "keyBytes": {"low": 1, "high": 2}"#), false
    ),
    (
      "peakToAverage 25",
      scenario(replacing: #""peakToAverage": 3"#, with: #""peakToAverage": 25"#), false
    ),
    (
      "peakToAverage 24",
      scenario(replacing: #""peakToAverage": 3"#, with: #""peakToAverage": 24"#), true
    ),
    (
      "hourlyProfile",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with: #""hourlyProfile": [1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,1]"#), true
    ),
    (
      "hourlyProfile and peakToAverage",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with:
          #""peakToAverage": 3, "hourlyProfile": [1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,1]"#
      ), false
    ),
    (
      "hourlyProfile of 23 hours",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with: #""hourlyProfile": [1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1]"#), false
    ),
    (
      "hourlyProfile all zero",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with: #""hourlyProfile": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"#), false
    ),
    (
      "archive",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with:
          #""peakToAverage": 3, "retentionDays": 30, "archive": {"afterDays": 30, "storageClass": "glacier-ir"}"#
      ), true
    ),
    (
      "archive to an unknown class",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with: #""archive": {"afterDays": 3, "storageClass": "glacier"}"#), false
    ),
    ("unknown service", option(#"{"id": "d", "service": "dynamo"}"#), false),
    ("option id with a space", option(#"{"id": "a b", "service": "s3"}"#), false),
    (
      "mistyped dynamodb key",
      option(#"{"id": "d", "service": "dynamodb", "capacty": "provisioned"}"#), false
    ),
    (
      "targetUtilization on demand",
      option(#"{"id": "d", "service": "dynamodb", "targetUtilization": 0.5}"#), false
    ),
    (
      "provisioned",
      option(
        #"{"id": "d", "service": "dynamodb", "capacity": "provisioned", "targetUtilization": 0.5, "minWCU": 5}"#
      ), true
    ),
    (
      "targetUtilization 0.95",
      option(
        #"{"id": "d", "service": "dynamodb", "capacity": "provisioned", "targetUtilization": 0.95}"#
      ), false
    ),
    (
      "reservedWCU 150",
      option(#"{"id": "d", "service": "dynamodb", "capacity": "provisioned", "reservedWCU": 150}"#),
      false
    ),
    (
      "reservedWCU 200",
      option(
        #"{"id": "d", "service": "dynamodb", "capacity": "provisioned", "reservedWCU": 200, "reservedTerm": "3y"}"#
      ), true
    ),
    (
      "reserved and a savings plan",
      option(
        #"{"id": "d", "service": "dynamodb", "capacity": "provisioned", "reservedWCU": 100, "savingsPlan": {"coverage": 0.5}}"#
      ), false
    ),
    (
      "reserved Standard-IA",
      option(
        #"{"id": "d", "service": "dynamodb", "capacity": "provisioned", "tableClass": "standard-ia", "reservedRCU": 100}"#
      ), false
    ),
    (
      "savings plan",
      option(#"{"id": "d", "service": "dynamodb", "savingsPlan": {"coverage": 0.8}}"#), true
    ),
    (
      "savings plan coverage 0",
      option(#"{"id": "d", "service": "dynamodb", "savingsPlan": {"coverage": 0}}"#), false
    ),
    ("ttlLagDays 3651", option(#"{"id": "d", "service": "dynamodb", "ttlLagDays": 3651}"#), false),
    (
      "s3 with a savings plan",
      option(#"{"id": "s", "service": "s3", "savingsPlan": {"coverage": 0.5}}"#), false
    ),
    (
      "s3 cache hit ratio",
      option(#"{"id": "s", "service": "s3", "cache": {"hitRatio": 0.9, "handlerMs": 200}}"#), true
    ),
    (
      "s3 cache hit ratio range",
      option(#"{"id": "s", "service": "s3", "cache": {"hitRatio": {"low": 0.5, "high": 0.9}}}"#),
      true
    ),
    (
      "s3 cache hit ratio 1.2",
      option(#"{"id": "s", "service": "s3", "cache": {"hitRatio": 1.2}}"#), false
    ),
    (
      "s3 cache lambda-fleet",
      option(
        #"{"id": "s", "service": "s3", "cache": {"model": "lambda-fleet", "idleTimeoutMinutes": 5}}"#
      ), true
    ),
    (
      "s3 cache both",
      option(#"{"id": "s", "service": "s3", "cache": {"model": "lambda-fleet", "hitRatio": 0.5}}"#),
      false
    ),
    (
      "s3 cache neither", option(#"{"id": "s", "service": "s3", "cache": {"extraMemoryMB": 64}}"#),
      false
    ),
    (
      "s3 idle timeout with a fixed ratio",
      option(#"{"id": "s", "service": "s3", "cache": {"hitRatio": 0.5, "idleTimeoutMinutes": 5}}"#),
      false
    ),
    (
      "s3 layout typo", option(#"{"id": "s", "service": "s3", "layout": "object-per-recrod"}"#),
      false
    ),
    (
      "elasticache cluster",
      option(
        #"{"id": "e", "service": "elasticache", "nodeType": "auto", "shards": "auto", "replicas": 1}"#
      ), true
    ),
    (
      "elasticache 501 shards", option(#"{"id": "e", "service": "elasticache", "shards": 501}"#),
      false
    ),
    (
      "elasticache shards many",
      option(#"{"id": "e", "service": "elasticache", "shards": "many"}"#), false
    ),
    (
      "elasticache 6 replicas", option(#"{"id": "e", "service": "elasticache", "replicas": 6}"#),
      false
    ),
    (
      "serverless with replicas",
      option(#"{"id": "e", "service": "elasticache", "mode": "serverless", "replicas": 1}"#), false
    ),
    (
      "serverless",
      option(
        #"{"id": "e", "service": "elasticache", "mode": "serverless", "perRecordOverheadBytes": {"low": 300, "high": 500}}"#
      ), true
    ),
    (
      "reserved nodes",
      option(
        #"{"id": "e", "service": "elasticache", "reservation": {"term": "3y", "payment": "all-upfront"}}"#
      ), true
    ),
    (
      "reserved nodes for 2 years",
      option(
        #"{"id": "e", "service": "elasticache", "reservation": {"term": "2y", "payment": "all-upfront"}}"#
      ), false
    ),
    (
      "reserved nodes and a savings plan",
      option(
        #"{"id": "e", "service": "elasticache", "reservation": {"term": "1y", "payment": "no-upfront"}, "savingsPlan": {"coverage": 1}}"#
      ), false
    ),
    (
      "aurora auto-pause",
      option(
        #"{"id": "a", "service": "aurora-serverless-v2", "minACU": 0, "autoPauseMinutes": 10}"#),
      true
    ),
    (
      "aurora auto-pause without minACU 0",
      option(
        #"{"id": "a", "service": "aurora-serverless-v2", "minACU": 1, "autoPauseMinutes": 10}"#),
      false
    ),
    (
      "aurora auto-pause by default minACU",
      option(#"{"id": "a", "service": "aurora-serverless-v2", "autoPauseMinutes": 10}"#), false
    ),
    (
      "aurora auto-pause 4 minutes",
      option(
        #"{"id": "a", "service": "aurora-serverless-v2", "minACU": 0, "autoPauseMinutes": 4}"#),
      false
    ),
    (
      "aurora minACU 0.25",
      option(#"{"id": "a", "service": "aurora-serverless-v2", "minACU": 0.25}"#), false
    ),
    (
      "aurora minACU 0.75",
      option(#"{"id": "a", "service": "aurora-serverless-v2", "minACU": 0.75}"#), false
    ),
    (
      "aurora maxACU 300",
      option(#"{"id": "a", "service": "aurora-serverless-v2", "maxACU": 300}"#), false
    ),
    (
      "aurora 16 readers",
      option(#"{"id": "a", "service": "aurora-serverless-v2", "readers": 16}"#), false
    ),
    (
      "aurora",
      option(
        #"{"id": "a", "service": "aurora-serverless-v2", "minACU": 1.5, "maxACU": 64, "ioOptimized": true, "readers": 2, "savingsPlan": {"coverage": 0.5}}"#
      ), true
    ),
    ("weights", top(#""weights": {"cost": 1, "operations": 0}"#), true),
    ("weights all zero", top(#""weights": {"cost": 0}"#), false),
    ("weights mistyped", top(#""weights": {"costs": 1}"#), false),
    (
      "a claim",
      top(
        #""claims": [{"text": "cheap", "option": "d", "scale": 1, "metric": "monthlyCost", "atMost": 1}]"#
      ), true
    ),
    (
      "a claim with two tests",
      top(
        #""claims": [{"text": "c", "option": "d", "scale": 1, "metric": "monthlyCost", "atMost": 1, "atLeast": 0}]"#
      ), false
    ),
    (
      "a claim with no test",
      top(#""claims": [{"text": "c", "option": "d", "scale": 1, "metric": "monthlyCost"}]"#), false
    ),
    (
      "approximately with a tolerance",
      top(
        #""claims": [{"text": "c", "option": "d", "scale": 1, "metric": "readP99Ms", "approximately": 20, "tolerancePercent": 5}]"#
      ), true
    ),
    (
      "atMost with a tolerance",
      top(
        #""claims": [{"text": "c", "option": "d", "scale": 1, "metric": "readP99Ms", "atMost": 20, "tolerancePercent": 5}]"#
      ), false
    ),
    (
      "cheaperThan on latency",
      top(
        #""claims": [{"text": "c", "option": "d", "scale": 1, "metric": "readP99Ms", "cheaperThan": "e"}]"#
      ), false
    ),
  ]

  /// What JSON Schema cannot say: the schema accepts these, and only the parser rejects them (docs/scenarios.md).
  static let parserOnlyCases: [(String, String)] = [
    (
      "a range with low above high",
      scenario(
        replacing: #""recordBytes": 300"#, with: #""recordBytes": {"low": 400, "high": 200}"#)
    ),
    (
      "archive after retention",
      scenario(
        replacing: #""peakToAverage": 3"#,
        with: #""retentionDays": 7, "archive": {"afterDays": 30, "storageClass": "glacier-ir"}"#)
    ),
    (
      "a claim about an unknown option",
      top(
        #""claims": [{"text": "c", "option": "x", "scale": 1, "metric": "monthlyCost", "atMost": 1}]"#
      )
    ),
    (
      "duplicate option ids",
      scenario(
        replacing: #"{"id": "d", "service": "dynamodb", "layout": "item-per-record"}"#,
        with: #"{"id": "d", "service": "dynamodb"}, {"id": "d", "service": "s3"}"#)
    ),
    (
      "aurora maxACU below minACU",
      option(#"{"id": "a", "service": "aurora-serverless-v2", "minACU": 8, "maxACU": 4}"#)
    ),
  ]

  static func parses(_ text: String) -> Bool {
    do {
      _ = try Scenario.parse(try JSONParser.parse(Data(text.utf8), file: "t.json"), file: "t.json")
      return true
    } catch { return false }
  }

  @Test func schemaAndScenarioParserAgree() throws {
    let validator = try Self.schema("scenario")
    for (what, text, valid) in Self.scenarioCases {
      let errors = try validator.errors(text)
      #expect(errors.isEmpty == valid, "schema on \(what): \(errors)")
      #expect(Self.parses(text) == valid, "parser on \(what)")
    }
    for (what, text) in Self.parserOnlyCases {
      #expect(try validator.isValid(text), "schema on \(what)")
      #expect(!Self.parses(text), "parser on \(what)")
    }
  }

  @Test func schemaAndRateTableParserAgree() throws {
    let base = """
      {"$schema": "../../../schemas/rates.schema.json", "version": 1, "provider": "aws", "service": "s3", "region": "us-east-1",
       "currency": "USD", "effectiveDate": "2026-08-07", "source": "test",
       "rates": [{"id": "storage-standard", "unit": "GB-month", "tiers": [{"upTo": 51200, "price": 0.023}, {"price": 0.021}]},
                 {"id": "node:cache.t4g.micro:valkey", "unit": "hour", "price": 0.016, "per": 1, "attributes": {"memoryGiB": 0.5, "savingsPlanDiscount": 0.2}}]}
      """
    func edit(_ from: String, _ to: String) -> String {
      precondition(base.contains(from))
      return base.replacingOccurrences(of: from, with: to)
    }
    let cases: [(String, String, Bool)] = [
      ("the base", base, true),
      (
        "unknown top-level key", edit(#""source": "test","#, #""source": "test", "sources": "x","#),
        false
      ),
      ("currency EUR", edit(#""USD""#, #""EUR""#), false),
      ("month 13", edit("2026-08-07", "2026-13-07"), false),
      ("blank source", edit(#""source": "test""#, #""source": "  ""#), false),
      ("unknown rate key", edit(#""per": 1,"#, #""per": 1, "perr": 1,"#), false),
      (
        "price and tiers",
        edit(
          #""unit": "hour", "price": 0.016"#,
          #""unit": "hour", "price": 0.016, "tiers": [{"price": 1}]"#), false
      ),
      (
        "neither price nor tiers", edit(#""unit": "hour", "price": 0.016,"#, #""unit": "hour","#),
        false
      ),
      ("a negative price", edit("0.016", "-0.016"), false),
      ("per 0", edit(#""per": 1"#, #""per": 0"#), false),
      ("an id with a slash", edit("node:cache.t4g.micro:valkey", "node/x"), false),
      ("memoryGiB 0", edit(#""memoryGiB": 0.5"#, #""memoryGiB": 0"#), false),
      (
        "a discount of 1", edit(#""savingsPlanDiscount": 0.2"#, #""savingsPlanDiscount": 1"#), false
      ),
      ("a string attribute", edit(#""memoryGiB": 0.5"#, #""memoryGiB": "0.5""#), false),
      (
        "a tier key mistyped",
        edit(#"{"upTo": 51200, "price": 0.023}"#, #"{"upto": 51200, "price": 0.023}"#), false
      ),
      (
        "a rate's own date",
        edit(#""per": 1,"#, #""per": 1, "effectiveDate": "2025-01-31", "source": "elsewhere","#),
        true
      ),
    ]
    let validator = try Self.schema("rates")
    for (what, text, valid) in cases {
      let errors = try validator.errors(text)
      #expect(errors.isEmpty == valid, "schema on \(what): \(errors)")
      let parsed =
        (try? RateTable.parse(
          try JSONParser.parse(Data(text.utf8), file: "s3.json"), file: "s3.json",
          expectedService: "s3")) != nil
      #expect(parsed == valid, "parser on \(what)")
    }
  }

  /// The two mistakes an editor's schema check catches first, and costplan itself rejects with exit 65.
  @Test func unknownKeyAndWrongTypeAreRejectedByTheSchemaAndByCostplan() throws {
    let validator = try Self.schema("scenario")
    let box = try Sandbox()
    let shipped = try #require(box.read("scenarios/ops-review-results.json"))
    let cases = [
      (
        "unknown key",
        shipped.replacingOccurrences(
          of: "\"retentionDays\": 90", with: "\"retentionDays\": 90, \"retentionDayz\": 30"),
        "workload.retentionDayz",
        "workload.retentionDayz: unknown field; did you mean \"retentionDays\"?"
      ),
      (
        "wrong type",
        shipped.replacingOccurrences(of: "\"keyBytes\": 64", with: "\"keyBytes\": \"64\""),
        "workload.keyBytes", "workload.keyBytes: expected an integer ≥ 0, found \"64\""
      ),
    ]
    for (what, text, path, message) in cases {
      #expect(text != shipped)
      let errors = try validator.errors(text)
      #expect(errors.contains { $0.hasPrefix(path + ":") }, "\(what): \(errors)")
      try box.write("scenarios/ops-review-results.json", text)
      let r = box.run(["compare", "--scenario", "ops-review-results"])
      #expect(r.code == 65, "\(what)")
      #expect(
        r.stderr.hasPrefix("scenarios/ops-review-results.json:") && r.stderr.contains(message),
        "\(what): \(r.stderr)")
    }
  }

  /// Python's `jsonschema`, a complete validator, when it is installed: it checks the schemas against the draft
  /// 2020-12 meta-schema and the shipped files against them. Skipped quietly without it.
  @Test func pythonJSONSchemaAgreesWhenInstalled() throws {
    let script = """
      import glob, json, sys
      try:
          from jsonschema import Draft202012Validator
      except ImportError:
          print("skipped: no jsonschema"); sys.exit(0)
      root = sys.argv[1]
      for kind, files in [("scenario", glob.glob(root + "/scenarios/*.json")),
                          ("rates", [f for f in glob.glob(root + "/pricing/*/*/*.json") if not f.endswith("latency.json")])]:
          schema = json.load(open(root + "/schemas/" + kind + ".schema.json"))
          Draft202012Validator.check_schema(schema)
          v = Draft202012Validator(schema)
          for f in sorted(files):
              for e in v.iter_errors(json.load(open(f))):
                  print(f, list(e.absolute_path), e.message); sys.exit(1)
      print("ok")
      """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script, repoRoot]
    // Its own folder: other tests move the process's working directory into sandboxes that come and go.
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    do { try p.run() } catch { return }  // no python3: nothing to compare with
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let diagnostics = String(
      decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    if p.terminationStatus == 127 { return }
    #expect(
      p.terminationStatus == 0 && (text == "ok\n" || text.hasPrefix("skipped")),
      "\(text)\(diagnostics)")
  }

  // MARK: costplan init

  @Test func initWritesAScenarioThatComparePrices() throws {
    let box = try Sandbox(copyShipped: false)
    try FileManager.default.copyItem(atPath: repoRoot + "/pricing", toPath: box.root + "/pricing")
    #expect(!box.exists("scenarios"))
    let r = box.run(["init", "my-service_2"])
    #expect(r.code == 0 && r.stderr.isEmpty, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("wrote scenarios/my-service_2.json\n"))
    #expect(r.stdout.contains("costplan compare --scenario my-service_2"))
    #expect(
      r.stdout.contains("costplan schema scenario > schemas/scenario.schema.json"),
      "no schemas/ here: the hint says how to get one")
    let text = try #require(box.read("scenarios/my-service_2.json"))
    #expect(try Self.schema("scenario").errors(text) == [])
    let doc = try Self.json(text)
    #expect(doc["$schema"] as? String == "../schemas/scenario.schema.json")
    #expect(doc["name"] as? String == "my-service_2")
    #expect((doc["scales"] as? [Int]) == [1, 10, 100])
    #expect(((doc["notes"] as? [String]) ?? []).count >= 3, "the guidance lives in notes")
    let services = Set(
      ((doc["options"] as? [[String: Any]]) ?? []).compactMap { $0["service"] as? String })
    #expect(services.count >= 3)
    let compare = box.run(["compare", "--scenario", "my-service_2"])
    #expect(compare.code == 0 && compare.stderr.isEmpty, "\(compare.stderr)")
    for scale in ["1×:", "10×:", "100×:"] { #expect(compare.stdout.contains(scale)) }
    #expect(box.run(["lint"]).code == 0)
  }

  @Test func initRefusesToOverwriteAndRejectsBadNames() throws {
    let box = try Sandbox()
    try box.write("scenarios/mine.json", "{\"hand\": \"written\"}\n")
    let again = box.run(["init", "mine"])
    #expect(again.code == 74)
    #expect(
      again.stderr.hasPrefix("scenarios/mine.json: error: cannot write: the file exists"),
      "\(again.stderr)")
    #expect(box.read("scenarios/mine.json") == "{\"hand\": \"written\"}\n")
    #expect(
      box.run(["init", "ops-review-results"]).code == 74,
      "a shipped scenario is not replaced either")
    for bad in ["bad name", "../escape", "x.json", "", String(repeating: "a", count: 101), "café"] {
      let r = box.run(["init", bad])
      #expect(r.code == 64, "\(bad)")
      #expect(
        r.stderr.hasPrefix("Error: The value '\(bad)' is invalid for '<name>'")
          && r.stderr.contains("Usage: costplan init <name>"), "\(r.stderr)")
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: box.root + "/scenarios").filter {
        $0.hasSuffix(".json")
      }
      .sorted() == ["conversation-history.json", "mine.json", "ops-review-results.json"],
      "nothing else was written")
    let missing = box.run(["init"])
    #expect(missing.code == 64 && missing.stderr.hasPrefix("Error: Missing argument '<name>'"))
    let other = box.run(["init", "elsewhere", "--scenarios", "work/scenarios"])
    #expect(other.code == 0 && box.exists("work/scenarios/elsewhere.json"), "\(other.stderr)")
    #expect(
      other.stdout.contains("costplan compare --scenarios work/scenarios --scenario elsewhere"))
    #expect(other.stdout.contains("costplan schema scenario > work/schemas/scenario.schema.json"))
  }

  @Test func helpAndUsageOfTheNewCommands() {
    let root = runCLI(["--help"]).stdout
    #expect(root.contains("\n  schema ") && root.contains("\n  init "))
    for command in ["schema", "init"] {
      let h = runCLI([command, "--help"])
      #expect(
        h.code == 0 && h.stdout.hasPrefix("OVERVIEW: ")
          && h.stdout.contains("USAGE: costplan \(command)"))
      #expect(runCLI(["help", command]).stdout == h.stdout)
    }
    let missing = runCLI(["schema"])
    #expect(
      missing.code == 64
        && missing.stderr.hasPrefix(
          "Error: Missing argument: scenario or rates\nUsage: costplan schema")
    )
    let typo = runCLI(["schema", "rate"])
    #expect(
      typo.code == 64 && typo.stderr.contains("Unknown schema 'rate' (did you mean 'rates'?)"),
      "\(typo.stderr)")
    #expect(runCLI(["schema", "rates", "scenario"]).code == 64)
    #expect(runCLI(["shema"]).stderr.contains("did you mean 'schema'?"))
    #expect(runCLI(["init", "--scenario", "x"]).stderr.contains("did you mean '--scenarios'?"))
  }
}
