import Testing

@testable import StorageKit

struct CacheStoreTests {
  @Test func lruHitsMissesAndEviction() throws {
    let c = CacheStore(inner: MemoryStore(), entities: 2)
    try c.append(entity: "a", body: text("a1"), at: 1)  // new entity: cached
    try c.append(entity: "b", body: text("b1"), at: 1)
    try c.append(entity: "c", body: text("c1"), at: 1)  // evicts a (least recently used)
    #expect(c.cachedEntities == 2)
    #expect(bodies(try c.load(entity: "c", since: nil)) == ["c1"])  // hit
    #expect(bodies(try c.load(entity: "a", since: nil)) == ["a1"])  // miss, refills a, evicts b
    #expect(bodies(try c.load(entity: "b", since: nil)) == ["b1"])  // miss
    try c.append(entity: "b", body: text("b2"), at: 2)  // write-through extends the cached history
    #expect(bodies(try c.load(entity: "b", since: nil)) == ["b1", "b2"])  // hit
    #expect(c.counters["cache-hit"] == 2 && c.counters["cache-miss"] == 2)
    // the inner store saw only the misses
    #expect(c.counters["load"] == 2 && c.counters["append"] == 4)
  }

  @Test func anEntityNotCachedIsNotStartedFromAPartialHistory() throws {
    let inner = MemoryStore()
    try inner.append(entity: "a", body: text("a1"), at: 1)
    let c = CacheStore(inner: inner, entities: 10)
    // seq 2: the cache does not know a1, so it caches nothing
    try c.append(entity: "a", body: text("a2"), at: 2)
    // the seed's bug would return ["a2"]
    #expect(bodies(try c.load(entity: "a", since: nil)) == ["a1", "a2"])
    #expect(c.counters["cache-miss"] == 1)
  }

  @Test func expiryDropsCachedHistoriesThatLostRecords() throws {
    let c = CacheStore(inner: MemoryStore(), entities: 10)
    try c.append(entity: "a", body: text("a1"), at: 1)
    try c.append(entity: "a", body: text("a2"), at: 10)
    #expect(try c.expire(before: 5) == 1)
    #expect(bodies(try c.load(entity: "a", since: nil)) == ["a2"])
    #expect(c.counters["cache-miss"] == 1)
  }

  @Test func urlsOpenTheRightBackends() throws {
    let dir = TempDir()
    let s = try Backends.open("cache:file:\(dir.path)?layout=object-per-record&entities=5")
    let c = try #require(s as? CacheStore)
    #expect(c.capacity == 5)
    #expect((c.inner as? FileStore)?.layout == .objectPerRecord)
    #expect(try Backends.open("cache:?entities=3").displayURL == "cache:memory:?entities=3")
    #expect(
      (try Backends.open("memory:?layout=item-per-entity") as? MemoryStore)?.dynamo
        == .itemPerEntity)
    for bad in [
      "nope", "ftp://x", "memory:/x", "memory:?colour=red", "file:", "file:x?layout=sideways",
      "cache:?entities=0",
      "cache:cache:?entities=2", "memory:?layout=item-per-record&layout=item-per-entity",
      "memory:?novalue",
    ] {
      #expect(throws: StoreError.self, "\(bad)") { try Backends.open(bad) }
    }
  }
}
