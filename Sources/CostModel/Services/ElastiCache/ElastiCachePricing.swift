import Foundation

/// ElastiCache node-based or serverless, Valkey or Redis OSS (docs/model.md §3.3).
enum ElastiCachePricing {
  static let usableFraction = Decimal(string: "0.75")!  // 25% of node memory is reserved

  static func price<Q>(_ s: ElastiCacheSettings, into ctx: inout PricingContext<Q>)
    throws(MissingRate)
  {
    let w = ctx.workload
    let engine = s.engine.rawValue
    // Memory: resident records × (K + B + perRecordOverheadBytes).
    let resident = w.recordsWritten * w.hotResidencyMonths
    let memoryBytes = resident * (w.storedRecordBytes + Q(s.perRecordOverheadBytes))
    switch s.mode {
    case .node:
      let choice = try chooseNode(s, memoryBytes: memoryBytes, book: ctx.book)
      let nodeType = choice.nodeType
      ctx.facts.nodeType = nodeType
      ctx.facts.shards = choice.shards
      let nodes = choice.shards * (1 + s.replicas)
      let layout = {
        choice.shards > 1 ? "\(choice.shards) shards × \(1 + s.replicas) = \(nodes)" : "\(nodes)"
      }
      if let res = s.reservation {
        let tail = "\(nodeType):\(engine):\(res.rateTail)"
        ctx.lines.add(
          "elasticache", "node-reserved:\(tail)",
          "\(layout()) × \(nodeType) reserved node-hours (730 h, \(res.payment.rawValue))",
          Q(nodes) * Q.hoursPerMonth)
        ctx.lines.add(
          "elasticache", "node-reserved-upfront:\(tail)",
          "\(layout()) × \(nodeType) upfront fee spread over the \(res.term.years * 12)-month term",
          Q(nodes) / Q(12 * res.term.years))
      } else {
        ctx.lines.add(
          "elasticache", "node:\(nodeType):\(engine)",
          "\(layout()) × \(nodeType) node-hours (730 h)", Q(nodes) * Q.hoursPerMonth)
      }
      let usable: Q = choice.offer.usable(as: Q.self)
      let auto = s.nodeType == "auto" || s.shards == nil
      ctx.detail(
        "node \(nodeType)\(auto ? " (auto)" : "")\(choice.shards > 1 ? " in \(choice.shards) shards" : ""): needs \(mib(memoryBytes)) MiB, \(mib(usable)) MiB usable per shard"
      )
      if !choice.fits {
        ctx.infeasible(
          "needs \(mib(memoryBytes)) MiB of memory; \(choice.shards) × \(nodeType) has \(mib(usable * Q(choice.shards))) MiB usable (75% of \(choice.offer.memoryGiB) GiB per shard)"
        )
      }
    case .serverless:
      // Data stored is metered as GB-hours with a minimum per hour (rate's minimumQuantity).
      ctx.lines.add(
        "elasticache", "serverless-storage:\(engine)", "data stored (GB held 730 h)",
        memoryBytes / Q.bytesPerGiB, hourly: true)
      // 1 ECPU per KB transferred, at least 1 per request: appends move K + B bytes, a load of k records k × (K + B).
      let s1 = w.workload.keyBytes + w.workload.recordBytes
      let appendECPU = Q.maximum(1, Q(s1) / 1024)
      let sumK = DecimalMath.sumECPU(bytesPerRecord: s1, count: w.recordsPerEntity, as: Q.self)
      let atR = Q.maximum(1, w.R * Q(s1) / 1024)
      let ecpu =
        w.recordsWritten * appendECPU + w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR)
      ctx.lines.add(
        "elasticache", "serverless-ecpu:\(engine)", "ECPUs (1 per KB transferred, ≥ 1 per request)",
        ecpu)
    }
    ArchivePricing.price(
      objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }

  static func mib<Q: CostNumber>(_ bytes: Q) -> String { brief(bytes / 1_048_576) }

  struct NodeChoice {
    var offer: NodeOffer
    var shards: Int
    var fits: Bool
    var nodeType: String { offer.nodeType }
  }

  /// Node types of the engine the rate table can price for these settings: on demand, every `node:<type>:<engine>`
  /// with `memoryGiB`; reserved, those that also have both reserved rates for the term and payment.
  static func candidates(_ s: ElastiCacheSettings, book: RateBook) -> [NodeOffer] {
    book.nodeOffers(engine: s.engine.rawValue, reservation: s.reservation?.rateTail)
  }

