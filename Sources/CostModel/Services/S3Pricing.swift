import Foundation

/// S3 Standard, optionally behind an in-process cache (MODEL.md §3.1).
enum S3Pricing {
  static func price(_ s: S3Settings, into ctx: inout PricingContext) throws(MissingRate) {
    let w = ctx.workload
    let gb = DecimalMath.bytesPerGB
    var miss: Decimal = 1
    if let cache = s.cache {
      let h = CacheHitRatio.hitRatio(cache, workload: w)
      ctx.facts.hitRatio = h
      miss = 1 - h
      ctx.details.append("cache hit ratio \(brief(h))")
    }
    // Every append writes: object-per-entity rewrites the entity object, object-per-record adds one.
    ctx.lines.add("s3", "requests-tier1", "PUT (one per record appended)", w.recordsWritten)
    switch s.layout {
    case .objectPerEntity:
      ctx.lines.add("s3", "requests-tier2", s.cache == nil ? "GET (one per load)" : "GET (cache misses)", w.loads * miss)
      let objects = w.entities * w.hotResidencyMonths
      ctx.lines.add("s3", "storage-standard", "storage (one object per \(w.workload.entity))", objects * w.entityBytes / gb)
      ArchivePricing.price(objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: true, into: &ctx)
    case .objectPerRecord:
      ctx.lines.add("s3", "requests-tier1", s.cache == nil ? "LIST (one per load)" : "LIST (cache misses)", w.loads * miss)
      ctx.lines.add("s3", "requests-tier2", s.cache == nil ? "GET (one per record loaded)" : "GET (records loaded on cache misses)",
        w.entities * w.recordsReadPerEntity * miss)
      let objects = w.recordsWritten * w.hotResidencyMonths
      ctx.lines.add("s3", "storage-standard", "storage (one object per \(w.workload.record))", objects * w.storedRecordBytes / gb)
      ArchivePricing.price(objectsPerMonth: w.recordsWritten, objectBytes: w.storedRecordBytes, transition: true, into: &ctx)
    }
    if let cache = s.cache, cache.extraMemoryMB > 0 {
      // (invocations × handlerMs / 1000) × extraMemoryMB / 1024 GB-seconds, one invocation per request.
      let gbSeconds = w.requests * cache.handlerMs / 1000 * cache.extraMemoryMB / 1024
      ctx.lines.add("lambda", "gb-second", "Lambda memory for the cache (\(cache.extraMemoryMB) MB extra)", gbSeconds)
    }
    S3PrefixCheck.check(s.layout, into: &ctx)
  }
}

/// S3 supports 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per prefix.
enum S3PrefixCheck {
  static func check(_ layout: S3Settings.Layout, into ctx: inout PricingContext) {
    let w = ctx.workload
    let peak = w.workload.peakToAverage / DecimalMath.secondsPerMonth
    let putPerSecond = w.recordsWritten * peak
    let miss = 1 - (ctx.facts.hitRatio ?? 0)
    let getPerSecond = (layout == .objectPerEntity ? w.loads : w.entities * w.recordsReadPerEntity) * miss * peak
    if putPerSecond > 3500 {
      ctx.warnings.append("peak \(brief(putPerSecond)) PUT/s exceeds S3's 3,500 per prefix: spread keys over prefixes")
    }
    if getPerSecond > 5500 {
      ctx.warnings.append("peak \(brief(getPerSecond)) GET/s exceeds S3's 5,500 per prefix: spread keys over prefixes")
    }
  }
}
