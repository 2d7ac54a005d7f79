import CostModel
@testable import CostReports
import Foundation
import Testing

@testable import CostPlanCLI

@Suite(.serialized) struct CommandTests {
  @Test func versionAndHelp() {
    let v = runCLI(["--version"])
    #expect(v.code == 0 && v.stdout == "costplan \(CostPlan.version)\n")
    let h = runCLI(["--help"])
    #expect(h.code == 0)
    #expect(
      h.stdout.contains("OVERVIEW:") && h.stdout.contains("USAGE:")
        && h.stdout.contains("SUBCOMMANDS:"))
    let sub = runCLI(["help", "compare"])
    #expect(
      sub.stdout.contains("--format <format>")
        && sub.stdout.contains("(values: table, markdown, csv"))
    #expect(runCLI(["compare", "--help"]).stdout == sub.stdout)
  }

  @Test func compareTablePrintsEveryOptionAtEveryScaleWithin100Columns() {
    let r = runCLI(["compare", "--scenario", "conversation-history"])
    #expect(r.code == 0, "\(r.stderr)")
    for scale in ["1×:", "10×:", "100×:", "10,000×:"] { #expect(r.stdout.contains(scale)) }
    for option in [
      "s3", "s3-cache", "s3-lambda-cache", "dynamodb", "dynamodb-list-append",
      "dynamodb-provisioned", "dynamodb-reserved",
      "dynamodb-savings-plan", "elasticache-cluster", "elasticache-reserved",
      "elasticache-serverless", "aurora", "aurora-reader", "aurora-autopause",
    ] {
      let rows = r.stdout.components(separatedBy: "\n").filter {
        let f = $0.split(separator: " ")
        return f.count > 2 && Int(f[0]) != nil && f[1] == option
      }
      #expect(rows.count == 4, "\(option)")
    }
    #expect(r.stdout.components(separatedBy: "Recommended: ").count == 5)
    #expect(r.stdout.contains("read p99") && r.stdout.contains("write p99"))
    #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
  }

  @Test func compareCSVHasTheFormatsColumnsAndExactDecimals() {
    let r = runCLI([
      "compare", "--scenario", "conversation-history", "--format", "csv", "--scales", "1",
    ])
    #expect(r.code == 0)
    let rows = r.stdout.split(separator: "\n").map(String.init)
    #expect(
      rows[0]
        == "scenario,scale,option,component,rate_id,quantity,unit,unit_price_usd,monthly_cost_usd,monthly_cost_usd_cents,rate_price_usd,rate_per"
    )
    // At the median of 20 to 200 conversations, √4000 = 63.2455532 a month, × 10 messages = 632.455532 PUTs
    // × $0.005 / 1,000 = $0.0031622777 for the S3 PUTs at 1× (10 decimals in the CSV); 0 whole cents.
    #expect(
      rows.contains(
        "conversation-history,1,s3,PUT (one per record appended),s3/requests-tier1,632.4555320337,request,0.000005,0.0031622777,0,0.005,1000"
      ))
    for row in rows.dropFirst() {
      let f = row.split(separator: ",").map(String.init)
      // scale, quantity, unit price, cost, cents, the rate's price and per: plain decimals with at most 10
      // decimal places.
      for number in [
        f[1], f[f.count - 7], f[f.count - 5], f[f.count - 4], f[f.count - 3], f[f.count - 2],
        f[f.count - 1],
      ] {
        #expect(
          number.allSatisfy { $0.isNumber || $0 == "." }, "not a plain decimal: \(number) in \(row)"
        )
        #expect(
          (number.split(separator: ".").dropFirst().first?.count ?? 0) <= 10,
          "more than 10 decimals: \(number)")
      }
    }
    // The line items of s3 at 1× sum to the hand-worked total, at the ranges' medians: E = √(20 × 200) = 63.2455532
    // conversations, messages of √(512 × 4096) = 1448.15 → 1448 bytes.
    // PUT 632.455532 × $0.000005 = 0.0031622777; GET 1264.911064 loads × $0.0000004 = 0.0005059644;
    // storage: conversation objects of 64 + 10 × 1448 = 14,544 B are under 128 KB, so S3 Lifecycle never moves
    // them to Glacier: they stay in Standard 7 days hot + min(2550 days, 12 months − 7 days) = 12 months in all,
    // 758.946638 objects × 14,544 B = 11,038,120.9 B / 2^30 = 0.0102800503 GB × $0.023 = 0.0002364412; no
    // transition requests. Total 0.0031622777 + 0.0005059644 + 0.0002364412 = 0.0039046833.
    let s3 = rows.filter { $0.hasPrefix("conversation-history,1,s3,") }
    let total = s3.map { r in
      let f = r.split(separator: ",")
      return Decimal(string: String(f[f.count - 4]))!
    }.reduce(0, +)
    #expect(total > Decimal(string: "0.0039046")! && total < Decimal(string: "0.0039047")!)
    #expect(!s3.contains { $0.contains("glacier") })
  }

  /// A unit price under 1e-10 does not survive the CSV's 10 decimals (ElastiCache Serverless bills $0.00227 per
  /// million ECPUs: 2.27e-9 an ECPU, written 0.0000000023, 1.3% high), so each line also carries the rate's price
  /// as the table states it and its per, from which a spreadsheet gets the cost back.
  @Test func aLineItemCarriesItsRatesPriceAndPerSoTinyUnitPricesStayExact() throws {
    let r = runCLI([
      "compare", "--scenario", "conversation-history", "--format", "csv", "--scales", "1",
    ])
    #expect(r.code == 0)
    // Fields split at commas outside quotes (a component may hold one).
    let rows = r.stdout.split(separator: "\n").map { line -> [String] in
      var fields = [""]
      var quoted = false
      for ch in line {
        if ch == "\"" {
          quoted.toggle()
        } else if ch == "," && !quoted {
          fields.append("")
        } else {
          fields[fields.count - 1].append(ch)
        }
      }
      return fields
    }
    let h = rows[0]
    let q = try #require(h.firstIndex(of: "quantity"))
    let unit = try #require(h.firstIndex(of: "unit_price_usd"))
    let cost = try #require(h.firstIndex(of: "monthly_cost_usd"))
    let price = try #require(h.firstIndex(of: "rate_price_usd"))
    let per = try #require(h.firstIndex(of: "rate_per"))
    #expect(price == h.count - 2 && per == h.count - 1)
    let ecpu = try #require(
      rows.first { $0.count == h.count && $0[4] == "elasticache/serverless-ecpu:valkey" })
    #expect(ecpu[unit] == "0.0000000023")
    #expect(ecpu[price] == "0.00227" && ecpu[per] == "1000000")
    // Every line: quantity × price ÷ per is the cost, to the 10 decimals the CSV keeps of each figure.
    for f in rows.dropFirst() where f.count == h.count {
      let back = Decimal(string: f[q])! * Decimal(string: f[price])! / Decimal(string: f[per])!
      let c = Decimal(string: f[cost])!
      let tolerance = Swift.max(Decimal(string: "1e-10")!, c.magnitude * Decimal(string: "1e-9")!)
      #expect((back - c).magnitude <= tolerance, "\(f)")
    }
  }

  @Test func summaryCSVAndJSONFormats() {
    let csv = runCLI(["compare", "--scenario", "ops-review-results", "--format", "summary-csv"])
    #expect(csv.code == 0)
    let rows = csv.stdout.split(separator: "\n").map(String.init)
    #expect(
      rows[0]
        == "scenario,scale,option,monthly_cost_usd,read_p50_ms,read_p99_ms,write_p50_ms,write_p99_ms,feasible,score,rank,notes,monthly_cost_usd_cents,cost_p10_usd,cost_p50_usd,cost_p90_usd,win_probability"
    )
    #expect(rows.count == 1 + 3 * 3)
    #expect(rows[1].hasPrefix("ops-review-results,1,s3,") && rows[1].contains(",true,"))
    let json = runCLI(["compare", "--scenario", "ops-review-results", "--format", "json"])
    #expect(json.code == 0)
    let parsed = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let scenarios = parsed?["scenarios"] as? [[String: Any]]
    #expect(scenarios?.count == 1)
    let scales = scenarios?.first?["scales"] as? [[String: Any]]
    let options = scales?.first?["options"] as? [[String: Any]]
    #expect(options?.first?["monthlyCostUsd"] is String, "money is a decimal string")
    #expect(scales?.first?["recommended"] is String)
  }

  @Test func breakevenFindsCrossoversAndValidatesOptions() {
    let r = runCLI([
      "breakeven", "--scenario", "conversation-history", "--options", "dynamodb,elasticache",
      "--format", "csv",
    ])
    #expect(r.code == 0, "\(r.stderr)")
    let rows = r.stdout.split(separator: "\n").map(String.init)
    #expect(
      rows[0] == "scenario,option_a,option_b,scale,records_per_month,cheaper_below,cheaper_above")
    #expect(rows.count == 2)
    #expect(
      rows[1].hasPrefix("conversation-history,dynamodb,elasticache,")
        && rows[1].hasSuffix(",dynamodb,elasticache"))
    let bad = runCLI([
      "breakeven", "--scenario", "conversation-history", "--options", "dynamodb,nope",
    ])
    #expect(bad.code == 64 && bad.stderr.contains("no option 'nope'"))
    let missing = runCLI(["breakeven"])
    #expect(missing.code == 64 && missing.stderr.contains("--scenario"))
  }

  @Test func compareMarkdownHasLineItemsAndAssumptions() {
    let r = runCLI(["compare", "--scenario", "ops-review-results", "--format", "markdown"])
    #expect(r.code == 0)
    #expect(r.stdout.contains("## Assumptions"))
    #expect(r.stdout.contains("| Component | Rate | Quantity | Unit | Unit price | Cost |"))
    #expect(r.stdout.contains("`dynamodb/write-request-unit`"))
  }

  @Test func reportCheckFailsAfterAPriceEditAndPassesAfterReport() throws {
    let sandbox = try Sandbox()
    let first = sandbox.run(["report"])
    #expect(first.code == 0, "\(first.stderr)")
    let csv1 = sandbox.read("reports/conversation-history.csv")
    #expect(csv1 != nil)
    #expect(sandbox.run(["report", "--check"]).code == 0)
    // Deterministic: a second run writes the same bytes.
    #expect(sandbox.run(["report"]).code == 0)
    #expect(sandbox.read("reports/conversation-history.csv") == csv1)
    // Edit one price: --check fails naming the files, and writes nothing.
    let path = "pricing/aws/us-east-1/dynamodb.json"
    try sandbox.write(
      path, sandbox.read(path)!.replacingOccurrences(of: #""price": 0.625"#, with: #""price": 0.7"#)
    )
    let check = sandbox.run(["report", "--check"])
    #expect(check.code == 1)
    #expect(check.stderr.contains("reports/conversation-history.md: out of date"))
    #expect(sandbox.read("reports/conversation-history.csv") == csv1)
    #expect(sandbox.run(["report"]).code == 0)
    #expect(sandbox.run(["report", "--check"]).code == 0)
    #expect(sandbox.read("reports/conversation-history.csv") != csv1)
    // No temporary file is left behind (the manifest is the one dot-file report keeps).
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.root + "/reports")
      .filter { $0.hasPrefix(".") && $0 != ".costplan-manifest" }
    #expect(leftovers.isEmpty)
  }

  @Test func reportCheckFailsWhenAFileIsMissing() throws {
    let sandbox = try Sandbox()
    #expect(sandbox.run(["report"]).code == 0)
    try FileManager.default.removeItem(atPath: sandbox.root + "/reports/ops-review-results.csv")
    let r = sandbox.run(["report", "--check"])
    #expect(r.code == 1 && r.stderr.contains("ops-review-results.csv: missing"))
  }

  @Test func unwritableOutputExits74() throws {
    let sandbox = try Sandbox()
    try sandbox.write("blocker", "a file where the folder should be")
    let r = sandbox.run(["report", "--out", "blocker/reports"])
    #expect(r.code == 74, "\(r.stderr)")
    #expect(r.stderr.contains("blocker/reports: error: cannot write"))
  }

  @Test func shippedReportsAreCurrent() {
    let r = runCLI(["report", "--check"])
    #expect(r.code == 0, "\(r.stderr)")
  }

  @Test func lintPassesOnTheShippedFiles() {
    let r = runCLI(["lint"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stdout.contains("5 rate tables and 2 scenarios are valid"))
  }

  @Test func theBuiltBinaryRunsAsAProcess() throws {
    let binary = repoRoot + "/.build/debug/costplan"
    try #require(
      FileManager.default.isExecutableFile(atPath: binary), "build the costplan product first")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = ["compare", "--format", "wat"]
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    p.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(p.terminationStatus == 64)
    #expect(stderr.hasPrefix("Error: The value 'wat' is invalid for '--format <format>'"))
    #expect(out.fileHandleForReading.readDataToEndOfFile().isEmpty)
  }
}

