import Foundation
import Testing

@testable import StorageKit

/// A server that asks for the password in cleartext (AuthenticationCleartextPassword, code 3) got it, whoever it
/// was: now it is refused unless the URL says `allowCleartextPassword=true`.
@Suite(.serialized)
struct PostgresCleartextTests {
  final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var _password: [UInt8]?
    var password: [UInt8]? {
      lock.lock()
      defer { lock.unlock() }
      return _password
    }
    func record(_ p: [UInt8]) {
      lock.lock()
      _password = p
      lock.unlock()
    }
  }

  /// Asks for a cleartext password, accepts whatever comes, then answers every simple query with success.
  static func server(_ seen: Seen) throws -> ScriptedServer {
    try ScriptedServer { p in
      guard PGWire.readStartup(p), p.send(PGWire.auth(3)), let m = PGWire.readMessage(p),
        m.type == "p"
      else { return }
      seen.record(m.body)
      guard p.send(PGWire.auth(0) + PGWire.ready) else { return }
      while let m = PGWire.readMessage(p), m.type != "X" {
        if m.type == "Q" { p.send(PGWire.commandComplete("CREATE TABLE") + PGWire.ready) }
      }
    }
  }

  static let secret = "s3cret pw"

  @Test func cleartextIsRefusedAndThePasswordNeverSent() throws {
    let seen = Seen()
    let server = try Self.server(seen)
    defer { server.stop() }
    #expect {
      try PostgresStore(url: "postgres://alice:s3cret%20pw@127.0.0.1:\(server.port)/db?timeout=2")
    } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .authenticationUnsupported && e.message.contains("cleartext")
        && e.message.contains("allowCleartextPassword=true")
        && !e.message.contains(Self.secret) && !e.message.contains("s3cret")
    }
    usleep(200_000)
    #expect(seen.password == nil)
  }

  @Test func withConsentThePasswordIsSent() throws {
    let seen = Seen()
    let server = try Self.server(seen)
    defer { server.stop() }
    let s = try PostgresStore(
      url:
        "postgres://alice:s3cret%20pw@127.0.0.1:\(server.port)/db?timeout=2&allowCleartextPassword=true"
    )
    #expect(seen.password == Array(Self.secret.utf8) + [0])
    #expect(!s.displayURL.contains("s3cret"))
  }

  @Test func theParameterIsTrueOrFalse() {
    #expect {
      try PostgresStore(url: "postgres://alice:pw@127.0.0.1:1/db?allowCleartextPassword=yes")
    } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .badURL && !e.message.contains(":pw@")
    }
  }
}
