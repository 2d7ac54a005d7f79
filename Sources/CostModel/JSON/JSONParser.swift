import Foundation

/// A strict RFC 8259 JSON parser that records the line and column of every value.
///
/// Written here rather than using `JSONSerialization` because on Linux Foundation's errors carry no
/// position, its numbers pass through `Double` (a price of 0.0000166667 must stay exact), and it
/// silently keeps the last of two duplicate keys. Nesting is limited so hostile input cannot exhaust
/// the stack.
public struct JSONParser {
  public static let maxDepth = 256

  /// The bytes not yet consumed (or, for a whole document, all of them); `base` is the file offset of `bytes[0]`.
  private var bytes: [UInt8]
  private let file: String
  private var index = 0
  private var base = 0
  private var line = 1
  private var lineStart = 0  // file offset of the current line's first byte
  /// Reads the next chunk of a file read piece by piece (`JSONStreamReader`); nil for a whole document.
  private let more: (() throws(DataError) -> [UInt8])?
  private var atEnd = false
  /// The most bytes held at once: a streamed file stays bounded by its chunk size plus the largest token.
  private(set) var peakBuffered = 0
  /// The JSON path of the value being read, kept as pieces and joined only for an error message (joining it for
  /// every value cost more than parsing the value).
  private enum PathPiece {
    case key(String)
    case index(Int)
  }
  private var pathBase = ""
  private var pathStack: [PathPiece] = []

  var currentPath: String {
    var p = pathBase
    for piece in pathStack {
      switch piece {
      case .key(let k): p = p.isEmpty ? k : p + "." + k
      case .index(let i): p += "[\(i)]"
      }
    }
    return p
  }

  private init(bytes: [UInt8], file: String, more: (() throws(DataError) -> [UInt8])? = nil) {
    self.bytes = bytes
    self.file = file
    self.more = more
    self.atEnd = more == nil
    self.peakBuffered = bytes.count
  }

  /// Parses a whole document; anything after the top-level value other than white space is an error.
  public static func parse(_ data: Data, file: String) throws(DataError) -> JSONNode {
    var parser = JSONParser(bytes: [UInt8](data), file: file)
    try parser.skipBOM()
    parser.skipWhitespace()
    let node = try parser.parseValue(depth: 0, path: "")
    try parser.expectEnd()
    return node
  }

  /// A parser that pulls its bytes from `more` (an empty chunk means end of file).
  static func streaming(file: String, more: @escaping () throws(DataError) -> [UInt8]) -> JSONParser
  {
    JSONParser(bytes: [], file: file, more: more)
  }

