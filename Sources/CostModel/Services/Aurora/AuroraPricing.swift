import Foundation

/// Aurora Serverless v2, PostgreSQL-compatible (docs/model.md §3.4).
enum AuroraPricing {
  static func price<Q>(_ s: AuroraSettings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    // Capacity follows the load hour by hour in 0.5-ACU steps (§9): a_h = q_h / queriesPerSecondPerACU,
    // c_h = max(max(minACU, 0.5), ⌈2 a_h⌉ / 2); active fraction f_h = 1, or 1 − exp(−λ_h (L + P) / 60) with auto-pause.
    let floorACU = Q.maximum(Q(s.minACU), Q.half)
    let requests = w.requests
    let qps = Q(s.queriesPerSecondPerACU)
    let perHourDivisor = 2_628_000 * qps
    let autoPause = s.autoPause
    // Auto-pause is computed in `Double` (exp) from λ, sessions an hour, and x = (L + P) / 60 hours: one draw's, or
    // each lane's when eight draws are priced at once (`Lanes`), the same operations lane by lane.
    let lanes = Q.self == Lanes.self ? Lanes.count : 1
    func lane(_ q: Q, _ k: Int) -> Double { lanes == 1 ? q.asDouble : (q as! Lanes).v[k] }
    var lambda = SIMD8<Double>()
    var exposure = SIMD8<Double>()
    if autoPause {
      let perHour = w.entities / Q.hoursPerMonth
      let pauseMinutes = DecimalMath.toDouble(s.autoPauseMinutes)
      for k in 0..<lanes {
        lambda[k] = lane(perHour, k)
        exposure[k] = (lane(w.lifetimeMinutes, k) + pauseMinutes) / 60
      }
    }
    // −expm1(−λ m x), the active fraction of an hour with multiplier m; −expm1(−x), not 1 − exp(−x): for a cluster
    // woken a few times a year x is 1e-8 or less, and 1 − exp(−x) in Double keeps only half of f's digits.
    func active(_ m: Q, _ k: Int) -> Double {
      -Foundation.expm1(-lambda[k] * lane(m, k) * exposure[k])
    }
    // p = Σ_h (m_h / 24) × exp(−λ m_h x): a session finds the cluster paused.
    func paused(_ k: Int) -> Double {
      var p = 0.0
      for g in w.profile {
        let m = lane(g.m, k)
        p += lane(g.hours, k) * m / 24 * Foundation.exp(-lambda[k] * m * exposure[k])
      }
      return p
    }
    var needPeak: Q = 0
    var capacityPeak: Q = 0
    let acuHoursPerDay = w.sumOverDay { m, n, d in
      // a_h = requests × m_h / (730 × 3600 × qps) with one division: exact where it ends, so that a load that
      // needs exactly a step is not pushed over it by a multiplier (1/3) that does not end.
      let need = requests * n / (d * perHourDivisor)
      let c = Q.maximum(floorACU, (need * 2).ceiling / 2)
      needPeak = Q.maximum(needPeak, need)
      capacityPeak = Q.maximum(capacityPeak, c)
      guard autoPause else { return c }
      let f = lanes == 1 ? Q.fromDouble(active(m, 0)) : Lanes(gather: { active(m, $0) }) as! Q
      return f * c
    }
    if ctx.detailed { ctx.facts.acu = capacityPeak.asDecimal }
    if needPeak > Q(s.maxACU) {
      ctx.infeasible("needs \(brief(needPeak)) ACU at the busiest hour, above maxACU \(s.maxACU)")
    }
    if autoPause && lanes > 1 {
      ctx.lanePaused = Lanes(gather: paused).v
    } else if autoPause {
      let p = paused(0)
      ctx.facts.pausedProbability = p
      ctx.detail(
        "auto-pause after \(s.autoPauseMinutes) min: a session finds the cluster paused with probability \(brief(Q.fromDouble(p)))"
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
