import Foundation

/// The monthly workload of a scenario at one scale (docs/model.md §2). Everything the service pricers need,
/// in the number type `Q` the estimate runs in.
public struct DerivedWorkload<Q: CostNumber>: Sendable {
  /// The scenario's workload.
  public var workload: Workload { base.workload }
  /// The workload and its numbers in `Q`, shared by reference: the pricers copy a derived workload at every pricing
  /// (thousands in the break-even search, hundreds of thousands when sampling), and a copy is then one retain.
  private let base: Base
  public var scale: Q
  public var horizonMonths: Q

  /// E: entities (sessions) started per month.
  public private(set) var entities: Q
  /// entitiesPerMonth in `Q` (at scale 1).
  var baseEntities: Q { base.baseEntities }
  public var R: Q { base.R }
  public var recordBytes: Q { base.recordBytes }
  public var keyBytes: Q { base.keyBytes }
  var lr: Q { base.lr }
  var le: Q { base.le }
  /// The day's traffic groups (multiplier m, hours with it) in `Q` (docs/model.md §9).
  public var profile: [(m: Q, hours: Q, num: Q, den: Q)] { base.profile }
  /// The busiest hour's multiplier, max_h m_h.
  public var peakMultiplier: Q { base.peakMultiplier }
  /// Set for month t of a projection (docs/model.md §11): traffic grown to month t, stock from every month's
  /// cohort. Nil for the steady state of §2, which every other command prices.
  public private(set) var projectionMonth: ProjectionMonth<Q>?
  /// T: retentionDays (nil: kept for the horizon), and L: entityLifetimeMinutes, in `Q`.
  public var retention: Q? { base.retention }
  public var lifetimeMinutes: Q { base.lifetimeMinutes }
  /// The archive rule's afterDays and retainDays, its class's minimum days and minimum billable bytes (0: none),
  /// in `Q`. (The pricers read these at every pricing; they are converted once.)
  var archiveDays: (after: Q, retain: Q?, minimum: Q, minimumBytes: Q)? { base.archiveDays }

  /// What does not change with the scale or the horizon.
  final class Base: Sendable {
    let workload: Workload
    let baseEntities: Q
    let R: Q
    let recordBytes: Q
    let keyBytes: Q
    let lr: Q
    let le: Q
    let profile: [(m: Q, hours: Q, num: Q, den: Q)]
    let peakMultiplier: Q
    let retention: Q?
    let lifetimeMinutes: Q
    let archiveDays: (after: Q, retain: Q?, minimum: Q, minimumBytes: Q)?

    /// The workload's sizes in whole bytes and records.
    let sizes: WholeSizes
    /// Each lane's sizes when `Q` is `Lanes` (eight draws; `workload` is lane 0's), else nil.
    let lanes: [WholeSizes]?

    init(
      workload: Workload, lanes: [WholeSizes]?, baseEntities: Q, R: Q, recordBytes: Q, keyBytes: Q,
      lr: Q,
      le: Q, profile: [(m: Q, hours: Q, num: Q, den: Q)], peakMultiplier: Q, retention: Q?,
      lifetimeMinutes: Q,
      archiveDays: (after: Q, retain: Q?, minimum: Q, minimumBytes: Q)?
    ) {
      self.workload = workload
      self.sizes = WholeSizes(workload)
      self.lanes = lanes
      self.baseEntities = baseEntities
      self.R = R
      self.recordBytes = recordBytes
      self.keyBytes = keyBytes
      self.lr = lr
      self.le = le
      self.profile = profile
      self.peakMultiplier = peakMultiplier
      self.retention = retention
      self.lifetimeMinutes = lifetimeMinutes
      self.archiveDays = archiveDays
    }

    /// Converts the workload's numbers to `Q` once.
    init(_ workload: Workload) {
      self.workload = workload
      sizes = WholeSizes(workload)
      lanes = nil
      baseEntities = Q(workload.entitiesPerMonth)
      R = Q(workload.recordsPerEntity)
      recordBytes = Q(workload.recordBytes)
      keyBytes = Q(workload.keyBytes)
      lr = Q(workload.loadsPerRecord)
      le = Q(workload.loadsPerEntity)
      let groups =
        workload.profile.groups.isEmpty
        ? TrafficProfile.peakToAverage(workload.peakToAverage).groups : workload.profile.groups
      profile = groups.map {
        (m: Q($0.multiplier), hours: Q($0.hours), num: Q($0.numerator), den: Q($0.denominator))
      }
      // The largest after conversion: `Q(_:)` keeps order, so it is the conversion of the largest, without a
      // Decimal comparison for each of sampling's draws.
      peakMultiplier = profile.dropFirst().reduce(profile.first?.m ?? Q(Decimal(1))) {
        Q.larger($0, $1.m)
      }
      retention = workload.retentionDays.map { Q($0) }
      lifetimeMinutes = Q(workload.entityLifetimeMinutes)
      archiveDays = workload.archive.map { a in
        (
          Q(a.afterDays), a.retainDays.map { Q($0) }, Q(a.storageClass.minimumDays),
          Q(a.storageClass.minimumBillableBytes ?? 0)
        )
      }
    }
  }

