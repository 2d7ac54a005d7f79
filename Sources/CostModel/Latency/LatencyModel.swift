import Foundation

/// Read (load) and write (append) latency of one option at one scale (docs/model.md §5).
public struct LatencyEstimate: Sendable {
  public var readP50Ms: Double
  public var readP99Ms: Double
  public var writeP50Ms: Double
  public var writeP99Ms: Double
}

public enum LatencyModel {
  /// The operations an option's latency needs from `latency.json`.
  public static func operationsNeeded(_ o: OptionSpec) -> [String] {
    switch o.settings {
    case .s3(let s):
      var ops = s.layout == .objectPerEntity ? ["s3.get", "s3.put"] : ["s3.list", "s3.get", "s3.put"]
      if s.cache != nil { ops.append("cache.hit") }
      return ops
    case .dynamodb(let s):
      return s.layout == .itemPerRecord ? ["dynamodb.query", "dynamodb.putItem"] : ["dynamodb.getItem", "dynamodb.updateItem"]
    case .elasticache(let s):
      let prefix = s.mode == .node ? "elasticache" : "elasticache-serverless"
      return ["\(prefix).read", "\(prefix).write"]
    case .aurora(let s):
      return s.autoPause ? ["aurora.select", "aurora.insert", "aurora.resume"] : ["aurora.select", "aurora.insert"]
    }
  }

  /// Builds the read and write distributions and their p50 and p99.
  public static func estimate(_ e: OptionEstimate, workload w: DerivedWorkload<Decimal>, table: LatencyTable, scenarioFile: String) throws(DataError) -> LatencyEstimate {
    var ops: [String: LatencyDistribution] = [:]
    for id in operationsNeeded(e.option) {
      guard let op = table.operation(id) else {
        throw DataError(file: table.file, path: "operations",
          message: "missing operation \"\(id)\", which option \"\(e.option.id)\" of \(scenarioFile) needs")
      }
      ops[id] = op.distribution
    }
    let read: LatencyDistribution
    let write: LatencyDistribution
    switch e.option.settings {
    case .s3(let s):
      write = ops["s3.put"]!
      var miss: LatencyDistribution
      if s.layout == .objectPerEntity {
        miss = ops["s3.get"]!
      } else {
        // A LIST, then k concurrent GETs: LIST + max of k GETs, at the mean k of the session's loads.
        let loads = DecimalMath.toDouble(w.loadsPerEntity)
        let k = loads > 0 ? DecimalMath.toDouble(w.recordsReadPerEntity) / loads : DecimalMath.toDouble(w.R)
        miss = .sum(first: ops["s3.list"]!, then: .maxOf(ops["s3.get"]!, k: k))
      }
      if s.cache != nil {
        let h = DecimalMath.toDouble(e.facts.hitRatio ?? 0)
        miss = h >= 1 ? ops["cache.hit"]! : (h <= 0 ? miss : .mixture([(h, ops["cache.hit"]!), (1 - h, miss)]))
      }
      read = miss
    case .dynamodb(let s):
      read = s.layout == .itemPerRecord ? ops["dynamodb.query"]! : ops["dynamodb.getItem"]!
      write = s.layout == .itemPerRecord ? ops["dynamodb.putItem"]! : ops["dynamodb.updateItem"]!
    case .elasticache(let s):
      let prefix = s.mode == .node ? "elasticache" : "elasticache-serverless"
      read = ops["\(prefix).read"]!
      write = ops["\(prefix).write"]!
    case .aurora(let s):
      read = ops["aurora.select"]!
      let insert = ops["aurora.insert"]!
      if s.autoPause, let p = e.facts.pausedProbability, p > 0 {
        // A session's first append finds the cluster paused with probability p: (p / R) of appends wait.
        let resume = table.operation("aurora.resume")!.p50Ms
        let share = p / DecimalMath.toDouble(w.R)
        write = .mixture([(1 - share, insert), (share, .shifted(insert, by: resume))])
      } else {
        write = insert
      }
    }
    return LatencyEstimate(readP50Ms: read.percentile(0.5), readP99Ms: read.percentile(0.99),
      writeP50Ms: write.percentile(0.5), writeP99Ms: write.percentile(0.99))
  }
}
