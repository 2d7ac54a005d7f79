import Foundation
import Testing

@testable import StorageKit

/// Errors are decided by their codes, not their words: a Redis error reply's first word is parsed once into a
/// kind; an AWS error reply's HTTP status and error code decide retries and the store error's code (and so the
/// exit code, docs/formats.md).
struct ErrorKindTests {
  @Test(arguments: [
    ("NOAUTH Authentication required.", RedisError.Kind.noAuth, true),
    ("WRONGPASS invalid username-password pair or user is disabled.", .wrongPass, true),
    ("NOPERM this user has no permissions to run the 'lrange' command", .noPerm, true),
    ("WRONGTYPE Operation against a key holding the wrong kind of value", .wrongType, false),
    ("ERR unknown command 'LRANGE'", .err, false),
    ("LOADING Redis is loading the dataset in memory", .other, false),
    // Words later in the line, or a longer first word, are not the prefix.
    ("ERR WRONGPASS is what the other server said", .err, false),
    ("WRONGPASSWORD not a Redis prefix", .other, false),
    ("NOAUTH", .noAuth, true),
  ])
  func redisErrorPrefixIsParsedOnceIntoAKind(
    _ line: String, _ kind: RedisError.Kind, _ refused: Bool
  )
    throws
  {
    let decoded = try #require(try RESP.decode(ArraySlice(Array("-\(line)\r\n".utf8))))
    guard case .error(let e) = decoded.0 else {
      Issue.record("not an error: \(decoded.0)")
      return
    }
    #expect(e.kind == kind && e.refusesCredentials == refused && e.message == line)
    #expect(e.prefix == String(line.split(separator: " ")[0]))
  }

