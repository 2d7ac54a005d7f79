import Foundation

/// The monthly workload of a scenario at one scale (MODEL.md §2). Everything the service pricers need.
public struct DerivedWorkload: Sendable {
  public var workload: Workload
  public var scale: Decimal
  public var horizonMonths: Decimal

  public init(workload: Workload, scale: Decimal, horizonMonths: Decimal) {
    self.workload = workload
    self.scale = scale
    self.horizonMonths = horizonMonths
  }

  /// E: entities (sessions) started per month.
  public var entities: Decimal { workload.entitiesPerMonth * scale }
  public var recordsPerEntity: Int { workload.recordsPerEntity }
  public var R: Decimal { Decimal(workload.recordsPerEntity) }
  public var recordBytes: Decimal { Decimal(workload.recordBytes) }
  public var keyBytes: Decimal { Decimal(workload.keyBytes) }
  /// K + B: one stored record with its key and metadata.
  public var storedRecordBytes: Decimal { keyBytes + recordBytes }
  /// K + R × B: an entity stored as one object or item.
  public var entityBytes: Decimal { keyBytes + R * recordBytes }

  /// W = E × R records written per month.
  public var recordsWritten: Decimal { entities * R }
  /// Loads per entity session: R × Lr + Le.
  public var loadsPerEntity: Decimal { R * workload.loadsPerRecord + workload.loadsPerEntity }
  /// Loads per month: E × (R × Lr + Le).
  public var loads: Decimal { entities * loadsPerEntity }
  /// Requests per entity session: n = R × (1 + Lr) + Le.
  public var requestsPerSession: Decimal { R * (1 + workload.loadsPerRecord) + workload.loadsPerEntity }
  /// All requests (appends and loads) per month.
  public var requests: Decimal { entities * requestsPerSession }

  /// Σ over one session's loads of the records each load reads: Lr × R(R+1)/2 + Le × R.
  public var recordsReadPerEntity: Decimal {
    workload.loadsPerRecord * R * (R + 1) / 2 + workload.loadsPerEntity * R
  }

  /// Sum over one session's loads of f(k), where a load after k records reads k records:
  /// Lr × Σ_{k=1}^{R} f(k) + Le × f(R). `sumK` is Σ_{k=1}^{R} f(k), `atR` is f(R).
  public func perEntityLoadSum(sumK: Decimal, atR: Decimal) -> Decimal {
    workload.loadsPerRecord * sumK + workload.loadsPerEntity * atR
  }

  /// ρ: months a record stays in hot storage, min(T / D, H) with D = 730 / 24 days; H without retention.
  public var hotResidencyMonths: Decimal {
    guard let t = workload.retentionDays else { return horizonMonths }
    return Decimal.minimum(t * 24 / 730, horizonMonths)
  }

  /// ρa: months an archived object is billed, max(0, min(max(r, m) / D, H − a / D)).
  public func archiveResidencyMonths(_ a: ArchiveSpec) -> Decimal {
    let afterMonths = a.afterDays * 24 / 730
    let room = horizonMonths - afterMonths
    guard let retain = a.retainDays else { return Decimal.maximum(0, room) }
    let r = retain - a.afterDays
    let billedDays = Decimal.maximum(r, a.storageClass.minimumDays)
    return Decimal.maximum(0, Decimal.minimum(billedDays * 24 / 730, room))
  }

  /// λ: sessions arriving per hour (Poisson), E / 730.
  public var sessionsPerHour: Double { DecimalMath.toDouble(entities / DecimalMath.hoursPerMonth) }

  /// g: minutes between two records of a session, L / (R − 1); 0 when R = 1.
  public var recordGapMinutes: Decimal {
    workload.recordsPerEntity <= 1 ? 0 : workload.entityLifetimeMinutes / (R - 1)
  }

  /// Average requests per second over the month.
  public var averageRequestsPerSecond: Decimal { requests / DecimalMath.secondsPerMonth }
  /// Peak requests per second: the average × peakToAverage.
  public var peakRequestsPerSecond: Decimal { averageRequestsPerSecond * workload.peakToAverage }
}
