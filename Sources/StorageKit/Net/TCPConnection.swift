import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What happened to a connection, for deciding what to do next: retrying cannot mend a host that does not resolve
/// or a connection nobody accepts; it can a kept-alive connection the server closed or reset. The underlying error
/// of the `StoreError`s a `TCPConnection` throws (the message is for people).
public struct ConnectionFailure: Error, Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// The host name does not resolve.
    case cannotResolve
    /// No connection: refused, unreachable, or the connect timed out.
    case cannotConnect
    /// The peer closed the connection (end of stream).
    case closedByPeer
    /// A read or write failed on an open connection (reset, broken pipe), or it was already closed.
    case lost
    /// TLS refused the server: its certificate is not trusted, expired or for another name (https:// only).
    case untrustedServer
  }
  public var kind: Kind
  /// The errno, where there is one.
  public var errno: Int32?

  public init(_ kind: Kind, errno: Int32? = nil) {
    self.kind = kind
    self.errno = errno
  }

  /// A connection that broke before the reply began: the request may be sent again on a fresh one.
  public var isStaleConnection: Bool {
    kind == .closedByPeer || (kind == .lost && (errno == ECONNRESET || errno == EPIPE))
  }
}

/// A blocking TCP connection with a connect timeout and read/write timeouts, and a read buffer. Under a
/// `deadline` (its owner's current operation) every connect, write and read waits only for what is left of it.
/// Every failure is a `StoreError` naming the peer: `.timeout` for a connect or read that took too long,
/// `.unavailable` (with the errno underneath) for the rest.
public final class TCPConnection {
  public let host: String
  public let port: Int
  public let timeoutSeconds: Double
  private var fd: Int32 = -1
  private var buffer: [UInt8] = []
  private var start = 0
  /// Reused for every read: a fresh 64 KB array per read costs more than a loopback round trip's share.
  /// Not zeroed: recv writes before anything reads (zeroing 64 KB for every new connection, one per request
  /// to a server that closes them, was a tenth of an S3 client's instructions).
  private var chunk = [UInt8](unsafeUninitializedCapacity: 65_536) { _, n in n = 65_536 }
  public private(set) var bytesSent = 0
  public private(set) var bytesReceived = 0
  /// The operation's deadline, when one is running; without one each wait gets `timeoutSeconds`.
  public var deadline: Deadline?

  public init(host: String, port: Int, timeoutSeconds: Double, deadline: Deadline? = nil)
    throws(StoreError)
  {
    self.host = host
    self.port = port
    self.timeoutSeconds = timeoutSeconds
    self.deadline = deadline
    if let deadline, deadline.passed { throw deadline.expired(peer, "no connection") }
    try connect()
  }

  /// Waits until the socket is ready for `events` or the deadline passes (then closes and throws).
  private func waitUntilReady(_ events: Int32, _ doing: String) throws(StoreError) {
    guard let d = deadline else { return }
    var p = pollfd(fd: fd, events: Int16(events), revents: 0)
    while true {
      try throwIfPassed(doing)
      let r = poll(&p, 1, d.pollMillis)
      if r > 0 { return }
      if r < 0 && errno != EINTR { throw fail("poll failed") }
    }
  }

  /// Closes and throws when the operation's deadline has passed.
  private func throwIfPassed(_ doing: String) throws(StoreError) {
    guard let d = deadline, d.passed else { return }
    close()
    throw d.expired(peer, doing)
  }

  deinit { close() }

  public var isOpen: Bool { fd >= 0 }
  var peer: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

  /// A failed system call: `.timeout` for ETIMEDOUT, else `.unavailable`, with what happened and the errno
  /// underneath.
  func fail(_ what: String, _ code: Int32 = errno, _ kind: ConnectionFailure.Kind = .lost)
    -> StoreError
  {
    StoreError(
      code == ETIMEDOUT ? .timeout : .unavailable,
      "\(peer): \(what): \(String(cString: strerror(code)))",
      underlying: ConnectionFailure(kind, errno: code))
  }