  /// Converts the workload's numbers to `Q` once.
  public init(workload: Workload, scale: Q, horizonMonths: Q) {
    self.base = Base(workload)
    self.scale = scale
    self.horizonMonths = horizonMonths
    entities = base.baseEntities * scale
  }

  private init(base: Base, scale: Q, horizonMonths: Q) {
    self.base = base
    self.scale = scale
    self.horizonMonths = horizonMonths
    entities = base.baseEntities * scale
  }

  /// The workload's sizes in whole bytes and records (lane 0's for `Lanes`).
  var sizes: WholeSizes { base.sizes }
  /// Each lane's sizes when `Q` is `Lanes`, else nil.
  var laneSizes: [WholeSizes]? { base.lanes }

  /// `f` of the workload's sizes, a `Q` computed from its integers; for `Lanes`, each lane's `f` of that lane's
  /// sizes. The pricers compute some quantities in whole bytes (a record's write units, I/Os, KB pages summed over a
  /// session), and a draw's record size is its lane's. (`f` in `Lanes` of one lane's sizes has that value in every
  /// lane, each the same operations as in `Double`.)
  func perDraw(_ f: (WholeSizes) -> Q) -> Q {
    guard let lanes = base.lanes else { return f(base.sizes) }
    return Lanes(gather: { (f(lanes[$0]) as! Lanes).v[0] }) as! Q
  }

  /// `f` of the workload's sizes, an integer, in `Q` (`perDraw`).
  func whole(_ f: (WholeSizes) -> Int) -> Q { perDraw { Q(f($0)) } }

  /// The same workload at another scale: only E changes (a scale multiplies entitiesPerMonth only), so nothing is
  /// converted again (the break-even search derives thousands of scales).
  public func at(scale newScale: Q) -> DerivedWorkload<Q> {
    var w = self
    w.scale = newScale
    w.entities = baseEntities * newScale
    if let p = projectionMonth { w.entities = w.entities * p.traffic }
    return w
  }

  /// The same workload in month `t` (1…) of a projection with the growth in `table` (docs/model.md §11): traffic
  /// is the scale's × (1 + g/100)^(t − 1), and every stored quantity is the stock that month, not the steady one.
  /// Only E and how residency is computed change, so every service's pricer prices month t unchanged.
  public func projected(month t: Int, growth table: GrowthTable<Q>) -> DerivedWorkload<Q> {
    var w = self
    let p = ProjectionMonth(month: t, table: table)
    w.projectionMonth = p
    w.entities = baseEntities * scale * p.traffic
    return w
  }

  public var recordsPerEntity: Int { workload.recordsPerEntity }
  /// K + B: one stored record with its key and metadata.
  public var storedRecordBytes: Q { keyBytes + recordBytes }
  /// K + R × B: an entity stored as one object or item.
  public var entityBytes: Q { keyBytes + R * recordBytes }

  /// W = E × R records written per month.
  public var recordsWritten: Q { entities * R }
  /// Loads per entity session: R × Lr + Le.
  public var loadsPerEntity: Q { R * lr + le }
  /// Loads per month: E × (R × Lr + Le).
  public var loads: Q { entities * loadsPerEntity }
  /// Requests per entity session: n = R × (1 + Lr) + Le.
  public var requestsPerSession: Q { R * (1 + lr) + le }
  /// All requests (appends and loads) per month.
  public var requests: Q { entities * requestsPerSession }

  /// Σ over one session's loads of the records each load reads: Lr × R(R+1)/2 + Le × R.
  public var recordsReadPerEntity: Q { lr * R * (R + 1) / 2 + le * R }

  /// Sum over one session's loads of f(k), where a load after k records reads k records:
  /// Lr × Σ_{k=1}^{R} f(k) + Le × f(R). `sumK` is Σ_{k=1}^{R} f(k), `atR` is f(R).
  public func perEntityLoadSum(sumK: Q, atR: Q) -> Q { lr * sumK + le * atR }

  /// ρ: months a record stays in hot storage, min(T / D, H) with D = 730 / 24 days; H without retention.
  public var hotResidencyMonths: Q { residencyMonths(days: retention) }

  /// min(days / D, H); nil days (kept forever) → H.
  public func residencyMonths(days: Decimal?) -> Q { residencyMonths(days: days.map { Q($0) }) }

  public func residencyMonths(days: Q?) -> Q {
    if let p = projectionMonth {
      return p.months(from: 0, length: days.map { $0 * 24 / Q.hoursPerMonth })
    }
    guard let t = days else { return horizonMonths }
    return Q.minimum(t * 24 / Q.hoursPerMonth, horizonMonths)
  }

  /// ρa: months an archived object is billed, max(0, min(max(r, m) / D, H − a / D)).
  public func archiveResidencyMonths(_ a: ArchiveSpec) -> Q {
    archiveResidencyMonths(
      after: Q(a.afterDays), retain: a.retainDays.map { Q($0) },
      minimum: Q(a.storageClass.minimumDays))
  }

