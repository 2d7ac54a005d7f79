import Foundation

/// How much one load may bring in from a server (`maxLoadBytes=`, `maxLoadItems=` in a network backend's URL):
/// bytes of the replies (HTTP response bodies, the RESP reply, PostgreSQL's data rows) and items (records, keys
/// listed, DynamoDB items). A server that sends endless pages or a huge reply, or an entity that has grown past
/// them, ends the load with `.tooLarge` (exit 65) instead of taking all memory; `timeout=` bounds its time.
public struct LoadLimits: Sendable, Equatable {
  /// 256 MiB: HTTPClient's largest response body.
  public static let defaultBytes = 256 << 20
  public static let defaultItems = 1_000_000
  public static let parameters = ["maxLoadBytes", "maxLoadItems"]

  public var maxBytes: Int
  public var maxItems: Int

  public init(maxBytes: Int = defaultBytes, maxItems: Int = defaultItems) {
    self.maxBytes = maxBytes
    self.maxItems = maxItems
  }

  /// Reads both parameters through `value` (a URL's query); `shown` names the URL in errors.
  init(value: (String) -> String?, shown: String) throws(StoreError) {
    func read(_ name: String, _ d: Int, _ range: ClosedRange<Int>) throws(StoreError) -> Int {
      guard let v = value(name) else { return d }
      guard let n = Int(v), range.contains(n) else {
        throw StoreError(
          .badURL,
          "backend URL '\(shown)': \(name)=\(v) is not an integer in \(range.lowerBound)...\(range.upperBound)"
        )
      }
      return n
    }
    self.init(
      maxBytes: try read("maxLoadBytes", Self.defaultBytes, 1...(1 << 40)),
      maxItems: try read("maxLoadItems", Self.defaultItems, 1...1_000_000_000))
  }

  public init(url: BackendURL) throws(StoreError) {
    try self.init(value: url.value, shown: NetworkURL.mask(url.text))
  }

  public init(url: NetworkURL) throws(StoreError) {
    try self.init(value: url.value, shown: url.display)
  }

  /// The error of a load past these limits.
  func exceeded(_ peer: String, bytes: Int? = nil, items: Int? = nil) -> StoreError {
    let what =
      items.map { "\($0) items, over maxLoadItems=\(maxItems)" }
      ?? "\(bytes ?? 0) bytes, over maxLoadBytes=\(maxBytes)"
    return StoreError(
      .tooLarge,
      "\(peer): the load would bring in \(what) (raise it in the backend URL if the entity really holds that much)"
    )
  }
}

/// One load's running count against its `LoadLimits`.
struct LoadTally {
  let limits: LoadLimits
  let peer: String
  private(set) var bytes = 0
  private(set) var items = 0

  init(_ limits: LoadLimits, peer: String) {
    self.limits = limits
    self.peer = peer
  }

  /// Bytes the next reply may hold.
  var bytesLeft: Int { max(0, limits.maxBytes - bytes) }

  mutating func add(bytes b: Int = 0, items i: Int = 0) throws(StoreError) {
    bytes += b
    items += i
    if bytes > limits.maxBytes { throw limits.exceeded(peer, bytes: bytes) }
    if items > limits.maxItems { throw limits.exceeded(peer, items: items) }
  }
}
