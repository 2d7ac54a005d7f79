/// RESP2 values (the Redis serialization protocol).
public indirect enum RESPValue: Equatable, Sendable {
  case simple(String)
  case error(RedisError)
  case integer(Int64)
  case bulk([UInt8]?)  // nil: the null bulk string
  case array([RESPValue]?)  // nil: the null array
}

/// Encodes commands and decodes replies. The decoder works on whatever bytes have arrived: it returns nil when
/// a reply is incomplete and throws on anything malformed. Lengths are bounded, nothing is allocated from a
/// length prefix before the bytes are there, and nesting is limited, so a hostile server cannot make it trap or
/// allocate without bound.
public enum RESP {
  public static let maxBulkBytes = 512 << 20
  public static let maxArrayCount = 1 << 24
  public static let maxDepth = 32
  public static let maxLineBytes = 64 << 10

  public struct ProtocolError: Error, CustomStringConvertible {
    public var description: String
  }

  /// `*N\r\n` then `$len\r\nbytes\r\n` per argument.
  public static func command(_ args: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(commandBytes(args))
    appendCommand(&out, args)
    return out
  }

  /// The bytes `command(args)` takes, at most (each length prefix counted at 16).
  static func commandBytes(_ args: [[UInt8]]) -> Int {
    var n = 16
    for a in args { n += a.count + 16 }
    return n
  }

  /// Appends `command(args)` to `out`, building nothing on the way.
  static func appendCommand(_ out: inout [UInt8], _ args: [[UInt8]]) {
    append(&out, prefix: 42, args.count)
    for a in args {
      append(&out, prefix: 36, a.count)
      out.append(contentsOf: a)
      out.append(13)
      out.append(10)
    }
  }

  /// `*N\r\n` or `$N\r\n` without going through String or a buffer of digits.
  static func append(_ out: inout [UInt8], prefix: UInt8, _ n: Int) {
    out.append(prefix)
    var power = 1
    while power <= n / 10 { power *= 10 }
    var v = Swift.max(0, n)
    while power > 0 {
      out.append(UInt8(48 + v / power))
      v %= power
      power /= 10
    }
    out.append(13)
    out.append(10)
  }

  public static func command(_ args: String...) -> [UInt8] { command(args.map { Array($0.utf8) }) }

  /// One reply from the front of `bytes`: the value and how many bytes it used, or nil if incomplete.
  public static func decode(_ bytes: ArraySlice<UInt8>) throws(ProtocolError) -> (RESPValue, Int)? {
    var p = bytes.startIndex
    guard let v = try value(bytes, &p, depth: 0) else { return nil }
    return (v, p - bytes.startIndex)
  }

  static func line(_ b: ArraySlice<UInt8>, _ p: inout Int) throws(ProtocolError) -> ArraySlice<
    UInt8
  >? {
    var i = p
    while i + 1 < b.endIndex {
      if b[i] == 13 {
        guard b[i + 1] == 10 else {
          throw ProtocolError(description: "CR without LF in a reply line")
        }
        let l = b[p..<i]
        p = i + 2
        return l
      }
      if i - p > maxLineBytes {
        throw ProtocolError(description: "reply line longer than \(maxLineBytes) bytes")
      }
      i += 1
    }
    if b.endIndex - p > maxLineBytes {
      throw ProtocolError(description: "reply line longer than \(maxLineBytes) bytes")
    }
    return nil
  }

