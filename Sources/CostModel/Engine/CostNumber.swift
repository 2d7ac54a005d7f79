import Foundation

/// The arithmetic the pricers need. `Decimal` prices line items exactly; `Double` runs the same pricing
/// code fast for the break-even search (docs/model.md §7 asks crossovers to 1e-6 relative width; a `Double`
/// has 15 digits). One pricing implementation, two number types.
public protocol CostNumber: Sendable, Comparable, ExpressibleByIntegerLiteral {
  /// `a + b`, written `a + b` in generic code (the operators below): `Decimal`'s arithmetic and comparisons are
  /// `DecimalArithmetic`'s, Foundation's results at a fraction of their cost.
  static func sum(_ a: Self, _ b: Self) -> Self
  /// `a − b`, written `a - b` in generic code.
  static func difference(_ a: Self, _ b: Self) -> Self
  /// `a < b`. Generic code's `<` is Comparable's (Foundation's for `Decimal`, which an operator here cannot
  /// replace), so the hot comparisons call this by name.
  static func isLess(_ a: Self, _ b: Self) -> Bool
  /// `a ≤ b` (not `!(b < a)` for `Double`, whose NaN is neither).
  static func isLessOrEqual(_ a: Self, _ b: Self) -> Bool
  /// The larger, `isLess(b, a) ? a : b`: what `maximum` calls, a requirement so that `Lanes` takes it lane by lane.
  /// (Not named `maximum`: `Double`'s own `maximum` from `FloatingPoint` would answer for it, with other rules for
  /// NaN and signed zeros.)
  static func larger(_ a: Self, _ b: Self) -> Self
  /// The smaller, `isLess(a, b) ? a : b`: what `minimum` calls.
  static func smaller(_ a: Self, _ b: Self) -> Self
  /// `isLessOrEqual(a, b) ? x : y`, lane by lane for `Lanes` (a choice that is not a branch).
  static func ifLessOrEqual(_ a: Self, _ b: Self, then x: Self, else y: Self) -> Self
  /// `a × b`, written `a * b` in generic code.
  static func product(_ a: Self, _ b: Self) -> Self
  /// `a ÷ b`, written `a / b` in generic code.
  static func quotient(_ a: Self, _ b: Self) -> Self
  init(_ value: Decimal)
  init(_ value: Int)
  /// Probabilities computed with `exp` enter here (once, where they meet a quantity).
  static func fromDouble(_ value: Double) -> Self
  /// One half.
  static var half: Self { get }
  var ceiling: Self { get }
  /// Rounded to the nearest integer, halves up (values here are never negative).
  var roundedHalfUp: Self { get }
  var asDecimal: Decimal { get }
  var asDouble: Double { get }
  var isInvalid: Bool { get }
  /// A rate's numbers in this type (converted once, when the rate is read).
  static func numbers(of rate: Rate) -> RateNumbers<Self>
  /// `x ÷ per` of a rate: for `Decimal` a multiplication by 10^-k where `per` is 10^k (the same exact value, at a
  /// tenth of a division's cost); for `Double` the plain division.
  static func perDivide(_ x: Self, _ n: RateNumbers<Self>) -> Self
}

/// A rate's price, per, tiers, free and minimum quantities in one number type.
public struct RateNumbers<Q: CostNumber>: Sendable {
  public var price: Q?
  public var per: Q
  public var tiers: [(upTo: Q?, price: Q)]?
  public var free: Q?
  public var minimum: Q?
  /// 10^-k when `per` is 10^k (k ≥ 0), else nil.
  public var inversePer: Q?
  /// `per` is 1 (most rates): dividing by it is nothing to do.
  public var perIsOne: Bool = false
  /// The rate's `savingsPlanDiscount` attribute (docs/model.md §3.6), a fraction.
  public var savingsPlanDiscount: Q?

  init(
    price: Q?, per: Q, tiers: [(upTo: Q?, price: Q)]?, free: Q?, minimum: Q?, inversePer: Q? = nil,
    savingsPlanDiscount: Q? = nil
  ) {
    self.price = price
    self.per = per
    self.tiers = tiers
    self.free = free
    self.minimum = minimum
    self.inversePer = inversePer
    self.perIsOne = per == 1
    self.savingsPlanDiscount = savingsPlanDiscount
  }

  /// 10^-k when `per` is 10^k, exactly.
  static func inverseOfPowerOfTen(_ per: Decimal) -> Decimal? {
    guard per > 0, DecimalText.layoutVerified else { return nil }
    let f = DecimalText.Fixed(per)
    var m = f.mantissa
    var e = f.exponent
    while m % 10 == 0 {
      m /= 10
      e += 1
    }
    guard m == 1, e >= 0, e <= 38 else { return nil }
    return DecimalMath.inversePowersOfTen[e]
  }
}

