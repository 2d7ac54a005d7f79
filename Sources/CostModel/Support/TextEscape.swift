import Foundation

/// Byte-level text replacement for the renderers: the characters escaped (`|`, `&`, `<`, `"`, …) are all ASCII,
/// so a pass over UTF-8 bytes is exact and avoids walking grapheme clusters.
public enum TextEscape {
  /// Which bytes to replace, and by what: built once per table (a table literal per call allocated each time).
  public struct Table: Sendable {
    public let replacement: [[UInt8]?]
    public init(_ pairs: [(UInt8, String)]) {
      var r = [[UInt8]?](repeating: nil, count: 256)
      for (b, s) in pairs { r[Int(b)] = Array(s.utf8) }
      replacement = r
    }
  }

  public static let html = Table([
    (UInt8(ascii: "&"), "&amp;"), (UInt8(ascii: "<"), "&lt;"), (UInt8(ascii: ">"), "&gt;"),
    (UInt8(ascii: "\""), "&quot;"),
  ])
  public static let markdownPipe = Table([(UInt8(ascii: "|"), "\\|")])
  public static let dropBackticks = Table([(UInt8(ascii: "`"), "")])
  public static let csvQuote = Table([(UInt8(ascii: "\""), "\"\"")])

  /// `s` with each byte in `table` replaced by its string; `s` itself when none occurs.
  public static func replace(_ s: String, _ table: Table) -> String {
    let r = table.replacement
    guard s.utf8.contains(where: { r[Int($0)] != nil }) else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 16)
    for b in s.utf8 {
      if let rep = r[Int(b)] { out += rep } else { out.append(b) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  public static func has(_ s: String, _ byte: UInt8) -> Bool { s.utf8.contains(byte) }
}
