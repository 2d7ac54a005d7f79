import CostModel
import CostReports
import Foundation
import StorageKit

/// `costplan validate --backend redis://… --backend postgres://…`: the overheads docs/model.md only assumes, measured
/// on a real server — memory per record on Redis (INFO used_memory growth, and MEMORY USAGE of the lists) against
/// `K + B + perRecordOverheadBytes`, disk per row on PostgreSQL (pg_total_relation_size) against
/// `K + B + rowOverheadBytes` — and the round trips per operation. Data goes under a fresh prefix or table and is
/// removed afterwards.
extension Validation {
  /// Which options of the scenario a backend URL measures.
  public static func serves(_ url: String, _ option: OptionSpec) -> Bool {
    let scheme = url.split(separator: ":").first.map { $0.lowercased() } ?? ""
    switch option.settings {
    case is ElastiCacheSettings: return scheme == "redis"
    case is AuroraSettings: return scheme == "postgres" || scheme == "postgresql"
    case let s as S3Settings:
      // a fleet of caches is simulated, not run on a server
      if case .lambdaFleet = s.cache?.model { return false }
      return scheme == "s3"
    case is DynamoDBSettings: return scheme == "dynamodb"
    default: return false
    }
  }

  func randomBodies(_ n: Int) -> [[UInt8]] {
    var rng = SplitMix64(seed: 2026)
    return (0..<n).map { _ in
      (0..<scenario.workload.recordBytes).map { _ in UInt8(97 + rng.next() % 26) }
    }
  }

  /// Drives the workload with incompressible bodies (random letters: PostgreSQL compresses repeated bytes).
  func driveRandom(_ store: RecordStore, sessions: Int, offset: Int = 0) throws(StoreError) -> Int {
    try drive(store, sessions: sessions, offset: offset, bodies: randomBodies(16))
  }

