import Foundation

/// The JSON Schema of scenario files (`costplan schema scenario`, `schemas/scenario.schema.json`): what
/// `Scenario.parse`, `Workload.parse` and each service's `parse` accept, field by field (docs/scenarios.md).
public enum ScenarioSchema {
  public static var document: OrderedJSON {
    JSONSchema.document(title: "costplan scenario", root, defs: defs)
  }

  static let root = JSONSchema.object(
    "A workload and the storage options to price for it: scenarios/<name>.json (docs/scenarios.md, docs/model.md). "
      + "Every number lies within ±1e30, and one that is not 0 is at least 1e-30 in magnitude. Unknown keys are errors.",
    [
      ("$schema", JSONSchema.string("Where an editor finds this schema (ignored by costplan).")),
      ("version", JSONSchema.constant(1, "Format version.")),
      (
        "name",
        JSONSchema.string(
          "Names the report files (reports/<name>.md, …): letters, digits, '-' and '_', at most 100 characters."
        )
        .pattern(Scenario.namePattern)
      ),
      ("title", JSONSchema.string("Heading of the report. Default: the name.")),
      ("source", JSONSchema.string("The document the scenario models.")),
      (
        "notes",
        JSONSchema.array(
          "Text shown under the report's Assumptions: what was assumed, and why.", of: .string()
        ).defaultValue(.array([]))
      ),
      (
        "provider",
        JSONSchema.string("Names the rate tables' folder pricing/<provider>/: aws.").pattern(
          Scenario.folderPattern)
      ),
      (
        "region",
        JSONSchema.string(
          "AWS Region code, naming the folder pricing/<provider>/<region>/ (us-east-1)."
        ).pattern(Scenario.folderPattern)
      ),
      (
        "scales",
        JSONSchema.array(
          "Traffic multiples to price at: each multiplies workload.entitiesPerMonth and nothing else.",
          of: JSONSchema.number().exclusiveMinimum(0).maximum(1_000_000_000)
        ).minItems(1).uniqueItems()
      ),
      (
        "horizonMonths",
        JSONSchema.number(
          "Months after which data kept forever is priced at its stock (docs/model.md §2)."
        )
        .exclusiveMinimum(0).maximum(1200).defaultValue(12)
      ),
      (
        "growth",
        JSONSchema.object(
          "Monthly traffic growth for the month-by-month projection (docs/model.md §11); compare and report price the steady state.",
          [
            (
              "monthlyPercent",
              JSONSchema.number("Traffic grows by this many percent a month.").exclusiveMinimum(
                -100
              ).maximum(1000)
            )
          ], required: ["monthlyPercent"])
      ),
      (
        "uncertainty",
        JSONSchema.object(
          "Sampling of the ranges (docs/model.md §10).",
          [
            (
              "samples",
              JSONSchema.integer("Joint draws of the ranges.").minimum(1).maximum(10_000_000)
            ),
            (
              "seed",
              JSONSchema.integer("Seed of the generator: the same seed gives the same results.")
                .minimum(0)
                .maximum(dec("18446744073709551615")).defaultValue(0)
            ),
          ], required: ["samples"])
      ),
      ("workload", .ref("workload")),
      (
        "options",
        JSONSchema.array("The storage options to price; ids unique.", of: .ref("option")).minItems(
          1)
      ),
      ("weights", .ref("weights")),
      (
        "claims",
        JSONSchema.array(
          "Claims quoted from the source document, each checked against the results (docs/model.md §8).",
          of: .ref("claim")
        ).defaultValue(.array([]))
      ),
    ],
    required: ["version", "name", "provider", "region", "scales", "workload", "options"]
  )
  // The projection goes month by month (docs/model.md §11): with growth, a whole number of months.
  .allOf([
    .rule(
      if: .requires(["growth"]),
      then: JSONSchema([
        ("properties", .object([("horizonMonths", JSONSchema.number().multipleOf(1).json)]))
      ]))
  ])

  static var defs: [(String, JSONSchema)] {
    [("range", range), ("workload", workload), ("archive", archive), ("option", option)]
      + ServiceCatalog.all.map { ("\($0.id)-option", serviceOption($0)) }
      + [("savingsPlan", savingsPlan), ("weights", weights), ("claim", claim)]
  }

