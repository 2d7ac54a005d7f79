import Foundation

/// Walks a JSON file too large to hold as a tree (an AWS offer file is hundreds of MB), reading it a chunk
/// at a time: the caller steps through the members of the objects it cares about and parses or skips each
/// member's value whole. Memory stays at one chunk plus the largest value parsed. Same grammar, limits and
/// error positions as `JSONParser`, which does the work.
public final class JSONStreamReader {
  private var parser: JSONParser
  private let handle: FileHandle
  /// Per open object: whether a member has been read yet (a comma is due before the next) and the keys seen.
  private var levels: [(first: Bool, keys: Set<String>, path: String)] = []

  /// Opens `path`; `display` is how errors name it. A file that cannot be opened is a `DataError`.
  public init(path: String, display: String, chunkSize: Int = 1 << 20) throws(DataError) {
    guard let h = FileHandle(forReadingAtPath: path) else {
      throw DataError(
        file: display, message: "cannot open the file (\(String(cString: strerror(errno))))")
    }
    handle = h
    let size = max(1, chunkSize)
    parser = JSONParser.streaming(file: display) { () throws(DataError) -> [UInt8] in
      do {
        return [UInt8](try h.read(upToCount: size) ?? Data())
      } catch {
        throw DataError(
          file: display, message: "cannot read the file (\(error.localizedDescription))")
      }
    }
    try parser.skipBOM()
  }

  deinit { try? handle.close() }

  /// The most bytes of the file held in memory at once so far.
  public var peakBufferedBytes: Int { parser.peakBuffered }

  public var position: SourcePosition { parser.position }

  /// Expects an object to start here and enters it.
  public func beginObject(path: String) throws(DataError) {
    parser.skipWhitespace()
    guard parser.has(), parser.peek == UInt8(ascii: "{") else {
      throw parser.error("unexpected \(parser.describeCurrent()), expected an object", path: path)
    }
    parser.advance()
    levels.append((true, [], path))
  }

  /// The next member's key of the innermost open object, positioned at its value; nil at the closing brace.
  public func nextKey() throws(DataError) -> (key: String, position: SourcePosition)? {
    guard var level = levels.popLast() else { return nil }
    parser.skipWhitespace()
    guard parser.has() else {
      throw parser.error("unexpected end of file, expected ',' or '}'", path: level.path)
    }
    if parser.peek == UInt8(ascii: "}") {
      parser.advance()
      return nil
    }
    if !level.first {
      guard parser.peek == UInt8(ascii: ",") else {
        throw parser.error(
          "unexpected \(parser.describeCurrent()), expected ',' or '}'", path: level.path)
      }
      parser.advance()
      parser.skipWhitespace()
    }
    guard parser.has(), parser.peek == UInt8(ascii: "\"") else {
      throw parser.error(
        "unexpected \(parser.describeCurrent()), expected a quoted key", path: level.path)
    }
    let at = parser.position
    let key = try parser.parseString(path: level.path)
    let childPath = level.path.isEmpty ? key : "\(level.path).\(key)"
    if level.keys.contains(key) {
      throw parser.error("duplicate key \"\(key)\"", path: childPath, at: at)
    }
    level.keys.insert(key)
    level.first = false
    parser.skipWhitespace()
    guard parser.has(), parser.peek == UInt8(ascii: ":") else {
      throw parser.error(
        "unexpected \(parser.describeCurrent()), expected ':' after the key", path: childPath)
    }
    parser.advance()
    parser.skipWhitespace()
    levels.append(level)
    return (key, at)
  }

  /// Parses the value at the current position whole.
  public func readValue(path: String) throws(DataError) -> JSONNode {
    try parser.parseValue(depth: levels.count, path: path)
  }

  /// Parses and drops the value at the current position.
  public func skipValue(path: String) throws(DataError) {
    _ = try parser.parseValue(depth: levels.count, path: path)
  }

  /// After the top-level object: only white space may follow.
  public func finish() throws(DataError) {
    try parser.expectEnd()
  }
}
