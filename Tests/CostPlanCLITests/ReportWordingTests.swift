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
