import Foundation

/// Powers of the monthly growth factor f = 1 + g/100 over a projection's H months (docs/model.md §11), computed
/// once and shared by every month, option and scale. In `Decimal` the powers are exact products (f^k by repeated
/// multiplication), as far as 38 digits reach.
public final class GrowthTable<Q: CostNumber>: Sendable {
  /// g, percent a month.
  public let monthlyPercent: Decimal
  /// H.
  public let months: Int
  /// g = 0: the sum of a month's weights then telescopes (see `ProjectionMonth.months`).
  public let isFlat: Bool
  /// f^k, k = 0…H − 1: month k + 1's traffic relative to month 1's.
  public let powers: [Q]
  /// Σ_{i < k} f^i, k = 0…H (empty when flat): exact sums of exact products, as far as 38 digits reach.
  let prefix: [Q]

  public init(monthlyPercent g: Decimal, months: Int) {
    monthlyPercent = g
    self.months = months
    isFlat = g == 0
    let f = Q(1 + g / 100)
    var powers: [Q] = [1]
    powers.reserveCapacity(months)
    while powers.count < months { powers.append(powers[powers.count - 1] * f) }
    self.powers = powers
    if isFlat {
      prefix = []
    } else {
      var sums: [Q] = [0]
      for x in powers { sums.append(sums[sums.count - 1] + x) }
      prefix = sums
    }
  }

  /// Whether every month's traffic could be computed (Decimal turns an overflow into NaN).
  public var isValid: Bool {
    !powers.contains { $0.isInvalid || !($0 > 0) } && !prefix.contains { $0.isInvalid }
  }
}

/// Month t of a projection: what `DerivedWorkload` needs to price that month (docs/model.md §11).
public final class ProjectionMonth<Q: CostNumber>: Sendable {
  /// t, from 1.
  public let month: Int
  /// (1 + g/100)^(t − 1).
  public let traffic: Q
  let table: GrowthTable<Q>

  init(month: Int, table: GrowthTable<Q>) {
    precondition(month >= 1 && month <= table.months, "projection month out of range")
    self.month = month
    self.traffic = table.powers[month - 1]
    self.table = table
  }

  /// The stock in this month of copies each kept from age `start` for `length` months (nil: forever), relative to
  /// this month's inflow. The cohort written a months before this one has age [a, a + 1) and counts with the
  /// overlap of that interval with [start, start + length); its inflow is f^(t − 1 − a) × month 1's. The stock
  /// Σ_{a=0}^{t−1} f^(t−1−a) × overlap is summed exactly (in month 1's inflow) and divided once by f^(t − 1), which
  /// the pricer multiplies back with this month's inflow: one rounding, at Decimal's 38th digit.
  /// With g = 0 the sum is the length of [start, start + length) ∩ [0, t), max(0, min(length, t − start)): §2's
  /// residency with t for H, computed as §2 computes it (so month H of a flat projection is §2's figure exactly).
  func months(from start: Q, length: Q?) -> Q {
    let t = Q(month)
    if table.isFlat {
      guard let length else { return start == 0 ? t : Q.maximum(0, t - start) }
      return start == 0 ? Q.minimum(length, t) : Q.maximum(0, Q.minimum(length, t - start))
    }
    if let length, !Q.isLess(0, length) { return 0 }
    let end = length.map { Q.minimum(start + $0, t) } ?? t
    guard Q.isLess(start, end), Q.isLessOrEqual(0, start) else { return 0 }
    let i = floorIndex(start)
    let j = floorIndex(end)
    let pow = table.powers
    let last = month - 1
    if i == j { return (end - start) * pow[last - i] / pow[last] }
    // The first, partial month of age; the whole months of age i + 1 … j − 1, whose weights f^(t−1−a) are the
    // powers f^(t−j) … f^(t−2−i), a difference of prefix sums; the last, partial one.
    var sum =
      (Q(i + 1) - start) * pow[last - i] + (table.prefix[last - i] - table.prefix[month - j])
    if j < month { sum = sum + (end - Q(j)) * pow[last - j] }
    return sum / pow[last]
  }

  /// ⌊x⌋ for 0 ≤ x ≤ t, exact: a guess in Double, corrected by comparisons in Q.
  func floorIndex(_ x: Q) -> Int {
    let guess = x.asDouble.rounded(.down)
    var k = guess.isFinite ? Int(Swift.min(Double(month), Swift.max(0, guess))) : 0
    while k > 0 && Q.isLess(x, Q(k)) { k -= 1 }
    while k < month && Q.isLessOrEqual(Q(k + 1), x) { k += 1 }
    return k
  }
}
