import Foundation

/// DynamoDB's JSON protocol (1.0) as Codable types: attribute values, the request every operation DynamoStore
/// uses fills a part of, and the parts of the replies it reads. Requests are encoded with sorted keys; replies
/// are read leniently, as the store always read them: a field of the wrong shape counts as absent (an item
/// without a readable `at` is then "not a costplan record"), and only a reply that is not a JSON object is an
/// error of its own.
enum DynamoWire {
  /// An attribute value: `{"S": "…"}`, `{"N": "…"}`, `{"B": "base64"}`, `{"L": […]}`, `{"M": {…}}`, the other
  /// types DynamoDB has (costplan writes none of them), and `unknown` for anything else a reply holds.
  indirect enum Value: Codable, Equatable, Sendable {
    case s(String)
    case n(String)
    /// Binary, as the base64 text on the wire.
    case b(String)
    case l([Value])
    case m([String: Value])
    case ss([String])
    case ns([String])
    case bs([String])
    case bool(Bool)
    case null(Bool)
    /// Not an attribute value of a type DynamoDB defines; encodes as `{}`.
    case unknown

    enum CodingKeys: String, CodingKey {
      case s = "S"
      case n = "N"
      case b = "B"
      case l = "L"
      case m = "M"
      case ss = "SS"
      case ns = "NS"
      case bs = "BS"
      case bool = "BOOL"
      case null = "NULL"
    }

    init(_ v: DynamoValue) {
      switch v {
      case .s(let s): self = .s(s)
      case .n(let n): self = .n(n)
      case .b(let b): self = .b(Base64.encode(b))
      case .l(let items): self = .l(items.map(Value.init))
      case .m(let pairs): self = .m(DynamoWire.item(pairs))
      }
    }

    init(from decoder: any Decoder) throws {
      guard let c = try? decoder.container(keyedBy: CodingKeys.self), c.allKeys.count == 1,
        let key = c.allKeys.first
      else {
        self = .unknown
        return
      }
      func value<T: Decodable>(_ t: T.Type) -> T? { try? c.decode(T.self, forKey: key) }
      let decoded: Value?
      switch key {
      case .s: decoded = value(String.self).map(Value.s)
      case .n: decoded = value(String.self).map(Value.n)
      case .b: decoded = value(String.self).map(Value.b)
      case .l: decoded = value([Value].self).map(Value.l)
      case .m: decoded = value([String: Value].self).map(Value.m)
      case .ss: decoded = value([String].self).map(Value.ss)
      case .ns: decoded = value([String].self).map(Value.ns)
      case .bs: decoded = value([String].self).map(Value.bs)
      case .bool: decoded = value(Bool.self).map(Value.bool)
      case .null: decoded = value(Bool.self).map(Value.null)
      }
      self = decoded ?? .unknown
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      switch self {
      case .s(let v): try c.encode(v, forKey: .s)
      case .n(let v): try c.encode(v, forKey: .n)
      case .b(let v): try c.encode(v, forKey: .b)
      case .l(let v): try c.encode(v, forKey: .l)
      case .m(let v): try c.encode(v, forKey: .m)
      case .ss(let v): try c.encode(v, forKey: .ss)
      case .ns(let v): try c.encode(v, forKey: .ns)
      case .bs(let v): try c.encode(v, forKey: .bs)
      case .bool(let v): try c.encode(v, forKey: .bool)
      case .null(let v): try c.encode(v, forKey: .null)
      case .unknown: break
      }
    }

    var string: String? { if case .s(let v) = self { v } else { nil } }
    var number: String? { if case .n(let v) = self { v } else { nil } }
    /// The bytes of a binary value whose base64 is valid.
    var bytes: [UInt8]? {
      if case .b(let v) = self, let d = Data(base64Encoded: v) { [UInt8](d) } else { nil }
    }
    var list: [Value]? { if case .l(let v) = self { v } else { nil } }
    var map: [String: Value]? { if case .m(let v) = self { v } else { nil } }
  }

  /// An item, a key, or a map's attributes by name.
  typealias Item = [String: Value]

  /// Attributes by name; a name given twice keeps its first value.
  static func item(_ attributes: [(String, DynamoValue)]) -> Item {
    Dictionary(attributes.map { ($0.0, Value($0.1)) }, uniquingKeysWith: { a, _ in a })
  }

  struct AttributeDefinition: Encodable, Equatable {
    var attributeName: String
    var attributeType: String
    enum CodingKeys: String, CodingKey {
      case attributeName = "AttributeName"
      case attributeType = "AttributeType"
    }
  }

  struct KeySchemaElement: Encodable, Equatable {
    var attributeName: String
    var keyType: String
    enum CodingKeys: String, CodingKey {
      case attributeName = "AttributeName"
      case keyType = "KeyType"
    }
  }

