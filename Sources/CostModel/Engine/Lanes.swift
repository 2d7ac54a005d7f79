import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Eight draws priced at once: a `CostNumber` whose value is eight `Double`s, one a lane (docs/model.md §10).
///
/// Sampling prices every option at every scale of every draw, and a `Double` pricing is mostly line building, rate
/// look-ups and reference counting, not arithmetic. The pricers are generic over their number type, so running them
/// on `Lanes` pays that once for eight draws, with the same code. Arithmetic, `maximum`, `minimum`, `ceiling` and
/// rounding are lane by lane, each lane the same IEEE operation as the `Double` pricer's, so a lane's result is that
/// draw's `Double` result bit for bit. A comparison whose lanes disagree (the draws take different branches: another
/// node type, a tier crossed by some) cannot be followed by all eight: it marks the pricing as diverged
/// (`LaneDivergence`), and the sampler prices those draws one by one. So does a value that leaves the number type
/// (`asDouble`) with lanes that differ.
public struct Lanes: Sendable {
  public static let count = 8
  public var v: SIMD8<Double>

  @inline(__always) public init(_ v: SIMD8<Double>) { self.v = v }
  @inline(__always) public init(repeating x: Double) { v = SIMD8(repeating: x) }
  /// Lane k is `f(k)`.
  @inline(__always) public init(gather f: (Int) -> Double) {
    v = SIMD8(f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7))
  }

  /// The value of every lane, when they are all the same; else the pricing diverges and lane 0's is returned.
  @inline(__always) var uniform: Double {
    if !allSameIncludingNaN { LaneDivergence.mark() }
    return v[0]
  }

  /// All lanes the same value, NaNs included (a NaN is not equal to itself).
  var allSameIncludingNaN: Bool {
    let x = v[0]
    for k in 0..<Self.count where v[k].bitPattern != x.bitPattern { return false }
    return true
  }

  /// The lanes' verdicts as one: true or false when they all agree, else a divergence (and lane 0's verdict).
  @inline(__always) static func agreed(_ m: SIMDMask<SIMD8<Int64>>) -> Bool {
    if all(m) { return true }
    if !any(m) { return false }
    LaneDivergence.mark()
    return m[0]
  }
}

/// Whether the pricing running on this thread met a comparison its lanes disagree on (`Lanes`). Kept per thread:
/// the sampler's chunks run on every core at once.
public enum LaneDivergence {
  private static let key: pthread_key_t = {
    var k = pthread_key_t()
    pthread_key_create(&k, nil)
    return k
  }()
  private static var marked: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 1) }

  /// Marks the current pricing as diverged.
  @inline(__always) static func mark() { pthread_setspecific(key, marked) }

  /// Whether the pricing since the last `take` diverged; clears the mark.
  public static func take() -> Bool {
    guard pthread_getspecific(key) != nil else { return false }
    pthread_setspecific(key, nil)
    return true
  }
}

extension Lanes: Comparable {
  public static func < (a: Lanes, b: Lanes) -> Bool { agreed(a.v .< b.v) }
  public static func == (a: Lanes, b: Lanes) -> Bool { agreed(a.v .== b.v) }
  public static func <= (a: Lanes, b: Lanes) -> Bool { agreed(a.v .<= b.v) }
  public static func > (a: Lanes, b: Lanes) -> Bool { agreed(b.v .< a.v) }
  public static func >= (a: Lanes, b: Lanes) -> Bool { agreed(b.v .<= a.v) }
}

extension Lanes: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self.init(repeating: Double(value)) }
}

extension Lanes: CostNumber {
  public init(_ value: Decimal) { self.init(repeating: DecimalMath.toDouble(value)) }
  public init(_ value: Int) { self.init(repeating: Double(value)) }
  @inline(__always) public static func sum(_ a: Lanes, _ b: Lanes) -> Lanes { Lanes(a.v + b.v) }
  @inline(__always) public static func difference(_ a: Lanes, _ b: Lanes) -> Lanes {
    Lanes(a.v - b.v)
  }
  @inline(__always) public static func product(_ a: Lanes, _ b: Lanes) -> Lanes { Lanes(a.v * b.v) }
  @inline(__always) public static func quotient(_ a: Lanes, _ b: Lanes) -> Lanes {
    Lanes(a.v / b.v)
  }
  @inline(__always) public static func isLess(_ a: Lanes, _ b: Lanes) -> Bool { agreed(a.v .< b.v) }
  @inline(__always) public static func isLessOrEqual(_ a: Lanes, _ b: Lanes) -> Bool {
    agreed(a.v .<= b.v)
  }
  /// Lane by lane as `Double`'s: `isLess(b, a) ? a : b`.
  @inline(__always) public static func larger(_ a: Lanes, _ b: Lanes) -> Lanes {
    Lanes(b.v.replacing(with: a.v, where: b.v .< a.v))
  }
  /// Lane by lane as `Double`'s: `isLess(a, b) ? a : b`.
  @inline(__always) public static func smaller(_ a: Lanes, _ b: Lanes) -> Lanes {
    Lanes(b.v.replacing(with: a.v, where: a.v .< b.v))
  }
  /// Lane by lane: x where a ≤ b, else y.
  @inline(__always) public static func ifLessOrEqual(
    _ a: Lanes, _ b: Lanes, then x: Lanes, else y: Lanes
  ) -> Lanes {
    Lanes(y.v.replacing(with: x.v, where: a.v .<= b.v))
  }
  public static func fromDouble(_ value: Double) -> Lanes { Lanes(repeating: value) }
  public static var half: Lanes { Lanes(repeating: 0.5) }
  public var ceiling: Lanes { Lanes(v.rounded(.up)) }
  public var roundedHalfUp: Lanes { Lanes(v.rounded(.toNearestOrAwayFromZero)) }
  public var asDecimal: Decimal { DecimalMath.fromDouble(uniform) }
  public var asDouble: Double { uniform }
  public var isInvalid: Bool {
    var invalid = 0
    for k in 0..<Self.count where !v[k].isFinite { invalid += 1 }
    if invalid != 0 && invalid != Self.count { LaneDivergence.mark() }
    return !v[0].isFinite
  }
  public static func numbers(of rate: Rate) -> RateNumbers<Lanes> { rate.lanes }
  /// A rate's `Double` numbers in every lane.
  static func broadcast(_ d: RateNumbers<Double>) -> RateNumbers<Lanes> {
    let l = { (x: Double) in Lanes(repeating: x) }
    return RateNumbers(
      price: d.price.map(l), per: l(d.per),
      tiers: d.tiers.map { $0.map { (upTo: $0.upTo.map(l), price: l($0.price)) } },
      free: d.free.map(l), minimum: d.minimum.map(l), inversePer: d.inversePer.map(l),
      savingsPlanDiscount: d.savingsPlanDiscount.map(l))
  }
  public static func perDivide(_ x: Lanes, _ n: RateNumbers<Lanes>) -> Lanes {
    Lanes(x.v / n.per.v)
  }
}
