import Foundation

/// S3 Standard, optionally behind an in-process cache (MODEL.md §3.1).
enum S3Pricing {
  static func price<Q>(_ s: S3Settings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    let gb = Q(1_073_741_824)
    var miss: Q = 1
    if let cache = s.cache {
      let h: Q = CacheHitRatio.hitRatio(cache, workload: w)
      if ctx.detailed { ctx.facts.hitRatio = h.asDecimal }
      miss = 1 - h
      if ctx.detailed, case .lambdaFleet(let idle) = cache.model {
        let fleet = CacheHitRatio.fleet(workload: w, handlerMs: cache.handlerMs, idleTimeoutMinutes: idle)
        ctx.detail("lambda-fleet cache model: peak \(brief(w.peakRequestsPerSecond)) requests/s × \(cache.handlerMs) ms handler → "
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
    switch s.layout {
    case .objectPerEntity:
      ctx.lines.add("s3", "requests-tier2", cached ? "GET (cache misses)" : "GET (one per load)", w.loads * miss)
      let objects = w.entities * w.hotResidencyMonths
      ctx.lines.add("s3", "storage-standard", "storage (one object per \(w.workload.entity))", objects * w.entityBytes / gb)
      ArchivePricing.price(objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: true, into: &ctx)
    case .objectPerRecord:
      ctx.lines.add("s3", "requests-tier1", cached ? "LIST (cache misses)" : "LIST (one per load)", w.loads * miss)
      ctx.lines.add("s3", "requests-tier2", cached ? "GET (records loaded on cache misses)" : "GET (one per record loaded)",
        w.entities * w.recordsReadPerEntity * miss)
      let objects = w.recordsWritten * w.hotResidencyMonths
      ctx.lines.add("s3", "storage-standard", "storage (one object per \(w.workload.record))", objects * w.storedRecordBytes / gb)
      ArchivePricing.price(objectsPerMonth: w.recordsWritten, objectBytes: w.storedRecordBytes, transition: true, into: &ctx)
    }
    if let cache = s.cache, cache.extraMemoryMB > 0 {
      // (invocations × handlerMs / 1000) × extraMemoryMB / 1024 GB-seconds, one invocation per request.
      let gbSeconds = w.requests * Q(cache.handlerMs) / 1000 * Q(cache.extraMemoryMB) / 1024
      ctx.lines.add("lambda", "gb-second", "Lambda memory for the cache (\(cache.extraMemoryMB) MB extra)", gbSeconds)
    }
    if ctx.detailed { prefixCheck(s.layout, miss: miss, into: &ctx) }
  }

  /// S3 supports 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per prefix.
  static func prefixCheck<Q>(_ layout: S3Settings.Layout, miss: Q, into ctx: inout PricingContext<Q>) {
    let w = ctx.workload
    let peak = w.peakToAverage / 2_628_000
    let putPerSecond = w.recordsWritten * peak
    let getPerSecond = (layout == .objectPerEntity ? w.loads : w.entities * w.recordsReadPerEntity) * miss * peak
    if putPerSecond > 3500 {
      ctx.warn("peak \(brief(putPerSecond)) PUT/s exceeds S3's 3,500 per prefix: spread keys over prefixes")
    }
    if getPerSecond > 5500 {
      ctx.warn("peak \(brief(getPerSecond)) GET/s exceeds S3's 5,500 per prefix: spread keys over prefixes")
    }
  }
}
