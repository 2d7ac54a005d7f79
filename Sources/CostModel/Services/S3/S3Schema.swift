import Foundation

extension S3Service {
  /// What `parse` and `parseCache` accept, for `costplan schema scenario` (docs/model.md §3.1, §4).
  public var settingsSchema: OptionSchema {
    let fixed = JSONSchema.object(
      nil,
      [
        (
          "hitRatio",
          .numberOrRange(
            "Share of loads the cache answers, from 0 to 1.",
            JSONSchema.number().minimum(0).maximum(1))
        ),
        ("handlerMs", Self.handlerMs),
        ("extraMemoryMB", Self.extraMemoryMB),
      ], required: ["hitRatio"])
    let fleet = JSONSchema.object(
      nil,
      [
        (
          "model",
          .constant(
            "lambda-fleet",
            "The hit ratio of a cache inside each Lambda execution environment (docs/model.md §4).")
        ),
        (
          "idleTimeoutMinutes",
          JSONSchema.number("Minutes an idle Lambda instance stays warm, keeping its cache.")
            .exclusiveMinimum(0)
            .defaultValue(10)
        ),
        ("handlerMs", Self.handlerMs),
        ("extraMemoryMB", Self.extraMemoryMB),
      ], required: ["model"])
    return OptionSchema(
      description: "S3 Standard, alone or behind an in-process cache (docs/model.md §3.1).",
      properties: [
        (
          "layout",
          .choice(
            S3Settings.Layout.allCases.map(\.rawValue),
            "object-per-entity: one object per entity, rewritten on each append; object-per-record: one object per record, a load lists and gets them.",
            default: "object-per-entity")
        ),
        (
          "cache",
          .oneOf(
            "An in-process cache in front of S3: a fixed hitRatio, or model \"lambda-fleet\"; not both.",
            [fixed, fleet])
        ),
      ])
  }

  static let handlerMs = JSONSchema.number(
    "Lambda handler duration in milliseconds (the fleet's concurrency and the extra memory's GB-seconds)."
  )
  .exclusiveMinimum(0).defaultValue(1500)
  static let extraMemoryMB = JSONSchema.number(
    "Lambda memory added for the cache, in MB (0: it fits in the function's memory)."
  )
  .minimum(0).defaultValue(0)
}
