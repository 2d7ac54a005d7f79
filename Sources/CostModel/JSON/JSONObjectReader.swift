import Foundation

/// What a number in an input file must be.
public enum NumberRule: Sendable {
  case any
  case positive
  case nonNegative
  case fraction  // 0 ... 1
  case positiveInteger
  case nonNegativeInteger

  var expectation: String {
    switch self {
    case .any: return "a number"
    case .positive: return "a positive number"
    case .nonNegative: return "a number ≥ 0"
    case .fraction: return "a number from 0 to 1"
    case .positiveInteger: return "a positive integer"
    case .nonNegativeInteger: return "an integer ≥ 0"
    }
  }
}

/// Reads one JSON object field by field, turning every mismatch into a `DataError` with the file,
/// position and JSON path, and rejecting fields nobody asked for (a typo must not fall back to a default).
public final class JSONObjectReader {
  public let file: String
  public let path: String
  public let position: SourcePosition
  private let members: [(key: String, node: JSONNode)]
  /// Which members were read, by position (no hashing of keys: a rate table reads thousands).
  private var used: [Bool]

  /// Largest magnitude accepted for any number: far beyond any real workload, small enough that
  /// products of a few such numbers stay inside `Decimal`'s range.
  public static let maxMagnitude = Decimal(string: "1e30")!
  /// Smallest non-zero magnitude accepted.
  public static let minMagnitude = Decimal(string: "1e-30")!

  public init(_ node: JSONNode, file: String, path: String) throws(DataError) {
    guard case .object(let members) = node.value else {
      throw DataError(
        file: file, position: node.position, path: path,
        message: "expected an object, found \(node.value.shortDescription)")
    }
    self.file = file
    self.path = path
    self.position = node.position
    self.members = members
    self.used = Array(repeating: false, count: members.count)
  }

  public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  public func has(_ key: String) -> Bool { members.contains { $0.key == key } }

  /// The raw node for a key, marking it as read.
  public func node(_ key: String) -> JSONNode? {
    guard let i = members.firstIndex(where: { $0.key == key }) else { return nil }
    used[i] = true
    return members[i].node
  }

  public func error(_ key: String, _ message: String, at node: JSONNode? = nil) -> DataError {
    // A required field reported missing is most often mistyped: when a field nobody has read is one or two
    // edits from it, the error points at that field, as an unknown field with a did-you-mean.
    if node == nil, message.hasPrefix("missing"), let typo = likelyTypo(of: key) {
      // reported here, not again as unknown
      used[members.firstIndex { $0.key == typo.key }!] = true
      return DataError(
        file: file, position: typo.node.position, path: childPath(typo.key),
        message:
          "unknown field; did you mean \"\(key)\"? (\"\(key)\" is required: \(message.dropFirst("missing, ".count)))"
      )
    }
    return DataError(
      file: file, position: node?.position ?? position, path: childPath(key), message: message)
  }

  /// An unread member whose name is within a small edit distance of `key`.
  func likelyTypo(of key: String) -> (key: String, node: JSONNode)? {
    for (i, m) in members.enumerated() where !used[i] && m.key != key {
      if Suggest.closest(m.key, among: [key]) != nil { return (m.key, m.node) }
    }
    return nil
  }

  func requireNode(_ key: String, expecting: String) throws(DataError) -> JSONNode {
    guard let n = node(key) else { throw error(key, "missing, expected \(expecting)") }
    return n
  }

  // MARK: strings

  public func string(_ key: String) throws(DataError) -> String {
    let n = try requireNode(key, expecting: "a string")
    return try Self.string(n, file: file, path: childPath(key))
  }

  public func optionalString(_ key: String) throws(DataError) -> String? {
    guard let n = node(key) else { return nil }
    return try Self.string(n, file: file, path: childPath(key))
  }

  static func string(_ n: JSONNode, file: String, path: @autoclosure () -> String) throws(DataError)
    -> String
  {
    guard case .string(let s) = n.value else {
      throw DataError(
        file: file, position: n.position, path: path(),
        message: "expected a string, found \(n.value.shortDescription)")
    }
    return s
  }

