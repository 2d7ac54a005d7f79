import Foundation

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
    Console(
      out: { s in FileHandle.standardOutput.write(Data(s.utf8)) },
      err: { s in FileHandle.standardError.write(Data(s.utf8)) })
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
