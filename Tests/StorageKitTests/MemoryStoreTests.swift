import Testing

@testable import StorageKit

struct MemoryStoreTests {
  let body = [UInt8](repeating: 0x41, count: 2048)
  let at: Int64 = 1_700_000_000_000

  @Test func plainAppendLoadSinceAndExpire() throws {
    let s = MemoryStore()
    #expect(try s.append(entity: "a", body: text("one"), at: 1000) == 1)
    #expect(try s.append(entity: "a", body: text("two"), at: 2000) == 2)
    #expect(try s.append(entity: "b", body: text("x"), at: 1500) == 1)
    #expect(bodies(try s.load(entity: "a", since: nil)) == ["one", "two"])
    #expect(bodies(try s.load(entity: "a", since: 1500)) == ["two"])
    #expect(try s.load(entity: "none", since: nil).isEmpty)
    #expect(try s.expire(before: 1600) == 2)  // "one" and "x", and nothing else
    #expect(try s.load(entity: "a", since: nil).map(\.seq) == [2])
    // Numbers are never reused after expiry.
    #expect(try s.append(entity: "b", body: text("y"), at: 3000) == 2)
    #expect(s.counters["append"] == 4 && s.counters["load"] == 4 && s.counters["expire"] == 2)
  }

  @Test func itemPerRecordCountsUnitsFromItemSizes() throws {
    let s = MemoryStore(dynamo: .itemPerRecord)
    for _ in 1...10 { try s.append(entity: "c1", body: body, at: at) }
    // Each item is 2069 bytes (DynamoItemTests): 3 WRU each → 30.
    #expect(s.counters.writeUnits == 30)
    #expect(s.counters["PutItem"] == 10)
    _ = try s.load(entity: "c1", since: nil)
    // Query of 10 items: 20690 bytes → ⌈20690 / 4096⌉ = 6 RRU, eventually consistent → 3.
    #expect(s.counters.readUnits == 3)
    #expect(s.counters["Query"] == 1)
    #expect(try s.storedBytes() == 20690)
  }

  @Test func itemPerEntityChargesTheGrowingItem() throws {
    let s = MemoryStore(dynamo: .itemPerEntity, consistent: true)
    try s.append(entity: "c1", body: body, at: at)
    try s.append(entity: "c1", body: body, at: at)
    // 2086 bytes → 3 WRU; then 2086 + 2067 + 1 = 4154 → ⌈4.06⌉ = 5 WRU.
    #expect(s.counters.writeUnits == 8)
    #expect(s.counters["UpdateItem"] == 2)
    _ = try s.load(entity: "c1", since: nil)
    // GetItem of 4154 bytes, strongly consistent: ⌈4154 / 4096⌉ = 2
    #expect(s.counters.readUnits == 2)
    #expect(try s.storedBytes() == 4154)
    // TTL removes the whole item once its newest record is past retention, not before.
    #expect(try s.expire(before: at) == 0)
    #expect(try s.expire(before: at + 1) == 2)
  }

  @Test func itemPerEntityRefusesAnItemOver400KB() throws {
    let s = MemoryStore(dynamo: .itemPerEntity)
    var refused = false
    for _ in 1...300 {
      do { try s.append(entity: "big", body: body, at: at) } catch {
        refused = error.code == .recordRefused
        break
      }
    }
    #expect(refused)
    // 2086 + 197 × 2068 = 409,482, plus 1 byte for each seq with three significant digits (101…198 not
    // ending in 0: 89 of them) = 409,571 bytes for 198 records; a 199th element (2068 bytes) passes 409,600.
    #expect(try s.load(entity: "big", since: nil).count == 198)
  }

  @Test func hostileEntityIdsRoundTrip() throws {
    let s = MemoryStore()
    for (i, e) in hostileEntities.enumerated() {
      try s.append(entity: e, body: text("r\(i)"), at: 1)
    }
    for (i, e) in hostileEntities.enumerated() {
      #expect(bodies(try s.load(entity: e, since: nil)) == ["r\(i)"])
    }
  }
}
