import Foundation

extension ElastiCacheService {
  /// What `parse` and `parseShards` accept, for `costplan schema scenario` (docs/model.md §3.3).
  public var settingsSchema: OptionSchema {
    let reservation = JSONSchema.object(
      "Reserved nodes: a term and a payment option; node mode only, not with savingsPlan.",
      [
        ("term", .choice(CommitmentTerm.allCases.map(\.rawValue), "Term, in years.")),
        ("payment", .choice(NodeReservation.Payment.allCases.map(\.rawValue), "Payment option.")),
      ], required: ["term", "payment"])
    return OptionSchema(
      description:
        "ElastiCache (Valkey or Redis OSS), node-based or serverless (docs/model.md §3.3).",
      properties: [
        (
          "mode",
          .choice(
            ElastiCacheSettings.Mode.allCases.map(\.rawValue),
            "node: a cluster of cache nodes; serverless: billed per GB-hour stored and per ECPU.",
            default: "node")
        ),
        (
          "engine",
          .choice(
            ElastiCacheSettings.Engine.allCases.map(\.rawValue), "Cache engine.", default: "valkey")
        ),
        (
          "nodeType",
          JSONSchema.string(
            "A node type of the rate table (cache.t4g.micro, cache.r7g.large, …), or auto: the cheapest that fits at each scale; node mode only."
          )
          .minLength(1).maxLength(100).defaultValue("auto")
        ),
        (
          "shards",
          .oneOf(
            "Shards (node groups): 1 is cluster mode disabled; auto picks the count; node mode only.",
            [
              JSONSchema.integer().minimum(1).maximum(500), JSONSchema.constant("auto"),
            ]
          ).defaultValue(1)
        ),
        (
          "replicas",
          JSONSchema.integer("Replicas per shard; node mode only.").minimum(0).maximum(5)
            .defaultValue(0)
        ),
        ("reservation", reservation),
        (
          "perRecordOverheadBytes",
          .numberOrRange(
            "Memory per cached record beyond its key and bytes, in bytes (an assumption: Redis 7 measured about 370).",
            JSONSchema.number().minimum(0)
          ).defaultValue(400)
        ),
        ("savingsPlan", .ref("savingsPlan")),
      ],
      rules: [
        .rule(
          if: .when("mode", is: "serverless"),
          then: .without(["nodeType", "replicas", "shards", "reservation"])),
        .rule(if: .requires(["savingsPlan"]), then: .without(["reservation"])),
      ])
  }
}
