// libFuzzer target: PostgreSQL backend messages (scripts/fuzz.sh pg). The input is what a server sends from the
// startup on: messages one after another. They are framed as PGConnection frames them, fed in reads whose sizes
// come from the input's hash, and each is read as the connection reads it: Authentication requests (md5 salt,
// SASL mechanisms, SCRAM server-first and server-final), ErrorResponse and NoticeResponse fields, DataRow
// columns. Checked, for every input:
// - read in pieces or all at once, the same messages, bytes used and error; a message never uses more than the
//   bytes given, and its type byte, length and body frame exactly the bytes it used; the length its header
//   declares (what a load's maxLoadBytes is checked against before the bytes arrive) is the length it has;
// - a DataRow's columns re-encode to the start of its body;
// - error fields hold no NUL and the description shows the message field;
// - SCRAM (as the client, with the password "pencil"): a server-first that is accepted yields a proof a server
//   holding the stored key accepts, and the server-final message with the server's signature passes; a
//   server-final passes only then, and only with that signature.
// -malloc_limit_mb=64 (fuzz.sh) stops any allocation from a length prefix (up to 1 GB) before the bytes arrive.
// Iteration counts over 64 are parsed but not computed (PBKDF2 at 10 million iterations would take the run).
import Foundation

enum Framed: Equatable {
  case message(PGMessage.Backend, Int)
  case error(String)
}

