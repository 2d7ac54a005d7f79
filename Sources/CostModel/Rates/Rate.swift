import Foundation

/// One step of a tiered price: units up to `upTo` (cumulative, in the rate's unit) cost `price` per `per`.
public struct Tier: Sendable, Equatable {
  public let upTo: Decimal?
  public let price: Decimal
}

/// One priced thing from a rate table, e.g. `dynamodb/write-request-unit`.
public final class Rate: Sendable {
  public let id: String
  public let description: String?
  public let unit: String
  /// Either a flat price or tiers (ascending, the last open-ended); both per `per` units.
  public let price: Decimal?
  public let tiers: [Tier]?
  public let per: Decimal
  public let freeQuantity: Decimal?
  public let minimumQuantity: Decimal?
  public let attributes: [(key: String, value: Decimal)]
  public let source: String
  public let effectiveDate: String
  /// Where the rate was read, for error messages and the report's sources section.
  public let file: String
  public let position: SourcePosition?
  /// The numbers above as `Double`, converted once (the break-even search prices thousands of scales).
  public let doubles: RateNumbers<Double>
  /// The same in `Decimal`, with 1/per where it is exact.
  public let decimals: RateNumbers<Decimal>
  /// The `Double`s in every lane of `Lanes` (sampling, eight draws at once).
  public let lanes: RateNumbers<Lanes>

  init(
    id: String, description: String?, unit: String, price: Decimal?, tiers: [Tier]?, per: Decimal,
    freeQuantity: Decimal?, minimumQuantity: Decimal?, attributes: [(key: String, value: Decimal)],
    source: String, effectiveDate: String, file: String, position: SourcePosition?
  ) {
    self.id = id
    self.description = description
    self.unit = unit
    self.price = price
    self.tiers = tiers
    self.per = per
    self.freeQuantity = freeQuantity
    self.minimumQuantity = minimumQuantity
    self.attributes = attributes
    self.source = source
    self.effectiveDate = effectiveDate
    self.file = file
    self.position = position
    let discount = attributes.first { $0.key == LineBuilder<Decimal>.savingsPlanAttribute }?.value
    self.doubles = RateNumbers<Double>(
      price: price.map { Double($0) }, per: Double(per),
      tiers: tiers?.map { (upTo: $0.upTo.map { Double($0) }, price: Double($0.price)) },
      free: freeQuantity.map { Double($0) }, minimum: minimumQuantity.map { Double($0) },
      savingsPlanDiscount: discount.map { Double($0) })
    self.lanes = Lanes.broadcast(doubles)
    self.decimals = RateNumbers<Decimal>(
      price: price, per: per, tiers: tiers?.map { (upTo: $0.upTo, price: $0.price) },
      free: freeQuantity, minimum: minimumQuantity,
      inversePer: RateNumbers<Decimal>.inverseOfPowerOfTen(per), savingsPlanDiscount: discount)
  }

  /// Its description calls the figure uncertain (the reports list such rates).
  public var isUncertain: Bool { (description ?? "").lowercased().contains("uncertain") }

  public func attribute(_ key: String) -> Decimal? {
    attributes.first { $0.key == key }?.value
  }

  /// The flat price of one unit (price ÷ per); for a tiered rate, the first tier's.
  public var unitPrice: Decimal {
    let p = price ?? tiers?.first?.price ?? 0
    return Decimal.perDivide(p, decimals)
  }
}
