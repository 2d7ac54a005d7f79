import Foundation

/// `scheme://[user[:password]@]host[:port][/path][?query]` for the network backends. The password is kept
/// out of `display`.
public struct NetworkURL: Sendable {
  public var scheme: String
  public var user: String?
  public var password: String?
  public var host: String
  public var port: Int
  public var path: String
  public var query: [(String, String)]
  public var display: String

  public init(_ text: String, defaultPort: Int) throws(StoreError) {
    guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased() else {
      throw StoreError(
        .badURL, "backend URL '\(Self.mask(text))' is not a URL like scheme://host:port/…")
    }
    guard let host = c.host, !host.isEmpty else {
      throw StoreError(.badURL, "backend URL '\(Self.mask(text))' has no host")
    }
    self.scheme = scheme
    self.host =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    user = c.user.map { $0.removingPercentEncoding ?? $0 }.flatMap { $0.isEmpty ? nil : $0 }
    password = c.password.map { $0.removingPercentEncoding ?? $0 }
    if let p = c.port {
      guard (1...65535).contains(p) else {
        throw StoreError(.badURL, "backend URL '\(Self.mask(text))': port \(p) out of range")
      }
      port = p
    } else {
      port = defaultPort
    }
    path = c.path.removingPercentEncoding ?? c.path
    var q: [(String, String)] = []
    for item in c.queryItems ?? [] {
      guard let v = item.value else {
        throw StoreError(
          .badURL,
          "backend URL '\(Self.mask(text))': query parameter '\(item.name)' is not name=value")
      }
      if q.contains(where: { $0.0 == item.name }) {
        throw StoreError(.badURL, "backend URL '\(Self.mask(text))': '\(item.name)' given twice")
      }
      q.append((item.name, v))
    }
    query = q
    display = Self.mask(text)
  }

  /// The URL with any password replaced by `***`.
  /// The URL with its password replaced by `***`. A password may hold `/`, `?`, `#` or `@` unencoded, so the secret
  /// runs from the first `:` after `scheme://` to the last `@` of the text: it may hide more than the password
  /// (a query holding `@`), never less. Works inside wrappers such as `cache:postgres://…`.
  public static func mask(_ text: String) -> String {
    guard let schemeEnd = text.range(of: "://") else { return text }
    let afterScheme = text[schemeEnd.upperBound...]
    guard let at = afterScheme.lastIndex(of: "@") else { return text }
    let userinfo = afterScheme[..<at]
    guard let colon = userinfo.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":***" + String(text[at...])
  }

  public func value(_ name: String) -> String? { query.first(where: { $0.0 == name })?.1 }

  public func allow(_ names: [String]) throws(StoreError) {
    for (k, _) in query where !names.contains(k) {
      throw StoreError(
        .badURL,
        "backend URL '\(display)': unknown parameter '\(k)' for \(scheme): (known: \(names.joined(separator: ", ")))"
      )
    }
  }

  public func bool(_ name: String, default d: Bool) throws(StoreError) -> Bool {
    guard let v = value(name) else { return d }
    switch v {
    case "true", "1": return true
    case "false", "0": return false
    default:
      throw StoreError(.badURL, "backend URL '\(display)': \(name)=\(v) is not true or false")
    }
  }

  public func number(_ name: String, default d: Double, range: ClosedRange<Double>)
    throws(StoreError) -> Double
  {
    guard let v = value(name) else { return d }
    guard let n = Double(v), range.contains(n) else {
      throw StoreError(
        .badURL,
        "backend URL '\(display)': \(name)=\(v) is not a number in \(range.lowerBound)...\(range.upperBound)"
      )
    }
    return n
  }
}
