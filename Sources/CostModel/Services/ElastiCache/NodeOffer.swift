import Foundation

/// An ElastiCache node type as node selection compares it (docs/model.md §3.3), in exact and fast form.
public struct NodeOffer: Sendable {
  public let nodeType: String
  /// The rate ids its lines are priced by: `node:<type>:<engine>` on demand; reserved,
  /// `node-reserved:<type>:<engine>:<term>:<payment>` and its `node-reserved-upfront:` twin.
  let rateId: String
  let upfrontRateId: String
  public let memoryGiB: Decimal
  /// One node's monthly cost: 730 × the hourly price, plus a reservation's upfront fee spread over its term.
  public let monthly: Decimal
  let monthlyDouble: Double
  /// 75% of the memory, in bytes (25% is reserved).
  public let usableBytes: Decimal
  let usableDouble: Double

  init(
    nodeType: String, memoryGiB: Decimal, monthly: Decimal, rateId: String,
    upfrontRateId: String = ""
  ) {
    self.nodeType = nodeType
    self.rateId = rateId
    self.upfrontRateId = upfrontRateId
    self.memoryGiB = memoryGiB
    self.monthly = monthly
    self.monthlyDouble = DecimalMath.toDouble(monthly)
    self.usableBytes = memoryGiB * DecimalMath.bytesPerGB * ElastiCachePricing.usableFraction
    self.usableDouble = DecimalMath.toDouble(usableBytes)
  }

  /// The monthly cost and usable bytes in the pricer's number type, without converting on every call.
  func monthly<Q: CostNumber>(as: Q.Type) -> Q {
    Q.self == Decimal.self ? Q(monthly) : Q.fromDouble(monthlyDouble)
  }
  func usable<Q: CostNumber>(as: Q.Type) -> Q {
    Q.self == Decimal.self ? Q(usableBytes) : Q.fromDouble(usableDouble)
  }
}

/// The node offers of one engine and reservation (or on demand), and those node selection can choose: an offer
/// is left out when another has at least as much memory at a lower monthly price (in `Decimal` and in `Double`,
/// with a margin that keeps any number of shards of it cheaper), since the other then costs less at any size.
final class NodeCandidates: Sendable {
  let engine: String
  let reservation: String?
  /// Every offer, by node type.
  let offers: [NodeOffer]
  /// The offers no other offer beats on both memory and price, by node type.
  let frontier: [NodeOffer]
  private let byType: [String: Int]

  init(engine: String, reservation: String?, offers: [NodeOffer]) {
    self.engine = engine
    self.reservation = reservation
    self.offers = offers
    frontier = offers.filter { c in
      !offers.contains { d in
        d.usableBytes >= c.usableBytes && d.usableDouble >= c.usableDouble && d.monthly < c.monthly
          && d.monthlyDouble <= c.monthlyDouble * (1 - 1e-12)
      }
    }
    byType = Dictionary(
      offers.enumerated().map { ($0.element.nodeType, $0.offset) }, uniquingKeysWith: { a, _ in a })
  }

  /// The first offer of a node type.
  func offer(_ nodeType: String) -> NodeOffer? { byType[nodeType].map { offers[$0] } }
}

extension RateBook {
  /// Node types for `engine` with their memory and monthly price per node: on demand (`reservation` nil), or reserved
  /// for `<term>:<payment>` (types with both reserved rates only), in the rate table's order.
  public func nodeOffers(engine: String, reservation: String?) -> [NodeOffer] {
    nodeCandidates(engine: engine, reservation: reservation).offers
  }

  func nodeCandidates(engine: String, reservation: String?) -> NodeCandidates {
    let key = reservation.map { "\(engine):\($0)" } ?? engine
    return nodeOfferCache.get(key) {
      NodeCandidates(
        engine: engine, reservation: reservation,
        offers: Self.makeNodeOffers(tables["elasticache"], key: key))
    }
  }

  /// The node offers for one key: `<engine>` (on demand) or `<engine>:<term>:<payment>` (reserved).
  static func makeNodeOffers(_ table: RateTable?, key: String) -> [NodeOffer] {
    guard let table else { return [] }
    let rates = Dictionary(table.rates.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let keyParts = key.split(separator: ":", omittingEmptySubsequences: false)
    let engine = String(keyParts[0])
    var out: [NodeOffer] = []
    if keyParts.count == 1 {
      for (id, rate) in rates where id.hasPrefix("node:") && id.hasSuffix(":" + engine) {
        // node:<type>:<engine>, priced on demand, with its memory.
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let mem = rate.attribute("memoryGiB"), mem > 0, rate.price != nil
        else { continue }
        out.append(
          NodeOffer(
            nodeType: String(parts[1]), memoryGiB: mem,
            monthly: DecimalMath.hoursPerMonth * rate.unitPrice, rateId: id))
      }
    } else {
      let tail = ":" + key
      for (id, hourly) in rates where id.hasPrefix("node-reserved:") && id.hasSuffix(tail) {
        let upfrontId = "node-reserved-upfront:" + id.dropFirst("node-reserved:".count)
        // node-reserved:<type>:<engine>:<term>:<payment> with its upfront twin; memory from the on-demand rate.
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, hourly.price != nil,
          let upfront = rates[upfrontId],
          upfront.price != nil,
          let mem = rates["node:\(parts[1]):\(parts[2])"]?.attribute("memoryGiB")
            ?? hourly.attribute("memoryGiB"), mem > 0
        else { continue }
        let years: Decimal = parts[3] == "3y" ? 3 : 1
        out.append(
          NodeOffer(
            nodeType: String(parts[1]), memoryGiB: mem,
            monthly: DecimalMath.hoursPerMonth * hourly.unitPrice + upfront.unitPrice
              / (12 * years),
            rateId: id, upfrontRateId: upfrontId))
      }
    }
    return out.sorted { $0.nodeType < $1.nodeType }
  }
}
