import Foundation

/// `dynamodb://TABLE?endpoint=URL&region=R&layout=item-per-record|item-per-entity[&create=true][&ttlDays=N]
/// [&consistent=true][&timeout=S][&maxLoadBytes=B][&maxLoadItems=N]` — the reference store on DynamoDB's JSON API (protocol 1.0, SigV4 service
/// `dynamodb`): CreateTable (on demand), UpdateTimeToLive, PutItem, UpdateItem with `list_append`, Query with
/// pagination, GetItem, each with `ReturnConsumedCapacity: TOTAL`. The items are `DynamoLayout`'s, the ones the
/// `memory:` store sizes, so costplan's own request-unit count (from item sizes, DynamoDB's rules) sits beside what
/// the server reports (moto reports fixed figures, not sizes).
///
/// - item-per-record: table keyed (entity S, seq N); an append is 1 PutItem conditional on the seq being new
///   (`attribute_not_exists`); a store that has not seen the entity tries seq 1 and, when that exists, reads the
///   last seq (1 Query, `Query before PutItem`). A load is a Query on the entity, page by page; `since` filters
///   in the client, since DynamoDB charges a filtered Query for every item it reads anyway.
/// - item-per-entity: table keyed (entity S); an append is 1 UpdateItem
///   `SET records = list_append(if_not_exists(records, :empty), :new)`, conditional on the list's size being the
///   one the store knows (a new entity: the item being absent); after a failed condition it reads the item
///   (`GetItem before UpdateItem`) and retries. A load is 1 GetItem.
///
/// Opening (DescribeTable, CreateTable, waiting for it to be ACTIVE, UpdateTimeToLive), each append, load, expiry
/// and size query is one operation under one `timeout=`. A load brings in at most `maxLoadBytes` of response
/// bodies and `maxLoadItems` items or records, however many pages Query says there are.
public final class DynamoStore: RecordStore {
  public let displayURL: String
  public let table: String
  public let layout: DynamoLayout
  public let consistent: Bool
  public private(set) var counters = StoreCounters()
  /// Capacity units as the server reported them (`ConsumedCapacity.CapacityUnits`), beside costplan's own count.
  public private(set) var serverWriteUnits: Double = 0
  public private(set) var serverReadUnits: Double = 0
  public let client: AWSClient
  public let limits: LoadLimits
  private let ttlMillis: Int64?
  /// Per entity: the last seq (item-per-record), or the list's length and the item's size (item-per-entity).
  private var known: [String: (count: Int, itemBytes: Int, lastAt: Int64)] = [:]
  static let maxKeyBytes = 2048

  public convenience init(
    url: BackendURL, credentials: AWSCredentials? = AWSCredentials.fromEnvironment()
  ) throws(StoreError) {
    try url.allow(
      ["endpoint", "region", "layout", "create", "ttlDays", "consistent", "timeout"]
        + LoadLimits.parameters)
    let table = url.rest.hasPrefix("//") ? String(url.rest.dropFirst(2)) : url.rest
    let layout = DynamoLayout(
      rawValue: try url.choice(
        "layout", DynamoLayout.allCases.map(\.rawValue),
        default: DynamoLayout.itemPerRecord.rawValue))!
    let ttl =
      url.value("ttlDays") == nil ? nil : try url.integer("ttlDays", default: 7, range: 1...36500)
    guard let credentials else {
      throw StoreError(
        .badURL,
        "backend URL '\(url.text)': dynamodb:// needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment"
      )
    }
    try self.init(
      table: table, endpoint: url.value("endpoint"), region: url.value("region") ?? "us-east-1",
      layout: layout,
      create: try url.bool("create", default: false), ttlDays: ttl,
      consistent: try url.bool("consistent", default: false),
      credentials: credentials,
      timeoutSeconds: Double(try url.integer("timeout", default: 10, range: 1...600)),
      limits: try LoadLimits(url: url))
  }

