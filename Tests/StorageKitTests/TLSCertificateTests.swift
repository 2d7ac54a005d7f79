import Foundation
import Testing

@testable import StorageKit

/// `openssl s_server` on loopback with a self-signed certificate, logging the TLS messages it sees.
final class UntrustedTLSServer {
  static var available: Bool { TestServers.which("openssl") != nil }
  static var usable: Bool { (available && HTTPSLibrary.built) || TestServers.required }

  let port: Int
  let log: URL
  private let process: Process
  private let dir: URL

  init() throws {
    guard let openssl = TestServers.which("openssl") else {
      throw TestServerError("openssl is not installed")
    }
    dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "costplan-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let key = dir.appendingPathComponent("key.pem").path
    let cert = dir.appendingPathComponent("cert.pem").path
    let req = Process()
    req.executableURL = URL(fileURLWithPath: openssl)
    req.arguments = [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
      "-subj", "/CN=127.0.0.1",
    ]
    req.standardOutput = FileHandle.nullDevice
    req.standardError = FileHandle.nullDevice
    try req.run()
    req.waitUntilExit()
    guard req.terminationStatus == 0 else { throw TestServerError("openssl req failed") }
    port = TestServers.freePort()
    log = dir.appendingPathComponent("server.log")
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw TestServerError("cannot create \(log.path)")
    }
    process = Process()
    process.executableURL = URL(fileURLWithPath: openssl)
    process.arguments = [
      "s_server", "-accept", "\(port)", "-cert", cert, "-key", key, "-www", "-msg",
    ]
    process.standardOutput = try FileHandle(forWritingTo: log)
    process.standardError = FileHandle.nullDevice
    try process.run()
    guard TestServers.waitForPort(port, seconds: 10) else {
      TestServers.stop(process)
      throw TestServerError("openssl s_server did not listen on \(port)")
    }
  }

  /// TLS handshakes begun: the ClientHello messages in the log.
  var clientHellos: Int {
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return text.components(separatedBy: "ClientHello").count - 1
  }

  deinit {
    TestServers.stop(process)
    try? FileManager.default.removeItem(at: dir)
  }
}

struct TestServerError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

@Suite(
  .enabled(
    if: UntrustedTLSServer.usable,
    "openssl or \(HTTPSTransport.libraryName) is missing (set COSTPLAN_REQUIRE_SERVERS=1 to fail instead)"
  ))
struct TLSCertificateTests {
  @Test func aCertificateTLSRefusesFailsAtOnceWithoutRetries() throws {
    let server = try UntrustedTLSServer()
    let s = try S3Store(
      url: try BackendURL(
        "s3://costplan-test?endpoint=https://127.0.0.1:\(server.port)&timeout=20"),
      credentials: testCredentials)
    // The library's first-use costs are paid before the clock starts (over 2 s on a loaded CI machine).
    _ = HTTPSLibrary.warm
    let started = Date()
    do {
      _ = try s.load(entity: "e", since: nil)
      Issue.record("a self-signed certificate was accepted")
    } catch {
      // Exit 69, the reason named; before, URLSession's code -1 was retried four times (five handshakes).
      #expect(error.code == .unavailable, "\(error)")
      #expect(error.message.contains("certificate"), "\(error)")
      #expect(
        error.underlying(ConnectionFailure.self)?.kind == .untrustedServer, "\(error)")
    }
    // At once: not after the 20 s timeout, nor after retries' backoff (the handshake count is the sharper proof).
    #expect(Date().timeIntervalSince(started) < 10)
    // One handshake: the log is written as the server reads it.
    let deadline = Date().addingTimeInterval(2)
    while server.clientHellos < 1 && Date() < deadline { usleep(20_000) }
    usleep(200_000)
    #expect(server.clientHellos == 1, "\(server.clientHellos) handshakes")
  }
}