extension CostNumber {
  /// A month of 730 hours (AWS's pricing month; docs/model.md §1), in this number type.
  public static var hoursPerMonth: Self { 730 }
  /// A GB of storage is 2^30 bytes (a GiB), as AWS bills it.
  public static var bytesPerGiB: Self { 1_073_741_824 }
  public static func larger(_ a: Self, _ b: Self) -> Self { isLess(b, a) ? a : b }
  public static func smaller(_ a: Self, _ b: Self) -> Self { isLess(a, b) ? a : b }
  public static func ifLessOrEqual(_ a: Self, _ b: Self, then x: Self, else y: Self) -> Self {
    isLessOrEqual(a, b) ? x : y
  }
  @inline(__always) static func maximum(_ a: Self, _ b: Self) -> Self { larger(a, b) }
  @inline(__always) static func minimum(_ a: Self, _ b: Self) -> Self { smaller(a, b) }
  static func + (a: Self, b: Self) -> Self { sum(a, b) }
  static func - (a: Self, b: Self) -> Self { difference(a, b) }
  static func * (a: Self, b: Self) -> Self { product(a, b) }
  static func / (a: Self, b: Self) -> Self { quotient(a, b) }
  static func += (a: inout Self, b: Self) { a = a + b }
  static func *= (a: inout Self, b: Self) { a = a * b }
}

extension Decimal: CostNumber {
  public init(_ value: Decimal) { self = value }
  public static func sum(_ a: Decimal, _ b: Decimal) -> Decimal { DecimalArithmetic.add(a, b) }
  public static func difference(_ a: Decimal, _ b: Decimal) -> Decimal {
    DecimalArithmetic.subtract(a, b)
  }
  public static func isLess(_ a: Decimal, _ b: Decimal) -> Bool { DecimalArithmetic.less(a, b) }
  /// Foundation's `<=` is Comparable's `!(b < a)`.
  public static func isLessOrEqual(_ a: Decimal, _ b: Decimal) -> Bool {
    !DecimalArithmetic.less(b, a)
  }
  public static func product(_ a: Decimal, _ b: Decimal) -> Decimal {
    DecimalArithmetic.multiply(a, b)
  }
  public static func quotient(_ a: Decimal, _ b: Decimal) -> Decimal {
    DecimalArithmetic.divide(a, b)
  }
  public static func fromDouble(_ value: Double) -> Decimal { DecimalMath.fromDouble(value) }
  public static var half: Decimal { DecimalMath.half }
  public var ceiling: Decimal { DecimalMath.ceil(self) }
  public var roundedHalfUp: Decimal { DecimalMath.round(self, 0, .plain) }
  public var asDecimal: Decimal { self }
  public var asDouble: Double { DecimalMath.toDouble(self) }
  public var isInvalid: Bool { isNaN }
  public static func numbers(of rate: Rate) -> RateNumbers<Decimal> { rate.decimals }
  public static func perDivide(_ x: Decimal, _ n: RateNumbers<Decimal>) -> Decimal {
    guard let inverse = n.inversePer else { return DecimalArithmetic.divide(x, n.per) }
    return n.perIsOne ? x : DecimalArithmetic.multiply(x, inverse)
  }
}

extension Double: CostNumber {
  public init(_ value: Decimal) { self = DecimalMath.toDouble(value) }
  @inline(__always) public static func sum(_ a: Double, _ b: Double) -> Double { a + b }
  @inline(__always) public static func difference(_ a: Double, _ b: Double) -> Double { a - b }
  @inline(__always) public static func isLess(_ a: Double, _ b: Double) -> Bool { a < b }
  @inline(__always) public static func isLessOrEqual(_ a: Double, _ b: Double) -> Bool { a <= b }
  @inline(__always) public static func product(_ a: Double, _ b: Double) -> Double { a * b }
  @inline(__always) public static func quotient(_ a: Double, _ b: Double) -> Double { a / b }
  public static func fromDouble(_ value: Double) -> Double { value }
  public static var half: Double { 0.5 }
  public var ceiling: Double { rounded(.up) }
  public var roundedHalfUp: Double { rounded(.toNearestOrAwayFromZero) }
  public var asDecimal: Decimal { DecimalMath.fromDouble(self) }
  public var asDouble: Double { self }
  public var isInvalid: Bool { !isFinite }
  public static func numbers(of rate: Rate) -> RateNumbers<Double> { rate.doubles }
  public static func perDivide(_ x: Double, _ n: RateNumbers<Double>) -> Double { x / n.per }
}
