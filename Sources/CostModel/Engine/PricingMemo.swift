import Foundation

/// What one option's pricer built from the rate book at its last pricing, kept for the next one: sampling prices
/// each option at every scale of every draw (docs/model.md §10), and the tables it needs are the same each time.
/// One memo per option and thread (it is not locked), carried by `PricingContext`.
final class PricingMemo {
  /// A service's own tables, built from the rate book once (ElastiCache: its node candidates), with the index
  /// they were built from.
  private var stash: (index: RateIndex, value: AnyObject)?

  /// `DecimalMath.sumCeil` in `Double` by its arguments (they depend on the workload's sizes, not on the scale).
  private var sums: [(key: (a: Int, b: Int, m: Int, count: Int), value: Double)] = []

  init() {}

  /// `DecimalMath.sumCeil(a:b:m:count:)` in `Double`, computed once for the same arguments.
  func sumCeil(a: Int, b: Int, m: Int, count: Int) -> Double {
    for e in sums where e.key == (a, b, m, count) { return e.value }
    let v = DecimalMath.sumCeil(a: a, b: b, m: m, count: count, as: Double.self)
    if sums.count >= 8 { sums.removeFirst() }
    sums.append(((a, b, m, count), v))
    return v
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
