import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 15 at the command line: a read-only `file:` store loads (exit 0) and refuses appends with exit 74; a
/// server that trickles its reply is exit 69 within `timeout=`.
@Suite(.serialized)
struct StoreHardeningCommandTests {
  /// Runs a tool, true when it exits 0.
  static func tool(_ path: String, _ args: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }

  /// Root ignores permission bits: the immutable flag (chattr +i) is what stops it.
  static let chattr = ["/usr/bin/chattr", "/bin/chattr"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static func freeze(_ path: String, _ on: Bool) -> Bool {
    if getuid() != 0 { return tool("/bin/chmod", ["-R", on ? "a-w" : "u+w", path]) }
    guard let chattr else { return false }
    return tool(chattr, ["-R", on ? "+i" : "-i", path])
  }

  @Test func aReadOnlyStoreLoadsAndAnAppendIsExit74() throws {
    let box = try Sandbox(copyShipped: false)
    let url = "file:store"
    #expect(
      try runProcess(["store", "--backend", url, "append", "e"], stdin: "kept", cwd: box.root).code
        == 0)
    guard Self.freeze(box.root + "/store", true) else {
      print("skipped: cannot make a directory read-only here (as root, chattr +i is needed)")
      return
    }
    defer { _ = Self.freeze(box.root + "/store", false) }
    let load = try runProcess(["store", "--backend", url, "load", "e"], cwd: box.root)
    #expect(load.code == 0 && load.stdout.contains("\"kept\""), "\(load.stderr)")
    let append = try runProcess(
      ["store", "--backend", url, "append", "e"], stdin: "more", cwd: box.root)
    #expect(
      append.code == 74 && append.stderr.contains("store/LOCK"), "\(append.code): \(append.stderr)")
  }

  @Test func aTricklingServerIsExit69WithinTheTimeout() throws {
    // A Redis reply that would take 12 s at one byte per 200 ms.
    let reply = Array(("*1\r\n$60\r\n" + String(repeating: "a", count: 60) + "\r\n").utf8)
    let (port, stop) = try TrickleServer.start(reply, every: 0.2)
    defer { stop() }
    let started = Date()
    let r = try runProcess([
      "store", "--backend", "redis://127.0.0.1:\(port)/0?timeout=2", "load", "e",
    ])
    let took = Date().timeIntervalSince(started)
    #expect(r.code == 69 && r.stderr.contains("timeout"), "\(r.code): \(r.stderr)")
    #expect(took < 3.5, "\(took) s")  // 2 s, plus the process's start
  }

  @Test func creatingABucketOnATricklingServerIsExit69WithinTheTimeout() throws {
    // The bucket's HEAD (then its PUT) is answered one byte per 200 ms: opening the store is one operation.
    let reply = Array(
      ("HTTP/1.1 404 Not Found\r\nX-Pad: " + String(repeating: "a", count: 60)
        + "\r\nContent-Length: 0\r\n\r\n").utf8)
    let (port, stop) = try TrickleServer.start(reply, every: 0.2)
    defer { stop() }
    let started = Date()
    let r = try runProcess(
      [
        "store", "--backend",
        "s3://costplan-test?endpoint=http://127.0.0.1:\(port)&create=true&timeout=2", "load", "e",
      ], shell: "AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b exec")
    let took = Date().timeIntervalSince(started)
    #expect(r.code == 69 && r.stderr.contains("timeout"), "\(r.code): \(r.stderr)")
    #expect(took < 3.5, "\(took) s")
  }

  @Test func aLoadOverMaxLoadItemsIsExit65() throws {
    let reply = Array("*3\r\n$9\r\n123456789\r\n$9\r\n123456789\r\n$9\r\n123456789\r\n".utf8)
    let (port, stop) = try TrickleServer.start(reply, every: 0.001)
    defer { stop() }
    let r = try runProcess([
      "store", "--backend", "redis://127.0.0.1:\(port)/0?maxLoadItems=2", "load", "e",
    ])
    #expect(r.code == 65 && r.stderr.contains("maxLoadItems=2"), "\(r.code): \(r.stderr)")
  }
}

/// One loopback listener: each connection's first bytes are answered with `reply`, one byte every `every`
/// seconds, until the client goes, the reply ends or `stop` is called.
enum TrickleServer {
  final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool {
      lock.lock()
      defer { lock.unlock() }
      return value
    }
    func set() {
      lock.lock()
      value = true
      lock.unlock()
    }
  }

  static func start(_ reply: [UInt8], every: Double) throws -> (Int, () -> Void) {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    listen(s, 4)
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
    }
    let stopped = Flag()
    Thread {
      while true {
        let c = accept(s, nil, nil)
        if c < 0 {
          close(s)
          return
        }
        Thread {
          var buf = [UInt8](repeating: 0, count: 4096)
          if recv(c, &buf, buf.count, 0) > 0 {
            for b in reply {
              guard !stopped.isSet, send(c, [b], 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
              usleep(useconds_t(every * 1_000_000))
            }
          }
          close(c)
        }.start()
      }
    }.start()
    return (
      Int(UInt16(bigEndian: addr.sin_port)),
      {
        stopped.set()
        shutdown(s, Int32(SHUT_RDWR))
      }
    )
  }
}
