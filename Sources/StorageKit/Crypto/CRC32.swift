/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): the checksum on every record the file backend writes.
public enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  public static func checksum<C: Collection>(_ data: C, start: UInt32 = 0) -> UInt32
  where C.Element == UInt8 {
    var c = ~start
    for b in data { c = table[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
    return ~c
  }
}