/// Typos get a suggestion; `help help` is help.
@Suite struct DidYouMeanTests {
  @Test func typosAreAnsweredWithTheClosestName() throws {
    let cases: [([String], String)] = [
      (["comapre"], "Unknown subcommand 'comapre' (did you mean 'compare'?)"),
      (["compare", "--scenaro", "x"], "Unknown option '--scenaro' (did you mean '--scenario'?)"),
      (["compare", "--scenario", "conversation-histroy"], "did you mean 'conversation-history'?"),
      (["help", "reprot"], "(did you mean 'report'?)"),
      (["--verison"], "Unknown option '--verison' (did you mean '--version'?)"),
    ]
    for (args, expected) in cases {
      let r = runCLI(args)
      #expect(r.code == 64 && r.stderr.contains(expected), "\(args): \(r.stderr)")
    }
    // `help help` explains the help command (it printed the list of subcommands).
    let help = runCLI(["help", "help"])
    #expect(help.code == 0 && help.stdout.contains("USAGE: costplan help [<subcommand>]"))
    #expect(help.stdout.contains("<subcommand>") && help.stdout.contains("compare, report"))
    // A mistyped field in a scenario names the field it probably meant.
    let box = try Sandbox()
    let text = try #require(box.read("scenarios/conversation-history.json"))
    try box.write(
      "scenarios/conversation-history.json",
      text.replacingOccurrences(of: "\"peakToAverage\": 3", with: "\"peakToAvrage\": 3"))
    let lint = box.run(["lint"])
    #expect(
      lint.code == 65
        && lint.stderr.contains(
          "workload.peakToAvrage: unknown field; did you mean \"peakToAverage\"?"),
      "\(lint.stderr)")
    // A mistyped value of a closed set, too.
    try box.write(
      "scenarios/conversation-history.json",
      text.replacingOccurrences(
        of: "\"capacity\": \"provisioned\", \"targetUtilization\"",
        with: "\"capacity\": \"provisoned\", \"targetUtilization\""))
    let value = box.run(["lint"])
    #expect(
      value.code == 65
        && value.stderr.contains("found \"provisoned\"; did you mean \"provisioned\"?"),
      "\(value.stderr)")
    #expect(Suggest.closest("xyz", among: ["compare", "report"]) == nil)
    // A typo in a required field is an unknown field at the typo (line and column of the typo), not "missing" at
    // the parent object.
    let required = text.replacingOccurrences(
      of: "\"entitiesPerMonth\"", with: "\"entitiesPerMonht\"")
    try box.write("scenarios/conversation-history.json", required)
    let missing = box.run(["lint"])
    let line =
      required.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.contains("entitiesPerMonht")
      }! + 1
    #expect(
      missing.code == 65 && missing.stderr.contains("conversation-history.json:\(line):"),
      "\(missing.stderr)")
    #expect(
      missing.stderr.contains(
        "workload.entitiesPerMonht: unknown field; did you mean \"entitiesPerMonth\"?"),
      "\(missing.stderr)")
    #expect(!missing.stderr.contains("workload.entitiesPerMonth: missing"))
  }
}