  static func integer(_ l: ArraySlice<UInt8>) throws(ProtocolError) -> Int64 {
    guard !l.isEmpty, l.count <= 20 else {
      throw ProtocolError(description: "bad integer in reply")
    }
    var neg = false
    var v: Int64 = 0
    for (i, c) in l.enumerated() {
      if i == 0 && c == 45 && l.count > 1 {
        neg = true
        continue
      }
      guard c >= 48 && c <= 57 else { throw ProtocolError(description: "bad integer in reply") }
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int64(c - 48))
      guard !o1 && !o2 else { throw ProtocolError(description: "integer out of range in reply") }
      v = s
    }
    return neg ? -v : v
  }

  /// Finds where one reply ends in bytes that arrive a piece at a time, without building values, resuming where
  /// the last call stopped: a reply of N bytes arriving in K reads costs O(N) to scan in all, where decoding it from
  /// the front after every read cost O(N·K) (a 100 MB list never finished). It sees each length prefix as it
  /// arrives, so a reply that declares more than a load may bring in is refused before its bytes are read.
  struct Scanner {
    /// Offset, from the reply's first byte, of the next element to scan.
    private var position = 0
    /// Elements still to come in each array being scanned, outermost first.
    private var open: [Int] = []
    /// The least the reply's length can be, from what it has declared so far.
    private(set) var declaredBytes = 0
    /// The element count of the reply, when it is an array.
    private(set) var count: Int?

    /// The reply's length once it is complete, nil while it is not; throws on what `decode` would refuse.
    mutating func scan(_ b: ArraySlice<UInt8>) throws(ProtocolError) -> Int? {
      let start = b.startIndex
      while true {
        let p = start + position
        guard p < b.endIndex else { return nil }
        let type = b[p]
        var q = p + 1
        guard let l = try line(b, &q) else { return nil }
        var end = q
        switch type {
        case 43, 45:  // + -
          break
        case 58:  // :
          _ = try integer(l)
        case 36:  // $
          let n = try integer(l)
          if n != -1 {
            guard n >= 0, n <= maxBulkBytes else {
              throw ProtocolError(description: "bulk length \(n) out of range")
            }
            end = q + Int(n) + 2
            declaredBytes = max(declaredBytes, end - start)
            guard end <= b.endIndex else { return nil }
            guard b[end - 2] == 13, b[end - 1] == 10 else {
              throw ProtocolError(description: "bulk string not terminated by CRLF")
            }
          }
        case 42:  // *
          let n = try integer(l)
          guard n >= -1, n <= maxArrayCount else {
            throw ProtocolError(description: "array length \(n) out of range")
          }
          if position == 0 { count = Int(max(0, n)) }
          if n > 0 {
            guard open.count < maxDepth else {
              throw ProtocolError(description: "reply nested deeper than \(maxDepth)")
            }
            open.append(Int(n))
            position = q - start
            declaredBytes = max(declaredBytes, position)
            continue
          }
        default:
          throw ProtocolError(description: "unknown reply type byte 0x\(String(type, radix: 16))")
        }
        position = end - start
        declaredBytes = max(declaredBytes, position)
        // An element is complete: so is every array it was the last element of.
        while let last = open.last {
          if last > 1 {
            open[open.count - 1] = last - 1
            break
          }
          open.removeLast()
        }
        if open.isEmpty { return position }
      }
    }
  }

  static func value(_ b: ArraySlice<UInt8>, _ p: inout Int, depth: Int) throws(ProtocolError)
    -> RESPValue?
  {
    guard depth <= maxDepth else {
      throw ProtocolError(description: "reply nested deeper than \(maxDepth)")
    }
    guard p < b.endIndex else { return nil }
    let type = b[p]
    var q = p + 1
    guard let l = try line(b, &q) else { return nil }
    switch type {
    case 43:  // +
      p = q
      return .simple(String(decoding: l, as: UTF8.self))
    case 45:  // -
      p = q
      return .error(RedisError(String(decoding: l, as: UTF8.self)))
    case 58:  // :
      let v = try integer(l)
      p = q
      return .integer(v)
    case 36:  // $
      let n = try integer(l)
      if n == -1 {
        p = q
        return .bulk(nil)
      }
      guard n >= 0, n <= maxBulkBytes else {
        throw ProtocolError(description: "bulk length \(n) out of range")
      }
      let len = Int(n)
      guard b.endIndex - q >= len + 2 else { return nil }
      guard b[q + len] == 13, b[q + len + 1] == 10 else {
        throw ProtocolError(description: "bulk string not terminated by CRLF")
      }
      p = q + len + 2
      return .bulk(Array(b[q..<(q + len)]))
    case 42:  // *
      let n = try integer(l)
      if n == -1 {
        p = q
        return .array(nil)
      }
      guard n >= 0, n <= maxArrayCount else {
        throw ProtocolError(description: "array length \(n) out of range")
      }
      // Every element takes at least 3 bytes: do not reserve more than what could have arrived.
      var items: [RESPValue] = []
      items.reserveCapacity(min(Int(n), (b.endIndex - q) / 3 + 1))
      for _ in 0..<n {
        guard let v = try value(b, &q, depth: depth + 1) else { return nil }
        items.append(v)
      }
      p = q
      return .array(items)
    default:
      throw ProtocolError(description: "unknown reply type byte 0x\(String(type, radix: 16))")
    }
  }
}

/// A Redis error reply (`-PREFIX message`), its first word parsed once, when the reply is decoded, into a kind:
/// callers decide by the kind, never by the text (which is for people).
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public enum Kind: Sendable, Equatable {
    /// `NOAUTH`: the server requires authentication and the client has not authenticated.
    case noAuth
    /// `WRONGPASS`: the user name or password is wrong (or the user is disabled).
    case wrongPass
    /// `NOPERM`: the user may not run this command or touch this key (ACL).
    case noPerm
    /// `WRONGTYPE`: the key holds a value of another type.
    case wrongType
    /// `ERR`: the generic error (a syntax error, an unknown command, …).
    case err
    /// Any other prefix (`LOADING`, `BUSY`, `READONLY`, `OOM`, `MOVED`, …).
    case other
  }

  /// The first word of the reply, as the server sent it (`ERR`, `WRONGPASS`, …).
  public let prefix: String
  /// The whole error line.
  public let message: String

  public init(_ line: String) {
    message = line
    prefix = String(line.prefix { $0 != " " })
  }

  public init(stringLiteral value: String) { self.init(value) }

  public var kind: Kind {
    switch prefix {
    case "NOAUTH": return .noAuth
    case "WRONGPASS": return .wrongPass
    case "NOPERM": return .noPerm
    case "WRONGTYPE": return .wrongType
    case "ERR": return .err
    default: return .other
    }
  }

  /// The server refuses these credentials, or wants some: `NOAUTH`, `WRONGPASS`, `NOPERM`.
  public var refusesCredentials: Bool { kind == .noAuth || kind == .wrongPass || kind == .noPerm }

  public var description: String { message }
}
