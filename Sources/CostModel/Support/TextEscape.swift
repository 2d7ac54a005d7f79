import Foundation

/// Replacing ASCII characters in report text, natively: Foundation's `replacingOccurrences(of:with:)` and
/// `contains(_: String)` go through NSString on Linux (~20,000 instructions a call), and the reports make
/// hundreds of such calls — a tenth of `costplan report`'s time before this.
enum TextEscape {
  /// `s` with each byte in `table` replaced by its string; `s` itself when none occurs.
  static func replace(_ s: String, _ table: [(UInt8, String)]) -> String {
    var hit = false
    for b in s.utf8 where table.contains(where: { $0.0 == b }) {
      hit = true
      break
    }
    guard hit else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 16)
    for b in s.utf8 {
      if let r = table.first(where: { $0.0 == b }) { out.append(contentsOf: r.1.utf8) } else { out.append(b) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func has(_ s: String, _ byte: UInt8) -> Bool { s.utf8.contains(byte) }
}
