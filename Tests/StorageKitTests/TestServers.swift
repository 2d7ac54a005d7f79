import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Real servers for the backend suites, started on free loopback ports and stopped when the value goes away.
/// A missing binary skips the suite (with the reason) unless `COSTPLAN_REQUIRE_SERVERS=1`, which makes it fail.
enum TestServers {
  static let required = ProcessInfo.processInfo.environment["COSTPLAN_REQUIRE_SERVERS"] == "1"

  static func which(_ name: String, extra: [String] = []) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    for dir in extra + path where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
    return nil
  }

  /// A port nobody listens on now (bound and released).
  static func freePort() -> Int {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  static func waitForPort(_ port: Int, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_addr.s_addr = inet_addr("127.0.0.1")
      addr.sin_port = in_port_t(UInt16(port).bigEndian)
      let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
      close(s)
      if ok { return true }
      usleep(50_000)
    }
    return false
  }
}

/// A redis-server on a free loopback port with a password.
final class RedisServer {
  static let binary = TestServers.which("redis-server")
  static var usable: Bool { binary != nil || TestServers.required }
  let port: Int
  let password = "pw-\(UUID().uuidString.prefix(8))"
  let dir = TempDir()
  private var process: Process?

  init() throws {
    guard let bin = Self.binary else { throw ServerMissing(what: "redis-server is not installed") }
    port = TestServers.freePort()
    try start(bin)
  }

  private func start(_ bin: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", password, "--dir", dir.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    process = p
    guard TestServers.waitForPort(port, seconds: 10) else { throw ServerMissing(what: "redis-server did not start on port \(port)") }
  }

  var url: String { "redis://:\(password)@127.0.0.1:\(port)/0" }

  /// SIGKILL: the child inherits the test process's blocked signals, so SIGTERM would wait forever.
  func kill() {
    if let p = process, p.isRunning {
      Glibc.kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
    }
    process = nil
  }

  func restart() throws {
    kill()
    try start(Self.binary!)
  }

  deinit { kill() }
}

struct ServerMissing: Error, CustomStringConvertible {
  var what: String
  var description: String { what }
}