  static let range = JSONSchema.object(
    "A guessed value: a lognormal whose P10 is low and P90 is high, with low ≤ high (docs/model.md §10). Point results use its median √(low × high).",
    [
      (
        "low",
        JSONSchema.number("P10: a one-in-ten chance the true value is below it.").exclusiveMinimum(
          0)
      ),
      (
        "high",
        JSONSchema.number("P90: a one-in-ten chance the true value is above it; at least low.")
          .exclusiveMinimum(0)
      ),
    ], required: ["low", "high"])

  static let workload = JSONSchema.object(
    "The traffic at scale 1 (docs/model.md §2).",
    [
      (
        "entity",
        JSONSchema.string("What groups the records, in reports (conversation, session, cart).")
          .defaultValue("entity")
      ),
      (
        "record",
        JSONSchema.string("What one append is, in reports (message, event).").defaultValue("record")
      ),
      (
        "entitiesPerMonth",
        .numberOrRange(
          "Entities started a month at scale 1.", JSONSchema.number().exclusiveMinimum(0))
      ),
      (
        "recordsPerEntity",
        .numberOrRange(
          "Records appended to each entity.",
          JSONSchema.integer().minimum(1).maximum(Decimal(Workload.maxRecords)))
      ),
      (
        "recordBytes",
        .numberOrRange(
          "Bytes of one record.",
          JSONSchema.integer().minimum(1).maximum(Decimal(Workload.maxBytes)))
      ),
      (
        "keyBytes",
        JSONSchema.integer("Key and metadata bytes stored with every record.").minimum(0).maximum(
          Decimal(Workload.maxBytes)
        )
        .defaultValue(64)
      ),
      (
        "loadsPerRecord",
        .numberOrRange(
          "Loads of the entity's records so far after each append.", JSONSchema.number().minimum(0)
        ).defaultValue(0)
      ),
      (
        "loadsPerEntity",
        .numberOrRange(
          "Loads of all the entity's records after its last append.", JSONSchema.number().minimum(0)
        ).defaultValue(0)
      ),
      (
        "entityLifetimeMinutes",
        .numberOrRange(
          "Minutes from an entity's first record to its last (a session's length).",
          JSONSchema.number().minimum(0)
        ).defaultValue(0)
      ),
      (
        "peakToAverage",
        .numberOrRange(
          "Busiest hour's traffic ÷ the day's average, from 1 to 24 (docs/model.md §9); not with hourlyProfile.",
          JSONSchema.number().minimum(1).maximum(24)
        ).defaultValue(3)
      ),
      (
        "hourlyProfile",
        JSONSchema.array(
          "Relative traffic in hours 0 to 23 (docs/model.md §9); not with peakToAverage.",
          of: JSONSchema.number().minimum(0)
        ).minItems(24).maxItems(24).contains(JSONSchema.number().exclusiveMinimum(0))
      ),
      (
        "retentionDays",
        JSONSchema.number("Days a record stays in hot storage. Absent: kept for the whole horizon.")
          .exclusiveMinimum(0)
      ),
      ("archive", .ref("archive")),
    ], required: ["entitiesPerMonth", "recordsPerEntity", "recordBytes"]
  )
  .not(.requires(["hourlyProfile", "peakToAverage"]))

  static let archive = JSONSchema.object(
    "A copy of the data in an S3 archive storage class (docs/model.md §3.5).",
    [
      (
        "afterDays",
        JSONSchema.number("Days from creation until the copy is archived; at most retentionDays.")
          .minimum(0)
      ),
      (
        "storageClass",
        .choice(ArchiveClass.allCases.map(\.rawValue), "The S3 storage class archived to.")
      ),
      (
        "retainDays",
        JSONSchema.number(
          "Days from creation until the archived copy is deleted; at least afterDays. Absent: kept for the whole horizon."
        )
        .exclusiveMinimum(0)
      ),
      (
        "transitionSmallObjects",
        .boolean(
          "S3 Lifecycle also transitions objects under 128 KB (by default it skips them).",
          default: false)
      ),
    ], required: ["afterDays", "storageClass"])

  static let optionId = JSONSchema.string(
    "Names the option in tables and reports: letters, digits, '-', '_' and '.'; unique in the scenario."
  )
  .pattern(optionIdPattern)
  static let optionIdPattern = "^[A-Za-z0-9._-]+$"
  static let freeTier = JSONSchema.boolean(
    "Take the rates' free quantities (free tier) off this option's bill.", default: false)

