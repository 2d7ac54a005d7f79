import Foundation

/// A backend URL split into scheme, the part after the scheme, and query parameters
/// (`file:DIR?layout=object-per-record`, `cache:file:DIR?entities=100`, `memory:`).
public struct BackendURL: Sendable {
  public var text: String
  public var scheme: String
  /// Everything between `scheme:` and `?`, percent-decoded.
  public var rest: String
  public var query: [(String, String)]

  public static let schemes = ["memory", "file", "cache", "redis", "postgres", "s3", "dynamodb"]

  public init(_ text: String) throws(StoreError) {
    self.text = text
    guard let colon = text.firstIndex(of: ":") else {
      throw StoreError(
        .badURL,
        "backend URL '\(NetworkURL.mask(text))' has no scheme (known: \(Self.schemes.map { $0 + ":" }.joined(separator: ", ")))"
      )
    }
    scheme = String(text[..<colon]).lowercased()
    var after = String(text[text.index(after: colon)...])
    var q: [(String, String)] = []
    // The cache wrapper's query belongs to the whole URL; so does everyone else's.
    if let qm = after.lastIndex(of: "?") {
      let qs = after[after.index(after: qm)...]
      after = String(after[..<qm])
      for pair in qs.split(separator: "&", omittingEmptySubsequences: true) {
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard kv.count == 2, let k = String(kv[0]).removingPercentEncoding,
          let v = String(kv[1]).removingPercentEncoding, !k.isEmpty
        else {
          throw StoreError(
            .badURL,
            "backend URL '\(NetworkURL.mask(text))': query parameter '\(pair)' is not name=value")
        }
        if q.contains(where: { $0.0 == k }) {
          throw StoreError(.badURL, "backend URL '\(NetworkURL.mask(text))': '\(k)' given twice")
        }
        q.append((k, v))
      }
    }
    guard let decoded = after.removingPercentEncoding else {
      throw StoreError(.badURL, "backend URL '\(NetworkURL.mask(text))': bad percent-encoding")
    }
    rest = decoded
    query = q
  }

  public func value(_ name: String) -> String? { query.first(where: { $0.0 == name })?.1 }

  /// Rejects parameters the backend does not know.
  public func allow(_ names: [String]) throws(StoreError) {
    for (k, _) in query where !names.contains(k) {
      let known = names.isEmpty ? "none" : names.joined(separator: ", ")
      throw StoreError(
        .badURL,
        "backend URL '\(NetworkURL.mask(text))': unknown parameter '\(k)' for \(scheme): (known: \(known))"
      )
    }
  }

  public func choice(_ name: String, _ values: [String], default d: String) throws(StoreError)
    -> String
  {
    guard let v = value(name) else { return d }
    guard values.contains(v) else {
      throw StoreError(
        .badURL,
        "backend URL '\(NetworkURL.mask(text))': \(name)=\(v) is not one of \(values.joined(separator: ", "))"
      )
    }
    return v
  }

  public func integer(_ name: String, default d: Int, range: ClosedRange<Int>) throws(StoreError)
    -> Int
  {
    guard let v = value(name) else { return d }
    guard let n = Int(v), range.contains(n) else {
      throw StoreError(
        .badURL,
        "backend URL '\(NetworkURL.mask(text))': \(name)=\(v) is not an integer in \(range.lowerBound)...\(range.upperBound)"
      )
    }
    return n
  }

  public func bool(_ name: String, default d: Bool) throws(StoreError) -> Bool {
    guard let v = value(name) else { return d }
    switch v {
    case "true", "1": return true
    case "false", "0": return false
    default:
      throw StoreError(
        .badURL, "backend URL '\(NetworkURL.mask(text))': \(name)=\(v) is not true or false")
    }
  }
}

/// Opens a backend by URL.
public enum Backends {
  public static func open(_ text: String) throws(StoreError) -> RecordStore {
    let url = try BackendURL(text)
    switch url.scheme {
    case "memory":
      guard url.rest.isEmpty else {
        throw StoreError(.badURL, "backend URL '\(NetworkURL.mask(text))': memory: takes no path")
      }
      return try MemoryStore(url: url)
    case "file":
      return try FileStore(url: url)
    case "redis":
      return try RedisStore(url: text)
    case "postgres", "postgresql":
      return try PostgresStore(url: text)
    case "s3":
      return try S3Store(url: url)
    case "dynamodb":
      return try DynamoStore(url: url)
    case "cache":
      let entities = try url.integer("entities", default: 1000, range: 1...10_000_000)
      var inner = url.rest.isEmpty ? "memory:" : url.rest
      let passOn = url.query.filter { $0.0 != "entities" }
      if !passOn.isEmpty {
        inner +=
          "?"
          + passOn.map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)"
          }.joined(separator: "&")
      }
      if inner.lowercased().hasPrefix("cache:") {
        throw StoreError(.badURL, "backend URL '\(NetworkURL.mask(text))': a cache inside a cache")
      }
      return CacheStore(inner: try open(inner), entities: entities)
    default:
      throw StoreError(
        .badURL,
        "backend URL '\(NetworkURL.mask(text))': unknown scheme '\(url.scheme):' (known: \(BackendURL.schemes.map { $0 + ":" }.joined(separator: ", ")))"
      )
    }
  }
}
