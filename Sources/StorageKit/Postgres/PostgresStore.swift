import Foundation

/// `postgres://USER[:PASSWORD]@HOST:PORT/DB?table=T&timeout=S[&allowCleartextPassword=true][&maxLoadBytes=B]
/// [&maxLoadItems=N]` — Aurora PostgreSQL as a record store: one row
/// per record in a table keyed by (entity, seq), entity and body as `bytea` (so NUL and any bytes are data),
/// every statement with bound parameters, no SQL built from data. Expiry is a DELETE on age, the sweeper job
/// Aurora needs (it has no TTL). The password comes from the URL or `PGPASSWORD`. Every method is one operation
/// under one `timeout=`, expiry and the size queries included.
public final class PostgresStore: RecordStore {
  public let connection: PGConnection
  public let displayURL: String
  public let table: String
  public let limits: LoadLimits
  private var own = StoreCounters()

  static let bytea: Int32 = 17
  static let int8: Int32 = 20

  public convenience init(url text: String) throws(StoreError) {
    let url = try NetworkURL(text, defaultPort: 5432)
    try url.allow(["table", "timeout", "allowCleartextPassword"] + LoadLimits.parameters)
    guard let user = url.user else {
      throw StoreError(
        .badURL, "backend URL '\(url.display)': no user (postgres://USER:PASSWORD@HOST:PORT/DB)")
    }
    let db = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
    let table = url.value("table") ?? "costplan_records"
    guard table.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
      throw StoreError(
        .badURL, "backend URL '\(url.display)': table=\(table) is not a plain lower-case identifier"
      )
    }
    let timeout = try url.number("timeout", default: 5, range: 0.01...3600)
    let cleartext = try url.bool("allowCleartextPassword", default: false)
    let limits = try LoadLimits(url: url)
    let c = try PGConnection(
      host: url.host, port: url.port, user: user,
      password: url.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"],
      database: db.isEmpty ? user : db, timeoutSeconds: timeout, allowCleartextPassword: cleartext)
    try self.init(connection: c, displayURL: url.display, table: table, limits: limits)
  }

  public init(
    connection: PGConnection, displayURL: String, table: String, limits: LoadLimits = LoadLimits()
  ) throws(StoreError) {
    self.connection = connection
    self.displayURL = displayURL
    self.table = table
    self.limits = limits
    // The table name is checked to be a plain identifier above; nothing else is ever spliced into SQL.
    do {
      try connection.operation { () throws(StoreError) in
        try connection.simpleQuery(
          "CREATE TABLE IF NOT EXISTS \(table) (entity bytea NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, body bytea NOT NULL, PRIMARY KEY (entity, seq)); CREATE INDEX IF NOT EXISTS \(table)_at ON \(table) (at)"
        )
      }
    } catch {
      // Two clients creating the table at once: the loser sees a duplicate; the table is there either way.
      let state = error.underlying(PGServerError.self)?.sqlState
      if state != "23505" && state != "42P07" { throw error }
    }
    connection.define(
      "append",
      sql:
        "INSERT INTO \(table) (entity, seq, at, body) SELECT $1, coalesce(max(seq), 0) + 1, $2, $3 FROM \(table) WHERE entity = $1 RETURNING seq",
      types: [Self.bytea, Self.int8, Self.bytea])
    connection.define(
      "load", sql: "SELECT seq, at, body FROM \(table) WHERE entity = $1 AND at >= $2 ORDER BY seq",
      types: [Self.bytea, Self.int8])
    connection.define(
      "expire",
      sql:
        "WITH gone AS (DELETE FROM \(table) WHERE at < $1 RETURNING 1) SELECT count(*) FROM gone",
      types: [Self.int8])
    connection.define(
      "size", sql: "SELECT pg_total_relation_size($1::regclass), (SELECT count(*) FROM \(table))",
      types: [25])
  }

  public var counters: StoreCounters {
    var c = own
    c.bytesSent = connection.bytesSent
    c.bytesReceived = connection.bytesReceived
    return c
  }

  @discardableResult
  public func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try connection.operation { () throws(StoreError) -> Int? in
      try appendNow(entity: entity, body: body, at: at)
    }
  }

  private func appendNow(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try EntityId.check(entity)
    // Two writers can pick the same next seq; the loser's INSERT fails on the primary key (SQLSTATE 23505) and
    // nothing was written, so it is retried with a fresh seq (a bounded number of times).
    var attempt = 0
    var rows: [[[UInt8]?]] = []
    while true {
      do {
        rows = try connection.run("append", [Array(entity.utf8), PGInt8.encode(at), body])
        break
      } catch {
        attempt += 1
        guard error.underlying(PGServerError.self)?.sqlState == "23505", attempt < 20 else {
          throw error
        }
        own.count("INSERT retried after a conflict")
      }
    }
    own.count("INSERT")
    guard let seq = PGInt8.decode(rows.first?.first ?? nil) else {
      throw StoreError(.badData, "\(displayURL): INSERT returned no seq")
    }
    return Int(seq)
  }

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try connection.operation { () throws(StoreError) -> [StoredRecord] in
      try loadNow(entity: entity, since: since)
    }
  }

  private func loadNow(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try EntityId.check(entity)
    let rows = try connection.run(
      "load", [Array(entity.utf8), PGInt8.encode(since ?? Int64.min)], limits: limits)
    own.count("SELECT")
    var out: [StoredRecord] = []
    for r in rows {
      guard r.count == 3, let seq = PGInt8.decode(r[0]), let at = PGInt8.decode(r[1]),
        let body = r[2]
      else {
        throw StoreError(.badData, "\(displayURL): a row of \(table) is not a costplan record")
      }
      out.append(StoredRecord(seq: Int(seq), at: at, body: body))
    }
    return out
  }

  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    try connection.operation { () throws(StoreError) -> Int in
      let rows = try connection.run("expire", [PGInt8.encode(before)])
      own.count("DELETE")
      return Int(PGInt8.decode(rows.first?.first ?? nil) ?? 0)
    }
  }

  /// Disk the table takes with its TOAST table and indexes (pg_total_relation_size).
  public func storedBytes() throws(StoreError) -> Int? {
    try connection.operation { () throws(StoreError) -> Int? in
      let rows = try connection.run("size", [Array(table.utf8)])
      return PGInt8.decode(rows.first?[0] ?? nil).map(Int.init)
    }
  }

  public func storedRecords() throws(StoreError) -> Int? {
    try connection.operation { () throws(StoreError) -> Int? in
      let rows = try connection.run("size", [Array(table.utf8)])
      return PGInt8.decode(rows.first?[1] ?? nil).map(Int.init)
    }
  }
}
