import Foundation

/// The in-process cache's hit ratio: given, or the lambda-fleet model of MODEL.md §4.
public enum CacheHitRatio {
  public static func hitRatio(_ cache: CacheSpec, workload w: DerivedWorkload) -> Decimal {
    switch cache.model {
    case .fixed(let h): return h
    case .lambdaFleet(let idle):
      return fleet(workload: w, handlerMs: cache.handlerMs, idleTimeoutMinutes: idle).hitRatio
    }
  }

  public struct Fleet: Sendable {
    public var concurrency: Decimal
    public var warm: Bool
    public var hitRatio: Decimal
  }

  /// c = max(1, ⌈peak requests/s × handlerMs / 1000⌉); h = ((n − 1) / n) × (1 / c) × w,
  /// w = 1 when the record gap g ≤ idleTimeoutMinutes, else 0.
  public static func fleet(workload w: DerivedWorkload, handlerMs: Decimal, idleTimeoutMinutes: Decimal) -> Fleet {
    let c = Decimal.maximum(1, DecimalMath.ceil(w.peakRequestsPerSecond * handlerMs / 1000))
    let warm = w.recordGapMinutes <= idleTimeoutMinutes
    let n = w.requestsPerSession
    let h: Decimal = warm && n > 0 ? (n - 1) / n / c : 0
    return Fleet(concurrency: c, warm: warm, hitRatio: h)
  }
}
