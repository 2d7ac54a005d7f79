import Foundation

/// `s3://BUCKET?endpoint=URL&region=R&layout=object-per-entity|object-per-record[&create=true][&expireDays=N]
/// [&prefix=P][&timeout=S][&maxLoadBytes=B][&maxLoadItems=N]` — the reference store on S3's REST API (PutObject, GetObject, ListObjectsV2,
/// DeleteObject, CreateBucket, PutBucketLifecycleConfiguration), signed with SigV4, path-style for a custom
/// endpoint (moto, LocalStack) and virtual-hosted for AWS. Objects are the file store's CRC-framed encoding.
///
/// - object-per-entity: key `<prefix>e/<entity>`; an append PUTs the whole history. The store remembers the ETag
///   it last wrote or read and sends it as `If-Match` (a new object: `If-None-Match: *`), so while a session stays
///   on one instance an append is 1 PUT; otherwise, or after a 412, it GETs first (`GET before PUT`).
/// - object-per-record: key `<prefix>r/<entity>/<at:16>-<writer>-<n>`; an append is 1 PUT, a load 1 LIST per 1,000
///   keys and 1 GET per record.
/// Entity ids are keys as they are (spaces, `/`, `+`, `%`, Unicode), percent-encoded once on the wire; S3 keys are
/// at most 1,024 bytes, so longer ids are refused.
///
/// Opening (CreateBucket, PutBucketLifecycleConfiguration), each append, load, expiry and size query is one
/// operation under one `timeout=`. A load brings in at most `maxLoadBytes` of response bodies and `maxLoadItems`
/// keys or records, however many pages ListObjectsV2 says there are.
public final class S3Store: RecordStore {
  public typealias Layout = FileStore.Layout
  public let displayURL: String
  public let bucket: String
  public let layout: Layout
  public let prefix: String
  public private(set) var counters = StoreCounters()
  public let client: AWSClient
  public let limits: LoadLimits
  let pathStyle: Bool
  private let writerTag: String
  private var writes = 0
  private var known: [String: (etag: String, records: [StoredRecord])] = [:]
  static let maxKeyBytes = 1024

  public convenience init(
    url: BackendURL, credentials: AWSCredentials? = AWSCredentials.fromEnvironment()
  ) throws(StoreError) {
    try url.allow(
      ["endpoint", "region", "layout", "create", "expireDays", "prefix", "timeout"]
        + LoadLimits.parameters)
    let bucket = url.rest.hasPrefix("//") ? String(url.rest.dropFirst(2)) : url.rest
    let layout = Layout(
      rawValue: try url.choice(
        "layout", Layout.allCases.map(\.rawValue), default: Layout.objectPerEntity.rawValue))!
    let create = try url.choice("create", ["true", "false"], default: "false") == "true"
    let expireDays =
      url.value("expireDays") == nil
      ? nil : try url.integer("expireDays", default: 0, range: 1...36500)
    let timeout = Double(try url.integer("timeout", default: 10, range: 1...600))
    let limits = try LoadLimits(url: url)
    guard let credentials else {
      throw StoreError(
        .badURL,
        "backend URL '\(url.text)': s3:// needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment"
      )
    }
    try self.init(
      bucket: bucket, endpoint: url.value("endpoint"), region: url.value("region") ?? "us-east-1",
      layout: layout,
      prefix: url.value("prefix") ?? "costplan/", create: create, expireDays: expireDays,
      credentials: credentials, timeoutSeconds: timeout, limits: limits)
  }

