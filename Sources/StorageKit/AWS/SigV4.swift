import Foundation

/// AWS credentials; the secret is never printed (the description hides it).
public struct AWSCredentials: Sendable, CustomStringConvertible {
  public var accessKeyId: String
  public var secretAccessKey: String
  public var sessionToken: String?

  public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyId = accessKeyId
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }

  /// From AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
  public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment)
    -> AWSCredentials?
  {
    guard let id = env["AWS_ACCESS_KEY_ID"], !id.isEmpty, let secret = env["AWS_SECRET_ACCESS_KEY"],
      !secret.isEmpty
    else { return nil }
    return AWSCredentials(
      accessKeyId: id, secretAccessKey: secret,
      sessionToken: env["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
  }

  public var description: String {
    "AWSCredentials(\(accessKeyId), secret ***\(sessionToken == nil ? "" : ", session token ***"))"
  }
}

/// Signature Version 4 (AWS General Reference, "Signing AWS API requests"), as a value with an explicit time.
/// Tested on the aws-sig-v4-test-suite cases and the S3 API Reference examples.
public struct SigV4Signer: Sendable {
  public var credentials: AWSCredentials
  public var region: String
  public var service: String
  /// S3 signs the path as sent: no dot-segment normalization, encoded once. Other services normalize.
  public var isS3: Bool { service == "s3" }

  public init(credentials: AWSCredentials, region: String, service: String) {
    self.credentials = credentials
    self.region = region
    self.service = service
  }

  /// The signing key of the last day signed for (four HMACs a request saved): it depends only on the secret,
  /// the day, the region and the service, all checked before it is reused.
  private final class KeyCache: @unchecked Sendable {
    let lock = NSLock()
    var inputs: [String] = []
    var key: [UInt8] = []
  }
  private let keyCache = KeyCache()

  func signingKey(day: String) -> [UInt8] {
    let inputs = [credentials.secretAccessKey, day, region, service]
    keyCache.lock.lock()
    defer { keyCache.lock.unlock() }
    if keyCache.inputs == inputs { return keyCache.key }
    var key = HMACSHA256.mac(
      key: Array("AWS4\(credentials.secretAccessKey)".utf8), message: Array(day.utf8))
    for part in [region, service, "aws4_request"] {
      key = HMACSHA256.mac(key: key, message: Array(part.utf8))
    }
    keyCache.inputs = inputs
    keyCache.key = key
    return key
  }

  public struct Request: Sendable {
    public var method: String
    /// The path, not percent-encoded (`/my key/ሴ`); the signer encodes it.
    public var path: String
    /// Query parameters, not percent-encoded; a parameter without `=` has an empty value.
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(
      method: String, path: String, query: [(String, String)] = [], headers: [(String, String)],
      body: [UInt8] = []
    ) {
      self.method = method
      self.path = path
      self.query = query
      self.headers = headers
      self.body = body
    }
  }

  public struct Signed: Sendable {
    public var canonicalRequest: String
    public var stringToSign: String
    public var signedHeaders: String
    public var signature: String
    public var authorization: String
  }

  /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
  public static func amzDate(_ date: Date) -> String {
    var t = time_t(date.timeIntervalSince1970.rounded(.down))
    var tm = tm()
    gmtime_r(&t, &tm)
    return String(
      format: "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
      tm.tm_hour, tm.tm_min, tm.tm_sec)
  }

  /// RFC 3986 percent-encoding of everything but unreserved characters (and `/` when `keepSlash`).
  public static func encode(_ s: String, keepSlash: Bool) -> String {
    var out = ""
    for b in s.utf8 {
      switch b {
      case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:
        out.unicodeScalars.append(UnicodeScalar(b))
      case 0x2F where keepSlash: out.append("/")
      default: out += String(format: "%%%02X", b)
      }
    }
    return out
  }

  /// Removes `.` and `..` segments and repeated slashes (RFC 3986 §5.2.4); not for S3.
  static func normalize(_ path: String) -> String {
    var out: [Substring] = []
    for seg in path.split(separator: "/", omittingEmptySubsequences: true) {
      if seg == "." { continue }
      if seg == ".." {
        _ = out.popLast()
        continue
      }
      out.append(seg)
    }
    let trailing = path.hasSuffix("/") && !out.isEmpty
    return "/" + out.joined(separator: "/") + (trailing ? "/" : "")
  }

  public func canonicalURI(_ path: String) -> String {
    let p = path.isEmpty ? "/" : path
    return Self.encode(isS3 ? p : Self.normalize(p), keepSlash: true)
  }

  public static func canonicalQuery(_ query: [(String, String)]) -> String {
    query.map { (encode($0.0, keepSlash: false), encode($0.1, keepSlash: false)) }
      .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
      .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
  }

  /// Lower-case names, sorted; values trimmed with inner runs of spaces collapsed; repeated names joined by `,`.
  static func canonicalHeaders(_ headers: [(String, String)]) -> (text: String, signed: String) {
    var byName: [String: [String]] = [:]
    for (k, v) in headers {
      // Most values have no space to collapse or trim: those are taken as they are.
      var plain = v.utf8.first != 32 && v.utf8.last != 32
      var previous: UInt8 = 0
      for b in v.utf8 where plain {
        if b == 9 || (b == 32 && previous == 32) { plain = false }
        previous = b
      }
      let collapsed =
        plain
        ? v
        : v.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
          .trimmingCharacters(in: .whitespaces)
      byName[k.lowercased(), default: []].append(collapsed)
    }
    let names = byName.keys.sorted()
    return (
      names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined(),
      names.joined(separator: ";")
    )
  }

  /// Signs a request whose headers already include `host` and `x-amz-date` (and, for S3, `x-amz-content-sha256`).
  public func sign(_ r: Request, amzDate: String, payloadHash: String? = nil) -> Signed {
    let (headerText, signedHeaders) = Self.canonicalHeaders(r.headers)
    let hash = payloadHash ?? SHA256.hex(r.body)
    let creq = [
      r.method, canonicalURI(r.path), Self.canonicalQuery(r.query), headerText, signedHeaders, hash,
    ].joined(separator: "\n")
    let day = String(amzDate.prefix(8))
    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let sts = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256.hex(Array(creq.utf8)))"
    let signature = Hex.encode(HMACSHA256.mac(key: signingKey(day: day), message: Array(sts.utf8)))
    let auth =
      "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    return Signed(
      canonicalRequest: creq, stringToSign: sts, signedHeaders: signedHeaders, signature: signature,
      authorization: auth)
  }

  /// The headers to send: the request's own, `x-amz-date`, `x-amz-security-token` with a session token,
  /// `x-amz-content-sha256` for S3, and `Authorization`.
  public func signedHeaders(_ r: Request, date: Date) -> [(String, String)] {
    var req = r
    let amz = Self.amzDate(date)
    let hash = SHA256.hex(r.body)
    req.headers.append(("x-amz-date", amz))
    if let t = credentials.sessionToken { req.headers.append(("x-amz-security-token", t)) }
    if isS3 { req.headers.append(("x-amz-content-sha256", hash)) }
    let s = sign(req, amzDate: amz, payloadHash: hash)
    return req.headers + [("Authorization", s.authorization)]
  }
}
