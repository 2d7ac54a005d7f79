import Foundation
import Testing

/// `reports/.costplan-manifest`: report removes the reports of a deleted scenario, and --check flags them.
struct ReportManifestTests {
  @Test func aDeletedScenariosReportsAreFlaggedThenRemoved() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    let manifest = try #require(box.read("out/.costplan-manifest"))
    #expect(manifest.contains("\nops-review-results.html\n") && manifest.contains("\nsummary.csv\n"))
    try box.write("out/notes.txt", "a file report did not write\n")

    try FileManager.default.removeItem(atPath: box.root + "/scenarios/ops-review-results.json")
    let check = box.run(["report", "--check", "--out", "out"])
    #expect(check.code == 1)
    #expect(check.stderr.contains("out/ops-review-results.md: stale (its scenario no longer exists)"), "\(check.stderr)")
    #expect(box.exists("out/ops-review-results.md"), "--check writes and removes nothing")

    let write = box.run(["report", "--out", "out"])
    #expect(write.code == 0)
    #expect(write.stdout.contains("removed 4 stale"), "\(write.stdout)")
    for ext in [".md", ".csv", ".html", "-cost.svg"] { #expect(!box.exists("out/ops-review-results" + ext), "\(ext)") }
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

/// `lint --max-age DAYS`: a rate table whose effectiveDate is older than that fails lint (the monthly price
/// refresh runs it with 365, so prices nobody refreshed do not linger).
struct LintMaxAgeTests {
  @Test func staleTablesFailAndFreshOnesPass() throws {
    let box = try Sandbox()
    let path = "pricing/aws/us-east-1/s3.json"
    let text = try #require(box.read(path))
    let date = try #require(text.range(of: #""effectiveDate": "\d{4}-\d{2}-\d{2}""#, options: .regularExpression))
    try box.write(path, text.replacingCharacters(in: date, with: #""effectiveDate": "2000-01-01""#))
    #expect(box.run(["lint", "--max-age", "36500"]).code == 0)
    let r = box.run(["lint", "--max-age", "365"])
    #expect(r.code == 65)
    let line = text[..<date.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
    #expect(r.stderr.contains("s3.json:\(line):"), "\(r.stderr)")
    #expect(r.stderr.contains("effectiveDate: the table is effective 2000-01-01"), "\(r.stderr)")
    #expect(box.run(["lint"]).code == 0, "without --max-age, age is not checked")
    for bad in ["0", "-3", "1.5", "days", "99999999999999999999"] {
      #expect(box.run(["lint", "--max-age", bad]).code == 64, "\(bad)")
    }
  }
}