  /// A string that must be one of `allowed`.
  public func choice(_ key: String, _ allowed: [String], default def: String? = nil)
    throws(DataError) -> String
  {
    guard let n = node(key) else {
      if let def { return def }
      throw error(key, "missing, expected one of \(allowed.joined(separator: ", "))")
    }
    let s = try Self.string(n, file: file, path: childPath(key))
    guard allowed.contains(s) else {
      let guess = Suggest.closest(s, among: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
      throw error(
        key, "expected one of \(allowed.joined(separator: ", ")), found \"\(s)\"\(guess)", at: n)
    }
    return s
  }

  // MARK: numbers

  public func decimal(_ key: String, _ rule: NumberRule) throws(DataError) -> Decimal {
    let n = try requireNode(key, expecting: rule.expectation)
    return try Self.decimal(n, rule, file: file, path: childPath(key))
  }

  public func optionalDecimal(_ key: String, _ rule: NumberRule) throws(DataError) -> Decimal? {
    guard let n = node(key) else { return nil }
    return try Self.decimal(n, rule, file: file, path: childPath(key))
  }

  public func decimal(_ key: String, _ rule: NumberRule, default def: Decimal) throws(DataError)
    -> Decimal
  {
    try optionalDecimal(key, rule) ?? def
  }

  public static func decimal(
    _ n: JSONNode, _ rule: NumberRule, file: String, path: @autoclosure () -> String
  ) throws(DataError) -> Decimal {
    func fail(_ why: String = "") -> DataError {
      DataError(
        file: file, position: n.position, path: path(),
        message: "expected \(rule.expectation)\(why), found \(n.value.shortDescription)")
    }
    guard case .number(let text) = n.value else {
      // A range where the model allows none (docs/model.md §10): say where ranges may stand.
      if case .object(let members) = n.value,
        members.contains(where: { $0.key == "low" || $0.key == "high" })
      {
        throw DataError(
          file: file, position: n.position, path: path(),
          message:
            "expected \(rule.expectation), found a range: a range {\"low\", \"high\"} may stand only for entitiesPerMonth, recordsPerEntity, recordBytes, loadsPerRecord, loadsPerEntity, entityLifetimeMinutes, peakToAverage, cache.hitRatio, queriesPerSecondPerACU, perRecordOverheadBytes or rowOverheadBytes"
        )
      }
      throw fail()
    }
    guard let d = Decimal(string: text), !d.isNaN else {
      throw fail(" within ±1e30")
    }
    if d.magnitude > maxMagnitude { throw fail(" within ±1e30") }
    if d != 0 && d.magnitude < minMagnitude { throw fail(" of magnitude at least 1e-30") }
    switch rule {
    case .any: break
    case .positive: if d <= 0 { throw fail() }
    case .nonNegative: if d < 0 { throw fail() }
    case .fraction: if d < 0 || d > 1 { throw fail() }
    case .positiveInteger: if d <= 0 || !d.isInteger { throw fail() }
    case .nonNegativeInteger: if d < 0 || !d.isInteger { throw fail() }
    }
    return d
  }

  /// An integer field with an upper bound, returned as `Int` for counting loops and residues.
  public func integer(_ key: String, _ rule: NumberRule, max: Int, default def: Int? = nil)
    throws(DataError) -> Int
  {
    guard let n = node(key) else {
      if let def { return def }
      throw error(key, "missing, expected \(rule.expectation)")
    }
    let d = try Self.decimal(n, rule, file: file, path: childPath(key))
    guard d <= Decimal(max) else {
      throw error(
        key, "expected \(rule.expectation) of at most \(max), found \(n.value.shortDescription)",
        at: n)
    }
    return NSDecimalNumber(decimal: d).intValue
  }

  // MARK: others

  public func bool(_ key: String, default def: Bool) throws(DataError) -> Bool {
    guard let n = node(key) else { return def }
    guard case .bool(let b) = n.value else {
      throw error(key, "expected true or false, found \(n.value.shortDescription)", at: n)
    }
    return b
  }

  public func array(_ key: String) throws(DataError) -> [JSONNode] {
    let n = try requireNode(key, expecting: "an array")
    guard case .array(let items) = n.value else {
      throw error(key, "expected an array, found \(n.value.shortDescription)", at: n)
    }
    return items
  }

  public func optionalArray(_ key: String) throws(DataError) -> [JSONNode]? {
    guard has(key) else { return nil }
    return try array(key)
  }

  public func object(_ key: String) throws(DataError) -> JSONObjectReader {
    let n = try requireNode(key, expecting: "an object")
    return try JSONObjectReader(n, file: file, path: childPath(key))
  }

  public func optionalObject(_ key: String) throws(DataError) -> JSONObjectReader? {
    guard let n = node(key) else { return nil }
    return try JSONObjectReader(n, file: file, path: childPath(key))
  }

  /// Every key of the object in file order (for maps such as `attributes`).
  public var keys: [String] { members.map(\.key) }

  /// Fails on the first field that was never read.
  public func finish() throws(DataError) {
    for (i, m) in members.enumerated() where !used[i] {
      throw DataError(
        file: file, position: m.node.position, path: childPath(m.key),
        message: "unknown field")
    }
  }

  /// `finish()` with the list of fields the object may have, for a more helpful message.
  public func finish(allowed: [String]) throws(DataError) {
    for (i, m) in members.enumerated() where !used[i] {
      let suggestion =
        Suggest.closest(m.key, among: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
      let hint =
        allowed.isEmpty ? "" : "\(suggestion) (allowed here: \(allowed.joined(separator: ", ")))"
      throw DataError(
        file: file, position: m.node.position, path: childPath(m.key),
        message: "unknown field\(hint)")
    }
  }

  /// Reads `version` and fails unless it is 1: an unsupported version is its own error.
  public func requireVersion1() throws(DataError) {
    let version = try decimal("version", .positiveInteger)
    guard version == 1 else {
      throw error(
        "version", "unsupported version \(version) (this costplan reads version 1)",
        at: node("version"))
    }
  }

  /// Marks a key as known without reading it (fields handled elsewhere).
  public func markUsed(_ key: String) {
    for (i, m) in members.enumerated() where m.key == key { used[i] = true }
  }
}

extension Decimal {
  /// True when the value has no fractional part.
  public var isInteger: Bool {
    var copy = self
    var rounded = Decimal()
    NSDecimalRound(&rounded, &copy, 0, .down)
    return rounded == self
  }
}

/// Reads a file and parses it as JSON, turning I/O failures into data errors.
public func loadJSON(path: String, display: String) throws(DataError) -> JSONNode {
  let data: Data
  do {
    data = try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw DataError(file: display, message: "cannot read the file (\(ioReason(error)))")
  }
  return try JSONParser.parse(data, file: display)
}

func ioReason(_ error: Error) -> String {
  let ns = error as NSError
  if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
    underlying.domain == NSPOSIXErrorDomain,
    let code = POSIXErrorCode(rawValue: Int32(underlying.code))
  {
    return String(cString: strerror(code.rawValue))
  }
  if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError {
    return "no such file"
  }
  return ns.localizedDescription
}
