import Foundation
import Testing

@testable import StorageKit

/// A load brings in at most `maxLoadBytes` and `maxLoadItems` (README: the reference store): a server that sends
/// endless pages or a huge reply ends the load with `.tooLarge` (exit 65) at once, not when memory or the timeout
/// runs out.
@Suite(.serialized)
struct LoadLimitTests {
  /// The load fails with `.tooLarge` naming `parameter`, well within its timeout (10 s).
  static func expectTooLarge(_ parameter: String, _ load: () throws -> Void) {
    let started = Date()
    do {
      try load()
      Issue.record("\(parameter): no error")
    } catch let e as StoreError {
      #expect(e.code == .tooLarge && e.message.contains(parameter), "\(e)")
    } catch {
      Issue.record("\(error)")
    }
    #expect(Date().timeIntervalSince(started) < 5)
  }

  @Test func limitsAreReadFromTheURLWithDefaults() throws {
    #expect(LoadLimits() == LoadLimits(maxBytes: 268_435_456, maxItems: 1_000_000))
    let s = try S3Store(
      url: try BackendURL(
        "s3://b-x?endpoint=http://127.0.0.1:1&maxLoadBytes=4096&maxLoadItems=10"),
      credentials: testCredentials)
    #expect(s.limits == LoadLimits(maxBytes: 4096, maxItems: 10))
    let d = try DynamoStore(
      url: try BackendURL("dynamodb://t-x?endpoint=http://127.0.0.1:1"),
      credentials: testCredentials)
    #expect(d.limits == LoadLimits())
    for bad in ["maxLoadBytes=0", "maxLoadItems=-1", "maxLoadItems=many", "maxLoadBytes=1.5"] {
      #expect {
        try S3Store(
          url: try BackendURL("s3://b-x?endpoint=http://127.0.0.1:1&\(bad)"),
          credentials: testCredentials)
      } throws: { ($0 as? StoreError)?.code == .badURL }
    }
  }

  /// ListObjectsV2 pages of 100 keys, each saying there are more, for ever.
  static func endlessListPages() throws -> ScriptedServer {
    try ScriptedServer { p in
      var page = 0
      while p.readHTTPRequest() != nil {
        page += 1
        var xml = "<ListBucketResult><IsTruncated>true</IsTruncated>"
        for i in 0..<100 {
          xml += "<Contents><Key>costplan/r/e/\(String(format: "%016d", page * 100 + i))-w-1</Key>"
          xml += "<Size>10</Size></Contents>"
        }
        xml += "<NextContinuationToken>t\(page)</NextContinuationToken></ListBucketResult>"
        p.sendHTTP(200, xml, contentType: "application/xml")
      }
    }
  }

  static func s3(_ server: ScriptedServer, _ query: String) throws -> S3Store {
    try S3Store(
      url: try BackendURL(
        "s3://costplan-test?endpoint=http://127.0.0.1:\(server.port)&layout=object-per-record&\(query)"
      ), credentials: testCredentials)
  }

  @Test func s3EndlessListPagesStopAtMaxLoadItems() throws {
    let server = try Self.endlessListPages()
    defer { server.stop() }
    let s = try Self.s3(server, "maxLoadItems=250")
    Self.expectTooLarge("maxLoadItems=250") { _ = try s.load(entity: "e", since: nil) }
    #expect(s.counters["LIST"] == 3)
  }

  @Test func s3EndlessListPagesStopAtMaxLoadBytes() throws {
    let server = try Self.endlessListPages()
    defer { server.stop() }
    let s = try Self.s3(server, "maxLoadBytes=20000")
    Self.expectTooLarge("maxLoadBytes") { _ = try s.load(entity: "e", since: nil) }
    #expect(s.counters["LIST"] <= 3)
  }

  @Test func s3ObjectOverTheLimitIsRefusedFromItsLength() throws {
    // A 200 MB object announced, its bytes never sent: refused from Content-Length, not waited for.
    let server = try ScriptedServer { p in
      guard p.readHTTPRequest() != nil else { return }
      p.send(Array("HTTP/1.1 200 OK\r\nContent-Length: 200000000\r\n\r\n".utf8))
      p.hold()
    }
    defer { server.stop() }
    let s = try S3Store(
      url: try BackendURL(
        "s3://costplan-test?endpoint=http://127.0.0.1:\(server.port)&maxLoadBytes=1048576"),
      credentials: testCredentials)
    Self.expectTooLarge("maxLoadBytes") { _ = try s.load(entity: "e", since: nil) }
  }

  /// Query pages of 50 items, each with a LastEvaluatedKey, for ever.
  static func endlessQueryPages() throws -> ScriptedServer {
    try ScriptedServer { p in
      var page = 0
      while p.readHTTPRequest() != nil {
        page += 1
        let items = (0..<50).map { i in
          #"{"entity":{"S":"e"},"seq":{"N":"\#(page * 50 + i)"},"at":{"N":"1"},"body":{"B":"eA=="}}"#
        }
        p.sendHTTP(
          200,
          #"{"Items":[\#(items.joined(separator: ","))],"LastEvaluatedKey":{"entity":{"S":"e"},"seq":{"N":"\#(page * 50 + 49)"}}}"#
        )
      }
    }
  }

  @Test func dynamoEndlessQueryPagesStopAtMaxLoadItems() throws {
    let server = try Self.endlessQueryPages()
    defer { server.stop() }
    let s = try DynamoStore(
      url: try BackendURL(
        "dynamodb://costplan-test?endpoint=http://127.0.0.1:\(server.port)&maxLoadItems=120"),
      credentials: testCredentials)
    Self.expectTooLarge("maxLoadItems=120") { _ = try s.load(entity: "e", since: nil) }
    #expect(s.counters["Query"] == 3)
  }

  @Test func dynamoEndlessQueryPagesStopAtMaxLoadBytes() throws {
    let server = try Self.endlessQueryPages()
    defer { server.stop() }
    let s = try DynamoStore(
      url: try BackendURL(
        "dynamodb://costplan-test?endpoint=http://127.0.0.1:\(server.port)&maxLoadBytes=10000"),
      credentials: testCredentials)
    Self.expectTooLarge("maxLoadBytes") { _ = try s.load(entity: "e", since: nil) }
  }

  /// A Redis server answering the first command with `reply`, then `rest` for ever; what it was asked is kept.
  final class Asked: @unchecked Sendable {
    private let lock = NSLock()
    private var _bytes: [UInt8] = []
    var text: String {
      lock.lock()
      defer { lock.unlock() }
      return String(decoding: _bytes, as: UTF8.self)
    }
    func add(_ b: [UInt8]) {
      lock.lock()
      _bytes += b
      lock.unlock()
    }
  }

  static func hugeRedisReply(_ head: String, then element: String = "", asked: Asked = Asked())
    throws -> ScriptedServer
  {
    try ScriptedServer { p in
      guard p.read(atLeast: 1) else { return }
      usleep(50_000)
      asked.add(p.take(p.received.count))
      guard p.send(Array(head.utf8)) else { return }
      let chunk = Array(String(repeating: element, count: 100).utf8)
      while !element.isEmpty, !p.server.isStopped, p.send(chunk) {}
      p.hold()
    }
  }

  @Test func redisReplyWithMoreElementsThanMaxLoadItems() throws {
    let asked = Asked()
    let server = try Self.hugeRedisReply(
      "*1000000\r\n", then: "$3\r\nabc\r\n", asked: asked)
    defer { server.stop() }
    let s = try RedisStore(url: "redis://127.0.0.1:\(server.port)/0?maxLoadItems=1000")
    Self.expectTooLarge("maxLoadItems=1000") { _ = try s.load(entity: "e", since: nil) }
    // The server is asked for one element more than the limit, never for the whole list.
    #expect(asked.text.contains("LRANGE") && asked.text.contains("\r\n0\r\n$4\r\n1000\r\n"))
  }

  @Test func redisEndlessReplyStopsAtMaxLoadBytes() throws {
    let server = try Self.hugeRedisReply(
      "*500000\r\n", then: "$1000\r\n" + String(repeating: "a", count: 1000) + "\r\n")
    defer { server.stop() }
    let s = try RedisStore(url: "redis://127.0.0.1:\(server.port)/0?maxLoadBytes=1048576")
    Self.expectTooLarge("maxLoadBytes=1048576") { _ = try s.load(entity: "e", since: nil) }
  }

  @Test func redisHugeElementIsRefusedFromItsLengthWithTheDefaultLimits() throws {
    // 400 MB announced (under RESP's 512 MB bulk limit, over the default 256 MiB load): refused at once.
    let server = try Self.hugeRedisReply("*1\r\n$400000000\r\n")
    defer { server.stop() }
    let s = try RedisStore(url: "redis://127.0.0.1:\(server.port)/0")
    Self.expectTooLarge("maxLoadBytes=268435456") { _ = try s.load(entity: "e", since: nil) }
  }

  /// A PostgreSQL server whose load (at Sync) answers with data rows for ever.
  static func endlessRows() throws -> ScriptedServer {
    let body = [UInt8](repeating: 97, count: 100)
    let row = PGWire.message(
      "D",
      [0, 3] + PGWire.be32(8) + [UInt8](repeating: 0, count: 8) + PGWire.be32(8)
        + [UInt8](repeating: 0, count: 8) + PGWire.be32(body.count) + body)
    let rows = Array((0..<100).map { _ in row }.joined())
    return try ScriptedServer { p in
      guard PGWire.readStartup(p), p.send(PGWire.auth(0) + PGWire.ready) else { return }
      while let m = PGWire.readMessage(p), m.type != "X" {
        if m.type == "Q" { p.send(PGWire.commandComplete("CREATE TABLE") + PGWire.ready) }
        if m.type == "S" {
          guard p.send(PGWire.message("1", []) + PGWire.message("2", [])) else { return }
          while !p.server.isStopped, p.send(rows) {}
          return
        }
      }
    }
  }

  @Test func postgresEndlessRowsStopAtMaxLoadItems() throws {
    let server = try Self.endlessRows()
    defer { server.stop() }
    let s = try PostgresStore(
      url: "postgres://alice@127.0.0.1:\(server.port)/db?maxLoadItems=500")
    Self.expectTooLarge("maxLoadItems=500") { _ = try s.load(entity: "e", since: nil) }
  }

  @Test func postgresEndlessRowsStopAtMaxLoadBytes() throws {
    let server = try Self.endlessRows()
    defer { server.stop() }
    let s = try PostgresStore(
      url: "postgres://alice@127.0.0.1:\(server.port)/db?maxLoadBytes=100000")
    Self.expectTooLarge("maxLoadBytes") { _ = try s.load(entity: "e", since: nil) }
  }
}
