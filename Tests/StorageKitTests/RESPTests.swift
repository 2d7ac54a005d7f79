import Testing

@testable import StorageKit

struct RESPTests {
  func decode(_ s: String) throws -> (RESPValue, Int)? { try RESP.decode(Array(s.utf8)[...]) }

  @Test func encodesCommandsAsArraysOfBulkStrings() {
    #expect(
      RESP.command("RPUSH", "k", "") == Array("*3\r\n$5\r\nRPUSH\r\n$1\r\nk\r\n$0\r\n\r\n".utf8))
    #expect(RESP.command([[0, 13, 10]]) == Array("*1\r\n$3\r\n".utf8) + [0, 13, 10] + [13, 10])
  }

  @Test func decodesEveryReplyType() throws {
    #expect(try decode("+OK\r\n")! == (.simple("OK"), 5))
    #expect(try decode("-WRONGPASS no\r\n")!.0 == .error("WRONGPASS no"))
    #expect(try decode(":-42\r\n")!.0 == .integer(-42))
    // binary-safe: CRLF inside
    #expect(try decode("$3\r\na\r\n\r\n")!.0 == .bulk(Array("a\r\n".utf8)))
    #expect(try decode("$-1\r\n")!.0 == .bulk(nil))
    #expect(try decode("*-1\r\n")!.0 == .array(nil))
    #expect(
      try decode("*2\r\n$1\r\nx\r\n:7\r\n+rest")! == (.array([.bulk([120]), .integer(7)]), 15))
  }

  @Test func incompleteRepliesWaitForMoreBytes() throws {
    let whole = "*2\r\n$5\r\nhello\r\n*1\r\n:1\r\n"
    for cut in 0..<whole.utf8.count {
      #expect(try RESP.decode(Array(whole.utf8.prefix(cut))[...]) == nil, "cut at \(cut)")
    }
    #expect(try decode(whole)?.1 == whole.utf8.count)
  }

  @Test(arguments: [
    "$5\r\nhelloXX", "!x\r\n", ":12a\r\n", ":99999999999999999999\r\n", "$-5\r\n",
    "$999999999999\r\n",
    "*-7\r\n", "*99999999999\r\n", "+a\rb\r\n", String(repeating: "*1\r\n", count: 40) + ":1\r\n",
  ])
  func malformedRepliesAreErrors(text: String) {
    #expect(throws: RESP.ProtocolError.self) { try RESP.decode(Array(text.utf8)[...]) }
  }

  @Test func anAbsurdLengthAllocatesNothingAheadOfTheBytes() throws {
    // 16 million elements announced, 3 bytes sent: incomplete, and nothing reserved for the announced count.
    #expect(try decode("*16777215\r\n:1\r\n") == nil)
    #expect(try decode("$536870912\r\nabc") == nil)
  }

  @Test func fuzzRandomBytesNeverTrap() {
    var rng = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("*$:+-\r\n0123456789-1abc".utf8) + [0, 255]
    for _ in 0..<20_000 {
      let n = Int.random(in: 0..<40, using: &rng)
      let bytes = (0..<n).map { _ in
        Bool.random(using: &rng)
          ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
      }
      if let (_, used) = try? RESP.decode(bytes[...]) { #expect(used <= bytes.count) }
    }
  }
}