func be32(_ v: Int) -> [UInt8] {
  [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
}

/// The client's side of SCRAM as the stream drives it, with what a server would check.
struct SCRAMCheck {
  var client: SCRAMClient
  let bare: String
  /// After a client-final: the server's signature the server-final must carry.
  var expected: [UInt8]?
  /// After a server-first with more iterations than computed here.
  var unknown = false

  init(nonce: String) {
    client = SCRAMClient(password: "pencil", nonce: nonce)
    let first = client.clientFirst()
    bare = String(first.dropFirst(3))
  }

  mutating func serverFirst(_ text: String) {
    expected = nil
    unknown = false
    if let parsed = try? client.parseServerFirst(text), parsed.iterations > 64 {
      // Not computed (PBKDF2 at up to 10 million iterations would take the run): what the client now expects is
      // not known here.
      unknown = true
      return
    }
    // As PGConnection answers it; a refused one ends the connection there, and must leave nothing to verify here.
    guard let final = try? client.clientFinal(serverFirst: text) else { return }
    guard let (nonce, salt, iterations) = try? client.parseServerFirst(text) else {
      fuzzFail("a server-first that was answered does not parse")
    }
    let withoutProof = "c=biws,r=\(nonce)"
    guard final.hasPrefix(withoutProof + ",p="),
      let proof = Base64.decode(String(final.dropFirst(withoutProof.count + 3)))
    else { fuzzFail("client-final \(final.prefix(80))") }
    // What the server does with the proof: recover the client key, hash it, compare with the stored key.
    let salted = PBKDF2.sha256(password: Array("pencil".utf8), salt: salt, iterations: iterations)
    let storedKey = SHA256.hash(HMACSHA256.mac(key: salted, message: Array("Client Key".utf8)))
    let authMessage = Array((bare + "," + text + "," + withoutProof).utf8)
    let clientSignature = HMACSHA256.mac(key: storedKey, message: authMessage)
    guard proof.count == 32, SHA256.hash(zip(proof, clientSignature).map { $0 ^ $1 }) == storedKey
    else {
      fuzzFail("the proof does not verify against the stored key")
    }
    let serverKey = HMACSHA256.mac(key: salted, message: Array("Server Key".utf8))
    let signature = HMACSHA256.mac(key: serverKey, message: authMessage)
    do { try client.verify(serverFinal: "v=" + Base64.encode(signature)) } catch {
      fuzzFail("the server's own signature was refused: \(error)")
    }
    expected = signature
  }

  func serverFinal(_ text: String) {
    guard !unknown, (try? client.verify(serverFinal: text)) != nil else { return }
    guard let expected else {
      fuzzFail("server-final '\(text.prefix(80))' accepted with no client-final sent")
    }
    guard text.hasPrefix("v="),
      Base64.decode(String(text.dropFirst(2).prefix { $0 != "," })) == expected
    else { fuzzFail("server-final '\(text.prefix(80))' accepted without the server's signature") }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let bytes = Array(input)
  var rng = FuzzRandom(input)

  var whole: [Framed] = []
  var p = 0
  while true {
    do {
      guard let (m, used) = try PGMessage.decode(bytes[p...]) else { break }
      whole.append(.message(m, used))
      p += used
    } catch {
      whole.append(.error(error.description))
      break
    }
  }

  var pieces: [Framed] = []
  var start = 0
  var end = 0
  var reads = pieceSizes(total: bytes.count, &rng)[...]
  while true {
    do {
      if let (m, used) = try PGMessage.decode(bytes[start..<end]) {
        guard used <= end - start else {
          fuzzFail("a message used \(used) bytes of \(end - start)")
        }
        let declared = PGMessage.declaredLength(bytes[start..<end])
        guard declared == used else {
          fuzzFail("a message of \(used) bytes declared \(String(describing: declared))")
        }
        guard [m.type] + be32(m.body.count + 4) + m.body == Array(bytes[start..<(start + used)])
        else {
          fuzzFail("message \(m.type) does not frame the \(used) bytes it used")
        }
        pieces.append(.message(m, used))
        start += used
        continue
      }
    } catch {
      pieces.append(.error(error.description))
      break
    }
    // Incomplete: what the header declares (checked against a load's maxLoadBytes as it arrives) is not there.
    if end - start >= 5, let n = PGMessage.declaredLength(bytes[start..<end]), n <= end - start {
      fuzzFail("a message declaring \(n) bytes is incomplete in \(end - start)")
    }
    guard let n = reads.popFirst() else { break }
    end += n
  }
  guard pieces == whole else {
    fuzzFail("in pieces: \(pieces.prefix(3)); at once: \(whole.prefix(3))")
  }

  // As PGConnection reads them. The client nonce is a fixed one, or the server nonce's first 24 characters
  // (the length of costplan's), so that captured exchanges get past the nonce check.
  var scram: SCRAMCheck?
  for case .message(let m, _) in whole {
    switch m.id {
    case .authentication:
      var r = PGMessage.Reader(b: m.body)
      guard let code = try? r.int32() else { continue }
      switch PGMessage.AuthenticationRequest(rawValue: code) {
      case .md5Password:
        _ = try? r.bytes(4)
      case .sasl:
        var mechanisms: [String] = []
        while r.p < m.body.count, m.body[r.p] != 0 {
          guard let name = try? r.cstring() else { break }
          guard !name.contains("\0") else { fuzzFail("mechanism name with a NUL") }
          mechanisms.append(name)
        }
        scram = nil
        if mechanisms.contains("SCRAM-SHA-256") {
          scram = SCRAMCheck(nonce: "rOprNGfwEbeRWgbNEkqO")
        }
      case .saslContinue:
        let text = String(decoding: r.rest, as: UTF8.self)
        if scram != nil, rng.below(2) == 0,
          let serverNonce = text.split(separator: ",").first(where: { $0.hasPrefix("r=") }),
          serverNonce.count > 26
        {
          scram = SCRAMCheck(nonce: String(serverNonce.dropFirst(2).prefix(24)))
        }
        scram?.serverFirst(text)
      case .saslFinal:
        scram?.serverFinal(String(decoding: r.rest, as: UTF8.self))
      default:
        continue
      }
    case .error, .noticeResponse:
      let fields = PGMessage.errorFields(m.body)
      guard fields.values.allSatisfy({ !$0.contains("\0") }) else {
        fuzzFail("error field with a NUL")
      }
      let text = PGMessage.describeError(m.body)
      if let message = fields["M"], !message.isEmpty, !text.contains(message) {
        fuzzFail("'\(text.prefix(80))' does not show the message field")
      }
    case .dataRow:
      guard let columns = try? PGMessage.dataRow(m.body) else { continue }
      var again = [UInt8(columns.count >> 8), UInt8(columns.count & 255)]
      for c in columns {
        if let c { again += be32(c.count) + c } else { again += [255, 255, 255, 255] }
        _ = PGInt8.decode(c)
      }
      guard again.count <= m.body.count, Array(m.body.prefix(again.count)) == again else {
        fuzzFail("DataRow of \(columns.count) columns does not re-encode to its body")
      }
    default:
      continue
    }
  }
  return 0
}