  public func validateOnServer(_ option: OptionSpec, url: String) throws(StoreError)
    -> OptionValidation
  {
    let w = scenario.workload
    let K = Double(w.keyBytes)
    let B = Double(w.recordBytes)
    let tag = "\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
    switch option.settings {
    case let e as ElastiCacheSettings:
      let sep = url.contains("?") ? "&" : "?"
      guard
        let store = try Backends.open(url + sep + "prefix=costplan-validate-\(tag):") as? RedisStore
      else {
        throw StoreError(.badURL, "\(url) is not a redis:// URL")
      }
      func usedMemory() throws(StoreError) -> Int { try store.usedMemory() ?? 0 }
      // A fresh server's first keys pay one-time costs (hash table growth, client buffers): measure the growth
      // from the first half of the entities to all of them, what each further record costs.
      // Warm up first: a fresh server grows its tables and buffers once (~70 KB seen on Redis 7.0), which would
      // land on whichever option is measured first.
      if let warm = try Backends.open(url + sep + "prefix=costplan-warmup-\(tag):") as? RedisStore {
        _ = try driveRandom(warm, sessions: entities)
        _ = try warm.expire(before: Int64.max)
      }
      let half = max(1, entities / 2)
      var trips = store.client.roundTrips
      var appends = try driveRandom(store, sessions: half)
      trips = store.client.roundTrips - trips
      let before = try usedMemory()
      let records1 = try store.storedRecords() ?? 0
      var trips2 = store.client.roundTrips
      appends += try driveRandom(store, sessions: max(1, entities - half), offset: half)
      trips2 = store.client.roundTrips - trips2
      trips += trips2
      let after = try usedMemory()
      let records = try store.storedRecords() ?? 0
      let loads = store.counters["LRANGE"]
      let usage = try store.storedBytes() ?? 0
      _ = try store.expire(before: Int64.max)
      let model = K + B + NSDecimalNumber(decimal: e.perRecordOverheadBytes).doubleValue
      return OptionValidation(
        optionId: option.id, description: OptionDescription.describe(option) + " on a real server",
        backend: store.displayURL,
        rows: [
          ValidationRow(
            quantity:
              "memory per \(w.record): INFO used_memory growth (model K + B + perRecordOverheadBytes \(e.perRecordOverheadBytes))",
            model: model,
            measured: records > records1
              ? Double(after - before) / Double(records - records1) : nil,
            tolerance: .relative(Self.bytesTolerance)),
          ValidationRow(
            quantity: "memory per \(w.record): MEMORY USAGE of the lists", model: nil,
            measured: Double(usage) / Double(max(1, records)), tolerance: .none("info")),
          ValidationRow(
            quantity: "round trips per append (RPUSH + EXPIRE pipelined)", model: 1,
            measured: Double(trips - loads) / Double(max(1, appends)),
            tolerance: .relative(Self.requestTolerance)),
        ],
        requests: store.counters,
        notes: [
          "\(records1) then \(records) records in \(entities) lists under a fresh prefix, removed afterwards; used_memory grew by \(after - before) bytes between the two. Bodies are random letters. used_memory includes allocator rounding, which is what the node's memory pays for."
        ])
    case let a as AuroraSettings:
      let sep = url.contains("?") ? "&" : "?"
      let table = "costplan_validate_\(tag)".lowercased()
      guard let store = try Backends.open(url + sep + "table=\(table)") as? PostgresStore else {
        throw StoreError(.badURL, "\(url) is not a postgres:// URL")
      }
      defer { try? store.connection.simpleQuery("DROP TABLE IF EXISTS \(table)") }
      // Disk grows in 8 KB pages and a table has fixed costs (first index pages, the TOAST table): measure the
      // growth from the first half of the entities to all of them, what each further row costs.
      let half = max(1, entities / 2)
      var trips = store.connection.roundTrips
      var appends = try driveRandom(store, sessions: half)
      trips = store.connection.roundTrips - trips
      let bytes1 = try store.storedBytes() ?? 0
      let rows1 = try store.storedRecords() ?? 0
      var trips2 = store.connection.roundTrips
      appends += try driveRandom(store, sessions: max(1, entities - half), offset: half)
      trips += store.connection.roundTrips - trips2
      trips2 = 0
      let bytes2 = try store.storedBytes() ?? 0
      let rows2 = try store.storedRecords() ?? 0
      let perRow =
        rows2 > rows1
        ? Double(bytes2 - bytes1) / Double(rows2 - rows1) : Double(bytes2) / Double(max(1, rows2))
      let model = K + B + NSDecimalNumber(decimal: a.rowOverheadBytes).doubleValue
      let loads = store.counters["SELECT"]
      return OptionValidation(
        optionId: option.id, description: OptionDescription.describe(option) + " on a real server",
        backend: store.displayURL,
        rows: [
          ValidationRow(
            quantity:
              "disk per \(w.record): growth of pg_total_relation_size per row (model K + B + rowOverheadBytes \(a.rowOverheadBytes))",
            model: model, measured: perRow, tolerance: .relative(Self.bytesTolerance)),
          ValidationRow(
            quantity: "round trips per append (Bind + Execute + Sync)", model: 1,
            measured: Double(trips - loads) / Double(max(1, appends)),
            tolerance: .relative(Self.requestTolerance)),
        ],
        requests: store.counters,
        notes: [
          "\(rows1) then \(rows2) rows in a fresh table (heap, TOAST, primary key and the expiry index on `at`), dropped afterwards; the size grew from \(bytes1) to \(bytes2) bytes. Bodies are random letters, so PostgreSQL cannot compress them."
        ])
    case let s as S3Settings:
      return try validateS3OnServer(option, s, url: url, tag: tag)
    case let s as DynamoDBSettings:
      return try validateDynamoDBOnServer(option, s, url: url, tag: tag)
    default:
      throw StoreError(.badURL, "\(url) does not stand for \(option.service)")
    }
  }
}

