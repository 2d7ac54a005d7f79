/// `memory:` — records in dictionaries. With `layout=item-per-record|item-per-entity` it also builds the
/// DynamoDB items each operation would write or read and counts request units from their sizes
/// (`consistent=true` for strongly consistent reads, `ttlDays=N` to add the TTL attribute), so
/// `costplan validate` can check docs/model.md §3.2 without a server.
public final class MemoryStore: RecordStore {
  public let displayURL: String
  public private(set) var counters = StoreCounters()
  let dynamo: DynamoLayout?
  let consistent: Bool
  let ttlMillis: Int64?
  private var records: [String: [StoredRecord]] = [:]
  /// Numbers are never reused, even after expiry.
  private var lastSeq: [String: Int] = [:]
  /// Billed size of each entity's item (item-per-entity), or of each record's item (item-per-record).
  private var entityItemBytes: [String: Int] = [:]
  private var recordItemBytes: [String: [Int]] = [:]

  public init(dynamo: DynamoLayout? = nil, consistent: Bool = false, ttlDays: Int? = nil) {
    self.dynamo = dynamo
    self.consistent = consistent
    self.ttlMillis = ttlDays.map { Int64($0) * 86_400_000 }
    var url = "memory:"
    var q: [String] = []
    if let d = dynamo { q.append("layout=\(d.rawValue)") }
    if consistent { q.append("consistent=true") }
    if let t = ttlDays { q.append("ttlDays=\(t)") }
    if !q.isEmpty { url += "?" + q.joined(separator: "&") }
    displayURL = url
  }

  convenience init(url: BackendURL) throws(StoreError) {
    try url.allow(["layout", "consistent", "ttlDays"])
    let layout =
      url.value("layout") == nil
      ? nil
      : DynamoLayout(
        rawValue: try url.choice("layout", DynamoLayout.allCases.map(\.rawValue), default: ""))
    let ttl =
      url.value("ttlDays") == nil ? nil : try url.integer("ttlDays", default: 0, range: 1...36500)
    self.init(dynamo: layout, consistent: try url.bool("consistent", default: false), ttlDays: ttl)
  }

  private func ttlSeconds(_ at: Int64) -> Int64? { ttlMillis.map { (at + $0) / 1000 } }

  @discardableResult
  public func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try EntityId.check(entity)
    let seq = (lastSeq[entity] ?? 0) + 1
    switch dynamo {
    case nil:
      counters.count("append")
      counters.bytesSent += body.count
    case .itemPerRecord:
      let item = DynamoLayout.recordItem(
        entity: entity, seq: seq, at: at, body: body, ttlSeconds: ttlSeconds(at))
      guard item.size <= DynamoItem.maxSize else {
        throw StoreError(
          .recordRefused, "item of \(item.size) bytes is over DynamoDB's 400 KB item limit")
      }
      counters.count("PutItem")
      counters.writeUnits += DynamoCapacity.writeUnits(itemBytes: item.size)
      counters.bytesSent += item.size
      recordItemBytes[entity, default: []].append(item.size)
    case .itemPerEntity:
      // UpdateItem SET records = list_append(if_not_exists(records, :empty), :new), ttl = :ttl
      let before = entityItemBytes[entity] ?? 0
      let element = DynamoLayout.listElement(seq: seq, at: at, body: body)
      let after: Int
      if before == 0 {
        after =
          DynamoLayout.entityItem(entity: entity, records: [element], ttlSeconds: ttlSeconds(at))
          .size
      } else {
        // The list grows by the element and its 1-byte element overhead; the TTL number may change length.
        let oldTTL =
          ttlSeconds(records[entity]!.last!.at).map { DynamoValue.n(String($0)).size } ?? 0
        let newTTL = ttlSeconds(at).map { DynamoValue.n(String($0)).size } ?? 0
        after = before + element.size + 1 + newTTL - oldTTL
      }
      guard after <= DynamoItem.maxSize else {
        throw StoreError(
          .recordRefused,
          "entity item would grow to \(after) bytes, over DynamoDB's 400 KB item limit")
      }
      counters.count("UpdateItem")
      counters.writeUnits += DynamoCapacity.writeUnits(itemBytes: max(before, after))
      counters.bytesSent += element.size
      entityItemBytes[entity] = after
    }
    records[entity, default: []].append(StoredRecord(seq: seq, at: at, body: body))
    lastSeq[entity] = seq
    return seq
  }

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try EntityId.check(entity)
    let all = records[entity] ?? []
    let out = since.map { s in all.filter { $0.at >= s } } ?? all
    switch dynamo {
    case nil:
      counters.count("load")
      counters.bytesReceived += out.reduce(0) { $0 + $1.body.count }
    case .itemPerRecord:
      // Query on the partition key (sort key condition for `since`): the items returned, summed, in 4 KB units.
      let sizes = recordItemBytes[entity] ?? []
      var bytes = 0
      for (r, size) in zip(all, sizes) where since == nil || r.at >= since! { bytes += size }
      counters.count("Query")
      counters.readUnits += DynamoCapacity.readUnits(bytes: bytes, consistent: consistent)
      counters.bytesReceived += bytes
    case .itemPerEntity:
      // GetItem of the whole item: filtering happens in the client.
      let bytes = entityItemBytes[entity] ?? 0
      counters.count("GetItem")
      counters.readUnits += DynamoCapacity.readUnits(bytes: bytes, consistent: consistent)
      counters.bytesReceived += bytes
    }
    return out
  }

  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    var removed = 0
    for (entity, list) in records {
      if dynamo == .itemPerEntity {
        // One item per entity: TTL removes the item once its newest record is past retention.
        if let last = list.last, last.at < before {
          removed += list.count
          records[entity] = nil
          entityItemBytes[entity] = nil
        }
        continue
      }
      let keep = list.filter { $0.at >= before }
      guard keep.count != list.count else { continue }
      removed += list.count - keep.count
      if let sizes = recordItemBytes[entity] {
        recordItemBytes[entity] = zip(list, sizes).filter { $0.0.at >= before }.map(\.1)
      }
      records[entity] = keep.isEmpty ? nil : keep
      if keep.isEmpty { recordItemBytes[entity] = nil }
    }
    if removed > 0 { counters.count("expire", removed) }
    return removed
  }

  public func storedBytes() throws(StoreError) -> Int? {
    switch dynamo {
    case nil: return records.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.body.count } }
    case .itemPerRecord: return recordItemBytes.values.reduce(0) { $0 + $1.reduce(0, +) }
    case .itemPerEntity: return entityItemBytes.values.reduce(0, +)
    }
  }

  public func storedRecords() throws(StoreError) -> Int? {
    records.values.reduce(0) { $0 + $1.count }
  }
}
