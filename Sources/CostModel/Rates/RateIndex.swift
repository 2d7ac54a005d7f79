import Foundation

/// `service/id` → rate, for the pricers' lookups (two a line item, thousands of line items in a break-even
/// search). A Swift `Dictionary` of strings hashes each key with SipHash and cost ~400 instructions a lookup here;
/// this open-addressing table hashes the key's UTF-8 bytes with FNV-1a and compares the bytes it lands on.
final class RateIndex: Sendable {
  private let slots: [Int32]  // index into `entries`, or -1
  private let entries: [(service: String, id: String, rate: Rate)]
  private let mask: Int

  init(_ tables: [String: RateTable]) {
    var list: [(service: String, id: String, rate: Rate)] = []
    for (service, t) in tables.sorted(by: { $0.key < $1.key }) {
      var seen = Set<String>()
      for r in t.rates where seen.insert(r.id).inserted { list.append((service, r.id, r)) }
    }
    var size = 16
    while size < list.count * 2 { size *= 2 }
    var slots = [Int32](repeating: -1, count: size)
    for (n, e) in list.enumerated() {
      var i = Self.hash(e.service, e.id) & (size - 1)
      while slots[i] >= 0 { i = (i + 1) & (size - 1) }
      slots[i] = Int32(n)
    }
    self.slots = slots
    self.entries = list
    self.mask = size - 1
  }

  func rate(_ service: String, _ id: String) -> Rate? {
    var i = Self.hash(service, id) & mask
    while true {
      let n = Int(slots[i])
      if n < 0 { return nil }
      let e = entries[n]
      if e.id == id && e.service == service { return e.rate }
      i = (i + 1) & mask
    }
  }

  /// FNV-1a over the service's bytes, a separator, then the id's bytes.
  @inline(__always)
  static func hash(_ service: String, _ id: String) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) func add(_ s: String) {
      var s = s
      s.withUTF8 { bytes in
        for b in bytes {
          h ^= UInt64(b)
          h = h &* 0x100_0000_01b3
        }
      }
    }
    add(service)
    h ^= 0x2f
    h = h &* 0x100_0000_01b3
    add(id)
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }
}
