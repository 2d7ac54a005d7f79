import Testing

@testable import StorageKit

struct DynamoItemTests {
  let body = [UInt8](repeating: 0x41, count: 2048)
  let at: Int64 = 1_700_000_000_000

  @Test func numberSizes() {
    // 1 byte per two significant digits (leading/trailing zeros trimmed) + 1.
    #expect(DynamoValue.n("1").size == 2)  // 1 digit → 1 + 1
    #expect(DynamoValue.n("123").size == 3)  // 3 digits → 2 + 1
    #expect(DynamoValue.n("1700000000000").size == 2)  // "17" → 1 + 1
    #expect(DynamoValue.n("0").size == 1)
    #expect(DynamoValue.n("-0012.50").size == 3)  // "125" → 2 + 1
  }

  @Test func recordItemSizeWorkedByHand() {
    // entity: 6 + 2 ("c1") = 8; seq: 3 + 2 = 5; at: 2 + 2 = 4; body: 4 + 2048 = 2052 → 2069 bytes.
    let item = DynamoLayout.recordItem(entity: "c1", seq: 1, at: at, body: body, ttlSeconds: nil)
    #expect(item.size == 2069)
    #expect(DynamoCapacity.writeUnits(itemBytes: item.size) == 3)  // ⌈2069 / 1024⌉
    // With a TTL of 1700000604 (10 significant digits → 5 + 1 = 6, name 3): 2069 + 9 = 2078.
    #expect(
      DynamoLayout.recordItem(entity: "c1", seq: 1, at: at, body: body, ttlSeconds: 1_700_000_604)
        .size == 2078)
  }

  @Test func entityItemSizeWorkedByHand() {
    // element M: 3 + (3 + 2 + 1) + (2 + 2 + 1) + (4 + 2048 + 1) = 2067; list: 3 + 2067 + 1 = 2071;
    // "records" 7 + 2071 = 2078; entity 8 → 2086.
    let e1 = DynamoLayout.listElement(seq: 1, at: at, body: body)
    #expect(e1.size == 2067)
    #expect(DynamoLayout.entityItem(entity: "c1", records: [e1], ttlSeconds: nil).size == 2086)
    let e2 = DynamoLayout.listElement(seq: 2, at: at, body: body)
    #expect(
      DynamoLayout.entityItem(entity: "c1", records: [e1, e2], ttlSeconds: nil).size == 2086 + 2067
        + 1)
  }

  @Test func readUnits() {
    // ⌈20690 / 4096⌉ = ⌈5.05⌉
    #expect(DynamoCapacity.readUnits(bytes: 20690, consistent: true) == 6)
    #expect(DynamoCapacity.readUnits(bytes: 20690, consistent: false) == 3)
    // a read that finds nothing
    #expect(DynamoCapacity.readUnits(bytes: 0, consistent: false) == 0.5)
    #expect(DynamoCapacity.writeUnits(itemBytes: 1024) == 1)
    #expect(DynamoCapacity.writeUnits(itemBytes: 1025) == 2)
  }
}