  public init(
    table: String, endpoint: String?, region: String, layout: DynamoLayout, create: Bool = false,
    ttlDays: Int? = nil,
    consistent: Bool = false, credentials: AWSCredentials, timeoutSeconds: Double = 10,
    limits: LoadLimits = LoadLimits()
  ) throws(StoreError) {
    guard (3...255).contains(table.count),
      table.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
    else {
      throw StoreError(
        .badURL,
        "dynamodb://\(table): not a table name (3 to 255 letters, digits, '_', '-' and '.')")
    }
    try NetworkEndpoint.checkRegion(region, in: "dynamodb://\(table)")
    self.table = table
    self.layout = layout
    self.consistent = consistent
    self.limits = limits
    ttlMillis = ttlDays.map { Int64($0) * 86_400_000 }
    let ep = try NetworkEndpoint(endpoint ?? "https://dynamodb.\(region).amazonaws.com")
    client = try AWSClient(
      endpoint: ep,
      signer: SigV4Signer(credentials: credentials, region: region, service: "dynamodb"),
      timeoutSeconds: timeoutSeconds)
    displayURL =
      "dynamodb://\(table)?" + (endpoint == nil ? "" : "endpoint=\(ep.display)&")
      + "region=\(region)&layout=\(layout.rawValue)"
    // Opening is one operation: the table, its becoming ACTIVE and its TTL setting within one timeout.
    try client.operation { () throws(StoreError) in
      if create { try createTableIfAbsent() }
      if ttlDays != nil { try enableTTL() }
    }
  }

  // MARK: the JSON API

  static func decodeError(_ r: HTTPResponse) -> AWSError {
    let reply = try? JSONDecoder().decode(DynamoWire.ErrorReply.self, from: Data(r.body))
    // After the last '#' (by Unicode scalar: a '#' and a combining mark after it are one Character).
    let type =
      reply?.type.map { t in
        t.unicodeScalars.split(separator: "#").last.map { String(String.UnicodeScalarView($0)) }
          ?? t
      }
      ?? "HTTP \(r.status)"
    var message =
      reply?.message ?? String(decoding: r.body.prefix(200), as: UTF8.self)
    if type == "UnrecognizedClientException" || type == "InvalidSignatureException" {
      message += " (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
    }
    return AWSError(status: r.status, code: type, message: message)
  }

  /// One API call (`TableName` is filled in, and `ReturnConsumedCapacity` when `reads` says which capacity it
  /// uses); the result is the reply's fields. Capacity the server reports is added up.
  @discardableResult
  func call(
    _ operation: String, _ request: DynamoWire.Request = .init(), reads: Bool? = nil,
    tally: inout LoadTally?
  )
    throws(StoreError) -> DynamoWire.Reply
  {
    var b = request
    b.tableName = table
    if reads != nil { b.returnConsumedCapacity = "TOTAL" }
    let data: Data
    do { data = try b.json() } catch {
      throw StoreError(
        .badData, "cannot encode a \(operation) request: \(error)", underlying: error)
    }
    let r: HTTPResponse
    do {
      r = try client.send(
        method: "POST", path: "/",
        headers: [
          ("Content-Type", "application/x-amz-json-1.0"),
          ("X-Amz-Target", "DynamoDB_20120810.\(operation)"),
        ], body: [UInt8](data), bodyLimit: tally?.bytesLeft, decodeError: Self.decodeError)
    } catch {
      throw StoreError(
        error.code,
        error.message.replacingOccurrences(of: ": POST /: ", with: ": \(operation) on \(table): "),
        underlying: error.underlying)
    }
    if r.status == 404 {
      let e = Self.decodeError(r)
      throw StoreError(
        .badData, "\(displayURL): \(operation): HTTP 404 \(e.code): \(e.message)", underlying: e)
    }
    try tally?.add(bytes: r.body.count)
    let reply: DynamoWire.Reply
    do { reply = try JSONDecoder().decode(DynamoWire.Reply.self, from: Data(r.body)) } catch {
      throw StoreError(
        .badData, "\(displayURL): \(operation): the reply is not a JSON object", underlying: error)
    }
    if let reads, let units = reply.capacityUnits {
      if reads { serverReadUnits += units } else { serverWriteUnits += units }
    }
    return reply
  }

  /// One API call outside a load.
  @discardableResult
  func call(_ operation: String, _ request: DynamoWire.Request = .init(), reads: Bool? = nil)
    throws(StoreError) -> DynamoWire.Reply
  {
    var unbounded: LoadTally? = nil
    return try call(operation, request, reads: reads, tally: &unbounded)
  }

