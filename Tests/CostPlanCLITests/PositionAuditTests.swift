import Foundation
import Testing

@testable import CostPlanCLI

/// Errors found after a file has parsed (a rate folder that is missing, a table filed under another region, an
/// operation the latency table lacks, a scenario name used twice) still name file:line:column: they were the ones
/// left without a position when every node of the shipped scenarios and rate tables was mutated (deleted, retyped,
/// renamed) and `lint` and `compare` were run on each mutant.
@Suite(.serialized) struct PositionAuditTests {
  /// Replaces the first occurrence of `old` in a sandbox file.
  func edit(_ box: Sandbox, _ file: String, _ old: String, _ new: String) throws {
    let text = try #require(box.read(file))
    let range = try #require(text.range(of: old), "\(old) not in \(file)")
    try box.write(file, text.replacingCharacters(in: range, with: new))
  }

  @Test func aProviderWithoutRateTablesIsReportedAtTheScenariosProvider() throws {
    let box = try Sandbox()
    // "provider" is on line 11 of the shipped scenario; its value starts at column 15 (`  "provider": "aws"`).
    try edit(
      box, "scenarios/conversation-history.json", #""provider": "aws""#, #""provider": "gcp""#)
    for args in [["lint"], ["compare", "--scenario", "conversation-history", "--samples", "1"]] {
      let r = box.run(args)
      #expect(r.code == 65, "\(args)")
      #expect(
        r.stderr.contains(
          "conversation-history.json:11:15: error: provider: no rate tables for provider \"gcp\" and region \"us-east-1\""
        ), "\(args): \(r.stderr)")
      #expect(r.stdout.isEmpty)
    }
  }

  @Test func aRegionWithoutRateTablesIsReportedAtTheScenariosRegion() throws {
    let box = try Sandbox()
    // The provider's folder exists, so the region is what is wrong: line 12, column 13 (`  "region": "…"`).
    try edit(
      box, "scenarios/conversation-history.json", #""region": "us-east-1""#,
      #""region": "eu-west-9""#)
    let r = box.run(["compare", "--scenario", "conversation-history", "--samples", "1"])
    #expect(r.code == 65)
    #expect(
      r.stderr.contains("conversation-history.json:12:13: error: region: no rate tables"),
      "\(r.stderr)")
  }

  @Test func aTableFiledUnderAnotherRegionIsReportedAtItsRegion() throws {
    let box = try Sandbox()
    // s3.json says "region" on line 6; the value starts at column 13.
    try edit(
      box, "pricing/aws/us-east-1/s3.json", #""region": "us-east-1""#, #""region": "us-west-2""#)
    let r = box.run(["lint"])
    #expect(r.code == 65)
    #expect(
      r.stderr.contains(
        "s3.json:6:13: error: region: the table says provider \"aws\", region \"us-west-2\" but lives in"
      ),
      "\(r.stderr)")
  }

  @Test func aTableOfAnotherProviderIsReportedAtItsProvider() throws {
    let box = try Sandbox()
    // "provider" on line 4 of s3.json, value at column 15.
    try edit(box, "pricing/aws/us-east-1/s3.json", #""provider": "aws""#, #""provider": "azure""#)
    let r = box.run(["lint"])
    #expect(r.code == 65)
    #expect(
      r.stderr.contains("s3.json:4:15: error: provider: the table says provider \"azure\""),
      "\(r.stderr)")
  }

  @Test func aMissingLatencyOperationIsReportedAtTheOperationsArray() throws {
    let box = try Sandbox()
    // Drop the last operation, aurora.resume, which option aurora-autopause needs. "operations" is on line 5 of
    // latency.json, its array at column 17 (`  "operations": [`).
    let text = try #require(box.read("pricing/aws/us-east-1/latency.json"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let at = try #require(lines.firstIndex { $0.contains(#""id": "aurora.resume""#) })
    var kept = Array(lines[..<at]) + lines[(at + 3)...]
    // The operation before it loses its trailing comma.
    kept[at - 1] = Substring(String(kept[at - 1]).replacingOccurrences(of: "},", with: "}"))
    try box.write("pricing/aws/us-east-1/latency.json", kept.joined(separator: "\n"))
    let r = box.run(["compare", "--scenario", "conversation-history", "--samples", "1"])
    #expect(r.code == 65)
    #expect(
      r.stderr.contains(
        "latency.json:5:17: error: operations: missing operation \"aurora.resume\", which option \"aurora-autopause\""
      ), "\(r.stderr)")
  }

  @Test func aScenarioNameUsedTwiceIsReportedAtTheName() throws {
    let box = try Sandbox()
    let text = try #require(box.read("scenarios/conversation-history.json"))
    try box.write("scenarios/zz-copy.json", text)
    // "name" is on line 4 of the copy too, its value at column 11.
    let r = box.run(["lint"])
    #expect(r.code == 65)
    #expect(
      r.stderr.contains(
        "zz-copy.json:4:11: error: name: scenario name \"conversation-history\" is also used by"),
      "\(r.stderr)")
  }
}
