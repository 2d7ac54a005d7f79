import Foundation

/// ElastiCache node-based or serverless, Valkey or Redis OSS (docs/model.md §3.3).
enum ElastiCachePricing {
  static let usableFraction = Decimal(string: "0.75")!  // 25% of node memory is reserved

  static func price<Q>(_ s: ElastiCacheSettings, into ctx: inout PricingContext<Q>)
    throws(MissingRate)
  {
    let w = ctx.workload
    // Memory: resident records × (K + B + perRecordOverheadBytes).
    let resident = w.recordsWritten * w.hotResidencyMonths
    let memoryBytes = resident * (w.storedRecordBytes + Q(s.perRecordOverheadBytes))
    switch s.mode {
    case .node:
      let choice = try chooseNode(
        s, memoryBytes: memoryBytes, candidates: candidates(s, book: ctx.book, memo: ctx.memo),
        book: ctx.book)
      let nodeType = choice.nodeType
      ctx.facts.nodeType = nodeType
      ctx.facts.shards = choice.shards
      let nodes = choice.shards * (1 + s.replicas)
      // A local function, not a closure value: a closure's context was allocated at every pricing, detailed or not.
      func layout() -> String {
        choice.shards > 1 ? "\(choice.shards) shards × \(1 + s.replicas) = \(nodes)" : "\(nodes)"
      }
      if let res = s.reservation {
        ctx.lines.add(
          "elasticache", choice.offer.rateId,
          "\(layout()) × \(nodeType) reserved node-hours (730 h, \(res.payment.rawValue))",
          Q(nodes) * Q.hoursPerMonth)
        ctx.lines.add(
          "elasticache", choice.offer.upfrontRateId,
          "\(layout()) × \(nodeType) upfront fee spread over the \(res.term.years * 12)-month term",
          Q(nodes) / Q(12 * res.term.years))
      } else {
        ctx.lines.add(
          "elasticache", choice.offer.rateId,
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
      let ids = serverlessRateIds(s.engine)
      ctx.lines.add(
        "elasticache", ids.storage, "data stored (GB held 730 h)",
        memoryBytes / Q.bytesPerGiB, hourly: true)
      // 1 ECPU per KB transferred, at least 1 per request: appends move K + B bytes, a load of k records k × (K + B).
      // K + B in whole bytes, each draw's when eight are priced at once (`Lanes`).
      let s1 = w.whole { $0.keyBytes + $0.recordBytes }
      let appendECPU = Q.maximum(1, s1 / 1024)
      let sumK = w.perDraw {
        DecimalMath.sumECPU(
          bytesPerRecord: $0.keyBytes + $0.recordBytes, count: $0.recordsPerEntity, as: Q.self)
      }
      let atR = Q.maximum(1, w.R * s1 / 1024)
      let ecpu =
        w.recordsWritten * appendECPU + w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR)
      ctx.lines.add(
        "elasticache", ids.ecpu, "ECPUs (1 per KB transferred, ≥ 1 per request)",
        ecpu)
    }
    ArchivePricing.price(
      objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }

  /// `serverless-storage:<engine>` and `serverless-ecpu:<engine>`, not built again at every pricing.
  static func serverlessRateIds(_ e: ElastiCacheSettings.Engine) -> (storage: String, ecpu: String)
  {
    switch e {
    case .valkey: return ("serverless-storage:valkey", "serverless-ecpu:valkey")
    case .redis: return ("serverless-storage:redis", "serverless-ecpu:redis")
    }
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
  static func candidates(_ s: ElastiCacheSettings, book: RateBook, memo: PricingMemo? = nil)
    -> NodeCandidates
  {
    guard let memo else {
      return book.nodeCandidates(engine: s.engine.rawValue, reservation: s.reservation?.rateTail)
    }
    return memo.stashed(
      MemoizedCandidates.self, index: book.index,
      valid: {
        $0.engine == s.engine && $0.term == s.reservation?.term
          && $0.payment == s.reservation?.payment
      },
      make: {
        MemoizedCandidates(
          engine: s.engine, term: s.reservation?.term, payment: s.reservation?.payment,
          candidates: book.nodeCandidates(
            engine: s.engine.rawValue, reservation: s.reservation?.rateTail))
      }
    ).candidates
  }

  /// Node candidates as a pricing memo keeps them, with the settings they are for.
  final class MemoizedCandidates {
    let engine: ElastiCacheSettings.Engine
    let term: CommitmentTerm?
    let payment: NodeReservation.Payment?
    let candidates: NodeCandidates
    init(
      engine: ElastiCacheSettings.Engine, term: CommitmentTerm?, payment: NodeReservation.Payment?,
      candidates: NodeCandidates
    ) {
      self.engine = engine
      self.term = term
      self.payment = payment
      self.candidates = candidates
    }
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
  static func chooseNode<Q: CostNumber>(
    _ s: ElastiCacheSettings, memoryBytes: Q, candidates: NodeCandidates, book: RateBook
  )
    throws(MissingRate) -> NodeChoice
  {
    let engine = s.engine.rawValue
    let all = candidates.offers
    if s.nodeType != "auto" {
      guard let c = candidates.offer(s.nodeType) else {
        let id = "node:\(s.nodeType):\(engine)"
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
        let known = Self.candidates(
          ElastiCacheSettings(
            mode: .node, engine: s.engine, nodeType: "auto", replicas: 0, perRecordOverheadBytes: 0),
          book: book
        ).offers
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
    // Only the frontier can be cheapest (NodeCandidates); ties keep the order of `all`.
    let frontier = candidates.frontier
    var best: (c: Int, shards: Int, cost: Q)?
    for i in frontier.indices {
      let n: Int?
      let usable = frontier[i].usable(as: Q.self)
      if let fixed = s.shards {
        n = memoryBytes <= usable * Q(fixed) ? fixed : nil
      } else {
        n = shardsNeeded(memoryBytes, usable: usable)
      }
      guard let n else { continue }
      let cost = Q(n) * frontier[i].monthly(as: Q.self)
      if let b = best,
        (b.cost, b.shards) != (cost, n)
          ? (b.cost, b.shards) < (cost, n)
          : (frontier[b.c].memoryGiB, frontier[b.c].nodeType)
            <= (frontier[i].memoryGiB, frontier[i].nodeType)
      {
        continue
      }
      best = (i, n, cost)
    }
    if let best { return NodeChoice(offer: frontier[best.c], shards: best.shards, fits: true) }
    let largest = all.max { a, b in
      (a.memoryGiB, b.monthly, b.nodeType) < (b.memoryGiB, a.monthly, a.nodeType)
    }!
    return NodeChoice(offer: largest, shards: s.shards ?? 500, fits: false)
  }
}
