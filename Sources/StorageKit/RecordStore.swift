import Foundation

/// One record as a store returns it: its number within the entity (1-based, in write order), the time it was
/// appended (milliseconds since 1970, UTC) and its bytes.
public struct StoredRecord: Sendable, Equatable {
  public var seq: Int
  public var at: Int64
  public var body: [UInt8]

  public init(seq: Int, at: Int64, body: [UInt8]) {
    self.seq = seq
    self.at = at
    self.body = body
  }
}

/// What a store did, counted as the service it stands for would bill it (README.md "The reference store: validate, bench, store").
public struct StoreCounters: Sendable, Equatable {
  /// Requests by kind, named as the service's API names them: `PUT`, `GET`, `LIST` for S3; `PutItem`,
  /// `UpdateItem`, `Query`, `GetItem` for DynamoDB; `append`, `load` for the plain memory store; `cache-hit`
  /// and `cache-miss` for the cache wrapper. Expiry done by the service itself (lifecycle, TTL) is `expire`.
  public var requests: [String: Int] = [:]
  /// DynamoDB write and read request units, computed from the sizes of the items really built.
  public var writeUnits: Double = 0
  public var readUnits: Double = 0
  /// Payload bytes written and read (object bodies, item sizes, record bodies).
  public var bytesSent: Int = 0
  public var bytesReceived: Int = 0

  public init() {}

  public mutating func count(_ kind: String, _ n: Int = 1) { requests[kind, default: 0] += n }
  public subscript(_ kind: String) -> Int { requests[kind] ?? 0 }

  public static func + (a: StoreCounters, b: StoreCounters) -> StoreCounters {
    var c = a
    for (k, v) in b.requests { c.requests[k, default: 0] += v }
    c.writeUnits += b.writeUnits
    c.readUnits += b.readUnits
    c.bytesSent += b.bytesSent
    c.bytesReceived += b.bytesReceived
    return c
  }
}

/// The reference store. Entity ids are untrusted data: any string, encoded by each backend, never a path or SQL.
public protocol RecordStore: AnyObject {
  /// The backend URL with any secret replaced by `***`.
  var displayURL: String { get }
  /// Appends one record; returns once the backend has acknowledged it durably. The result is the record's
  /// number when the backend knows it at write time (nil for layouts that number records only when loading).
  @discardableResult func append(entity: String, body: [UInt8], at: Int64) throws(StoreError)
    -> Int?
  /// The entity's records with `at >= since` (all when nil), in write order.
  func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord]
  /// Removes what is past retention: every stored unit (an object or item; a record where each record is its
  /// own unit) whose newest record is older than `before`, and nothing else. Returns the records removed.
  @discardableResult func expire(before: Int64) throws(StoreError) -> Int
  /// Requests, capacity units and bytes so far.
  var counters: StoreCounters { get }
  /// Bytes the backend holds for its records (objects, items), where it can tell.
  func storedBytes() throws(StoreError) -> Int?
  /// Records held, where the backend can tell.
  func storedRecords() throws(StoreError) -> Int?
}

/// A store failure: what kind of failure (`code`), a message for people that names the store, the path or the
/// peer (never a secret), and the error underneath where there is one (an errno, a server's error reply, a
/// decoding error). The library says what went wrong, not what a program should do about it: the CLI turns codes
/// into exit codes (CostPlanCLI's `ExitCode.of`, docs/formats.md "Exit codes and error messages").
public struct StoreError: Error, CustomStringConvertible, Sendable {
  /// What went wrong. Each case is one thing the backends tell apart; callers switch over them.
  public enum Code: String, CaseIterable, Sendable {
    /// A backend URL that cannot be used: unknown scheme or parameter, bad value, missing credentials in the
    /// environment, a Redis database that cannot be selected.
    case badURL
    /// Data on disk or from a server that is corrupt or malformed, or an error reply to a request (no such
    /// bucket or table, an SQL error).
    case badData
    /// A record or entity id the backend refuses: an empty or too long entity id, a record over a size limit, a
    /// time before 1970.
    case recordRefused
    /// The backend cannot be reached: no such host, connection refused or lost, throttled past the retries.
    case unavailable
    /// No reply, or no complete operation, within the time allowed (`timeout=`, a connect or read timeout).
    case timeout
    /// The server refuses the credentials, or asks for some and none were given.
    case credentialsRefused
    /// The server asks for an authentication method costplan does not use (a cleartext password without
    /// allowCleartextPassword=true, an unknown method or SASL mechanism); no secret was sent.
    case authenticationUnsupported
    /// An entity kept changing under concurrent writers, past the retries.
    case conflict
    /// A file of a `file:` store cannot be read, listed or examined.
    case cannotRead
    /// An append to a `file:` store opened read-only (it can still be loaded).
    case readOnly
    /// The backend cannot write: permissions, a full disk, a file-size limit.
    case cannotWrite
    /// A load that would bring in more than its bounds allow (`maxLoadBytes=`, `maxLoadItems=`): an entity holding
    /// more than that, or a server sending endless pages or a huge reply.
    case tooLarge
  }
  public var code: Code
  public var message: String
  /// The error this one stands for, if any: an errno (`POSIXError`), a protocol or decoding error, a
  /// `StoreError` given more context.
  public var underlying: (any Error)?

  public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  /// The error for an errno value, if it names one.
  public static func posix(_ errno: Int32) -> (any Error)? {
    POSIXErrorCode(rawValue: errno).map { POSIXError($0) }
  }

  /// The same failure with `context` before the message ("context: message"); this error becomes the
  /// underlying one.
  public func context(_ context: String) -> StoreError {
    StoreError(code, "\(context): \(message)", underlying: self)
  }

  public var description: String { message }

  /// The first error of type `T` in the chain of underlying errors (this one's, its underlying's, …): an
  /// `AWSError`, a `RedisError`, a `PGServerError`, a `ConnectionFailure`. Callers decide by these, not by the
  /// message's words.
  public func underlying<T: Error>(_ type: T.Type) -> T? {
    var next = underlying
    while let e = next {
      if let t = e as? T { return t }
      next = (e as? StoreError)?.underlying
    }
    return nil
  }
}

/// Entity ids: any UTF-8 text (NUL, quotes, slashes, any script) of 1 to 65,536 bytes.
public enum EntityId {
  public static let maxBytes = 65_536

  public static func check(_ entity: String) throws(StoreError) {
    guard !entity.isEmpty else { throw StoreError(.recordRefused, "entity id is empty") }
    guard entity.utf8.count <= maxBytes else {
      throw StoreError(
        .recordRefused, "entity id is \(entity.utf8.count) bytes, over the \(maxBytes)-byte limit")
    }
  }
}

/// The number of the record after `last` (1 for an entity's first). A stored number at `Int.max`, read from a file
/// or from a server's reply, is bad data: adding 1 would trap.
func nextSeq(after last: Int?) throws(StoreError) -> Int {
  let l = last ?? 0
  guard l < Int.max else {
    throw StoreError(.badData, "the entity's last record number is \(l); no record can follow it")
  }
  return l + 1
}
