import Foundation
import Testing

@testable import CostModel

/// `DecimalArithmetic` must give Foundation's own results bit for bit (the reports are compared byte for byte), so
/// every test here checks it against Foundation's operators on the same operands.
@Suite struct DecimalArithmeticTests {
  /// A value of 1–38 digits (a third of them two or three digits then zeros, as prices and counts are), an exponent
  /// in −40…30, a fifth negative.
  static func value(_ rng: inout SplitMix64) -> Decimal {
    let digits = Int(rng.next() % 38) + 1
    var text = String(rng.next() % 9 + 1)
    let short = rng.next() % 3 == 0 && digits > 3
    for i in 1..<digits { text += short && i >= 3 ? "0" : String(rng.next() % 10) }
    let exponent = Int(rng.next() % 71) - 40
    let negative = rng.next() % 5 == 0
    return Decimal(string: (negative ? "-" : "") + text + "e\(exponent)")!
  }

  /// The pool: random values, Foundation's own quotients, products and sums of them (38-digit mantissas, the
  /// operands a pricer meets after a division), their tenfold and negated copies, and a few constants.
  static func pool() -> [Decimal] {
    var rng = SplitMix64(seed: 20_261_130)
    var p: [Decimal] = [0, 1, -1, 730, DecimalMath.half, Decimal(string: "0.7")!, .nan]
    for _ in 0..<1500 { p.append(value(&rng)) }
    for i in 0..<400 {
      p.append(p[i] / p[i + 1])
      p.append(p[i] * p[i + 7])
      p.append(p[i] + p[i + 3])
      p.append(p[i] * 10)
      p.append(-p[i])
    }
    return p
  }

  @Test func everyOperationGivesFoundationsBitsOnAHundredThousandPairs() {
    #expect(DecimalArithmetic.verified)
    let p = Self.pool()
    var rng = SplitMix64(seed: 7)
    var fast = (multiply: 0, divide: 0, add: 0, compare: 0)
    var wrong: [String] = []
    for _ in 0..<100_000 {
      let a = p[Int(rng.next() % UInt64(p.count))]
      // Half the pairs are a value with itself: equal magnitudes, exact differences of zero.
      let b = rng.next() % 2 == 0 ? a : p[Int(rng.next() % UInt64(p.count))]
      let same = DecimalArithmetic.same
      // A product exponent below −128 traps in Foundation's `*` (see the edge cases): not compared, except that
      // ours must be NaN where no cut of at most 38 digits could bring it back into range.
      let exponents = a.exponent + b.exponent
      if exponents >= -128 {
        if !same(DecimalArithmetic.multiply(a, b), a * b) { wrong.append("\(a) × \(b)") }
      } else if exponents < -128 - 38, !a.isNaN, !b.isNaN, !a.isZero, !b.isZero,
        !DecimalArithmetic.multiply(a, b).isNaN
      {
        wrong.append("\(a) × \(b) is not NaN")
      }
      if !same(DecimalArithmetic.add(a, b), a + b) { wrong.append("\(a) + \(b)") }
      if !same(DecimalArithmetic.subtract(a, b), a - b) { wrong.append("\(a) − \(b)") }
      if !b.isZero, !same(DecimalArithmetic.divide(a, b), a / b) { wrong.append("\(a) ÷ \(b)") }
      if DecimalArithmetic.less(a, b) != (a < b) { wrong.append("\(a) < \(b)") }
      if Decimal.isLessOrEqual(a, b) != (a <= b) { wrong.append("\(a) ≤ \(b)") }
      // How many took the fast path (the rest went to Foundation): the test must exercise it.
      if DecimalArithmetic.fastMultiply(a, b) != nil { fast.multiply += 1 }
      if DecimalArithmetic.fastDivide(a, b) != nil { fast.divide += 1 }
      if DecimalArithmetic.fastAdd(a, b, negateB: false) != nil { fast.add += 1 }
      if DecimalArithmetic.fastCompare(a, b) != nil { fast.compare += 1 }
    }
    #expect(wrong.isEmpty, "\(wrong.count) differ from Foundation, first: \(wrong.prefix(5))")
    #expect(fast.multiply > 90_000 && fast.divide > 60_000)
    #expect(fast.add > 60_000 && fast.compare > 95_000)
  }

  @Test func theCasesAtFoundationsEdgesAgreeToo() {
    let d = { (s: String) in Decimal(string: s)! }
    let cases: [(Decimal, Decimal)] = [
      // A quotient of 38 digits, then cut from a 256-bit intermediate (÷ 10,000 steps, then ÷ 10).
      (1, 3), (2, d("0.7")), (d("340282366920938463463374607431768211455"), 7),
      // A product wider than 128 bits: cut, truncating (Foundation computes a rounded value and returns the cut one).
      (d("99999999999999999999999999999999999999"), d("99999999999999999999999999999999999999")),
      (d("12345678901234567890123456789012345678"), d("0.5")),
      // Exponents at the ends of −128…127, and past them (Foundation's overflow, underflow and NaN).
      (d("1e100"), d("1e27")), (d("1e100"), d("1e28")), (d("1e-100"), d("1e-28")),
      (d("1e-100"), d("1e-29")),
      (d("1e-120"), d("3e10")), (d("5e120"), d("2e-10")),
      // Dividend exponent 19 or more above the divisor's: Foundation normalizes first.
      (d("1e19"), d("3")), (d("7e25"), d("0.3")),
      // Opposite signs of equal magnitude, zero operands, NaN.
      (d("2.5"), d("-2.50")), (0, d("3.1")), (d("-4"), 0), (.nan, 1), (1, .nan),
      // Alignments that do not fit 128 bits: the larger-exponent operand is the larger magnitude.
      (d("4"), d("0.34028236692093846346337460743176821145")),
      (d("1e30"), d("123456789012345678901234567890123456.78")),
    ]
    for (a, b) in cases {
      for (x, y) in [(a, b), (b, a), (-a, b), (a, -b)] {
        let same = DecimalArithmetic.same
        if x.exponent + y.exponent < -128 {
          // Foundation's `*` traps here (it stores the exponent in 8 bits unchecked); this one gives NaN.
          #expect(DecimalArithmetic.multiply(x, y).isNaN, "\(x) × \(y)")
        } else {
          #expect(same(DecimalArithmetic.multiply(x, y), x * y), "\(x) × \(y)")
        }
        #expect(same(DecimalArithmetic.add(x, y), x + y), "\(x) + \(y)")
        #expect(same(DecimalArithmetic.subtract(x, y), x - y), "\(x) − \(y)")
        if !y.isZero { #expect(same(DecimalArithmetic.divide(x, y), x / y), "\(x) ÷ \(y)") }
        #expect(DecimalArithmetic.less(x, y) == (x < y), "\(x) < \(y)")
      }
    }
    // Worked by hand: 1 ÷ 3: 10^38 ÷ 3 = 33…3 (38 threes, truncated) at 10^(0 − 0 − 38), so 0.333… to 38 places.
    // 2 ÷ 0.7: 2 × 10^38 ÷ 7 = 28571428571428571428571428571428571428 (38 digits, under 2^128 ≈ 3.4 × 10^38, so
    // nothing is cut) at 10^(0 − (−1) − 38) = 10^−37: 2.857142 857142 … 8, truncated, not rounded.
    #expect(DecimalArithmetic.divide(1, 3) == d("0." + String(repeating: "3", count: 38)))
    #expect(
      DecimalArithmetic.divide(2, d("0.7"))
        == d("2." + String(repeating: "857142", count: 6) + "8"))
  }
}
