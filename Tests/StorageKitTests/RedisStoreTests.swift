import Foundation
import Testing

@testable import StorageKit

@Suite(
  .serialized,
  .enabled(
    if: RedisServer.usable,
    "redis-server is not installed (set COSTPLAN_REQUIRE_SERVERS=1 to fail instead)"))
struct RedisStoreTests {
  @Test func appendLoadSinceAndCounters() throws {
    let server = try RedisServer()
    let s = try RedisStore(url: server.url + "?ttlDays=7")
    #expect(try s.append(entity: "c1", body: text("one"), at: 1000) == 1)
    #expect(try s.append(entity: "c1", body: text("two"), at: 2000) == 2)
    #expect(bodies(try s.load(entity: "c1", since: nil)) == ["one", "two"])
    #expect(try s.load(entity: "c1", since: 1500).map(\.seq) == [2])
    // An append is RPUSH + EXPIRE in one round trip; a load is one LRANGE.
    #expect(s.counters["RPUSH"] == 2 && s.counters["EXPIRE"] == 2 && s.counters["LRANGE"] == 2)
    #expect(s.client.roundTrips == 4)
    let ttl = try s.client.call([Array("TTL".utf8), s.key("c1")])
    #expect(ttl == .integer(604_800) || ttl == .integer(604_799))
    #expect(try s.storedRecords() == 2)
    #expect((try s.storedBytes() ?? 0) > 0)
    #expect(!s.displayURL.contains(server.password) && s.displayURL.contains("***"))
  }

  @Test func hostileEntityIdsRoundTrip() throws {
    let server = try RedisServer()
    let s = try RedisStore(url: server.url)
    for (i, e) in hostileEntities.enumerated() {
      try s.append(entity: e, body: text("r\(i)") + [0, 13, 10], at: 1)
    }
    for (i, e) in hostileEntities.enumerated() {
      #expect(
        try s.load(entity: e, since: nil).map(\.body) == [text("r\(i)") + [0, 13, 10]],
        "\(e.prefix(30))")
    }
  }

  @Test func expiryRemovesListsPastRetention() throws {
    let server = try RedisServer()
    let s = try RedisStore(url: server.url)
    try s.append(entity: "old", body: text("o"), at: 1000)
    try s.append(entity: "new", body: text("n"), at: 9000)
    #expect(try s.expire(before: 5000) == 1)
    #expect(
      try s.load(entity: "old", since: nil).isEmpty
        && bodies(try s.load(entity: "new", since: nil)) == ["n"])
  }

  @Test func wrongPasswordIsUnavailableWithTheServersReason() throws {
    let server = try RedisServer()
    #expect { try RedisStore(url: "redis://:nope@127.0.0.1:\(server.port)/0") } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .credentialsRefused && e.message.contains("WRONGPASS")
        && !e.message.contains("nope")
    }
  }

  @Test func noPasswordIsUnavailableNotBadData() throws {
    // The server requires a password and none is given: NOAUTH on the first command is refused credentials (69).
    let server = try RedisServer()
    let s = try RedisStore(url: "redis://127.0.0.1:\(server.port)/0")
    #expect { try s.append(entity: "e", body: text("x"), at: 1) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .credentialsRefused && e.message.contains("NOAUTH")
    }
  }

  @Test func killedServerIsAnErrorWithinTheTimeoutAndARestartReconnects() throws {
    let server = try RedisServer()
    let s = try RedisStore(url: server.url + "?timeout=2")
    try s.append(entity: "e", body: text("before"), at: 1)
    server.kill()
    let started = Date()
    #expect(throws: StoreError.self) { try s.append(entity: "e", body: text("during"), at: 2) }
    #expect(Date().timeIntervalSince(started) < 3)
    try server.restart()  // no persistence: the restarted server is empty
    try s.append(entity: "e", body: text("after"), at: 3)
    #expect(bodies(try s.load(entity: "e", since: nil)) == ["after"])
  }

  @Test func refusedConnectionIsUnavailable() {
    let port = TestServers.freePort()
    #expect { try RedisStore(url: "redis://127.0.0.1:\(port)/0?timeout=1") } throws: {
      ($0 as? StoreError)?.code == .unavailable
    }
  }

  @Test func hostileServerRepliesAreErrorsNotTraps() throws {
    // A fake server that answers every command with a truncated frame and then an absurd length prefix.
    for reply in ["$999999999999\r\n", "*3\r\n:1\r\n", "?what\r\n", "$4\r\nabcdXX"] {
      let (port, stop) = try FakeServer.start(reply: Array(reply.utf8))
      defer { stop() }
      do {
        let s = try RedisStore(url: "redis://127.0.0.1:\(port)/0?timeout=1")
        _ = try s.load(entity: "e", since: nil)
        Issue.record("reply \(reply.debugDescription) was accepted")
      } catch {
        #expect([.badData, .unavailable, .timeout].contains(error.code), "\(error)")
      }
    }
  }
}

/// A TCP server on loopback that answers any request with fixed bytes, then closes (a hostile peer).
enum FakeServer {
  static func start(reply: [UInt8]) throws -> (Int, () -> Void) { try start(replies: [reply]) }

  /// The n-th connection gets `replies[n]` (the last one once they run out), then is closed.
  static func start(replies: [[UInt8]]) throws -> (Int, () -> Void) {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    _ = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    listen(s, 4)
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
    }
    let port = Int(UInt16(bigEndian: addr.sin_port))
    let thread = Thread {
      var n = 0
      while true {
        let c = accept(s, nil, nil)
        // The listener is closed here, by its own thread, once stop() has shut it down: closing it in stop()
        // let another test's new socket reuse the number while this loop still called accept() on it, and
        // that test's client got this server's reply.
        if c < 0 {
          close(s)
          return
        }
        var buf = [UInt8](repeating: 0, count: 4096)
        _ = recv(c, &buf, buf.count, 0)
        let reply = replies[min(n, replies.count - 1)]
        n += 1
        _ = reply.withUnsafeBufferPointer {
          send(c, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL))
        }
        close(c)
      }
    }
    thread.start()
    return (port, { shutdown(s, Int32(SHUT_RDWR)) })
  }
}
