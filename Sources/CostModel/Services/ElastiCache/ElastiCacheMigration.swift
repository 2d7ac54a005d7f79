import Foundation

/// Moving ElastiCache's data out or in (docs/model.md §11). Nodes are paid by the hour whatever they serve: a
/// migration adds nothing there. Serverless bills ECPUs per request and KB transferred.
extension ElastiCacheService {
  public func hotEntities(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>) -> Decimal {
    w.entities * w.hotResidencyMonths
  }

  /// Serverless: one load of all R records per entity, max(1, R × (K + B) / 1024) ECPUs.
  public func migrationReads(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! ElastiCacheSettings
    guard s.mode == .serverless else { return }
    let w = ctx.workload
    ctx.lines.add(
      "elasticache", "serverless-ecpu:\(s.engine.rawValue)",
      "ECPUs (one load per \(w.workload.entity) moved out)",
      entities * Swift.max(1, w.R * w.storedRecordBytes / 1024))
  }

  /// Serverless: each record appended, max(1, (K + B) / 1024) ECPUs.
  public func migrationWrites(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! ElastiCacheSettings
    guard s.mode == .serverless else { return }
    let w = ctx.workload
    ctx.lines.add(
      "elasticache", "serverless-ecpu:\(s.engine.rawValue)",
      "ECPUs (one append per \(w.workload.record) moved in)",
      entities * w.R * Swift.max(1, w.storedRecordBytes / 1024))
  }
}
