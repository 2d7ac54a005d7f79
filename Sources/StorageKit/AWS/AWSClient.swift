import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends one HTTP request and returns the response: `HTTPClient` for `http://`, URLSession (TLS) for `https://`.
public protocol HTTPTransport: AnyObject {
  func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) throws(StoreError) -> HTTPResponse
  var hostHeader: String { get }
}

extension HTTPClient: HTTPTransport {}

/// `https://` through FoundationNetworking (libcurl on Linux): real AWS endpoints.
public final class URLSessionTransport: HTTPTransport {
  let base: String
  public let hostHeader: String
  let session: URLSession
  let timeoutSeconds: Double

  public init(scheme: String, host: String, port: Int, timeoutSeconds: Double) {
    let h = host.contains(":") ? "[\(host)]" : host
    hostHeader = (scheme == "https" && port == 443) || (scheme == "http" && port == 80) ? h : "\(h):\(port)"
    base = "\(scheme)://\(hostHeader)"
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeoutSeconds
    config.httpMaximumConnectionsPerHost = 1
    session = URLSession(configuration: config)
    self.timeoutSeconds = timeoutSeconds
  }

  public func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) throws(StoreError) -> HTTPResponse {
    guard let url = URL(string: base + target) else { throw StoreError(.badURL, "cannot form a URL from \(base)\(target.prefix(80))") }
    var req = URLRequest(url: url)
    req.httpMethod = method
    for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
    if !body.isEmpty || method == "PUT" || method == "POST" { req.httpBody = Data(body) }
    final class Box: @unchecked Sendable { var data: Data?; var response: URLResponse?; var error: Error? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    session.dataTask(with: req) { d, r, e in
      box.data = d
      box.response = r
      box.error = e
      done.signal()
    }.resume()
    done.wait()
    if let e = box.error { throw StoreError(.unavailable, "\(hostHeader): \(e.localizedDescription)") }
    guard let http = box.response as? HTTPURLResponse else { throw StoreError(.unavailable, "\(hostHeader): no HTTP response") }
    var hs: [(String, String)] = []
    for (k, v) in http.allHeaderFields { hs.append(("\(k)".lowercased(), "\(v)")) }
    return HTTPResponse(status: http.statusCode, headers: hs, body: [UInt8](box.data ?? Data()))
  }
}

/// An AWS API error decoded from its XML (S3) or JSON (DynamoDB) body.
public struct AWSError: Sendable {
  public var status: Int
  public var code: String
  public var message: String

  /// Throttling and server-side failures are worth retrying; everything else is the caller's to fix.
  public var retryable: Bool {
    status >= 500 || status == 429
      || ["Throttling", "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown",
        "ThrottledException", "TooManyRequestsException", "InternalError", "ServiceUnavailable", "RequestTimeout"].contains(code)
  }
}

/// Signs, sends and retries AWS requests for one endpoint. Credentials never appear in errors or output.
public final class AWSClient {
  public let signer: SigV4Signer
  let transport: HTTPTransport
  public let endpointDisplay: String
  /// Retries after the first attempt (throttling, 5xx), with full-jitter exponential backoff from `baseDelay`.
  public var maxRetries = 4
  public var baseDelaySeconds = 0.05
  public var maxDelaySeconds = 2.0
  public private(set) var retries = 0
  public var clock: () -> Date = Date.init
  public var sleep: (Double) -> Void = { usleep(useconds_t(max(0, $0) * 1_000_000)) }
  private var rng = SystemRandomNumberGenerator()

  public init(endpoint: NetworkEndpoint, signer: SigV4Signer, timeoutSeconds: Double) {
    self.signer = signer
    endpointDisplay = endpoint.display
    if endpoint.scheme == "http" {
      transport = HTTPClient(host: endpoint.host, port: endpoint.port, timeoutSeconds: timeoutSeconds)
    } else {
      transport = URLSessionTransport(scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port, timeoutSeconds: timeoutSeconds)
    }
  }