extension Validation {
  /// S3 on its real API (moto in CI, AWS with credentials): requests per record by API call and bytes per object,
  /// under a fresh key prefix whose objects are deleted afterwards.
  func validateS3OnServer(_ option: OptionSpec, _ s: S3Settings, url: String, tag: String)
    throws(StoreError) -> OptionValidation
  {
    let w = scenario.workload
    let K = Double(w.keyBytes)
    let B = Double(w.recordBytes)
    let R = Double(records)
    let layout: FileStore.Layout =
      s.layout == .objectPerEntity ? .objectPerEntity : .objectPerRecord
    // The option decides the layout and validate the prefix: drop the URL's own.
    var parsed = try BackendURL(url)
    parsed.query.removeAll { $0.0 == "layout" || $0.0 == "prefix" }
    parsed.query += [("layout", layout.rawValue), ("prefix", "costplan-validate-\(tag)/")]
    guard parsed.scheme == "s3" else { throw StoreError(.badURL, "\(url) is not an s3:// URL") }
    let base = try S3Store(url: parsed)
    defer { _ = try? base.expire(before: Int64.max) }
    var store: RecordStore = base
    var modelOption = option
    var rows: [ValidationRow] = []
    var notes: [String] = []
    if case .fixed(let h) = s.cache?.model {
      let cache = CacheStore(inner: base, entities: 10_000)
      store = cache
      _ = try drive(cache)
      let hits = cache.counters["cache-hit"]
      let misses = cache.counters["cache-miss"]
      let measured = Double(hits) / Double(max(1, hits + misses))
      rows.append(
        ValidationRow(
          quantity: "cache hit ratio (one process)", model: NSDecimalNumber(decimal: h).doubleValue,
          measured: measured, tolerance: .none("input")))
      modelOption.settings = Self.withHitRatio(s, measured)
      notes.append(
        "S3 requests are compared at the hit ratio measured here (the scenario's \(h) is an input)."
      )
    } else {
      _ = try drive(store)
    }
    let c = base.counters
    let bytes = try base.storedBytes()
    let stored = try base.storedRecords()
    func model(_ ref: String) throws(StoreError) -> Double {
      do { return try modelPerRecord(modelOption, ref) } catch {
        throw StoreError(.badData, error.description, underlying: error)
      }
    }
    rows.insert(
      contentsOf: [
        ValidationRow(
          quantity: "S3 PutObject + ListObjectsV2 requests (s3/requests-tier1)",
          model: try model("s3/requests-tier1"),
          measured: perRecord(c["PUT"] + c["LIST"]),
          tolerance: .relativeOrAbsolute(Self.requestTolerance, Self.requestFloor)),
        ValidationRow(
          quantity: "S3 GetObject requests (s3/requests-tier2)",
          model: try model("s3/requests-tier2"),
          measured: perRecord(c["GET"]),
          tolerance: .relativeOrAbsolute(Self.requestTolerance, Self.requestFloor)),
        ValidationRow(
          quantity: "bytes stored per \(w.record) (ListObjectsV2 Size)",
          model: s.layout == .objectPerEntity ? (K + R * B) / R : K + B,
          measured: Self.ratio(bytes, stored), tolerance: .relative(Self.bytesTolerance)),
      ], at: 0)
    if c["GET before PUT"] > 0 {
      notes.append(
        "\(c["GET before PUT"]) GETs were reads before a rewrite (the store had not seen the object yet: each entity's first append)."
      )
    }
    notes.append(
      "Requests as the server answered them: PUT \(c["PUT"]), GET \(c["GET"]), LIST \(c["LIST"]); \(base.client.retries) retries. Objects under a fresh prefix, deleted afterwards."
    )
    return OptionValidation(
      optionId: option.id, description: OptionDescription.describe(option) + " on the S3 API",
      backend: base.displayURL,
      rows: rows, requests: c, notes: notes)
  }
}

