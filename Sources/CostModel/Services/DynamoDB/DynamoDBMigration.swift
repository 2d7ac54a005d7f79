import Foundation

/// Moving a DynamoDB table's items out or in (docs/model.md §11). On-demand tables bill the request units;
/// provisioned capacity is paid by the hour whatever it serves, so a migration adds nothing there.
extension DynamoDBService {
  public func hotEntities(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>) -> Decimal {
    w.entities * DynamoDBPricing.hotResidency(option.settings as! DynamoDBSettings, w)
  }

  /// One read of each entity with all R records: a Query of ⌈R × (K + B) / 4 KB⌉ RRU (item-per-record) or a
  /// GetItem of ⌈(K + R × B) / 4 KB⌉ RRU (item-per-entity), halved when eventually consistent.
  public func migrationReads(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! DynamoDBSettings
    guard s.capacity == .onDemand else { return }
    let w = ctx.workload
    let readFactor = s.consistentReads ? Decimal(1) : DecimalMath.half
    let bytes: Decimal
    let what: String
    switch s.layout {
    case .itemPerRecord:
      bytes = w.R * w.storedRecordBytes
      what = "Query"
    case .itemPerEntity:
      bytes = w.entityBytes
      what = "GetItem"
    }
    ctx.lines.add(
      "dynamodb", "read-request-unit" + s.rateSuffix,
      "\(what) (one per \(w.workload.entity) moved out)",
      entities * (bytes / 4096).ceiling * readFactor)
  }

  /// item-per-record: R PutItems of ⌈(K + B) / 1 KB⌉ WRU each; item-per-entity: one PutItem of the whole entity,
  /// ⌈(K + R × B) / 1 KB⌉ WRU (not the R list_appends of the steady state).
  public func migrationWrites(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>
  ) {
    let s = option.settings as! DynamoDBSettings
    guard s.capacity == .onDemand else { return }
    let w = ctx.workload
    let wru: Decimal
    switch s.layout {
    case .itemPerRecord: wru = w.R * (w.storedRecordBytes / 1024).ceiling
    case .itemPerEntity: wru = (w.entityBytes / 1024).ceiling
    }
    ctx.lines.add(
      "dynamodb", "write-request-unit" + s.rateSuffix,
      "PutItem (\(s.layout == .itemPerRecord ? "one per \(w.workload.record)" : "one per \(w.workload.entity)") moved in)",
      entities * wru)
  }
}
