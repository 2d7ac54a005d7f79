import Foundation

/// `Decimal` multiplication and division with the same results as Foundation's `*` and `/`, bit for bit, at a small
/// fraction of their cost: the exact pricers multiply and divide thousands of times per projection, and this
/// toolchain's Foundation does each through heap-allocated arrays of 16-bit words (a division took about 36,000
/// instructions, 28% of `costplan report`).
///
/// Foundation's rules, which these follow (swift-foundation's Decimal+Math.swift before its 2026 UInt128 rewrite,
/// the version this toolchain ships; the tests check every case against the `*` and `/` operators themselves):
/// - **Multiply:** the exact product of the mantissas, the sum of the exponents. A product wider than 8 words
///   (128 bits) is cut to fit by dividing by 10,000 while it is wider than 9 words, then by 10 while wider than 8,
///   each time truncating (the rounding step there computes a rounded value but returns the truncated one).
/// - **Divide:** the dividend's mantissa × 10^38, divided by the divisor's mantissa (truncating), cut to fit the
///   same way; the exponent is the difference of the exponents − 38 + the digits cut. When the dividend's exponent
///   exceeds the divisor's by 19 or more, Foundation first normalizes the operands: that case is left to Foundation.
/// - **Add** (and subtract, which adds the negated operand): the operands are brought to the smaller exponent by
///   multiplying the other mantissa by a power of ten, when the product fits 8 words; otherwise by Foundation's
///   lossy normalization (below, under compare), which returns the larger-exponent operand unchanged when the other
///   truncates to nothing. Then the mantissas are added, or the smaller magnitude is taken from the
///   larger with the larger's sign. A zero operand gives the other operand as it is, and equal magnitudes of opposite
///   signs give `.zero`: both left to Foundation, as is a sum wider than 8 words.
/// - **Compare:** sign first, then zero, then the magnitudes at a common exponent: exact under the same condition as
///   add, else by Foundation's lossy normalization (the mantissa with the larger exponent scaled up as far as a
///   conservative estimate allows, the other divided, truncating, by the rest of the difference).
/// - Products, quotients and sums are then made compact: trailing decimal zeros of the mantissa move into the exponent.
///
/// Zero, NaN, an exponent outside −128…127 and any case not listed go to Foundation's operator unchanged, with one
/// exception: a product whose exponent is below −128, where Foundation's `*` traps, is NaN.
enum DecimalArithmetic {
  /// Whether `Decimal`'s bytes are laid out as `fields` reads them and its arithmetic follows the rules above
  /// (checked once: the layout by `DecimalText.layoutVerified`, the rules against Foundation's operators on a few
  /// values); when not, every operation goes to Foundation.
  static let verified: Bool = {
    guard DecimalText.layoutVerified else { return false }
    let a = Decimal(string: "123.456")!
    let b = Decimal(string: "0.7")!
    let c = Decimal(string: "98765432109876543210.123456789")!
    return same(fastMultiply(a, b) ?? .nan, a * b) && same(fastDivide(a, b) ?? .nan, a / b)
      && same(fastDivide(c, a) ?? .nan, c / a) && same(fastMultiply(c, c) ?? .nan, c * c)
  }()

  /// Bit-for-bit equality (the same exponent, length, sign, compact flag and mantissa words).
  static func same(_ x: Decimal, _ y: Decimal) -> Bool {
    withUnsafeBytes(of: x) { a in withUnsafeBytes(of: y) { b in a.elementsEqual(b) } }
  }

  @inline(__always)
  static func multiply(_ a: Decimal, _ b: Decimal) -> Decimal {
    if verified, let r = fastMultiply(a, b) { return r }
    return a * b
  }

  @inline(__always)
  static func divide(_ a: Decimal, _ b: Decimal) -> Decimal {
    if verified, let r = fastDivide(a, b) { return r }
    return a / b
  }

  /// A value's exponent, length in 16-bit words (0: zero, or NaN when negative), sign and mantissa.
  typealias Fields = (exponent: Int, length: Int, negative: Bool, mantissa: UInt128)