extension Validation {
  /// DynamoDB on its real API (moto in CI, AWS with credentials): requests per record by API call, costplan's
  /// request units from the items' sizes beside the units the server reports, bytes per item. A fresh table per
  /// option, its items deleted afterwards.
  func validateDynamoDBOnServer(
    _ option: OptionSpec, _ s: DynamoDBSettings, url: String, tag: String
  ) throws(StoreError) -> OptionValidation {
    let w = scenario.workload
    let K = Double(w.keyBytes)
    let B = Double(w.recordBytes)
    let R = Double(records)
    let layout: DynamoLayout = s.layout == .itemPerRecord ? .itemPerRecord : .itemPerEntity
    var parsed = try BackendURL(url)
    guard parsed.scheme == "dynamodb" else {
      throw StoreError(.badURL, "\(url) is not a dynamodb:// URL")
    }
    let table =
      (parsed.rest.hasPrefix("//") ? String(parsed.rest.dropFirst(2)) : parsed.rest)
      + "-validate-\(tag)"
    parsed.rest = table
    parsed.query.removeAll { ["layout", "create", "consistent", "ttlDays"].contains($0.0) }
    parsed.query += [
      ("layout", layout.rawValue), ("create", "true"),
      ("consistent", s.consistentReads ? "true" : "false"),
    ]
    if let days = w.retentionDays {
      parsed.query.append(
        ("ttlDays", String(Int(NSDecimalNumber(decimal: days).doubleValue.rounded(.up)))))
    }
    let store = try DynamoStore(url: parsed)
    defer { _ = try? store.expire(before: Int64.max) }
    var notes: [String] = []
    do { _ = try drive(store) } catch {
      guard error.code == .recordRefused, error.message.contains("400 KB") else { throw error }
      return OptionValidation(
        optionId: option.id,
        description: OptionDescription.describe(option) + " on the DynamoDB API",
        backend: store.displayURL,
        rows: [
          ValidationRow(
            quantity: "items fit in 400 KB", model: nil, measured: nil,
            tolerance: .none("infeasible"))
        ],
        requests: store.counters, notes: ["The store refused a write: \(error.message)."])
    }
    let c = store.counters
    let n = Double(entities * records)
    func model(_ ref: String) throws(StoreError) -> Double {
      do { return try modelPerRecord(option, ref) } catch {
        throw StoreError(.badData, error.description, underlying: error)
      }
    }
    let writes = layout == .itemPerRecord ? "PutItem" : "UpdateItem"
    let rows = [
      ValidationRow(
        quantity: "\(writes) requests", model: 1, measured: perRecord(c[writes]),
        tolerance: .relativeOrAbsolute(Self.requestTolerance, Self.requestFloor)),
      ValidationRow(
        quantity:
          "write request units, costplan's count from item sizes (dynamodb/write-request-unit)",
        model: try model("dynamodb/write-request-unit"), measured: c.writeUnits / n,
        tolerance: .relative(Self.unitTolerance)),
      ValidationRow(
        quantity:
          "read request units, costplan's count from item sizes (dynamodb/read-request-unit)",
        model: try model("dynamodb/read-request-unit"), measured: c.readUnits / n,
        tolerance: .relative(Self.unitTolerance)),
      ValidationRow(
        quantity: "write capacity units the server reported (ConsumedCapacity)", model: nil,
        measured: store.serverWriteUnits / n, tolerance: .none("info")),
      ValidationRow(
        quantity: "read capacity units the server reported (ConsumedCapacity)", model: nil,
        measured: store.serverReadUnits / n, tolerance: .none("info")),
      ValidationRow(
        quantity: layout == .itemPerRecord
          ? "item bytes (Scan, DynamoDB's size rules)" : "item bytes (entity item ÷ records)",
        model: layout == .itemPerRecord ? K + B : (K + R * B) / R,
        measured: Self.ratio(try store.storedBytes(), try store.storedRecords()),
        tolerance: .relative(Self.bytesTolerance)),
    ]
    notes.append(
      "costplan counts request units from the sizes of the items it sends and reads (attribute names + values, DynamoDB's rules); the rows marked info are what the server put in ConsumedCapacity. moto reports fixed figures there, not sizes, so on moto only costplan's count is compared with the model; on AWS the two should agree."
    )
    notes.append(
      "Table \(table), created on demand with \(layout == .itemPerRecord ? "partition key entity and sort key seq" : "partition key entity")\(w.retentionDays == nil ? "" : " and TTL on ttl"); items deleted afterwards."
    )
    return OptionValidation(
      optionId: option.id, description: OptionDescription.describe(option) + " on the DynamoDB API",
      backend: store.displayURL,
      rows: rows, requests: c, notes: notes)
  }
}
