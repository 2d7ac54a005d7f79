import CostModel
import Foundation

/// One operation of a workload run.
public enum PlannedOperation: Sendable, Equatable {
  case append(entity: Int, record: Int)
  case load(entity: Int)
}

/// Turns a scenario's workload into entity sessions (docs/model.md §2): the k-th record of an entity is followed by
/// its loads-per-record, the last record by the loads-per-entity. Fractional load counts are spread so the
/// totals are right: after the g-th record written overall, ⌊g·Lr⌋ − ⌊(g−1)·Lr⌋ loads, and likewise per
/// session for Le. Sessions run interleaved (`concurrent` at a time, the next step chosen by a seeded generator).
public struct SessionPlan: Sendable {
  public var recordsPerEntity: Int
  public var loadsPerRecord: Double
  public var loadsPerEntity: Double

  public init(recordsPerEntity: Int, loadsPerRecord: Double, loadsPerEntity: Double) {
    self.recordsPerEntity = recordsPerEntity
    self.loadsPerRecord = loadsPerRecord
    self.loadsPerEntity = loadsPerEntity
  }

  public init(_ w: Workload, maxRecordsPerEntity: Int = 1000) {
    self.init(
      recordsPerEntity: min(w.recordsPerEntity, maxRecordsPerEntity),
      loadsPerRecord: NSDecimalNumber(decimal: w.loadsPerRecord).doubleValue,
      loadsPerEntity: NSDecimalNumber(decimal: w.loadsPerEntity).doubleValue)
  }

  static func spread(_ rate: Double, _ n: Int) -> Int {
    Int((Double(n) * rate + 1e-9).rounded(.down))
      - Int((Double(n - 1) * rate + 1e-9).rounded(.down))
  }

  /// The operations of session `s` (0-based), given how many records were written before it.
  public func session(_ s: Int, recordsBefore: Int) -> [PlannedOperation] {
    var ops: [PlannedOperation] = []
    for k in 1...recordsPerEntity {
      ops.append(.append(entity: s, record: k))
      for _ in 0..<Self.spread(loadsPerRecord, recordsBefore + k) { ops.append(.load(entity: s)) }
    }
    for _ in 0..<Self.spread(loadsPerEntity, s + 1) { ops.append(.load(entity: s)) }
    return ops
  }

  /// `sessions` sessions, `concurrent` of them in flight, steps interleaved by a generator seeded with `seed`.
  public func interleaved(sessions: Int, concurrent: Int, seed: UInt64) -> [PlannedOperation] {
    var rng = SplitMix64(seed: seed)
    var active: [(ops: [PlannedOperation], next: Int)] = []
    var started = 0
    var out: [PlannedOperation] = []
    func start() {
      active.append((session(started, recordsBefore: started * recordsPerEntity), 0))
      started += 1
    }
    while started < sessions && active.count < max(1, concurrent) { start() }
    while !active.isEmpty {
      let i = Int(rng.next() % UInt64(active.count))
      out.append(active[i].ops[active[i].next])
      active[i].next += 1
      if active[i].next == active[i].ops.count {
        active.remove(at: i)
        if started < sessions { start() }
      }
    }
    return out
  }
}
