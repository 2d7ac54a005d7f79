import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Sends one HTTP request and returns the response: `HTTPClient` for `http://`, `HTTPSTransport` for `https://`.
public protocol HTTPTransport: AnyObject {
  func send(method: String, target: String, headers: [(String, String)], body: [UInt8])
    throws(StoreError) -> HTTPResponse
  var hostHeader: String { get }
  /// The current operation's deadline: a request waits no longer than what is left of it.
  var deadline: Deadline? { get set }
  /// The most the next response body may hold (what is left of a load's `maxLoadBytes`); nil: no limit of its own.
  var bodyLimit: Int? { get set }
}

extension HTTPClient: HTTPTransport {}

/// `https://` (real AWS) through URLSession, which lives in `libCostPlanHTTPS.so` beside the executable and is
/// loaded on first use: linking FoundationNetworking into `costplan` itself would add ~8 ms to every command's
/// start (libcurl, OpenSSL and 30 more shared libraries), https or not. AWSClient uses it for `https` only; the
/// tests give it `http` and a loopback server: URLSession on Linux trusts only the system's CA bundle
/// (swift-corelibs-foundation reads `URLSessionCertificateAuthorityInfoFile` on Android alone), so no test server
/// can present a certificate it accepts, and what this transport does with a reply does not depend on TLS.
public final class HTTPSTransport: HTTPTransport {
  typealias SendFunction =
    @convention(c) (
      UnsafePointer<UInt8>, Int, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
      UnsafeMutablePointer<Int>
    ) -> Int32
  let base: String
  public let hostHeader: String
  let timeoutSeconds: Double
  let sendFunction: SendFunction
  public var deadline: Deadline?
  /// Passed to the library, which refuses a Content-Length over it before reading the body and cuts a body off as
  /// soon as more than it has arrived.
  public var bodyLimit: Int?

  public static let libraryName = "libCostPlanHTTPS.so"

  /// The entry point of the interface this executable speaks (the head with LEFT and LIMIT).
  static let sendSymbol = "costplan_https_send_v2"

  /// The library's `sendSymbol`.
  static func load(
    _ lookup: (String) -> UnsafeMutableRawPointer? = { HTTPSTransport.symbol($0) }
  ) throws(StoreError) -> SendFunction {
    guard let sym = lookup(sendSymbol) else {
      throw Self.missing(stale: lookup("costplan_https_send") != nil)
    }
    return unsafeBitCast(sym, to: SendFunction.self)
  }

  /// No library, or one from an older build: `swift build -c release --product costplan` builds the executable
  /// only, and leaves an earlier libCostPlanHTTPS.so beside it as it was.
  static func missing(stale: Bool) -> StoreError {
    let build =
      "`swift build` builds it beside a debug build, `swift build -c release --product CostPlanHTTPS` beside a release one"
    if stale {
      return StoreError(
        .unavailable,
        "the \(libraryName) found is from an older build of costplan (it has no \(sendSymbol)); rebuild it: \(build)"
      )
    }
    return StoreError(
      .unavailable,
      "https:// endpoints need \(libraryName) beside the costplan executable (\(build))")
  }

