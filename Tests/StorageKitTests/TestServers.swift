import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Real servers for the backend suites, started on free loopback ports and stopped when the value goes away.
/// A missing binary skips the suite (with the reason) unless `COSTPLAN_REQUIRE_SERVERS=1`, which makes it fail.
enum TestServers {
  static let required = ProcessInfo.processInfo.environment["COSTPLAN_REQUIRE_SERVERS"] == "1"

  static func which(_ name: String, extra: [String] = []) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(
      separator: ":"
    ).map(String.init)
    for dir in extra + path where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
      return dir + "/" + name
    }
    return nil
  }

  /// Ports handed out in this run. Servers get ports below the kernel's ephemeral range (32768–60999 here), so a
  /// server restarted on its own port (the PostgreSQL and Redis restart tests) cannot find it taken by a socket
  /// bound to port 0 meanwhile (the scripted fake servers, the OS's pick for a client); never one port twice.
  nonisolated(unsafe) static var handedOut = Set<Int>()
  static let handedOutLock = NSLock()

  /// A port nobody listens on now (bound and released) in 20000–32767, never the same one twice in a run.
  static func freePort() -> Int {
    handedOutLock.lock()
    defer { handedOutLock.unlock() }
    while true {
      let p = Int.random(in: 20000...32767)
      if !handedOut.contains(p), canBind(p) {
        handedOut.insert(p)
        return p
      }
    }
  }

  static func canBind(_ port: Int) -> Bool {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    } == 0
  }

  /// SIGKILL: a child inherits the test process's blocked signals, so SIGTERM would wait forever.
  static func stop(_ process: Process?) {
    if let p = process, p.isRunning {
      Glibc.kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
    }
  }

  static func waitForPort(_ port: Int, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_addr.s_addr = inet_addr("127.0.0.1")
      addr.sin_port = in_port_t(UInt16(port).bigEndian)
      let ok =
        withUnsafePointer(to: &addr) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        } == 0
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
    p.arguments = [
      "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
      "--requirepass", password, "--dir", dir.path,
    ]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    process = p
    guard TestServers.waitForPort(port, seconds: 10) else {
      throw ServerMissing(what: "redis-server did not start on port \(port)")
    }
  }

  var url: String { "redis://:\(password)@127.0.0.1:\(port)/0" }

  func kill() {
    TestServers.stop(process)
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

/// A temporary PostgreSQL cluster (initdb, scram-sha-256 for the superuser `costplan`, md5 for `md5user`, trust
/// for `trustuser`) on a free loopback port. initdb refuses to run as root, so as root it runs as `postgres`.
final class PostgresServer {
  static let binDir: String? = {
    let candidates =
      ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted(
        by: >
      ).map { "/usr/lib/postgresql/\($0)/bin" }
    return (candidates + ["/usr/local/bin", "/usr/bin"]).first {
      FileManager.default.isExecutableFile(atPath: $0 + "/initdb")
        && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl")
    }
  }()
  static var usable: Bool { binDir != nil || TestServers.required }
  let port: Int
  let password = "pw '\(UUID().uuidString.prefix(6))\""
  let dir: String
  private let bin: String
  private let asUser: String?

  init() throws {
    guard let bin = Self.binDir else {
      throw ServerMissing(what: "PostgreSQL (initdb, pg_ctl) is not installed")
    }
    self.bin = bin
    asUser = getuid() == 0 ? "postgres" : nil
    port = TestServers.freePort()
    dir = NSTemporaryDirectory() + "costplan-pg-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try password.write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
    if asUser != nil { try Self.sh("chown -R postgres '\(dir)' && chmod 700 '\(dir)'") }
    // Once in several full runs initdb (or pg_ctl start) failed while many servers were starting at once; the
    // cause is not found (its output is now in the error). A second try starts from an empty data directory.
    try retryOnce({ try? FileManager.default.removeItem(atPath: self.dir + "/data") }) {
      try run([
        "\(bin)/initdb", "-D", dir + "/data", "-U", "costplan", "--pwfile=" + dir + "/pw",
        "--auth=scram-sha-256", "-E", "UTF8", "--no-sync",
      ])
    }
    let hba =
      "host all trustuser 127.0.0.1/32 trust\nhost all md5user 127.0.0.1/32 md5\nhost all all 127.0.0.1/32 scram-sha-256\nlocal all all scram-sha-256\n"
    try hba.write(toFile: dir + "/data/pg_hba.conf", atomically: true, encoding: .utf8)
    if asUser != nil { try Self.sh("chown postgres '\(dir)/data/pg_hba.conf'") }
    try start()
  }

  static func sh(_ cmd: String) throws {
    // From /: the CLI tests change the process's directory to sandboxes that they then delete, and pg_ctl
    // refuses to start from a directory that no longer exists ("could not identify current directory").
    let status = Spawn.wait(["/bin/sh", "-c", "cd / && " + cmd])
    guard status == 0 else { throw ServerMissing(what: "'\(cmd)' failed (\(status))") }
  }

  private func retryOnce(_ reset: () -> Void, _ body: () throws -> Void) throws {
    do { try body() } catch {
      reset()
      usleep(500_000)
      try body()
    }
  }

  /// Runs a PostgreSQL tool; on failure the error carries the end of what it printed.
  private func run(_ args: [String]) throws {
    let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(
      separator: " ")
    let out = dir + "/tool-output.txt"
    do {
      try Self.sh((asUser.map { "runuser -u \($0) -- \(quoted)" } ?? quoted) + " > '\(out)' 2>&1")
    } catch {
      let said =
        (try? String(contentsOfFile: out, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
      throw ServerMissing(what: "\(error) — it said: \(said)")
    }
  }

  func start() throws {
    try retryOnce({}) {
      try run([
        "\(bin)/pg_ctl", "-D", dir + "/data", "-l", dir + "/log", "-w", "-o",
        "-p \(port) -k \(dir) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
      ])
    }
    guard TestServers.waitForPort(port, seconds: 20) else {
      throw ServerMissing(what: "postgres did not start on port \(port)")
    }
  }

  /// Stops the server at once (immediate mode: like a crash, no checkpoint).
  func kill() {
    try? run(["\(bin)/pg_ctl", "-D", dir + "/data", "-m", "immediate", "-w", "stop"])
  }

  func url(user: String = "costplan", password: String? = nil) -> String {
    let pw =
      (password ?? self.password).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    return "postgres://\(user):\(pw)@127.0.0.1:\(port)/postgres"
  }

  deinit {
    kill()
    try? FileManager.default.removeItem(atPath: dir)
  }
}

/// posix_spawn + waitpid, with no signals blocked and stdio on /dev/null. Foundation's Process waits for every
/// holder of its internal pipe to exit, and a server that daemonizes (pg_ctl start) keeps holding it; its children
/// also inherit the test process's blocked signals.
enum Spawn {
  static func wait(_ args: [String]) -> Int32 {
    var pid = pid_t()
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attr, &none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    for fd: Int32 in 0...2 {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let cargs = args.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    let rc = posix_spawn(&pid, args[0], &actions, &attr, cargs, environ)
    posix_spawn_file_actions_destroy(&actions)
    posix_spawnattr_destroy(&attr)
    guard rc == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }
}

/// moto's server (`moto_server`, PyPI `moto[server]`) on a free loopback port: S3, DynamoDB and IAM over their
/// real HTTP APIs. With `authenticated`, moto checks every request's SigV4 signature against an IAM user's key
/// (`INITIAL_NO_AUTH_ACTION_COUNT`: the first three requests, which create that user, go unchecked).
final class MotoServer {
  static let binary = TestServers.which(
    "moto_server", extra: [NSHomeDirectory() + "/.pyenv/shims", "/usr/local/bin"])
  static var usable: Bool { binary != nil || TestServers.required }
  let port: Int
  let authenticated: Bool
  private var process: Process?

  init(authenticated: Bool = false) throws {
    guard let bin = Self.binary else {
      throw ServerMissing(what: "moto_server is not installed (pip install 'moto[server]')")
    }
    port = TestServers.freePort()
    self.authenticated = authenticated
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = ["-H", "127.0.0.1", "-p", String(port)]
    var env = ProcessInfo.processInfo.environment
    if authenticated {
      env["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
    } else {
      env.removeValue(forKey: "INITIAL_NO_AUTH_ACTION_COUNT")
    }
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    process = p
    guard TestServers.waitForPort(port, seconds: 30) else {
      kill()
      throw ServerMissing(what: "moto_server did not start on port \(port)")
    }
  }

  var endpoint: String { "http://127.0.0.1:\(port)" }

  func kill() {
    TestServers.stop(process)
    process = nil
  }

  deinit { kill() }
}
