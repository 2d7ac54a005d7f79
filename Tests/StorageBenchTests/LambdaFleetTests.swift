import Testing

@testable import StorageBench
@testable import StorageKit

struct LambdaFleetTests {
  func fleet(_ handler: Double = 1500, idle: Double = 10) -> LambdaFleet {
    LambdaFleet(handlerMs: handler, idleTimeoutMinutes: idle) {
      () throws(StoreError) -> RecordStore in MemoryStore()
    }
  }

  @Test func routingReusesTheMostRecentlyUsedIdleInstance() throws {
    let f = fleet()
    let a = try f.instance(at: 0)  // cold: busy until 1500
    let b = try f.instance(at: 100)  // a is busy: cold again, busy until 1600
    #expect(a !== b && f.coldStarts == 2)
    let c = try f.instance(at: 2000)  // both idle: b was used last
    #expect(c === b)
    // Idle for more than 10 minutes: both reclaimed, the next request starts a new one.
    let d = try f.instance(at: 2000 + 1500 + 600_001)
    #expect(d !== a && d !== b && f.coldStarts == 3)
  }

  @Test func oneSlowSessionWorkedByHand() throws {
    // One session: R = 3, Lr = 2, records 20 minutes apart, idle timeout 10 minutes.
    // Record 1 starts instance A; its append numbers the record 1, so A caches the conversation: both loads hit.
    // Records 2 and 3 each find no warm instance (A idled 20 min) and start a new one whose append (record 2, 3)
    // caches nothing: the first load misses and caches, the second hits. Loads 6: hits 4, misses 2.
    let plan = SessionPlan(recordsPerEntity: 3, loadsPerRecord: 2, loadsPerEntity: 0)
    let sim = FleetSimulation(
      plan: plan, sessions: 1, sessionsPerHour: 1, gapMinutes: 20, recordBytes: 16)
    let f = LambdaFleet(handlerMs: 1500, idleTimeoutMinutes: 10) {
      () throws(StoreError) -> RecordStore in shared
    }
    let outcome = try sim.run(f, entityName: { "e\($0)" })
    #expect(outcome.hits == 4 && outcome.misses == 2 && outcome.coldStarts == 3)
    #expect(abs(outcome.hitRatio - 4.0 / 6.0) < 1e-12)
  }

  @Test func aWarmSessionHitsEveryLoad() throws {
    // Records 3 minutes apart with a 10-minute idle timeout: one instance serves the whole session.
    let plan = SessionPlan(recordsPerEntity: 10, loadsPerRecord: 2, loadsPerEntity: 0)
    let sim = FleetSimulation(
      plan: plan, sessions: 1, sessionsPerHour: 1, gapMinutes: 3, recordBytes: 16)
    let f = fleet()
    let outcome = try sim.run(f, entityName: { "e\($0)" })
    #expect(outcome.hits == 20 && outcome.misses == 0 && outcome.coldStarts == 1)
  }
}

/// One store shared by every instance of a test fleet (the records must survive instance changes).
nonisolated(unsafe) let shared = MemoryStore()
