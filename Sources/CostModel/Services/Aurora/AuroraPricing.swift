import Foundation

/// Aurora Serverless v2, PostgreSQL-compatible (docs/model.md §3.4).
enum AuroraPricing {
  static func price<Q>(_ s: AuroraSettings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    // Capacity follows the load hour by hour in 0.5-ACU steps (§9): a_h = q_h / queriesPerSecondPerACU,
    // c_h = max(max(minACU, 0.5), ⌈2 a_h⌉ / 2); active fraction f_h = 1, or 1 − exp(−λ_h (L + P) / 60) with auto-pause.
    let floorACU = Q.maximum(Q(s.minACU), Q.half)
    let perSecond = w.averageRequestsPerSecond
    let qps = Q(s.queriesPerSecondPerACU)
    let autoPause = s.autoPause
    let pauseMinutes = DecimalMath.toDouble(s.autoPauseMinutes)
    // Auto-pause is computed in `Double` (exp): λ and (L + P) / 60 hours, one draw's, or each lane's when eight
    // draws are priced at once (`Lanes`: the same operations lane by lane).
    let lanes: (lambda: SIMD8<Double>, exposure: SIMD8<Double>)? =
      autoPause && Q.self == Lanes.self
      ? (
        ((w.entities / Q.hoursPerMonth) as! Lanes).v,
        Lanes(gather: { k in ((w.lifetimeMinutes as! Lanes).v[k] + pauseMinutes) / 60 }).v
      ) : nil
    let exposureHours =
      autoPause && lanes == nil ? (w.lifetimeMinutes.asDouble + pauseMinutes) / 60 : 0
    let lambda = autoPause && lanes == nil ? w.sessionsPerHour : 0
    /// −expm1(−λ m (L + P) / 60), the active fraction of an hour with multiplier m.
    func active(_ m: Q) -> Q {
      guard let lanes else {
        // −expm1(−x), not 1 − exp(−x): for a cluster woken a few times a year x is 1e-8 or less, and 1 − exp(−x)
        // in Double keeps only half of f's digits.
        return Q.fromDouble(-Foundation.expm1(-lambda * m.asDouble * exposureHours))
      }
      let mv = (m as! Lanes).v
      return Lanes(gather: { k in -Foundation.expm1(-lanes.lambda[k] * mv[k] * lanes.exposure[k]) })
        as! Q
    }
    var needPeak: Q = 0
    var capacityPeak: Q = 0
    let acuHoursPerDay = w.sumOverDay { m in
      let need = perSecond * m / qps
      let c = Q.maximum(floorACU, (need * 2).ceiling / 2)
      needPeak = Q.maximum(needPeak, need)
      capacityPeak = Q.maximum(capacityPeak, c)
      guard autoPause else { return c }
      return active(m) * c
    }
    if ctx.detailed { ctx.facts.acu = capacityPeak.asDecimal }
    if needPeak > Q(s.maxACU) {
      ctx.infeasible("needs \(brief(needPeak)) ACU at the busiest hour, above maxACU \(s.maxACU)")
    }
    if autoPause, let lanes {
      // As below, lane by lane.
      var paused = SIMD8<Double>(repeating: 0)
      for k in 0..<Lanes.count {
        for g in w.profile {
          let m = (g.m as! Lanes).v[k]
          paused[k] +=
            (g.hours as! Lanes).v[k] * m / 24
            * Foundation.exp(-lanes.lambda[k] * m * lanes.exposure[k])
        }
      }
      ctx.lanePaused = paused
    } else if autoPause {
      // A session finds the cluster paused with p = Σ_h (m_h / 24) × exp(−λ_h (L + P) / 60).
      var paused = 0.0
      for g in w.profile {
        let m = g.m.asDouble
        paused += g.hours.asDouble * m / 24 * Foundation.exp(-lambda * m * exposureHours)
      }
      ctx.facts.pausedProbability = paused
      ctx.detail(
        "auto-pause after \(s.autoPauseMinutes) min: a session finds the cluster paused with probability \(brief(Q.fromDouble(paused)))"
      )
    }
    let instances = 1 + s.readers
    ctx.detail(
      "\(brief(capacityPeak)) ACU at the busiest hour, \(brief(acuHoursPerDay / 24)) on average\(s.readers > 0 ? "; writer + \(s.readers) reader\(s.readers > 1 ? "s" : "") scaling with it" : "")"
    )
    let acuRate = s.ioOptimized ? "acu-hour-io-optimized" : "acu-hour"
    ctx.lines.add(
      "aurora", acuRate,
      "ACU-hours (capacity following the hourly load\(autoPause ? ", paused when idle" : "")\(instances > 1 ? ", × \(instances) instances" : ""))",
      acuHoursPerDay * Q(instances) * Q.hoursPerMonth / 24)
    // Storage: resident rows × (K + B + rowOverheadBytes). Readers share the cluster volume.
    let rows = w.recordsWritten * w.hotResidencyMonths
    let storageGB = rows * (w.storedRecordBytes + Q(s.rowOverheadBytes)) / Q.bytesPerGiB
    ctx.lines.add(
      "aurora", s.ioOptimized ? "storage-io-optimized" : "storage",
      "cluster storage (+\(s.rowOverheadBytes) B per row)", storageGB)
    if !s.ioOptimized {
      // I/O: ⌈(K + B) / 4 KB⌉ + 1 write I/Os per record, readIOsPerLoad per load (each draw's with `Lanes`;
      // `writeIOs` is the first draw's, for the text).
      let writeIOs = (w.workload.keyBytes + w.workload.recordBytes + 4095) / 4096 + 1
      let perInsert = w.whole { ($0.keyBytes + $0.recordBytes + 4095) / 4096 + 1 }
      let ios = w.recordsWritten * perInsert + w.loads * Q(s.readIOsPerLoad)
      ctx.lines.add(
        "aurora", "io-request",
        "I/O requests (\(writeIOs) per insert, \(s.readIOsPerLoad) per load)", ios)
    }
    ArchivePricing.price(
      objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }
}
