import Foundation

/// An HTTP response: status, headers (names lower-cased), body.
public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: [(String, String)]
  public var body: [UInt8]

  public func header(_ name: String) -> String? {
    let n = name.lowercased()
    return headers.first { $0.0 == n }?.1
  }
}

/// What `HTTPClient` reads a response from: its `TCPConnection`, or bytes in memory (the fuzz target).
protocol HTTPByteSource: AnyObject {
  /// Unread bytes.
  var available: ArraySlice<UInt8> { get }
  /// Drops `n` bytes from the front of `available`.
  func consume(_ n: Int)
  /// Reads more bytes (at least one), or throws at the end of the stream or on a failure.
  func fill() throws(StoreError)
  func close()
}

extension TCPConnection: HTTPByteSource {}

/// HTTP/1.1 over one kept-alive `TCPConnection` (plain `http://` endpoints: moto, LocalStack, a proxy), with
/// Content-Length and chunked bodies, bounded sizes, and one reconnect when a kept-alive connection turns out
/// to have been closed by the server before it answered.
public final class HTTPClient {
  public let host: String
  public let port: Int
  public let timeoutSeconds: Double
  private var connection: TCPConnection?
  /// The current operation's deadline (set by `AWSClient`), passed on to the connection.
  public var deadline: Deadline? { didSet { connection?.deadline = deadline } }
  /// The most the next response's body may hold (what is left of a load's `maxLoadBytes`); nil: `maxBodyBytes`.
  /// A body over it is `.tooLarge`, refused from its Content-Length before it is read.
  public var bodyLimit: Int?
  public static let maxHeaderBytes = 64 << 10
  public static let maxBodyBytes = 256 << 20

  public init(host: String, port: Int, timeoutSeconds: Double) {
    self.host = host
    self.port = port
    self.timeoutSeconds = timeoutSeconds
  }

  public var hostHeader: String {
    let h = host.contains(":") ? "[\(host)]" : host
    return port == 80 ? h : "\(h):\(port)"
  }

