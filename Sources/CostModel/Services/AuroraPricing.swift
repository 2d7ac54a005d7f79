import Foundation

/// Aurora Serverless v2, PostgreSQL-compatible (MODEL.md §3.4).
enum AuroraPricing {
  static func price(_ s: AuroraSettings, into ctx: inout PricingContext) throws(MissingRate) {
    let w = ctx.workload
    // Active capacity: max(max(minACU, 0.5), peak QPS / queriesPerSecondPerACU). Not rounded to 0.5 steps.
    let floorACU = Decimal.maximum(s.minACU, Decimal(string: "0.5")!)
    let acu = Decimal.maximum(floorACU, w.peakRequestsPerSecond / s.queriesPerSecondPerACU)
    ctx.facts.acu = acu
    if acu > s.maxACU {
      ctx.infeasibleReasons.append("needs \(brief(acu)) ACU at peak, above maxACU \(s.maxACU)")
    }
    // Active fraction: 1, or with auto-pause 1 − exp(−λ (L + P) / 60) with λ sessions per hour.
    var active: Decimal = 1
    if s.autoPause {
      let exposureHours = DecimalMath.toDouble(w.workload.entityLifetimeMinutes + s.autoPauseMinutes) / 60
      let paused = Foundation.exp(-w.sessionsPerHour * exposureHours)
      ctx.facts.pausedProbability = paused
      active = DecimalMath.fromDouble(1 - paused)
      ctx.details.append("auto-pause after \(s.autoPauseMinutes) min: active \(brief(active * 100))% of the month")
    }
    ctx.details.append("\(brief(acu)) ACU while active")
    let acuRate = s.ioOptimized ? "acu-hour-io-optimized" : "acu-hour"
    ctx.lines.add("aurora", acuRate, "ACU-hours (\(brief(acu)) ACU × 730 h × \(brief(active)) active)", active * DecimalMath.hoursPerMonth * acu)
    // Storage: resident rows × (K + B + rowOverheadBytes).
    let rows = w.recordsWritten * w.hotResidencyMonths
    let storageGB = rows * (w.storedRecordBytes + s.rowOverheadBytes) / DecimalMath.bytesPerGB
    ctx.lines.add("aurora", s.ioOptimized ? "storage-io-optimized" : "storage", "cluster storage (+\(s.rowOverheadBytes) B per row)", storageGB)
    if !s.ioOptimized {
      // I/O: ⌈(K + B) / 4 KB⌉ + 1 write I/Os per record, readIOsPerLoad per load.
      let writeIOs = DecimalMath.ceil(w.storedRecordBytes / 4096) + 1
      let ios = w.recordsWritten * writeIOs + w.loads * s.readIOsPerLoad
      ctx.lines.add("aurora", "io-request", "I/O requests (\(writeIOs) per insert, \(s.readIOsPerLoad) per load)", ios)
    }
    ArchivePricing.price(objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }
}