/// Messages and outputs that said the wrong thing (issue "Outputs people use as they are").
@Suite struct PlainerOutputTests {
  @Test func outsideAProjectTheDefaultFolderIsNamed() throws {
    let box = try Sandbox(copyShipped: false)
    let r = runCLI(["compare"], cwd: box.root)
    #expect(
      r.code == 64 && r.stderr.contains("No 'pricing' folder here")
        && !r.stderr.contains("The value 'pricing'"), "\(r.stderr)")
    #expect(
      r.stderr.contains("costplan init NAME"),
      "outside a project, the message says how to start one")
  }

  @Test func anUnwritableOutputNamesTheFolderAndTheReason() {
    let r = runCLI(["report", "--out", "/proc/costplan-nope/reports"])
    #expect(r.code == 74, "\(r.stderr)")
    #expect(
      r.stderr.contains("cannot create the folder /proc/costplan-nope (No such file or directory)"),
      "\(r.stderr)")
  }

  @Test func theTableSaysWhatItsWarningIs() {
    // The S3 options' "warning" status is the 128 KB lifecycle rule; the table names it under the rows.
    let r = runCLI(["compare", "--scenario", "conversation-history", "--scales", "1"])
    #expect(
      r.code == 0
        && r.stdout.contains(
          "Warning (s3, s3-cache, s3-lambda-cache): the archive rule does nothing"),
      "\(r.stdout)")
    #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
  }

  @Test func compareMarkdownLinksNoChartAndJSONHasNoCodeMarks() {
    let md = runCLI(["compare", "--scenario", "ops-review-results", "--format", "markdown"])
    #expect(
      md.code == 0 && !md.stdout.contains("-cost.svg")
        && md.stdout.contains("Printed by `costplan compare`"))
    let json = runCLI(["compare", "--format", "json"])
    #expect(json.code == 0 && !json.stdout.contains("`"))
    let help = runCLI(["help", "store"])
    for scheme in ["memory:", "file:", "cache:", "redis://", "postgres://", "s3://", "dynamodb://"]
    { #expect(help.stdout.contains(scheme), "\(scheme)") }
  }
}