  /// Sends a request; `target` is the encoded path and query. `headers` must not include Host.
  public func send(method: String, target: String, headers: [(String, String)], body: [UInt8])
    throws(StoreError) -> HTTPResponse
  {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
    var hasLength = false
    for (k, v) in headers {
      head += "\(k): \(v)\r\n"
      if k.lowercased() == "content-length" { hasLength = true }
    }
    if !hasLength { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    var bytes = Array(head.utf8)
    bytes.append(contentsOf: body)
    let reused = connection != nil
    do {
      return try exchange(bytes, method: method)
    } catch {
      // A kept-alive connection the server closed while idle fails before any reply byte: retry once, fresh.
      guard reused, error.underlying(ConnectionFailure.self)?.isStaleConnection == true else {
        throw error
      }
      connection = nil
      return try exchange(bytes, method: method)
    }
  }

  private func exchange(_ bytes: [UInt8], method: String) throws(StoreError) -> HTTPResponse {
    let c: TCPConnection
    if let existing = connection, existing.isOpen {
      c = existing
    } else {
      c = try TCPConnection(
        host: host, port: port, timeoutSeconds: timeoutSeconds, deadline: deadline)
      connection = c
    }
    do {
      try c.write(bytes)
      let r = try readResponse(c, method: method)
      if r.header("connection")?.lowercased() == "close" {
        c.close()
        connection = nil
      }
      return r
    } catch {
      c.close()
      connection = nil
      throw error
    }
  }

  public func close() {
    connection?.close()
    connection = nil
  }

  /// Interim `100 Continue` responses skipped before the final one; more is a hostile or broken server.
  /// RFC 9110 §5.6.2 tchar: ALPHA, DIGIT and !#$%&'*+-.^_`|~.
  static func isTokenByte(_ b: UInt8) -> Bool {
    switch b {
    case 48...57, 65...90, 97...122: return true
    case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: return true
    default: return false
    }
  }

  static let maxInterimResponses = 16

  /// Reads one response for a request made with `method`, leaving whatever follows it unread.
  func readResponse(_ c: some HTTPByteSource, method: String, interim: Int = 0) throws(StoreError)
    -> HTTPResponse
  {
    // Head: up to the blank line.
    var headEnd: Int?
    while headEnd == nil {
      let a = c.available
      if a.count >= 4 {
        var i = a.startIndex
        while i + 3 < a.endIndex {
          if a[i] == 13 && a[i + 1] == 10 && a[i + 2] == 13 && a[i + 3] == 10 {
            headEnd = i - a.startIndex
            break
          }
          i += 1
        }
      }
      if headEnd == nil {
        guard a.count <= Self.maxHeaderBytes else {
          throw bad("response headers over \(Self.maxHeaderBytes) bytes")
        }
        try c.fill()
      }
    }
    let headBytes = Array(c.available.prefix(headEnd!))
    c.consume(headEnd! + 4)
    // Lines and headers are split on bytes: Foundation's components(separatedBy:) and trimming cost more than
    // the rest of a request's CPU on a loopback server.
    var lines: [ArraySlice<UInt8>] = []
    var from = 0
    var i = 0
    while i + 1 < headBytes.count {
      if headBytes[i] == 13 && headBytes[i + 1] == 10 {
        lines.append(headBytes[from..<i])
        i += 2
        from = i
      } else {
        i += 1
      }
    }
    lines.append(headBytes[from...])
    let statusLine = String(decoding: lines[0], as: UTF8.self)
    let statusParts = statusLine.split(separator: " ", maxSplits: 2)
    guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."),
      let status = Int(statusParts[1]), (100...599).contains(status)
    else {
      throw bad("not an HTTP response: \(statusLine.prefix(60))")
    }
    var headers: [(String, String)] = []
    for line in lines.dropFirst() where !line.isEmpty {
      // RFC 9110 §5.5: CR, LF and NUL are invalid in a field (the lines were split on CRLF, a bare one stays).
      guard !line.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else {
        throw bad(
          "header line with a CR, LF or NUL in it: \(String(decoding: line.prefix(60), as: UTF8.self).debugDescription)"
        )
      }
      guard let colon = line.firstIndex(of: 58) else {
        throw bad("malformed header line: \(String(decoding: line, as: UTF8.self).prefix(60))")
      }
      // RFC 9110 §5.1: a field name is a token (RFC 9112 §5.1: no space before the colon either); another byte
      // in it is a malformed reply, not a name to keep (lower-casing it as ASCII left other bytes as they were).
      guard colon > line.startIndex, line[..<colon].allSatisfy(Self.isTokenByte) else {
        throw bad(
          "header name that is not a token: \(String(decoding: line[..<colon].prefix(60), as: UTF8.self).debugDescription)"
        )
      }
      // Names lower-cased (ASCII), values without surrounding spaces and tabs.
      let name = line[..<colon].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
      var value = line[(colon + 1)...]
      while let f = value.first, f == 32 || f == 9 { value = value.dropFirst() }
      while let l = value.last, l == 32 || l == 9 { value = value.dropLast() }
      headers.append(
        (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }
    var r = HTTPResponse(status: status, headers: headers, body: [])
    if status == 100 {
      guard interim < Self.maxInterimResponses else {
        throw bad("more than \(Self.maxInterimResponses) interim 100 Continue responses")
      }
      return try readResponse(c, method: method, interim: interim + 1)
    }
    if method == "HEAD" || status == 204 || status == 304 { return r }
    if r.header("transfer-encoding")?.lowercased().contains("chunked") == true {
      r.body = try readChunked(c)
    } else if let lenText = r.header("content-length") {
      guard let len = Int(lenText), len >= 0, len <= Self.maxBodyBytes else {
        throw bad("bad Content-Length '\(lenText.prefix(30))'")
      }
      try checkLimit(len)
      r.body = try readExactly(c, len)
    } else {
      // No length: the body runs to the end of the connection.
      var body: [UInt8] = []
      while true {
        body.append(contentsOf: c.available)
        c.consume(c.available.count)
        guard body.count <= Self.maxBodyBytes else {
          throw bad("response body over \(Self.maxBodyBytes) bytes")
        }
        try checkLimit(body.count)
        do { try c.fill() } catch {
          if deadline?.passed == true { throw error }  // out of time, not the end of the body
          break
        }
      }
      r.body = body
      c.close()
    }
    return r
  }

  private func readExactly(_ c: some HTTPByteSource, _ n: Int) throws(StoreError) -> [UInt8] {
    while c.available.count < n { try c.fill() }
    let out = Array(c.available.prefix(n))
    c.consume(n)
    return out
  }

  private func readLine(_ c: some HTTPByteSource) throws(StoreError) -> String {
    while true {
      let a = c.available
      if let nl = a.firstIndex(of: 10) {
        let line = String(decoding: a[a.startIndex..<nl], as: UTF8.self).trimmingCharacters(
          in: .whitespacesAndNewlines)
        c.consume(nl - a.startIndex + 1)
        return line
      }
      guard a.count <= 4096 else { throw bad("chunk header line too long") }
      try c.fill()
    }
  }

  private func readChunked(_ c: some HTTPByteSource) throws(StoreError) -> [UInt8] {
    var body: [UInt8] = []
    while true {
      let sizeText = try readLine(c).split(separator: ";").first.map(String.init) ?? ""
      // Compared without adding: a chunk size near Int.max must not overflow the bound check.
      guard let size = Int(sizeText, radix: 16), size >= 0, size <= Self.maxBodyBytes - body.count
      else {
        throw bad("bad chunk size '\(sizeText.prefix(20))'")
      }
      try checkLimit(body.count + size)
      if size == 0 {
        while try !readLine(c).isEmpty {}  // trailers
        return body
      }
      body.append(contentsOf: try readExactly(c, size))
      _ = try readExactly(c, 2)
    }
  }

  /// A body of `n` bytes (so far) against `bodyLimit`.
  private func checkLimit(_ n: Int) throws(StoreError) {
    if let limit = bodyLimit, n > limit {
      throw StoreError(
        .tooLarge,
        "\(hostHeader): a response body of \(n) bytes or more, over the \(limit) bytes left of the load's maxLoadBytes"
      )
    }
  }

  private func bad(_ what: String) -> StoreError {
    StoreError(.badData, "\(hostHeader): \(what)")
  }
}