  /// `name` in the library, which is looked for beside the running executable, then beside the test bundle or
  /// tool that loaded StorageKit, then on the loader's own search path; nil when none of them has it.
  static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append((exe as NSString).deletingLastPathComponent + "/" + libraryName)
    }
    if let arg0 = CommandLine.arguments.first {
      candidates.append((arg0 as NSString).deletingLastPathComponent + "/" + libraryName)
    }
    candidates.append(libraryName)
    for path in candidates {
      if let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL), let sym = dlsym(handle, name) {
        return sym
      }
    }
    return nil
  }

  public init(scheme: String, host: String, port: Int, timeoutSeconds: Double) throws(StoreError) {
    let h = host.contains(":") ? "[\(host)]" : host
    hostHeader = port == (scheme == "http" ? 80 : 443) ? h : "\(h):\(port)"
    base = "\(scheme)://\(hostHeader)"
    self.timeoutSeconds = timeoutSeconds
    sendFunction = try Self.load()
  }

  public func send(method: String, target: String, headers: [(String, String)], body: [UInt8])
    throws(StoreError) -> HTTPResponse
  {
    if let deadline, deadline.passed { throw deadline.expired(hostHeader, "no connection") }
    // The session's timeout stays fixed (one session per value); what is left of the operation bounds this request
    // ("-": no deadline, when the body limit follows).
    var numbers = "\(timeoutSeconds)"
    if deadline != nil || bodyLimit != nil {
      numbers += " \(deadline.map { "\($0.remaining)" } ?? "-")"
    }
    if let bodyLimit { numbers += " \(bodyLimit)" }
    var head = "\(method)\n\(base)\(target)\n\(numbers)\n"
    for (k, v) in headers where k.lowercased() != "content-length" { head += "\(k): \(v)\n" }
    let h = Array(head.utf8)
    var request: [UInt8] = [
      UInt8(h.count >> 24 & 255), UInt8(h.count >> 16 & 255), UInt8(h.count >> 8 & 255),
      UInt8(h.count & 255),
    ]
    request += h
    request += body
    var out: UnsafeMutablePointer<UInt8>?
    var outLength = 0
    let rc = request.withUnsafeBufferPointer {
      sendFunction($0.baseAddress!, $0.count, &out, &outLength)
    }
    guard let out else {
      throw StoreError(.unavailable, "\(hostHeader): no reply from \(Self.libraryName)")
    }
    defer { free(out) }
    let reply = Array(UnsafeBufferPointer(start: out, count: outLength))
    guard rc == 0 else {
      // "CODE\nmessage": CODE is URLError's code (0 for the library's own failures), so what happened is decided
      // by number, as TCPConnection's errno, and AWSClient does not retry what retrying cannot mend.
      let text = String(decoding: reply, as: UTF8.self)
      let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
      let code = parts.count == 2 ? Int(parts[0]) ?? 0 : 0
      let why = parts.count == 2 ? String(parts[1]) : text
      if code == -1103 { throw overLimit(why) }
      if let deadline, deadline.passed { throw deadline.expired(hostHeader) }
      let failure = Self.failure(urlErrorCode: code)
      let words: String
      switch failure.kind {
      case .cannotResolve: words = "cannot resolve host: "
      case .cannotConnect: words = "cannot connect: "
      case .closedByPeer, .lost: words = ""
      case .untrustedServer: words = "TLS refused the server's certificate: "
      }
      throw StoreError(
        code == -1001 ? .timeout : .unavailable, "\(hostHeader): \(words)\(why)",
        underlying: failure)
    }
    guard reply.count >= 4 else {
      throw StoreError(.badData, "\(hostHeader): malformed reply from \(Self.libraryName)")
    }
    let n = Int(reply[0]) << 24 | Int(reply[1]) << 16 | Int(reply[2]) << 8 | Int(reply[3])
    guard n <= reply.count - 4 else {
      throw StoreError(.badData, "\(hostHeader): malformed reply from \(Self.libraryName)")
    }
    let lines = String(decoding: reply[4..<4 + n], as: UTF8.self).split(separator: "\n")
    guard let status = lines.first.flatMap({ Int($0) }) else {
      throw StoreError(.badData, "\(hostHeader): malformed reply")
    }
    var hs: [(String, String)] = []
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      hs.append(
        (
          line[..<colon].lowercased(),
          line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        ))
    }
    let body = Array(reply[(4 + n)...])
    // The library has refused it already; this holds should it ever not have.
    if let limit = bodyLimit, body.count > limit { throw overLimit("length \(body.count)") }
    return HTTPResponse(status: status, headers: hs, body: body)
  }

  /// A body over `bodyLimit`, as the library reports it: "length N" (its Content-Length, refused before the body
  /// was read) or "received N" (cut off when N bytes had arrived).
  func overLimit(_ why: String) -> StoreError {
    let limit = bodyLimit ?? 0
    let words = why.split(separator: " ")
    let n = words.count == 2 ? Int(words[1]) : nil
    if let n, words[0] == "length" {
      return StoreError(
        .tooLarge,
        "\(hostHeader): a response body of \(n) bytes, over the \(limit) bytes left of the load's maxLoadBytes"
      )
    }
    return StoreError(
      .tooLarge,
      "\(hostHeader): a response body of more than \(limit) bytes, the bytes left of the load's maxLoadBytes"
        + (n.map { " (cut off when \($0) had arrived)" } ?? ""))
  }

  /// What a URLError code (NSURLErrorDomain) says happened to the connection.
  static func failure(urlErrorCode code: Int) -> ConnectionFailure {
    switch code {
    case -1003, -1006: return ConnectionFailure(.cannotResolve)  // cannotFindHost, dnsLookupFailed
    case -1004: return ConnectionFailure(.cannotConnect)  // cannotConnectToHost
    case -1005: return ConnectionFailure(.lost, errno: ECONNRESET)  // networkConnectionLost
    case -1001: return ConnectionFailure(.lost, errno: ETIMEDOUT)  // timedOut
    // secureConnectionFailed … serverCertificateNotYetValid, clientCertificateRejected/Required
    case -1206 ... -1200: return ConnectionFailure(.untrustedServer)
    default: return ConnectionFailure(.lost)
    }
  }
}

