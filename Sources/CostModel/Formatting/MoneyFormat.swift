import Foundation

/// Rendering of decimals: exact for CSV, rounded for people (docs/model.md §1).
public enum MoneyFormat {
  /// The exact decimal, plain notation, '.' separator, no exponent.
  public static func exact(_ d: Decimal) -> String {
    if d.isZero { return "0" }
    return DecimalText.plain(d)
  }

  /// Dollars for people: 2 decimals at $1 or more, 4 significant digits below; half away from zero.
  public static func usd(_ d: Decimal) -> String {
    guard let f = fixed(d) else { return slowUSD(d) }
    let sign = f.negative ? "-" : ""
    var m = f
    m.negative = false
    if m.mantissa == 0 { return "$0.00" }
    if m.leadingExponent >= 0 {
      return "\(sign)$" + m.rounded(2).text(minDecimals: 2, grouped: true)
    }
    let text = significant(m, digits: 4)
    // 0.99995 rounds up to 1.000: from $1 on, two decimals.
    if !text.hasPrefix("0.") { return "\(sign)$1.00" }
    return "\(sign)$\(text)"
  }

  /// `digits` significant digits, half away from zero, trailing zeros kept to show precision below 1.
  public static func significant(_ d: Decimal, digits: Int) -> String {
    guard let f = fixed(d) else { return slowSignificant(d, digits: digits) }
    return significant(f, digits: digits)
  }

  static func significant(_ f: DecimalText.Fixed, digits: Int) -> String {
    if f.mantissa == 0 { return "0" }
    let scale = max(0, digits - 1 - f.leadingExponent)
    return f.rounded(scale).text(minDecimals: scale, grouped: false)
  }

  /// The decimal in integer form for rounding and printing, or nil where Foundation's own must be used.
  static func fixed(_ d: Decimal) -> DecimalText.Fixed? {
    DecimalText.layoutVerified && !d.isNaN ? DecimalText.Fixed(d) : nil
  }

  /// A plain number with exactly `decimals` decimals (already rounded).
  static func plain(_ d: Decimal, decimals: Int) -> String {
    if let f = fixed(d) { return f.text(minDecimals: decimals, grouped: false) }
    var s = DecimalText.plain(d)
    if decimals > 0 {
      if !TextEscape.has(s, UInt8(ascii: ".")) { s += "." }
      let have =
        s.count - (s.firstIndex(of: ".").map { s.distance(from: s.startIndex, to: $0) } ?? 0) - 1
      if have < decimals { s += String(repeating: "0", count: decimals - have) }
    }
    return s
  }

  // Foundation's rounding, where the mantissa cannot be read (see DecimalText.layoutVerified).
  static func slowUSD(_ d: Decimal) -> String {
    let sign = d < 0 ? "-" : ""
    let m = d.magnitude
    if m >= 1 { return "\(sign)$\(grouped(DecimalMath.round(m, 2, .plain), decimals: 2))" }
    if m.isZero { return "$0.00" }
    let text = slowSignificant(m, digits: 4)
    if !text.hasPrefix("0.") { return "\(sign)$1.00" }
    return "\(sign)$\(text)"
  }

  static func slowSignificant(_ d: Decimal, digits: Int) -> String {
    if d.isZero { return "0" }
    let sign = d < 0 ? "-" : ""
    let m = d.magnitude
    let e = DecimalText.leadingExponent(m)
    let scale = max(0, digits - 1 - e)
    return sign + plain(DecimalMath.round(m, scale, .plain), decimals: scale)
  }

  /// Thousands separators for the integer part: 12,345.67.
  public static func grouped(_ d: Decimal, decimals: Int) -> String {
    if let f = fixed(d) { return f.text(minDecimals: decimals, grouped: true) }
    let s = plain(d, decimals: decimals)
    let parts = s.split(separator: ".", maxSplits: 1)
    var intPart = String(parts[0])
    var out = ""
    while intPart.count > 3 {
      out = "," + intPart.suffix(3) + out
      intPart = String(intPart.dropLast(3))
    }
    out = intPart + out
    return parts.count > 1 ? out + "." + parts[1] : out
  }

  /// A quantity for people: integers grouped, fractions to 4 significant digits.
  public static func quantity(_ d: Decimal) -> String {
    if let f = fixed(d) {
      if f.isInteger { return f.text(minDecimals: 0, grouped: true) }
      if f.leadingExponent >= 3 { return f.rounded(1).text(minDecimals: 1, grouped: true) }
      return significant(f, digits: 4)
    }
    if d.isInteger { return grouped(d, decimals: 0) }
    if d.magnitude >= 1000 { return grouped(DecimalMath.round(d, 1, .plain), decimals: 1) }
    return significant(d, digits: 4)
  }

  /// A unit price for people: up to 6 significant digits, exact when shorter.
  public static func unitPrice(_ d: Decimal) -> String {
    "$" + (d.isZero ? "0" : significantTrimmed(d, digits: 6))
  }

  public static func significantTrimmed(_ d: Decimal, digits: Int) -> String {
    var s = significant(d, digits: digits)
    if TextEscape.has(s, UInt8(ascii: ".")) {
      while s.hasSuffix("0") { s.removeLast() }
      if s.hasSuffix(".") { s.removeLast() }
    }
    return s
  }

  /// A scale for people: 1, 10, 0.5, 10,000 (exact; thousands separated from 1,000 on).
  public static func scale(_ d: Decimal) -> String {
    d.magnitude >= 1000 ? grouped(d, decimals: 0) : exact(d)
  }
}
