/// `cache:INNER?entities=N` — an in-process LRU of up to N entities' full histories in front of any store,
/// as the seed's "S3 + Lambda cache" keeps one per instance. Appends write through to the inner store and
/// extend a cached history; a new entity (the inner store numbered the record 1) starts one. A load served
/// from the cache is a `cache-hit`; otherwise a `cache-miss` that loads from the inner store and caches it.
public final class CacheStore: RecordStore {
  public let inner: RecordStore
  public let capacity: Int
  private var own = StoreCounters()
  private var entries: [String: Int] = [:]  // entity → slot
  private var slots: [Slot] = []
  private var free: [Int] = []
  private var head = -1  // most recently used
  private var tail = -1

  private struct Slot {
    var entity: String
    var records: [StoredRecord]
    var prev: Int
    var next: Int
  }

  public init(inner: RecordStore, entities: Int) {
    self.inner = inner
    self.capacity = max(1, entities)
  }

  public var displayURL: String {
    let i = inner.displayURL
    return "cache:" + (i.contains("?") ? i + "&entities=\(capacity)" : i + "?entities=\(capacity)")
  }

  public var counters: StoreCounters { inner.counters + own }
  public var cachedEntities: Int { entries.count }

  @discardableResult
  public func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    let seq = try inner.append(entity: entity, body: body, at: at)
    if let slot = entries[entity] {
      let n = seq ?? ((slots[slot].records.last?.seq ?? 0) + 1)
      slots[slot].records.append(StoredRecord(seq: n, at: at, body: body))
      touch(slot)
    } else if seq == 1 {
      insert(entity, [StoredRecord(seq: 1, at: at, body: body)])
    }
    return seq
  }

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    if let slot = entries[entity] {
      own.count("cache-hit")
      touch(slot)
      let all = slots[slot].records
      return since.map { s in all.filter { $0.at >= s } } ?? all
    }
    own.count("cache-miss")
    let all = try inner.load(entity: entity, since: nil)
    if !all.isEmpty { insert(entity, all) }
    return since.map { s in all.filter { $0.at >= s } } ?? all
  }

  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    let n = try inner.expire(before: before)
    // Drop cached histories that may have lost records; the next load refills them.
    for (entity, slot) in entries where slots[slot].records.contains(where: { $0.at < before }) {
      remove(entity)
    }
    return n
  }

  public func storedBytes() throws(StoreError) -> Int? { try inner.storedBytes() }
  public func storedRecords() throws(StoreError) -> Int? { try inner.storedRecords() }

  // MARK: LRU list

  private func insert(_ entity: String, _ records: [StoredRecord]) {
    if entries.count >= capacity, tail >= 0 { remove(slots[tail].entity) }
    let s = Slot(entity: entity, records: records, prev: -1, next: head)
    let i: Int
    if let f = free.popLast() {
      slots[f] = s
      i = f
    } else {
      slots.append(s)
      i = slots.count - 1
    }
    if head >= 0 { slots[head].prev = i }
    head = i
    if tail < 0 { tail = i }
    entries[entity] = i
  }

  private func unlink(_ i: Int) {
    let p = slots[i].prev
    let n = slots[i].next
    if p >= 0 { slots[p].next = n } else { head = n }
    if n >= 0 { slots[n].prev = p } else { tail = p }
  }

  private func touch(_ i: Int) {
    guard head != i else { return }
    unlink(i)
    slots[i].prev = -1
    slots[i].next = head
    if head >= 0 { slots[head].prev = i }
    head = i
    if tail < 0 { tail = i }
  }

  private func remove(_ entity: String) {
    guard let i = entries.removeValue(forKey: entity) else { return }
    unlink(i)
    slots[i].records = []
    free.append(i)
  }
}
