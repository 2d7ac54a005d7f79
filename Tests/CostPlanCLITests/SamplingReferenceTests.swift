import Foundation
import Testing

/// costplan against an independent NumPy implementation of the model (scripts/sampling_reference.py, written
/// from docs/model.md, not from these sources): the point model on the shipped scenarios and the fixtures in
/// Tests/Fixtures/sampling (cost to 1e-9 relative, latency to 0.1%), and the sampling (§10) on a small scenario
/// at 20,000 draws (percentiles within 2%, or within the reference's sampling band where a jump or a steep part
/// makes 2% smaller than the noise; win, cheapest and feasible shares within 0.02). The two use different
/// generators, so the sampled check is statistical; with fixed seeds it is deterministic. Without python3 and
/// NumPy the suite is skipped with the reason, unless `COSTPLAN_REQUIRE_SERVERS=1` (CI), where it fails.
enum NumPyReference {
  static let required = ProcessInfo.processInfo.environment["COSTPLAN_REQUIRE_SERVERS"] == "1"
  static let script = repoRoot + "/scripts/sampling_reference.py"
  static let available: Bool = (try? python(["-c", "import numpy"]).code) == 0
  static var usable: Bool { available || required }

  /// Runs `python3 args…` (python3 from PATH) in a directory that exists; returns its exit code and output.
  static func python(_ args: [String]) throws -> (code: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3"] + args
    // An explicit directory: the CLI tests run in-process and change the process's directory to sandboxes they
    // then delete.
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self))
  }

  /// The reference's check of costplan's JSON output (written to a file in `box`); returns its exit code and
  /// report.
  static func check(
    _ box: Sandbox, scenario: String, costplanJSON: String, mode: String, extra: [String] = []
  ) throws -> (code: Int32, out: String) {
    let file = box.root + "/costplan-output.json"
    try costplanJSON.write(toFile: file, atomically: true, encoding: .utf8)
    return try python(
      [script, "--scenario", scenario, "--pricing", box.root + "/pricing", mode, file] + extra)
  }
}

@Suite(
  .serialized,
  .enabled(
    if: NumPyReference.usable,
    "python3 with NumPy is not installed (pip install numpy; set COSTPLAN_REQUIRE_SERVERS=1 to fail instead)"
  )
)
struct SamplingReferenceTests {
  /// A small scenario with a few ranges (moderate ones, so that 2% is above the sampling noise of most
  /// percentiles at 20,000 draws) and options whose win and cheapest shares are neither 0 nor 1 everywhere.
  static let scenario = """
    {
      "version": 1,
      "name": "sampling-reference",
      "provider": "aws",
      "region": "us-east-1",
      "scales": [12, 300],
      "workload": {
        "entitiesPerMonth": { "low": 2000, "high": 6000 },
        "recordsPerEntity": 8,
        "recordBytes": { "low": 1000, "high": 3000 },
        "loadsPerRecord": { "low": 1, "high": 3 },
        "entityLifetimeMinutes": 20,
        "peakToAverage": { "low": 2, "high": 5 },
        "retentionDays": 14
      },
      "options": [
        { "id": "s3-cache", "service": "s3", "cache": { "hitRatio": { "low": 0.7, "high": 0.95 } } },
        { "id": "dynamodb", "service": "dynamodb" },
        { "id": "dynamodb-provisioned", "service": "dynamodb", "capacity": "provisioned" },
        { "id": "valkey", "service": "elasticache", "nodeType": "auto", "shards": "auto",
          "perRecordOverheadBytes": { "low": 300, "high": 500 } },
        { "id": "aurora-pause", "service": "aurora-serverless-v2", "minACU": 0,
          "queriesPerSecondPerACU": { "low": 150, "high": 400 } }
      ]
    }
    """

  @Test func sampledPercentilesAndSharesAgreeWithTheNumPyReference() throws {
    let box = try Sandbox()
    try box.write("scenarios/sampling-reference.json", Self.scenario)
    let cp = box.run([
      "compare", "--scenario", "scenarios/sampling-reference.json", "--samples", "20000", "--seed",
      "7", "--format", "json",
    ])
    try #require(cp.code == 0, "\(cp.stderr)")
    let r = try NumPyReference.check(
      box, scenario: box.root + "/scenarios/sampling-reference.json", costplanJSON: cp.stdout,
      mode: "--check-sampled", extra: ["--samples", "20000", "--seed", "7"])
    #expect(r.code == 0, "\(r.out)")
    #expect(r.out.contains("0 violation(s)"), "\(r.out)")
  }

  @Test(arguments: [
    "scenarios/conversation-history.json", "scenarios/ops-review-results.json",
    "Tests/Fixtures/sampling/kinds-a.json", "Tests/Fixtures/sampling/kinds-b.json",
    "Tests/Fixtures/sampling/kinds-c.json",
  ])
  func pointModelAgreesWithTheNumPyReference(_ scenario: String) throws {
    let box = try Sandbox()
    // One draw: a scenario's uncertainty block would otherwise sample (slow in a debug build); the point
    // figures are the same either way.
    let cp = box.run([
      "compare", "--scenario", repoRoot + "/" + scenario, "--samples", "1", "--format", "json",
    ])
    try #require(cp.code == 0, "\(cp.stderr)")
    let r = try NumPyReference.check(
      box, scenario: repoRoot + "/" + scenario, costplanJSON: cp.stdout, mode: "--check-point")
    #expect(r.code == 0, "\(r.out)")
    #expect(r.out.contains("point model vs costplan"), "\(r.out)")
  }
}
