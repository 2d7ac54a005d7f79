import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback server that runs `script` on a thread of its own for each connection it accepts: a slow, silent or
/// hostile peer written as straight-line code. Scripts end when `stop()` is called or `lifetime` has passed, so a
/// client that never gives up (the bug a test is after) still ends, late.
final class ScriptedServer: @unchecked Sendable {
  let port: Int
  private let listener: Int32
  private let lock = NSLock()
  private var stopped = false
  private let ends: Date

  init(lifetime: Double = 8, script: @escaping @Sendable (ScriptedPeer) -> Void) throws {
    ends = Date().addingTimeInterval(lifetime)
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(s, 8) == 0 else {
      close(s)
      throw ServerMissing(what: "cannot listen on loopback")
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
    }
    port = Int(UInt16(bigEndian: addr.sin_port))
    listener = s
    Thread { [self] in
      while true {
        let c = accept(s, nil, nil)
        if c < 0 {
          close(s)
          return
        }  // closed here, by its own thread (see FakeServer)
        let peer = ScriptedPeer(fd: c, server: self)
        Thread {
          script(peer)
          close(c)
        }.start()
      }
    }.start()
  }

  var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped || Date() > ends
  }

  func stop() {
    lock.lock()
    let was = stopped
    stopped = true
    lock.unlock()
    if !was { shutdown(listener, Int32(SHUT_RDWR)) }
  }

  deinit { stop() }
}

/// One accepted connection, as a script sees it.
final class ScriptedPeer: @unchecked Sendable {
  let fd: Int32
  let server: ScriptedServer  // strong: a script may outlive the test that made the server
  /// Bytes received and not yet taken.
  var received: [UInt8] = []

  init(fd: Int32, server: ScriptedServer) {
    self.fd = fd
    self.server = server
  }

  /// Waits until `n` bytes are buffered; false when the client closed or the server stopped first.
  func read(atLeast n: Int) -> Bool {
    var buf = [UInt8](repeating: 0, count: 65_536)
    while received.count < n {
      guard !server.isStopped else { return false }
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&p, 1, 100) >= 0 else { return false }
      if p.revents == 0 { continue }
      let got = recv(fd, &buf, buf.count, 0)
      if got <= 0 { return false }
      received += buf[0..<got]
    }
    return true
  }

  func take(_ n: Int) -> [UInt8] {
    let out = Array(received.prefix(n))
    received.removeFirst(min(n, received.count))
    return out
  }

  @discardableResult
  func send(_ bytes: [UInt8]) -> Bool {
    var off = 0
    while off < bytes.count {
      let n = bytes.withUnsafeBufferPointer {
        Glibc.send(fd, $0.baseAddress! + off, $0.count - off, Int32(MSG_NOSIGNAL))
      }
      if n <= 0 { return false }
      off += n
    }
    return true
  }

  /// Sends `bytes` one at a time, `every` seconds apart, until they are all sent, the client goes or the
  /// server stops.
  func trickle(_ bytes: [UInt8], every: Double) {
    for b in bytes {
      guard !server.isStopped, send([b]) else { return }
      usleep(useconds_t(every * 1_000_000))
    }
  }

  /// Answers nothing, holding the connection open until the client closes it or the server stops.
  func hold() {
    while read(atLeast: received.count + 1) { received.removeAll() }
  }
}

/// PostgreSQL protocol v3 messages as a fake server writes them.
enum PGWire {
  static func be32(_ v: Int) -> [UInt8] {
    [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
  }
  static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
    [type.asciiValue!] + be32(body.count + 4) + body
  }
  static func auth(_ code: Int) -> [UInt8] { message("R", be32(code)) }
  static let ready = message("Z", Array("I".utf8))
  static func commandComplete(_ tag: String) -> [UInt8] { message("C", Array(tag.utf8) + [0]) }

  /// Reads the startup message (length-prefixed, no type byte); false when the client went away.
  static func readStartup(_ p: ScriptedPeer) -> Bool {
    guard p.read(atLeast: 4) else { return false }
    let n = p.received[0..<4].reduce(0) { $0 << 8 | Int($1) }
    guard p.read(atLeast: n) else { return false }
    _ = p.take(n)
    return true
  }

  /// Reads one typed message: its type and body.
  static func readMessage(_ p: ScriptedPeer) -> (type: Character, body: [UInt8])? {
    guard p.read(atLeast: 5) else { return nil }
    let n = p.received[1..<5].reduce(0) { $0 << 8 | Int($1) }
    guard n >= 4, p.read(atLeast: 1 + n) else { return nil }
    let m = p.take(1 + n)
    return (Character(UnicodeScalar(m[0])), Array(m[5...]))
  }
}

/// One HTTP request as a scripted server reads it: method, target, headers (names lower-cased), body.
struct SeenHTTPRequest {
  var method: String
  var target: String
  var headers: [String: String]
  var body: [UInt8]

  /// DynamoDB's operation (`X-Amz-Target: DynamoDB_20120810.Query` → `Query`).
  var operation: String {
    String((headers["x-amz-target"] ?? "").split(separator: ".").last ?? "")
  }
}

extension ScriptedPeer {
  /// Reads one HTTP request (head, then a Content-Length body); nil when the client went away first.
  func readHTTPRequest() -> SeenHTTPRequest? {
    var headEnd: Int?
    while headEnd == nil {
      if received.count >= 4 {
        for i in 0...(received.count - 4)
        where received[i] == 13 && received[i + 1] == 10 && received[i + 2] == 13
          && received[i + 3] == 10
        {
          headEnd = i
          break
        }
      }
      if headEnd == nil, !read(atLeast: received.count + 1) { return nil }
    }
    let head = String(decoding: take(headEnd! + 4), as: UTF8.self)
    let lines = head.components(separatedBy: "\r\n")
    let start = lines[0].split(separator: " ")
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    guard read(atLeast: length) else { return nil }
    return SeenHTTPRequest(
      method: start.first.map(String.init) ?? "", target: start.count > 1 ? String(start[1]) : "",
      headers: headers, body: take(length))
  }

  /// Answers one HTTP response with `body` (kept alive).
  @discardableResult
  func sendHTTP(
    _ status: Int, _ body: String, contentType: String = "application/x-amz-json-1.0",
    extraHeaders: String = ""
  ) -> Bool {
    send(
      Array(
        "HTTP/1.1 \(status) X\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
          .utf8))
  }
}
