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

  @Test func postgresLoadFromATricklingServer() throws {
    // Startup and the schema are answered at once; the load's reply comes one byte per 200 ms.
    let notice = PGWire.message(
      "N", Array("SNOTICE\0M".utf8) + Array(repeating: UInt8(ascii: "a"), count: 60) + [0, 0])
    let server = try ScriptedServer { p in
      guard PGWire.readStartup(p), p.send(PGWire.auth(0) + PGWire.ready) else { return }
      while let m = PGWire.readMessage(p), m.type != "X" {
        if m.type == "Q" { p.send(PGWire.commandComplete("CREATE TABLE") + PGWire.ready) }
        if m.type == "S" { p.trickle(notice, every: 0.2) }
      }
    }
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
}
