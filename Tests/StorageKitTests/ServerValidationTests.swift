import CostModel
import Foundation
import Testing

@testable import StorageBench
@testable import StorageKit

/// `costplan validate --backend redis://… --backend postgres://…` on real servers: docs/model.md's memory and disk
/// overhead defaults (perRecordOverheadBytes 400, rowOverheadBytes 850) against what the servers report.
@Suite(
  .serialized,
  .enabled(
    if: RedisServer.usable && PostgresServer.usable, "redis-server or PostgreSQL is not installed"))
struct ServerValidationTests {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  @Test func memoryAndDiskOverheadsMatchTheModelDefaults() throws {
    let redis = try RedisServer()
    let pg = try PostgresServer()
    var s = try Scenario.load(path: Self.root + "/scenarios/conversation-history.json")
    // The defaults were measured for 2 KB messages (the seed's size); the scenario now gives the size as a range
    // (512 B to 4 KB, median 1,448 B), and the servers' per-record overhead depends on the record's size.
    s.workload.recordBytes = 2048
    let book = try RateBook.load(
      pricingRoot: Self.root + "/pricing", provider: s.provider, region: s.region)
    let v = Validation(scenario: s, book: book, entities: 60, workDir: NSTemporaryDirectory())
    for url in [redis.url, pg.url()] {
      for option in s.options where Validation.serves(url, option) {
        let result = try v.validateOnServer(option, url: url)
        let overhead = try #require(result.rows.first)
        #expect(
          overhead.passes == true,
          "\(option.id): model \(overhead.model ?? 0), measured \(overhead.measured ?? 0)")
        #expect(result.rows.allSatisfy { $0.passes != false })
        #expect(!result.backend.contains(redis.password) && !result.backend.contains(pg.password))
      }
    }
    // The data went under a fresh prefix / table and is gone afterwards.
    let check = try RedisStore(url: redis.url + "?prefix=costplan-validate-")
    #expect(try check.storedRecords() == 0)
  }
}

/// Runs every option of both shipped scenarios that `url` serves through `validateOnServer`, recording any row
/// outside tolerance as an issue; returns what it ran. Credentials come from the standard variables, as in
/// `costplan validate`; moto accepts any (signature checking is off here).
func validateShippedScenarios(on url: String) throws -> [(option: String, result: OptionValidation)]
{
  setenv("AWS_ACCESS_KEY_ID", testCredentials.accessKeyId, 1)
  setenv("AWS_SECRET_ACCESS_KEY", testCredentials.secretAccessKey, 1)
  var out: [(String, OptionValidation)] = []
  for name in ["conversation-history", "ops-review-results"] {
    let s = try Scenario.load(path: ServerValidationTests.root + "/scenarios/\(name).json")
    let book = try RateBook.load(
      pricingRoot: ServerValidationTests.root + "/pricing", provider: s.provider, region: s.region)
    let v = Validation(scenario: s, book: book, entities: 12, workDir: NSTemporaryDirectory())
    for option in s.options where Validation.serves(url, option) {
      let result = try v.validateOnServer(option, url: url)
      for row in result.rows where row.passes == false {
        Issue.record(
          "\(name)/\(option.id): \(row.quantity): model \(row.model ?? -1), measured \(row.measured ?? -1)"
        )
      }
      out.append(("\(name)/\(option.id)", result))
    }
  }
  return out
}

/// `costplan validate --backend s3://…` on moto: S3 requests per record by API call and bytes per object against
/// docs/model.md, for both layouts and the in-process cache.
@Suite(.serialized, .enabled(if: MotoServer.usable, "moto_server is not installed"))
struct S3ServerValidationTests {
  @Test func requestsAndBytesMatchTheModelOnTheS3API() throws {
    let moto = try MotoServer()
    let runs = try validateShippedScenarios(
      on: "s3://costplan-validate?endpoint=\(moto.endpoint)&create=true")
    // s3 and s3-cache of the conversation, s3 of the ops review (the Lambda-fleet cache is simulated, not run).
    #expect(
      runs.map(\.option) == [
        "conversation-history/s3", "conversation-history/s3-cache", "ops-review-results/s3",
      ])
    for (option, result) in runs {
      #expect(result.rows.filter { $0.passes == true }.count >= 3, "\(option)")
      #expect(result.requests["PUT"] > 0)
    }
    let probe = try S3Store(
      bucket: "costplan-validate", endpoint: moto.endpoint, region: "us-east-1",
      layout: .objectPerRecord, prefix: "",
      credentials: testCredentials)
    #expect(try probe.storedBytes() == 0)  // every object of the runs deleted
  }
}

/// `costplan validate --backend dynamodb://…` on moto: requests and costplan's request units per record against
/// docs/model.md, the server's ConsumedCapacity kept beside them as information (moto's figures are fixed).
@Suite(.serialized, .enabled(if: MotoServer.usable, "moto_server is not installed"))
struct DynamoServerValidationTests {
  @Test func requestsUnitsAndBytesMatchTheModelOnTheDynamoDBAPI() throws {
    let moto = try MotoServer()
    let runs = try validateShippedScenarios(on: "dynamodb://costplan?endpoint=\(moto.endpoint)")
    // Every DynamoDB option, also those billed by provisioned capacity, Standard-IA or a savings plan: they consume
    // the same request units as the on-demand Standard table.
    #expect(
      runs.map(\.option) == [
        "conversation-history/dynamodb", "conversation-history/dynamodb-list-append",
        "conversation-history/dynamodb-provisioned", "conversation-history/dynamodb-reserved",
        "conversation-history/dynamodb-savings-plan",
        "ops-review-results/dynamodb", "ops-review-results/dynamodb-standard-ia",
      ])
    for (option, result) in runs {
      #expect(result.rows.filter { $0.passes == true }.count == 4, "\(option)")
      #expect(
        result.rows.contains { $0.quantity.contains("server reported") && ($0.measured ?? 0) > 0 })
    }
  }
}