  /// Sends a signed request. `path` and `query` are not encoded (the signer and this encode them once, the same
  /// way). Retries retryable failures; `decodeError` turns an error body into code and message.
  public func send(method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
    body: [UInt8] = [], decodeError: (HTTPResponse) -> AWSError) throws(StoreError) -> HTTPResponse
  {
    let target = SigV4Signer.encode(path, keepSlash: true) + (query.isEmpty ? "" : "?" + SigV4Signer.canonicalQuery(query))
    var attempt = 0
    while true {
      // A body's Content-Length is signed too, as botocore does (moto's signature check re-signs with botocore).
      let length = body.isEmpty ? [] : [("content-length", String(body.count))]
      let req = SigV4Signer.Request(method: method, path: path, query: query, headers: [("host", transport.hostHeader)] + length + headers, body: body)
      let signed = signer.signedHeaders(req, date: clock()).filter { $0.0.lowercased() != "host" }
      let sent: Result<HTTPResponse, StoreError>
      do { sent = .success(try transport.send(method: method, target: target, headers: signed, body: body)) } catch { sent = .failure(error) }
      switch sent {
      case .success(let r):
        if r.status < 300 || r.status == 304 || (r.status == 404 && method != "PUT") { return r }
        let e = decodeError(r)
        let text = "\(endpointDisplay): \(method) \(path.prefix(120)): HTTP \(r.status) \(e.code): \(e.message)"
        if !e.retryable || attempt >= maxRetries {
          throw StoreError(r.status >= 500 || r.status == 429 ? .unavailable : .badData,
            attempt > 0 ? "\(text) (after \(attempt + 1) attempts)" : text)
        }
      case .failure(let error):
        // Nobody listening, or no such host: no point retrying. Timeouts and resets are retried.
        if attempt >= maxRetries || error.kind != .unavailable || error.message.contains("cannot connect")
          || error.message.contains("cannot resolve") { throw error }
      }
      attempt += 1
      retries += 1
      let cap = min(maxDelaySeconds, baseDelaySeconds * Double(1 << min(attempt, 20)))
      sleep(Double.random(in: 0...cap, using: &rng))
    }
  }
}

/// `endpoint=` of an AWS backend URL: scheme, host and port.
public struct NetworkEndpoint: Sendable {
  public var scheme: String
  public var host: String
  public var port: Int
  public var display: String

  public init(_ text: String) throws(StoreError) {
    guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), ["http", "https"].contains(scheme),
      let host = c.host, !host.isEmpty
    else {
      throw StoreError(.badURL, "endpoint '\(text)' is not an http:// or https:// URL")
    }
    guard c.user == nil, c.password == nil else { throw StoreError(.badURL, "endpoint '\(text.prefix(40))…': credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not the URL") }
    guard c.path.isEmpty || c.path == "/" else { throw StoreError(.badURL, "endpoint '\(text)': no path expected") }
    self.scheme = scheme
    self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    self.port = c.port ?? (scheme == "https" ? 443 : 80)
    self.display = "\(scheme)://\(host)\(c.port.map { ":\($0)" } ?? "")"
  }
}

/// Minimal XML reading for S3 responses: the text of every `<name>` element, entities decoded. S3's responses
/// are flat enough (ListBucketResult, Error) that no tree is needed.
public enum XMLText {
  public static func all(_ name: String, in xml: String) -> [String] {
    var out: [String] = []
    var rest = xml[...]
    let open = "<\(name)>", close = "</\(name)>"
    while let a = rest.range(of: open), let b = rest.range(of: close, range: a.upperBound..<rest.endIndex) {
      out.append(decode(String(rest[a.upperBound..<b.lowerBound])))
      rest = rest[b.upperBound...]
    }
    return out
  }

  public static func first(_ name: String, in xml: String) -> String? { all(name, in: xml).first }

  static func decode(_ s: String) -> String {
    guard s.contains("&") else { return s }
    var out = ""
    var i = s.startIndex
    while i < s.endIndex {
      if s[i] == "&", let semi = s[i...].firstIndex(of: ";"), s.distance(from: i, to: semi) <= 10 {
        let ent = s[s.index(after: i)..<semi]
        var scalar: UnicodeScalar?
        switch ent {
        case "amp": scalar = "&"
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default:
          if ent.hasPrefix("#x") { scalar = UInt32(ent.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init) }
          else if ent.hasPrefix("#") { scalar = UInt32(ent.dropFirst()).flatMap(UnicodeScalar.init) }
        }
        if let scalar {
          out.unicodeScalars.append(scalar)
          i = s.index(after: semi)
          continue
        }
      }
      out.append(s[i])
      i = s.index(after: i)
    }
    return out
  }

  public static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
  }
}
