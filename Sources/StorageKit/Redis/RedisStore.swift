import Foundation

/// `redis://[user:password@]HOST:PORT/DB?ttlDays=N&timeout=S&prefix=P&maxLoadBytes=B&maxLoadItems=N` —
/// ElastiCache (Redis OSS / Valkey) as the seed would use it: one list per entity, an append is RPUSH + EXPIRE
/// pipelined in one round trip, a load is LRANGE (of at most maxLoadItems + 1 elements, so a longer list is
/// refused, not read). A list element is the record's time (8 bytes, big-endian milliseconds) followed by its
/// body. Every method is one operation under one `timeout=`: an expiry or a size query walks all the store's keys
/// within it.
public final class RedisStore: RecordStore {
  public let client: RedisClient
  public let displayURL: String
  public let prefix: [UInt8]
  public let ttlSeconds: Int?
  public let limits: LoadLimits
  private var own = StoreCounters()
  /// The arguments every append and load sends, as bytes once.
  private let ttlArgument: [UInt8]?
  private let lastIndexArgument: [UInt8]
  private static let rpush = Array("RPUSH".utf8)
  private static let expire = Array("EXPIRE".utf8)
  private static let lrange = Array("LRANGE".utf8)
  private static let zero = Array("0".utf8)

  public convenience init(url text: String) throws(StoreError) {
    let url = try NetworkURL(text, defaultPort: 6379)
    try url.allow(["ttlDays", "timeout", "prefix"] + LoadLimits.parameters)
    let dbText = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
    guard dbText.isEmpty || (Int(dbText).map { $0 >= 0 && $0 < 1 << 16 } ?? false) else {
      throw StoreError(
        .badURL, "backend URL '\(url.display)': database '\(dbText)' is not a number")
    }
    let ttl = try url.number("ttlDays", default: 7, range: 0...36500)
    let timeout = try url.number("timeout", default: 5, range: 0.01...3600)
    let limits = try LoadLimits(url: url)
    let client = try RedisClient(
      host: url.host, port: url.port, db: Int(dbText) ?? 0, user: url.user,
      password: url.password ?? ProcessInfo.processInfo.environment["REDISCLI_AUTH"],
      timeoutSeconds: timeout)
    self.init(
      client: client, displayURL: url.display, prefix: url.value("prefix") ?? "costplan:",
      ttlSeconds: ttl == 0 ? nil : Int((ttl * 86400).rounded(.up)), limits: limits)
  }

  public init(
    client: RedisClient, displayURL: String, prefix: String, ttlSeconds: Int?,
    limits: LoadLimits = LoadLimits()
  ) {
    self.client = client
    self.displayURL = displayURL
    self.prefix = Array(prefix.utf8)
    self.ttlSeconds = ttlSeconds
    self.limits = limits
    ttlArgument = ttlSeconds.map { Array(String($0).utf8) }
    lastIndexArgument = Array(String(limits.maxItems).utf8)
  }

  public var counters: StoreCounters {
    var c = own
    for (k, v) in client.commands { c.count(k, v) }
    c.bytesSent = client.bytesSent
    c.bytesReceived = client.bytesReceived
    return c
  }

  func key(_ entity: String) -> [UInt8] { prefix + Array(entity.utf8) }

