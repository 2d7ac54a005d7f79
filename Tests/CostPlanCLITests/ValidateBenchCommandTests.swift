import Foundation
import Testing

@testable import CostPlanCLI

struct ValidateCommandTests {
  @Test func shippedScenariosPassAndTheReportIsWritten() throws {
    let box = try Sandbox()
    let r = box.run(["validate", "--entities", "5", "--out", "out/validation.md"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains("## conversation-history") && r.stdout.contains("## ops-review-results"))
    #expect(r.stdout.contains("Every row is within its tolerance."))
    #expect(box.read("out/validation.md") == r.stdout)
    // Every option of both scenarios has a table.
    for id in [
      "s3", "s3-cache", "s3-lambda-cache", "dynamodb", "dynamodb-list-append", "elasticache",
      "aurora-autopause",
    ] {
      #expect(r.stdout.contains("### \(id) — "), "\(id)")
    }
  }

  @Test func aRowOutsideToleranceExits1() throws {
    let box = try Sandbox()
    try box.write(
      "scenarios/fat-keys.json",
      """
      {"version": 1, "name": "fat-keys", "title": "t", "provider": "aws", "region": "us-east-1", "scales": [1],
       "workload": {"entitiesPerMonth": 100, "recordsPerEntity": 5, "recordBytes": 2048, "keyBytes": 3000},
       "options": [{"id": "ddb", "service": "dynamodb"}]}
      """)
    let r = box.run(["validate", "--scenario", "fat-keys"])
    #expect(r.code == 1)
    #expect(r.stdout.contains("OUTSIDE") && r.stderr.contains("outside tolerance: ddb"))
  }

  @Test func badValues() throws {
    let box = try Sandbox()
    for (args, text) in [
      (["validate", "--entities", "0"], "--entities"),
      (["validate", "--scenario", "nope"], "no such scenario"),
      (["validate", "--entities", "many"], "--entities"),
    ] {
      let r = box.run(args)
      #expect(r.code == 64 && r.stderr.contains(text), "\(args): \(r.stderr)")
    }
    try box.write("scenarios/broken.json", "{\"version\": 1, \"name\": ")
    let r = box.run(["validate", "--scenario", "broken"])
    #expect(r.code == 65 && r.stderr.contains("scenarios/broken.json:1:"))
  }
}

struct BenchCommandTests {
  @Test func memoryAndFileBackendsReportPercentiles() throws {
    let box = try Sandbox()
    let json = box.run(["bench", "--backend", "memory:", "--operations", "300", "--format", "json"])
    #expect(json.code == 0, "\(json.stderr)")
    let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
    let ops = obj["operations"] as! [String: [String: Any]]
    #expect((ops["append"]!["count"] as! Int) + (ops["load"]!["count"] as! Int) == 300)
    let table = box.run([
      "bench", "--backend", "file:bench-store", "--operations", "60", "--scenario",
      "ops-review-results",
    ])
    #expect(table.code == 0, "\(table.stderr)")
    #expect(
      table.stdout.contains("p99.9 ms") && table.stdout.contains("append")
        && table.stdout.contains("closed loop"))
    #expect(box.exists("bench-store/FORMAT"))
    let open = box.run(["bench", "--backend", "memory:", "--operations", "50", "--rate", "5000"])
    #expect(
      open.code == 0 && open.stdout.contains("open loop") && open.stdout.contains("intended start"))
  }

  @Test func badBenchArguments() throws {
    let box = try Sandbox()
    let cases: [([String], Int32, String)] = [
      (["bench"], 64, "Missing '--backend <url>'"),
      (["bench", "--backend", "redis-ish:x"], 64, "unknown scheme"),
      (["bench", "--backend", "memory:", "--operations", "0"], 64, "--operations"),
      (["bench", "--backend", "memory:", "--operations", "2.5"], 64, "--operations"),
      (["bench", "--backend", "memory:", "--rate", "-1"], 64, "--rate"),
      (["bench", "--backend", "memory:", "--format", "xml"], 64, "--format"),
      (["bench", "--backend", "file:/proc/nope"], 74, "cannot"),
    ]
    for (args, code, text) in cases {
      let r = box.run(args)
      #expect(r.code == code && r.stderr.contains(text), "\(args): \(r.code) \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(args)")
    }
  }
}