/// An AWS API error decoded from its XML (S3) or JSON (DynamoDB) body. What it means (`kind`) is decided from the
/// HTTP status and the error code once, here; the message is for people.
public struct AWSError: Error, Sendable, CustomStringConvertible {
  public var status: Int
  public var code: String
  public var message: String

  public init(status: Int, code: String, message: String) {
    self.status = status
    self.code = code
    self.message = message
  }

  /// What an error reply means to the client.
  public enum Kind: Sendable, Equatable {
    /// Slow down (429, `ThrottlingException`, `ProvisionedThroughputExceededException`, `RequestLimitExceeded`,
    /// `SlowDown`, …): retried with backoff.
    case throttled
    /// The service failed (5xx, `InternalError`, `ServiceUnavailable`): retried with backoff.
    case serverError
    /// The credentials are refused (403, `InvalidAccessKeyId`, `SignatureDoesNotMatch`,
    /// `UnrecognizedClientException`, `ExpiredToken`, …): not retried.
    case credentialsRefused
    /// A conditional write's condition failed (412 `PreconditionFailed`, `ConditionalCheckFailedException`):
    /// someone else wrote first.
    case conditionFailed
    /// Anything else: the request's own fault (no such bucket or table, a bad parameter).
    case other
  }

  static let throttlingCodes: Set<String> = [
    "Throttling", "ThrottlingException", "ProvisionedThroughputExceededException",
    "RequestLimitExceeded", "SlowDown", "ThrottledException", "TooManyRequestsException",
    "RequestThrottled", "RequestThrottledException",
  ]
  static let serverErrorCodes: Set<String> = [
    "InternalError", "InternalFailure", "InternalServerError", "ServiceUnavailable",
    "RequestTimeout",
  ]
  static let credentialCodes: Set<String> = [
    "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidClientTokenId",
    "UnrecognizedClientException", "AccessDenied", "AccessDeniedException", "ExpiredToken",
    "ExpiredTokenException", "InvalidToken", "MissingAuthenticationToken",
    "MissingAuthenticationTokenException", "IncompleteSignature", "IncompleteSignatureException",
    "AuthFailure", "InvalidSignatureException",
  ]
  static let conditionCodes: Set<String> = [
    "PreconditionFailed", "ConditionalCheckFailedException",
  ]

  public var kind: Kind {
    if status == 429 || Self.throttlingCodes.contains(code) { return .throttled }
    if status == 403 || Self.credentialCodes.contains(code) { return .credentialsRefused }
    if status == 412 || Self.conditionCodes.contains(code) { return .conditionFailed }
    if status >= 500 || Self.serverErrorCodes.contains(code) { return .serverError }
    return .other
  }

  /// Throttling and server-side failures are worth retrying; everything else is the caller's to fix.
  public var retryable: Bool { kind == .throttled || kind == .serverError }

  /// The server refused the credentials (like a wrong database password).
  public var refusesCredentials: Bool { kind == .credentialsRefused }

  /// What the failure is: credentials refused; throttled or failing past the retries → unavailable; a failed
  /// condition → a conflict with another writer; anything else the request's own fault → bad data.
  public var storeCode: StoreError.Code {
    switch kind {
    case .credentialsRefused: return .credentialsRefused
    case .throttled, .serverError: return .unavailable
    case .conditionFailed: return .conflict
    case .other: return .badData
    }
  }

  public var description: String { "HTTP \(status) \(code): \(message)" }
}

extension StoreError {
  /// The AWS error reply this failure stands for, if it is one.
  public var aws: AWSError? { underlying(AWSError.self) }
}

/// Signs, sends and retries AWS requests for one endpoint. Credentials never appear in errors or output. Within an
/// `operation`, requests and retries share one deadline: backoff that would outlast it is not slept, and the
/// last error is reported instead.
public final class AWSClient: DeadlineBound {
  public let signer: SigV4Signer
  /// Chosen by the endpoint's scheme; the tests put URLSession's on an `http://` endpoint.
  var transport: HTTPTransport
  public let endpointDisplay: String
  /// Retries after the first attempt (throttling, 5xx), with full-jitter exponential backoff from `baseDelay`.
  public var maxRetries = 4
  public var baseDelaySeconds = 0.05
  public var maxDelaySeconds = 2.0
  public private(set) var retries = 0
  public let timeoutSeconds: Double
  public var deadline: Deadline? { didSet { transport.deadline = deadline } }
  public var sleep: (Double) -> Void = { usleep(useconds_t(max(0, $0) * 1_000_000)) }
  private var rng = SystemRandomNumberGenerator()

