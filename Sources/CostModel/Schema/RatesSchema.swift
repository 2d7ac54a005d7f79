import Foundation

/// The JSON Schema of rate tables (`costplan schema rates`, `schemas/rates.schema.json`): what `RateTable.parse`
/// accepts (docs/formats.md "Rate tables"). `latency.json`, in the same folder, is another format.
public enum RatesSchema {
  public static var document: OrderedJSON {
    JSONSchema.document(title: "costplan rate table", root, defs: [("rate", rate), ("date", date)])
  }

  /// YYYY-MM-DD with a month 01–12 and a day 01–31, as `RateTable.checkDate` reads it.
  static let date = JSONSchema.string("A date, YYYY-MM-DD.").pattern(datePattern)
  static let datePattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
  /// A rate id: not empty, without white space or '/'.
  static let idPattern = "^[^\\s/]+$"
  /// Not blank: at least one character other than white space.
  static let notBlankPattern = "\\S"

  static let root = JSONSchema.object(
    "The prices of one service in one Region: pricing/<provider>/<region>/<service>.json (docs/formats.md). "
      + "Every number lies within ±1e30, and one that is not 0 is at least 1e-30 in magnitude. Unknown keys are errors.",
    [
      ("$schema", JSONSchema.string("Where an editor finds this schema (ignored by costplan).")),
      ("version", JSONSchema.constant(1, "Format version.")),
      ("provider", JSONSchema.string("Cloud provider: the folder the file is in (aws).")),
      (
        "service",
        JSONSchema.string(
          "The file's name without .json: \(ServiceCatalog.rateFiles.map(\.name).joined(separator: ", "))."
        )
      ),
      ("region", JSONSchema.string("Region code: the folder the file is in (us-east-1).")),
      ("currency", JSONSchema.constant("USD", "Currency of every price.")),
      ("effectiveDate", .ref("date", "The date the prices reflect.")),
      (
        "source",
        JSONSchema.string("Where the prices come from (URL, offer, date); not blank.").pattern(
          notBlankPattern)
      ),
      ("rates", JSONSchema.array("The priced things; ids unique.", of: .ref("rate"))),
    ],
    required: [
      "version", "provider", "service", "region", "currency", "effectiveDate", "source", "rates",
    ])

  static let rate = JSONSchema.object(
    "One priced thing, with either price or tiers.",
    [
      (
        "id",
        JSONSchema.string(
          "The rate's id, unique in the file, without spaces or '/' (write-request-unit, node:cache.t4g.micro:valkey)."
        )
        .pattern(idPattern)
      ),
      ("description", JSONSchema.string("Shown in reports; say here if a figure is uncertain.")),
      ("unit", JSONSchema.string("What one unit is: GB-month, request, hour, WRU, ….")),
      ("price", JSONSchema.number("USD per `per` units.").minimum(0)),
      (
        "tiers",
        JSONSchema.array(
          "Prices by cumulative monthly quantity, in ascending order of upTo; only the last tier has no upTo.",
          of: JSONSchema.object(
            nil,
            [
              (
                "upTo",
                JSONSchema.number("The tier's upper bound, in units, cumulative.").exclusiveMinimum(
                  0)
              ),
              ("price", JSONSchema.number("USD per `per` units within the tier.").minimum(0)),
            ], required: ["price"])
        ).minItems(1)
      ),
      (
        "per",
        JSONSchema.number("The price is for this many units (0.625 per 1000000 WRU).")
          .exclusiveMinimum(0).defaultValue(1)
      ),
      (
        "freeQuantity",
        JSONSchema.number(
          "Units a month that are free, taken off only for options with freeTier true."
        ).minimum(0)
      ),
      (
        "minimumQuantity",
        JSONSchema.number(
          "On a GB-hour rate the least GB billed each hour; on others the least quantity a month."
        ).minimum(0)
      ),
      (
        "attributes",
        JSONSchema.object(
          "Numbers the model reads from the rate.",
          [
            ("memoryGiB", JSONSchema.number("A cache node's memory in GiB.").exclusiveMinimum(0)),
            (
              "savingsPlanDiscount",
              JSONSchema.number("Fraction off the price for usage a Database Savings Plan covers.")
                .minimum(0).exclusiveMaximum(1)
            ),
          ], closed: false
        ).with("additionalProperties", JSONSchema.number().json)
      ),
      ("source", JSONSchema.string("Where this price comes from, when not the file's source.")),
      ("effectiveDate", .ref("date", "The date this price reflects, when not the file's.")),
    ], required: ["id", "unit"]
  )
  .with(
    "oneOf", .array([JSONSchema.requires(["price"]).json, JSONSchema.requires(["tiers"]).json]))
}
