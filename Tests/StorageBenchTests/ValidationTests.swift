import CostModel
import Foundation
import Testing

@testable import StorageBench
@testable import StorageKit

struct ValidationTests {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  func run(_ scenarioFile: String, entities: Int = 10) throws -> [OptionValidation] {
    let s = try Scenario.load(path: scenarioFile)
    let book = try RateBook.load(
      pricingRoot: Self.root + "/pricing", provider: s.provider, region: s.region)
    let work = NSTemporaryDirectory() + "costplan-validation-test-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: work) }
    return try Validation(scenario: s, book: book, entities: entities, workDir: work).run()
  }

  @Test func shippedScenariosAgreeWithTheModel() throws {
    for name in ["conversation-history", "ops-review-results"] {
      let results = try run(Self.root + "/scenarios/\(name).json")
      #expect(!results.isEmpty)
      for o in results {
        #expect(
          o.passes, "\(name)/\(o.optionId): \(o.rows.filter { $0.passes == false }.map(\.quantity))"
        )
        #expect(o.rows.contains { $0.passes == true }, "\(name)/\(o.optionId) checked nothing")
      }
    }
  }

  @Test func aWrongAssumptionIsCaught() throws {
    // keyBytes 3000 claims 3 KB of key and metadata per record: the model's items are then 3000 + 2048 = 5048
    // bytes (5 WRU) while the store builds ~2.1 KB items (3 WRU); bytes and write units fall outside tolerance.
    let dir = NSTemporaryDirectory() + "costplan-validation-bad-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let text = """
      {"version": 1, "name": "fat-keys", "title": "t", "provider": "aws", "region": "us-east-1", "scales": [1],
       "workload": {"entitiesPerMonth": 100, "recordsPerEntity": 5, "recordBytes": 2048, "keyBytes": 3000, "loadsPerRecord": 1},
       "options": [{"id": "ddb", "service": "dynamodb"}]}
      """
    try text.write(toFile: dir + "/fat-keys.json", atomically: true, encoding: .utf8)
    let results = try run(dir + "/fat-keys.json")
    let ddb = try #require(results.first)
    #expect(!ddb.passes)
    let wru = try #require(ddb.rows.first { $0.quantity.hasPrefix("write request units") })
    #expect(wru.model == 5 && wru.measured == 3 && wru.verdict == "OUTSIDE")
  }
}