  /// Whether an error is DynamoDB's answer to a failed condition.
  static func conditionFailed(_ e: StoreError) -> Bool {
    e.aws?.kind == .conditionFailed
  }

  /// How long to wait between DescribeTable calls while a new table is CREATING.
  var tablePollSeconds = 0.5

  private func createTableIfAbsent() throws(StoreError) {
    do {
      // A table another client is creating is waited for as if this one created it.
      if try call("DescribeTable").tableStatus != "CREATING" { return }
      try waitUntilActive()
      return
    } catch {
      guard error.aws?.code == "ResourceNotFoundException" else { throw error }
    }
    var attributes = [DynamoWire.AttributeDefinition(attributeName: "entity", attributeType: "S")]
    var keys = [DynamoWire.KeySchemaElement(attributeName: "entity", keyType: "HASH")]
    if layout == .itemPerRecord {
      attributes.append(.init(attributeName: "seq", attributeType: "N"))
      keys.append(.init(attributeName: "seq", keyType: "RANGE"))
    }
    do {
      try call(
        "CreateTable",
        .init(billingMode: "PAY_PER_REQUEST", attributeDefinitions: attributes, keySchema: keys))
    } catch {
      guard error.aws?.code == "ResourceInUseException" else { throw error }
    }
    try waitUntilActive()
  }

  /// DescribeTable until the table is ACTIVE, every `tablePollSeconds`, within the opening's deadline.
  private func waitUntilActive() throws(StoreError) {
    let deadline = client.deadline ?? Deadline(seconds: client.timeoutSeconds)
    var status: String?
    while true {
      if deadline.passed {
        throw StoreError(
          .timeout,
          "\(displayURL): the table is \(status ?? "of no status") and did not become ACTIVE within the operation's timeout of \(deadline.shown) (a new table on AWS can take longer: raise timeout= for the first run)",
          underlying: DeadlineExpired(seconds: deadline.seconds))
      }
      status = try call("DescribeTable").tableStatus
      if status == "ACTIVE" { return }
      usleep(useconds_t(min(tablePollSeconds, deadline.remaining) * 1_000_000))
    }
  }

  /// Turns TTL on with the `ttl` attribute. DynamoDB refuses a second UpdateTimeToLive with a ValidationException
  /// that only its words tell apart from other ones: after one, DescribeTimeToLive says whether TTL is on already.
  private func enableTTL() throws(StoreError) {
    do {
      try call(
        "UpdateTimeToLive",
        .init(timeToLiveSpecification: .init(enabled: true, attributeName: "ttl")))
    } catch {
      guard error.aws?.code == "ValidationException" else { throw error }
      let now = try call("DescribeTimeToLive")
      guard now.timeToLiveAttribute == "ttl",
        ["ENABLED", "ENABLING"].contains(now.timeToLiveStatus ?? "")
      else { throw error }
    }
  }

  /// The table's TTL setting as the server describes it.
  public func timeToLive() throws(StoreError) -> (status: String, attribute: String?) {
    let d = try call("DescribeTimeToLive")
    return (d.timeToLiveStatus ?? "", d.timeToLiveAttribute)
  }

  // MARK: items ↔ JSON

  /// Decodes a record item or list element (`at`, `body`, and `seq` when present).
  func record(_ m: DynamoWire.Item?, seq fallback: Int, what: String) throws(StoreError)
    -> StoredRecord
  {
    guard let r = Self.record(m, seq: fallback) else {
      throw StoreError(.badData, "\(displayURL): \(what) is not a costplan record")
    }
    return r
  }

  /// The record an item or list element holds, or nil if it holds none.
  static func record(_ m: DynamoWire.Item?, seq fallback: Int) -> StoredRecord? {
    guard let m, let at = m["at"]?.number.flatMap({ Int64($0) }), let body = m["body"]?.bytes
    else { return nil }
    let seq = m["seq"]?.number.flatMap { Int($0) } ?? fallback
    return StoredRecord(seq: seq, at: at, body: body)
  }

