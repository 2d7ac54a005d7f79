import Foundation

/// Archive into an S3 class, for any option whose scenario has `archive` (docs/model.md §3.5).
enum ArchivePricing {
  /// `objectsPerMonth` objects of `objectBytes` bytes go to the archive class each month.
  /// S3 options transition their own expired objects; other options write one object per entity.
  static func price<Q>(
    objectsPerMonth: Q, objectBytes: Q, transition: Bool, into ctx: inout PricingContext<Q>
  ) {
    guard let spec = ctx.workload.workload.archive else { return }
    ctx.lines.add(
      "s3", spec.storageClass.requestsRateId,
      transition ? "archive lifecycle transitions" : "archive PUTs (one object per entity)",
      objectsPerMonth)
    // Stock at month H = monthly inflow × residency.
    let residency = ctx.workload.archiveResidencyMonths
    let stock = objectsPerMonth * residency
    let gb = Q.bytesPerGiB
    if spec.storageClass.hasGlacierMetadataOverhead {
      // "S3 adds 40 KB of chargeable overhead for metadata, with 8 KB charged at S3 Standard rates and
      // 32 KB charged at S3 Glacier Flexible Retrieval or S3 Deep Archive rates" (S3 pricing page).
      ctx.lines.add(
        "s3", spec.storageClass.storageRateId, "archive storage (+32 KB per object)",
        stock * (objectBytes + 32_768) / gb)
      ctx.lines.add(
        "s3", "storage-standard", "archive metadata (8 KB per object)", stock * 8_192 / gb)
    } else {
      // Standard-IA and Glacier IR have a minimum billable object size of 128 KB.
      let billed = Q.maximum(objectBytes, ctx.workload.archiveDays?.minimumBytes ?? 0)
      ctx.lines.add(
        "s3", spec.storageClass.storageRateId, "archive storage (128 KB minimum per object)",
        stock * billed / gb)
    }
    ctx.detail(
      "archive: \(brief(stock)) objects in \(spec.storageClass.rawValue) after \(brief(residency)) months"
    )
  }
}
