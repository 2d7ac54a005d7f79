import Foundation

/// Bad input data: a rate table, scenario or latency file that is malformed or inconsistent (exit 65).
/// Rendered as `file:line:col: error: path: message`, the way compilers and swift-format report.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var position: SourcePosition?
  public var path: String
  public var message: String
  /// Further errors found in the same pass (printed after this one, one a line): the rest of this file's, and
  /// other files' when several files are read together.
  public var also: [DataError] = []

  public init(file: String, position: SourcePosition? = nil, path: String = "", message: String) {
    self.file = file
    self.position = position
    self.path = path
    self.message = message
  }

  /// At most this many errors are printed for one file.
  public static let reportedPerFile = 20

  /// The first of `errors`, carrying the others (and theirs) in `also`; nil when there are none.
  public static func combining(_ errors: [DataError]) -> DataError? {
    guard var first = errors.first else { return nil }
    first.also += errors.dropFirst().flatMap { e -> [DataError] in
      var plain = e
      plain.also = []
      return [plain] + e.also
    }
    return first
  }

  /// One line per error, file by file: at most `reportedPerFile` for a file, then a note of how many more.
  public var description: String {
    var plain = self
    plain.also = []
    let all = [plain] + also
    var lines: [String] = []
    var start = 0
    while start < all.count {
      let file = all[start].file
      var end = start
      while end < all.count && all[end].file == file { end += 1 }
      lines += all[start..<end].prefix(Self.reportedPerFile).map(\.line)
      let hidden = end - start - Self.reportedPerFile
      if hidden > 0 {
        lines.append(
          "\(Self.printable(file, limit: 500)): note: \(hidden) more error\(hidden == 1 ? "" : "s") not shown"
        )
      }
      start = end
    }
    return lines.joined(separator: "\n")
  }

  var line: String {
    var s = Self.printable(file, limit: 500)
    if let p = position { s += ":\(p.line):\(p.column)" }
    s += ": error: "
    if !path.isEmpty { s += "\(Self.printable(path, limit: 500)): " }
    return s + Self.printable(message, limit: 2000)
  }

  /// Input echoed in a message stays one line and harmless on a terminal: control characters (newlines, escape
  /// sequences, C1 controls) are shown as `\u{…}`, and text past `limit` characters is cut with a note.
  static func printable(_ text: String, limit: Int) -> String {
    let needsWork = text.unicodeScalars.contains {
      $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) || $0 == "\u{2028}"
        || $0 == "\u{2029}"
    }
    guard needsWork || text.count > limit else { return text }
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count >= limit {
        out += "… (\(text.unicodeScalars.count - count) more characters)"
        break
      }
      let v = scalar.value
      if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 {
        out += "\\u{" + String(v, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
      count += 1
    }
    return out
  }
}

/// Several data errors found in one pass (lint reports them all).
public struct DataErrors: Error, Sendable {
  public var errors: [DataError]
  public init(_ errors: [DataError]) { self.errors = errors }
}