  mutating func skipBOM() throws(DataError) {
    if has(3), bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
      index += 3
      lineStart = base + index
    }
  }

  mutating func expectEnd() throws(DataError) {
    skipWhitespace()
    if has() {
      throw error("unexpected \(describeCurrent()) after the end of the document")
    }
  }

  /// True when at least `n` bytes are available at `index`, reading more of a streamed file if needed.
  @inline(__always)
  mutating func has(_ n: Int = 1) -> Bool {
    if index + n <= bytes.count { return true }
    return fill(n)
  }

  private mutating func fill(_ n: Int) -> Bool {
    guard let more, !atEnd else { return false }
    // Drop what has been consumed, then append chunks until n bytes are there or the file ends.
    if index > 0 {
      bytes.removeSubrange(0..<index)
      base += index
      index = 0
    }
    while bytes.count < n {
      let chunk: [UInt8]
      do { chunk = try more() } catch {
        readError = error
        atEnd = true
        return false
      }
      if chunk.isEmpty {
        atEnd = true
        break
      }
      bytes.append(contentsOf: chunk)
    }
    peakBuffered = max(peakBuffered, bytes.count)
    return bytes.count >= n
  }

  /// The byte at the current position (after `has()`), and a step past it.
  var peek: UInt8 { bytes[index] }
  mutating func advance() { index += 1 }

  /// A read error met while filling; reported instead of "unexpected end of file".
  private var readError: DataError?

  var position: SourcePosition {
    SourcePosition(line: line, column: base + index - lineStart + 1)
  }

  func error(_ message: String, path: String = "", at pos: SourcePosition? = nil) -> DataError {
    if let readError { return readError }
    return DataError(file: file, position: pos ?? position, path: path, message: message)
  }

  mutating func describeCurrent() -> String {
    guard has() else { return "end of file" }
    let b = bytes[index]
    if b >= 0x20 && b < 0x7F { return "character '\(Character(UnicodeScalar(b)))'" }
    return String(format: "byte 0x%02X", b)
  }

  mutating func skipWhitespace() {
    while has() {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D: index += 1
      case 0x0A:
        index += 1
        line += 1
        lineStart = base + index
      default: return
      }
    }
  }

  /// Parses one value whose JSON path is `path` (for error messages).
  mutating func parseValue(depth: Int, path: String) throws(DataError) -> JSONNode {
    let (savedBase, savedStack) = (pathBase, pathStack)
    pathBase = path
    pathStack = []
    defer { (pathBase, pathStack) = (savedBase, savedStack) }
    return try value(depth: depth)
  }

  private mutating func value(depth: Int) throws(DataError) -> JSONNode {
    guard depth < Self.maxDepth else {
      throw error("nesting deeper than \(Self.maxDepth) levels", path: currentPath)
    }
    guard has() else {
      throw error("unexpected end of file, expected a value", path: currentPath)
    }
    let start = position
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return JSONNode(value: .string(try string()), position: start)
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return JSONNode(value: .bool(true), position: start)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return JSONNode(value: .bool(false), position: start)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return JSONNode(value: .null, position: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return JSONNode(value: .number(try number()), position: start)
    default:
      throw error("unexpected \(describeCurrent()), expected a value", path: currentPath)
    }
  }

  private mutating func expectLiteral(_ word: StaticString) throws(DataError) {
    let n = word.utf8CodeUnitCount
    let ok =
      has(n) && word.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[index + $0] == w[$0] } }
    guard ok else {
      throw error("unexpected \(describeCurrent()), expected a value", path: currentPath)
    }
    index += n
  }

  private mutating func parseObject(depth: Int) throws(DataError) -> JSONNode {
    let start = position
    index += 1
    var members: [(key: String, node: JSONNode)] = []
    var seen: Set<String>? = nil  // only for large objects; small ones are searched
    skipWhitespace()
    if has() && bytes[index] == UInt8(ascii: "}") {
      index += 1
      return JSONNode(value: .object(members), position: start)
    }
    while true {
      skipWhitespace()
      guard has(), bytes[index] == UInt8(ascii: "\"") else {
        throw error("unexpected \(describeCurrent()), expected a quoted key", path: currentPath)
      }
      let keyPos = position
      let key = try string()
      let duplicate: Bool
      if var set = seen {
        duplicate = !set.insert(key).inserted
        seen = set
      } else {
        duplicate = members.contains { $0.key == key }
        if members.count >= 16 { seen = Set(members.map(\.key) + [key]) }
      }
      pathStack.append(.key(key))
      if duplicate {
        throw error("duplicate key \"\(key)\"", path: currentPath, at: keyPos)
      }
      skipWhitespace()
      guard has(), bytes[index] == UInt8(ascii: ":") else {
        throw error(
          "unexpected \(describeCurrent()), expected ':' after the key", path: currentPath)
      }
      index += 1
      skipWhitespace()
      let v = try value(depth: depth + 1)
      pathStack.removeLast()
      members.append((key, v))
      skipWhitespace()
      guard has() else {
        throw error("unexpected end of file, expected ',' or '}'", path: currentPath)
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        break
      }
      throw error("unexpected \(describeCurrent()), expected ',' or '}'", path: currentPath)
    }
    return JSONNode(value: .object(members), position: start)
  }

  private mutating func parseArray(depth: Int) throws(DataError) -> JSONNode {
    let start = position
    index += 1
    var items: [JSONNode] = []
    skipWhitespace()
    if has() && bytes[index] == UInt8(ascii: "]") {
      index += 1
      return JSONNode(value: .array(items), position: start)
    }
    while true {
      skipWhitespace()
      pathStack.append(.index(items.count))
      items.append(try value(depth: depth + 1))
      pathStack.removeLast()
      skipWhitespace()
      guard has() else {
        throw error("unexpected end of file, expected ',' or ']'", path: currentPath)
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        break
      }
      throw error("unexpected \(describeCurrent()), expected ',' or ']'", path: currentPath)
    }
    return JSONNode(value: .array(items), position: start)
  }

  mutating func parseNumber(path: String) throws(DataError) -> String {
    let (savedBase, savedStack) = (pathBase, pathStack)
    pathBase = path
    pathStack = []
    defer { (pathBase, pathStack) = (savedBase, savedStack) }
    return try number()
  }

  private mutating func number() throws(DataError) -> String {
    var out: [UInt8] = []
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    if bytes[index] == UInt8(ascii: "-") {
      out.append(bytes[index])
      index += 1
    }
    guard has(), isDigit(bytes[index]) else {
      throw error("invalid number: expected a digit", path: currentPath)
    }
    if bytes[index] == UInt8(ascii: "0") {
      out.append(bytes[index])
      index += 1
      if has(), isDigit(bytes[index]) {
        throw error("invalid number: leading zeros are not allowed", path: currentPath)
      }
    } else {
      while has(), isDigit(bytes[index]) {
        out.append(bytes[index])
        index += 1
      }
    }
    if has(), bytes[index] == UInt8(ascii: ".") {
      out.append(bytes[index])
      index += 1
      guard has(), isDigit(bytes[index]) else {
        throw error("invalid number: expected a digit after '.'", path: currentPath)
      }
      while has(), isDigit(bytes[index]) {
        out.append(bytes[index])
        index += 1
      }
    }
    if has(), bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      out.append(bytes[index])
      index += 1
      if has(), bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        out.append(bytes[index])
        index += 1
      }
      guard has(), isDigit(bytes[index]) else {
        throw error("invalid number: expected a digit in the exponent", path: currentPath)
      }
      while has(), isDigit(bytes[index]) {
        out.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Parses a string whose JSON path is `path` (for error messages).
  mutating func parseString(path: String) throws(DataError) -> String {
    let (savedBase, savedStack) = (pathBase, pathStack)
    pathBase = path
    pathStack = []
    defer { (pathBase, pathStack) = (savedBase, savedStack) }
    return try string()
  }

  private mutating func string() throws(DataError) -> String {
    index += 1  // opening quote
    // Fast path: no escape and the closing quote already buffered; the string is then a slice of the input.
    var end = index
    while end < bytes.count {
      let b = bytes[end]
      if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
      end += 1
    }
    if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
      guard let s = String(validating: bytes[index..<end], as: UTF8.self) else {
        throw error("string is not valid UTF-8", path: currentPath)
      }
      index = end + 1
      return s
    }
    var out = Array(bytes[index..<end])
    index = end
    let path = currentPath
    while true {
      guard has() else {
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
        guard has() else { throw error("unexpected end of file inside a string", path: path) }
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
            guard has(2), bytes[index] == UInt8(ascii: "\\"),
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
    guard has(4) else { throw error("truncated \\u escape", path: path) }
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
