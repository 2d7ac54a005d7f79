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
          file: table.file, path: "operations",
          message:
            "missing operation \"\(id)\", which option \"\(e.option.id)\" of \(scenarioFile) needs")
      }
      ops[id] = op.distribution
    }
    let (read, write) = e.option.model.latency(e, ops: ops, workload: w, table: table)
    return LatencyEstimate(
      readP50Ms: read.percentile(0.5), readP99Ms: read.percentile(0.99),
      writeP50Ms: write.percentile(0.5), writeP99Ms: write.percentile(0.99))
  }
}
