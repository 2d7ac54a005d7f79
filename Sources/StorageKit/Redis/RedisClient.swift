import Foundation

/// A Redis connection: RESP2 over TCP, AUTH and SELECT on connect, pipelines, and one reconnect when the
/// connection was lost since the last call (a restarted server is picked up by the next operation). Within an
/// `operation` (an append, a load, connecting) every wait shares one deadline of `timeoutSeconds`.
public final class RedisClient: DeadlineBound {
  public let host: String
  public let port: Int
  public let db: Int
  let user: String?
  let password: String?
  public let timeoutSeconds: Double
  private var conn: TCPConnection?
  public var deadline: Deadline? { didSet { conn?.deadline = deadline } }
  /// Commands sent, by name (upper-case, as sent).
  public var commands: [String: Int] {
    var d: [String: Int] = [:]
    for (name, n) in counted { d[String(decoding: name, as: UTF8.self), default: 0] += n }
    return d
  }
  /// The counts behind `commands`, kept by the name's bytes: a handful of names, found by comparing bytes (a
  /// String and a hash per command were ~10% of a call's instructions).
  private var counted: [(name: [UInt8], count: Int)] = []
  public private(set) var roundTrips = 0
  private var retiredSent = 0
  private var retiredReceived = 0

  public init(
    host: String, port: Int, db: Int = 0, user: String? = nil, password: String? = nil,
    timeoutSeconds: Double = 5
  ) throws(StoreError) {
    self.host = host
    self.port = port
    self.db = db
    self.user = user
    self.password = password
    self.timeoutSeconds = timeoutSeconds
    try operation { () throws(StoreError) in try connect() }
  }

  public var bytesSent: Int { retiredSent + (conn?.bytesSent ?? 0) }
  public var bytesReceived: Int { retiredReceived + (conn?.bytesReceived ?? 0) }

  private func connect() throws(StoreError) {
    if let c = conn {
      retiredSent += c.bytesSent
      retiredReceived += c.bytesReceived
    }
    conn = nil
    let c = try TCPConnection(
      host: host, port: port, timeoutSeconds: timeoutSeconds, deadline: deadline)
    conn = c
    if let password {
      var args = ["AUTH"]
      if let user { args.append(user) }
      args.append(password)
      let r = try exchange([args.map { Array($0.utf8) }], count: false)[0]
      if case .error(let e) = r {
        // Any error to AUTH is a refusal (WRONGPASS; ERR when the server has no password set).
        conn?.close()
        conn = nil
        throw StoreError(
          .credentialsRefused, "redis \(host):\(port): authentication refused: \(e)", underlying: e)
      }
    }
    if db != 0 {
      let r = try exchange([["SELECT", String(db)].map { Array($0.utf8) }], count: false)[0]
      if case .error(let e) = r {
        conn?.close()
        conn = nil
        throw StoreError(
          .badURL, "redis \(host):\(port): cannot select database \(db): \(e)", underlying: e)
      }
    }
  }

  /// Sends the commands in one write and reads their replies (one round trip). Reconnects first if the last
  /// call lost the connection. Outside an `operation` the call is one of its own (one deadline). With `limits`,
  /// a reply that declares more bytes or array elements than they allow is refused as it arrives (`.tooLarge`;
  /// the connection, left mid-reply, is closed).
  public func pipeline(_ cmds: [[[UInt8]]], limits: LoadLimits? = nil) throws(StoreError)
    -> [RESPValue]
  {
    try operation { () throws(StoreError) -> [RESPValue] in
      if conn == nil || conn?.isOpen == false { try connect() }
      return try exchange(cmds, count: true, limits: limits)
    }
  }

  public func call(_ args: [[UInt8]]) throws(StoreError) -> RESPValue { try pipeline([args])[0] }
  public func call(_ args: String...) throws(StoreError) -> RESPValue {
    try pipeline([args.map { Array($0.utf8) }])[0]
  }

  private func exchange(_ cmds: [[[UInt8]]], count: Bool, limits: LoadLimits? = nil)
    throws(StoreError) -> [RESPValue]
  {
    guard let c = conn else {
      throw StoreError(.unavailable, "redis \(host):\(port): not connected")
    }
    var out: [UInt8] = []
    var size = 0
    for cmd in cmds { size += RESP.commandBytes(cmd) }
    out.reserveCapacity(size)
    for cmd in cmds {
      RESP.appendCommand(&out, cmd)
      // names are sent upper-case
      if count, let name = cmd.first {
        if let i = counted.firstIndex(where: { $0.name == name }) {
          counted[i].count += 1
        } else {
          counted.append((name, 1))
        }
      }
    }
    try c.write(out)
    if count { roundTrips += 1 }
    var replies: [RESPValue] = []
    replies.reserveCapacity(cmds.count)
    var scanner = RESP.Scanner()
    while replies.count < cmds.count {
      let complete: Int?
      do { complete = try scanner.scan(c.available) } catch { throw malformed(c, error) }
      if let limits {
        if scanner.declaredBytes > limits.maxBytes {
          c.close()
          throw limits.exceeded("redis \(host):\(port)", bytes: scanner.declaredBytes)
        }
        if let n = scanner.count, n > limits.maxItems {
          c.close()
          throw limits.exceeded("redis \(host):\(port)", items: n)
        }
      }
      guard let n = complete else {
        try c.fill()
        continue
      }
      let decoded: (RESPValue, Int)?
      do { decoded = try RESP.decode(c.available.prefix(n)) } catch { throw malformed(c, error) }
      guard let (v, used) = decoded else {
        throw malformed(c, RESP.ProtocolError(description: "incomplete reply"))
      }
      c.consume(used)
      replies.append(v)
      scanner = RESP.Scanner()
    }
    return replies
  }

  private func malformed(_ c: TCPConnection, _ e: RESP.ProtocolError) -> StoreError {
    c.close()
    return StoreError(
      .badData, "redis \(host):\(port): malformed reply: \(e.description)", underlying: e)
  }

  public func close() { conn?.close() }
}
