import Foundation
import Testing

/// What the reports and commands say around the numbers, each found by a new user reading them (2026-11-30).
struct ReportWordingTests {
  /// "Rates used" showed a savings-plan share at the listed price while its line items billed the discounted one.
  @Test func aSavingsPlanRateIsListedAtThePriceItBills() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    let md = try #require(box.read("out/conversation-history.md"))
    let html = try #require(box.read("out/conversation-history.html"))
    // On-demand writes $0.625 per million, 18% off under the plan: 0.625 × (1 − 0.18) = 0.5125; reads
    // 0.125 × 0.82 = 0.1025.
    #expect(
      md.contains(
        "| `dynamodb/write-request-unit:savings-plan` | $0.5125 per 1,000,000 ($0.625 less the savings plan's 18%) |"
      ))
    #expect(
      md.contains(
        "| `dynamodb/read-request-unit:savings-plan` | $0.1025 per 1,000,000 ($0.125 less the savings plan's 18%) |"
      ))
    // The listed share keeps the listed price.
    #expect(md.contains("| `dynamodb/write-request-unit` | $0.625 per 1,000,000 |"))
    #expect(html.contains("$0.5125 per 1,000,000 ($0.625 less the savings plan's 18%)"))
    // The uncertain rates are a list, each rate once (not again for its savings-plan share).
    #expect(md.contains("Uncertain figures:\n\n- `"))
    #expect(!md.contains("- `dynamodb/write-request-unit:savings-plan`: "))
    #expect(md.components(separatedBy: "\n- `dynamodb/write-request-unit`: ").count == 2)
  }

  /// A crossover where one of the pair cannot run the workload read as advice ("elasticache becomes cheaper …
  /// above 2,638×") although elasticache's single node is out of memory there.
  @Test func aCrossoverWhereAnOptionIsInfeasibleSaysSo() throws {
    let r = runCLI([
      "breakeven", "--scenario", "conversation-history", "--options",
      "elasticache,dynamodb-list-append",
    ])
    #expect(r.code == 0)
    #expect(r.stdout.contains("where elasticache is infeasible"), "\(r.stdout)")
    // And at that scale compare marks it infeasible: the note agrees with the estimate.
    let at = runCLI([
      "compare", "--scenario", "conversation-history", "--scales", "3000", "--format", "json",
    ])
    #expect(at.code == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(at.stdout.utf8)) as? [String: Any])
    let options = try #require(
      ((json["scenarios"] as? [[String: Any]])?.first?["scales"] as? [[String: Any]])?.first?[
        "options"] as? [[String: Any]])
    let ec = try #require(options.first { $0["id"] as? String == "elasticache" })
    #expect(ec["feasible"] as? Bool == false, "\(ec)")
    // The JSON crossovers carry the list too.
    let full = runCLI(["compare", "--scenario", "conversation-history", "--format", "json"])
    #expect(full.stdout.contains(#""infeasible": ["elasticache"]"#))
    #expect(full.stdout.contains(#""infeasible": []"#))
  }

  /// A savings plan on rates without a sourced discount (ElastiCache here) changed nothing, silently.
  @Test func aSavingsPlanThatDiscountsNothingIsAWarning() throws {
    let box = try Sandbox()
    let path = "scenarios/conversation-history.json"
    let text = try #require(box.read(path))
    let cluster = #""id": "elasticache-cluster","#
    #expect(text.contains(cluster))
    try box.write(
      path,
      text.replacingOccurrences(
        of: cluster, with: cluster + #" "savingsPlan": { "coverage": 1 },"#))
    let r = box.run(["compare", "--scenario", "conversation-history", "--scales", "1"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains("the savings plan discounts none of this option's charges"), "\(r.stdout)")
    // The DynamoDB plan, whose rates carry a discount, has no such warning.
    let plain = runCLI(["compare", "--scenario", "conversation-history", "--scales", "1"])
    #expect(!plain.stdout.contains("discounts none"))
  }

  /// The scenario's own growth and ranges were listed as "Default:" in the Assumptions section.
  @Test func whatTheScenarioGivesIsNotCalledADefault() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    let md = try #require(box.read("out/conversation-history.md"))
    #expect(md.contains("- Given: growth 20% a month applies to the month-by-month projection"))
    #expect(md.contains("- Given: workload.entitiesPerMonth is a range from 20 to 200"))
    #expect(md.contains("- Given for `s3-cache`: cache.hitRatio is a range from 0.8 to 0.98"))
    #expect(!md.contains("- Default: growth") && !md.contains("Default: workload.entitiesPerMonth"))
    #expect(
      !md.contains(
        "extraMemoryMB = 0 (the cache fits in the function's existing memory); cache.hitRatio"))
  }

  /// `report --check --out DIR` told the user to run plain `report`, which writes elsewhere.
  @Test func checkWithAnOutFolderNamesItInItsAdvice() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "elsewhere"]).code == 0)
    try box.write("elsewhere/summary.csv", "changed\n")
    let r = box.run(["report", "--check", "--out", "elsewhere"])
    #expect(r.code != 0)
    #expect(r.stderr.contains("run 'costplan report --out elsewhere'"), "\(r.stderr)")
  }

  /// `init` in a folder without rate tables said "price it: costplan compare --scenario foo", which then failed.
  @Test func initOutsideAProjectSaysWhereThePricesComeFrom() throws {
    let dir = NSTemporaryDirectory() + "costplan-init-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = runCLI(["init", "foo"], cwd: dir)
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stdout.contains("There is no pricing/ folder here"), "\(r.stdout)")
    #expect(
      r.stdout.contains(
        "mkdir -p schemas && costplan schema scenario > schemas/scenario.schema.json"))
    // In the checkout, neither note.
    let box = try Sandbox()
    let inside = box.run(["init", "bar"])
    #expect(inside.code == 0)
    #expect(!inside.stdout.contains("no pricing/ folder"), "\(inside.stdout)")
  }
}

