import Testing

@testable import StorageKit

struct SCRAMTests {
  @Test func rfc7677ExampleExchange() throws {
    // RFC 7677 §3: user "user", password "pencil", client nonce rOprNGfwEbeRWgbNEkqO.
    var c = SCRAMClient(password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
    #expect(c.clientFirst(user: "user") == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
    let final = try c.clientFinal(
      serverFirst:
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
    #expect(
      final
        == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    )
    try c.verify(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    #expect(throws: SCRAMClient.Failure.self) {
      try c.verify(serverFinal: "v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }
    #expect(throws: SCRAMClient.Failure.self) { try c.verify(serverFinal: "e=invalid-proof") }
  }

  @Test func serverFirstThatDoesNotExtendOurNonceIsRefused() {
    var c = SCRAMClient(password: "p", nonce: "abc")
    _ = c.clientFirst()
    #expect(throws: SCRAMClient.Failure.self) {
      try c.clientFinal(serverFirst: "r=xyz123,s=AAAA,i=4096")
    }
    #expect(throws: SCRAMClient.Failure.self) {
      try c.clientFinal(serverFirst: "r=abc123,s=!!,i=4096")
    }
    #expect(throws: SCRAMClient.Failure.self) {
      try c.clientFinal(serverFirst: "r=abc123,s=AAAA,i=0")
    }
  }

  @Test func pbkdf2RFC7914Vector() {
    // RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64.
    let dk = PBKDF2.sha256(
      password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
    #expect(
      Hex.encode(dk)
        == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
    )
  }

  @Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"), ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
    (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
  ])
  func md5RFC1321(message: String, digest: String) {
    #expect(Hex.encode(MD5.hash(Array(message.utf8))) == digest)
  }

  @Test func base64RoundTrip() {
    for n in 0..<40 {
      let b = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
      #expect(Base64.decode(Base64.encode(b)) == b)
    }
    #expect(
      Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy" && Base64.encode(Array("fo".utf8)) == "Zm8="
    )
    #expect(Base64.decode("Zm9v!") == nil && Base64.decode("Zm9") == nil)
  }

  @Test func aRefusedServerFirstForgetsTheEarlierSignature() throws {
    // Found by the pg fuzz target: after a second server-first was refused, the server signature of the first
    // exchange still verified. (PGConnection ends the connection at a refusal; SCRAMClient alone kept it.)
    var c = SCRAMClient(password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
    _ = c.clientFirst(user: "user")
    _ = try c.clientFinal(
      serverFirst:
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
    #expect(throws: SCRAMClient.Failure.self) {
      try c.clientFinal(serverFirst: "r=rOprNGfwEbeRWgbNEkqOx,s=!!,i=4096")
    }
    #expect(throws: SCRAMClient.Failure.self) {
      try c.verify(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }
  }

  @Test func aServerFinalWithNoServerFirstAnsweredIsRefused() {
    // A server that skips SASLContinue and sends its final message at once: no client-final was computed, so the
    // signature expected was empty, and the empty signature of "v=" matched it.
    var c = SCRAMClient(password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
    _ = c.clientFirst()
    #expect(throws: SCRAMClient.Failure.self) { try c.verify(serverFinal: "v=") }
    #expect(throws: SCRAMClient.Failure.self) { try c.verify(serverFinal: "v=,x=1") }
  }
}

struct PGMessageTests {
  @Test func startupAndExtendedQueryBytes() {
    let s = PGMessage.startup(user: "u", database: "d")
    #expect(Array(s[4..<8]) == [0, 3, 0, 0])  // protocol 3.0
    #expect(Int(s[3]) == s.count && s.last == 0)
    // Bind of one NULL and one 2-byte parameter, binary in and out: body = portal "" (1) + "st" (3) + one format
    // code (4) + 2 params (2) + NULL (4) + 2-byte value (6) + one result format (4) = 24, length 24 + 4 = 28.
    let b = PGMessage.bind(statement: "st", params: [nil, [7, 8]])
    #expect(
      b == [
        66, 0, 0, 0, 28, 0, 115, 116, 0, 0, 1, 0, 1, 0, 2, 255, 255, 255, 255, 0, 0, 0, 2, 7, 8, 0,
        1, 0, 1,
      ])
    #expect(PGMessage.sync == [83, 0, 0, 0, 4])
  }

  @Test func decodesMessagesAndWaitsForIncompleteOnes() throws {
    let row: [UInt8] = [68, 0, 0, 0, 16, 0, 2, 0, 0, 0, 2, 104, 105, 255, 255, 255, 255]
    let (m, used) = try #require(try PGMessage.decode(row[...]))
    #expect(used == 17 && m.type == 68)
    #expect(try PGMessage.dataRow(m.body) == [Array("hi".utf8), nil])
    for cut in 0..<row.count { #expect(try PGMessage.decode(row.prefix(cut)) == nil) }
    let err = PGMessage.describeError(
      Array("SFATAL\0C28P01\0Mpassword authentication failed\0\0".utf8))
    #expect(err == "FATAL 28P01: password authentication failed")
  }

  @Test func hostileMessagesAreErrors() throws {
    // length < 4
    #expect(throws: PGMessage.ProtocolError.self) { try PGMessage.decode([82, 0, 0, 0, 2][...]) }
    #expect(throws: PGMessage.ProtocolError.self) {
      try PGMessage.decode([82, 0x7f, 0xff, 0xff, 0xff][...])
    }  // 2 GB
    #expect(throws: PGMessage.ProtocolError.self) { try PGMessage.decode([0, 0, 0, 0, 4][...]) }
    #expect(throws: PGMessage.ProtocolError.self) {
      try PGMessage.dataRow([0, 1, 0x7f, 0, 0, 0, 1])
    }  // column runs past
    #expect(throws: PGMessage.ProtocolError.self) { try PGMessage.dataRow([0xff, 0xff]) }
    // 1 GB announced: wait, allocate nothing
    #expect(try PGMessage.decode([68, 0x3f, 0xff, 0xff, 0xff, 1, 2][...]) == nil)
  }

  @Test func fuzzRandomBytesNeverTrap() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let n = Int.random(in: 0..<32, using: &rng)
      var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
      if n > 5, Bool.random(using: &rng) {
        bytes[1] = 0
        bytes[2] = 0
        bytes[3] = 0
        bytes[4] = UInt8(n - 1)
      }
      if let (m, used) = try? PGMessage.decode(bytes[...]) {
        #expect(used <= bytes.count)
        _ = try? PGMessage.dataRow(m.body)
        _ = PGMessage.describeError(m.body)
      }
    }
  }
}
