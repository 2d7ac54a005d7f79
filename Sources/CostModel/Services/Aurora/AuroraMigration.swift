import Foundation

/// Moving Aurora's rows out or in (docs/model.md §11). ACU-hours follow the month's traffic and add nothing
/// one-off; Aurora Standard bills the I/O requests (I/O-Optimized includes them).
extension AuroraService {
  public func hotEntities(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>) -> Decimal {
    w.entities * w.hotResidencyMonths
  }

  /// One load per entity: readIOsPerLoad I/Os.
  public func migrationReads(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! AuroraSettings
    guard !s.ioOptimized else { return }
    ctx.lines.add(
      "aurora", "io-request",
      "I/O requests (\(s.readIOsPerLoad) per \(ctx.workload.workload.entity) moved out)",
      entities * s.readIOsPerLoad)
  }

  /// Each record inserted: ⌈(K + B) / 4 KB⌉ + 1 write I/Os.
  public func migrationWrites(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! AuroraSettings
    guard !s.ioOptimized else { return }
    let w = ctx.workload
    let writeIOs = (w.workload.keyBytes + w.workload.recordBytes + 4095) / 4096 + 1
    ctx.lines.add(
      "aurora", "io-request",
      "I/O requests (\(writeIOs) per \(w.workload.record) moved in)",
      entities * w.R * Decimal(writeIOs))
  }
}
