import Foundation

/// Fast, exact plain-text rendering of a `Decimal` from its mantissa and exponent.
/// Foundation's `description` divides the 128-bit mantissa by ten digit by digit in `Decimal` arithmetic;
/// it was a third of the time of `costplan report`.
///
/// The mantissa's fields are internal to Foundation, so it is read from the value's bytes (8 little-endian
/// UInt16 words after a 4-byte header). `layoutVerified` checks that reading against `description` on
/// known values once; if a future Foundation changes the layout, rendering falls back to `description`.
enum DecimalText {
  static let layoutVerified: Bool = {
    guard MemoryLayout<Decimal>.size == 20 else { return false }
    let samples = ["0.000000625", "-3.5", "1200", "123456789012345678901234567890.12345678", "0.1", "-7e-30"]
    return samples.allSatisfy { text in
      let d = Decimal(string: text)!
      return render(d) == d.description
    }
  }()

  static func mantissa(_ d: Decimal) -> UInt128 {
    withUnsafeBytes(of: d) { raw -> UInt128 in
      var value: UInt128 = 0
      for i in stride(from: 7, through: 0, by: -1) {
        let word = UInt16(raw[4 + 2 * i]) | UInt16(raw[5 + 2 * i]) << 8
        value = value << 16 | UInt128(word)
      }
      return value
    }
  }

  /// Digits of the mantissa (no leading zeros) and the power of ten they are scaled by.
  static func parts(_ d: Decimal) -> (negative: Bool, digits: [UInt8], exponent: Int) {
    guard layoutVerified else {
      // Slow path: parse Foundation's own rendering.
      let text = d.description
      let negative = text.hasPrefix("-")
      let body = negative ? String(text.dropFirst()) : text
      let point = body.firstIndex(of: ".").map { body.distance(from: body.startIndex, to: $0) } ?? body.count
      var digits = Array(body.replacingOccurrences(of: ".", with: "").utf8).map { $0 - 48 }
      var exponent = point - digits.count
      while digits.count > 1 && digits.first == 0 { digits.removeFirst() }
      while digits.count > 1 && digits.last == 0 { digits.removeLast(); exponent += 1 }
      return (negative, digits, exponent)
    }
    return split(d)
  }

  static func split(_ d: Decimal) -> (negative: Bool, digits: [UInt8], exponent: Int) {
    var value = mantissa(d)
    var digits: [UInt8] = []
    if value == 0 { return (false, [0], 0) }
    // Peel 19 digits at a time in UInt64, then digit by digit.
    let chunk: UInt128 = 10_000_000_000_000_000_000
    var groups: [UInt64] = []
    while value > 0 {
      let (q, r) = value.quotientAndRemainder(dividingBy: chunk)
      groups.append(UInt64(r))
      value = q
    }
    for (i, g) in groups.reversed().enumerated() {
      var s = Array(String(g).utf8).map { $0 - 48 }
      if i > 0 && s.count < 19 { s = [UInt8](repeating: 0, count: 19 - s.count) + s }
      digits += s
    }
    var exponent = d.exponent
    while digits.count > 1 && digits.last == 0 { digits.removeLast(); exponent += 1 }
    return (d.sign == .minus, digits, exponent)
  }

  /// Plain notation, no exponent, no trailing fractional zeros: 0.000000625, 1200, -3.5.
  static func plain(_ d: Decimal) -> String {
    layoutVerified ? render(d) : d.description
  }

  static func render(_ d: Decimal) -> String {
    if d.isNaN { return "NaN" }
    let (negative, digits, exponent) = split(d)
    if digits == [0] { return "0" }
    var out = negative ? "-" : ""
    let text = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    if exponent >= 0 {
      out += text + String(repeating: "0", count: exponent)
    } else {
      let point = digits.count + exponent  // digits before the point
      if point > 0 {
        out += String(text.prefix(point)) + "." + String(text.dropFirst(point))
      } else {
        out += "0." + String(repeating: "0", count: -point) + text
      }
    }
    return out
  }

  /// e such that |d| = x × 10^e with 1 ≤ x < 10 (d ≠ 0).
  static func leadingExponent(_ d: Decimal) -> Int {
    let (_, digits, exponent) = parts(d)
    return digits.count - 1 + exponent
  }
}
