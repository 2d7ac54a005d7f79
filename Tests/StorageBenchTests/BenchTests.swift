import Foundation
import Testing

@testable import StorageBench
@testable import StorageKit

struct BenchTests {
  @Test func closedLoopRunsTheScheduleAndReportsJSON() throws {
    let plan = SessionPlan(recordsPerEntity: 4, loadsPerRecord: 1, loadsPerEntity: 1)
    let bench = Bench(plan: plan, recordBytes: 100, operations: 250, rate: nil)
    let schedule = bench.schedule()
    #expect(schedule.count == 250)
    let store = MemoryStore()
    let r = try bench.run(store, entityPrefix: "t")
    let appends = schedule.filter { if case .append = $0 { return true } else { return false } }
      .count
    #expect(r.operations[0].histogram.count == UInt64(appends))
    #expect(r.operations[1].histogram.count == UInt64(250 - appends))
    #expect(store.counters["append"] == appends && store.counters["load"] == 250 - appends)
    let json =
      try JSONSerialization.jsonObject(with: Data(BenchReport.json(r).utf8)) as! [String: Any]
    #expect(json["backend"] as? String == "memory:" && json["mode"] as? String == "closed")
    #expect((json["cpuSeconds"] as? Double).map { $0 >= 0 } == true)
    let ops = json["operations"] as! [String: [String: Any]]
    for name in ["append", "load"] {
      let o = try #require(ops[name])
      for key in [
        "count", "opsPerSecond", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "cpuMsPerOp",
      ] {
        #expect(o[key] != nil, "\(name).\(key)")
      }
      let p50 = o["p50Ms"] as! Double
      let p99 = o["p99Ms"] as! Double
      let mx = o["maxMs"] as! Double
      #expect(p50 > 0 && p50 <= p99 && p99 <= mx)
    }
  }

  @Test func openLoopMeasuresFromTheIntendedStart() throws {
    // 50 operations at 1,000/s against a store that takes ~3 ms each: the queue grows, so the last requests wait
    // for ~100 ms of backlog. Measured from intended starts, p99 ≫ one service time (a closed loop would say 3 ms).
    final class SlowStore: RecordStore {
      let inner = MemoryStore()
      var displayURL: String { "slow:" }
      var counters: StoreCounters { inner.counters }
      func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
        usleep(3000)
        return try inner.append(entity: entity, body: body, at: at)
      }
      func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
        usleep(3000)
        return try inner.load(entity: entity, since: since)
      }
      func expire(before: Int64) throws(StoreError) -> Int { 0 }
      func storedBytes() throws(StoreError) -> Int? { nil }
      func storedRecords() throws(StoreError) -> Int? { nil }
    }
    let bench = Bench(
      plan: SessionPlan(recordsPerEntity: 5, loadsPerRecord: 1, loadsPerEntity: 0), recordBytes: 10,
      operations: 50, rate: 1000)
    let r = try bench.run(SlowStore(), entityPrefix: "s")
    #expect(r.mode == "open")
    let worst = max(
      r.operations[0].histogram.maxMilliseconds, r.operations[1].histogram.maxMilliseconds)
    #expect(worst > 50, "max \(worst) ms: the backlog of 50 × 3 ms against 50 × 1 ms must show")
  }

  @Test func cpuPerOperationIsTheProcessesOwnNotTheWait() throws {
    // Appends burn 2 ms of this process's CPU; loads wait 3 ms for "the server" and burn none.
    final class CPUStore: RecordStore {
      let inner = MemoryStore()
      var displayURL: String { "cpu:" }
      var counters: StoreCounters { inner.counters }
      func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
        let until = threadCPUSeconds() + 0.002
        var x = 0
        while threadCPUSeconds() < until { x &+= 1 }
        return try inner.append(entity: entity, body: body, at: at + Int64(x & 0))
      }
      func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
        usleep(3000)
        return try inner.load(entity: entity, since: since)
      }
      func expire(before: Int64) throws(StoreError) -> Int { 0 }
      func storedBytes() throws(StoreError) -> Int? { nil }
      func storedRecords() throws(StoreError) -> Int? { nil }
    }
    let bench = Bench(
      plan: SessionPlan(recordsPerEntity: 2, loadsPerRecord: 1, loadsPerEntity: 0), recordBytes: 10,
      operations: 40, rate: nil)
    let r = try bench.run(CPUStore(), entityPrefix: "c")
    let (append, load) = (r.operations[0], r.operations[1])
    #expect(append.histogram.count > 0 && load.histogram.count > 0)
    #expect(append.cpuMillisecondsPerOperation >= 2, "\(append.cpuMillisecondsPerOperation)")
    #expect(load.cpuMillisecondsPerOperation < 1, "\(load.cpuMillisecondsPerOperation)")
    #expect(r.cpuSeconds >= append.cpuSeconds + load.cpuSeconds)
    #expect(BenchReport.table(r).contains("cpu ms/op"))
  }
}
