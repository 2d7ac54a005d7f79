import Foundation

/// DynamoDB on-demand, Standard table class (MODEL.md §3.2).
enum DynamoDBPricing {
  static let itemLimitBytes = 409_600  // "The maximum item size in DynamoDB is 400 KB"
  static let itemOverheadBytes = 100  // per-item storage overhead

  static func price<Q>(_ s: DynamoDBSettings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    let K = w.workload.keyBytes
    let B = w.workload.recordBytes
    let R = w.recordsPerEntity
    // Eventually consistent reads cost half a read request unit per 4 KB.
    let readFactor: Q = s.consistentReads ? 1 : Q(Decimal(string: "0.5")!)
    let consistency = s.consistentReads ? "strongly consistent" : "eventually consistent"
    let items: Q
    let itemBytes: Q
    switch s.layout {
    case .itemPerRecord:
      // A write of an item of I = K + B bytes costs ⌈I / 1 KB⌉ WRU.
      let I = K + B
      let wruPerWrite = (I + 1023) / 1024
      ctx.lines.add("dynamodb", "write-request-unit", "PutItem (\(wruPerWrite) WRU per \(w.workload.record))", w.recordsWritten * Q(wruPerWrite))
      // A Query returning k items costs ⌈k × I / 4 KB⌉ RRU: the sizes add up before rounding.
      let sumK = DecimalMath.sumCeil(a: 0, b: I, m: 4096, count: R, as: Q.self)
      let atR = (w.R * Q(I) / 4096).ceiling
      ctx.lines.add("dynamodb", "read-request-unit", "Query (\(consistency))", w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR) * readFactor)
      items = w.recordsWritten * w.hotResidencyMonths
      itemBytes = Q(I)
      if I > itemLimitBytes {
        ctx.infeasible("one \(w.workload.record) item of \(I) bytes exceeds DynamoDB's 400 KB item limit")
      }
    case .itemPerEntity:
      // UpdateItem with list_append is charged on the larger (after) item: ⌈(K + k × B) / 1 KB⌉ for the k-th append.
      let wru = DecimalMath.sumCeil(a: K, b: B, m: 1024, count: R, as: Q.self)
      ctx.lines.add("dynamodb", "write-request-unit", "UpdateItem list_append (charged on the whole item)", w.entities * wru)
      // GetItem after k records reads ⌈(K + k × B) / 4 KB⌉ RRU.
      let sumK = DecimalMath.sumCeil(a: K, b: B, m: 4096, count: R, as: Q.self)
      let atR = (w.entityBytes / 4096).ceiling
      ctx.lines.add("dynamodb", "read-request-unit", "GetItem (\(consistency))", w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR) * readFactor)
      items = w.entities * w.hotResidencyMonths
      itemBytes = w.entityBytes
      if w.entityBytes > Q(itemLimitBytes) {
        ctx.infeasible("one \(w.workload.entity) item grows to \(brief(w.entityBytes)) bytes, over DynamoDB's 400 KB item limit")
      }
    }
    // Billable storage: raw item bytes plus 100 bytes of per-item overhead.
    let storageGB = items * (itemBytes + Q(itemOverheadBytes)) / Q(1_073_741_824)
    ctx.lines.add("dynamodb", "storage", "table storage (+100 B per item)", storageGB)
    if s.pitr {
      ctx.lines.add("dynamodb", "pitr-storage", "point-in-time recovery", storageGB)
    }
    ArchivePricing.price(objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }
}