  public init(
    bucket: String, endpoint: String?, region: String, layout: Layout, prefix: String = "costplan/",
    create: Bool = false,
    expireDays: Int? = nil, credentials: AWSCredentials, timeoutSeconds: Double = 10,
    limits: LoadLimits = LoadLimits()
  ) throws(StoreError) {
    guard (3...63).contains(bucket.count),
      bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
      ),
      bucket.first!.isLetter || bucket.first!.isNumber
    else {
      throw StoreError(
        .badURL,
        "s3://\(bucket): not a bucket name (3 to 63 lower-case letters, digits, '-' and '.')")
    }
    try NetworkEndpoint.checkRegion(region, in: "s3://\(bucket)")
    self.bucket = bucket
    self.layout = layout
    self.prefix = prefix
    self.limits = limits
    let ep: NetworkEndpoint
    if let endpoint {
      ep = try NetworkEndpoint(endpoint)
      pathStyle = true
    } else {
      ep = try NetworkEndpoint("https://\(bucket).s3.\(region).amazonaws.com")
      pathStyle = false
    }
    client = try AWSClient(
      endpoint: ep, signer: SigV4Signer(credentials: credentials, region: region, service: "s3"),
      timeoutSeconds: timeoutSeconds)
    var shown = "s3://\(bucket)?"
    if endpoint != nil { shown += "endpoint=\(ep.display)&" }
    displayURL = shown + "region=\(region)&layout=\(layout.rawValue)"
    writerTag = String(format: "%010llx", UInt64.random(in: 0..<(1 << 40)))
    // Opening is one operation: the bucket and its lifecycle rule within one timeout.
    try client.operation { () throws(StoreError) in
      if create { try createBucketIfAbsent(region: region) }
      if let expireDays { try putLifecycle(expireDays: expireDays) }
    }
  }

  // MARK: requests

  func path(_ key: String?) -> String {
    let k = key.map { "/" + $0 } ?? (pathStyle ? "" : "/")
    return pathStyle ? "/\(bucket)\(k)" : k
  }

  static func decodeError(_ r: HTTPResponse) -> AWSError {
    let xml = String(decoding: r.body, as: UTF8.self)
    let code = XMLText.first("Code", in: xml) ?? "HTTP \(r.status)"
    var message =
      XMLText.first("Message", in: xml)
      ?? (r.body.isEmpty ? "no error body" : String(xml.prefix(200)))
    if code == "SignatureDoesNotMatch" { message += " (check AWS_SECRET_ACCESS_KEY)" }
    if code == "InvalidAccessKeyId" { message += " (check AWS_ACCESS_KEY_ID)" }
    return AWSError(status: r.status, code: code, message: message)
  }

  func request(
    _ method: String, key: String?, query: [(String, String)] = [],
    headers: [(String, String)] = [], body: [UInt8] = [], bodyLimit: Int? = nil
  )
    throws(StoreError) -> HTTPResponse
  {
    try client.send(
      method: method, path: path(key), query: query, headers: headers, body: body,
      bodyLimit: bodyLimit, decodeError: Self.decodeError)
  }

  /// A 404 that is not "no such key" (no such bucket, say) is an error, not an empty result.
  func missing(_ r: HTTPResponse) throws(StoreError) -> Bool {
    guard r.status == 404 else { return false }
    let e = Self.decodeError(r)
    if e.code == "NoSuchKey" || r.body.isEmpty { return true }
    throw StoreError(
      .badData,
      "\(displayURL): HTTP 404 \(e.code): \(e.message)\(e.code == "NoSuchBucket" ? " (add create=true to the URL to create it)" : "")"
    )
  }

  private func createBucketIfAbsent(region: String) throws(StoreError) {
    // HEAD answers without a body: on anything but 200, the PUT below says what is wrong (no such bucket is
    // created; a bad signature or key comes back with its error code).
    do {
      if try request("HEAD", key: nil).status == 200 { return }
    } catch {
      // Out of time, or nobody there: the PUT would only say so again.
      if error.code == .timeout || error.code == .unavailable { throw error }
    }
    let body =
      region == "us-east-1"
      ? []
      : Array(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
          .utf8)
    do {
      _ = try request("PUT", key: nil, body: body)
    } catch {
      if error.aws?.code != "BucketAlreadyOwnedByYou" { throw error }
    }
  }

  /// Expiry as S3 does it in production: a lifecycle rule on the prefix (no request is billed for it).
  private func putLifecycle(expireDays: Int) throws(StoreError) {
    let xml = """
      <LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>costplan-expiry</ID>\
      <Filter><Prefix>\(XMLText.escape(prefix))</Prefix></Filter><Status>Enabled</Status>\
      <Expiration><Days>\(expireDays)</Days></Expiration></Rule></LifecycleConfiguration>
      """
    let body = Array(xml.utf8)
    _ = try request(
      "PUT", key: nil, query: [("lifecycle", "")],
      headers: [("Content-MD5", Base64.encode(MD5.hash(body)))], body: body)
  }

  /// The bucket's lifecycle rules as S3 returns them (XML), for checking what `expireDays` set.
  public func lifecycleConfiguration() throws(StoreError) -> String {
    String(decoding: try request("GET", key: nil, query: [("lifecycle", "")]).body, as: UTF8.self)
  }

  /// Every key under `p`, page by page; within a load, the pages count against its `tally`.
  func listKeys(under p: String, tally: inout LoadTally?) throws(StoreError) -> [(
    key: String, size: Int
  )] {
    var out: [(String, Int)] = []
    var token: String?
    repeat {
      var q = [("list-type", "2"), ("prefix", p), ("encoding-type", "url")]
      if let token { q.append(("continuation-token", token)) }
      let r = try request("GET", key: nil, query: q, bodyLimit: tally?.bytesLeft)
      if try missing(r) { return [] }
      counters.count("LIST")
      let page = try Self.listPage(r.body, displayURL: displayURL, tally: &tally)
      out += page.keys
      token = page.next
    } while token != nil
    return out
  }

  /// Every key under `p` (a walk of the store, not a load: no limits).
  func listKeys(under p: String) throws(StoreError) -> [(key: String, size: Int)] {
    var unbounded: LoadTally? = nil
    return try listKeys(under: p, tally: &unbounded)
  }

  /// One page of a ListObjectsV2 reply (asked with encoding-type=url): its keys, decoded, with their sizes, and
  /// the token of the next page when it is truncated. The page's bytes and keys count against `tally`.
  static func listPage(_ body: [UInt8], displayURL: String, tally: inout LoadTally?)
    throws(StoreError) -> (keys: [(key: String, size: Int)], next: String?)
  {
    var keys: [(key: String, size: Int)] = []
    let xml = String(decoding: body, as: UTF8.self)
    let contents = XMLText.all("Contents", in: xml)
    try tally?.add(bytes: body.count, items: contents.count)
    for c in contents {
      guard let k = XMLText.first("Key", in: c), let key = k.removingPercentEncoding else {
        throw StoreError(
          .badData, "\(displayURL): ListObjectsV2 returned a key it did not URL-encode")
      }
      keys.append((key, Int(XMLText.first("Size", in: c) ?? "") ?? 0))
    }
    let next =
      XMLText.first("IsTruncated", in: xml) == "true"
      ? XMLText.first("NextContinuationToken", in: xml) : nil
    return (keys, next)
  }

  func checkKey(_ key: String) throws(StoreError) {
    guard key.utf8.count <= Self.maxKeyBytes else {
      throw StoreError(
        .recordRefused,
        "entity id of \(key.utf8.count - prefix.utf8.count) bytes makes an S3 key over \(Self.maxKeyBytes) bytes"
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
    try EntityId.check(entity)
    guard at >= 0 else { throw StoreError(.recordRefused, "record time \(at) is before 1970") }
    switch layout {
    case .objectPerRecord:
      writes += 1
      let key =
        prefix + "r/" + entity + "/" + String(format: "%016lld-%@-%010d", at, writerTag, writes)
      try checkKey(key)
      let bytes = ObjectCodec.encode(
        entity: entity, records: [StoredRecord(seq: 0, at: at, body: body)])
      _ = try request("PUT", key: key, body: bytes)
      counters.count("PUT")
      counters.bytesSent += bytes.count
      return nil
    case .objectPerEntity:
      let key = prefix + "e/" + entity
      try checkKey(key)
      for attempt in 0..<4 {
        var records: [StoredRecord]
        var condition: (String, String)
        if let k = known[entity] {
          records = k.records
          condition = ("If-Match", k.etag)
        } else if attempt == 0 {
          // Not seen yet: most likely a new entity. Create it only if absent (a 412 says it exists: read it).
          records = []
          condition = ("If-None-Match", "*")
        } else {
          counters.count("GET before PUT")
          let got = try getEntity(entity, key: key)
          records = got?.records ?? []
          condition = got.map { ("If-Match", $0.etag) } ?? ("If-None-Match", "*")
        }
        let seq = try nextSeq(after: records.last?.seq)
        records.append(StoredRecord(seq: seq, at: at, body: body))
        let bytes = ObjectCodec.encode(entity: entity, records: records)
        do {
          let r = try request("PUT", key: key, headers: [condition], body: bytes)
          counters.count("PUT")
          counters.bytesSent += bytes.count
          if let etag = r.header("etag") {
            known[entity] = (etag, records)
          } else {
            known[entity] = nil
          }
          return seq
        } catch {
          // Someone else wrote the object since this store saw it: read it again and retry.
          guard error.aws?.kind == .conditionFailed else { throw error }
          counters.count("PUT")
          known[entity] = nil
          // A retried PUT whose first attempt landed (reply lost) fails its condition too: if the object's newest
          // record is this one, it is stored.
          counters.count("GET before PUT")
          if let last = try getEntity(entity, key: key)?.records.last, last.at == at,
            last.body == body
          {
            return last.seq
          }
        }
      }
      throw StoreError(
        .conflict,
        "\(displayURL): the object for this entity kept changing under concurrent writers")
    }
  }

  /// The entity's object, its body at most `tally`'s bytes left (a load's) and its records at most its items.
  private func getEntity(_ entity: String, key: String, tally: inout LoadTally?) throws(StoreError)
    -> (etag: String, records: [StoredRecord])?
  {
    let r = try request("GET", key: key, bodyLimit: tally?.bytesLeft)
    counters.count("GET")
    if try missing(r) { return nil }
    counters.bytesReceived += r.body.count
    try tally?.add(bytes: r.body.count)
    let d = try ObjectCodec.decode(r.body, what: "\(displayURL) key \(key.prefix(200))")
    try tally?.add(items: d.records.count)
    guard d.entity == entity else {
      throw StoreError(.badData, "\(displayURL): key \(key.prefix(200)) holds another entity")
    }
    if let etag = r.header("etag") { known[entity] = (etag, d.records) }
    return (r.header("etag") ?? "", d.records)
  }

  private func getEntity(_ entity: String, key: String) throws(StoreError) -> (
    etag: String, records: [StoredRecord]
  )? {
    var unbounded: LoadTally? = nil
    return try getEntity(entity, key: key, tally: &unbounded)
  }

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try client.operation { () throws(StoreError) -> [StoredRecord] in
      try loadNow(entity: entity, since: since)
    }
  }

  private func loadNow(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try EntityId.check(entity)
    var tally: LoadTally? = LoadTally(limits, peer: displayURL)
    switch layout {
    case .objectPerEntity:
      let key = prefix + "e/" + entity
      try checkKey(key)
      let all = try getEntity(entity, key: key, tally: &tally)?.records ?? []
      return since.map { s in all.filter { $0.at >= s } } ?? all
    case .objectPerRecord:
      let dir = prefix + "r/" + entity + "/"
      try checkKey(dir)
      var out: [StoredRecord] = []
      var position = 0
      for (key, _) in try listKeys(under: dir, tally: &tally).sorted(by: { $0.key < $1.key }) {
        let rest = key.dropFirst(dir.count)
        // Keys of an entity whose id extends this one with '/' (entity "a/b" under "a/") are not this entity's.
        guard !rest.contains("/"), let at = Int64(rest.prefix(16)) else { continue }
        position += 1  // records are numbered in key order, as the file store numbers them
        if let s = since, at < s { continue }
        let r = try request("GET", key: key, bodyLimit: tally?.bytesLeft)
        counters.count("GET")
        if try missing(r) { continue }  // expired between LIST and GET
        counters.bytesReceived += r.body.count
        try tally?.add(bytes: r.body.count)
        let d = try ObjectCodec.decode(r.body, what: "\(displayURL) key \(key.prefix(200))")
        guard d.entity == entity, d.records.count == 1, d.records[0].at == at else {
          throw StoreError(
            .badData, "\(displayURL): key \(key.prefix(200)) does not hold this entity's record")
        }
        out.append(StoredRecord(seq: position, at: at, body: d.records[0].body))
      }
      return out
    }
  }

  /// What a lifecycle rule does, done by hand for tests and validation on a simulated clock: not billed, so the
  /// requests it makes are not counted.
  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    let saved = counters
    var removed = 0
    do {
      removed = try client.operation { () throws(StoreError) -> Int in
        try removeExpired(before: before)
      }
    } catch {
      counters = saved
      throw error
    }
    counters = saved
    if removed > 0 { counters.count("expire", removed) }
    return removed
  }

  private func removeExpired(before: Int64) throws(StoreError) -> Int {
    var removed = 0
    for (key, _) in try listKeys(under: prefix) {
      let rest = key.dropFirst(prefix.count)
      if rest.hasPrefix("r/") {
        guard let slash = rest.lastIndex(of: "/"),
          let at = Int64(rest[rest.index(after: slash)...].prefix(16)), at < before
        else { continue }
        _ = try request("DELETE", key: key)
        removed += 1
      } else if rest.hasPrefix("e/") {
        let r = try request("GET", key: key)
        if try missing(r) { continue }
        let d = try ObjectCodec.decode(r.body, what: "\(displayURL) key \(key.prefix(200))")
        guard (d.records.map(\.at).max() ?? Int64.min) < before else { continue }
        _ = try request("DELETE", key: key)
        known[d.entity] = nil
        removed += d.records.count
      }
    }
    return removed
  }

  public func storedBytes() throws(StoreError) -> Int? {
    let saved = counters
    defer { counters = saved }
    return try client.operation { () throws(StoreError) -> Int? in
      try listKeys(under: prefix).reduce(0) { $0 + $1.size }
    }
  }

  public func storedRecords() throws(StoreError) -> Int? {
    let saved = counters
    defer { counters = saved }
    return try client.operation { () throws(StoreError) -> Int? in
      var n = 0
      for (key, _) in try listKeys(under: prefix) {
        if key.dropFirst(prefix.count).hasPrefix("r/") {
          n += 1
          continue
        }
        let r = try request("GET", key: key)
        if try missing(r) { continue }
        n += try ObjectCodec.decode(r.body, what: key).records.count
      }
      return n
    }
  }
}