  public init(endpoint: NetworkEndpoint, signer: SigV4Signer, timeoutSeconds: Double)
    throws(StoreError)
  {
    self.signer = signer
    self.timeoutSeconds = timeoutSeconds
    endpointDisplay = endpoint.display
    if endpoint.scheme == "http" {
      transport = HTTPClient(
        host: endpoint.host, port: endpoint.port, timeoutSeconds: timeoutSeconds)
    } else {
      transport = try HTTPSTransport(
        scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
        timeoutSeconds: timeoutSeconds)
    }
  }

  /// Sends a signed request. `path` and `query` are not encoded (the signer and this encode them once, the same
  /// way). Retries retryable failures; `decodeError` turns an error body into code and message. Outside an
  /// `operation` the request (its retries included) is one of its own. `bodyLimit` bounds the response body
  /// (what is left of a load's `maxLoadBytes`). An error reply is thrown with its `AWSError` underneath
  /// (`StoreError.aws`), whose `kind` decides retries and the error's code.
  public func send(
    method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
    body: [UInt8] = [], bodyLimit: Int? = nil, decodeError: (HTTPResponse) -> AWSError
  ) throws(StoreError) -> HTTPResponse {
    try operation { () throws(StoreError) -> HTTPResponse in
      transport.bodyLimit = bodyLimit
      defer { transport.bodyLimit = nil }
      return try sendWithRetries(
        method: method, path: path, query: query, headers: headers, body: body,
        decodeError: decodeError)
    }
  }

  private func sendWithRetries(
    method: String, path: String, query: [(String, String)], headers: [(String, String)],
    body: [UInt8], decodeError: (HTTPResponse) -> AWSError
  ) throws(StoreError) -> HTTPResponse {
    let target =
      SigV4Signer.encode(path, keepSlash: true)
      + (query.isEmpty ? "" : "?" + SigV4Signer.canonicalQuery(query))
    var attempt = 0
    while true {
      // A body's Content-Length is signed too, as botocore does (moto's signature check re-signs with botocore).
      let length = body.isEmpty ? [] : [("content-length", String(body.count))]
      let req = SigV4Signer.Request(
        method: method, path: path, query: query,
        headers: [("host", transport.hostHeader)] + length + headers, body: body)
      let signed = signer.signedHeaders(req, date: Date()).filter { $0.0.lowercased() != "host" }
      let sent: Result<HTTPResponse, StoreError>
      do {
        sent = .success(
          try transport.send(method: method, target: target, headers: signed, body: body))
      } catch { sent = .failure(error) }
      let failure: StoreError
      switch sent {
      case .success(let r):
        if r.status < 300 || r.status == 304 || (r.status == 404 && method != "PUT") { return r }
        let e = decodeError(r)
        let text =
          "\(endpointDisplay): \(method) \(path.prefix(120)): HTTP \(r.status) \(e.code): \(e.message)"
        if !e.retryable || attempt >= maxRetries {
          throw StoreError(
            e.storeCode,
            attempt > 0 ? "\(text) (after \(attempt + 1) attempts)" : text, underlying: e)
        }
        failure = StoreError(e.storeCode, text, underlying: e)
      case .failure(let error):
        // Nobody listening, no such host, a certificate TLS refuses, a reply over the load's limit: no point
        // retrying. Timeouts and resets are retried (within the deadline).
        let connection = error.underlying(ConnectionFailure.self)?.kind
        if attempt >= maxRetries || (error.code != .unavailable && error.code != .timeout)
          || connection == .cannotConnect || connection == .cannotResolve
          || connection == .untrustedServer
        {
          throw error
        }
        failure = error
      }
      attempt += 1
      let cap = min(maxDelaySeconds, baseDelaySeconds * Double(1 << min(attempt, 20)))
      let delay = Double.random(in: 0...cap, using: &rng)
      if let deadline, delay >= deadline.remaining {
        let attempts = "after \(attempt) attempt\(attempt == 1 ? "" : "s")"
        // A failure that was the deadline itself already says so.
        let why =
          failure.code == .timeout
            && (failure.underlying is DeadlineExpired
              || failure.underlying(DeadlineExpired.self) != nil)
          ? attempts : "\(attempts), when the operation's timeout of \(deadline.shown) ran out"
        throw StoreError(.timeout, "\(failure.message) (\(why))", underlying: failure)
      }
      retries += 1
      sleep(delay)
    }
  }
}

