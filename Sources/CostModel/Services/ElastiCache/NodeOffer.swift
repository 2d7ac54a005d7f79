import Foundation

/// An ElastiCache node type as node selection compares it (docs/model.md §3.3), in exact and fast form.
public struct NodeOffer: Sendable {
  public let nodeType: String
  public let memoryGiB: Decimal
  /// One node's monthly cost: 730 × the hourly price, plus a reservation's upfront fee spread over its term.
  public let monthly: Decimal
  let monthlyDouble: Double
  /// 75% of the memory, in bytes (25% is reserved).
  public let usableBytes: Decimal
  let usableDouble: Double

  init(nodeType: String, memoryGiB: Decimal, monthly: Decimal) {
    self.nodeType = nodeType
    self.memoryGiB = memoryGiB
    self.monthly = monthly
    self.monthlyDouble = DecimalMath.toDouble(monthly)
    self.usableBytes = memoryGiB * DecimalMath.bytesPerGB * ElastiCachePricing.usableFraction
    self.usableDouble = DecimalMath.toDouble(usableBytes)
  }

  /// The monthly cost and usable bytes in the pricer's number type, without converting on every call.
  func monthly<Q: CostNumber>(as: Q.Type) -> Q {
    Q.self == Double.self ? monthlyDouble as! Q : Q(monthly)
  }
  func usable<Q: CostNumber>(as: Q.Type) -> Q {
    Q.self == Double.self ? usableDouble as! Q : Q(usableBytes)
  }
}

extension RateBook {
  /// Node types for `engine` with their memory and monthly price per node: on demand (`reservation` nil), or reserved
  /// for `<term>:<payment>` (types with both reserved rates only), in the rate table's order.
  public func nodeOffers(engine: String, reservation: String?) -> [NodeOffer] {
    let key = reservation.map { "\(engine):\($0)" } ?? engine
    return nodeOfferCache.get(key) { Self.makeNodeOffers(tables["elasticache"], key: key) }
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
            monthly: DecimalMath.hoursPerMonth * rate.unitPrice))
      }
    } else {
      let tail = ":" + key
      for (id, hourly) in rates where id.hasPrefix("node-reserved:") && id.hasSuffix(tail) {
        // node-reserved:<type>:<engine>:<term>:<payment> with its upfront twin; memory from the on-demand rate.
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, hourly.price != nil,
          let upfront = rates["node-reserved-upfront:" + id.dropFirst("node-reserved:".count)],
          upfront.price != nil,
          let mem = rates["node:\(parts[1]):\(parts[2])"]?.attribute("memoryGiB")
            ?? hourly.attribute("memoryGiB"), mem > 0
        else { continue }
        let years: Decimal = parts[3] == "3y" ? 3 : 1
        out.append(
          NodeOffer(
            nodeType: String(parts[1]), memoryGiB: mem,
            monthly: DecimalMath.hoursPerMonth * hourly.unitPrice + upfront.unitPrice / (12 * years)
          ))
      }
    }
    return out.sorted { $0.nodeType < $1.nodeType }
  }
}
