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
  /// The rate's `per`: `unitPrice × per` is the price as the rate table states it (per 1,000,000 requests, say),
  /// which a spreadsheet can hold exactly where `unitPrice` has more decimals than the CSV writes.
  public var per: Decimal = 1

  /// The price of `per` units, as the rate table states it (less a savings plan's discount on a plan line).
  public var pricePerBatch: Decimal { per == 1 ? unitPrice : unitPrice * per }

  /// A savings plan's share of a rate is billed under the rate's reference with this suffix (docs/model.md §3.6).
  public static let savingsPlanSuffix = ":savings-plan"
  /// The line is a savings plan's share of its rate.
  public var isSavingsPlanShare: Bool { rateRef.hasSuffix(Self.savingsPlanSuffix) }
  /// The reference of the rate a line bills: `ref` without a savings-plan share's suffix.
  public static func listedRef(_ ref: String) -> String {
    ref.hasSuffix(savingsPlanSuffix) ? String(ref.dropLast(savingsPlanSuffix.count)) : ref
  }
}

/// A rate the option needs that the rate tables do not have.
public struct MissingRate: Error {
  var service: String
  var id: String
  var detail: String?
}

/// Collects an option's quantities per rate, then prices them. Quantities of the same rate are added
/// before tiers, free quantities and minimums apply (docs/model.md §3.1: "a tiered or free quantity applies
/// to the option's total quantity of that rate in the month").
struct LineBuilder<Q: CostNumber> {
  private struct Entry {
    var service: String
    var rateId: String
    /// The rate, found when the line was added (nil: not looked up yet, or missing from `index`).
    var rate: Rate?
    var components: [String]
    var quantity: Q
    var hourly: Bool
    /// False for lines the free tier never reaches (Lambda memory for a cache: the function uses the free tier first).
    var freeTierApplies: Bool
    /// The rate's price and per when it has no tiers, minimum or free quantity (its cost is quantity × price ÷ per),
    /// with its savings-plan discount: read once, when the rate is found, so that `total` leaves the rate alone.
    var simple: (price: Q, per: Q, discount: Q?)?
  }

  /// A rate's `simple` numbers, or nil when tiers, a minimum or a free quantity apply.
  private static func simple(_ rate: Rate?) -> (price: Q, per: Q, discount: Q?)? {
    guard let rate else { return nil }
    let n = Q.numbers(of: rate)
    guard n.tiers == nil, n.minimum == nil, (n.free ?? 0) <= 0, let price = n.price,
      Q.self == Double.self || Q.self == Lanes.self
    else { return nil }
    return (price, n.per, n.savingsPlanDiscount)
  }
  /// `entries[..<count]` are this pricing's; those after are left from the last pricing (`removeAll`), kept for
  /// their rates: sampling prices each option hundreds of thousands of times, and a lookup hashes two strings.
  private var entries: [Entry] = []
  private var count = 0
  /// Without detail, component names are never built (the break-even search prices thousands of scales).
  let detailed: Bool
  /// Where `add` finds each rate; without it, `total` and `build` look the rates up in their book.
  private let index: RateIndex?

  init(detailed: Bool, book: RateBook? = nil) {
    self.detailed = detailed
    self.index = book?.index
  }

  /// Empties the builder for another pricing, keeping its storage and the rates it found.
  mutating func removeAll() { count = 0 }

  /// Adds `quantity` of `service/rateId`. With `hourly`, the quantity is a level held all month
  /// (GB resident): the rate's `minimumQuantity` applies per hour, then × 730 hours.
  mutating func add(
    _ service: String, _ rateId: String, _ component: @autoclosure () -> String, _ quantity: Q,
    hourly: Bool = false,
    freeTierApplies: Bool = true
  ) {
    // The rate: the next entry's of the last pricing when it is the same one, else from the index.
    let reuse =
      count < entries.count && entries[count].rateId == rateId && entries[count].service == service
    let known = reuse ? entries[count].rate : nil
    for i in 0..<count {
      // A known rate is one (service, id): other rates are skipped without comparing strings.
      if let known, entries[i].rate !== known { continue }
      guard entries[i].service == service && entries[i].rateId == rateId else { continue }
      if detailed {
        let c = component()
        if !entries[i].components.contains(c) { entries[i].components.append(c) }
      }
      entries[i].quantity += quantity
      return
    }
    if reuse {
      if detailed { entries[count].components = [component()] }
      entries[count].quantity = quantity
      entries[count].hourly = hourly
      entries[count].freeTierApplies = freeTierApplies
    } else {
      let rate = index?.rate(service, rateId)
      let e = Entry(
        service: service, rateId: rateId, rate: rate,
        components: detailed ? [component()] : [],
        quantity: quantity, hourly: hourly,
        freeTierApplies: freeTierApplies, simple: Self.simple(rate))
      if count < entries.count { entries[count] = e } else { entries.append(e) }
    }
    count += 1
  }

  /// Entry `i`'s rate: the one found when it was added, when it was found in `book`'s index.
  private func rate(_ i: Int, _ book: RateBook) throws(MissingRate) -> Rate {
    if let r = entries[i].rate, index === book.index { return r }
    guard let rate = book.rate(entries[i].service, entries[i].rateId) else {
      throw MissingRate(service: entries[i].service, id: entries[i].rateId)
    }
    return rate
  }

