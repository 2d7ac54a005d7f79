/// PostgreSQL frontend/backend protocol v3 messages: what the client sends, and a bounded decoder for what the
/// server answers (type byte, Int32 length including itself, body).
public enum PGMessage {
  public static let maxMessageBytes = 1 << 30

  public struct ProtocolError: Error, CustomStringConvertible {
    public var description: String
  }

  /// The type byte of a backend message: one case per message the protocol defines (PostgreSQL documentation,
  /// "Message Formats"; the names are postgres-nio's). A printable byte that is none of these still decodes
  /// (`Backend.type`, with `id` nil) and is skipped like the messages the client has no use for; a byte that is
  /// not printable ASCII is a `ProtocolError` naming it.
  public enum BackendMessageID: UInt8, CaseIterable, Sendable {
    case authentication = 82  // R
    case backendKeyData = 75  // K
    case bindComplete = 50  // 2
    case closeComplete = 51  // 3
    case commandComplete = 67  // C
    case copyBothResponse = 87  // W
    case copyData = 100  // d
    case copyDone = 99  // c
    case copyInResponse = 71  // G
    case copyOutResponse = 72  // H
    case dataRow = 68  // D
    case emptyQueryResponse = 73  // I
    case error = 69  // E
    case functionCallResponse = 86  // V
    case negotiateProtocolVersion = 118  // v
    case noData = 110  // n
    case noticeResponse = 78  // N
    case notificationResponse = 65  // A
    case parameterDescription = 116  // t
    case parameterStatus = 83  // S
    case parseComplete = 49  // 1
    case portalSuspended = 115  // s
    case readyForQuery = 90  // Z
    case rowDescription = 84  // T
  }

  /// The request an Authentication ('R') message makes: the Int32 its body starts with. A code that is none of
  /// these is refused like the known methods the client does not use (Kerberos, GSSAPI, SSPI), naming the number.
  public enum AuthenticationRequest: Int32, CaseIterable, Sendable {
    case ok = 0
    case kerberosV5 = 2
    case cleartextPassword = 3
    case md5Password = 5
    case gss = 7
    case gssContinue = 8
    case sspi = 9
    case sasl = 10
    case saslContinue = 11
    case saslFinal = 12
  }

  /// One backend message.
  public struct Backend: Equatable {
    /// The type byte as received.
    public var type: UInt8
    public var body: [UInt8]

    /// The message type, or nil for a type byte the protocol does not define.
    public var id: BackendMessageID? { BackendMessageID(rawValue: type) }
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

  /// The whole length (type byte included) a message at the front of `bytes` declares, once its header is there.
  static func declaredLength(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard bytes.count >= 5 else { return nil }
    let s = bytes.startIndex
    return 1
      + Int(
        UInt32(bytes[s + 1]) << 24 | UInt32(bytes[s + 2]) << 16 | UInt32(bytes[s + 3]) << 8
          | UInt32(bytes[s + 4]))
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

  /// The type byte of a frontend message this client sends.
  enum FrontendMessageID: UInt8 {
    case bind = 66  // B
    case execute = 69  // E
    case parse = 80  // P
    /// PasswordMessage, SASLInitialResponse and SASLResponse share it.
    case password = 112  // p
    case query = 81  // Q
    case sync = 83  // S
    case terminate = 88  // X
  }

  static func message(_ id: FrontendMessageID, _ body: [UInt8]) -> [UInt8] {
    [id.rawValue] + int32(Int32(body.count + 4)) + body
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

  public static func password(_ p: String) -> [UInt8] { message(.password, cstring(p)) }
  public static func saslInitial(mechanism: String, data: [UInt8]) -> [UInt8] {
    message(.password, cstring(mechanism) + int32(Int32(data.count)) + data)
  }
  public static func saslResponse(_ data: [UInt8]) -> [UInt8] { message(.password, data) }
  public static func query(_ sql: String) -> [UInt8] { message(.query, cstring(sql)) }
  public static func parse(name: String, sql: String, types: [Int32]) -> [UInt8] {
    message(.parse, cstring(name) + cstring(sql) + int16(Int16(types.count)) + types.flatMap(int32))
  }
  /// Bind with every parameter and every result column in binary format.
  public static func bind(statement: String, params: [[UInt8]?]) -> [UInt8] {
    var body = cstring("") + cstring(statement) + int16(1) + int16(1) + int16(Int16(params.count))
    for p in params {
      if let p { body += int32(Int32(p.count)) + p } else { body += int32(-1) }
    }
    body += int16(1) + int16(1)
    return message(.bind, body)
  }
  public static func execute() -> [UInt8] { message(.execute, cstring("") + int32(0)) }
  public static let sync: [UInt8] = message(.sync, [])
  public static let terminate: [UInt8] = message(.terminate, [])

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
