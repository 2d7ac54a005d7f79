import Foundation

/// `costplan pricing diff OLD NEW`: every rate that changed between two pricing folders and what it does to
/// every scenario, option and scale (total, feasibility, recommendation).
public struct PriceDiff: Sendable {
  public struct RateChange: Sendable {
    public var table: String  // aws/us-east-1/dynamodb
    public var id: String
    public var old: RateDraft?
    public var new: RateDraft?
    /// Change of the price of one unit (the first tier's, for a tiered rate), percent; nil when not comparable.
    public var percent: Decimal? {
      guard let o = old, let n = new else { return nil }
      let op = (o.price ?? o.tiers?.first?.price ?? 0) / o.per
      let np = (n.price ?? n.tiers?.first?.price ?? 0) / n.per
      guard op != 0 else { return nil }
      return (np - op) / op * 100
    }
  }

  public struct Row: Sendable {
    public var scenario: String
    public var scale: Decimal
    public var option: String
    public var old: Decimal
    public var new: Decimal
    public var oldFeasible: Bool
    public var newFeasible: Bool
    public var delta: Decimal { new - old }
    public var percent: Decimal? { old == 0 ? nil : (new - old) / old * 100 }
  }

  public struct Recommendation: Sendable {
    public var scenario: String
    public var scale: Decimal
    public var old: String?
    public var new: String?
  }

  /// An option that the new tables can no longer price (a retired node type, a removed rate): a finding of the
  /// diff, not an error of the command.
  public struct Unpriceable: Sendable {
    public var scenario: String
    public var option: String
    public var reason: String
  }

  public var rates: [RateChange] = []
  public var rows: [Row] = []
  public var recommendations: [Recommendation] = []
  public var unpriceable: [Unpriceable] = []

  public static func compute(oldRoot: String, newRoot: String, scenarios: [Scenario])
    throws(DataError) -> PriceDiff
  {
    var diff = PriceDiff()
    var books: [String: (old: RateBook?, new: RateBook?)] = [:]
    for key in Set(regionFolders(oldRoot)).union(regionFolders(newRoot)).sorted() {
      let parts = key.split(separator: "/").map(String.init)
      let old = try loadIfPresent(oldRoot, parts[0], parts[1])
      let new = try loadIfPresent(newRoot, parts[0], parts[1])
      books[key] = (old, new)
      for service in Set((old?.tables.keys).map(Array.init) ?? []).union(
        new?.tables.keys.map { $0 } ?? []
      ).sorted() {
        let o = old?.tables[service]?.rates ?? []
        let n = new?.tables[service]?.rates ?? []
        var ids = o.map(\.id)
        for r in n where !ids.contains(r.id) { ids.append(r.id) }
        for id in ids {
          let a = o.first { $0.id == id }.map(RateDraft.init)
          let b = n.first { $0.id == id }.map(RateDraft.init)
          if let a, let b, samePrice(a, b) { continue }
          diff.rates.append(RateChange(table: "\(key)/\(service)", id: id, old: a, new: b))
        }
      }
    }
    for s in scenarios {
      let key = "\(s.provider)/\(s.region)"
      guard let pair = books[key], let oldBook = pair.old, let newBook = pair.new else {
        throw DataError(
          file: s.file, path: "region",
          message: "no rate tables for \(key) in both \(oldRoot) and \(newRoot)")
      }
      let before = try ScenarioResult(scenario: s, book: oldBook, withCrossovers: false)
      // Options the new tables cannot price are findings; the rest is compared without them.
      var lost: [Unpriceable] = []
      let estimator = Estimator(scenario: s, book: newBook)
      for o in s.options {
        for scale in before.scales {
          do throws(DataError) { _ = try estimator.estimate(o, scale: scale) } catch {
            lost.append(Unpriceable(scenario: s.name, option: o.id, reason: error.message))
            break
          }
        }
      }
      diff.unpriceable += lost
      var kept = s
      let gone = Set(lost.map(\.option))
      kept.options.removeAll { gone.contains($0.id) }
      kept.claims.removeAll { c in
        if gone.contains(c.option) { return true }
        if case .cheaperThan(let other, _, _) = c.test { return gone.contains(other) }
        return false
      }
      let after =
        kept.options.isEmpty
        ? nil : try ScenarioResult(scenario: kept, book: newBook, withCrossovers: false)
      for (i, scale) in before.scales.enumerated() {
        for (j, e) in before.estimates[i].enumerated() {
          guard let after,
            let k = after.estimates[i].firstIndex(where: { $0.option.id == e.option.id })
          else { continue }
          let n = after.estimates[i][k]
          diff.rows.append(
            Row(
              scenario: s.name, scale: scale, option: e.option.id, old: e.total, new: n.total,
              oldFeasible: before.decisions[i].rows[j].feasible,
              newFeasible: after.decisions[i].rows[k].feasible))
        }
        diff.recommendations.append(
          Recommendation(
            scenario: s.name, scale: scale,
            old: before.decisions[i].recommended, new: after?.decisions[i].recommended))
      }
    }
    return diff
  }

  static func samePrice(_ a: RateDraft, _ b: RateDraft) -> Bool {
    a.unit == b.unit && a.price == b.price && a.tiers == b.tiers && a.per == b.per
      && a.freeQuantity == b.freeQuantity
      && a.minimumQuantity == b.minimumQuantity && a.attributes == b.attributes
  }

  /// `provider/region` for every folder of rate tables under a pricing root.
  static func regionFolders(_ root: String) -> [String] {
    let fm = FileManager.default
    var out: [String] = []
    for provider in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
      let pdir = (root as NSString).appendingPathComponent(provider)
      for region in (try? fm.contentsOfDirectory(atPath: pdir)) ?? [] {
        var isDir: ObjCBool = false
        if fm.fileExists(
          atPath: (pdir as NSString).appendingPathComponent(region), isDirectory: &isDir),
          isDir.boolValue
        {
          out.append("\(provider)/\(region)")
        }
      }
    }
    return out
  }

  static func loadIfPresent(_ root: String, _ provider: String, _ region: String) throws(DataError)
    -> RateBook?
  {
    let dir = ((root as NSString).appendingPathComponent(provider) as NSString)
      .appendingPathComponent(region)
    guard FileManager.default.fileExists(atPath: dir) else { return nil }
    return try RateBook.load(pricingRoot: root, provider: provider, region: region)
  }
}