  /// The sum of all lines, without building them.
  func total(book: RateBook, freeTier: Bool, savingsPlan: SavingsPlanSpec? = nil)
    throws(MissingRate) -> Q
  {
    var sum: Q = 0
    let coverage = savingsPlan.map { Q($0.coverage) }
    let sameIndex = index === book.index
    for i in 0..<count {
      // The same arithmetic as `cost` below for a rate without tiers, minimum or free quantity.
      if sameIndex, let f = entries[i].simple {
        var q = entries[i].quantity
        if entries[i].hourly { q = q * Q.hoursPerMonth }
        var c = q * f.price / f.per
        if let coverage, let d = f.discount { c = c * (1 - coverage * d) }
        sum += c
        continue
      }
      let rate = try rate(i, book)
      var c = Self.cost(
        rate, quantity: entries[i].quantity, hourly: entries[i].hourly,
        freeTier: freeTier && entries[i].freeTierApplies)
      // A savings plan bills coverage c of the billable quantity at price × (1 − d): the line costs × (1 − c × d).
      if let coverage, let d = Q.numbers(of: rate).savingsPlanDiscount {
        c = c * (1 - coverage * d)
      }
      sum += c
    }
    return sum
  }

  /// The rate attribute giving a rate's Database Savings Plans discount, a fraction.
  static var savingsPlanAttribute: String { "savingsPlanDiscount" }

  /// The line items (with component names when `detailed`).
  func build(book: RateBook, freeTier: Bool, savingsPlan: SavingsPlanSpec? = nil)
    throws(MissingRate) -> [CostLine]
  {
    var lines: [CostLine] = []
    for i in 0..<count {
      let e = entries[i]
      let rate = try rate(i, book)
      let split = Self.split(
        rate, quantity: e.quantity, hourly: e.hourly, freeTier: freeTier && e.freeTierApplies)
      var component = e.components.joined(separator: " + ")
      if let m = split.minimumApplied {
        component += e.hourly ? " (metered minimum \(m) per hour)" : " (minimum \(m))"
      }
      if let f = split.freeApplied { component += " (after \(f) \(rate.unit) free)" }
      let ref = "\(e.service)/\(rate.id)"
      let tiered = split.parts.count > 1 || (split.parts.first?.tier ?? 0) > 0
      let discount = savingsPlan == nil ? nil : rate.decimals.savingsPlanDiscount
      for part in split.parts {
        let label = tiered ? "\(component) (tier \(part.tier + 1))" : component
        let q = part.quantity.asDecimal
        let p = part.unitPrice.asDecimal
        guard let plan = savingsPlan, let d = discount else {
          lines.append(
            CostLine(
              component: label, rateRef: ref, quantity: q, unit: rate.unit, unitPrice: p,
              cost: DecimalArithmetic.multiply(q, p), per: rate.per))
          continue
        }
        // docs/model.md §3.6: coverage c at price × (1 − d) on its own line, 1 − c at the listed price.
        let covered = q * plan.coverage
        let rest = q - covered
        let planPrice = p * (1 - d)
        if plan.coverage < 1 {
          lines.append(
            CostLine(
              component: label + " (not covered by the savings plan)", rateRef: ref, quantity: rest,
              unit: rate.unit,
              unitPrice: p, cost: rest * p, per: rate.per))
        }
        lines.append(
          CostLine(
            component: label
              + " (savings plan, \(plan.coverage * 100)% covered at \(d * 100)% off)",
            rateRef: ref + CostLine.savingsPlanSuffix, quantity: covered, unit: rate.unit,
            unitPrice: planPrice, cost: covered * planPrice, per: rate.per))
      }
    }
    return lines
  }

  struct Split {
    var parts: [(quantity: Q, unitPrice: Q, tier: Int)]
    var minimumApplied: Decimal?
    var freeApplied: Decimal?
  }

  /// The cost of `quantity` of a rate, the same rules as `split` without building lines.
  static func cost(_ rate: Rate, quantity: Q, hourly: Bool, freeTier: Bool) -> Q {
    let n = Q.numbers(of: rate)
    var q = quantity
    if let m = n.minimum, Q.isLess(q, m) { q = m }
    if hourly { q = q * Q.hoursPerMonth }
    if freeTier, let free = n.free, Q.isLess(0, free) { q = Q.maximum(0, q - free) }
    guard let tiers = n.tiers else { return Q.perDivide(q * n.price!, n) }
    var lower: Q = 0
    var sum: Q = 0
    for tier in tiers {
      let inTier =
        tier.upTo.map { Q.maximum(0, Q.minimum(q, $0) - lower) } ?? Q.maximum(0, q - lower)
      sum += Q.perDivide(inTier * tier.price, n)
      guard let upper = tier.upTo, Q.isLess(upper, q) else { break }
      lower = upper
    }
    return sum
  }

  /// Applies the minimum, then the free quantity, then tiers (docs/model.md §3; docs/formats.md "one row per tier used").
  static func split(_ rate: Rate, quantity: Q, hourly: Bool, freeTier: Bool) -> Split {
    let n = Q.numbers(of: rate)
    var q = quantity
    var out = Split(parts: [], minimumApplied: nil, freeApplied: nil)
    if let m = n.minimum, Q.isLess(q, m) {
      q = m
      out.minimumApplied = rate.minimumQuantity
    }
    if hourly { q = q * Q.hoursPerMonth }
    if freeTier, let free = n.free, Q.isLess(0, free) {
      q = Q.maximum(0, q - free)
      out.freeApplied = rate.freeQuantity
    }
    guard let tiers = n.tiers else {
      out.parts = [(q, Q.perDivide(n.price!, n), 0)]
      return out
    }
    var lower: Q = 0
    for (i, tier) in tiers.enumerated() {
      let inTier =
        tier.upTo.map { Q.maximum(0, Q.minimum(q, $0) - lower) } ?? Q.maximum(0, q - lower)
      if Q.isLess(0, inTier) || (i == 0 && q == 0) {
        out.parts.append((inTier, Q.perDivide(tier.price, n), i))
      }
      guard let upper = tier.upTo, Q.isLess(upper, q) else { break }
      lower = upper
    }
    return out
  }
}
