/// The bytes of one stored object of the file backend: the entity id it belongs to and its records.
///
///     "CPS1"  u32 entity length  entity (UTF-8)  u32 record count
///     per record: u64 seq  i64 at (ms)  u32 body length  body
///     u32 CRC-32 of everything before it
///
/// Integers are little-endian. Objects are written whole and renamed into place, so a torn object can only
/// come from outside damage; the checksum and the bounds checks turn that into an error, never a trap.
enum ObjectCodec {
  static let magic: [UInt8] = Array("CPS1".utf8)
  /// Per-record framing: seq, at, length.
  static let recordOverhead = 20

  static func encodedSize(entity: String, bodies: Int, count: Int) -> Int {
    4 + 4 + entity.utf8.count + 4 + count * recordOverhead + bodies + 4
  }

  static func encode(entity: String, records: [StoredRecord]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(
      encodedSize(
        entity: entity, bodies: records.reduce(0) { $0 + $1.body.count }, count: records.count))
    out += magic
    put32(&out, UInt32(entity.utf8.count))
    out += entity.utf8
    put32(&out, UInt32(records.count))
    for r in records {
      put64(&out, UInt64(r.seq))
      put64(&out, UInt64(bitPattern: r.at))
      put32(&out, UInt32(r.body.count))
      out += r.body
    }
    put32(&out, CRC32.checksum(out))
    return out
  }

  struct Decoded {
    var entity: String
    var records: [StoredRecord]
  }

  /// Decodes an object; `what` names it in errors.
  static func decode(_ b: [UInt8], what: String) throws(StoreError) -> Decoded {
    func corrupt(_ why: String) -> StoreError {
      StoreError(.badData, "\(what): corrupt object: \(why)")
    }
    guard b.count >= 16, Array(b[0..<4]) == magic else {
      throw corrupt("not a costplan object (bad header)")
    }
    let stored = get32(b, b.count - 4)
    guard CRC32.checksum(b[0..<(b.count - 4)]) == stored else { throw corrupt("checksum mismatch") }
    var p = 4
    let end = b.count - 4
    func need(_ n: Int) throws(StoreError) {
      if n < 0 || n > end - p { throw corrupt("truncated at byte \(p)") }
    }
    try need(4)
    let idLen = Int(get32(b, p))
    p += 4
    try need(idLen)
    guard let entity = String(validating: b[p..<(p + idLen)], as: UTF8.self) else {
      throw corrupt("entity id is not UTF-8")
    }
    p += idLen
    try need(4)
    let count = Int(get32(b, p))
    p += 4
    guard count <= (end - p) / recordOverhead else {
      throw corrupt("record count \(count) does not fit in the object")
    }
    var records: [StoredRecord] = []
    records.reserveCapacity(count)
    for _ in 0..<count {
      try need(recordOverhead)
      let seq = get64(b, p)
      let at = Int64(bitPattern: get64(b, p + 8))
      let len = Int(get32(b, p + 16))
      p += recordOverhead
      try need(len)
      guard seq <= UInt64(Int.max) else { throw corrupt("record number out of range") }
      records.append(StoredRecord(seq: Int(seq), at: at, body: Array(b[p..<(p + len)])))
      p += len
    }
    guard p == end else { throw corrupt("\(end - p) stray bytes after the records") }
    return Decoded(entity: entity, records: records)
  }

  static func put32(_ out: inout [UInt8], _ v: UInt32) {
    for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
  }
  static func put64(_ out: inout [UInt8], _ v: UInt64) {
    for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }
  static func get32(_ b: [UInt8], _ p: Int) -> UInt32 {
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(b[p + i]) << (8 * UInt32(i)) }
    return v
  }
  static func get64(_ b: [UInt8], _ p: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(b[p + i]) << (8 * UInt64(i)) }
    return v
  }
}

/// Entity ids as file names: letters, digits, `-` and `_` stay; every other byte of the UTF-8 is `%XX`
/// (so `.`, `/`, NUL and `%` can never form a path); names that would exceed 200 bytes become `~` and the
/// SHA-256 of the id. The object itself records the full id, and a mismatch is reported, not merged.
public enum EntityName {
  public static func encode(_ entity: String) -> String {
    var out: [UInt8] = []
    let hex = Array("0123456789ABCDEF".utf8)
    for b in entity.utf8 {
      switch b {
      case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F: out.append(b)
      default:
        out.append(0x25)
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
      }
      if out.count > 200 { return "~" + SHA256.hex(Array(entity.utf8)) }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
