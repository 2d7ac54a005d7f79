import Foundation

@testable import StorageKit

/// A temporary folder removed when the value goes away.
final class TempDir {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "costplan-store-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
}

func text(_ s: String) -> [UInt8] { Array(s.utf8) }
func bodies(_ rs: [StoredRecord]) -> [String] {
  rs.map { String(decoding: $0.body, as: UTF8.self) }
}

/// Entity ids a careless backend would turn into paths, or truncate, or mangle.
let hostileEntities = [
  "../../etc/passwd", "a/b", ".", "..", ".hidden", "nul\u{0}byte", "quote'\"`;--",
  "späce ünïcode 会话 🚀",
  "percent%2F", "~tilde", String(repeating: "x", count: 10_000), "CaseSensitive", "casesensitive",
]
