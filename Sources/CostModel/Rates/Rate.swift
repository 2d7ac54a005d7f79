import Foundation

/// One step of a tiered price: units up to `upTo` (cumulative, in the rate's unit) cost `price` per `per`.
public struct Tier: Sendable, Equatable {
  public var upTo: Decimal?
  public var price: Decimal
}

/// One priced thing from a rate table, e.g. `dynamodb/write-request-unit`.
public struct Rate: Sendable {
  public var id: String
  public var description: String?
  public var unit: String
  /// Either a flat price or tiers (ascending, the last open-ended); both per `per` units.
  public var price: Decimal?
  public var tiers: [Tier]?
  public var per: Decimal
  public var freeQuantity: Decimal?
  public var minimumQuantity: Decimal?
  public var attributes: [(key: String, value: Decimal)]
  public var source: String
  public var effectiveDate: String
  /// Where the rate was read, for error messages and the report's sources section.
  public var file: String
  public var position: SourcePosition?

  public func attribute(_ key: String) -> Decimal? {
    attributes.first { $0.key == key }?.value
  }

  /// The flat price of one unit (price ÷ per); for a tiered rate, the first tier's.
  public var unitPrice: Decimal {
    let p = price ?? tiers?.first?.price ?? 0
    return p / per
  }
}
