import Foundation
import Testing

@testable import StorageKit

#if canImport(Glibc)
  import Glibc
#endif

/// libCostPlanHTTPS, loaded as `https://` endpoints load it.
enum HTTPSLibrary {
  static let built = (try? HTTPSTransport.load()) != nil
  static var usable: Bool { built || TestServers.required }

  /// One request through the library, so that its first-use costs (loading FoundationNetworking and libcurl,
  /// TLS's set-up, URLSession's first session) are paid before a test times anything. On a fresh, loaded CI
  /// machine they took over 2 s, which a test's deadline had counted against the request under test.
  static let warm: Bool = {
    guard built, let refused = RefusedPort() else { return false }
    defer { refused.close() }
    guard
      let t = try? HTTPSTransport(
        scheme: "http", host: "127.0.0.1", port: refused.port, timeoutSeconds: 30)
    else { return false }
    _ = try? t.send(method: "GET", target: "/", headers: [], body: [])
    return true
  }()
}

/// A loopback port bound but not listening: a connection to it is refused for as long as this is open, and no
/// other socket can take the port meanwhile (a port that was merely free could be taken by a parallel test).
struct RefusedPort {
  let port: Int
  private let socket: Int32

  init?() {
    let s = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard s >= 0 else { return nil }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0
      }
    }
    guard ok else {
      Glibc.close(s)
      return nil
    }
    socket = s
    port = Int(UInt16(bigEndian: addr.sin_port))
  }

  func close() { Glibc.close(socket) }
}

/// What a streaming server script sent before the client went away, or before it had sent everything.
final class SentBytes: @unchecked Sendable {
  private let lock = NSLock()
  private var bytes = 0
  private var ended = false

  func add(_ n: Int) {
    lock.lock()
    bytes += n
    lock.unlock()
  }

  func end() {
    lock.lock()
    ended = true
    lock.unlock()
  }

  /// Waits up to `seconds` for the script to end; the bytes it sent, and whether it ended.
  func wait(seconds: Double) -> (bytes: Int, ended: Bool) {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
      lock.lock()
      let now = (bytes, ended)
      lock.unlock()
      if now.1 || Date() > deadline { return now }
      usleep(20_000)
    }
  }
}

/// A response body over a load's `maxLoadBytes` through URLSession (libCostPlanHTTPS, what `https://` endpoints
/// use) is refused as it arrives, as HTTPClient refuses it over `http://`: from its Content-Length before its
/// bytes, or as soon as more than the limit has come, never buffered whole first. The server is a scripted one
/// over plain HTTP on loopback (see `HTTPSTransport`: no test server can present a certificate URLSession on
/// Linux accepts); the store's requests are put on URLSession's transport.
@Suite(
  .serialized,
  .enabled(
    if: HTTPSLibrary.usable,
    "\(HTTPSTransport.libraryName) is not built (swift build builds it; set COSTPLAN_REQUIRE_SERVERS=1 to fail instead)"
  ))
struct URLSessionBodyLimitTests {
  static let limit = 1 << 20
  /// 64 KiB every 10 ms: the whole 64 MiB would take 10 s.
  static let piece = 65_536
  static let pieces = 1024

  /// An S3 store (`maxLoadBytes` 1 MiB unless `query` says otherwise) whose requests go through URLSession to
  /// `server`; URLSession's own timeout is `sessionTimeout`, the operation's `timeout=`.
  static func store(
    _ server: ScriptedServer, query: String = "maxLoadBytes=\(limit)", sessionTimeout: Double = 10
  ) throws -> S3Store {
    let s = try S3Store(
      url: try BackendURL("s3://costplan-test?endpoint=http://127.0.0.1:\(server.port)&\(query)"),
      credentials: testCredentials)
    s.client.transport = try HTTPSTransport(
      scheme: "http", host: "127.0.0.1", port: server.port, timeoutSeconds: sessionTimeout)
    return s
  }

  /// Answers the first request with `head`, then 64 MiB of body in 64 KiB pieces 10 ms apart (chunked if
  /// `chunked`), counting in `sent` what it could send before the client closed the connection.
  static func streaming(head: String, chunked: Bool, sent: SentBytes) throws -> ScriptedServer {
    try ScriptedServer(lifetime: 30) { p in
      defer { sent.end() }
      guard p.readHTTPRequest() != nil, p.send(Array(head.utf8)) else { return }
      let body = [UInt8](repeating: UInt8(ascii: "x"), count: piece)
      let framed =
        chunked ? Array(String(piece, radix: 16).utf8) + [13, 10] + body + [13, 10] : body
      for _ in 0..<pieces {
        guard !p.server.isStopped, p.send(framed) else { return }
        sent.add(piece)
        usleep(10_000)
      }
      if chunked { p.send(Array("0\r\n\r\n".utf8)) }
    }
  }

