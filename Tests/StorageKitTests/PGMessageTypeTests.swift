import Foundation
import Testing

@testable import StorageKit

/// Backend message types and authentication requests are enums; a byte or code they do not name is handled as
/// before: a type byte that is not printable ASCII is an error naming it, a printable one is skipped, an
/// authentication code is refused naming the number. Never a trap.
@Suite(.serialized)
struct PGMessageTypeTests {
  @Test func theTypeBytesAreTheProtocolsLetters() {
    let letters: [Character: PGMessage.BackendMessageID] = [
      "R": .authentication, "K": .backendKeyData, "2": .bindComplete, "3": .closeComplete,
      "C": .commandComplete, "W": .copyBothResponse, "d": .copyData, "c": .copyDone,
      "G": .copyInResponse, "H": .copyOutResponse, "D": .dataRow, "I": .emptyQueryResponse,
      "E": .error, "V": .functionCallResponse, "v": .negotiateProtocolVersion, "n": .noData,
      "N": .noticeResponse, "A": .notificationResponse, "t": .parameterDescription,
      "S": .parameterStatus, "1": .parseComplete, "s": .portalSuspended, "Z": .readyForQuery,
      "T": .rowDescription,
    ]
    #expect(letters.count == PGMessage.BackendMessageID.allCases.count)
    for (letter, id) in letters {
      #expect(PGMessage.BackendMessageID(rawValue: letter.asciiValue!) == id, "\(letter)")
    }
    #expect(
      PGMessage.AuthenticationRequest.allCases.map(\.rawValue) == [0, 2, 3, 5, 7, 8, 9, 10, 11, 12])
  }

  @Test func anUnknownTypeByteIsAnErrorNamingItOrSkipped() throws {
    for byte: UInt8 in [0x01, 0x1f, 0x7f, 0x80, 0xff] {
      #expect {
        try PGMessage.decode([byte, 0, 0, 0, 4][...])
      } throws: { e in
        (e as? PGMessage.ProtocolError)?.description
          == "message type byte 0x\(String(byte, radix: 16)) is not a protocol message"
      }
    }
    // Printable but not a message type: decoded, with no id (the connection skips it).
    let (m, used) = try #require(try PGMessage.decode([UInt8(ascii: "x"), 0, 0, 0, 5, 7][...]))
    #expect(used == 6 && m.type == UInt8(ascii: "x") && m.body == [7] && m.id == nil)
  }

  /// Sends `greeting` after the startup message, then answers simple queries with success.
  static func server(_ greeting: [UInt8]) throws -> ScriptedServer {
    try ScriptedServer { p in
      guard PGWire.readStartup(p), p.send(greeting) else { return }
      while let m = PGWire.readMessage(p), m.type != "X" {
        if m.type == "Q" { p.send(PGWire.commandComplete("CREATE TABLE") + PGWire.ready) }
      }
    }
  }

  @Test func anUnknownAuthenticationCodeIsRefusedNamingIt() throws {
    for code in [7, 99, -1] {
      let server = try Self.server(PGWire.auth(code))
      defer { server.stop() }
      #expect {
        try PostgresStore(url: "postgres://alice:pw@127.0.0.1:\(server.port)/db?timeout=2")
      } throws: { e in
        guard let e = e as? StoreError else { return false }
        return e.code == .authenticationUnsupported
          && e.message
            == "postgres 127.0.0.1:\(server.port): authentication failed: authentication method \(code) is not supported (trust, md5, scram-sha-256 are; password with allowCleartextPassword=true)"
      }
    }
  }

  @Test func anUnknownTypeFromTheServerIsAnErrorOrSkipped() throws {
    let bad = try Self.server([0x01, 0, 0, 0, 4])
    defer { bad.stop() }
    #expect {
      try PostgresStore(url: "postgres://alice:pw@127.0.0.1:\(bad.port)/db?timeout=2")
    } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .badData
        && e.message
          == "postgres 127.0.0.1:\(bad.port): malformed message: message type byte 0x1 is not a protocol message"
        && e.underlying is PGMessage.ProtocolError
    }
    let skipped = try Self.server(
      PGWire.auth(0) + PGWire.message("x", [1, 2, 3]) + PGWire.ready)
    defer { skipped.stop() }
    _ = try PostgresStore(url: "postgres://alice:pw@127.0.0.1:\(skipped.port)/db?timeout=2")
  }
}
