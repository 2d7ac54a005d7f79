import Foundation
import Testing

@testable import StorageKit

/// The JSON DynamoStore sends, byte for byte, for every operation it uses, against a fake DynamoDB that records
/// the requests and answers from a script; and how it reads the replies.
@Suite(.serialized)
struct DynamoWireTests {
  final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [(operation: String, body: String)] = []
    private var replies: [String: [(status: Int, body: String)]]

    init(_ replies: [String: [(Int, String)]]) {
      self.replies = replies.mapValues { $0.map { $0 } }
    }

    var requests: [(operation: String, body: String)] {
      lock.lock()
      defer { lock.unlock() }
      return _requests
    }

    /// Records the request; the next scripted reply for its operation (the last one again once they run out).
    func answer(_ operation: String, _ body: String) -> (status: Int, body: String) {
      lock.lock()
      defer { lock.unlock() }
      _requests.append((operation, body))
      guard var queue = replies[operation], !queue.isEmpty else { return (200, "{}") }
      let r = queue.count > 1 ? queue.removeFirst() : queue[0]
      replies[operation] = queue
      return r
    }
  }

  /// A fake DynamoDB endpoint over kept-alive HTTP/1.1 connections.
  static func server(_ recorder: Recorder) throws -> ScriptedServer {
    try ScriptedServer { p in
      while true {
        var end: Int?
        while end == nil {
          if let r = p.received.firstRange(of: Array("\r\n\r\n".utf8)) {
            end = r.upperBound
          } else if !p.read(atLeast: p.received.count + 1) {
            return
          }
        }
        let head = String(decoding: p.take(end!), as: UTF8.self)
        var length = 0
        var operation = ""
        for line in head.split(separator: "\r\n") {
          let parts = line.split(separator: ":", maxSplits: 1).map {
            $0.trimmingCharacters(in: .whitespaces)
          }
          guard parts.count == 2 else { continue }
          if parts[0].lowercased() == "content-length" { length = Int(parts[1]) ?? 0 }
          if parts[0].lowercased() == "x-amz-target" {
            operation = String(parts[1].split(separator: ".").last ?? "")
          }
        }
        guard p.read(atLeast: length) else { return }
        let body = String(decoding: p.take(length), as: UTF8.self)
        let (status, reply) = recorder.answer(operation, body)
        let bytes = Array(reply.utf8)
        guard
          p.send(
            Array(
              "HTTP/1.1 \(status) X\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: \(bytes.count)\r\n\r\n"
                .utf8) + bytes)
        else { return }
      }
    }
  }

  static let entity = "a/\"é\u{0}\u{1f}\\🎉\u{2028}"
  static let notFound =
    #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#

  @Test func itemPerRecordRequestsAreByteForByteTheSame() throws {
    let b64 = Base64.encode(Array("r1".utf8))
    let recorder = Recorder([
      "DescribeTable": [(400, Self.notFound), (200, #"{"Table":{"TableStatus":"ACTIVE"}}"#)],
      "PutItem": [(200, #"{"ConsumedCapacity":{"CapacityUnits":1.0,"TableName":"t-wire"}}"#)],
      "Query": [
        (
          200,
          #"{"Count":1,"Items":[{"entity":{"S":"e"},"seq":{"N":"1"},"at":{"N":"5"},"body":{"B":"\#(b64)"}}],"LastEvaluatedKey":{"entity":{"S":"e"},"seq":{"N":"1"}},"ConsumedCapacity":{"CapacityUnits":0.5}}"#
        ),
        (200, #"{"Count":0,"Items":[],"ConsumedCapacity":{"CapacityUnits":0.5}}"#),
      ],
      "Scan": [
        (
          200,
          #"{"Items":[{"entity":{"S":"e"},"seq":{"N":"1"},"at":{"N":"5"},"body":{"B":"\#(b64)"},"ttl":{"N":"604800"}}]}"#
        )
      ],
      "DescribeTimeToLive": [
        (
          200,
          #"{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"ttl"}}"#
        )
      ],
    ])
    let server = try Self.server(recorder)
    defer { server.stop() }
    let s = try DynamoStore(
      table: "t-wire", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .itemPerRecord, create: true, ttlDays: 7, consistent: true,
      credentials: testCredentials, timeoutSeconds: 5)
    #expect(try s.append(entity: Self.entity, body: Array("r1".utf8), at: 5) == 1)
    let loaded = try s.load(entity: "e", since: nil)
    #expect(loaded == [StoredRecord(seq: 1, at: 5, body: Array("r1".utf8))])
    #expect(s.serverWriteUnits == 1 && s.serverReadUnits == 1)
    #expect(try s.storedRecords() == 1)
    #expect(try s.expire(before: 6) == 1)
    let ttl = try s.timeToLive()
    #expect(ttl.status == "ENABLED" && ttl.attribute == "ttl")
    let sent = recorder.requests.map { "\($0.operation) \($0.body)" }
    let expected = [
      #"DescribeTable {"TableName":"t-wire"}"#,
      #"CreateTable {"AttributeDefinitions":[{"AttributeName":"entity","AttributeType":"S"},{"AttributeName":"seq","AttributeType":"N"}],"BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"entity","KeyType":"HASH"},{"AttributeName":"seq","KeyType":"RANGE"}],"TableName":"t-wire"}"#,
      #"DescribeTable {"TableName":"t-wire"}"#,
      #"UpdateTimeToLive {"TableName":"t-wire","TimeToLiveSpecification":{"AttributeName":"ttl","Enabled":true}}"#,
      ##"PutItem {"ConditionExpression":"attribute_not_exists(#s)","ExpressionAttributeNames":{"#s":"seq"},"Item":{"at":{"N":"5"},"body":{"B":"cjE="},"entity":{"S":"a\/\"é\u0000\u001f\\🎉\##u{2028}"},"seq":{"N":"1"},"ttl":{"N":"604800"}},"ReturnConsumedCapacity":"TOTAL","TableName":"t-wire"}"##,
      ##"Query {"ConsistentRead":true,"ExpressionAttributeNames":{"#e":"entity"},"ExpressionAttributeValues":{":e":{"S":"e"}},"KeyConditionExpression":"#e = :e","ReturnConsumedCapacity":"TOTAL","TableName":"t-wire"}"##,
      ##"Query {"ConsistentRead":true,"ExclusiveStartKey":{"entity":{"S":"e"},"seq":{"N":"1"}},"ExpressionAttributeNames":{"#e":"entity"},"ExpressionAttributeValues":{":e":{"S":"e"}},"KeyConditionExpression":"#e = :e","ReturnConsumedCapacity":"TOTAL","TableName":"t-wire"}"##,
      #"Scan {"ConsistentRead":true,"TableName":"t-wire"}"#,
      #"Scan {"ConsistentRead":true,"TableName":"t-wire"}"#,
      #"DeleteItem {"Key":{"entity":{"S":"e"},"seq":{"N":"1"}},"TableName":"t-wire"}"#,
      #"DescribeTimeToLive {"TableName":"t-wire"}"#,
    ]
    #expect(sent.count == expected.count)
    for (a, b) in zip(sent, expected) { #expect(a == b) }
  }

  @Test func itemPerEntityRequestsAreByteForByteTheSame() throws {
    let b64 = Base64.encode(Array("r1".utf8))
    let item =
      #"{"entity":{"S":"e"},"records":{"L":[{"M":{"seq":{"N":"1"},"at":{"N":"5"},"body":{"B":"\#(b64)"}}}]},"ttl":{"N":"604800"}}"#
    let recorder = Recorder([
      "DescribeTable": [(200, #"{"Table":{"TableStatus":"ACTIVE"}}"#)],
      "UpdateTimeToLive": [
        (
          400,
          #"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"TimeToLive is already enabled"}"#
        )
      ],
      "DescribeTimeToLive": [
        (200, #"{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"ttl"}}"#)
      ],
      "UpdateItem": [(200, #"{"ConsumedCapacity":{"CapacityUnits":1}}"#)],
      "GetItem": [(200, #"{"Item":\#(item),"ConsumedCapacity":{"CapacityUnits":0.5}}"#)],
    ])
    let server = try Self.server(recorder)
    defer { server.stop() }
    let s = try DynamoStore(
      table: "t-wire", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .itemPerEntity, create: true, ttlDays: 7,
      credentials: testCredentials, timeoutSeconds: 5)
    #expect(try s.append(entity: Self.entity, body: Array("r1".utf8), at: 5) == 1)
    #expect(try s.append(entity: Self.entity, body: Array("r2".utf8), at: 6) == 2)
    #expect(
      try s.load(entity: "e", since: nil) == [StoredRecord(seq: 1, at: 5, body: Array("r1".utf8))])
    #expect(s.serverWriteUnits == 2 && s.serverReadUnits == 0.5)
    let sent = recorder.requests.map { "\($0.operation) \($0.body)" }
    let expected = [
      #"DescribeTable {"TableName":"t-wire"}"#,
      #"UpdateTimeToLive {"TableName":"t-wire","TimeToLiveSpecification":{"AttributeName":"ttl","Enabled":true}}"#,
      // Refused with a ValidationException: whether TTL is on already is asked, not read from the message's words.
      #"DescribeTimeToLive {"TableName":"t-wire"}"#,
      ##"UpdateItem {"ConditionExpression":"attribute_not_exists(#e)","ExpressionAttributeNames":{"#e":"entity","#r":"records","#t":"ttl"},"ExpressionAttributeValues":{":empty":{"L":[]},":new":{"L":[{"M":{"at":{"N":"5"},"body":{"B":"cjE="},"seq":{"N":"1"}}}]},":ttl":{"N":"604800"}},"Key":{"entity":{"S":"a\/\"é\u0000\u001f\\🎉\##u{2028}"}},"ReturnConsumedCapacity":"TOTAL","TableName":"t-wire","UpdateExpression":"SET #r = list_append(if_not_exists(#r, :empty), :new), #t = :ttl"}"##,
      ##"UpdateItem {"ConditionExpression":"size(#r) = :n","ExpressionAttributeNames":{"#r":"records","#t":"ttl"},"ExpressionAttributeValues":{":empty":{"L":[]},":n":{"N":"1"},":new":{"L":[{"M":{"at":{"N":"6"},"body":{"B":"cjI="},"seq":{"N":"2"}}}]},":ttl":{"N":"604800"}},"Key":{"entity":{"S":"a\/\"é\u0000\u001f\\🎉\##u{2028}"}},"ReturnConsumedCapacity":"TOTAL","TableName":"t-wire","UpdateExpression":"SET #r = list_append(if_not_exists(#r, :empty), :new), #t = :ttl"}"##,
      #"GetItem {"ConsistentRead":false,"Key":{"entity":{"S":"e"}},"ReturnConsumedCapacity":"TOTAL","TableName":"t-wire"}"#,
    ]
    #expect(sent.count == expected.count)
    for (a, b) in zip(sent, expected) { #expect(a == b) }
  }

  @Test func anErrorTypeIsWhatFollowsItsLastHashWhateverItStartsWith() throws {
    // Found by the dynamo fuzz target: the type was split on '#' by Character, and a '#' followed by a combining
    // mark is another Character, so the service's prefix stayed in the code.
    func code(_ type: String) throws -> String {
      let body = try JSONEncoder().encode(["__type": type, "message": "m"])
      return DynamoStore.decodeError(HTTPResponse(status: 400, headers: [], body: [UInt8](body)))
        .code
    }
    #expect(try code("com.amazonaws.dynamodb.v20120810#\u{074A}X") == "\u{074A}X")
    #expect(
      try code("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")
        == "ResourceNotFoundException")
    #expect(try code("ThrottlingException") == "ThrottlingException")
  }

  @Test func aRecordTimeAtTheEndOfInt64FromTheServerIsNotATrap() throws {
    // With ttlDays, the append after a load computed the last record's ttl as (at + retention) / 1000: a trap
    // for a time near Int64.max in the server's reply (found reading the store for the dynamo fuzz target).
    let b64 = Base64.encode(Array("r1".utf8))
    let item =
      #"{"entity":{"S":"e"},"records":{"L":[{"M":{"seq":{"N":"1"},"at":{"N":"9223372036854775807"},"body":{"B":"\#(b64)"}}}]}}"#
    let recorder = Recorder([
      "DescribeTable": [(200, #"{"Table":{"TableStatus":"ACTIVE"}}"#)],
      "GetItem": [(200, #"{"Item":\#(item)}"#)],
    ])
    let server = try Self.server(recorder)
    defer { server.stop() }
    let s = try DynamoStore(
      table: "t-wire", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .itemPerEntity, create: true, ttlDays: 7, credentials: testCredentials,
      timeoutSeconds: 5)
    #expect(try s.load(entity: "e", since: nil).map(\.at) == [Int64.max])
    #expect(try s.append(entity: "e", body: Array("r2".utf8), at: 6) == 2)
  }

  @Test func repliesThatAreNotCostplanRecordsOrNotJSONAreErrors() throws {
    let recorder = Recorder([
      "DescribeTable": [(200, #"{"Table":{"TableStatus":"ACTIVE"}}"#)],
      "GetItem": [
        (200, #"{"Item":{"entity":{"S":"e"},"records":{"L":[{"M":{"at":{"BOOL":true}}}]}}}"#),
        (200, #"[1, 2]"#),
      ],
    ])
    let server = try Self.server(recorder)
    defer { server.stop() }
    let s = try DynamoStore(
      table: "t-wire", endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
      layout: .itemPerEntity, create: true, credentials: testCredentials, timeoutSeconds: 5)
    let display =
      "dynamodb://t-wire?endpoint=http://127.0.0.1:\(server.port)&region=us-east-1&layout=item-per-entity"
    #expect { try s.load(entity: "e", since: nil) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .badData
        && e.message == "\(display): an element of the entity's list is not a costplan record"
    }
    #expect { try s.load(entity: "e", since: nil) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .badData
        && e.message == "\(display): GetItem: the reply is not a JSON object"
    }
  }
}
