import CostModel
import Foundation
import StorageKit

/// A Lambda fleet on a simulated clock (docs/model.md §4, `cache.model: lambda-fleet`): each instance has its own
/// in-process cache (a `CacheStore`) over its own client of one shared store (`makeStore`), so an instance that
/// has not seen an entity pays for reading it as a real one would. A request goes to a warm idle instance — the most
/// recently used one, as Lambda reuses warm environments — or starts a new one; an instance is busy for
/// `handlerMs` per request and is reclaimed after `idleTimeoutMinutes` without work.
public final class LambdaFleet {
  public let handlerMs: Double
  public let idleTimeoutMs: Double
  public let cacheEntities: Int
  let makeStore: () throws(StoreError) -> RecordStore
  private var instances: [(cache: CacheStore, busyUntil: Double, lastUsed: Double)] = []
  public private(set) var coldStarts = 0
  public private(set) var peakInstances = 0
  private var retired = StoreCounters()

  public init(
    handlerMs: Double, idleTimeoutMinutes: Double, cacheEntities: Int = 10_000,
    makeStore: @escaping () throws(StoreError) -> RecordStore
  ) {
    self.makeStore = makeStore
    self.handlerMs = handlerMs
    self.idleTimeoutMs = idleTimeoutMinutes * 60_000
    self.cacheEntities = cacheEntities
  }

  /// Everything every instance did (cache hits and misses, and its requests to the store), live and reclaimed.
  public var counters: StoreCounters { instances.reduce(retired) { $0 + $1.cache.counters } }

  /// The instance that serves a request arriving at `t` (ms); it is then busy until `t + handlerMs`.
  public func instance(at t: Double) throws(StoreError) -> CacheStore {
    // Reclaim instances idle for longer than the timeout.
    instances.removeAll { inst in
      let gone = inst.busyUntil <= t && t - inst.lastUsed > idleTimeoutMs
      if gone { retired = retired + inst.cache.counters }
      return gone
    }
    var best: Int?
    for (i, inst) in instances.enumerated() where inst.busyUntil <= t {
      if best == nil || inst.lastUsed > instances[best!].lastUsed { best = i }
    }
    let i: Int
    if let b = best {
      i = b
    } else {
      instances.append((CacheStore(inner: try makeStore(), entities: cacheEntities), 0, 0))
      coldStarts += 1
      i = instances.count - 1
    }
    instances[i].busyUntil = t + handlerMs
    instances[i].lastUsed = t + handlerMs
    peakInstances = max(peakInstances, instances.count)
    return instances[i].cache
  }
}

/// Runs entity sessions through a fleet on a simulated clock: sessions arrive as a Poisson process at
/// `sessionsPerHour`; record k of a session is due `(k − 1) × gapMinutes` after it starts; each request waits
/// for the previous one of its session to finish (`handlerMs`).
public struct FleetSimulation {
  public var plan: SessionPlan
  public var sessions: Int
  public var sessionsPerHour: Double
  public var gapMinutes: Double
  public var recordBytes: Int
  public var seed: UInt64 = 7

  public init(
    plan: SessionPlan, sessions: Int, sessionsPerHour: Double, gapMinutes: Double, recordBytes: Int
  ) {
    self.plan = plan
    self.sessions = sessions
    self.sessionsPerHour = sessionsPerHour
    self.gapMinutes = gapMinutes
    self.recordBytes = recordBytes
  }

  public struct Outcome {
    public var hits: Int
    public var misses: Int
    public var hitRatio: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
    public var coldStarts: Int
    public var peakInstances: Int
    public var counters: StoreCounters
  }

  public func run(_ fleet: LambdaFleet, entityName: (Int) -> String) throws(StoreError) -> Outcome {
    var rng = SplitMix64(seed: seed)
    var requests: [(t: Double, session: Int, op: PlannedOperation)] = []
    var start = 0.0
    var recordsBefore = 0
    for s in 0..<sessions {
      start += -log(rng.unit()) / sessionsPerHour * 3_600_000
      var free = start
      for op in plan.session(s, recordsBefore: recordsBefore) {
        var t = free
        if case .append(_, let k) = op {
          t = max(free, start + Double(k - 1) * gapMinutes * 60_000)
        }
        requests.append((t, s, op))
        free = t + fleet.handlerMs
      }
      recordsBefore += plan.recordsPerEntity
    }
    requests.sort { ($0.t, $0.session) < ($1.t, $1.session) }
    let body = [UInt8](repeating: 0x61, count: recordBytes)
    for r in requests {
      let cache = try fleet.instance(at: r.t)
      switch r.op {
      case .append(let e, _): try cache.append(entity: entityName(e), body: body, at: Int64(r.t))
      case .load(let e): _ = try cache.load(entity: entityName(e), since: nil)
      }
    }
    let c = fleet.counters
    return Outcome(
      hits: c["cache-hit"], misses: c["cache-miss"], coldStarts: fleet.coldStarts,
      peakInstances: fleet.peakInstances, counters: c)
  }
}
