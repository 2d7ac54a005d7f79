import Foundation

/// PBKDF2-HMAC-SHA-256 (RFC 8018), for SCRAM's SaltedPassword = Hi(password, salt, i).
public enum PBKDF2 {
  public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = 32)
    -> [UInt8]
  {
    var out: [UInt8] = []
    var block: UInt32 = 1
    while out.count < length {
      var u = HMACSHA256.mac(
        key: password,
        message: salt + [
          UInt8(block >> 24), UInt8(truncatingIfNeeded: block >> 16),
          UInt8(truncatingIfNeeded: block >> 8), UInt8(truncatingIfNeeded: block),
        ])
      var t = u
      if iterations > 1 {
        for _ in 1..<iterations {
          u = HMACSHA256.mac(key: password, message: u)
          for j in 0..<t.count { t[j] ^= u[j] }
        }
      }
      out += t
      block += 1
    }
    return Array(out.prefix(length))
  }
}

/// MD5 (RFC 1321): only for PostgreSQL's legacy `md5` password authentication.
public enum MD5 {
  static let s: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
    14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10,
    15, 21, 6, 10, 15, 21,
  ]
  /// K[i] = ⌊|sin(i + 1)| × 2^32⌋ (RFC 1321 §3.4).
  static let k: [UInt32] = (0..<64).map { i in
    UInt32(truncatingIfNeeded: Int64(Foundation.sin(Double(i + 1)).magnitude * 4_294_967_296.0))
  }

  public static func hash(_ message: [UInt8]) -> [UInt8] {
    var m = message
    let bits = UInt64(message.count) &* 8
    m.append(0x80)
    while m.count % 64 != 56 { m.append(0) }
    for i in 0..<8 { m.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    var a0: UInt32 = 0x6745_2301
    var b0: UInt32 = 0xefcd_ab89
    var c0: UInt32 = 0x98ba_dcfe
    var d0: UInt32 = 0x1032_5476
    for chunk in stride(from: 0, to: m.count, by: 64) {
      var w = [UInt32](repeating: 0, count: 16)
      for i in 0..<16 {
        w[i] =
          UInt32(m[chunk + 4 * i]) | UInt32(m[chunk + 4 * i + 1]) << 8 | UInt32(
            m[chunk + 4 * i + 2]) << 16 | UInt32(m[chunk + 4 * i + 3]) << 24
      }
      var a = a0
      var b = b0
      var c = c0
      var d = d0
      for i in 0..<64 {
        var f: UInt32
        var g: Int
        switch i {
        case 0..<16:
          f = (b & c) | (~b & d)
          g = i
        case 16..<32:
          f = (d & b) | (~d & c)
          g = (5 * i + 1) % 16
        case 32..<48:
          f = b ^ c ^ d
          g = (3 * i + 5) % 16
        default:
          f = c ^ (b | ~d)
          g = (7 * i) % 16
        }
        f = f &+ a &+ k[i] &+ w[g]
        a = d
        d = c
        c = b
        b = b &+ (f << s[i] | f >> (32 - s[i]))
      }
      a0 = a0 &+ a
      b0 = b0 &+ b
      c0 = c0 &+ c
      d0 = d0 &+ d
    }
    var out: [UInt8] = []
    for v in [a0, b0, c0, d0] {
      for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
    return out
  }
}

/// Base64 (RFC 4648), for SCRAM messages.
public enum Base64 {
  static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  public static func encode(_ b: [UInt8]) -> String {
    var out: [UInt8] = []
    var i = 0
    while i < b.count {
      let n = min(3, b.count - i)
      let v =
        UInt32(b[i]) << 16 | (n > 1 ? UInt32(b[i + 1]) << 8 : 0) | (n > 2 ? UInt32(b[i + 2]) : 0)
      for j in 0..<4 { out.append(j <= n ? alphabet[Int((v >> UInt32(18 - 6 * j)) & 63)] : 61) }
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  public static func decode(_ s: String) -> [UInt8]? {
    var vals: [UInt8] = []
    var pad = 0
    for c in s.utf8 {
      if c == 61 {
        pad += 1
        continue
      }
      guard pad == 0, let i = alphabet.firstIndex(of: c) else { return nil }
      vals.append(UInt8(i))
    }
    guard (vals.count + pad) % 4 == 0, pad <= 2 else { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < vals.count {
      let chunk = vals[i..<min(i + 4, vals.count)]
      var v: UInt32 = 0
      for (j, x) in chunk.enumerated() { v |= UInt32(x) << UInt32(18 - 6 * j) }
      let bytes = chunk.count - 1
      for j in 0..<bytes { out.append(UInt8(truncatingIfNeeded: v >> UInt32(16 - 8 * j))) }
      i += 4
    }
    return out
  }
}
