import Foundation

/// A PostgreSQL connection: startup, authentication (trust, md5, SCRAM-SHA-256; cleartext only when allowed),
/// simple queries for the schema, and the extended query protocol with bound binary parameters for everything else. A lost
/// connection is reopened (and the statements prepared again) by the next call. Within an `operation` (an
/// append, a load, connecting) every wait shares one deadline of `timeoutSeconds`.
public final class PGConnection: DeadlineBound {
  public let host: String
  public let port: Int
  public let user: String
  let password: String?
  /// Whether a server that asks for the password in cleartext (AuthenticationCleartextPassword) gets it. Off by
  /// default: anyone who can answer on the port (a spoofed or misconfigured server) would otherwise learn it.
  let allowCleartextPassword: Bool
  public let database: String
  public let timeoutSeconds: Double
  private var conn: TCPConnection?
  public var deadline: Deadline? { didSet { conn?.deadline = deadline } }
  private var statements: [String: (sql: String, types: [Int32])] = [:]
  private var prepared: Set<String> = []
  public private(set) var roundTrips = 0

  public init(
    host: String, port: Int, user: String, password: String?, database: String,
    timeoutSeconds: Double,
    allowCleartextPassword: Bool = false
  ) throws(StoreError) {
    self.host = host
    self.port = port
    self.user = user
    self.password = password
    self.allowCleartextPassword = allowCleartextPassword
    self.database = database
    self.timeoutSeconds = timeoutSeconds
    try operation { () throws(StoreError) in try connect() }
  }

  var peer: String { "postgres \(host):\(port)" }

  private func protocolError(_ e: PGMessage.ProtocolError) -> StoreError {
    conn?.close()
    return StoreError(.badData, "\(peer): malformed message: \(e.description)", underlying: e)
  }

  /// The next message. A data row that declares more than `maxRowBytes` (what is left of a load's maxLoadBytes)
  /// is refused before its bytes are read (`.tooLarge`; the connection, left mid-message, is closed).
  func next(maxRowBytes maxBytes: Int? = nil) throws(StoreError) -> PGMessage.Backend {
    guard let c = conn else { throw StoreError(.unavailable, "\(peer): not connected") }
    while true {
      do {
        if let (m, used) = try PGMessage.decode(c.available) {
          c.consume(used)
          return m
        }
      } catch {
        throw protocolError(error)
      }
      if let maxBytes, c.available.first == PGMessage.BackendMessageID.dataRow.rawValue,
        let declared = PGMessage.declaredLength(c.available), declared > maxBytes
      {
        c.close()
        throw StoreError(
          .tooLarge,
          "\(peer): a message of \(declared) bytes, over the \(maxBytes) bytes left of the load's maxLoadBytes"
        )
      }
      try c.fill()
    }
  }

