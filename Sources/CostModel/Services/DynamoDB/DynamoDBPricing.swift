import Foundation

/// DynamoDB: on-demand or provisioned (with auto scaling and reserved capacity), Standard or Standard-IA
/// table class (docs/model.md §3.2).
enum DynamoDBPricing {
  static let itemLimitBytes = 409_600  // "The maximum item size in DynamoDB is 400 KB"
  static let itemOverheadBytes = 100  // per-item storage overhead

  static func price<Q>(_ s: DynamoDBSettings, into ctx: inout PricingContext<Q>) throws(MissingRate)
  {
    let w = ctx.workload
    let K = w.workload.keyBytes
    let B = w.workload.recordBytes
    let ids = rateIds(s.tableClass)
    // Eventually consistent reads cost half a read request unit per 4 KB.
    let readFactor: Q = s.consistentReads ? 1 : Q.half
    let residency = hotResidency(s, w)
    let items: Q
    let itemBytes: Q
    let wru: Q
    let rru: Q
    // WRU per PutItem (item per record), for the line's name.
    var wruPerPut: Int?
    switch s.layout {
    case .itemPerRecord:
      // A write of an item of I = K + B bytes costs ⌈I / 1 KB⌉ WRU.
      // (Sizes in whole bytes come from each draw's workload: `whole` and `sumCeil(m:)` take them lane by lane
      // when eight draws are priced at once, `Lanes`; K, B and I here are the first draw's, for the texts.)
      let I = K + B
      wruPerPut = (I + 1023) / 1024
      wru = w.recordsWritten * w.whole { ($0.keyBytes + $0.recordBytes + 1023) / 1024 }
      // A Query returning k items costs ⌈k × I / 4 KB⌉ RRU: the sizes add up before rounding.
      let sumK = ctx.sumCeil(m: 4096) { (0, $0.keyBytes + $0.recordBytes) }
      let itemSize = w.whole { $0.keyBytes + $0.recordBytes }
      let atR = (w.R * itemSize / 4096).ceiling
      rru = w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR) * readFactor
      items = w.recordsWritten * residency
      itemBytes = itemSize
      if itemSize > Q(itemLimitBytes) {
        ctx.infeasible(
          "one \(w.workload.record) item of \(I) bytes exceeds DynamoDB's 400 KB item limit")
      }
    case .itemPerEntity:
      // UpdateItem with list_append is charged on the larger (after) item: ⌈(K + k × B) / 1 KB⌉ for the k-th append.
      wru = w.entities * ctx.sumCeil(m: 1024) { ($0.keyBytes, $0.recordBytes) }
      // GetItem after k records reads ⌈(K + k × B) / 4 KB⌉ RRU.
      let sumK = ctx.sumCeil(m: 4096) { ($0.keyBytes, $0.recordBytes) }
      let atR = (w.entityBytes / 4096).ceiling
      rru = w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR) * readFactor
      items = w.entities * residency
      itemBytes = w.entityBytes
      if w.entityBytes > Q(itemLimitBytes) {
        ctx.infeasible(
          "one \(w.workload.entity) item grows to \(brief(w.entityBytes)) bytes, over DynamoDB's 400 KB item limit"
        )
      }
    }
    switch s.capacity {
    case .onDemand:
      // Component names only when detailed (the break-even search prices thousands of scales).
      ctx.lines.add("dynamodb", ids.write, writeText(wruPerPut, record: w.workload.record), wru)
      ctx.lines.add("dynamodb", ids.read, readText(s), rru)
    case .provisioned:
      provisioned(s, wru: wru, rru: rru, into: &ctx)
    }
    // Billable storage: raw item bytes plus 100 bytes of per-item overhead.
    let storageGB = items * (itemBytes + Q(itemOverheadBytes)) / Q.bytesPerGiB
    ctx.lines.add("dynamodb", ids.storage, "table storage (+100 B per item)", storageGB)
    if s.pitr {
      ctx.lines.add("dynamodb", ids.pitr, "point-in-time recovery", storageGB)
    }
    if ctx.detailed, w.workload.retentionDays != nil, s.ttlLagDays > 0 {
      ctx.detail(
        "TTL deletes expired items about \(s.ttlLagDays) days late; they are billed until then")
    }
    ArchivePricing.price(
      objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }

  /// Items are billed until TTL deletes them, ttlLagDays after they expire: min((T + lag) / D, H) (§3.2).
  static func hotResidency<Q>(_ s: DynamoDBSettings, _ w: DerivedWorkload<Q>) -> Q {
    w.residencyMonths(days: w.retention.map { $0 + Q(s.ttlLagDays) })
  }

  /// The request lines' names: PutItem with its WRU (item per record) or UpdateItem, and Query or GetItem.
  static func writeText(_ wruPerPut: Int?, record: String) -> String {
    guard let n = wruPerPut else { return "UpdateItem list_append (charged on the whole item)" }
    return "PutItem (\(n) WRU per \(record))"
  }
  static func readText(_ s: DynamoDBSettings) -> String {
    let consistency = s.consistentReads ? "strongly consistent" : "eventually consistent"
    return s.layout == .itemPerRecord ? "Query (\(consistency))" : "GetItem (\(consistency))"
  }

  /// The rate ids of a table class (each ends in the class's `rateSuffix`), written out once: the pricer asks for
  /// them at every pricing.
  final class RateIds: Sendable {
    let write, read, storage, pitr: String
    /// `wcu-hour` and `rcu-hour`.
    let unitHour: (wcu: String, rcu: String)
    init(_ c: DynamoDBSettings.TableClass) {
      let sfx = DynamoDBSettings(
        layout: .itemPerRecord, consistentReads: false, pitr: false, tableClass: c
      )
      .rateSuffix
      write = "write-request-unit" + sfx
      read = "read-request-unit" + sfx
      storage = "storage" + sfx
      pitr = "pitr-storage" + sfx
      unitHour = ("wcu-hour" + sfx, "rcu-hour" + sfx)
    }
  }
  static let standardIds = RateIds(.standard)
  static let standardIAIds = RateIds(.standardIA)
  static func rateIds(_ c: DynamoDBSettings.TableClass) -> RateIds {
    c == .standardIA ? standardIAIds : standardIds
  }

  /// `reserved-<wcu|rcu>-100:<term>` and its `-upfront` twin.
  static func reservedRateIds(wcu: Bool, _ term: CommitmentTerm) -> (
    hourly: String, upfront: String
  ) {
    switch (wcu, term) {
    case (true, .oneYear): return ("reserved-wcu-100:1y", "reserved-wcu-100:1y-upfront")
    case (true, .threeYears): return ("reserved-wcu-100:3y", "reserved-wcu-100:3y-upfront")
    case (false, .oneYear): return ("reserved-rcu-100:1y", "reserved-rcu-100:1y-upfront")
    case (false, .threeYears): return ("reserved-rcu-100:3y", "reserved-rcu-100:3y-upfront")
    }
  }

  /// Provisioned capacity that auto scaling sets hour by hour: the month's WRU and RRU spread over the day's
  /// profile, `units_h = max(min, round(consumed_h / u))`, billed (730 / 24) × Σ_h units_h unit-hours; reserved
  /// units are paid every hour and take their share off each hour's provisioned units.
  static func provisioned<Q>(
    _ s: DynamoDBSettings, wru: Q, rru: Q, into ctx: inout PricingContext<Q>
  ) {
    let u = Q(s.targetUtilization)
    let ids = rateIds(s.tableClass)
    units(
      s, wcu: true, consumed: wru, minimum: s.minWCU, reserved: s.reservedWCU, u: u,
      hourId: ids.unitHour.wcu, into: &ctx)
    units(
      s, wcu: false, consumed: rru, minimum: s.minRCU, reserved: s.reservedRCU, u: u,
      hourId: ids.unitHour.rcu, into: &ctx)
  }

  /// One kind of provisioned capacity: write (WCU) or read (RCU).
  static func units<Q>(
    _ s: DynamoDBSettings, wcu: Bool, consumed: Q, minimum: Decimal, reserved: Decimal, u: Q,
    hourId: String, into ctx: inout PricingContext<Q>
  ) {
    let w = ctx.workload
    let minUnits = Q(minimum)
    let res = Q(reserved)
    let hasReservation = res > 0
    var peakUnits: Q = 0
    // consumed_h / u = consumed × n_h / (d_h × 730 × 3600 × u), one division: exact where the quotient ends,
    // so that a half is rounded up even when m_h (1/3) does not end.
    let perHourDivisor = 2_628_000 * u
    let unitHoursPerDay = w.sumOverDay { _, n, d in
      let units = Q.maximum(minUnits, (consumed * n / (d * perHourDivisor)).roundedHalfUp)
      peakUnits = Q.maximum(peakUnits, units)
      return Q.maximum(0, units - res)
    }
    let name = wcu ? "WCU" : "RCU"
    ctx.lines.add(
      "dynamodb", hourId,
      "provisioned \(name)-hours (auto scaling at \(s.targetUtilization * 100)% target\(hasReservation ? ", above the reserved \(reserved)" : ""))",
      unitHoursPerDay * Q.hoursPerMonth / 24)
    if hasReservation {
      let blocks = res / 100
      let term = s.reservedTerm
      let ids = reservedRateIds(wcu: wcu, term)
      ctx.lines.add(
        "dynamodb", ids.hourly,
        "reserved \(name) (\(reserved) units, \(term.rawValue) term), hourly fee × 730 h",
        blocks * Q.hoursPerMonth)
      ctx.lines.add(
        "dynamodb", ids.upfront,
        "reserved \(name) upfront fee spread over the \(term.years * 12)-month term",
        blocks / Q(12 * term.years))
    }
    ctx.detail(
      "provisioned \(name): \(brief(peakUnits)) at the busiest hour, \(brief(unitHoursPerDay / 24)) on average"
    )
  }
}
