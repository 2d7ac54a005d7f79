/// SHA-256 (FIPS 180-4), streaming. Tested on the NIST FIPS 180 example vectors and RFC 6234.
public struct SHA256: Sendable {
  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7,
    0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc,
    0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351,
    0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e,
    0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585,
    0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f,
    0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  private var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
    0x5be0_cd19
  )
  private var buffer: [UInt8] = []
  private var length: UInt64 = 0

  public init() { buffer.reserveCapacity(64) }

  public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
    var s = SHA256()
    s.update(data)
    return s.finalize()
  }

  public static func hex<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
    Hex.encode(hash(data))
  }

  public mutating func update<C: Collection>(_ data: C) where C.Element == UInt8 {
    // Contiguous bytes (arrays, slices, a string's UTF-8) are compressed in place, a block at a time.
    if data.withContiguousStorageIfAvailable({ update(bytes: $0) }) != nil { return }
    Array(data).withUnsafeBufferPointer { update(bytes: $0) }
  }

  private mutating func update(bytes p: UnsafeBufferPointer<UInt8>) {
    length &+= UInt64(p.count)
    var i = 0
    if !buffer.isEmpty {
      let take = min(64 - buffer.count, p.count)
      buffer.append(contentsOf: p[0..<take])
      i = take
      if buffer.count == 64 {
        buffer.withUnsafeBufferPointer { Self.compress(&h, $0.baseAddress!) }
        buffer.removeAll(keepingCapacity: true)
      }
    }
    while p.count - i >= 64 {
      Self.compress(&h, p.baseAddress! + i)
      i += 64
    }
    if i < p.count { buffer.append(contentsOf: p[i...]) }
  }

  public mutating func finalize() -> [UInt8] {
    let bits = length &* 8
    var pad: [UInt8] = [0x80]
    let rem = (buffer.count + 1) % 64
    pad += [UInt8](repeating: 0, count: rem <= 56 ? 56 - rem : 120 - rem)
    for s in stride(from: 56, through: 0, by: -8) {
      pad.append(UInt8(truncatingIfNeeded: bits >> UInt64(s)))
    }
    let saved = length
    update(pad)
    length = saved
    precondition(buffer.isEmpty)
    var out: [UInt8] = []
    out.reserveCapacity(32)
    for w in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
      out += [
        UInt8(w >> 24), UInt8(truncatingIfNeeded: w >> 16), UInt8(truncatingIfNeeded: w >> 8),
        UInt8(truncatingIfNeeded: w),
      ]
    }
    return out
  }

  @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x >> n) | (x << (32 - n))
  }

  /// One 64-byte block into the state (the message schedule on the stack, not in a fresh array per block).
  private static func compress(
    _ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
    _ p: UnsafePointer<UInt8>
  ) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      k.withUnsafeBufferPointer { k in
        for t in 0..<16 {
          w[t] =
            UInt32(p[4 * t]) << 24 | UInt32(p[4 * t + 1]) << 16 | UInt32(p[4 * t + 2]) << 8
            | UInt32(p[4 * t + 3])
        }
        for t in 16..<64 {
          let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
          let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
          w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        for t in 0..<64 {
          let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
          let ch = (e & f) ^ (~e & g)
          let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
          let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
          let maj = (a & b) ^ (a & c) ^ (b & c)
          let t2 = s0 &+ maj
          hh = g
          g = f
          f = e
          e = d &+ t1
          d = c
          c = b
          b = a
          a = t1 &+ t2
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
      }
    }
  }
}

/// HMAC-SHA-256 (RFC 2104), tested on RFC 4231 cases 1–7.
public enum HMACSHA256 {
  public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var k = key.count > 64 ? SHA256.hash(key) : key
    k += [UInt8](repeating: 0, count: 64 - k.count)
    var inner = SHA256()
    inner.update(k.map { $0 ^ 0x36 })
    inner.update(message)
    var outer = SHA256()
    outer.update(k.map { $0 ^ 0x5c })
    outer.update(inner.finalize())
    return outer.finalize()
  }
}

/// Lower-case hexadecimal.
public enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)
  public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// nil unless the text is an even number of hex digits.
  public static func decode(_ text: String) -> [UInt8]? {
    let u = Array(text.utf8)
    guard u.count % 2 == 0 else { return nil }
    func v(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: return c - 48
      case 97...102: return c - 87
      case 65...70: return c - 55
      default: return nil
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity(u.count / 2)
    var i = 0
    while i < u.count {
      guard let hi = v(u[i]), let lo = v(u[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    return out
  }
}