/// `endpoint=` of an AWS backend URL: scheme, host and port.
public struct NetworkEndpoint: Sendable {
  /// A Region code goes into host names and the signing scope: lower-case letters, digits and '-' only.
  public static func checkRegion(_ region: String, in url: String) throws(StoreError) {
    guard !region.isEmpty,
      region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
    else {
      throw StoreError(.badURL, "\(url): region '\(region)' is not a Region code like us-east-1")
    }
  }

  public var scheme: String
  public var host: String
  public var port: Int
  public var display: String

  public init(_ text: String) throws(StoreError) {
    guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(),
      ["http", "https"].contains(scheme),
      let host = c.host, !host.isEmpty
    else {
      throw StoreError(.badURL, "endpoint '\(text)' is not an http:// or https:// URL")
    }
    guard c.user == nil, c.password == nil else {
      throw StoreError(
        .badURL,
        "endpoint '\(text.prefix(40))…': credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not the URL"
      )
    }
    guard c.path.isEmpty || c.path == "/" else {
      throw StoreError(.badURL, "endpoint '\(text)': no path expected")
    }
    self.scheme = scheme
    self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    self.port = c.port ?? (scheme == "https" ? 443 : 80)
    self.display = "\(scheme)://\(host)\(c.port.map { ":\($0)" } ?? "")"
  }
}

/// Minimal XML reading for S3 responses: the text of every `<name>` element, entities decoded. S3's responses
/// are flat enough (ListBucketResult, Error) that no tree is needed. Tags are found as bytes and entities decoded
/// by Unicode scalar, as XML reads them: by Character, text that starts with a combining mark joins the '>' (or the
/// ';') before it in one Character, and the tag (or the entity) is not found.
public enum XMLText {
  public static func all(_ name: String, in xml: String) -> [String] {
    // Searched as bytes (memmem): Foundation's range(of:) on the text cost a third of a LIST's CPU.
    let open = Array("<\(name)>".utf8)
    let close = Array("</\(name)>".utf8)
    var text = xml
    return text.withUTF8 { b -> [String] in
      guard let base = b.baseAddress else { return [] }
      var out: [String] = []
      var from = 0
      while let a = find(open, in: base, count: b.count, from: from),
        let z = find(close, in: base, count: b.count, from: a + open.count)
      {
        let inner = UnsafeBufferPointer(start: base + a + open.count, count: z - a - open.count)
        out.append(decode(String(decoding: inner, as: UTF8.self)))
        from = z + close.count
      }
      return out
    }
  }

  /// Where `needle` first occurs in `count` bytes at `base`, at or after `from` (memchr for its first byte,
  /// memcmp for the rest).
  static func find(_ needle: [UInt8], in base: UnsafePointer<UInt8>, count: Int, from: Int) -> Int?
  {
    guard let first = needle.first else { return nil }
    var i = from
    return needle.withUnsafeBytes { n -> Int? in
      while count - i >= n.count {
        guard let hit = memchr(base + i, Int32(first), count - i) else { return nil }
        let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        guard count - at >= n.count else { return nil }
        if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
        i = at + 1
      }
      return nil
    }
  }

  public static func first(_ name: String, in xml: String) -> String? { all(name, in: xml).first }

  /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references; an `&` with no `;` within 10 scalars after it
  /// stays as it is.
  static func decode(_ s: String) -> String {
    guard s.utf8.contains(UInt8(ascii: "&")) else { return s }
    let u = Array(s.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < u.count {
      if u[i] == "&", let semi = u[(i + 1)..<min(u.count, i + 11)].firstIndex(of: ";") {
        let ent = String(String.UnicodeScalarView(u[(i + 1)..<semi]))
        var scalar: UnicodeScalar?
        switch ent {
        case "amp": scalar = "&"
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default:
          if ent.hasPrefix("#x") {
            scalar = UInt32(ent.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init)
          } else if ent.hasPrefix("#") {
            scalar = UInt32(ent.dropFirst()).flatMap(UnicodeScalar.init)
          }
        }
        if let scalar {
          out.append(scalar)
          i = semi + 1
          continue
        }
      }
      out.append(u[i])
      i += 1
    }
    return String(out)
  }

  public static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
