import Foundation

/// One operation's latency: p50 and p99 in milliseconds, with where the figures come from.
public struct OperationLatency: Sendable {
  public var id: String
  public var p50Ms: Double
  public var p99Ms: Double
  public var source: String
  public var note: String?
  public var distribution: LatencyDistribution { .lognormal(p50: p50Ms, p99: p99Ms) }
}

/// `pricing/<provider>/<region>/latency.json` (docs/formats.md).
public struct LatencyTable: Sendable {
  public var file: String
  public var operations: [OperationLatency]
  /// Where the file's `operations` array starts: an operation an option needs and the table lacks is reported
  /// there.
  public var operationsPosition: SourcePosition? = nil

  /// Every operation docs/model.md §5 names.
  public static let knownOperations = [
    "s3.get", "s3.put", "s3.list", "dynamodb.query", "dynamodb.getItem",
    "dynamodb.putItem", "dynamodb.updateItem", "elasticache.read", "elasticache.write",
    "elasticache-serverless.read", "elasticache-serverless.write", "aurora.select", "aurora.insert",
    "cache.hit", "aurora.resume",
  ]

  /// The operation `id` (its length compared first: sampling looks one up in every draw, and a long id's string
  /// comparison is slow).
  public func operation(_ id: String) -> OperationLatency? {
    let length = id.utf8.count
    return operations.first { $0.id.utf8.count == length && $0.id == id }
  }

  public static func load(directory: String) throws(DataError) -> LatencyTable? {
    let path = (directory as NSString).appendingPathComponent("latency.json")
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try parse(try loadJSON(path: path, display: path), file: path)
  }

  public static func parse(_ root: JSONNode, file: String) throws(DataError) -> LatencyTable {
    let r = try JSONObjectReader(root, file: file, path: "")
    try r.requireVersion1()
    _ = try r.string("provider")
    _ = try r.string("region")
    var ops: [OperationLatency] = []
    for (i, n) in try r.array("operations").enumerated() {
      let o = try JSONObjectReader(n, file: file, path: "operations[\(i)]")
      let id = try o.choice("id", knownOperations)
      if ops.contains(where: { $0.id == id }) {
        throw o.error("id", "duplicate operation \"\(id)\"", at: o.node("id"))
      }
      let p50 = try o.decimal("p50Ms", .positive)
      let p99 = try o.decimal("p99Ms", .positive)
      if p99 < p50 {
        throw o.error("p99Ms", "p99 (\(p99) ms) is below p50 (\(p50) ms)", at: o.node("p99Ms"))
      }
      let source = try o.string("source")
      let note = try o.optionalString("note")
      try o.finish(allowed: ["id", "p50Ms", "p99Ms", "source", "note"])
      ops.append(
        OperationLatency(
          id: id, p50Ms: DecimalMath.toDouble(p50), p99Ms: DecimalMath.toDouble(p99),
          source: source, note: note))
    }
    try r.finish(allowed: ["version", "provider", "region", "operations"])
    return LatencyTable(
      file: file, operations: ops, operationsPosition: r.node("operations")?.position)
  }
}
