import Foundation

/// Aurora Serverless v2, PostgreSQL-compatible (MODEL.md §3.4).
enum AuroraPricing {
  static func price<Q>(_ s: AuroraSettings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    // Active capacity: max(max(minACU, 0.5), peak QPS / queriesPerSecondPerACU). Not rounded to 0.5 steps.
    let floorACU = Q(Swift.max(s.minACU, Decimal(string: "0.5")!))
    let acu = Q.maximum(floorACU, w.peakRequestsPerSecond / Q(s.queriesPerSecondPerACU))
    if ctx.detailed { ctx.facts.acu = acu.asDecimal }
    if acu > Q(s.maxACU) {
      ctx.infeasible("needs \(brief(acu)) ACU at peak, above maxACU \(s.maxACU)")
    }
    // Active fraction: 1, or with auto-pause 1 − exp(−λ (L + P) / 60) with λ sessions per hour.
    var active: Q = 1
    if s.autoPause {
      let exposureHours = DecimalMath.toDouble(w.workload.entityLifetimeMinutes + s.autoPauseMinutes) / 60
      let paused = Foundation.exp(-w.sessionsPerHour * exposureHours)
      ctx.facts.pausedProbability = paused
      active = Q.fromDouble(1 - paused)
      ctx.detail("auto-pause after \(s.autoPauseMinutes) min: active \(brief(active * 100))% of the month")
    }
    ctx.detail("\(brief(acu)) ACU while active")
    let acuRate = s.ioOptimized ? "acu-hour-io-optimized" : "acu-hour"
    ctx.lines.add("aurora", acuRate, "ACU-hours (\(brief(acu)) ACU × 730 h × \(brief(active)) active)", active * 730 * acu)
    // Storage: resident rows × (K + B + rowOverheadBytes).
    let rows = w.recordsWritten * w.hotResidencyMonths
    let storageGB = rows * (w.storedRecordBytes + Q(s.rowOverheadBytes)) / Q(1_073_741_824)
    ctx.lines.add("aurora", s.ioOptimized ? "storage-io-optimized" : "storage", "cluster storage (+\(s.rowOverheadBytes) B per row)", storageGB)
    if !s.ioOptimized {
      // I/O: ⌈(K + B) / 4 KB⌉ + 1 write I/Os per record, readIOsPerLoad per load.
      let writeIOs = (w.workload.keyBytes + w.workload.recordBytes + 4095) / 4096 + 1
      let ios = w.recordsWritten * Q(writeIOs) + w.loads * Q(s.readIOsPerLoad)
      ctx.lines.add("aurora", "io-request", "I/O requests (\(writeIOs) per insert, \(s.readIOsPerLoad) per load)", ios)
    }
    ArchivePricing.price(objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }
}
