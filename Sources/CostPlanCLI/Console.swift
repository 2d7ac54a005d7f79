import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where a command writes: stdout for results, stderr for diagnostics. Tests capture both.
public final class Console: @unchecked Sendable {
  private let writeOut: (String) -> Void
  private let writeErr: (String) -> Void

  public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
    self.writeOut = out
    self.writeErr = err
  }

  /// The process's real stdout and stderr.
  public static func standard() -> Console {
    Console(out: { s in writeAll(1, s) }, err: { s in writeAll(2, s) })
  }

  /// Writes every byte to a file descriptor. A reader that stops reading (`costplan compare | head`) ends the run
  /// quietly with status 0, as it would end a Unix filter; any other write error is reported, with exit 74.
  static func writeAll(_ fd: Int32, _ s: String) {
    var bytes = Array(s.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { buf in
        write(fd, buf.baseAddress! + offset, buf.count - offset)
      }
      if n > 0 {
        offset += n
        continue
      }
      if n < 0 && errno == EINTR { continue }
      let code = errno
      if code == EPIPE { exit(0) }
      if fd != 2 {
        let text = "Error: cannot write to standard output: \(String(cString: strerror(code)))\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
      }
      exit(74)
    }
    bytes.removeAll()
  }

  public func out(_ s: String) { writeOut(s) }
  public func err(_ s: String) { writeErr(s) }
}

/// A console that keeps what was written, for tests and for all-or-nothing output.
public final class CapturedConsole: @unchecked Sendable {
  public private(set) var stdout = ""
  public private(set) var stderr = ""
  private let lock = NSLock()
  public init() {}
  public var console: Console {
    Console(
      out: { s in
        self.lock.lock()
        self.stdout += s
        self.lock.unlock()
      },
      err: { s in
        self.lock.lock()
        self.stderr += s
        self.lock.unlock()
      })
  }
}