  struct TimeToLiveSpecification: Encodable, Equatable {
    var enabled: Bool
    var attributeName: String
    enum CodingKeys: String, CodingKey {
      case enabled = "Enabled"
      case attributeName = "AttributeName"
    }
  }

  /// The request body of every operation the store uses; each sets the fields its operation takes, and the
  /// rest are left out of the JSON.
  struct Request: Encodable, Equatable {
    var tableName: String?
    var returnConsumedCapacity: String?
    var billingMode: String?
    var attributeDefinitions: [AttributeDefinition]?
    var keySchema: [KeySchemaElement]?
    var timeToLiveSpecification: TimeToLiveSpecification?
    var item: Item?
    var key: Item?
    var updateExpression: String?
    var conditionExpression: String?
    var keyConditionExpression: String?
    var expressionAttributeNames: [String: String]?
    var expressionAttributeValues: Item?
    var consistentRead: Bool?
    var scanIndexForward: Bool?
    var limit: Int?
    var exclusiveStartKey: Item?

    enum CodingKeys: String, CodingKey {
      case tableName = "TableName"
      case returnConsumedCapacity = "ReturnConsumedCapacity"
      case billingMode = "BillingMode"
      case attributeDefinitions = "AttributeDefinitions"
      case keySchema = "KeySchema"
      case timeToLiveSpecification = "TimeToLiveSpecification"
      case item = "Item"
      case key = "Key"
      case updateExpression = "UpdateExpression"
      case conditionExpression = "ConditionExpression"
      case keyConditionExpression = "KeyConditionExpression"
      case expressionAttributeNames = "ExpressionAttributeNames"
      case expressionAttributeValues = "ExpressionAttributeValues"
      case consistentRead = "ConsistentRead"
      case scanIndexForward = "ScanIndexForward"
      case limit = "Limit"
      case exclusiveStartKey = "ExclusiveStartKey"
    }

    /// The JSON sent: keys sorted, no whitespace.
    func json() throws -> Data {
      let e = JSONEncoder()
      e.outputFormatting = [.sortedKeys]
      return try e.encode(self)
    }
  }

  /// The parts of a reply the store reads. Each field is read on its own, and one of the wrong shape is nil.
  struct Reply: Decodable {
    var item: Item?
    var items: [Item]?
    var lastEvaluatedKey: Item?
    var capacityUnits: Double?
    var tableStatus: String?
    var timeToLiveStatus: String?
    var timeToLiveAttribute: String?

    enum CodingKeys: String, CodingKey {
      case item = "Item"
      case items = "Items"
      case lastEvaluatedKey = "LastEvaluatedKey"
      case consumedCapacity = "ConsumedCapacity"
      case table = "Table"
      case timeToLiveDescription = "TimeToLiveDescription"
    }
    enum NestedKeys: String, CodingKey {
      case capacityUnits = "CapacityUnits"
      case tableStatus = "TableStatus"
      case timeToLiveStatus = "TimeToLiveStatus"
      case attributeName = "AttributeName"
    }

    /// Throws only when the reply is not a JSON object.
    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      func field<T: Decodable>(_ t: T.Type, _ k: CodingKeys) -> T? {
        (try? c.decodeIfPresent(T.self, forKey: k)) ?? nil
      }
      func nested<T: Decodable>(_ t: T.Type, _ k: CodingKeys, _ n: NestedKeys) -> T? {
        guard let inner = try? c.nestedContainer(keyedBy: NestedKeys.self, forKey: k) else {
          return nil
        }
        return (try? inner.decodeIfPresent(T.self, forKey: n)) ?? nil
      }
      item = field(Item.self, .item)
      items = field([Item].self, .items)
      lastEvaluatedKey = field(Item.self, .lastEvaluatedKey)
      capacityUnits = nested(Double.self, .consumedCapacity, .capacityUnits)
      tableStatus = nested(String.self, .table, .tableStatus)
      timeToLiveStatus = nested(String.self, .timeToLiveDescription, .timeToLiveStatus)
      timeToLiveAttribute = nested(String.self, .timeToLiveDescription, .attributeName)
    }
  }

  /// An error reply's type and message; either may be absent (or the body not JSON at all).
  struct ErrorReply: Decodable {
    var type: String?
    var message: String?

    enum CodingKeys: String, CodingKey {
      case type = "__type"
      case message
      case capitalMessage = "Message"
    }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      func field(_ k: CodingKeys) -> String? {
        (try? c.decodeIfPresent(String.self, forKey: k)) ?? nil
      }
      type = field(.type)
      message = field(.message) ?? field(.capitalMessage)
    }
  }
}