  /// A Redis error reply to a load: refused credentials (exit 69) or an error reply (exit 65), by its kind, with
  /// the `RedisError` underneath.
  @Test(arguments: [
    ("NOAUTH Authentication required.", StoreError.Code.credentialsRefused),
    ("WRONGPASS invalid username-password pair or user is disabled.", .credentialsRefused),
    ("NOPERM this user has no permissions to run the 'lrange' command", .credentialsRefused),
    ("WRONGTYPE Operation against a key holding the wrong kind of value", .badData),
    ("ERR WRONGPASS is what the other server said", .badData),
    ("WRONGPASSWORD not a Redis prefix", .badData),
  ])
  func redisErrorRepliesMapByKind(_ line: String, _ code: StoreError.Code) throws {
    let (port, stop) = try FakeServer.start(reply: Array("-\(line)\r\n".utf8))
    defer { stop() }
    let s = try RedisStore(url: "redis://127.0.0.1:\(port)/0?timeout=2")
    #expect { try s.load(entity: "e", since: nil) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == code && e.underlying(RedisError.self)?.message == line
        && e.message.contains(line)
    }
  }

  static func xml(_ status: Int, _ code: String) -> [UInt8] {
    AWSClientRetryTests.http(
      status, "X", "<Error><Code>\(code)</Code><Message>as told</Message></Error>")
  }

  static func json(_ status: Int, _ type: String, _ message: String = "as told") -> [UInt8] {
    let body = #"{"__type":"com.amazonaws.dynamodb.v20120810#\#(type)","message":"\#(message)"}"#
    return Array(
      "HTTP/1.1 \(status) X\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        .utf8)
  }

  /// One AWS error reply: whether it is retried (the client's own backoff, recorded, not slept), the store error's
  /// code, and the `AWSError` kind underneath.
  struct AWSCase: Sendable, CustomStringConvertible {
    var reply: [UInt8]
    var dynamo: Bool
    var retried: Bool
    var code: StoreError.Code
    var kind: AWSError.Kind
    var description: String {
      String(decoding: reply.prefix(while: { $0 != 13 }), as: UTF8.self)
        + " " + String(decoding: reply.suffix(90), as: UTF8.self)
    }
  }

  static let awsCases: [AWSCase] = [
    // Throttling: retried, then unavailable (69).
    AWSCase(
      reply: json(400, "ThrottlingException"), dynamo: true, retried: true, code: .unavailable,
      kind: .throttled),
    AWSCase(
      reply: json(400, "ProvisionedThroughputExceededException"), dynamo: true, retried: true,
      code: .unavailable, kind: .throttled),
    AWSCase(
      reply: xml(503, "RequestLimitExceeded"), dynamo: false, retried: true, code: .unavailable,
      kind: .throttled),
    AWSCase(
      reply: xml(503, "SlowDown"), dynamo: false, retried: true, code: .unavailable,
      kind: .throttled),
    AWSCase(
      reply: AWSClientRetryTests.http(429, "Too Many Requests", ""), dynamo: false, retried: true,
      code: .unavailable, kind: .throttled),
    // Server errors: retried, then unavailable.
    AWSCase(
      reply: xml(500, "InternalError"), dynamo: false, retried: true, code: .unavailable,
      kind: .serverError),
    AWSCase(
      reply: AWSClientRetryTests.http(502, "Bad Gateway", "<html>proxy</html>"), dynamo: false,
      retried: true, code: .unavailable, kind: .serverError),
    // A failed condition: someone else wrote first; not retried here (the store rereads), a conflict (69).
    AWSCase(
      reply: json(400, "ConditionalCheckFailedException"), dynamo: true, retried: false,
      code: .conflict, kind: .conditionFailed),
    AWSCase(
      reply: xml(412, "PreconditionFailed"), dynamo: false, retried: false, code: .conflict,
      kind: .conditionFailed),
    // Credentials refused: not retried, 69.
    AWSCase(
      reply: xml(403, "InvalidAccessKeyId"), dynamo: false, retried: false,
      code: .credentialsRefused, kind: .credentialsRefused),
    AWSCase(
      reply: xml(403, "SignatureDoesNotMatch"), dynamo: false, retried: false,
      code: .credentialsRefused, kind: .credentialsRefused),
    AWSCase(
      reply: AWSClientRetryTests.http(403, "Forbidden", ""), dynamo: false, retried: false,
      code: .credentialsRefused, kind: .credentialsRefused),
    AWSCase(
      reply: json(400, "UnrecognizedClientException"), dynamo: true, retried: false,
      code: .credentialsRefused, kind: .credentialsRefused),
    AWSCase(
      reply: xml(400, "ExpiredToken"), dynamo: false, retried: false, code: .credentialsRefused,
      kind: .credentialsRefused),
    AWSCase(
      reply: json(400, "ExpiredTokenException"), dynamo: true, retried: false,
      code: .credentialsRefused, kind: .credentialsRefused),
    // The request's own fault: not retried, 65 — whatever its message says.
    AWSCase(
      reply: json(400, "ValidationException", "ThrottlingException SlowDown 503 InternalError"),
      dynamo: true, retried: false, code: .badData, kind: .other),
    AWSCase(
      reply: xml(400, "InvalidArgument"), dynamo: false, retried: false, code: .badData,
      kind: .other),
  ]

  @Test(arguments: awsCases)
  func awsErrorsAreDecidedByStatusAndCode(_ c: AWSCase) throws {
    let (port, stop) = try FakeServer.start(replies: [c.reply])
    defer { stop() }
    let (client, box) = try AWSClientRetryTests.client(port)
    #expect {
      try client.send(
        method: "POST", path: "/", body: Array("{}".utf8),
        decodeError: c.dynamo ? DynamoStore.decodeError : S3Store.decodeError)
    } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == c.code && e.aws?.kind == c.kind
    }
    #expect(box.delays.count == (c.retried ? client.maxRetries : 0))
  }

  /// URLSession's failures reach AWSClient as numbers (URLError codes), as TCPConnection's do as errnos.
  @Test func httpsFailuresAreTypedByTheirURLErrorCode() {
    #expect(HTTPSTransport.failure(urlErrorCode: -1003).kind == .cannotResolve)
    #expect(HTTPSTransport.failure(urlErrorCode: -1006).kind == .cannotResolve)
    #expect(HTTPSTransport.failure(urlErrorCode: -1004).kind == .cannotConnect)
    #expect(HTTPSTransport.failure(urlErrorCode: -1005).isStaleConnection)
    #expect(HTTPSTransport.failure(urlErrorCode: 0).kind == .lost)
  }

  /// A refused connection is typed (not retried: nobody is listening), as is a server that closes a kept-alive
  /// connection (sent again once, on a fresh one).
  @Test func connectionFailuresAreTyped() throws {
    let port = TestServers.freePort()
    let (client, box) = try AWSClientRetryTests.client(port)
    #expect {
      try client.send(method: "GET", path: "/b/k", decodeError: S3Store.decodeError)
    } throws: { e in
      (e as? StoreError)?.underlying(ConnectionFailure.self)?.kind == .cannotConnect
    }
    #expect(box.delays.isEmpty)
    // The fake server closes every connection after its reply, which does not say `Connection: close`.
    let ok = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
    let (port2, stop) = try FakeServer.start(replies: [ok])
    defer { stop() }
    let (kept, keptBox) = try AWSClientRetryTests.client(port2)
    for _ in 0..<3 {
      #expect(
        try kept.send(method: "GET", path: "/b/k", decodeError: S3Store.decodeError).body
          == Array("ok".utf8))
    }
    #expect(keptBox.delays.isEmpty && kept.retries == 0)
  }
}
