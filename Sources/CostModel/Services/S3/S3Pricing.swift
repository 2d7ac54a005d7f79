import Foundation

/// S3 Standard, optionally behind an in-process cache (docs/model.md §3.1).
enum S3Pricing {
  static func price<Q>(_ s: S3Settings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    let gb = Q.bytesPerGiB
    var miss: Q = 1
    if let cache = s.cache {
      let h: Q = CacheHitRatio.hitRatio(cache, workload: w)
      ctx.setHitShare(h)
      if ctx.detailed { ctx.facts.hitRatio = h.asDecimal }
      miss = 1 - h
      if ctx.detailed, case .lambdaFleet(let idle) = cache.model {
        let fleet = CacheHitRatio.fleet(
          workload: w, handlerMs: cache.handlerMs, idleTimeoutMinutes: idle)
        ctx.detail(
          "lambda-fleet cache model: peak \(brief(w.peakRequestsPerSecond)) requests/s × \(cache.handlerMs) ms handler → "
            + "\(brief(fleet.concurrency)) concurrent instance(s); record gap \(brief(w.recordGapMinutes)) min vs idle timeout \(idle) min → "
            + "\(fleet.warm ? "warm" : "reclaimed between records"); \(brief(w.requestsPerSession)) requests per session → "
            + "hit ratio ((n − 1)/n) × (1/c) × w = \(brief(h))")
      } else {
        ctx.detail("cache hit ratio \(brief(h))")
      }
    }
    // Every append writes: object-per-entity rewrites the entity object, object-per-record adds one.
    ctx.lines.add("s3", "requests-tier1", "PUT (one per record appended)", w.recordsWritten)
    let cached = s.cache != nil
    let archive = w.workload.archive
    let days = w.archiveDays
    let residency = hotResidency(w)
    let objectsPerMonth: Q
    let objectBytes: Q
    switch s.layout {
    case .objectPerEntity:
      ctx.lines.add(
        "s3", "requests-tier2", cached ? "GET (cache misses)" : "GET (one per load)", w.loads * miss
      )
      objectsPerMonth = w.entities
      objectBytes = w.entityBytes
      ctx.lines.add(
        "s3", "storage-standard", "storage (one object per \(w.workload.entity))",
        objectsPerMonth * residency * objectBytes / gb)
    case .objectPerRecord:
      // ListObjectsV2 returns at most 1,000 keys a page: a load of k records takes ⌈k / 1000⌉ LISTs.
      let pages = w.perEntityLoadSum(
        sumK: DecimalMath.sumCeil(a: 0, b: 1, m: 1000, count: w.recordsPerEntity, as: Q.self),
        atR: (w.R / 1000).ceiling)
      ctx.lines.add(
        "s3", "requests-tier1",
        cached ? "LIST (cache misses; 1,000 keys a page)" : "LIST (1,000 keys a page)",
        w.entities * pages * miss)
      ctx.lines.add(
        "s3", "requests-tier2",
        cached ? "GET (records loaded on cache misses)" : "GET (one per record loaded)",
        w.entities * w.recordsReadPerEntity * miss)
      objectsPerMonth = w.recordsWritten
      objectBytes = w.storedRecordBytes
      ctx.lines.add(
        "s3", "storage-standard", "storage (one object per \(w.workload.record))",
        objectsPerMonth * residency * objectBytes / gb)
    }
    if let a = archive, let days {
      if !a.transitionSmallObjects && objectBytes < 131_072 {
        // S3 Lifecycle does not transition objects under 128 KB by default: they stay in Standard until the
        // archive retention ends, min(r / D, H − a / D) months, with no transition request and no archive overhead.
        let months = w.residencyMonths(
          fromMonth: days.after * 24 / Q.hoursPerMonth,
          length: days.retain.map { ($0 - days.after) * 24 / Q.hoursPerMonth })
        ctx.lines.add(
          "s3", "storage-standard", "objects under 128 KB stay in Standard (lifecycle skips them)",
          objectsPerMonth * months * objectBytes / gb)
        ctx.detail(
          "archive: objects of \(brief(objectBytes)) B are under 128 KB, which S3 Lifecycle does not transition by default; "
            + "they stay in Standard \(brief(months)) more months (set archive.transitionSmallObjects to transition them)"
        )
        ctx.warn(
          "the archive rule does nothing for these objects: S3 Lifecycle skips objects under 128 KB unless the rule sets a minimum size"
        )
      } else {
        ArchivePricing.price(
          objectsPerMonth: objectsPerMonth, objectBytes: objectBytes, transition: true, into: &ctx)
      }
    }
    if let cache = s.cache, cache.extraMemoryMB > 0 {
      // (invocations × handlerMs / 1000) × extraMemoryMB / 1024 GB-seconds, one invocation per request.
      let gbSeconds = w.requests * Q(cache.handlerMs) / 1000 * Q(cache.extraMemoryMB) / 1024
      // The free tier never applies: the function's own memory uses it first.
      ctx.lines.add(
        "lambda", "gb-second", "Lambda memory for the cache (\(cache.extraMemoryMB) MB extra)",
        gbSeconds, freeTierApplies: false)
    }
    if ctx.detailed { prefixCheck(s.layout, miss: miss, into: &ctx) }
  }

  /// Days an object stays in Standard before it expires or moves: a lifecycle transition ends the hot residency,
  /// so S3 options keep objects in Standard for min(T, afterDays) (docs/model.md §3.5); nil: kept forever.
  static func hotDays<Q>(_ w: DerivedWorkload<Q>) -> Q? {
    w.archiveDays.map { a in w.retention.map { Q.minimum($0, a.after) } ?? a.after } ?? w.retention
  }

  /// Months an object stays in Standard: min(hot days / D, H).
  static func hotResidency<Q>(_ w: DerivedWorkload<Q>) -> Q { w.residencyMonths(days: hotDays(w)) }

  /// S3 supports 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per prefix.
  static func prefixCheck<Q>(
    _ layout: S3Settings.Layout, miss: Q, into ctx: inout PricingContext<Q>
  ) {
    let w = ctx.workload
    let peak = w.peakMultiplier / 2_628_000
    let putPerSecond = w.recordsWritten * peak
    let getPerSecond =
      (layout == .objectPerEntity ? w.loads : w.entities * w.recordsReadPerEntity) * miss * peak
    if putPerSecond > 3500 {
      ctx.warn(
        "peak \(brief(putPerSecond)) PUT/s exceeds S3's 3,500 per prefix: spread keys over prefixes"
      )
    }
    if getPerSecond > 5500 {
      ctx.warn(
        "peak \(brief(getPerSecond)) GET/s exceeds S3's 5,500 per prefix: spread keys over prefixes"
      )
    }
  }
}
