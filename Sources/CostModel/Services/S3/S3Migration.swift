import Foundation

/// Moving an S3 option's hot stock out or in (docs/model.md §11): request lines only; storage has no one-off.
extension S3Service {
  public func hotEntities(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>) -> Decimal {
    w.entities * S3Pricing.hotResidency(w)
  }

  /// Each entity loaded once with all R records, straight from S3 (a cache in front is bypassed): one GET of the
  /// entity object, or ⌈R / 1000⌉ LISTs and R GETs.
  public func migrationReads(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! S3Settings
    let w = ctx.workload
    switch s.layout {
    case .objectPerEntity:
      ctx.lines.add(
        "s3", "requests-tier2", "GET (one per \(w.workload.entity) moved out)", entities)
    case .objectPerRecord:
      ctx.lines.add(
        "s3", "requests-tier1", "LIST (1,000 keys a page, per \(w.workload.entity) moved out)",
        entities * (w.R / 1000).ceiling)
      ctx.lines.add(
        "s3", "requests-tier2", "GET (one per \(w.workload.record) moved out)", entities * w.R)
    }
  }

  /// object-per-entity writes each entity object once with all its records (1 PUT); object-per-record PUTs each
  /// record.
  public func migrationWrites(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! S3Settings
    let w = ctx.workload
    switch s.layout {
    case .objectPerEntity:
      ctx.lines.add(
        "s3", "requests-tier1", "PUT (one per \(w.workload.entity) moved in)", entities)
    case .objectPerRecord:
      ctx.lines.add(
        "s3", "requests-tier1", "PUT (one per \(w.workload.record) moved in)", entities * w.R)
    }
  }
}
