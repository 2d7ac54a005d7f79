import Foundation
import Testing

/// `reports/.costplan-manifest`: report removes the reports of a deleted scenario, and --check flags them.
struct ReportManifestTests {
  @Test func aDeletedScenariosReportsAreFlaggedThenRemoved() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    let manifest = try #require(box.read("out/.costplan-manifest"))
    #expect(
      manifest.contains("\nops-review-results.html\n") && manifest.contains("\nsummary.csv\n"))
    try box.write("out/notes.txt", "a file report did not write\n")

    try FileManager.default.removeItem(atPath: box.root + "/scenarios/ops-review-results.json")
    let check = box.run(["report", "--check", "--out", "out"])
    #expect(check.code == 1)
    #expect(
      check.stderr.contains("out/ops-review-results.md: stale (its scenario no longer exists)"),
      "\(check.stderr)")
    #expect(box.exists("out/ops-review-results.md"), "--check writes and removes nothing")

    let write = box.run(["report", "--out", "out"])
    #expect(write.code == 0)
    #expect(write.stdout.contains("removed 5 stale"), "\(write.stdout)")
    for ext in [".md", ".csv", ".html", "-cost.svg", "-tornado.svg"] {
      #expect(!box.exists("out/ops-review-results" + ext), "\(ext)")
    }
    #expect(box.exists("out/conversation-history.md") && box.exists("out/notes.txt"))
    #expect(!(box.read("out/.costplan-manifest") ?? "").contains("ops-review"))
    #expect(box.run(["report", "--check", "--out", "out"]).code == 0)
  }

  @Test func aManifestNeverLeadsOutsideItsFolder() throws {
    let box = try Sandbox()
    try box.write("keep.txt", "outside\n")
    try box.write("out/.costplan-manifest", "../keep.txt\n/etc/passwd\nold.md\n")
    try box.write("out/old.md", "stale\n")
    #expect(box.run(["report", "--out", "out"]).code == 0)
    #expect(box.exists("keep.txt") && !box.exists("out/old.md"))
  }
}

/// `report --no-sampling`: point reports without the sampled sections; refused with --check, which compares with
/// the sampled reports.
struct ReportNoSamplingTests {
  @Test func pointReportsLeaveOutTheSampledSections() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "full"]).code == 0)
    #expect(box.run(["report", "--no-sampling", "--out", "point"]).code == 0)
    let full = try #require(box.read("full/conversation-history.md"))
    let point = try #require(box.read("point/conversation-history.md"))
    // The chat scenario samples 10,000 draws: its full report says so, its point report does not.
    #expect(full.contains("10,000 draws") || full.contains("10000 draws"), "\(full.prefix(400))")
    #expect(!point.contains("10,000 draws") && !point.contains("10000 draws"))
    #expect(point.count < full.count)
    // The point figures are the same: the recommendation line at the first scale is in both.
    let firstRow = try #require(point.split(separator: "\n").first { $0.hasPrefix("| 1× |") })
    #expect(full.contains(firstRow), "\(firstRow)")

    let refused = box.run(["report", "--check", "--no-sampling", "--out", "full"])
    #expect(refused.code == 64)
    #expect(
      refused.stderr.contains("'--no-sampling' cannot be used with '--check'"), "\(refused.stderr)")
    #expect(box.run(["report", "--check", "--out", "full"]).code == 0)
  }
}

/// `lint --max-age DAYS`: a rate table whose effectiveDate is older than that fails lint (the monthly price
/// refresh runs it with 365, so prices nobody refreshed do not linger).
struct LintMaxAgeTests {
  @Test func staleTablesFailAndFreshOnesPass() throws {
    let box = try Sandbox()
    let path = "pricing/aws/us-east-1/s3.json"
    let text = try #require(box.read(path))
    let date = try #require(
      text.range(of: #""effectiveDate": "\d{4}-\d{2}-\d{2}""#, options: .regularExpression))
    try box.write(path, text.replacingCharacters(in: date, with: #""effectiveDate": "2000-01-01""#))
    #expect(box.run(["lint", "--max-age", "36500"]).code == 0)
    let r = box.run(["lint", "--max-age", "365"])
    #expect(r.code == 65)
    let line = text[..<date.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
      .count
    #expect(r.stderr.contains("s3.json:\(line):"), "\(r.stderr)")
    #expect(r.stderr.contains("effectiveDate: the table is effective 2000-01-01"), "\(r.stderr)")
    #expect(box.run(["lint"]).code == 0, "without --max-age, age is not checked")
    for bad in ["0", "-3", "1.5", "days", "99999999999999999999"] {
      #expect(box.run(["lint", "--max-age", bad]).code == 64, "\(bad)")
    }
  }
}

/// `pricing diff` when AWS retires a node type a scenario names: a finding, with the rate diff still printed.
struct PricingDiffRetiredRateTests {
  @Test func anOptionTheNewTablesCannotPriceIsAFinding() throws {
    let box = try Sandbox()
    try FileManager.default.copyItem(atPath: box.root + "/pricing", toPath: box.root + "/new")
    let path = "new/aws/us-east-1/elasticache.json"
    let text = try #require(box.read(path))
    let doc = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    var table = doc
    table["rates"] = (doc["rates"] as! [[String: Any]]).filter {
      !(($0["id"] as? String) ?? "").contains("cache.t4g.micro")
    }
    try box.write(
      path,
      String(
        decoding: try JSONSerialization.data(
          withJSONObject: table, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
    let md = box.run(["pricing", "diff", "pricing", "new"])
    #expect(md.code == 0, "\(md.stderr)")
    #expect(md.stdout.contains("### Options the new tables cannot price"))
    #expect(
      md.stdout.contains(
        "- conversation-history: `elasticache`: unknown node type \"cache.t4g.micro\""),
      "\(md.stdout.prefix(3000))")
    #expect(
      md.stdout.contains("`node:cache.t4g.micro:valkey` | 0.0128 per hour | (none) | removed"))
    // Options that can still be priced are compared as usual; the lost one has no total row.
    #expect(md.stdout.contains("`elasticache-cluster`") && !md.stdout.contains("| `elasticache` |"))
    let csv = box.run(["pricing", "diff", "pricing", "new", "--format", "csv"])
    #expect(csv.code == 0)
    #expect(
      csv.stdout.contains("\nunpriceable,,,conversation-history,,elasticache,,\"unknown node type"))
  }
}