  private func connect() throws(StoreError) {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var res: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(host, String(port), &hints, &res)
    guard rc == 0, let first = res else {
      throw StoreError(
        .unavailable, "\(peer): cannot resolve host: \(String(cString: gai_strerror(rc)))",
        underlying: ConnectionFailure(.cannotResolve))
    }
    defer { freeaddrinfo(res) }
    var lastError: StoreError = StoreError(
      .unavailable, "\(peer): no address", underlying: ConnectionFailure(.cannotResolve))
    var ai: UnsafeMutablePointer<addrinfo>? = first
    while let a = ai {
      ai = a.pointee.ai_next
      let s = socket(
        a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
        a.pointee.ai_protocol)
      if s < 0 {
        lastError = fail("socket", errno, .cannotConnect)
        continue
      }
      // Non-blocking connect, bounded by the timeout.
      let flags = fcntl(s, F_GETFL)
      _ = fcntl(s, F_SETFL, flags | O_NONBLOCK)
      var r = Glibc.connect(s, a.pointee.ai_addr, a.pointee.ai_addrlen)
      if r != 0 && errno == EINPROGRESS {
        var p = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
        let ready = poll(
          &p, 1, min(Int32(timeoutSeconds * 1000), deadline?.pollMillis ?? Int32.max))
        if ready == 0 {
          Glibc.close(s)
          lastError = StoreError(
            .timeout, "\(peer): connect timed out after \(timeoutSeconds) s",
            underlying: ConnectionFailure(.cannotConnect, errno: ETIMEDOUT))
          continue
        }
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len)
        r = err == 0 && ready > 0 ? 0 : -1
        if r != 0 { errno = err == 0 ? ETIMEDOUT : err }
      }
      if r != 0 {
        lastError = fail("cannot connect", errno, .cannotConnect)
        Glibc.close(s)
        continue
      }
      _ = fcntl(s, F_SETFL, flags)
      var one: Int32 = 1
      setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      var tv = timeval(
        tv_sec: Int(timeoutSeconds),
        tv_usec: Int((timeoutSeconds - timeoutSeconds.rounded(.down)) * 1_000_000))
      setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
      fd = s
      return
    }
    throw lastError
  }

  public func close() {
    if fd >= 0 { Glibc.close(fd) }
    fd = -1
    buffer.removeAll()
    start = 0
  }

  public func write(_ bytes: [UInt8]) throws(StoreError) {
    guard fd >= 0 else { throw closedError() }
    var off = 0
    var failure: Int32 = 0
    // Under a deadline: send what fits without blocking, and wait for room with poll only when none is left (a
    // request almost always fits at once: a poll before every send was a system call per request for nothing).
    let flags = Int32(MSG_NOSIGNAL) | (deadline == nil ? 0 : Int32(MSG_DONTWAIT))
    while off < bytes.count && failure == 0 {
      try throwIfPassed("could not send the request")
      let n = bytes.withUnsafeBufferPointer { buf in
        send(fd, buf.baseAddress! + off, buf.count - off, flags)
      }
      if n < 0 {
        if errno == EINTR { continue }
        if deadline != nil && (errno == EAGAIN || errno == EWOULDBLOCK) {
          try waitUntilReady(Int32(POLLOUT), "could not send the request")
          continue
        }
        failure = errno
      } else {
        off += n
      }
    }
    if failure != 0 {
      close()
      throw fail(
        failure == EAGAIN || failure == EWOULDBLOCK ? "write timed out" : "write failed",
        failure == EAGAIN ? ETIMEDOUT : failure)
    }
    bytesSent += bytes.count
  }

  /// Unread bytes in the buffer.
  public var available: ArraySlice<UInt8> { buffer[start...] }

  /// Drops `n` bytes from the front of the buffer.
  public func consume(_ n: Int) {
    start += n
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    } else if start > 65_536 && start * 2 > buffer.count {
      buffer.removeFirst(start)
      start = 0
    }
  }

  /// Reads more bytes into the buffer (at least one), or fails on timeout or close.
  public func fill() throws(StoreError) {
    guard fd >= 0 else { throw closedError() }
    while true {
      try waitUntilReady(Int32(POLLIN), "no complete reply")
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
      if n > 0 {
        buffer.append(contentsOf: chunk[0..<n])
        bytesReceived += n
        return
      }
      if n == 0 {
        close()
        throw StoreError(
          .unavailable, "\(peer): the server closed the connection",
          underlying: ConnectionFailure(.closedByPeer))
      }
      if errno == EINTR { continue }
      let e = errno
      close()
      if e == EAGAIN || e == EWOULDBLOCK {
        throw StoreError(
          .timeout, "\(peer): no reply within \(timeoutSeconds) s",
          underlying: ConnectionFailure(.lost, errno: ETIMEDOUT))
      }
      throw fail("read failed", e)
    }
  }

  private func closedError() -> StoreError {
    StoreError(.unavailable, "\(peer): connection closed", underlying: ConnectionFailure(.lost))
  }
}
