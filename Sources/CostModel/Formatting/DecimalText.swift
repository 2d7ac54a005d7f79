import Foundation

/// Fast, exact plain-text rendering of a `Decimal` from its mantissa and exponent.
/// Foundation's `description` divides the 128-bit mantissa by ten digit by digit in `Decimal` arithmetic;
/// it was a third of the time of `costplan report`.
///
/// The mantissa's fields are internal to Foundation, so it is read from the value's bytes (8 little-endian
/// UInt16 words after a 4-byte header). `layoutVerified` checks that reading against `description` on
/// known values once; if a future Foundation changes the layout, rendering falls back to `description`.
public enum DecimalText {
  public static let layoutVerified: Bool = {
    guard MemoryLayout<Decimal>.size == 20 else { return false }
    let samples = [
      "0.000000625", "-3.5", "1200", "123456789012345678901234567890.12345678", "0.1", "-7e-30",
    ]
    return samples.allSatisfy { text in
      let d = Decimal(string: text)!
      return render(d) == d.description
    }
  }()

  static func mantissa(_ d: Decimal) -> UInt128 { DecimalArithmetic.fields(d).mantissa }

  /// Digits of the mantissa (no leading zeros) and the power of ten they are scaled by.
  static func parts(_ d: Decimal) -> (negative: Bool, digits: [UInt8], exponent: Int) {
    guard layoutVerified else {
      // Slow path: parse Foundation's own rendering.
      let text = d.description
      let negative = text.hasPrefix("-")
      let body = negative ? String(text.dropFirst()) : text
      let point =
        body.firstIndex(of: ".").map { body.distance(from: body.startIndex, to: $0) } ?? body.count
      var digits = Array(body.replacingOccurrences(of: ".", with: "").utf8).map { $0 - 48 }
      var exponent = point - digits.count
      while digits.count > 1 && digits.first == 0 { digits.removeFirst() }
      while digits.count > 1 && digits.last == 0 {
        digits.removeLast()
        exponent += 1
      }
      return (negative, digits, exponent)
    }
    return split(d)
  }

  static func split(_ d: Decimal) -> (negative: Bool, digits: [UInt8], exponent: Int) {
    var value = mantissa(d)
    var exponent = d.exponent
    if value == 0 { return (false, [0], 0) }
    while value % 10 == 0 {
      value /= 10
      exponent += 1
    }
    return (d.sign == .minus, asciiDigits(value).map { $0 - 48 }, exponent)
  }

  /// The decimal digits of `value` in ASCII, most significant first ("0" for zero).
  static func asciiDigits(_ value: UInt128) -> [UInt8] {
    var out = [UInt8](repeating: 48, count: 40)
    var i = out.count
    var v = value
    // 19 digits at a time in UInt64, then digit by digit: UInt128 division is the slow part.
    while v > UInt128(UInt64.max) {
      let (q, r) = v.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000)
      var chunk = UInt64(r)
      for _ in 0..<19 {
        i -= 1
        out[i] = 48 + UInt8(chunk % 10)
        chunk /= 10
      }
      v = q
    }
    var small = UInt64(v)
    repeat {
      i -= 1
      out[i] = 48 + UInt8(small % 10)
      small /= 10
    } while small > 0
    return Array(out[i...])
  }

  /// Plain notation, no exponent, no trailing fractional zeros: 0.000000625, 1200, -3.5.
  public static func plain(_ d: Decimal) -> String {
    guard layoutVerified else { return d.description }
    if d.isNaN { return "NaN" }
    return Fixed(d).text(minDecimals: 0, grouped: false)
  }

  static func render(_ d: Decimal) -> String {
    if d.isNaN { return "NaN" }
    return Fixed(d).text(minDecimals: 0, grouped: false)
  }

  /// A decimal as sign, 128-bit mantissa and power of ten, for rounding and printing in integer arithmetic
  /// (Foundation's `NSDecimalRound` and `description` work digit by digit in `Decimal`).
  public struct Fixed {
    var negative: Bool
    var mantissa: UInt128
    var exponent: Int

    /// Requires `layoutVerified` (callers fall back to Foundation otherwise) and a number (not NaN).
    public init(_ d: Decimal) {
      let f = DecimalArithmetic.fields(d)
      negative = f.negative
      mantissa = f.mantissa
      exponent = f.exponent
      if mantissa == 0 {
        negative = false
        exponent = 0
      }
    }

    static let powers: [UInt128] = (0...38).map { k in (0..<k).reduce(UInt128(1)) { p, _ in p * 10 }
    }

    /// Rounded to `scale` decimals, half away from zero (Foundation's `.plain` on the magnitude).
    public func rounded(_ scale: Int) -> Fixed {
      var r = self
      let drop = -scale - exponent
      guard drop > 0 else { return r }
      if drop > 38 {
        r.mantissa = 0
      } else {
        let p = Self.powers[drop]
        let (q, rem) = mantissa.quotientAndRemainder(dividingBy: p)
        r.mantissa = rem >= p - rem ? q + 1 : q
      }
      r.exponent = -scale
      if r.mantissa == 0 {
        r.negative = false
        r.exponent = 0
      }
      return r
    }

    var isInteger: Bool {
      exponent >= 0 || (-exponent <= 38 && mantissa % Self.powers[-exponent] == 0)
    }

    /// e such that the magnitude is x × 10^e with 1 ≤ x < 10 (0 for zero).
    var leadingExponent: Int {
      guard mantissa != 0 else { return 0 }
      var digits = 1
      while digits < 39 && mantissa >= Self.powers[digits] { digits += 1 }
      return digits - 1 + exponent
    }

    /// Plain notation without trailing fractional zeros, padded with zeros to at least `minDecimals`
    /// decimals, the integer part in groups of three when `grouped`.
    public func text(minDecimals: Int, grouped: Bool) -> String {
      var out: [UInt8] = []
      out.reserveCapacity(48)
      if negative { out.append(UInt8(ascii: "-")) }
      let digits = DecimalText.asciiDigits(mantissa)
      var intDigits: ArraySlice<UInt8>
      var frac: [UInt8] = []
      var zerosAfter = 0
      if exponent >= 0 || mantissa == 0 {
        intDigits = digits[...]
        zerosAfter = mantissa == 0 ? 0 : exponent
      } else {
        let point = digits.count + exponent
        if point > 0 {
          intDigits = digits[..<point]
          frac = Array(digits[point...])
        } else {
          intDigits = [UInt8(ascii: "0")]
          frac = [UInt8](repeating: UInt8(ascii: "0"), count: -point) + digits
        }
        while frac.last == UInt8(ascii: "0") { frac.removeLast() }
      }
      let intCount = intDigits.count + zerosAfter
      var written = 0
      func put(_ b: UInt8) {
        if grouped && written > 0 && (intCount - written) % 3 == 0 { out.append(UInt8(ascii: ",")) }
        out.append(b)
        written += 1
      }
      for b in intDigits { put(b) }
      for _ in 0..<zerosAfter { put(UInt8(ascii: "0")) }
      if frac.count < minDecimals {
        frac += [UInt8](repeating: UInt8(ascii: "0"), count: minDecimals - frac.count)
      }
      if !frac.isEmpty {
        out.append(UInt8(ascii: "."))
        out += frac
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// e such that |d| = x × 10^e with 1 ≤ x < 10 (d ≠ 0).
  static func leadingExponent(_ d: Decimal) -> Int {
    guard layoutVerified else {
      let (_, digits, exponent) = parts(d)
      return digits.count - 1 + exponent
    }
    return Fixed(d).leadingExponent
  }
}
