import Foundation

extension DynamoDBService {
  /// What `parseDynamoDB` and `SavingsPlanSpec.parse` accept, for `costplan schema scenario` (docs/model.md §3.2).
  public var settingsSchema: OptionSchema {
    let provisionedOnly = [
      "targetUtilization", "minWCU", "minRCU", "reservedWCU", "reservedRCU", "reservedTerm",
    ]
    let noReservation = JSONSchema([
      (
        "properties",
        .object([
          ("reservedWCU", JSONSchema.constant(0).json),
          ("reservedRCU", JSONSchema.constant(0).json),
        ])
      )
    ])
    func minimumUnits(_ kind: String) -> JSONSchema {
      .integer("Fewest provisioned \(kind) auto scaling may set.").minimum(1).maximum(40_000_000)
        .defaultValue(1)
    }
    func reserved(_ kind: String) -> JSONSchema {
      .integer(
        "\(kind) bought as reserved capacity, in blocks of 100, billed every hour of the term; Standard table class only."
      )
      .minimum(0).maximum(1_000_000_000).multipleOf(100).defaultValue(0)
    }
    return OptionSchema(
      description: "DynamoDB, on-demand or provisioned capacity (docs/model.md §3.2).",
      properties: [
        (
          "layout",
          .choice(
            DynamoDBSettings.Layout.allCases.map(\.rawValue),
            "item-per-record: one item per record, a load is a Query; item-per-entity: one item per entity, appended with list_append.",
            default: "item-per-record")
        ),
        (
          "consistentReads",
          .boolean(
            "Strongly consistent reads (true) cost twice the read units of eventually consistent ones.",
            default: false)
        ),
        (
          "pitr",
          .boolean(
            "Point-in-time recovery (continuous backups), billed per GB-month of table data.",
            default: false)
        ),
        (
          "tableClass",
          .choice(
            DynamoDBSettings.TableClass.allCases.map(\.rawValue),
            "Table class: standard-ia has cheaper storage and dearer requests.", default: "standard"
          )
        ),
        (
          "capacity",
          .choice(
            DynamoDBSettings.Capacity.allCases.map(\.rawValue),
            "Capacity mode: on-demand bills request units; provisioned bills WCU- and RCU-hours that auto scaling follows.",
            default: "on-demand")
        ),
        (
          "targetUtilization",
          JSONSchema.number(
            "Auto scaling's target utilization: provisioned = consumed ÷ this; provisioned capacity only."
          )
          .minimum(dec("0.2")).maximum(dec("0.9")).defaultValue(.number(dec("0.7")))
        ),
        ("minWCU", minimumUnits("write capacity units (WCU)")),
        ("minRCU", minimumUnits("read capacity units (RCU)")),
        ("reservedWCU", reserved("Write capacity units")),
        ("reservedRCU", reserved("Read capacity units")),
        (
          "reservedTerm",
          .choice(
            CommitmentTerm.allCases.map(\.rawValue), "Term of the reserved capacity, in years.",
            default: "1y")
        ),
        (
          "ttlLagDays",
          JSONSchema.number(
            "Days TTL takes to delete an expired item; DynamoDB bills the item until then (an assumption)."
          )
          .minimum(0).maximum(3650).defaultValue(2)
        ),
        ("savingsPlan", .ref("savingsPlan")),
      ],
      rules: [
        .rule(if: .when("capacity", is: "provisioned"), else: .without(provisionedOnly)),
        .rule(if: .when("tableClass", is: "standard-ia"), then: noReservation),
        .rule(if: .requires(["savingsPlan"]), then: noReservation),
      ])
  }
}
