import Foundation

/// The in-process cache's hit ratio: given, or the lambda-fleet model of docs/model.md §4.
public enum CacheHitRatio {
  public static func hitRatio<Q: CostNumber>(_ cache: CacheSpec, workload w: DerivedWorkload<Q>)
    -> Q
  {
    switch cache.model {
    case .fixed(let h): return Q(h)
    case .lambdaFleet(let idle):
      return fleet(workload: w, handlerMs: cache.handlerMs, idleTimeoutMinutes: idle).hitRatio
    }
  }

  public struct Fleet<Q: CostNumber>: Sendable {
    public var concurrency: Q
    public var warm: Bool
    public var hitRatio: Q
  }

  /// c = max(1, ⌈peak requests/s × handlerMs / 1000⌉); h = ((n − 1) / n) × (1 / c) × w,
  /// w = 1 when the record gap g ≤ idleTimeoutMinutes, else 0.
  public static func fleet<Q: CostNumber>(
    workload w: DerivedWorkload<Q>, handlerMs: Decimal, idleTimeoutMinutes: Decimal
  ) -> Fleet<Q> {
    let c = Q.maximum(1, (w.peakRequestsPerSecond * Q(handlerMs) / 1000).ceiling)
    let warm = w.recordGapMinutes <= Q(idleTimeoutMinutes)
    let n = w.requestsPerSession
    let h: Q = warm && n > 0 ? (n - 1) / n / c : 0
    return Fleet(concurrency: c, warm: warm, hitRatio: h)
  }
}
