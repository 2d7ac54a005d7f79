/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it (no channel binding, `n,,`).
public struct SCRAMClient {
  public let password: String
  public let clientNonce: String
  private var clientFirstBare = ""
  private var serverSignature: [UInt8] = []

  public init(password: String, nonce: String) {
    self.password = password
    self.clientNonce = nonce
  }

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// `n,,n=,r=<nonce>`; PostgreSQL takes the user from the startup message, so the name here is empty unless given.
  public mutating func clientFirst(user: String = "") -> String {
    clientFirstBare = "n=\(user),r=\(clientNonce)"
    return "n,," + clientFirstBare
  }

  /// Answers the server-first message with the client-final message (proof included).
  public mutating func clientFinal(serverFirst: String) throws(Failure) -> String {
    // A refused server-first leaves nothing to verify: not even an earlier exchange's signature.
    serverSignature = []
    let (nonce, salt, iterations) = try parseServerFirst(serverFirst)
    let salted = PBKDF2.sha256(
      password: Array(SASLprep.prepare(password).utf8), salt: salt, iterations: iterations)
    let clientKey = HMACSHA256.mac(key: salted, message: Array("Client Key".utf8))
    let storedKey = SHA256.hash(clientKey)
    let withoutProof = "c=biws,r=\(nonce)"
    let authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof
    let clientSignature = HMACSHA256.mac(key: storedKey, message: Array(authMessage.utf8))
    let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
    let serverKey = HMACSHA256.mac(key: salted, message: Array("Server Key".utf8))
    serverSignature = HMACSHA256.mac(key: serverKey, message: Array(authMessage.utf8))
    return withoutProof + ",p=" + Base64.encode(proof)
  }

  /// The server-first message's nonce (which must extend the client's), salt and iteration count.
  func parseServerFirst(_ serverFirst: String) throws(Failure) -> (
    nonce: String, salt: [UInt8], iterations: Int
  ) {
    var attrs: [Character: String] = [:]
    for part in serverFirst.split(separator: ",")
    where part.count >= 2 && part.dropFirst().first == "=" {
      attrs[part.first!] = String(part.dropFirst(2))
    }
    guard let nonce = attrs["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count
    else {
      throw Failure(description: "server nonce does not extend the client nonce")
    }
    guard let saltText = attrs["s"], let salt = Base64.decode(saltText) else {
      throw Failure(description: "bad salt")
    }
    guard let iText = attrs["i"], let iterations = Int(iText), iterations >= 1,
      iterations <= 10_000_000
    else {
      throw Failure(description: "bad iteration count")
    }
    return (nonce, salt, iterations)
  }

  /// Checks the server-final message `v=<signature>`: the server proved it knows the password too.
  public func verify(serverFinal: String) throws(Failure) {
    if serverFinal.hasPrefix("e=") {
      throw Failure(description: "server rejected the proof: \(serverFinal.dropFirst(2))")
    }
    // Without a client-final there is no signature to expect (a server that skipped SASLContinue).
    guard !serverSignature.isEmpty, serverFinal.hasPrefix("v="),
      let v = Base64.decode(String(serverFinal.dropFirst(2).prefix(while: { $0 != "," }))),
      v == serverSignature
    else {
      throw Failure(
        description: "server signature does not match: the server does not know the password")
    }
  }
}

/// SASLprep for the passwords costplan sees: ASCII passwords pass unchanged (what PostgreSQL does too when a
/// password is not valid for SASLprep, it uses it as is).
enum SASLprep {
  static func prepare(_ s: String) -> String { s }
}
