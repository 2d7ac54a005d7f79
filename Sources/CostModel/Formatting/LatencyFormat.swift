import Foundation

/// Milliseconds for people: 3 significant digits.
public enum LatencyFormat {
  public static func ms(_ v: Double) -> String { "\(number(v)) ms" }
  public static func number(_ v: Double) -> String {
    if v >= 100 { return fixed(v, 0) }
    if v >= 10 { return fixed(v, 1) }
    if v >= 1 { return fixed(v, 2) }
    // Trailing zeros kept ("0.800", as "6.00" above): the column reads at one precision.
    if v >= 0.001 {
      let magnitude = Int(Foundation.log10(v).rounded(.down))
      let text = fixed(v, 2 - magnitude)
      // 0.09996 rounds up to the next decade: one decimal fewer ("0.100", not "0.1000").
      let up = (Double(text) ?? 0) >= Foundation.pow(10, Double(magnitude + 1))
      return up ? fixed(v, 1 - magnitude) : text
    }
    return String(format: "%#.3g", v)
  }

  /// `v` with `decimals` decimals, rounded half away from zero; without `String(format:)`, which is slow on Linux.
  public static func fixed(_ v: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let n = (Swift.abs(v) * scale).rounded(.toNearestOrAwayFromZero)
    guard n < 9e15 else { return String(format: "%.\(decimals)f", v) }
    let i = Int(n)
    let sign = v < 0 && i != 0 ? "-" : ""
    if decimals == 0 { return sign + String(i) }
    let p = Int(scale)
    var frac = String(i % p)
    frac = String(repeating: "0", count: decimals - frac.count) + frac
    return "\(sign)\(i / p).\(frac)"
  }
  /// For CSV and JSON: 6 significant digits, plain.
  public static func exact(_ v: Double) -> String {
    var s = String(format: "%.6g", v)
    if TextEscape.has(s, UInt8(ascii: "e")) { s = String(format: "%.9f", v) }
    return s
  }
}
