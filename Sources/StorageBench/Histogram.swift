/// A log-linear latency histogram in nanoseconds: exact below 256 ns, then 128 linear buckets per power of
/// two, so a bucket is at most 1/128 of its lower bound wide and a percentile reported at the bucket's
/// midpoint is within 0.4% of a recorded value (≤ 1%, as the benchmarks need). Minimum and maximum are exact.
public struct LatencyHistogram: Sendable {
  static let subBits = 7
  static let sub = 1 << subBits  // 128
  private var buckets: [UInt64]
  public private(set) var count: UInt64 = 0
  public private(set) var maxNanos: UInt64 = 0
  public private(set) var minNanos: UInt64 = .max
  public private(set) var sumNanos: Double = 0

  public init() { buckets = [UInt64](repeating: 0, count: Self.index(UInt64.max) + 1) }

  static func index(_ v: UInt64) -> Int {
    if v < UInt64(2 * sub) { return Int(v) }
    let e = 63 - v.leadingZeroBitCount  // ≥ subBits + 1
    let shift = e - subBits
    return 2 * sub + (shift - 1) * sub + Int((v >> UInt64(shift)) & UInt64(sub - 1))
  }

  /// The lowest and highest value a bucket holds.
  static func bounds(_ i: Int) -> (UInt64, UInt64) {
    if i < 2 * sub { return (UInt64(i), UInt64(i)) }
    let shift = (i - 2 * sub) / sub + 1
    let m = UInt64((i - 2 * sub) % sub + sub)
    let lo = m << UInt64(shift)
    return (lo, lo + ((UInt64(1) << UInt64(shift)) - 1))
  }

  public mutating func record(nanos: UInt64) {
    buckets[Self.index(nanos)] += 1
    count += 1
    sumNanos += Double(nanos)
    if nanos > maxNanos { maxNanos = nanos }
    if nanos < minNanos { minNanos = nanos }
  }

  public mutating func merge(_ other: LatencyHistogram) {
    for i in 0..<buckets.count { buckets[i] += other.buckets[i] }
    count += other.count
    sumNanos += other.sumNanos
    maxNanos = max(maxNanos, other.maxNanos)
    minNanos = min(minNanos, other.minNanos)
  }

  /// The value at quantile q (0…1): the smallest recorded value with at least q of the values at or below it,
  /// as its bucket's midpoint, clamped to the exact minimum and maximum. 0 when empty.
  public func value(atQuantile q: Double) -> UInt64 {
    guard count > 0 else { return 0 }
    let rank = max(1, UInt64((q * Double(count)).rounded(.up)))
    var seen: UInt64 = 0
    for (i, n) in buckets.enumerated() where n > 0 {
      seen += n
      if seen >= rank {
        let (lo, hi) = Self.bounds(i)
        return min(max(lo + (hi - lo) / 2, minNanos), maxNanos)
      }
    }
    return maxNanos
  }

  public func milliseconds(atQuantile q: Double) -> Double { Double(value(atQuantile: q)) / 1e6 }
  public var maxMilliseconds: Double { Double(count == 0 ? 0 : maxNanos) / 1e6 }
}
