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
