import Testing

@testable import StorageBench

struct SessionPlanTests {
  @Test func aSessionFollowsModelSection2() {
    // R = 3, Lr = 2, Le = 1: A L L A L L A L L L → 3 appends, 3 × 2 + 1 = 7 loads, n = 3 × (1 + 2) + 1 = 10.
    let ops = SessionPlan(recordsPerEntity: 3, loadsPerRecord: 2, loadsPerEntity: 1).session(
      0, recordsBefore: 0)
    #expect(
      ops == [
        .append(entity: 0, record: 1), .load(entity: 0), .load(entity: 0),
        .append(entity: 0, record: 2),
        .load(entity: 0), .load(entity: 0), .append(entity: 0, record: 3), .load(entity: 0),
        .load(entity: 0), .load(entity: 0),
      ])
  }

  @Test func fractionalLoadsAddUpOverTheRun() {
    // Lr = 0.25 over 40 records → 10 loads; Le = 0.5 over 10 sessions → 5 loads.
    let plan = SessionPlan(recordsPerEntity: 4, loadsPerRecord: 0.25, loadsPerEntity: 0.5)
    let ops = plan.interleaved(sessions: 10, concurrent: 3, seed: 5)
    #expect(ops.filter { if case .append = $0 { return true } else { return false } }.count == 40)
    #expect(ops.filter { if case .load = $0 { return true } else { return false } }.count == 15)
  }

  @Test func interleavingKeepsEachSessionInOrder() {
    let plan = SessionPlan(recordsPerEntity: 5, loadsPerRecord: 1, loadsPerEntity: 0)
    let ops = plan.interleaved(sessions: 6, concurrent: 3, seed: 3)
    #expect(ops.count == 6 * 10)
    for s in 0..<6 {
      let appends = ops.compactMap { op -> Int? in
        if case .append(s, let k) = op { return k } else { return nil }
      }
      #expect(appends == [1, 2, 3, 4, 5])
    }
    // Interleaved: the first session does not run to the end before another starts.
    let firstEntities = ops.prefix(10).map { op -> Int in
      switch op {
      case .append(let e, _), .load(let e): return e
      }
    }
    #expect(Set(firstEntities).count > 1)
    #expect(plan.interleaved(sessions: 6, concurrent: 3, seed: 3) == ops)  // repeatable
  }
}