  /// The `ttl` (epoch seconds) of a record appended at `at`; a time so late that adding the retention overflows
  /// (a server's reply may hold one) gives the latest one, not a trap.
  private func ttlSeconds(_ at: Int64) -> Int64? {
    ttlMillis.map {
      let (t, overflow) = at.addingReportingOverflow($0)
      return (overflow ? Int64.max : t) / 1000
    }
  }

  func checkEntity(_ entity: String) throws(StoreError) {
    try EntityId.check(entity)
    guard entity.utf8.count <= Self.maxKeyBytes else {
      throw StoreError(
        .recordRefused,
        "entity id of \(entity.utf8.count) bytes is over DynamoDB's \(Self.maxKeyBytes)-byte partition key limit"
      )
    }
  }

  // MARK: RecordStore

  @discardableResult
  public func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try client.operation { () throws(StoreError) -> Int? in
      try appendNow(entity: entity, body: body, at: at)
    }
  }

  private func appendNow(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try checkEntity(entity)
    guard at >= 0 else { throw StoreError(.recordRefused, "record time \(at) is before 1970") }
    for _ in 0..<4 {
      do {
        return layout == .itemPerRecord
          ? try putRecord(entity, body, at) : try appendToList(entity, body, at)
      } catch {
        guard Self.conditionFailed(error) else { throw error }
        // A retried request whose first attempt did land (its reply lost) fails its condition too: if the
        // newest record is this one, it is stored.
        if let last = try refresh(entity), last.at == at, last.body == body { return last.seq }
      }
    }
    throw StoreError(
      .conflict, "\(displayURL): the entity kept changing under concurrent writers")
  }

  private func putRecord(_ entity: String, _ body: [UInt8], _ at: Int64) throws(StoreError) -> Int {
    let seq = try nextSeq(after: known[entity]?.count)
    let item = DynamoLayout.recordItem(
      entity: entity, seq: seq, at: at, body: body, ttlSeconds: ttlSeconds(at))
    guard item.size <= DynamoItem.maxSize else {
      throw StoreError(
        .recordRefused, "item of \(item.size) bytes is over DynamoDB's 400 KB item limit")
    }
    counters.count("PutItem")
    counters.writeUnits += DynamoCapacity.writeUnits(itemBytes: item.size)
    try call(
      "PutItem",
      .init(
        item: DynamoWire.item(item.attributes), conditionExpression: "attribute_not_exists(#s)",
        expressionAttributeNames: ["#s": "seq"]),
      reads: false)
    counters.bytesSent += item.size
    known[entity] = (seq, 0, at)
    return seq
  }

  private func appendToList(_ entity: String, _ body: [UInt8], _ at: Int64) throws(StoreError)
    -> Int
  {
    let k = known[entity]
    let seq = try nextSeq(after: k?.count)
    let element = DynamoLayout.listElement(seq: seq, at: at, body: body)
    let before = k?.itemBytes ?? 0
    let after: Int
    if let k, k.count > 0 {
      let oldTTL = ttlSeconds(k.lastAt).map { DynamoValue.n(String($0)).size } ?? 0
      let newTTL = ttlSeconds(at).map { DynamoValue.n(String($0)).size } ?? 0
      after = before + element.size + 1 + newTTL - oldTTL
    } else {
      after =
        DynamoLayout.entityItem(entity: entity, records: [element], ttlSeconds: ttlSeconds(at)).size
    }
    guard after <= DynamoItem.maxSize else {
      throw StoreError(
        .recordRefused,
        "entity item would grow to \(after) bytes, over DynamoDB's 400 KB item limit")
    }
    var names = ["#r": "records"]
    var values: DynamoWire.Item = [":empty": .l([]), ":new": .l([DynamoWire.Value(element)])]
    var update = "SET #r = list_append(if_not_exists(#r, :empty), :new)"
    if let ttl = ttlSeconds(at) {
      names["#t"] = "ttl"
      values[":ttl"] = .n(String(ttl))
      update += ", #t = :ttl"
    }
    var request = DynamoWire.Request(key: ["entity": .s(entity)], updateExpression: update)
    if let k, k.count > 0 {
      request.conditionExpression = "size(#r) = :n"
      values[":n"] = .n(String(k.count))
    } else {
      request.conditionExpression = "attribute_not_exists(#e)"
      names["#e"] = "entity"
    }
    request.expressionAttributeValues = values
    request.expressionAttributeNames = names
    counters.count("UpdateItem")
    counters.writeUnits += DynamoCapacity.writeUnits(itemBytes: max(before, after))
    try call("UpdateItem", request, reads: false)
    counters.bytesSent += element.size
    known[entity] = (seq, after, at)
    return seq
  }

  /// After a failed condition: what the table holds now for the entity; returns its newest record.
  private func refresh(_ entity: String) throws(StoreError) -> StoredRecord? {
    switch layout {
    case .itemPerRecord:
      counters.count("Query before PutItem")
      let r = try call(
        "Query",
        .init(
          keyConditionExpression: "#e = :e", expressionAttributeNames: ["#e": "entity"],
          expressionAttributeValues: [":e": .s(entity)], consistentRead: true,
          scanIndexForward: false, limit: 1), reads: true)
      counters.count("Query")
      guard let last = r.items?.first else {
        known[entity] = nil
        return nil
      }
      let rec = try record(last, seq: 0, what: "the entity's last item")
      known[entity] = (rec.seq, 0, rec.at)
      return rec
    case .itemPerEntity:
      counters.count("GetItem before UpdateItem")
      return try getEntity(entity, consistentRead: true).last
    }
  }

  /// GetItem of an entity's item: its records, and what the store then knows of it.
  private func getEntity(_ entity: String, consistentRead: Bool) throws(StoreError)
    -> [StoredRecord]
  {
    var unbounded: LoadTally? = nil
    return try getEntity(entity, consistentRead: consistentRead, tally: &unbounded)
  }

  private func getEntity(_ entity: String, consistentRead: Bool, tally: inout LoadTally?)
    throws(StoreError) -> [StoredRecord]
  {
    let r = try call(
      "GetItem", .init(key: ["entity": .s(entity)], consistentRead: consistentRead), reads: true,
      tally: &tally)
    counters.count("GetItem")
    guard let item = r.item else {
      counters.readUnits += DynamoCapacity.readUnits(bytes: 0, consistent: consistentRead)
      known[entity] = nil
      return []
    }
    var records: [StoredRecord] = []
    let list = item["records"]?.list ?? []
    try tally?.add(items: list.count)
    for (i, e) in list.enumerated() {
      records.append(try record(e.map, seq: i + 1, what: "an element of the entity's list"))
    }
    let ttl = item["ttl"]?.number.map { Int64($0) ?? 0 }
    let size = DynamoLayout.entityItem(
      entity: entity,
      records: records.map { DynamoLayout.listElement(seq: $0.seq, at: $0.at, body: $0.body) },
      ttlSeconds: ttl
    ).size
    counters.readUnits += DynamoCapacity.readUnits(bytes: size, consistent: consistentRead)
    counters.bytesReceived += size
    known[entity] = (records.count, size, records.last?.at ?? 0)
    return records
  }

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try client.operation { () throws(StoreError) -> [StoredRecord] in
      try loadNow(entity: entity, since: since)
    }
  }

  private func loadNow(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try checkEntity(entity)
    var out: [StoredRecord]
    var tally: LoadTally? = LoadTally(limits, peer: displayURL)
    switch layout {
    case .itemPerEntity:
      out = try getEntity(entity, consistentRead: consistent, tally: &tally)
    case .itemPerRecord:
      out = []
      var start: DynamoWire.Item?
      var bytes = 0
      repeat {
        let q = DynamoWire.Request(
          keyConditionExpression: "#e = :e", expressionAttributeNames: ["#e": "entity"],
          expressionAttributeValues: [":e": .s(entity)], consistentRead: consistent,
          exclusiveStartKey: start)
        let r = try call("Query", q, reads: true, tally: &tally)
        counters.count("Query")
        try tally?.add(items: r.items?.count ?? 0)
        for item in r.items ?? [] {
          let rec = try record(item, seq: out.count + 1, what: "an item of the entity")
          bytes +=
            DynamoLayout.recordItem(
              entity: entity, seq: rec.seq, at: rec.at, body: rec.body,
              ttlSeconds: item["ttl"]?.number.flatMap { Int64($0) }
            ).size
          out.append(rec)
        }
        start = r.lastEvaluatedKey
      } while start != nil
      // Query reads are charged on the items' total size, rounded up to 4 KB once per request page (here: once).
      counters.readUnits += DynamoCapacity.readUnits(bytes: bytes, consistent: consistent)
      counters.bytesReceived += bytes
      if let last = out.last { known[entity] = (last.seq, 0, last.at) }
    }
    return since.map { s in out.filter { $0.at >= s } } ?? out
  }

  /// What TTL does, done by hand for tests and validation on a simulated clock (not billed: not counted).
  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    let saved = (counters, serverWriteUnits, serverReadUnits)
    var removed = 0
    do {
      removed = try client.operation { () throws(StoreError) -> Int in
        try removeExpired(before: before)
      }
    } catch {
      (counters, serverWriteUnits, serverReadUnits) = saved
      throw error
    }
    (counters, serverWriteUnits, serverReadUnits) = saved
    if removed > 0 { counters.count("expire", removed) }
    return removed
  }

  private func removeExpired(before: Int64) throws(StoreError) -> Int {
    var removed = 0
    for item in try scan() {
      guard let entity = item["entity"]?.string else { continue }
      switch layout {
      case .itemPerRecord:
        let rec = try record(item, seq: 0, what: "an item")
        guard rec.at < before, let seq = item["seq"]?.number else { continue }
        try call("DeleteItem", .init(key: ["entity": .s(entity), "seq": .n(seq)]))
        removed += 1
      case .itemPerEntity:
        let list = item["records"]?.list ?? []
        var newest = Int64.min
        for e in list {
          newest = max(newest, try record(e.map, seq: 0, what: "an element").at)
        }
        guard newest < before else { continue }
        try call("DeleteItem", .init(key: ["entity": .s(entity)]))
        removed += list.count
      }
      known[entity] = nil
    }
    return removed
  }

  private func scan() throws(StoreError) -> [DynamoWire.Item] {
    var out: [DynamoWire.Item] = []
    var start: DynamoWire.Item?
    repeat {
      let r = try call("Scan", .init(consistentRead: true, exclusiveStartKey: start))
      out += r.items ?? []
      start = r.lastEvaluatedKey
    } while start != nil
    return out
  }

  /// Bytes of the items by DynamoDB's size rules (what storage is billed on), from a Scan.
  public func storedBytes() throws(StoreError) -> Int? {
    let saved = (counters, serverWriteUnits, serverReadUnits)
    defer { (counters, serverWriteUnits, serverReadUnits) = saved }
    return try client.operation { () throws(StoreError) -> Int? in try itemBytes() }
  }

  private func itemBytes() throws(StoreError) -> Int {
    var bytes = 0
    for item in try scan() {
      guard let entity = item["entity"]?.string else { continue }
      let ttl = item["ttl"]?.number.flatMap { Int64($0) }
      switch layout {
      case .itemPerRecord:
        let r = try record(item, seq: 0, what: "an item")
        let seq = item["seq"]?.number.flatMap { Int($0) } ?? 0
        bytes +=
          DynamoLayout.recordItem(entity: entity, seq: seq, at: r.at, body: r.body, ttlSeconds: ttl)
          .size
      case .itemPerEntity:
        var elements: [DynamoValue] = []
        for (i, e) in (item["records"]?.list ?? []).enumerated() {
          let r = try record(e.map, seq: i + 1, what: "an element")
          elements.append(DynamoLayout.listElement(seq: r.seq, at: r.at, body: r.body))
        }
        bytes += DynamoLayout.entityItem(entity: entity, records: elements, ttlSeconds: ttl).size
      }
    }
    return bytes
  }

  public func storedRecords() throws(StoreError) -> Int? {
    let saved = (counters, serverWriteUnits, serverReadUnits)
    defer { (counters, serverWriteUnits, serverReadUnits) = saved }
    return try client.operation { () throws(StoreError) -> Int? in
      try scan().reduce(0) { n, item in
        n
          + (layout == .itemPerRecord
            ? 1 : (item["records"]?.list?.count ?? 0))
      }
    }
  }
}
