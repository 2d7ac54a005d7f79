import Foundation

extension AuroraService {
  /// What `parse` accepts, for `costplan schema scenario` (docs/model.md §3.4).
  public var settingsSchema: OptionSchema {
    OptionSchema(
      description: "Aurora Serverless v2, PostgreSQL (docs/model.md §3.4).",
      properties: [
        (
          "minACU",
          JSONSchema.number(
            "Least capacity in Aurora capacity units (ACU), in steps of 0.5; 0 pauses the cluster when idle. At most maxACU."
          )
          .minimum(0).maximum(256).multipleOf(dec("0.5")).defaultValue(.number(dec("0.5")))
        ),
        (
          "maxACU",
          JSONSchema.number(
            "Most capacity in ACU, in steps of 0.5, from max(minACU, 0.5) to 256; above it the option is infeasible."
          )
          .minimum(dec("0.5")).maximum(256).multipleOf(dec("0.5")).defaultValue(16)
        ),
        (
          "autoPauseMinutes",
          JSONSchema.number("Idle minutes before the cluster pauses; only with minACU 0.").minimum(
            5
          ).maximum(1440).defaultValue(5)
        ),
        (
          "ioOptimized",
          .boolean(
            "The I/O-Optimized cluster configuration: dearer ACU-hours and storage, no charge per I/O.",
            default: false)
        ),
        (
          "queriesPerSecondPerACU",
          .numberOrRange(
            "Queries a second one ACU serves (an assumption; calibrate with costplan bench).",
            JSONSchema.number().exclusiveMinimum(0)
          ).defaultValue(250)
        ),
        (
          "rowOverheadBytes",
          .numberOrRange(
            "Disk per row beyond its key and bytes, in bytes (an assumption: PostgreSQL 15 measured about 850).",
            JSONSchema.number().minimum(0)
          ).defaultValue(850)
        ),
        (
          "readIOsPerLoad",
          JSONSchema.number("Storage read I/Os per load (0: loads are buffer-pool hits).").minimum(
            0
          ).defaultValue(0)
        ),
        (
          "readers",
          JSONSchema.integer(
            "Reader instances in failover tiers 0–1; each scales with the writer and costs what it costs."
          )
          .minimum(0).maximum(15).defaultValue(0)
        ),
        ("savingsPlan", .ref("savingsPlan")),
      ],
      rules: [
        .rule(if: .when("minACU", is: 0), else: .without(["autoPauseMinutes"]))
      ])
  }
}
