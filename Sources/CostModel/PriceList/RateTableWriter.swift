import Foundation

/// A rate as it will be written to a table: the fields of docs/formats.md "Rate tables", in their order.
public struct RateDraft: Sendable, Equatable {
  public var id: String
  public var unit: String
  public var description: String?
  public var price: Decimal?
  public var tiers: [Tier]?
  public var per: Decimal
  public var freeQuantity: Decimal?
  public var minimumQuantity: Decimal?
  public var attributes: [String: Decimal]
  public var source: String?
  public var effectiveDate: String?

  public init(_ r: Rate) {
    id = r.id
    unit = r.unit
    description = r.description
    price = r.price
    tiers = r.tiers
    per = r.per
    freeQuantity = r.freeQuantity
    minimumQuantity = r.minimumQuantity
    attributes = Dictionary(
      r.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    source = r.source
    effectiveDate = r.effectiveDate
  }

  public init(id: String, unit: String, per: Decimal) {
    self.id = id
    self.unit = unit
    self.per = per
    self.attributes = [:]
  }

  /// The price in words: "0.625 per 1000000 WRU", "0.023 to 51200, 0.022 to 512000, then 0.021 per GB-month".
  public static func priceText(
    price: Decimal?, tiers: [Tier]?, per: Decimal, unit: String, free: Decimal?
  ) -> String {
    let perText = per == 1 ? unit : "\(DecimalText.plain(per)) \(unit)"
    var s: String
    if let price {
      s = "\(DecimalText.plain(price)) per \(perText)"
    } else {
      let t = (tiers ?? []).map { t in
        t.upTo.map { "\(DecimalText.plain(t.price)) to \(DecimalText.plain($0))" }
          ?? "then \(DecimalText.plain(t.price))"
      }
      s = t.joined(separator: ", ") + " per \(perText)"
    }
    if let free, free > 0 { s += " (\(DecimalText.plain(free)) free)" }
    return s
  }

  public var priceText: String {
    Self.priceText(price: price, tiers: tiers, per: per, unit: unit, free: freeQuantity)
  }
}

/// Renders a rate table in the layout of the hand-written ones: one rate per few lines, exact decimals.
public enum RateTableWriter {
  /// `schema`: the table's `$schema`, written first when the table being updated had one.
  public static func render(
    provider: String, service: String, region: String, effectiveDate: String, source: String,
    rates: [RateDraft], schema: String? = nil
  ) -> String {
    let q = JSONText.quote
    var s = "{\n" + (schema.map { "  \"$schema\": \(q($0)),\n" } ?? "")
    s += "  \"version\": 1,\n  \"provider\": \(q(provider)),\n  \"service\": \(q(service)),\n"
    s +=
      "  \"region\": \(q(region)),\n  \"currency\": \"USD\",\n  \"effectiveDate\": \(q(effectiveDate)),\n"
    s += "  \"source\": \(q(source)),\n  \"rates\": [\n"
    for (i, r) in rates.enumerated() {
      var head = ["\"id\": \(q(r.id))", "\"unit\": \(q(r.unit))"]
      if let p = r.price { head.append("\"price\": \(DecimalText.plain(p))") }
      if r.per != 1 { head.append("\"per\": \(DecimalText.plain(r.per))") }
      if let f = r.freeQuantity { head.append("\"freeQuantity\": \(DecimalText.plain(f))") }
      if let m = r.minimumQuantity { head.append("\"minimumQuantity\": \(DecimalText.plain(m))") }
      if !r.attributes.isEmpty {
        let a = r.attributes.keys.sorted().map {
          "\(q($0)): \(DecimalText.plain(r.attributes[$0]!))"
        }
        head.append("\"attributes\": { \(a.joined(separator: ", ")) }")
      }
      var lines = [head.joined(separator: ", ")]
      if let d = r.description { lines.append("\"description\": \(q(d))") }
      if let tiers = r.tiers {
        let t = tiers.map { t in
          (t.upTo.map { "{ \"upTo\": \(DecimalText.plain($0)), " } ?? "{ ")
            + "\"price\": \(DecimalText.plain(t.price)) }"
        }
        lines.append("\"tiers\": [ \(t.joined(separator: ", ")) ]")
      }
      var tail: [String] = []
      if let src = r.source { tail.append("\"source\": \(q(src))") }
      if let d = r.effectiveDate { tail.append("\"effectiveDate\": \(q(d))") }
      if !tail.isEmpty { lines.append(tail.joined(separator: ", ")) }
      s +=
        "    { " + lines.joined(separator: ",\n      ") + " }"
        + (i == rates.count - 1 ? "\n" : ",\n")
    }
    s += "  ]\n}\n"
    return s
  }
}
