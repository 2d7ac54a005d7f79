import CostModel
import Foundation
import Testing

@testable import StorageBench

struct HistogramTests {
  @Test func everyValueFallsInsideItsBucketAndBucketsAreNarrow() {
    var rng = SplitMix64(seed: 1)
    var values: [UInt64] = Array(0...600) + [UInt64.max, UInt64.max - 1, 1 << 40, (1 << 40) - 1]
    for _ in 0..<20_000 { values.append(rng.next() >> (rng.next() % 64)) }
    for v in values {
      let i = LatencyHistogram.index(v)
      let (lo, hi) = LatencyHistogram.bounds(i)
      #expect(lo <= v && v <= hi, "\(v) not in bucket \(i) [\(lo), \(hi)]")
      if lo >= 256 { #expect(Double(hi - lo + 1) / Double(lo) <= 1.0 / 128 + 1e-12) }
    }
  }

  @Test func percentilesWithinOnePercentOfTheExactOnes() {
    // Lognormal latencies around 2 ms (σ = 1): compare with the sorted sample's exact order statistics.
    var rng = SplitMix64(seed: 99)
    var h = LatencyHistogram()
    var sample: [UInt64] = []
    for _ in 0..<50_000 {
      let z = sqrt(-2 * log(rng.unit())) * cos(2 * Double.pi * rng.unit())
      let v = UInt64(2_000_000 * exp(z))
      sample.append(v)
      h.record(nanos: v)
    }
    sample.sort()
    for q in [0.5, 0.9, 0.99, 0.999, 1.0] {
      let exact = Double(sample[max(0, Int((q * Double(sample.count)).rounded(.up)) - 1)])
      let got = Double(h.value(atQuantile: q))
      #expect(abs(got - exact) / exact <= 0.01, "q \(q): \(got) vs \(exact)")
    }
    #expect(h.maxNanos == sample.last! && h.minNanos == sample.first!)
    #expect(h.count == 50_000)
  }

  @Test func emptyAndSingleValue() {
    var h = LatencyHistogram()
    #expect(h.value(atQuantile: 0.5) == 0 && h.maxMilliseconds == 0)
    h.record(nanos: 1_234_567)
    // One value: every percentile is that value (clamped to the exact min and max).
    #expect(h.value(atQuantile: 0.5) == 1_234_567 && h.value(atQuantile: 0.999) == 1_234_567)
    var other = LatencyHistogram()
    other.record(nanos: 10)
    h.merge(other)
    #expect(h.count == 2 && h.value(atQuantile: 0.5) == 10 && h.maxNanos == 1_234_567)
  }
}