  static func encode(at: Int64, body: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(8 + body.count)
    for i in 0..<8 {
      out.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: at) >> UInt64(56 - 8 * i)))
    }
    out.append(contentsOf: body)
    return out
  }

  static func decodeAt(_ b: [UInt8]) -> Int64 {
    var v: UInt64 = 0
    for i in 0..<8 { v = v << 8 | UInt64(b[i]) }
    return Int64(bitPattern: v)
  }

  func unexpected(_ what: String, _ v: RESPValue) -> StoreError {
    if case .error(let e) = v {
      // NOAUTH / WRONGPASS / NOPERM: the server refuses the credentials, like a wrong password at connect.
      return StoreError(
        e.refusesCredentials ? .credentialsRefused : .badData, "\(displayURL): \(what): \(e)",
        underlying: e)
    }
    return StoreError(.badData, "\(displayURL): \(what): unexpected reply \(v)")
  }

  @discardableResult
  public func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try client.operation { () throws(StoreError) -> Int? in
      try appendNow(entity: entity, body: body, at: at)
    }
  }

  private func appendNow(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try EntityId.check(entity)
    let k = key(entity)
    var cmds: [[[UInt8]]] = [[Self.rpush, k, Self.encode(at: at, body: body)]]
    if let ttl = ttlArgument { cmds.append([Self.expire, k, ttl]) }
    let replies = try client.pipeline(cmds)
    guard case .integer(let n) = replies[0] else { throw unexpected("RPUSH", replies[0]) }
    if replies.count > 1, case .error = replies[1] { throw unexpected("EXPIRE", replies[1]) }
    return Int(n)
  }

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try client.operation { () throws(StoreError) -> [StoredRecord] in
      try loadNow(entity: entity, since: since)
    }
  }

  private func loadNow(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try EntityId.check(entity)
    // At most maxItems + 1 elements: one more than allowed says the list is too long, without reading it all.
    let r = try client.pipeline(
      [
        [Self.lrange, key(entity), Self.zero, lastIndexArgument]
      ], limits: limits)[0]
    guard case .array(let items?) = r else { throw unexpected("LRANGE", r) }
    var out: [StoredRecord] = []
    out.reserveCapacity(items.count)
    for (i, item) in items.enumerated() {
      guard case .bulk(let b?) = item, b.count >= 8 else {
        throw StoreError(
          .badData, "\(displayURL): list element \(i) of this entity is not a costplan record")
      }
      let at = Self.decodeAt(b)
      if let s = since, at < s { continue }
      out.append(StoredRecord(seq: i + 1, at: at, body: Array(b[8...])))
    }
    return out
  }

  /// Every key of this store (SCAN with the prefix).
  func keys() throws(StoreError) -> [[UInt8]] {
    var cursor = "0"
    var out: [[UInt8]] = []
    let pattern =
      prefix.flatMap { c -> [UInt8] in [42, 63, 91, 93, 92].contains(c) ? [92, c] : [c] } + [42]
    repeat {
      let r = try client.call([
        Array("SCAN".utf8), Array(cursor.utf8), Array("MATCH".utf8), pattern, Array("COUNT".utf8),
        Array("1000".utf8),
      ])
      guard case .array(let parts?) = r, parts.count == 2, case .bulk(let c?) = parts[0],
        case .array(let ks?) = parts[1]
      else { throw unexpected("SCAN", r) }
      cursor = String(decoding: c, as: UTF8.self)
      for k in ks { if case .bulk(let b?) = k { out.append(b) } }
    } while cursor != "0"
    return out
  }

  /// Redis expires each list itself (EXPIRE on every append); this removes, now, every list whose newest record
  /// is older than `before`, as a sweep would.
  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    try client.operation { () throws(StoreError) -> Int in try expireNow(before: before) }
  }

  private func expireNow(before: Int64) throws(StoreError) -> Int {
    var removed = 0
    for k in try keys() {
      let last = try client.call([Array("LINDEX".utf8), k, Array("-1".utf8)])
      guard case .bulk(let b?) = last, b.count >= 8, Self.decodeAt(b) < before else { continue }
      let n = try client.call([Array("LLEN".utf8), k])
      _ = try client.call([Array("DEL".utf8), k])
      if case .integer(let c) = n { removed += Int(c) }
    }
    if removed > 0 { own.count("expire", removed) }
    return removed
  }

  /// Memory the server reports for the store's lists (MEMORY USAGE, all samples).
  public func storedBytes() throws(StoreError) -> Int? {
    try client.operation { () throws(StoreError) -> Int? in
      var total = 0
      for k in try keys() {
        let r = try client.call([
          Array("MEMORY".utf8), Array("USAGE".utf8), k, Array("SAMPLES".utf8), Array("0".utf8),
        ])
        if case .integer(let n) = r { total += Int(n) }
      }
      return total
    }
  }

  public func storedRecords() throws(StoreError) -> Int? {
    try client.operation { () throws(StoreError) -> Int? in
      var total = 0
      for k in try keys() {
        if case .integer(let n) = try client.call([Array("LLEN".utf8), k]) { total += Int(n) }
      }
      return total
    }
  }

  /// The server's whole memory in use (`INFO memory`, used_memory), in one operation; nil when the reply has none.
  public func usedMemory() throws(StoreError) -> Int? {
    try client.operation { () throws(StoreError) -> Int? in
      let r = try client.call("INFO", "memory")
      guard case .bulk(let b?) = r else { throw unexpected("INFO memory", r) }
      for line in String(decoding: b, as: UTF8.self).split(whereSeparator: \.isNewline)
      where line.hasPrefix("used_memory:") {
        return Int(line.dropFirst("used_memory:".count))
      }
      return nil
    }
  }
}