  /// Any option: its `service` picks which `<service>-option` definition checks the rest.
  static var option: JSONSchema {
    JSONSchema.object(
      "One storage option: a service and its settings.",
      [
        ("id", optionId),
        ("service", .choice(ServiceCatalog.ids, "The service priced.")),
      ], required: ["id", "service"], closed: false
    )
    .allOf(
      ServiceCatalog.all.map {
        .rule(if: .when("service", is: .string($0.id)), then: .ref("\($0.id)-option"))
      })
  }

  static func serviceOption(_ service: any StorageService) -> JSONSchema {
    let s = service.settingsSchema
    return JSONSchema.object(
      s.description,
      [
        ("id", optionId),
        ("service", JSONSchema.constant(.string(service.id))),
        ("freeTier", freeTier),
      ] + s.properties.map { ($0.name, $0.schema) }, required: ["id", "service"]
    ).allOf(s.rules)
  }

  static let savingsPlan = JSONSchema.object(
    "Database Savings Plans (docs/model.md §3.6): this share of each eligible line is billed at the rate's savingsPlanDiscount; not with reserved capacity or nodes.",
    [
      (
        "coverage",
        JSONSchema.number("Share of eligible usage the plan covers, above 0 and at most 1.")
          .exclusiveMinimum(0).maximum(1)
      )
    ],
    required: ["coverage"])

  static var weights: JSONSchema {
    let meanings = [
      "cost": "monthly cost", "readP99": "read p99 latency", "writeP99": "write p99 latency",
      "durability": "durability (system of record 1, volatile 0)",
      "ttl": "native expiry (native 1, lifecycle 0.75, manual 0.25)",
      "operations": "setup and upkeep",
    ]
    let standard = Weights.standard
    let values: [String: Decimal] = [
      "cost": standard.cost, "readP99": standard.readP99, "writeP99": standard.writeP99,
      "durability": standard.durability, "ttl": standard.ttl, "operations": standard.operations,
    ]
    return JSONSchema.object(
      "Weights of the decision matrix (docs/model.md §6); a criterion left out weighs 0, and not all may be 0.",
      Weights.keys.map {
        ($0, JSONSchema.number("Weight of \(meanings[$0]!).").minimum(0).defaultValue(0))
      }
    )
    .anyOf(
      Weights.keys.map { key in
        JSONSchema([
          ("properties", .object([(key, JSONSchema().exclusiveMinimum(0).json)])),
          ("required", .array([.string(key)])),
        ])
      }
    )
    .defaultValue(
      .object(Weights.keys.filter { values[$0]! > 0 }.map { ($0, .number(values[$0]!)) }))
  }

  /// A claim has one test: four closed shapes, of which exactly one matches.
  static var claim: JSONSchema {
    let common: [(String, JSONSchema)] = [
      ("text", JSONSchema.string("The claim as the source document words it.")),
      ("option", JSONSchema.string("The id of the option the claim is about.")),
      (
        "scale",
        JSONSchema.number("The scale it is checked at (any scale, not only the scenario's).")
          .exclusiveMinimum(0)
      ),
      (
        "metric",
        .choice(
          ClaimMetric.allCases.map(\.rawValue),
          "What is compared: monthly cost in USD, or a latency in milliseconds.")
      ),
    ]
    let required = ["text", "option", "scale", "metric"]
    let tolerance = JSONSchema.number("Allowed difference, in percent.").minimum(0).defaultValue(10)
    return .oneOf(
      "A claim quoted from the source document and one test of it (docs/model.md §8).",
      [
        .object(
          nil,
          common + [
            ("atMost", JSONSchema.number("Holds when the metric is at most this.").minimum(0))
          ], required: required + ["atMost"]),
        .object(
          nil,
          common + [
            ("atLeast", JSONSchema.number("Holds when the metric is at least this.").minimum(0))
          ], required: required + ["atLeast"]),
        .object(
          nil,
          common + [
            (
              "approximately",
              JSONSchema.number("Holds when the metric is within tolerancePercent of this.")
                .minimum(0)
            ),
            ("tolerancePercent", tolerance),
          ], required: required + ["approximately"]),
        .object(
          nil,
          [
            ("text", common[0].1), ("option", common[1].1), ("scale", common[2].1),
            ("metric", JSONSchema.constant("monthlyCost", "cheaperThan compares monthly cost.")),
            (
              "cheaperThan",
              JSONSchema.string("Holds when the option costs less than this other option.")
            ),
            (
              "byPercent",
              JSONSchema.number("…and by this many percent, ± tolerancePercent.").minimum(0)
                .maximum(100)
            ),
            ("tolerancePercent", tolerance),
          ], required: required + ["cheaperThan"]),
      ])
  }
}
