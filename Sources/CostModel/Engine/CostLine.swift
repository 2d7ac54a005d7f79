import Foundation

/// One line item: one rate × one quantity (a tiered rate gives one line per tier used).
public struct CostLine: Sendable, Equatable {
  public var component: String
  /// `<service file>/<rate id>`, e.g. `dynamodb/write-request-unit`.
  public var rateRef: String
  public var quantity: Decimal
  public var unit: String
  /// Price of one unit: the rate's price ÷ its `per`.
  public var unitPrice: Decimal
  public var cost: Decimal
}

/// A rate the option needs that the rate tables do not have.
struct MissingRate: Error {
  var service: String
  var id: String
  var detail: String?
}

/// Collects an option's quantities per rate, then prices them. Quantities of the same rate are added
/// before tiers, free quantities and minimums apply (MODEL.md §3.1: "a tiered or free quantity applies
/// to the option's total quantity of that rate in the month").
struct LineBuilder {
  private struct Entry {
    var service: String
    var rateId: String
    var components: [String]
    var quantity: Decimal
    var hourly: Bool
  }
  private var entries: [Entry] = []
  /// Every rate used, in order, for the report's sources section.
  private(set) var ratesUsed: [Rate] = []

  /// Adds `quantity` of `service/rateId`. With `hourly`, the quantity is a level held all month
  /// (GB resident): the rate's `minimumQuantity` applies per hour, then × 730 hours.
  mutating func add(_ service: String, _ rateId: String, _ component: String, _ quantity: Decimal, hourly: Bool = false) {
    if let i = entries.firstIndex(where: { $0.service == service && $0.rateId == rateId }) {
      if !entries[i].components.contains(component) { entries[i].components.append(component) }
      entries[i].quantity += quantity
    } else {
      entries.append(Entry(service: service, rateId: rateId, components: [component], quantity: quantity, hourly: hourly))
    }
  }

  func build(book: RateBook, freeTier: Bool) throws(MissingRate) -> [CostLine] {
    var lines: [CostLine] = []
    for e in entries {
      guard let rate = book.rate(e.service, e.rateId) else { throw MissingRate(service: e.service, id: e.rateId) }
      lines += Self.price(rate, service: e.service, component: e.components.joined(separator: " + "),
        quantity: e.quantity, hourly: e.hourly, freeTier: freeTier)
    }
    return lines
  }

  /// Applies the minimum, then the free quantity, then tiers (MODEL.md §3; FORMATS.md "one row per tier used").
  static func price(_ rate: Rate, service: String, component: String, quantity: Decimal, hourly: Bool, freeTier: Bool) -> [CostLine] {
    var component = component
    var q = quantity
    if hourly {
      if let m = rate.minimumQuantity, q < m {
        q = m
        component += " (metered minimum \(m) per hour)"
      }
      q *= DecimalMath.hoursPerMonth
    } else if let m = rate.minimumQuantity, q < m {
      q = m
      component += " (minimum \(m))"
    }
    if freeTier, let free = rate.freeQuantity, free > 0 {
      q = Decimal.maximum(0, q - free)
      component += " (after \(free) \(rate.unit) free)"
    }
    let ref = "\(service)/\(rate.id)"
    guard let tiers = rate.tiers else {
      let unitPrice = rate.price! / rate.per
      return [CostLine(component: component, rateRef: ref, quantity: q, unit: rate.unit, unitPrice: unitPrice, cost: q * unitPrice)]
    }
    var lines: [CostLine] = []
    var lower: Decimal = 0
    for (i, tier) in tiers.enumerated() {
      let upper = tier.upTo
      let inTier: Decimal
      if let upper { inTier = Decimal.maximum(0, Decimal.minimum(q, upper) - lower) } else { inTier = Decimal.maximum(0, q - lower) }
      if inTier > 0 || (i == 0 && q == 0) {
        let unitPrice = tier.price / rate.per
        let label = tiers.count > 1 && (q > (tiers[0].upTo ?? q)) ? "\(component) (tier \(i + 1))" : component
        lines.append(CostLine(component: label, rateRef: ref, quantity: inTier, unit: rate.unit, unitPrice: unitPrice, cost: inTier * unitPrice))
      }
      guard let upper, q > upper else { break }
      lower = upper
    }
    return lines
  }
}