/// Help and `breakeven` at the terminal's width (`COLUMNS`): help lines ran to 235 columns and breakeven's
/// sentences ignored the width. The binary runs as a process with COLUMNS set (the in-process runs share one
/// environment).
struct TerminalWidthTests {
  static func run(_ columns: Int, _ args: [String]) throws -> RunResult {
    try runProcess(args, shell: "COLUMNS=\(columns) exec")
  }

  @Test func helpAndBreakevenFitEightyColumns() throws {
    for args in [["help", "store"], ["help", "compare"], ["--help"], ["help", "help"]] {
      let r = try Self.run(80, args)
      #expect(r.code == 0)
      let long = r.stdout.split(separator: "\n").filter { $0.count > 80 }
      // A single word longer than the room (a URL) may stand alone; nothing else runs past 80.
      #expect(
        long.allSatisfy { $0.split(separator: " ").count == 1 },
        "\(args): \(long)")
    }
    let be = try Self.run(80, ["breakeven", "--scenario", "conversation-history"])
    #expect(be.code == 0)
    let lines = be.stdout.split(separator: "\n")
    #expect(lines.count > 20)
    #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
  }

  /// At 80 columns one scale's table dropped the score and the next kept it; at 60, ids were cut to their first
  /// letters ("dynamod…" four times).
  @Test func everyScaleOfAScenarioShowsTheSameColumnsAndIdsStayDistinct() throws {
    let r = try Self.run(80, ["compare", "--scenario", "conversation-history"])
    let headers = r.stdout.split(separator: "\n").filter { $0.contains("#  option") }
    #expect(headers.count == 4)
    #expect(Set(headers).count == 1, "\(headers)")
    let narrow = try Self.run(
      60, ["compare", "--scenario", "conversation-history", "--scales", "1"])
    let ids = narrow.stdout.split(separator: "\n").compactMap { line -> String? in
      let f = line.split(separator: " ")
      guard f.count > 2, Int(f[0]) != nil else { return nil }
      return String(f[1])
    }
    #expect(ids.count == 15, "\(narrow.stdout)")
    #expect(Set(ids).count == ids.count, "\(ids)")
    #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 })
  }
}

/// A rule between two fields went unreported when another field of the workload was wrong too: the parse stopped
/// at the first error, and the schema cannot state "afterDays ≤ retentionDays".
struct CrossFieldErrorTests {
  @Test func aRuleBetweenFieldsIsReportedBesideAnotherError() throws {
    let box = try Sandbox()
    let path = "scenarios/ops-review-results.json"
    let text = try #require(box.read(path))
    #expect(text.contains(#""keyBytes": 64"#) && text.contains(#""retentionDays": 90"#))
    try box.write(
      path,
      text.replacingOccurrences(of: #""keyBytes": 64"#, with: #""keyBytes": -5"#)
        .replacingOccurrences(
          of: #""retentionDays": 90"#,
          with:
            #""retentionDays": 90, "archive": { "afterDays": 120, "storageClass": "glacier-ir" }"#))
    let r = box.run(["lint"])
    #expect(r.code == 65)
    #expect(
      r.stderr.contains("workload.keyBytes: expected an integer ≥ 0, found -5"), "\(r.stderr)")
    #expect(
      r.stderr.contains(
        "workload.archive.afterDays: expected at most retentionDays (90): the hot copy is deleted before it would be archived, found 120"
      ), "\(r.stderr)")
    // Alone, it is the one error, reported once.
    try box.write(
      path,
      text.replacingOccurrences(
        of: #""retentionDays": 90"#,
        with: #""retentionDays": 90, "archive": { "afterDays": 120, "storageClass": "glacier-ir" }"#
      ))
    let alone = box.run(["lint"])
    #expect(alone.code == 65)
    #expect(
      alone.stderr.components(separatedBy: "workload.archive.afterDays").count == 2,
      "\(alone.stderr)")
  }
}