  /// Fewest shards of `usable`-byte nodes that hold `memoryBytes` (each shard holds an equal part), or nil above 500.
  static func shardsNeeded<Q: CostNumber>(_ memoryBytes: Q, usable: Q) -> Int? {
    if memoryBytes <= usable { return 1 }
    if memoryBytes > usable * 500 { return nil }
    // A first guess in Double (no Decimal division), then made exact by the comparisons below.
    let guess = (memoryBytes.asDouble / usable.asDouble).rounded(.up)
    var n = Swift.min(500, Swift.max(1, guess.isFinite ? Int(guess) : 500))
    // Guard the division's last digit: the smallest n with memoryBytes ≤ n × usable.
    while n > 1 && memoryBytes <= usable * Q(n - 1) { n -= 1 }
    while memoryBytes > usable * Q(n) { n += 1 }
    return n <= 500 ? n : nil
  }

  /// docs/model.md §3.3: the named node type and shard count, or the cheapest that fits where either is `auto`
  /// (ties: fewer shards, then less memory). Nothing fits: the named type (or the one with the most memory)
  /// at the given shard count (or 500).
  static func chooseNode<Q: CostNumber>(_ s: ElastiCacheSettings, memoryBytes: Q, book: RateBook)
    throws(MissingRate) -> NodeChoice
  {
    let engine = s.engine.rawValue
    let all = candidates(s, book: book)
    if s.nodeType != "auto" {
      let id = "node:\(s.nodeType):\(engine)"
      guard let c = all.first(where: { $0.nodeType == s.nodeType }) else {
        if let res = s.reservation, book.rate("elasticache", id)?.attribute("memoryGiB") != nil {
          throw MissingRate(
            service: "elasticache", id: "node-reserved:\(s.nodeType):\(engine):\(res.rateTail)",
            detail:
              "no reserved-node rates for \(s.nodeType) (\(engine), \(res.term.rawValue), \(res.payment.rawValue)): "
              + "the table needs node-reserved:\(s.nodeType):\(engine):\(res.rateTail) and node-reserved-upfront:\(s.nodeType):\(engine):\(res.rateTail)"
              + (all.isEmpty
                ? ""
                : " (reserved rates exist for: \(all.map(\.nodeType).joined(separator: ", ")))"))
        }
        if book.rate("elasticache", id) != nil {
          throw MissingRate(
            service: "elasticache", id: id,
            detail: "rate elasticache/\(id) has no attribute memoryGiB")
        }
        let known = candidates(
          ElastiCacheSettings(
            mode: .node, engine: s.engine, nodeType: "auto", replicas: 0, perRecordOverheadBytes: 0),
          book: book)
        throw MissingRate(
          service: "elasticache", id: id,
          detail:
            "unknown node type \"\(s.nodeType)\" for engine \(engine) (known: \(known.map(\.nodeType).joined(separator: ", ")))"
        )
      }
      if let fixed = s.shards {
        return NodeChoice(
          offer: c, shards: fixed, fits: memoryBytes <= c.usable(as: Q.self) * Q(fixed))
      }
      if let n = shardsNeeded(memoryBytes, usable: c.usable(as: Q.self)) {
        return NodeChoice(offer: c, shards: n, fits: true)
      }
      return NodeChoice(offer: c, shards: 500, fits: false)
    }
    guard !all.isEmpty else {
      let what =
        s.reservation.map { " with reserved rates for \($0.term.rawValue) \($0.payment.rawValue)" }
        ?? ""
      throw MissingRate(
        service: "elasticache", id: "node:*:\(engine)",
        detail: "no node rates with memoryGiB for engine \(engine)\(what)")
    }
    var best: (c: NodeOffer, shards: Int, cost: Q)?
    for c in all {
      let n: Int?
      let usable = c.usable(as: Q.self)
      if let fixed = s.shards {
        n = memoryBytes <= usable * Q(fixed) ? fixed : nil
      } else {
        n = shardsNeeded(memoryBytes, usable: usable)
      }
      guard let n else { continue }
      let cost = Q(n) * c.monthly(as: Q.self)
      if let b = best,
        (b.cost, b.shards, b.c.memoryGiB, b.c.nodeType) <= (cost, n, c.memoryGiB, c.nodeType)
      {
        continue
      }
      best = (c, n, cost)
    }
    if let best { return NodeChoice(offer: best.c, shards: best.shards, fits: true) }
    let largest = all.max { a, b in
      (a.memoryGiB, b.monthly, b.nodeType) < (b.memoryGiB, a.monthly, a.nodeType)
    }!
    return NodeChoice(offer: largest, shards: s.shards ?? 500, fits: false)
  }
}