  /// ρa of the workload's own archive rule (0 without one).
  public var archiveResidencyMonths: Q {
    guard let a = archiveDays else { return 0 }
    return archiveResidencyMonths(after: a.after, retain: a.retain, minimum: a.minimum)
  }

  func archiveResidencyMonths(after: Q, retain: Q?, minimum: Q) -> Q {
    let afterMonths = after * 24 / Q.hoursPerMonth
    guard let retain else {
      return residencyMonths(fromMonth: afterMonths, length: nil)
    }
    let r = retain - after
    let billedDays = Q.maximum(r, minimum)
    return residencyMonths(fromMonth: afterMonths, length: billedDays * 24 / Q.hoursPerMonth)
  }

  /// Months a copy stored from age `start` for `length` months (nil: kept forever) counts in this month:
  /// max(0, min(length, H − start)) in the steady state (docs/model.md §2); in a projection month, relative to
  /// that month's inflow, Σ over ages a of (1 + g)^(−a) × overlap([a, a + 1), [start, start + length)) (§11).
  public func residencyMonths(fromMonth start: Q, length: Q?) -> Q {
    if let p = projectionMonth { return p.months(from: start, length: length) }
    let room = horizonMonths - start
    guard let length else { return Q.maximum(0, room) }
    return Q.maximum(0, Q.minimum(length, room))
  }

  /// λ: sessions arriving per hour (Poisson), E / 730.
  public var sessionsPerHour: Double { (entities / Q.hoursPerMonth).asDouble }

  /// g: minutes between two records of a session, L / (R − 1); 0 when R = 1.
  public var recordGapMinutes: Q {
    workload.recordsPerEntity <= 1 ? 0 : lifetimeMinutes / (R - 1)
  }

  /// Average requests per second over the month (730 × 3600 s).
  public var averageRequestsPerSecond: Q { requests / 2_628_000 }
  /// Peak requests per second: max_h q_h, the average × the busiest hour's multiplier (docs/model.md §9).
  public var peakRequestsPerSecond: Q { averageRequestsPerSecond * peakMultiplier }

  /// Σ over the 24 hours of f(m_h, n_h, d_h), from the profile's groups (each group's hours × f of its multiplier
  /// m_h = n_h ÷ d_h). Figures rounded or stepped hour by hour divide once by d_h, so that an exact half or step
  /// stays exact where m_h itself does not end (docs/model.md §9).
  public func sumOverDay(_ f: (_ m: Q, _ numerator: Q, _ denominator: Q) -> Q) -> Q {
    var sum: Q = 0
    for g in profile { sum += g.hours * f(g.m, g.num, g.den) }
    return sum
  }
}

extension DerivedWorkload<Lanes>.Base {
  /// Eight draws' workloads, each already in `Double`, as lanes.
  convenience init(lanes ws: [DerivedWorkload<Double>]) {
    func g(_ f: (DerivedWorkload<Double>) -> Double) -> Lanes { Lanes(gather: { f(ws[$0]) }) }
    let first = ws[0]
    self.init(
      workload: first.workload, lanes: ws.map(\.base.sizes), baseEntities: g(\.baseEntities),
      R: g(\.R),
      recordBytes: g(\.recordBytes), keyBytes: g(\.keyBytes), lr: g(\.lr), le: g(\.le),
      profile: first.profile.indices.map { i in
        (
          m: g { $0.profile[i].m }, hours: g { $0.profile[i].hours }, num: g { $0.profile[i].num },
          den: g { $0.profile[i].den }
        )
      },
      peakMultiplier: g(\.peakMultiplier),
      retention: first.retention.map { _ in g { $0.retention! } },
      lifetimeMinutes: g(\.lifetimeMinutes),
      archiveDays: first.archiveDays.map { a in
        (
          g { $0.archiveDays!.after }, a.retain.map { _ in g { $0.archiveDays!.retain! } },
          g { $0.archiveDays!.minimum }, g { $0.archiveDays!.minimumBytes }
        )
      })
  }
}

extension DerivedWorkload<Lanes> {
  /// Eight draws at the scale and horizon of `ws[0]` (every lane's are the same), whose workloads differ at most in
  /// fields other than `LaneBatch.unsharedFields` (the record count and traffic profile are lane 0's).
  init(lanes ws: [DerivedWorkload<Double>]) {
    precondition(ws.count == Lanes.count)
    self.init(
      base: Base(lanes: ws), scale: Lanes(repeating: ws[0].scale),
      horizonMonths: Lanes(repeating: ws[0].horizonMonths))
  }
}

/// A workload's sizes in whole bytes and records: what the pricers round to KB pages and sum over a session
/// (`DerivedWorkload.whole`, `perDraw`), each draw's own when eight are priced at once (`Lanes`).
public struct WholeSizes: Sendable {
  public var keyBytes: Int
  public var recordBytes: Int
  public var recordsPerEntity: Int
  init(_ w: Workload) {
    keyBytes = w.keyBytes
    recordBytes = w.recordBytes
    recordsPerEntity = w.recordsPerEntity
  }
}
