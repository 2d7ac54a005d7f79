import Foundation

/// ElastiCache node-based or serverless, Valkey or Redis OSS (MODEL.md §3.3).
enum ElastiCachePricing {
  static let usableFraction = Decimal(string: "0.75")!  // 25% of node memory is reserved

  static func price<Q>(_ s: ElastiCacheSettings, into ctx: inout PricingContext<Q>) throws(MissingRate) {
    let w = ctx.workload
    let engine = s.engine.rawValue
    // Memory: resident records × (K + B + perRecordOverheadBytes).
    let resident = w.recordsWritten * w.hotResidencyMonths
    let memoryBytes = resident * (w.storedRecordBytes + Q(s.perRecordOverheadBytes))
    switch s.mode {
    case .node:
      let (rate, fits) = try chooseNode(s, memoryBytes: memoryBytes, book: ctx.book)
      let nodeType = String(rate.id.dropFirst("node:".count).dropLast(engine.count + 1))
      ctx.facts.nodeType = nodeType
      let nodes = 1 + s.replicas
      ctx.lines.add("elasticache", rate.id, "\(nodes) × \(nodeType) node-hours (730 h)", Q(nodes) * 730)
      let usable: Q = usableBytes(rate)
      ctx.detail("node \(nodeType)\(s.nodeType == "auto" ? " (auto)" : ""): needs \(mib(memoryBytes)) MiB of \(mib(usable)) MiB usable")
      if !fits {
        ctx.infeasible("needs \(mib(memoryBytes)) MiB of memory; \(nodeType) has \(mib(usable)) MiB usable (75% of \(rate.attribute("memoryGiB") ?? 0) GiB)")
      }
    case .serverless:
      // Data stored is metered as GB-hours with a minimum per hour (rate's minimumQuantity).
      ctx.lines.add("elasticache", "serverless-storage:\(engine)", "data stored (GB held 730 h)", memoryBytes / Q(1_073_741_824), hourly: true)
      // 1 ECPU per KB transferred, at least 1 per request: appends move K + B bytes, a load of k records k × (K + B).
      let s1 = w.workload.keyBytes + w.workload.recordBytes
      let appendECPU = Q.maximum(1, Q(s1) / 1024)
      let sumK = DecimalMath.sumECPU(bytesPerRecord: s1, count: w.recordsPerEntity, as: Q.self)
      let atR = Q.maximum(1, w.R * Q(s1) / 1024)
      let ecpu = w.recordsWritten * appendECPU + w.entities * w.perEntityLoadSum(sumK: sumK, atR: atR)
      ctx.lines.add("elasticache", "serverless-ecpu:\(engine)", "ECPUs (1 per KB transferred, ≥ 1 per request)", ecpu)
    }
    ArchivePricing.price(objectsPerMonth: w.entities, objectBytes: w.entityBytes, transition: false, into: &ctx)
  }

  static func usableBytes<Q: CostNumber>(_ rate: Rate) -> Q {
    Q((rate.attribute("memoryGiB") ?? 0) * 1_073_741_824 * usableFraction)
  }

  static func mib<Q: CostNumber>(_ bytes: Q) -> String { brief(bytes / 1_048_576) }

  /// The named node, or with `auto` the cheapest node of the engine that fits (none fits: the largest).
  static func chooseNode<Q: CostNumber>(_ s: ElastiCacheSettings, memoryBytes: Q, book: RateBook) throws(MissingRate) -> (Rate, Bool) {
    let engine = s.engine.rawValue
    func nodeCandidates() -> [Rate] {
      (book.tables["elasticache"]?.rates ?? []).filter {
        $0.id.hasPrefix("node:") && $0.id.hasSuffix(":\(engine)") && $0.attribute("memoryGiB") != nil && $0.price != nil
      }
    }
    if s.nodeType != "auto" {
      let id = "node:\(s.nodeType):\(engine)"
      guard let rate = book.rate("elasticache", id) else {
        let known = nodeCandidates().map { String($0.id.dropFirst(5).dropLast(engine.count + 1)) }
        throw MissingRate(service: "elasticache", id: id,
          detail: "unknown node type \"\(s.nodeType)\" for engine \(engine) (known: \(known.joined(separator: ", ")))")
      }
      guard rate.attribute("memoryGiB") != nil else {
        throw MissingRate(service: "elasticache", id: id, detail: "rate elasticache/\(id) has no attribute memoryGiB")
      }
      return (rate, memoryBytes <= usableBytes(rate))
    }
    let candidates = nodeCandidates()
    guard !candidates.isEmpty else {
      throw MissingRate(service: "elasticache", id: "node:*:\(engine)", detail: "no node rates with memoryGiB for engine \(engine)")
    }
    let byPrice = candidates.sorted { ($0.unitPrice, $0.id) < ($1.unitPrice, $1.id) }
    if let fit = byPrice.first(where: { memoryBytes <= usableBytes($0) }) { return (fit, true) }
    let largest = candidates.max { a, b in
      let ua: Decimal = usableBytes(a), ub: Decimal = usableBytes(b)
      return (ua, b.unitPrice, b.id) < (ub, a.unitPrice, a.id)
    }!
    return (largest, false)
  }
}
