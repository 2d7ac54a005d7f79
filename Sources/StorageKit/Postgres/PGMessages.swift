/// PostgreSQL frontend/backend protocol v3 messages: what the client sends, and a bounded decoder for what the
/// server answers (type byte, Int32 length including itself, body).
public enum PGMessage {
  public static let maxMessageBytes = 1 << 30

  public struct ProtocolError: Error, CustomStringConvertible {
    public var description: String
  }

  /// One backend message.
  public struct Backend: Equatable {
    public var type: UInt8
    public var body: [UInt8]
  }

  /// One message from the front of `bytes`, or nil if it has not all arrived.
  public static func decode(_ bytes: ArraySlice<UInt8>) throws(ProtocolError) -> (Backend, Int)? {
    guard bytes.count >= 5 else { return nil }
    let s = bytes.startIndex
    let type = bytes[s]
    guard (0x20...0x7e).contains(type) else {
      throw ProtocolError(
        description: "message type byte 0x\(String(type, radix: 16)) is not a protocol message")
    }
    let len = Int(
      UInt32(bytes[s + 1]) << 24 | UInt32(bytes[s + 2]) << 16 | UInt32(bytes[s + 3]) << 8
        | UInt32(bytes[s + 4]))
    guard len >= 4, len <= maxMessageBytes else {
      throw ProtocolError(description: "message length \(len) out of range")
    }
    guard bytes.count >= 1 + len else { return nil }
    return (Backend(type: type, body: Array(bytes[(s + 5)..<(s + 1 + len)])), 1 + len)
  }

  // MARK: frontend messages

  static func int32(_ v: Int32) -> [UInt8] {
    [
      UInt8(truncatingIfNeeded: v >> 24), UInt8(truncatingIfNeeded: v >> 16),
      UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v),
    ]
  }
  static func int16(_ v: Int16) -> [UInt8] {
    [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
  }
  static func cstring(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }

  static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
    [type.asciiValue!] + int32(Int32(body.count + 4)) + body
  }

  public static func startup(user: String, database: String) -> [UInt8] {
    var body = int32(196_608)  // protocol 3.0
    for (k, v) in [
      ("user", user), ("database", database), ("application_name", "costplan"),
      ("client_encoding", "UTF8"),
    ] {
      body += cstring(k) + cstring(v)
    }
    body.append(0)
    return int32(Int32(body.count + 4)) + body
  }

  public static func password(_ p: String) -> [UInt8] { message("p", cstring(p)) }
  public static func saslInitial(mechanism: String, data: [UInt8]) -> [UInt8] {
    message("p", cstring(mechanism) + int32(Int32(data.count)) + data)
  }
  public static func saslResponse(_ data: [UInt8]) -> [UInt8] { message("p", data) }
  public static func query(_ sql: String) -> [UInt8] { message("Q", cstring(sql)) }
  public static func parse(name: String, sql: String, types: [Int32]) -> [UInt8] {
    message("P", cstring(name) + cstring(sql) + int16(Int16(types.count)) + types.flatMap(int32))
  }
  /// Bind with every parameter and every result column in binary format.
  public static func bind(statement: String, params: [[UInt8]?]) -> [UInt8] {
    var body = cstring("") + cstring(statement) + int16(1) + int16(1) + int16(Int16(params.count))
    for p in params {
      if let p { body += int32(Int32(p.count)) + p } else { body += int32(-1) }
    }
    body += int16(1) + int16(1)
    return message("B", body)
  }
  public static func execute() -> [UInt8] { message("E", cstring("") + int32(0)) }
  public static let sync: [UInt8] = message("S", [])
  public static let terminate: [UInt8] = message("X", [])

  // MARK: backend message bodies

  /// A reader over a message body; every read is bounds-checked.
  struct Reader {
    var b: [UInt8]
    var p = 0
    mutating func int32() throws(ProtocolError) -> Int32 {
      guard b.count - p >= 4 else { throw ProtocolError(description: "message body too short") }
      defer { p += 4 }
      return Int32(
        bitPattern: UInt32(b[p]) << 24 | UInt32(b[p + 1]) << 16 | UInt32(b[p + 2]) << 8
          | UInt32(b[p + 3]))
    }
    mutating func int16() throws(ProtocolError) -> Int16 {
      guard b.count - p >= 2 else { throw ProtocolError(description: "message body too short") }
      defer { p += 2 }
      return Int16(bitPattern: UInt16(b[p]) << 8 | UInt16(b[p + 1]))
    }
    mutating func bytes(_ n: Int) throws(ProtocolError) -> [UInt8] {
      guard n >= 0, b.count - p >= n else {
        throw ProtocolError(description: "field length \(n) runs past the message")
      }
      defer { p += n }
      return Array(b[p..<(p + n)])
    }
    mutating func cstring() throws(ProtocolError) -> String {
      guard let end = b[p...].firstIndex(of: 0) else {
        throw ProtocolError(description: "unterminated string in message")
      }
      defer { p = end + 1 }
      return String(decoding: b[p..<end], as: UTF8.self)
    }
    var rest: [UInt8] { Array(b[p...]) }
  }

  /// ErrorResponse / NoticeResponse fields: S severity, C SQLSTATE, M message, D detail, H hint.
  public static func errorFields(_ body: [UInt8]) -> [Character: String] {
    var out: [Character: String] = [:]
    var r = Reader(b: body)
    while r.p < body.count, body[r.p] != 0 {
      let code = Character(UnicodeScalar(body[r.p]))
      r.p += 1
      guard let v = try? r.cstring() else { break }
      out[code] = v
    }
    return out
  }

  public static func describeError(_ body: [UInt8]) -> String {
    let f = errorFields(body)
    var s = "\(f["S"] ?? "ERROR") \(f["C"] ?? "?????"): \(f["M"] ?? "(no message)")"
    if let d = f["D"] { s += " (\(d))" }
    return s
  }

  /// DataRow: column values, nil for NULL.
  public static func dataRow(_ body: [UInt8]) throws(ProtocolError) -> [[UInt8]?] {
    var r = Reader(b: body)
    let n = try r.int16()
    guard n >= 0 else { throw ProtocolError(description: "negative column count") }
    var cols: [[UInt8]?] = []
    for _ in 0..<n {
      let len = try r.int32()
      if len == -1 {
        cols.append(nil)
        continue
      }
      cols.append(try r.bytes(Int(len)))
    }
    return cols
  }
}