  /// A value's fields, read from its bytes: Foundation keeps them internal. Its layout (this toolchain's
  /// swift-foundation `Decimal.Storage`): byte 0 the exponent (Int8); byte 1 the length in words (high 4 bits), the
  /// sign (bit 3) and the compact flag (bit 2); bytes 2–3 reserved; bytes 4–19 the mantissa, 8 little-endian 16-bit
  /// words. `verified` fails, and Foundation does all the work, if that layout ever changes.
  @inline(__always)
  static func fields(_ d: Decimal) -> Fields {
    withUnsafeBytes(of: d) { raw in
      let flags = raw[1]
      let m =
        UInt128(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt64.self)))
        | UInt128(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self)))
        << 64
      return (Int(Int8(bitPattern: raw[0])), Int(flags >> 4), flags & 0b1000 != 0, m)
    }
  }

  /// The number of 16-bit words `x` needs (0 for zero).
  @inline(__always)
  static func words(_ x: UInt128) -> Int { (128 - x.leadingZeroBitCount + 15) >> 4 }

  /// A 256-bit value cut to at most 8 words as Foundation's `_fitMantissa` does: ÷ 10,000 while over 9 words, then
  /// ÷ 10 while over 8, truncating. Returns the value and the number of decimal digits cut.
  @inline(__always)
  static func fit(high: UInt128, low: UInt128) -> (UInt128, Int) {
    var hi = high
    var lo = low
    var cut = 0
    // Words of (hi, lo): 8 + words(hi) when hi ≠ 0.
    while hi != 0 && 8 + words(hi) > 9 {
      (hi, lo) = divide(hi, lo, by: 10_000)
      cut += 4
    }
    while hi != 0 {
      (hi, lo) = divide(hi, lo, by: 10)
      cut += 1
    }
    return (lo, cut)
  }

  /// (hi, lo) ÷ d, truncating (d nonzero).
  @inline(__always)
  static func divide(_ hi: UInt128, _ lo: UInt128, by d: UInt128) -> (UInt128, UInt128) {
    let (qh, r) = hi.quotientAndRemainder(dividingBy: d)
    return (qh, wideQuotient(high: r, low: lo, by: d))
  }

  /// ⌊(high × 2^128 + low) ÷ d⌋ for high < d. A divisor under 2^64 (prices, counts, 10 and 10,000) takes two
  /// hardware 128-by-64-bit divisions; the standard library's generic 256-by-128-bit division is far slower.
  @inline(__always)
  static func wideQuotient(high: UInt128, low: UInt128, by d: UInt128) -> UInt128 {
    guard d >> 64 == 0 else { return d.dividingFullWidth((high: high, low: low)).quotient }
    let d64 = UInt64(d)
    // high < d < 2^64: high is one 64-bit digit, then low's two.
    let (q1, r1) = d64.dividingFullWidth(
      (high: UInt64(high), low: UInt64(truncatingIfNeeded: low >> 64)))
    let (q0, _) = d64.dividingFullWidth((high: r1, low: UInt64(truncatingIfNeeded: low)))
    return UInt128(q1) << 64 | UInt128(q0)
  }

  /// A compact `Decimal` from a nonzero mantissa and an exponent, or nil when the exponent leaves −128…127.
  @inline(__always)
  static func assemble(negative: Bool, mantissa: UInt128, exponent: Int) -> Decimal? {
    var m = mantissa
    var e = exponent
    guard m != 0 else { return nil }
    // Foundation's compact(): trailing zeros into the exponent.
    while m % 10 == 0 {
      m /= 10
      e += 1
    }
    guard e >= -128, e <= 127 else { return nil }
    var d = Decimal()
    withUnsafeMutableBytes(of: &d) { raw in
      raw[0] = UInt8(bitPattern: Int8(e))
      raw[1] = UInt8(words(m)) << 4 | (negative ? 0b1000 : 0) | 0b100
      raw[2] = 0
      raw[3] = 0
      raw.storeBytes(
        of: UInt64(truncatingIfNeeded: m).littleEndian, toByteOffset: 4, as: UInt64.self)
      raw.storeBytes(
        of: UInt64(truncatingIfNeeded: m >> 64).littleEndian, toByteOffset: 12, as: UInt64.self)
    }
    return d
  }

  @inline(__always)
  static func add(_ a: Decimal, _ b: Decimal) -> Decimal {
    if verified, let r = fastAdd(a, b, negateB: false) { return r }
    return a + b
  }

  @inline(__always)
  static func subtract(_ a: Decimal, _ b: Decimal) -> Decimal {
    if verified, let r = fastAdd(a, b, negateB: true) { return r }
    return a - b
  }

  /// `a < b`, as Foundation's `<` answers it.
  @inline(__always)
  static func less(_ a: Decimal, _ b: Decimal) -> Bool {
    if verified, let r = fastCompare(a, b) { return r < 0 }
    return a < b
  }

  /// `m × 10^k` when it fits 128 bits.
  @inline(__always)
  static func scaled(_ m: UInt128, _ k: Int) -> UInt128? {
    guard k <= 38 else { return nil }
    let (hi, lo) = m.multipliedFullWidth(by: DecimalText.Fixed.powers[k])
    return hi == 0 ? lo : nil
  }

  /// Both mantissas at the smaller exponent, exactly, and that exponent; nil when Foundation would lose digits.
  @inline(__always)
  static func aligned(_ x: Fields, _ y: Fields) -> (UInt128, UInt128, Int)? {
    if x.exponent == y.exponent { return (x.mantissa, y.mantissa, x.exponent) }
    if x.exponent > y.exponent {
      guard let m = scaled(x.mantissa, x.exponent - y.exponent) else { return nil }
      return (m, y.mantissa, y.exponent)
    }
    guard let m = scaled(y.mantissa, y.exponent - x.exponent) else { return nil }
    return (x.mantissa, m, x.exponent)
  }

  /// Foundation's sum (or difference), or nil for a case left to Foundation.
  static func fastAdd(_ a: Decimal, _ b: Decimal, negateB: Bool) -> Decimal? {
    let x = fields(a)
    var y = fields(b)
    guard x.length != 0, y.length != 0 else { return nil }  // zero or NaN
    if negateB { y.negative.toggle() }
    let (ma, mb, e) = aligned(x, y) ?? lossilyAligned(x, y)
    // Where the lossy normalization truncates one operand to nothing, the sum is the other, the larger-exponent
    // operand, as it was (its sign flipped when it is the subtrahend).
    if ma == 0 { return negateB ? negated(b) : b }
    if mb == 0 { return a }
    if x.negative == y.negative {
      let (sum, overflow) = ma.addingReportingOverflow(mb)
      guard !overflow else { return nil }
      return assemble(negative: x.negative, mantissa: sum, exponent: e)
    }
    if ma == mb { return nil }  // Foundation's .zero
    return ma > mb
      ? assemble(negative: x.negative, mantissa: ma - mb, exponent: e)
      : assemble(negative: y.negative, mantissa: mb - ma, exponent: e)
  }

  /// −1, 0 or 1 as `a` is below, equal to or above `b` by Foundation's comparison, or nil for a case left to it.
  static func fastCompare(_ a: Decimal, _ b: Decimal) -> Int? {
    let x = fields(a)
    let y = fields(b)
    if x.length == 0 && x.negative || y.length == 0 && y.negative { return nil }  // NaN
    if x.negative != y.negative { return x.negative ? -1 : 1 }
    if x.length == 0 { return y.length != 0 ? -1 : 0 }
    if y.length == 0 { return 1 }
    let (ma, mb, _) = aligned(x, y) ?? lossilyAligned(x, y)
    let magnitude = ma == mb ? 0 : (ma < mb ? -1 : 1)
    return x.negative ? -magnitude : magnitude
  }

  /// `d` with its sign flipped (nonzero, not NaN), as Foundation's subtraction flips the subtrahend's.
  static func negated(_ d: Decimal) -> Decimal {
    var r = d
    withUnsafeMutableBytes(of: &r) { raw in raw[1] ^= 0b1000 }
    return r
  }

  /// Foundation's `_normalize` where the exact one does not fit (nonzero operands): the mantissa with the larger
  /// exponent is multiplied by 10^p, p = ⌊(8 − its words) × 4.81647993⌋, and the other is divided by
  /// 10^(difference − p), truncating (to 0 when that is more than 38 digits; the larger then stays as it was).
  /// Returns both mantissas and their common exponent.
  static func lossilyAligned(_ x: Fields, _ y: Fields) -> (UInt128, UInt128, Int) {
    let swapped = x.exponent < y.exponent
    let large = swapped ? y : x
    let small = swapped ? x : y
    let difference = large.exponent - small.exponent
    // Foundation's estimate of how many digits the mantissa can be scaled by within 8 words.
    let p = Int((Double(8 - words(large.mantissa)) * 4.81647993).rounded(.down))
    let k = difference - p
    let divided = k > 38 ? 0 : small.mantissa / DecimalText.Fixed.powers[k]
    let multiplied = divided == 0 ? large.mantissa : large.mantissa * DecimalText.Fixed.powers[p]
    let e = large.exponent - p
    return swapped ? (divided, multiplied, e) : (multiplied, divided, e)
  }

  /// Foundation's product, or nil for a case left to Foundation.
  static func fastMultiply(_ a: Decimal, _ b: Decimal) -> Decimal? {
    let x = fields(a)
    let y = fields(b)
    guard x.length != 0, y.length != 0 else { return nil }  // zero or NaN
    let (hi, lo) = x.mantissa.multipliedFullWidth(by: y.mantissa)
    let e = x.exponent + y.exponent
    // Foundation checks the exponent before compacting.
    let (m, cut) = hi == 0 ? (lo, 0) : fit(high: hi, low: lo)
    // Below −128 Foundation stores the exponent in 8 bits unchecked and traps (an illegal instruction): the
    // result is NaN here, what its operators give for the errors they do check.
    if e + cut < -128 { return .nan }
    guard e + cut <= 127 else { return nil }
    return assemble(negative: x.negative != y.negative, mantissa: m, exponent: e + cut)
  }

  /// Foundation's quotient, or nil for a case left to Foundation.
  static func fastDivide(_ a: Decimal, _ b: Decimal) -> Decimal? {
    let x = fields(a)
    let y = fields(b)
    guard x.length != 0, y.length != 0 else { return nil }  // zero, NaN or division by zero
    let ea = x.exponent
    let eb = y.exponent
    guard ea - eb < 19 else { return nil }  // Foundation normalizes first
    let (nh, nl) = x.mantissa.multipliedFullWidth(by: DecimalText.Fixed.powers[38])
    let (qh, ql) = divide(nh, nl, by: y.mantissa)
    let (m, cut) = qh == 0 ? (ql, 0) : fit(high: qh, low: ql)
    let e = ea - eb - 38 + cut
    guard e >= -128, e <= 127 else { return nil }
    return assemble(negative: x.negative != y.negative, mantissa: m, exponent: e)
  }
}
