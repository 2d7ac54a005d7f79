import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The moment a whole store operation (an append, a load, opening a connection) must be over. `timeout=` in a
/// backend URL makes one per operation, and every connect, write, read, retry and backoff in it gets what is left:
/// a timeout per read bounded neither a server that trickles its reply a byte at a time nor a run of retries.
public struct Deadline: Sendable {
  /// The timeout it was made from, for messages.
  public let seconds: Double
  private let end: Double

  public init(seconds: Double) {
    self.seconds = seconds
    end = Self.now() + seconds
  }

  /// Monotonic seconds: the wall clock may be stepped mid-operation.
  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  /// Seconds left, never negative.
  public var remaining: Double { max(0, end - Self.now()) }
  public var passed: Bool { remaining <= 0 }

  /// What is left in milliseconds for poll(), rounded up (a wait of 0 would spin).
  var pollMillis: Int32 { Int32(min(Double(Int32.max), max(1, (remaining * 1000).rounded(.up)))) }

  var shown: String { seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s" }

  /// The error of an operation that ran out of time talking to `peer`.
  func expired(_ peer: String, _ doing: String = "no complete reply") -> StoreError {
    StoreError(
      .timeout, "\(peer): \(doing) within the operation's timeout of \(shown)",
      underlying: DeadlineExpired(seconds: seconds))
  }
}

/// Underneath a `.timeout` error whose operation ran out of its `timeout=` (not a single wait timing out).
public struct DeadlineExpired: Error, Sendable {
  public let seconds: Double
}

/// A client whose requests can be grouped into one operation under one deadline.
protocol DeadlineBound: AnyObject {
  var timeoutSeconds: Double { get }
  var deadline: Deadline? { get set }
}

extension DeadlineBound {
  /// Runs `body` as one operation: all it sends and receives, retries and reconnects included, must be done within
  /// `timeoutSeconds` from now. Inside another operation it keeps the outer deadline.
  func operation<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
    guard deadline == nil else { return try body() }
    deadline = Deadline(seconds: timeoutSeconds)
    defer { deadline = nil }
    return try body()
  }
}
