import CostModel
import CostReports
import Dispatch
import Foundation
import StorageKit

#if canImport(Glibc)
  import Glibc
#endif

/// Results of one bench run: a histogram per operation.
public struct BenchResult: Sendable {
  public struct Operation: Sendable {
    public var name: String
    public var histogram: LatencyHistogram
    /// CPU time (user + system) this process spent in these operations: the client's own cost, whatever the server's.
    public var cpuSeconds: Double = 0
    /// CPU milliseconds per operation.
    public var cpuMillisecondsPerOperation: Double {
      histogram.count > 0 ? cpuSeconds * 1000 / Double(histogram.count) : 0
    }
    /// Operations per second one connection sustains for this operation: count ÷ its total time.
    public var opsPerSecond: Double {
      histogram.sumNanos > 0 ? Double(histogram.count) / (histogram.sumNanos / 1e9) : 0
    }
  }
  public var backend: String
  public var mode: String
  public var operations: [Operation]
  public var wallSeconds: Double
  public var totalOperations: Int { operations.reduce(0) { $0 + Int($1.histogram.count) } }
  /// CPU time of the whole loop (the operations and the loop's own work between them).
  public var cpuSeconds: Double = 0
}

/// CPU seconds (user + system) the calling thread has used so far (CLOCK_THREAD_CPUTIME_ID): a store call runs
/// on its caller's thread (sockets, files; not URLSession's https, whose own threads this leaves out), so an
/// operation's CPU is its thread's, whatever else the process runs meanwhile (other tests in the test process).
func threadCPUSeconds() -> Double {
  var t = timespec()
  guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0 else { return processCPUSeconds() }
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// CPU seconds (user + system) this process has used so far, from getrusage(RUSAGE_SELF).
func processCPUSeconds() -> Double {
  var u = rusage()
  _ = getrusage(RUSAGE_SELF.rawValue, &u)
  return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
    + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// Drives one store with a scenario's operation mix (README.md "The reference store: validate, bench, store").
public struct Bench {
  public var plan: SessionPlan
  public var recordBytes: Int
  public var operations: Int
  /// Open loop at this many operations per second; nil for a closed loop (one request outstanding).
  public var rate: Double?
  public var concurrentSessions = 8
  public var seed: UInt64 = 42

  public init(plan: SessionPlan, recordBytes: Int, operations: Int, rate: Double?) {
    self.plan = plan
    self.recordBytes = recordBytes
    self.operations = operations
    self.rate = rate
  }

  /// The operations to run: whole interleaved sessions, cut at `operations`.
  public func schedule() -> [PlannedOperation] {
    let perSession = max(1, plan.session(0, recordsBefore: 0).count)
    let sessions = max(1, (operations + perSession - 1) / perSession + concurrentSessions)
    return Array(
      plan.interleaved(sessions: sessions, concurrent: concurrentSessions, seed: seed).prefix(
        operations))
  }

  public func run(_ store: RecordStore, entityPrefix: String) throws(StoreError) -> BenchResult {
    let ops = schedule()
    // Record bodies: printable text of the scenario's record size, different per record.
    var body = [UInt8](repeating: 0, count: recordBytes)
    var rng = SplitMix64(seed: seed)
    for i in 0..<body.count { body[i] = UInt8(97 + rng.next() % 26) }
    var append = LatencyHistogram()
    var load = LatencyHistogram()
    // CPU time (getrusage: this process's own, not the server's) is read just around each store call.
    var appendCPU = 0.0
    var loadCPU = 0.0
    let cpuStart = processCPUSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    let interval = rate.map { 1e9 / $0 }
    for (i, op) in ops.enumerated() {
      var intended = DispatchTime.now().uptimeNanoseconds
      if let interval {
        // Open loop: each request has its start time; waiting for a late one counts against it.
        intended = start + UInt64(Double(i) * interval)
        var now = DispatchTime.now().uptimeNanoseconds
        while now < intended {
          let gap = intended - now
          if gap > 200_000 { usleep(UInt32((gap - 100_000) / 1000)) }
          now = DispatchTime.now().uptimeNanoseconds
        }
      }
      switch op {
      case .append(let e, let k):
        if !body.isEmpty { body[(k * 7919) % body.count] = UInt8(97 + k % 26) }
        let at = Int64(Date().timeIntervalSince1970 * 1000)
        let entity = "\(entityPrefix)-\(e)"
        let cpu = threadCPUSeconds()
        try store.append(entity: entity, body: body, at: at)
        append.record(nanos: DispatchTime.now().uptimeNanoseconds - intended)
        appendCPU += threadCPUSeconds() - cpu
      case .load(let e):
        let entity = "\(entityPrefix)-\(e)"
        let cpu = threadCPUSeconds()
        _ = try store.load(entity: entity, since: nil)
        load.record(nanos: DispatchTime.now().uptimeNanoseconds - intended)
        loadCPU += threadCPUSeconds() - cpu
      }
    }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var result = BenchResult(
      backend: store.displayURL, mode: rate == nil ? "closed" : "open",
      operations: [
        .init(name: "append", histogram: append, cpuSeconds: appendCPU),
        .init(name: "load", histogram: load, cpuSeconds: loadCPU),
      ],
      wallSeconds: wall)
    result.cpuSeconds = processCPUSeconds() - cpuStart
    return result
  }
}

/// Bench output: a table for people, JSON as docs/formats.md "Bench JSON".
public enum BenchReport {
  static let quantiles: [(String, Double)] = [
    ("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999),
  ]

  public static func table(_ r: BenchResult) -> String {
    var s =
      "backend \(r.backend), \(r.mode) loop, \(r.totalOperations) operations in \(fmt(r.wallSeconds, 3)) s "
    s += "(\(fmt(Double(r.totalOperations) / max(r.wallSeconds, 1e-9), 1)) ops/s overall)\n"
    if r.mode == "open" { s += "latency measured from each request's intended start\n" }
    s += "\n"
    let header = [
      "operation", "count", "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
      "cpu ms/op",
    ]
    var rows = [header]
    for op in r.operations {
      var row = [op.name, String(op.histogram.count), fmt(op.opsPerSecond, 1)]
      for (_, q) in quantiles { row.append(ms(op.histogram.milliseconds(atQuantile: q))) }
      row.append(ms(op.histogram.maxMilliseconds))
      row.append(ms(op.cpuMillisecondsPerOperation))
      rows.append(row)
    }
    let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
    for row in rows {
      s += row.enumerated().map { c, v in
        c == 0
          ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[c] - v.count) + v
      }.joined(separator: "  ")
      s += "\n"
    }
    return s
  }

  public static func json(_ r: BenchResult) -> String {
    var s =
      "{\"backend\": \(quote(r.backend)), \"mode\": \"\(r.mode)\", \"cpuSeconds\": \(num(r.cpuSeconds)), \"operations\": {"
    s += r.operations.map { op in
      var o =
        "\(quote(op.name)): {\"count\": \(op.histogram.count), \"opsPerSecond\": \(num(op.opsPerSecond))"
      for (name, q) in quantiles {
        let key = name == "p99.9" ? "p999Ms" : name + "Ms"
        o += ", \"\(key)\": \(num(op.histogram.milliseconds(atQuantile: q)))"
      }
      return o
        + ", \"maxMs\": \(num(op.histogram.maxMilliseconds)), \"cpuMsPerOp\": \(num(op.cpuMillisecondsPerOperation))}"
    }.joined(separator: ", ")
    return s + "}}\n"
  }

  static func fmt(_ v: Double, _ places: Int) -> String { String(format: "%.\(places)f", v) }
  /// Milliseconds: three decimals, six below a microsecond's worth so in-memory stores do not read 0.000.
  static func ms(_ v: Double) -> String { String(format: v < 0.01 ? "%.6f" : "%.3f", v) }
  static func num(_ v: Double) -> String { v.isFinite ? String(format: "%.6f", v) : "0" }

  public static func quote(_ t: String) -> String { JSONReport.q(t) }
}
