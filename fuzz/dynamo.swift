// libFuzzer target: DynamoDB's JSON replies (scripts/fuzz.sh dynamo). Each input is read as DynamoStore reads a
// reply (DynamoWire.Reply: Item, Items, LastEvaluatedKey, ConsumedCapacity, Table, TimeToLiveDescription) and as
// an error body (DynamoStore.decodeError); the records in its items are read as the store reads them (an item
// per record, or the elements of an entity item's `records` list) and sized as it bills them. Checked:
// - every item re-encoded as requests are encoded (JSONEncoder) decodes to the same attribute values;
// - a record an item holds, written back as the store writes it (DynamoLayout, DynamoWire.item, JSON), reads
//   back as the same record;
// - the input's text as an error's type and message reads back.
import Foundation

func roundTrip(_ item: DynamoWire.Item, _ what: String) {
  do {
    let again = try JSONDecoder().decode(DynamoWire.Item.self, from: try JSONEncoder().encode(item))
    guard again == item else {
      fuzzFail("\(what) re-encoded reads back as \(again.keys.sorted().prefix(4))")
    }
  } catch {
    fuzzFail("\(what) re-encoded does not decode: \(error)")
  }
}

func checkRecord(_ m: DynamoWire.Item?, seq: Int) -> StoredRecord? {
  guard let r = DynamoStore.record(m, seq: seq) else { return nil }
  let written = DynamoLayout.recordItem(
    entity: "e", seq: r.seq, at: r.at, body: r.body, ttlSeconds: nil)
  do {
    let wire = try JSONEncoder().encode(DynamoWire.item(written.attributes))
    let back = DynamoStore.record(
      try JSONDecoder().decode(DynamoWire.Item.self, from: wire), seq: -1)
    guard back == r else {
      fuzzFail("record seq \(r.seq) at \(r.at) reads back as \(String(describing: back))")
    }
  } catch {
    fuzzFail("a record's item does not round-trip: \(error)")
  }
  return r
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDynamo(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let bytes = Data(input)
  var rng = FuzzRandom(input)

  if let reply = try? JSONDecoder().decode(DynamoWire.Reply.self, from: bytes) {
    for item in [reply.item, reply.lastEvaluatedKey].compactMap({ $0 }) + (reply.items ?? []) {
      roundTrip(item, "an item")
      // An item per record (Query), or an entity item (GetItem) and its list's elements, as the store reads them.
      _ = checkRecord(item, seq: 1)
      var records: [StoredRecord] = []
      for (i, e) in (item["records"]?.list ?? []).enumerated() {
        if let r = checkRecord(e.map, seq: i + 1) { records.append(r) }
      }
      let ttl = item["ttl"]?.number.map { Int64($0) ?? 0 }
      _ =
        DynamoLayout.entityItem(
          entity: item["entity"]?.string ?? "e",
          records: records.map { DynamoLayout.listElement(seq: $0.seq, at: $0.at, body: $0.body) },
          ttlSeconds: ttl
        ).size
    }
    _ = (reply.capacityUnits, reply.tableStatus, reply.timeToLiveStatus, reply.timeToLiveAttribute)
  }
  let status = [400, 404, 500][rng.below(3)]
  let e = DynamoStore.decodeError(HTTPResponse(status: status, headers: [], body: [UInt8](bytes)))
  _ = (e.retryable, e.refusesCredentials, e.storeCode)

  // The input's text as an error's type and message.
  let text = String(decoding: bytes, as: UTF8.self)
  let cut = text.firstIndex(of: "\n") ?? text.endIndex
  let type = String(String.UnicodeScalarView(text[..<cut].unicodeScalars.filter { $0 != "#" }))
  let message = String(text[cut...])
  if !type.isEmpty {
    let body = try! JSONEncoder().encode([
      "__type": "com.amazonaws.dynamodb.v20120810#" + type,
      rng.below(2) == 0 ? "message" : "Message": message,
    ])
    let back = DynamoStore.decodeError(
      HTTPResponse(status: status, headers: [], body: [UInt8](body)))
    guard back.code == type, back.message.hasPrefix(message) else {
      fuzzFail(
        "error '\(type.prefix(30))': '\(message.prefix(30))' read back as '\(back.code.prefix(30))'"
      )
    }
  }
  return 0
}
