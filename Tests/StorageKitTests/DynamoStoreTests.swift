import Foundation
import Testing

@testable import StorageKit

@Suite(
  .serialized,
  .enabled(
    if: MotoServer.usable,
    "moto_server is not installed (set COSTPLAN_REQUIRE_SERVERS=1 to fail instead)"))
struct DynamoStoreTests {
  static func store(
    _ moto: MotoServer, _ layout: DynamoLayout, table: String = "costplan-test",
    ttlDays: Int? = nil,
    credentials: AWSCredentials = testCredentials
  ) throws -> DynamoStore {
    try DynamoStore(
      table: table + "-" + layout.rawValue, endpoint: moto.endpoint, region: "us-east-1",
      layout: layout, create: true,
      ttlDays: ttlDays, credentials: credentials, timeoutSeconds: 5)
  }

  @Test(arguments: DynamoLayout.allCases)
  func appendLoadAndCapacityBesideTheServers(_ layout: DynamoLayout) throws {
    let moto = try MotoServer()
    let s = try Self.store(moto, layout)
    let body = [UInt8](repeating: 97, count: 2048)
    #expect(try s.append(entity: "c1", body: body, at: 1000) == 1)
    #expect(try s.append(entity: "c1", body: body, at: 2000) == 2)
    #expect(try s.append(entity: "c2", body: text("short"), at: 3000) == 1)
    #expect(try s.load(entity: "c1", since: nil).map(\.body) == [body, body])
    #expect(try s.load(entity: "c1", since: 1500).map(\.seq) == [2])
    #expect(try s.load(entity: "nobody", since: nil).isEmpty)
    // The same items the memory: store sizes, so the same units.
    let memory = MemoryStore(dynamo: layout)
    try memory.append(entity: "c1", body: body, at: 1000)
    try memory.append(entity: "c1", body: body, at: 2000)
    try memory.append(entity: "c2", body: text("short"), at: 3000)
    #expect(s.counters.writeUnits == memory.counters.writeUnits)
    switch layout {
    case .itemPerRecord:
      // entity "c1" (6+2) + seq (3+1) + at (2+3) + body (4+2048) = 2,069 B → 3 WRU each; "c2"/"short": 1 WRU.
      #expect(s.counters["PutItem"] == 3 && s.counters.writeUnits == 7)
      #expect(s.counters["Query"] == 3)
    case .itemPerEntity:
      // 1st: entity 8 + records (7 + 3 + element) ≈ 2.1 KB → 3 WRU; 2nd: the item grows to ≈ 4.2 KB → 5 WRU.
      #expect(s.counters["UpdateItem"] == 3 && s.counters.writeUnits == 3 + 5 + 1)
      #expect(s.counters["GetItem"] == 3)
    }
    // moto reports capacity, but not from item sizes: both figures are kept, side by side.
    #expect(s.serverWriteUnits > 0)
    #expect(try s.storedRecords() == 3)
    #expect(try s.storedBytes() == memory.storedBytes())
  }

  @Test(arguments: DynamoLayout.allCases)
  func entityIdsThatNeedEncodingRoundTrip(_ layout: DynamoLayout) throws {
    let moto = try MotoServer()
    let s = try Self.store(moto, layout)
    for (i, e) in (s3Entities + ["nul\u{0}byte"]).enumerated() {
      try s.append(entity: e, body: text("r\(i)") + [0, 13, 10], at: Int64(i + 1))
    }
    for (i, e) in (s3Entities + ["nul\u{0}byte"]).enumerated() {
      #expect(
        try s.load(entity: e, since: nil).map(\.body) == [text("r\(i)") + [0, 13, 10]], "\(e)")
    }
    #expect(throws: StoreError.self) {
      try s.append(entity: String(repeating: "x", count: 3000), body: text("x"), at: 1)
    }
  }

  @Test(arguments: DynamoLayout.allCases)
  func aSecondWriterIsNoticedThroughTheCondition(_ layout: DynamoLayout) throws {
    let moto = try MotoServer()
    let a = try Self.store(moto, layout)
    let b = try Self.store(moto, layout)
    #expect(try a.append(entity: "shared", body: text("a1"), at: 1) == 1)
    #expect(try b.append(entity: "shared", body: text("b1"), at: 2) == 2)
    #expect(try a.append(entity: "shared", body: text("a2"), at: 3) == 3)
    #expect(bodies(try b.load(entity: "shared", since: nil)) == ["a1", "b1", "a2"])
    let reread = layout == .itemPerRecord ? "Query before PutItem" : "GetItem before UpdateItem"
    #expect(a.counters[reread] == 1 && b.counters[reread] == 1)
  }

  /// A retry whose first attempt landed (reply lost) meets a failed condition: the store sees its own record as the
  /// newest and does not write it twice. Simulated with a second store writing the very same record.
  @Test(arguments: DynamoLayout.allCases)
  func aRecordAlreadyStoredIsNotWrittenTwice(_ layout: DynamoLayout) throws {
    let moto = try MotoServer()
    let a = try Self.store(moto, layout)
    let b = try Self.store(moto, layout)
    #expect(try a.append(entity: "e", body: text("same"), at: 5) == 1)
    #expect(try b.append(entity: "e", body: text("same"), at: 5) == 1)
    #expect(bodies(try a.load(entity: "e", since: nil)) == ["same"])
    #expect(try b.append(entity: "e", body: text("next"), at: 6) == 2)
  }

  @Test func ttlIsEnabledAndExpiryRemovesOldItems() throws {
    let moto = try MotoServer()
    let s = try Self.store(moto, .itemPerEntity, ttlDays: 7)
    let ttl = try s.timeToLive()
    #expect(ttl.status == "ENABLED" && ttl.attribute == "ttl")
    try s.append(entity: "old", body: text("o"), at: 1000)
    try s.append(entity: "new", body: text("n"), at: 9000)
    #expect(try s.expire(before: 5000) == 1)
    #expect(s.counters["expire"] == 1)
    #expect(
      try s.load(entity: "old", since: nil).isEmpty
        && bodies(try s.load(entity: "new", since: nil)) == ["n"])
  }

  @Test func refusedConnectionAndWrongSecret() throws {
    let port = TestServers.freePort()
    #expect {
      try DynamoStore(
        table: "t-x", endpoint: "http://127.0.0.1:\(port)", region: "us-east-1",
        layout: .itemPerRecord, create: true,
        credentials: testCredentials, timeoutSeconds: 2)
    } throws: { ($0 as? StoreError)?.code == .unavailable }
    let moto = try MotoServer(authenticated: true)
    let creds = try SignedMotoTests.iamUser(moto)
    let s = try Self.store(moto, .itemPerRecord, credentials: creds)
    try s.append(entity: "signed", body: text("ok"), at: 1)
    #expect(bodies(try s.load(entity: "signed", since: nil)) == ["ok"])
    let wrong = AWSCredentials(accessKeyId: creds.accessKeyId, secretAccessKey: "not-the-secret")
    #expect { try Self.store(moto, .itemPerEntity, credentials: wrong) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.message.contains("Signature") && !e.message.contains("not-the-secret")
    }
  }
}
