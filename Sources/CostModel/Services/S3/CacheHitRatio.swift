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
    /// The record gap g and the idle timeout, in minutes.
    public var gapMinutes: Q
    public var idleTimeoutMinutes: Q
    public var hitRatio: Q
    /// g ≤ idle timeout: an instance is still warm for the session's next record.
    public var warm: Bool { gapMinutes <= idleTimeoutMinutes }
  }

  /// c = max(1, ⌈peak requests/s × handlerMs / 1000⌉); h = ((n − 1) / n) × (1 / c) × w,
  /// w = 1 when the record gap g ≤ idleTimeoutMinutes, else 0.
  public static func fleet<Q: CostNumber>(
    workload w: DerivedWorkload<Q>, handlerMs: Decimal, idleTimeoutMinutes: Decimal
  ) -> Fleet<Q> {
    let c = Q.maximum(1, (w.peakRequestsPerSecond * Q(handlerMs) / 1000).ceiling)
    let gap = w.recordGapMinutes
    let idle = Q(idleTimeoutMinutes)
    let n = w.requestsPerSession
    // w as a choice between the two values, not a branch: eight draws at once (`Lanes`) take it lane by lane.
    let h: Q = n > 0 ? Q.ifLessOrEqual(gap, idle, then: (n - 1) / n / c, else: 0) : 0
    return Fleet(concurrency: c, gapMinutes: gap, idleTimeoutMinutes: idle, hitRatio: h)
  }
}
