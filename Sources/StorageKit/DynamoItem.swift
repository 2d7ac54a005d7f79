/// A DynamoDB attribute value, enough to build the items the reference store writes and size them the way
/// DynamoDB bills them (DynamoDB DG "Item sizes": String = UTF-8 bytes; Number ≈ 1 byte per 2 significant
/// digits + 1; Binary = raw bytes; List/Map = elements + 3 bytes, + 1 byte per element; plus every attribute
/// name's UTF-8 length).
public indirect enum DynamoValue: Sendable, Equatable {
  case s(String)
  case n(String)
  case b([UInt8])
  case l([DynamoValue])
  case m([(String, DynamoValue)])

  public static func == (a: DynamoValue, b: DynamoValue) -> Bool {
    switch (a, b) {
    case (.s(let x), .s(let y)), (.n(let x), .n(let y)): return x == y
    case (.b(let x), .b(let y)): return x == y
    case (.l(let x), .l(let y)): return x == y
    case (.m(let x), .m(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The value's billed size, without its attribute name.
  public var size: Int {
    switch self {
    case .s(let t): return t.utf8.count
    case .n(let t): return DynamoValue.numberSize(t)
    case .b(let bytes): return bytes.count
    case .l(let items): return 3 + items.reduce(0) { $0 + $1.size + 1 }
    case .m(let pairs): return 3 + pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.size + 1 }
    }
  }

  /// 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1.
  static func numberSize(_ text: String) -> Int {
    var digits = Array(text.utf8.filter { $0 >= 48 && $0 <= 57 })
    while digits.first == 48 { digits.removeFirst() }
    while digits.last == 48 { digits.removeLast() }
    return (digits.count + 1) / 2 + 1
  }
}

/// An item: attribute names and values.
public struct DynamoItem: Sendable, Equatable {
  public var attributes: [(String, DynamoValue)]

  public init(_ attributes: [(String, DynamoValue)]) { self.attributes = attributes }

  public static func == (a: DynamoItem, b: DynamoItem) -> Bool {
    DynamoValue.m(a.attributes) == DynamoValue.m(b.attributes)
  }

  /// "The sum of the lengths of its attribute names and values."
  public var size: Int { attributes.reduce(0) { $0 + $1.0.utf8.count + $1.1.size } }

  public subscript(_ name: String) -> DynamoValue? { attributes.first(where: { $0.0 == name })?.1 }

  public static let maxSize = 409_600
}

/// DynamoDB's capacity-unit rules (aws-pricing-facts §1, docs/model.md §3.2).
public enum DynamoCapacity {
  /// 1 WRU per 1 KB, rounded up per item; an update is charged on the larger of the item before and after.
  public static func writeUnits(itemBytes: Int) -> Double {
    Double(max(1, (itemBytes + 1023) / 1024))
  }
  /// One read of `bytes` in total (a GetItem, or a Query's items summed): 1 RRU per 4 KB rounded up, at least 1
  /// (a read that finds nothing still costs one); half when eventually consistent.
  public static func readUnits(bytes: Int, consistent: Bool) -> Double {
    let units = Double(max(1, (bytes + 4095) / 4096))
    return consistent ? units : units / 2
  }
}

/// The items the reference store writes for each DynamoDB layout (docs/model.md §3.2): partition key `entity`,
/// sort key `seq`, the append time `at` (ms), the record `body` (Binary), and `ttl` (epoch seconds) when the
/// table has a retention.
public enum DynamoLayout: String, Sendable, CaseIterable {
  case itemPerRecord = "item-per-record"
  case itemPerEntity = "item-per-entity"

  public static func recordItem(
    entity: String, seq: Int, at: Int64, body: [UInt8], ttlSeconds: Int64?
  ) -> DynamoItem {
    var a: [(String, DynamoValue)] = [
      ("entity", .s(entity)), ("seq", .n(String(seq))), ("at", .n(String(at))), ("body", .b(body)),
    ]
    if let ttl = ttlSeconds { a.append(("ttl", .n(String(ttl)))) }
    return DynamoItem(a)
  }

  /// One element of the entity item's `records` list (what `list_append` adds).
  public static func listElement(seq: Int, at: Int64, body: [UInt8]) -> DynamoValue {
    .m([("seq", .n(String(seq))), ("at", .n(String(at))), ("body", .b(body))])
  }

  public static func entityItem(entity: String, records: [DynamoValue], ttlSeconds: Int64?)
    -> DynamoItem
  {
    var a: [(String, DynamoValue)] = [("entity", .s(entity)), ("records", .l(records))]
    if let ttl = ttlSeconds { a.append(("ttl", .n(String(ttl)))) }
    return DynamoItem(a)
  }
}
