import Foundation

/// Read (load) and write (append) latency of one option at one scale (docs/model.md §5).
public struct LatencyEstimate: Sendable {
  public var readP50Ms: Double
  public var readP99Ms: Double
  public var writeP50Ms: Double
  public var writeP99Ms: Double
}

/// What an option's latency depends on beyond its settings (docs/model.md §5): the hit ratio, the chance a session
/// finds an auto-paused cluster paused, and the session's shape. The same for an exact estimate and a sampled draw.
public struct LatencyInputs: Sendable {
  public var option: OptionSpec
  public var hitRatio: Double?
  public var pausedProbability: Double?
  /// R.
  public var recordsPerEntity: Double
  /// Loads per session, R × Lr + Le.
  public var loadsPerEntity: Double
  /// Records read over a session's loads.
  public var recordsReadPerEntity: Double
}

public enum LatencyModel {
  /// The operations an option's latency needs from `latency.json`.
  public static func operationsNeeded(_ o: OptionSpec) -> [String] { o.model.latencyOperations(o) }

  /// Builds the read and write distributions and their p50 and p99.
  public static func estimate(
    _ e: OptionEstimate, workload w: DerivedWorkload<Decimal>, table: LatencyTable,
    scenarioFile: String
  ) throws(DataError) -> LatencyEstimate {
    var ops: [String: LatencyDistribution] = [:]
    for id in operationsNeeded(e.option) {
      guard let op = table.operation(id) else {
        throw DataError(
          file: table.file, position: table.operationsPosition, path: "operations",
          message:
            "missing operation \"\(id)\", which option \"\(e.option.id)\" of \(scenarioFile) needs")
      }
      ops[id] = op.distribution
    }
    let inputs = LatencyInputs(
      option: e.option, hitRatio: e.facts.hitShare, pausedProbability: e.facts.pausedProbability,
      recordsPerEntity: w.R.asDouble, loadsPerEntity: w.loadsPerEntity.asDouble,
      recordsReadPerEntity: w.recordsReadPerEntity.asDouble)
    let (read, write) = e.option.model.latency(inputs, ops: ops, table: table)
    return LatencyEstimate(
      readP50Ms: read.percentile(0.5), readP99Ms: read.percentile(0.99),
      writeP50Ms: write.percentile(0.5), writeP99Ms: write.percentile(0.99))
  }
}
