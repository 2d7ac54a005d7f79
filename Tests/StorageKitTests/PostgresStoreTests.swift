import Foundation
import Testing

@testable import StorageKit

@Suite(
  .serialized,
  .enabled(
    if: PostgresServer.usable,
    "PostgreSQL is not installed (set COSTPLAN_REQUIRE_SERVERS=1 to fail instead)"))
final class PostgresStoreTests {
  let server: PostgresServer

  init() throws { server = try PostgresServer() }

  @Test func appendLoadSinceExpireOverSCRAM() throws {
    let s = try PostgresStore(url: server.url() + "?table=t_basic")
    #expect(try s.append(entity: "c1", body: text("one"), at: 1000) == 1)
    #expect(try s.append(entity: "c1", body: text("two"), at: 2000) == 2)
    #expect(try s.append(entity: "c2", body: text("x"), at: 3000) == 1)
    #expect(bodies(try s.load(entity: "c1", since: nil)) == ["one", "two"])
    #expect(try s.load(entity: "c1", since: 1500).map(\.seq) == [2])
    #expect(try s.expire(before: 1500) == 1)
    #expect(bodies(try s.load(entity: "c1", since: nil)) == ["two"])
    #expect(try s.storedRecords() == 2)
    #expect((try s.storedBytes() ?? 0) >= 8192)
    #expect(s.counters["INSERT"] == 3 && s.counters["SELECT"] == 3 && s.counters["DELETE"] == 1)
    #expect(!s.displayURL.contains(server.password))
  }

  @Test func hostileEntityIdsAndBodiesRoundTrip() throws {
    let s = try PostgresStore(url: server.url() + "?table=t_hostile")
    for (i, e) in hostileEntities.enumerated() {
      try s.append(entity: e, body: text("r\(i)'; DROP TABLE t_hostile; --") + [0, 255], at: 1)
    }
    for (i, e) in hostileEntities.enumerated() {
      #expect(
        try s.load(entity: e, since: nil).map(\.body) == [
          text("r\(i)'; DROP TABLE t_hostile; --") + [0, 255]
        ], "\(e.prefix(30))")
    }
  }

  @Test func twoWritersOnOneEntityLoseNothingAndFailNothing() throws {
    // Both pick the same next seq now and then; the loser's INSERT hits the primary key (23505) and is retried.
    let url = server.url() + "?table=t_writers"
    // Each writer is used by one thread only.
    final class Stores: @unchecked Sendable {
      let list: [PostgresStore]
      init(_ l: [PostgresStore]) { list = l }
    }
    let stores = Stores([try PostgresStore(url: url), try PostgresStore(url: url)])
    let a = stores.list[0]
    final class Failures: @unchecked Sendable {
      var list: [String] = []
      let lock = NSLock()
    }
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 2) { w in
      let s = stores.list[w]
      for i in 0..<100 {
        do { try s.append(entity: "shared", body: text("\(w)-\(i)"), at: Int64(i)) } catch {
          failures.lock.lock()
          failures.list.append("\(error)")
          failures.lock.unlock()
        }
      }
    }
    #expect(failures.list.isEmpty, "\(failures.list.prefix(3))")
    let all = try a.load(entity: "shared", since: nil)
    #expect(all.count == 200 && Set(all.map(\.seq)).count == 200)
  }

  @Test func md5AndTrustAuthentication() throws {
    let admin = try PGConnection(
      host: "127.0.0.1", port: server.port, user: "costplan", password: server.password,
      database: "postgres", timeoutSeconds: 5)
    try admin.simpleQuery(
      "SET password_encryption = 'md5'; CREATE USER md5user PASSWORD 'md5 secret' SUPERUSER; CREATE USER trustuser SUPERUSER"
    )
    let viaMD5 = try PostgresStore(
      url: server.url(user: "md5user", password: "md5 secret") + "?table=t_md5")
    try viaMD5.append(entity: "e", body: text("m"), at: 1)
    let viaTrust = try PostgresStore(
      url: "postgres://trustuser@127.0.0.1:\(server.port)/postgres?table=t_md5")
    #expect(bodies(try viaTrust.load(entity: "e", since: nil)) == ["m"])
    #expect { try PostgresStore(url: server.url(user: "md5user", password: "wrong")) } throws: {
      ($0 as? StoreError)?.code == .credentialsRefused
    }
  }

  @Test func wrongPasswordIsUnavailableWithTheServersReason() {
    #expect { try PostgresStore(url: server.url(password: "not it")) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .credentialsRefused && e.message.contains("28P01")
        && e.message.contains("password authentication failed") && !e.message.contains("not it")
    }
  }

  @Test func sqlErrorsAreDecoded() throws {
    let c = try PGConnection(
      host: "127.0.0.1", port: server.port, user: "costplan", password: server.password,
      database: "postgres", timeoutSeconds: 5)
    #expect { try c.simpleQuery("SELECT * FROM no_such_table") } throws: {
      ($0 as? StoreError)?.message.contains("42P01") == true
    }
    try c.simpleQuery("SELECT 1")  // the connection is still usable after an error
  }

  @Test func killedServerIsAnErrorWithinTheTimeoutAndARestartReconnects() throws {
    let s = try PostgresStore(
      url: server.url() + "&timeout=3".replacingOccurrences(of: "&", with: "?"))
    try s.append(entity: "e", body: text("acknowledged"), at: 1)
    server.kill()
    let started = Date()
    #expect(throws: StoreError.self) { try s.append(entity: "e", body: text("during"), at: 2) }
    #expect(Date().timeIntervalSince(started) < 4)
    try server.start()
    try s.append(entity: "e", body: text("after"), at: 3)
    // The acknowledged write survived an immediate (crash-like) stop.
    #expect(bodies(try s.load(entity: "e", since: nil)) == ["acknowledged", "after"])
  }
}