  private func connect() throws(StoreError) {
    conn = nil
    prepared = []
    let c = try TCPConnection(
      host: host, port: port, timeoutSeconds: timeoutSeconds, deadline: deadline)
    conn = c
    try c.write(PGMessage.startup(user: user, database: database))
    var scram: SCRAMClient?
    while true {
      let m = try next()
      switch m.id {
      case .authentication:
        var r = PGMessage.Reader(b: m.body)
        let code: Int32
        do { code = try r.int32() } catch { throw protocolError(error) }
        switch PGMessage.AuthenticationRequest(rawValue: code) {
        case .ok: continue
        case .cleartextPassword:
          guard allowCleartextPassword else {
            throw authFailure(
              .authenticationUnsupported,
              "the server asks for the password in cleartext; refused, the password was not sent (add allowCleartextPassword=true to the URL to send it)"
            )
          }
          guard let password else {
            throw authFailure(
              .credentialsRefused,
              "the server asks for a password and none was given (URL or PGPASSWORD)")
          }
          try c.write(PGMessage.password(password))
        case .md5Password:
          guard let password else {
            throw authFailure(
              .credentialsRefused,
              "the server asks for a password and none was given (URL or PGPASSWORD)")
          }
          let salt: [UInt8]
          do { salt = try r.bytes(4) } catch { throw protocolError(error) }
          let inner = Hex.encode(MD5.hash(Array((password + user).utf8)))
          try c.write(PGMessage.password("md5" + Hex.encode(MD5.hash(Array(inner.utf8) + salt))))
        case .sasl:
          guard let password else {
            throw authFailure(
              .credentialsRefused,
              "the server asks for a password and none was given (URL or PGPASSWORD)")
          }
          var mechanisms: [String] = []
          while r.p < m.body.count, m.body[r.p] != 0 {
            do { mechanisms.append(try r.cstring()) } catch { throw protocolError(error) }
          }
          guard mechanisms.contains("SCRAM-SHA-256") else {
            throw authFailure(
              .authenticationUnsupported, "no supported SASL mechanism in \(mechanisms)")
          }
          var nonceBytes = [UInt8](repeating: 0, count: 18)
          for i in 0..<nonceBytes.count { nonceBytes[i] = UInt8.random(in: 0...255) }
          var s = SCRAMClient(password: password, nonce: Base64.encode(nonceBytes))
          try c.write(
            PGMessage.saslInitial(mechanism: "SCRAM-SHA-256", data: Array(s.clientFirst().utf8)))
          scram = s
        case .saslContinue:
          guard var s = scram else {
            throw StoreError(.badData, "\(peer): SASL continue without a SASL start")
          }
          do {
            let final = try s.clientFinal(serverFirst: String(decoding: r.rest, as: UTF8.self))
            try c.write(PGMessage.saslResponse(Array(final.utf8)))
          } catch let e as SCRAMClient.Failure {
            throw authFailure(.credentialsRefused, e.description, underlying: e)
          } catch {
            throw error as! StoreError
          }
          scram = s
        case .saslFinal:
          guard let s = scram else {
            throw StoreError(.badData, "\(peer): SASL final without a SASL start")
          }
          do { try s.verify(serverFinal: String(decoding: r.rest, as: UTF8.self)) } catch {
            throw authFailure(.credentialsRefused, error.description, underlying: error)
          }
        case .kerberosV5, .gss, .gssContinue, .sspi, nil:
          throw authFailure(
            .authenticationUnsupported,
            "authentication method \(code) is not supported (trust, md5, scram-sha-256 are; password with allowCleartextPassword=true)"
          )
        }
      case .error:
        let e = PGServerError(m.body)
        conn?.close()
        conn = nil
        // SQLSTATE class 28: invalid authorization (a wrong password, a user not allowed in).
        throw StoreError(
          e.sqlState.hasPrefix("28") ? .credentialsRefused : .unavailable, "\(peer): \(e)",
          underlying: e)
      case .readyForQuery:
        return
      default:
        // ParameterStatus, BackendKeyData, NoticeResponse, NegotiateProtocolVersion; a type the protocol does not
        // define
        continue
      }
    }
  }

  private func authFailure(
    _ code: StoreError.Code, _ why: String, underlying: (any Error)? = nil
  ) -> StoreError {
    conn?.close()
    conn = nil
    return StoreError(code, "\(peer): authentication failed: \(why)", underlying: underlying)
  }

  private func ensureConnected() throws(StoreError) {
    if conn == nil || conn?.isOpen == false { try connect() }
  }

  /// Runs SQL with the simple query protocol (schema statements); an error reply is a `.badData` error with its
  /// `PGServerError` underneath. Outside an `operation` the call is one of its own (one deadline).
  public func simpleQuery(_ sql: String) throws(StoreError) {
    try operation { () throws(StoreError) in
      try ensureConnected()
      try conn!.write(PGMessage.query(sql))
      roundTrips += 1
      var failure: PGServerError?
      while true {
        let m = try next()
        if m.id == .error { failure = PGServerError(m.body) }
        if m.id == .readyForQuery { break }
      }
      if let failure { throw StoreError(.badData, "\(peer): \(failure)", underlying: failure) }
    }
  }