  /// The load fails with `.tooLarge` whose message holds `words`, well before the body could have arrived (10 s),
  /// and the server could send only a little of the 64 MiB before the client closed the connection.
  static func expectCutOff(_ s: S3Store, _ sent: SentBytes, _ words: [String]) {
    #expect(HTTPSLibrary.warm)
    let started = Date()
    do {
      _ = try s.load(entity: "e", since: nil)
      Issue.record("no error")
    } catch {
      #expect(error.code == .tooLarge, "\(error)")
      for w in words { #expect(error.message.contains(w), "\(error)") }
    }
    // The whole body takes at least 10 s to send; the byte count below is the sharper proof.
    #expect(Date().timeIntervalSince(started) < 8)
    let (bytes, ended) = sent.wait(seconds: 5)
    #expect(ended, "the server was still sending")
    #expect(bytes < 16 << 20, "the server sent \(bytes) bytes")
    expectNoTransferLeft()
  }

  /// The library keeps no request's state once it has returned (another suite's request may still be in flight:
  /// up to 10 s for it; the wait ends as soon as none is).
  static func expectNoTransferLeft() {
    guard let sym = HTTPSTransport.symbol("costplan_https_transfers") else {
      Issue.record("\(HTTPSTransport.libraryName) has no costplan_https_transfers")
      return
    }
    let transfers = unsafeBitCast(sym, to: (@convention(c) () -> Int).self)
    let deadline = Date().addingTimeInterval(10)
    while transfers() != 0 && Date() < deadline { usleep(20_000) }
    #expect(transfers() == 0)
  }

  @Test func aLibraryFromAnOlderBuildIsNamedNotSentRequestsItCannotRead() throws {
    // The built library has the current entry point, not the old one.
    #expect(HTTPSTransport.symbol(HTTPSTransport.sendSymbol) != nil)
    #expect(HTTPSTransport.symbol("costplan_https_send") == nil)
    // A library with only the old entry point (left by `swift build -c release --product costplan`, which does not
    // rebuild it): the error says so and how to rebuild, where requests in the old head had come back as
    // "malformed request".
    let old = UnsafeMutableRawPointer(bitPattern: 0x1000)
    do {
      _ = try HTTPSTransport.load { $0 == "costplan_https_send" ? old : nil }
      Issue.record("a stale library was accepted")
    } catch {
      #expect(error.code == .unavailable)
      #expect(error.message.contains("from an older build"), "\(error)")
      #expect(error.message.contains("--product CostPlanHTTPS"), "\(error)")
    }
    do {
      _ = try HTTPSTransport.load { _ in nil }
      Issue.record("no library was accepted")
    } catch {
      #expect(error.message.contains("need libCostPlanHTTPS.so"), "\(error)")
      #expect(!error.message.contains("older build"))
    }
  }

  @Test func bodyOverTheLimitIsRefusedFromItsContentLength() throws {
    let sent = SentBytes()
    let server = try Self.streaming(
      head: "HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n", chunked: false, sent: sent)
    defer { server.stop() }
    Self.expectCutOff(
      try Self.store(server), sent,
      ["a response body of 100000000000 bytes", "\(Self.limit) bytes left", "maxLoadBytes"])
  }

  @Test(arguments: ["chunked", "close-delimited"])
  func bodyWithoutALengthIsCutOffPastTheLimit(_ framing: String) throws {
    let sent = SentBytes()
    let server = try Self.streaming(
      head: framing == "chunked"
        ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
      chunked: framing == "chunked", sent: sent)
    defer { server.stop() }
    Self.expectCutOff(
      try Self.store(server), sent,
      ["a response body of more than \(Self.limit) bytes", "maxLoadBytes"])
  }

  /// Objects kept by a scripted S3: PUT stores a body, GET returns it (404 NoSuchKey before).
  final class Objects: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [String: [UInt8]] = [:]

    subscript(key: String) -> [UInt8]? {
      get {
        lock.lock()
        defer { lock.unlock() }
        return bodies[key]
      }
      set {
        lock.lock()
        bodies[key] = newValue
        lock.unlock()
      }
    }
  }

  @Test func bodyUnderTheLimitIsLoaded() throws {
    let objects = Objects()
    let server = try ScriptedServer { p in
      while let r = p.readHTTPRequest() {
        if r.method == "PUT" {
          objects[r.target] = r.body
          p.send(Array("HTTP/1.1 200 OK\r\nETag: \"1\"\r\nContent-Length: 0\r\n\r\n".utf8))
        } else if let body = objects[r.target] {
          p.send(
            Array("HTTP/1.1 200 OK\r\nETag: \"1\"\r\nContent-Length: \(body.count)\r\n\r\n".utf8))
          p.send(body)
        } else {
          p.sendHTTP(404, "<Error><Code>NoSuchKey</Code></Error>", contentType: "application/xml")
        }
      }
    }
    defer { server.stop() }
    let s = try Self.store(server)
    #expect(try s.load(entity: "e", since: nil).isEmpty)
    let big = [UInt8](repeating: 7, count: 600_000)
    try s.append(entity: "e", body: big, at: 1000)
    try s.append(entity: "e", body: text("two"), at: 2000)
    let got = try s.load(entity: "e", since: nil)
    #expect(got.map(\.body) == [big, text("two")])
    #expect(s.counters.bytesReceived > 600_000 && s.counters.bytesReceived < Self.limit)
    Self.expectNoTransferLeft()
  }

  @Test func operationTimeoutStillEndsATrickledBody() throws {
    // One byte every 100 ms restarts URLSession's own timeout (20 s here) with each; what is left of the
    // operation's timeout (1 s) ends the load, with the default maxLoadBytes passed along too.
    let server = try ScriptedServer(lifetime: 20) { p in
      guard p.readHTTPRequest() != nil else { return }
      p.send(Array("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".utf8))
      p.trickle([UInt8](repeating: 1, count: 1000), every: 0.1)
    }
    defer { server.stop() }
    let s = try Self.store(server, query: "timeout=1", sessionTimeout: 20)
    #expect(HTTPSLibrary.warm)
    let started = Date()
    #expect {
      _ = try s.load(entity: "e", since: nil)
    } throws: { ($0 as? StoreError)?.code == .timeout }
    // The body would take 100 s, URLSession's own timeout 20 s.
    #expect(Date().timeIntervalSince(started) < 6)
    Self.expectNoTransferLeft()
  }
}
