import Foundation

/// What one option's pricer built from the rate book at its last pricing, kept for the next one: sampling prices
/// each option at every scale of every draw (docs/model.md §10), and the tables it needs are the same each time.
/// One memo per option and thread (it is not locked), carried by `PricingContext`.
final class PricingMemo {
  /// A service's own tables, built from the rate book once (ElastiCache: its node candidates), with the index
  /// they were built from.
  private var stash: (index: RateIndex, value: AnyObject)?

  /// `DecimalMath.sumCeil` in `Double` by its arguments (they depend on the workload's sizes, not on the scale): a
  /// direct-mapped table, a key's slot from its bits (as `LatencyMemo`'s), a new key replacing the one in its slot.
  private static let slots = 64
  private var keys = [(a: Int, b: Int, m: Int, count: Int)](
    repeating: (-1, -1, -1, -1), count: PricingMemo.slots)
  private var sums = [Double](repeating: 0, count: PricingMemo.slots)

  init() {}

  /// `DecimalMath.sumCeil(a:b:m:count:)` in `Double`, computed once for the same arguments.
  func sumCeil(a: Int, b: Int, m: Int, count: Int) -> Double {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    h = SplitMix64.mix(h ^ UInt64(bitPattern: Int64(a)))
    h = SplitMix64.mix(h ^ UInt64(bitPattern: Int64(b)))
    h = SplitMix64.mix(h ^ UInt64(bitPattern: Int64(m)))
    h = SplitMix64.mix(h ^ UInt64(bitPattern: Int64(count)))
    let i = Int(truncatingIfNeeded: h) & (Self.slots - 1)
    if keys[i] == (a, b, m, count) { return sums[i] }
    let v = DecimalMath.sumCeil(a: a, b: b, m: m, count: count, as: Double.self)
    keys[i] = (a, b, m, count)
    sums[i] = v
    return v
  }

  /// Eight draws' sums (`Lanes`), the last few by their arguments.
  private var lanes:
    [(a: SIMD8<Int>, b: SIMD8<Int>, m: Int, count: SIMD8<Int>, sums: SIMD8<Double>)] = []
  private var nextLane = 0

  /// `DecimalMath.sumCeil` of each lane's arguments in `Double`, computed once for the same eight.
  func laneSums(a: SIMD8<Int>, b: SIMD8<Int>, m: Int, count: SIMD8<Int>) -> SIMD8<Double> {
    for e in lanes where e.m == m && e.a == a && e.b == b && e.count == count { return e.sums }
    let sums = Self.laneSumsComputed(a: a, b: b, m: m, count: count)
    if lanes.count < 4 {
      lanes.append((a, b, m, count, sums))
    } else {
      lanes[nextLane] = (a, b, m, count, sums)
      nextLane = (nextLane + 1) % 4
    }
    return sums
  }

  /// `DecimalMath.sumCeil` of each lane's arguments in `Double`.
  static func laneSumsComputed(a: SIMD8<Int>, b: SIMD8<Int>, m: Int, count: SIMD8<Int>)
    -> SIMD8<Double>
  {
    Lanes(gather: { k in
      DecimalMath.sumCeil(a: a[k], b: b[k], m: m, count: count[k], as: Double.self)
    }).v
  }

  /// The stashed `T` built from `index`, when there is one and `valid` accepts it; else `make()`, kept.
  func stashed<T: AnyObject>(
    _ type: T.Type, index: RateIndex, valid: (T) -> Bool, make: () -> T
  ) -> T {
    if let s = stash, s.index === index, let v = s.value as? T, valid(v) { return v }
    let v = make()
    stash = (index, v)
    return v
  }
}
