import Testing

@testable import StorageKit

/// Vectors from NIST FIPS 180 examples and RFC 4231 test cases 1–7.
struct CryptoTests {
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
  ])
  func sha256Vectors(message: String, digest: String) {
    #expect(SHA256.hex(bytes(message)) == digest)
  }

  @Test func sha256MillionAFedInPieces() {
    var s = SHA256()
    let chunk = [UInt8](repeating: 0x61, count: 997)  // odd size: crosses block boundaries unevenly
    var left = 1_000_000
    while left > 0 {
      let n = min(left, chunk.count)
      s.update(chunk[0..<n])
      left -= n
    }
    #expect(
      Hex.encode(s.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    )
  }

  @Test func sha256EveryLengthAroundTheBlockMatchesOneShotAndPieces() {
    // Streaming in two pieces must equal one shot for every split of messages 0…130 bytes long.
    for len in 0...130 {
      let m = (0..<len).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
      let whole = SHA256.hash(m)
      for split in stride(from: 0, through: len, by: 13) {
        var s = SHA256()
        s.update(m[0..<split])
        s.update(m[split...])
        #expect(s.finalize() == whole, "len \(len) split \(split)")
      }
      // A collection without contiguous storage takes the copying path: the same digest.
      #expect(SHA256.hash(m.lazy.map { $0 }) == whole, "len \(len), not contiguous")
    }
  }

  @Test(arguments: [
    (
      [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    ),
    (
      Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    ),
    (
      [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
    ),
    (
      Hex.decode("0102030405060708090a0b0c0d0e0f10111213141516171819")!,
      [UInt8](repeating: 0xcd, count: 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
    ),
    (
      [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
      "a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5"
    ),
    (
      [UInt8](repeating: 0xaa, count: 131),
      Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    ),
    (
      [UInt8](repeating: 0xaa, count: 131),
      Array(
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
          .utf8), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
    ),
  ])
  func hmacRFC4231(key: [UInt8], data: [UInt8], mac: String) {
    #expect(Hex.encode(HMACSHA256.mac(key: key, message: data)) == mac)
  }

  @Test func hmacCase5TruncatedPrefixIsThePublishedValue() {
    let mac = HMACSHA256.mac(
      key: [UInt8](repeating: 0x0c, count: 20), message: bytes("Test With Truncation"))
    #expect(Hex.encode(mac.prefix(16)) == "a3b6167473100ee06e0c796c2955552b")
  }

  @Test func crc32CheckValue() {
    // The CRC-32/ISO-HDLC check value: CRC of "123456789" is 0xCBF43926.
    #expect(CRC32.checksum(bytes("123456789")) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
  }

  @Test func hexRoundTripAndRejects() {
    #expect(Hex.decode("00ff10Ab") == [0, 255, 16, 171])
    #expect(Hex.decode("abc") == nil)
    #expect(Hex.decode("zz") == nil)
  }
}
