import Foundation

/// A strict RFC 8259 JSON parser that records the line and column of every value.
///
/// Written here rather than using `JSONSerialization` because on Linux Foundation's errors carry no
/// position, its numbers pass through `Double` (a price of 0.0000166667 must stay exact), and it
/// silently keeps the last of two duplicate keys. Nesting is limited so hostile input cannot exhaust
/// the stack.
public struct JSONParser {
  public static let maxDepth = 256

  private let bytes: [UInt8]
  private let file: String
  private var index = 0
  private var line = 1
  private var lineStart = 0

  private init(bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
  }

  /// Parses a whole document; anything after the top-level value other than white space is an error.
  public static func parse(_ data: Data, file: String) throws(DataError) -> JSONNode {
    var parser = JSONParser(bytes: [UInt8](data), file: file)
    if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3; parser.lineStart = 3 }
    parser.skipWhitespace()
    let node = try parser.parseValue(depth: 0, path: "")
    parser.skipWhitespace()
    if parser.index < parser.bytes.count {
      throw parser.error("unexpected \(parser.describeCurrent()) after the end of the document")
    }
    return node
  }

  private var position: SourcePosition {
    SourcePosition(line: line, column: index - lineStart + 1)
  }

  private func error(_ message: String, path: String = "", at pos: SourcePosition? = nil) -> DataError {
    DataError(file: file, position: pos ?? position, path: path, message: message)
  }

  private func describeCurrent() -> String {
    guard index < bytes.count else { return "end of file" }
    let b = bytes[index]
    if b >= 0x20 && b < 0x7F { return "character '\(Character(UnicodeScalar(b)))'" }
    return String(format: "byte 0x%02X", b)
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D: index += 1
      case 0x0A:
        index += 1
        line += 1
        lineStart = index
      default: return
      }
    }
  }

  private mutating func parseValue(depth: Int, path: String) throws(DataError) -> JSONNode {
    guard depth < Self.maxDepth else {
      throw error("nesting deeper than \(Self.maxDepth) levels", path: path)
    }
    guard index < bytes.count else {
      throw error("unexpected end of file, expected a value", path: path)
    }
    let start = position
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth, path: path)
    case UInt8(ascii: "["): return try parseArray(depth: depth, path: path)
    case UInt8(ascii: "\""): return JSONNode(value: .string(try parseString(path: path)), position: start)
    case UInt8(ascii: "t"): try expectLiteral("true", path: path); return JSONNode(value: .bool(true), position: start)
    case UInt8(ascii: "f"): try expectLiteral("false", path: path); return JSONNode(value: .bool(false), position: start)
    case UInt8(ascii: "n"): try expectLiteral("null", path: path); return JSONNode(value: .null, position: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return JSONNode(value: .number(try parseNumber(path: path)), position: start)
    default:
      throw error("unexpected \(describeCurrent()), expected a value", path: path)
    }
  }

  private mutating func expectLiteral(_ word: String, path: String) throws(DataError) {
    let w = Array(word.utf8)
    guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
      throw error("unexpected \(describeCurrent()), expected a value", path: path)
    }
    index += w.count
  }

  private mutating func parseObject(depth: Int, path: String) throws(DataError) -> JSONNode {
    let start = position
    index += 1
    var members: [(key: String, node: JSONNode)] = []
    var seen = Set<String>()
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
      index += 1
      return JSONNode(value: .object(members), position: start)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("unexpected \(describeCurrent()), expected a quoted key", path: path)
      }
      let keyPos = position
      let key = try parseString(path: path)
      let childPath = path.isEmpty ? key : "\(path).\(key)"
      if seen.contains(key) {
        throw error("duplicate key \"\(key)\"", path: childPath, at: keyPos)
      }
      seen.insert(key)
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("unexpected \(describeCurrent()), expected ':' after the key", path: childPath)
      }
      index += 1
      skipWhitespace()
      let value = try parseValue(depth: depth + 1, path: childPath)
      members.append((key, value))
      skipWhitespace()
      guard index < bytes.count else {
        throw error("unexpected end of file, expected ',' or '}'", path: path)
      }
      if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
      if bytes[index] == UInt8(ascii: "}") { index += 1; break }
      throw error("unexpected \(describeCurrent()), expected ',' or '}'", path: path)
    }
    return JSONNode(value: .object(members), position: start)
  }

  private mutating func parseArray(depth: Int, path: String) throws(DataError) -> JSONNode {
    let start = position
    index += 1
    var items: [JSONNode] = []
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
      index += 1
      return JSONNode(value: .array(items), position: start)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth + 1, path: "\(path)[\(items.count)]"))
      skipWhitespace()
      guard index < bytes.count else {
        throw error("unexpected end of file, expected ',' or ']'", path: path)
      }
      if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
      if bytes[index] == UInt8(ascii: "]") { index += 1; break }
      throw error("unexpected \(describeCurrent()), expected ',' or ']'", path: path)
    }
    return JSONNode(value: .array(items), position: start)
  }

  private mutating func parseNumber(path: String) throws(DataError) -> String {
    let start = index
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else {
      throw error("invalid number: expected a digit", path: path)
    }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) {
        throw error("invalid number: leading zeros are not allowed", path: path)
      }
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else {
        throw error("invalid number: expected a digit after '.'", path: path)
      }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else {
        throw error("invalid number: expected a digit in the exponent", path: path)
      }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  private mutating func parseString(path: String) throws(DataError) -> String {
    index += 1  // opening quote
    var out = [UInt8]()
    while true {
      guard index < bytes.count else {
        throw error("unexpected end of file inside a string", path: path)
      }
      let b = bytes[index]
      switch b {
      case UInt8(ascii: "\""):
        index += 1
        guard let s = String(validating: out, as: UTF8.self) else {
          throw error("string is not valid UTF-8", path: path)
        }
        return s
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { throw error("unexpected end of file inside a string", path: path) }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var code = try parseHex4(path: path)
          if (0xD800...0xDBFF).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
              bytes[index + 1] == UInt8(ascii: "u")
            else { throw error("unpaired UTF-16 surrogate in a \\u escape", path: path) }
            index += 2
            let low = try parseHex4(path: path)
            guard (0xDC00...0xDFFF).contains(low) else {
              throw error("unpaired UTF-16 surrogate in a \\u escape", path: path)
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00...0xDFFF).contains(code) {
            throw error("unpaired UTF-16 surrogate in a \\u escape", path: path)
          }
          guard let scalar = Unicode.Scalar(code) else {
            throw error("invalid \\u escape", path: path)
          }
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
          index -= 1
          throw error("invalid escape in a string", path: path)
        }
      case 0x00..<0x20:
        throw error("control character in a string (escape it)", path: path)
      default:
        out.append(b)
        index += 1
      }
    }
  }

  private mutating func parseHex4(path: String) throws(DataError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("truncated \\u escape", path: path) }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[index]
      let d: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in a \\u escape", path: path)
      }
      v = v * 16 + d
      index += 1
    }
    return v
  }
}
