import Foundation
import Testing

@testable import StorageKit

/// `timeout=` bounds a whole store operation, retries and reconnects included. It bounded each socket read: a
/// server trickling a valid reply one byte per 200 ms held a load for as long as it liked, and a silent one for
/// the timeout once per retry (5 attempts with backoff).
@Suite(.serialized)
struct DeadlineTests {
  /// The operation fails with a `.timeout` error (exit 69 in the CLI) between `timeout` and `timeout` + 1 s.
  static func expectUnavailableWithin(
    _ timeout: Double, _ what: String, _ operation: () throws -> Void
  ) {
    let started = Date()
    do {
      try operation()
      Issue.record("\(what): no error")
    } catch let e as StoreError {
      #expect(
        e.code == .timeout
          && e.message.contains("the operation's timeout of \(Int(timeout)) s"), "\(what): \(e)")
    } catch {
      Issue.record("\(what): \(error)")
    }
    let took = Date().timeIntervalSince(started)
    #expect(took < timeout + 1 && took > timeout - 0.5, "\(what): \(took) s")
  }

  /// A valid HTTP reply, padded so that at one byte per 200 ms it takes about 20 s.
  static let slowHTTPReply = Array(
    ("HTTP/1.1 404 Not Found\r\nX-Pad: " + String(repeating: "a", count: 60)
      + "\r\nContent-Length: 0\r\n\r\n").utf8)

  static func trickleHTTP() throws -> ScriptedServer {
    try ScriptedServer { p in
      guard p.read(atLeast: 1) else { return }
      p.trickle(slowHTTPReply, every: 0.2)
    }
  }

  static func silent() throws -> ScriptedServer { try ScriptedServer { $0.hold() } }

  static func s3(_ server: ScriptedServer) throws -> S3Store {
    try S3Store(
      bucket: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .objectPerEntity,
      credentials: testCredentials, timeoutSeconds: 2)
  }

  @Test func s3LoadFromATricklingServer() throws {
    let server = try Self.trickleHTTP()
    defer { server.stop() }
    let s = try Self.s3(server)
    Self.expectUnavailableWithin(2, "trickling") { _ = try s.load(entity: "e", since: nil) }
  }

  @Test func s3AppendToASilentServerRetriesNoLongerThanTheTimeout() throws {
    let server = try Self.silent()
    defer { server.stop() }
    let s = try Self.s3(server)
    Self.expectUnavailableWithin(2, "silent") {
      _ = try s.append(entity: "e", body: text("x"), at: 1)
    }
  }

  @Test func dynamoLoadFromATricklingServer() throws {
    let server = try Self.trickleHTTP()
    defer { server.stop() }
    let s = try DynamoStore(
      table: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .itemPerRecord,
      credentials: testCredentials, timeoutSeconds: 2)
    Self.expectUnavailableWithin(2, "trickling") { _ = try s.load(entity: "e", since: nil) }
  }

  @Test func retriesStopAtTheDeadline() throws {
    // Throttled every time, with real backoff: the retries stop when the operation's time is up.
    let reply = AWSClientRetryTests.slowDown
    let server = try ScriptedServer { p in
      guard p.read(atLeast: 1) else { return }
      usleep(700_000)
      p.send(reply)
    }
    defer { server.stop() }
    let s = try S3Store(
      bucket: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .objectPerEntity,
      credentials: testCredentials, timeoutSeconds: 1)
    Self.expectUnavailableWithin(1, "throttled") { _ = try s.load(entity: "e", since: nil) }
  }

  @Test func redisLoadFromATricklingServer() throws {
    let reply = Array(("*1\r\n$60\r\n" + String(repeating: "a", count: 60) + "\r\n").utf8)
    let server = try ScriptedServer { p in
      guard p.read(atLeast: 1) else { return }
      p.trickle(reply, every: 0.2)
    }
    defer { server.stop() }
    let s = try RedisStore(url: "redis://127.0.0.1:\(server.port)/0?timeout=2")
    Self.expectUnavailableWithin(2, "trickling") { _ = try s.load(entity: "e", since: nil) }
  }

  /// A PostgreSQL server that answers startup and the schema at once, then every statement's reply (at Sync) one
  /// byte per 200 ms.
  static func tricklingPostgres() throws -> ScriptedServer {
    let notice = PGWire.message(
      "N", Array("SNOTICE\0M".utf8) + Array(repeating: UInt8(ascii: "a"), count: 60) + [0, 0])
    return try ScriptedServer { p in
      guard PGWire.readStartup(p), p.send(PGWire.auth(0) + PGWire.ready) else { return }
      while let m = PGWire.readMessage(p), m.type != "X" {
        if m.type == "Q" { p.send(PGWire.commandComplete("CREATE TABLE") + PGWire.ready) }
        if m.type == "S" { p.trickle(notice, every: 0.2) }
      }
    }
  }

  @Test func postgresLoadFromATricklingServer() throws {
    let server = try Self.tricklingPostgres()
    defer { server.stop() }
    let s = try PostgresStore(url: "postgres://alice@127.0.0.1:\(server.port)/db?timeout=2")
    Self.expectUnavailableWithin(2, "trickling") { _ = try s.load(entity: "e", since: nil) }
  }

  @Test func postgresConnectToATricklingServer() throws {
    let server = try ScriptedServer { p in
      guard PGWire.readStartup(p) else { return }
      p.trickle(
        PGWire.auth(0) + PGWire.message("S", Array(repeating: UInt8(ascii: "a"), count: 60))
          + PGWire.ready, every: 0.2)
    }
    defer { server.stop() }
    Self.expectUnavailableWithin(2, "trickling") {
      _ = try PostgresStore(url: "postgres://alice@127.0.0.1:\(server.port)/db?timeout=2")
    }
  }

  // MARK: expiry, the size queries and opening: one deadline each, like an append or a load

  /// The walks of a whole store (expiry, the size queries, Redis's INFO), each one operation.
  static func walk(_ s: RecordStore, _ what: String) throws {
    switch what {
    case "expire": _ = try s.expire(before: Int64.max)
    case "storedBytes": _ = try s.storedBytes()
    case "storedRecords": _ = try s.storedRecords()
    case "usedMemory": _ = try (s as! RedisStore).usedMemory()
    default: Issue.record("no walk named \(what)")
    }
  }

  @Test(arguments: ["expire", "storedBytes", "storedRecords", "usedMemory"])
  func redisWalkOfATricklingServer(_ what: String) throws {
    // Each read gets a byte well within the timeout; the reply (SCAN's, or anything) would take 16 s.
    let reply = Array(
      ("*2\r\n$1\r\n0\r\n*1\r\n$60\r\n" + String(repeating: "a", count: 60) + "\r\n").utf8)
    let server = try ScriptedServer { p in
      guard p.read(atLeast: 1) else { return }
      p.trickle(reply, every: 0.2)
    }
    defer { server.stop() }
    let s = try RedisStore(url: "redis://127.0.0.1:\(server.port)/0?timeout=2")
    Self.expectUnavailableWithin(2, what) { try Self.walk(s, what) }
  }

  @Test(arguments: ["expire", "storedBytes", "storedRecords"])
  func postgresWalkOfATricklingServer(_ what: String) throws {
    let server = try Self.tricklingPostgres()
    defer { server.stop() }
    let s = try PostgresStore(url: "postgres://alice@127.0.0.1:\(server.port)/db?timeout=2")
    Self.expectUnavailableWithin(2, what) { try Self.walk(s, what) }
  }

  @Test(arguments: ["expire", "storedBytes", "storedRecords"])
  func s3WalkOfASilentServer(_ what: String) throws {
    // ListObjectsV2 unanswered: with a timeout per read it was retried 5 times, 2 s each.
    let server = try Self.silent()
    defer { server.stop() }
    let s = try Self.s3(server)
    Self.expectUnavailableWithin(2, what) { try Self.walk(s, what) }
  }

  @Test func s3ExpiryWhileThrottledStopsAtTheDeadline() throws {
    let reply = AWSClientRetryTests.slowDown
    let server = try ScriptedServer { p in
      guard p.read(atLeast: 1) else { return }
      usleep(700_000)
      p.send(reply)
    }
    defer { server.stop() }
    let s = try S3Store(
      bucket: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .objectPerRecord, credentials: testCredentials, timeoutSeconds: 1)
    Self.expectUnavailableWithin(1, "throttled") { _ = try s.expire(before: Int64.max) }
  }

  @Test func s3BucketCreationOnASilentServer() throws {
    let server = try Self.silent()
    defer { server.stop() }
    Self.expectUnavailableWithin(2, "CreateBucket") {
      _ = try S3Store(
        bucket: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
        layout: .objectPerEntity, create: true, credentials: testCredentials, timeoutSeconds: 2)
    }
  }

  @Test func s3LifecycleRuleOnASilentServer() throws {
    // The bucket is there (HEAD 200); PutBucketLifecycleConfiguration is never answered.
    let server = try ScriptedServer { p in
      while let r = p.readHTTPRequest() {
        guard r.method == "HEAD" else { return p.hold() }
        p.sendHTTP(200, "", contentType: "application/xml")
      }
    }
    defer { server.stop() }
    Self.expectUnavailableWithin(2, "PutBucketLifecycleConfiguration") {
      _ = try S3Store(
        bucket: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
        layout: .objectPerEntity, create: true, expireDays: 7, credentials: testCredentials,
        timeoutSeconds: 2)
    }
  }

  static func dynamo(
    _ server: ScriptedServer, create: Bool = false, ttlDays: Int? = nil
  ) throws -> DynamoStore {
    try DynamoStore(
      table: "costplan-test", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .itemPerRecord, create: create, ttlDays: ttlDays, credentials: testCredentials,
      timeoutSeconds: 2)
  }

  static let noSuchTable =
    #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#

  @Test func dynamoTableCreationOnASilentServer() throws {
    let server = try Self.silent()
    defer { server.stop() }
    Self.expectUnavailableWithin(2, "DescribeTable") {
      _ = try Self.dynamo(server, create: true)
    }
  }

  @Test func dynamoTableThatStaysCreating() throws {
    // No such table; CreateTable answers; the table then stays CREATING. It was waited for 60 s.
    let server = try ScriptedServer { p in
      var described = 0
      while let r = p.readHTTPRequest() {
        switch r.operation {
        case "DescribeTable":
          described += 1
          if described == 1 {
            p.sendHTTP(400, Self.noSuchTable)
          } else {
            p.sendHTTP(200, #"{"Table":{"TableStatus":"CREATING"}}"#)
          }
        case "CreateTable": p.sendHTTP(200, #"{"TableDescription":{"TableStatus":"CREATING"}}"#)
        default: p.sendHTTP(400, "{}")
        }
      }
    }
    defer { server.stop() }
    Self.expectUnavailableWithin(2, "ACTIVE") { _ = try Self.dynamo(server, create: true) }
  }

  @Test func dynamoTimeToLiveOnASilentServer() throws {
    // The table exists (no create=true); UpdateTimeToLive is never answered.
    let server = try Self.silent()
    defer { server.stop() }
    Self.expectUnavailableWithin(2, "UpdateTimeToLive") { _ = try Self.dynamo(server, ttlDays: 7) }
  }

  @Test(arguments: ["expire", "storedBytes", "storedRecords"])
  func dynamoWalkOfASilentServer(_ what: String) throws {
    let server = try Self.silent()
    defer { server.stop() }
    let s = try Self.dynamo(server)
    Self.expectUnavailableWithin(2, what) { try Self.walk(s, what) }
  }
}
