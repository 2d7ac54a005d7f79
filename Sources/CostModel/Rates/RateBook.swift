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
    self.usableBytes = memoryGiB * 1_073_741_824 * Decimal(string: "0.75")!
    self.usableDouble = DecimalMath.toDouble(usableBytes)
  }

  /// The monthly cost and usable bytes in the pricer's number type, without converting on every call.
  func monthly<Q: CostNumber>(as: Q.Type) -> Q { Q.self == Double.self ? monthlyDouble as! Q : Q(monthly) }
  func usable<Q: CostNumber>(as: Q.Type) -> Q { Q.self == Double.self ? usableDouble as! Q : Q(usableBytes) }
}

/// Computed once, on first use, from any thread.
final class NodeOfferCache: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String: [NodeOffer]] = [:]

  func get(_ key: String, _ make: () -> [NodeOffer]) -> [NodeOffer] {
    lock.lock()
    defer { lock.unlock() }
    if let v = values[key] { return v }
    let made = make()
    values[key] = made
    return made
  }
}

/// All rate tables of one provider and region, keyed by service file name (`s3`, `dynamodb`, …).
public struct RateBook: Sendable {
  public var provider: String
  public var region: String
  public var directory: String
  public var tables: [String: RateTable] {
    didSet {
      index = Self.makeIndex(tables)
      nodeOfferCache = NodeOfferCache()
    }
  }
  /// ElastiCache node types each engine (and each engine with a reservation term and payment) can be priced at,
  /// gathered on first use and kept: node selection compares them at every scale the break-even search tries.
  private var nodeOfferCache = NodeOfferCache()
  /// service → id → rate: lookups without building a key string.
  private var index: [String: [String: Rate]]
  /// `latency.json` of the same folder, when there is one.
  public var latency: LatencyTable?

  public init(provider: String, region: String, directory: String, tables: [String: RateTable], latency: LatencyTable? = nil) {
    self.provider = provider
    self.region = region
    self.directory = directory
    self.tables = tables
    self.latency = latency
    self.index = Self.makeIndex(tables)
  }

  /// Node types for `engine` with their memory and monthly price per node: on demand (`reservation` nil), or reserved
  /// for `<term>:<payment>` (types with both reserved rates only), in the rate table's order.
  public func nodeOffers(engine: String, reservation: String?) -> [NodeOffer] {
    let key = reservation.map { "\(engine):\($0)" } ?? engine
    return nodeOfferCache.get(key) { Self.makeNodeOffers(index, key: key) }
  }

  static func makeIndex(_ tables: [String: RateTable]) -> [String: [String: Rate]] {
    tables.mapValues { t in Dictionary(t.rates.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
  }

  /// The node offers for one key: `<engine>` (on demand) or `<engine>:<term>:<payment>` (reserved).
  static func makeNodeOffers(_ index: [String: [String: Rate]], key: String) -> [NodeOffer] {
    guard let rates = index["elasticache"] else { return [] }
    let keyParts = key.split(separator: ":", omittingEmptySubsequences: false)
    let engine = String(keyParts[0])
    var out: [NodeOffer] = []
    if keyParts.count == 1 {
      for (id, rate) in rates where id.hasPrefix("node:") && id.hasSuffix(":" + engine) {
        // node:<type>:<engine>, priced on demand, with its memory.
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let mem = rate.attribute("memoryGiB"), mem > 0, rate.price != nil else { continue }
        out.append(NodeOffer(nodeType: String(parts[1]), memoryGiB: mem, monthly: 730 * rate.unitPrice))
      }
    } else {
      let tail = ":" + key
      for (id, hourly) in rates where id.hasPrefix("node-reserved:") && id.hasSuffix(tail) {
        // node-reserved:<type>:<engine>:<term>:<payment> with its upfront twin; memory from the on-demand rate.
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, hourly.price != nil,
          let upfront = rates["node-reserved-upfront:" + id.dropFirst("node-reserved:".count)], upfront.price != nil,
          let mem = rates["node:\(parts[1]):\(parts[2])"]?.attribute("memoryGiB") ?? hourly.attribute("memoryGiB"), mem > 0
        else { continue }
        let years: Decimal = parts[3] == "3y" ? 3 : 1
        out.append(NodeOffer(nodeType: String(parts[1]), memoryGiB: mem,
          monthly: 730 * hourly.unitPrice + upfront.unitPrice / (12 * years)))
      }
    }
    return out.sorted { $0.nodeType < $1.nodeType }
  }

  /// The file a service's rates live in, as shown in messages.
  public func fileName(for service: String) -> String {
    (directory as NSString).appendingPathComponent("\(service).json")
  }

  /// Looks up `service/id`; a missing file or rate is a data error the caller attributes to the option.
  public func rate(_ service: String, _ id: String) -> Rate? {
    index[service]?[id]
  }

  /// Loads every `*.json` in `pricing/<provider>/<region>/` except `latency.json`.
  public static func load(pricingRoot: String, provider: String, region: String) throws(DataError) -> RateBook {
    let dir = ((pricingRoot as NSString).appendingPathComponent(provider) as NSString)
      .appendingPathComponent(region)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
      throw DataError(file: dir, message: "no rate tables for provider \"\(provider)\" and region \"\(region)\" (directory not found)")
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: dir)
    } catch {
      throw DataError(file: dir, message: "cannot list the directory (\(ioReason(error)))")
    }
    var tables: [String: RateTable] = [:]
    for name in names.sorted() where name.hasSuffix(".json") && name != "latency.json" {
      let path = (dir as NSString).appendingPathComponent(name)
      let service = String(name.dropLast(5))
      let root = try loadJSON(path: path, display: path)
      let table = try RateTable.parse(root, file: path, expectedService: service)
      if table.provider != provider || table.region != region {
        throw DataError(file: path, message: "the table says provider \"\(table.provider)\", region \"\(table.region)\" but lives in \(dir)")
      }
      tables[service] = table
    }
    return RateBook(provider: provider, region: region, directory: dir, tables: tables,
      latency: try LatencyTable.load(directory: dir))
  }
}
