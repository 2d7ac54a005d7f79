import CostModel
import Foundation
import Testing

@testable import StorageBench
@testable import StorageKit

/// `costplan validate --backend redis://… --backend postgres://…` on real servers: MODEL.md's memory and disk
/// overhead defaults (perRecordOverheadBytes 400, rowOverheadBytes 850) against what the servers report.
@Suite(.serialized, .enabled(if: RedisServer.usable && PostgresServer.usable, "redis-server or PostgreSQL is not installed"))
struct ServerValidationTests {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  @Test func memoryAndDiskOverheadsMatchTheModelDefaults() throws {
    let redis = try RedisServer()
    let pg = try PostgresServer()
    let s = try Scenario.load(path: Self.root + "/scenarios/conversation-history.json")
    let book = try RateBook.load(pricingRoot: Self.root + "/pricing", provider: s.provider, region: s.region)
    let v = Validation(scenario: s, book: book, entities: 60, workDir: NSTemporaryDirectory())
    for url in [redis.url, pg.url()] {
      for option in s.options where Validation.serves(url, option) {
        let result = try v.validateOnServer(option, url: url)
        let overhead = try #require(result.rows.first)
        #expect(overhead.passes == true, "\(option.id): model \(overhead.model ?? 0), measured \(overhead.measured ?? 0)")
        #expect(result.rows.allSatisfy { $0.passes != false })
        #expect(!result.backend.contains(redis.password) && !result.backend.contains(pg.password))
      }
    }
    // The data went under a fresh prefix / table and is gone afterwards.
    let check = try RedisStore(url: redis.url + "?prefix=costplan-validate-")
    #expect(try check.storedRecords() == 0)
  }
}