  /// Registers a statement; it is prepared on each connection the first time it runs.
  public func define(_ name: String, sql: String, types: [Int32]) {
    statements[name] = (sql, types)
  }

  /// Runs a defined statement with binary parameters: Bind, Execute, Sync in one write (plus Parse the first
  /// time on this connection). Returns the rows, columns in binary format. Outside an `operation` the call is one
  /// of its own (one deadline). With `limits`, rows past them are refused as they arrive (`.tooLarge`). An error
  /// reply is a `.badData` error with its `PGServerError` underneath.
  public func run(_ name: String, _ params: [[UInt8]?], limits: LoadLimits? = nil)
    throws(StoreError) -> [[[UInt8]?]]
  {
    try operation { () throws(StoreError) -> [[[UInt8]?]] in
      try runNow(name, params, limits: limits)
    }
  }

  private func runNow(_ name: String, _ params: [[UInt8]?], limits: LoadLimits?)
    throws(StoreError) -> [[[UInt8]?]]
  {
    guard let st = statements[name] else {
      throw StoreError(.badData, "\(peer): statement \(name) is not defined")
    }
    try ensureConnected()
    var out: [UInt8] = []
    let parsing = !prepared.contains(name)
    if parsing { out += PGMessage.parse(name: name, sql: st.sql, types: st.types) }
    out += PGMessage.bind(statement: name, params: params) + PGMessage.execute() + PGMessage.sync
    try conn!.write(out)
    roundTrips += 1
    var rows: [[[UInt8]?]] = []
    var failure: PGServerError?
    var tally = limits.map { LoadTally($0, peer: peer) }
    while true {
      let m = try next(maxRowBytes: tally.map { $0.bytesLeft })
      switch m.id {
      case .dataRow:
        if tally != nil {
          do { try tally!.add(bytes: 5 + m.body.count, items: 1) } catch {
            conn?.close()
            throw error
          }
        }
        do { rows.append(try PGMessage.dataRow(m.body)) } catch { throw protocolError(error) }
      case .error:
        failure = PGServerError(m.body)
      case .parseComplete:
        prepared.insert(name)
      case .readyForQuery:
        if let failure { throw StoreError(.badData, "\(peer): \(failure)", underlying: failure) }
        return rows
      default:
        continue
      }
    }
  }

  public var bytesSent: Int { conn?.bytesSent ?? 0 }
  public var bytesReceived: Int { conn?.bytesReceived ?? 0 }

  public func close() {
    if let c = conn, c.isOpen { try? c.write(PGMessage.terminate) }
    conn?.close()
    conn = nil
  }

  deinit { close() }
}

/// A PostgreSQL ErrorResponse: its SQLSTATE (`23505` unique violation, `42P07` duplicate table, class `28`
/// invalid authorization, …) decides what a caller does; the rest is for people.
public struct PGServerError: Error, Sendable, CustomStringConvertible {
  public var severity: String
  public var sqlState: String
  public var message: String
  public var detail: String?

  init(_ body: [UInt8]) {
    let f = PGMessage.errorFields(body)
    severity = f["S"] ?? "ERROR"
    sqlState = f["C"] ?? "?????"
    message = f["M"] ?? "(no message)"
    detail = f["D"]
  }

  public var description: String {
    "\(severity) \(sqlState): \(message)" + (detail.map { " (\($0))" } ?? "")
  }
}

/// Big-endian int8 for binary parameters and results.
enum PGInt8 {
  static func encode(_ v: Int64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> UInt64(56 - 8 * $0)) }
  }
  static func decode(_ b: [UInt8]?) -> Int64? {
    guard let b, b.count == 8 else { return nil }
    return Int64(bitPattern: b.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
  }
}
