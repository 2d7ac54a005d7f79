import Foundation

/// Checks a parsed document against its JSON Schema (`ScenarioSchema`, `RatesSchema`) and reports every
/// violation as a `DataError` at the offending node, worded as the parsers word theirs ("expected a positive
/// integer, found -5"). It checks the keywords the schemas use: type, enum, const, bounds, multipleOf, lengths,
/// pattern, items, minItems/maxItems, uniqueItems, contains, properties, required, additionalProperties, allOf,
/// if/then/else, oneOf, anyOf, not and `$ref` into `$defs`; and the number range every format has (±1e30).
///
/// A parse stops at its first error; `report` runs this check once a parse has failed, so that one run reports
/// every error of a file: unknown keys first (a typo explains most "missing" fields), then missing required
/// fields, then the rest in document order. The parsers' own errors (rules the schema cannot state, such as
/// `archive.afterDays` ≤ `retentionDays`) are merged in.
final class SchemaCheck {
  enum Kind: Int, Comparable {
    case unknown, missing, other
    static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
  }

  struct Finding {
    var kind: Kind
    var error: DataError
    /// The key an unknown or missing finding names, and the path of its object (to match typos with what is
    /// missing).
    var key: String? = nil
    var parent: String = ""
    /// Paths of the fields a conditional rule reads ("replicas: not allowed when mode is serverless" reads
    /// `mode`): the finding is dropped when one of them is itself wrong, and a parser's error at one of them
    /// stands for it.
    var dependsOn: [String] = []
    /// A rule about a whole object or array (at least one weight above 0): dropped when something inside it is
    /// wrong, as the parser checks it only once its parts are read.
    var whole = false
  }

  /// An `if` of a rule, in words: "mode is \"serverless\"", "savingsPlan is given".
  struct Condition {
    var predicate: String
    /// The `else` branch applies: the condition does not hold.
    var negated: Bool
    var paths: [String]
  }

  let file: String
  /// The schema document: the root's keywords and `$defs`.
  private let schema: OrderedJSON
  private let defs: [(key: String, value: OrderedJSON)]
  private var regexes: [String: NSRegularExpression] = [:]

  init(schema: OrderedJSON, file: String) {
    self.file = file
    self.schema = schema
    defs = Self.member(schema, "$defs").flatMap(Self.members) ?? []
  }

  // MARK: the report

  /// The error to throw for a document whose parse failed with `parserErrors` (the parse's first error, and any
  /// found by reading parts of the file on their own): every schema violation, and each parser error that is
  /// not already reported at its path or inside it. Where both report one path, the parser's words are kept
  /// (they are the more specific), except for unknown keys (the check's have the did-you-mean and the keys
  /// allowed there). The first error carries the rest in `also`; at most `DataError.reportedPerFile` are printed.
  static func report(
    _ document: JSONNode, schema: OrderedJSON, file: String, parserError: DataError,
    more: [DataError] = []
  ) -> DataError {
    var findings = SchemaCheck(schema: schema, file: file).check(document)
    // By path (a table of thousands of rates may have as many errors): each finding's path, the paths its
    // conditions read, and every path that holds one.
    var at: [String: Int] = [:]
    var reading: [String: Int] = [:]
    var holding = Set<String>()
    for (i, f) in findings.enumerated() {
      at[f.error.path] = at[f.error.path] ?? i
      for p in f.dependsOn { reading[p] = reading[p] ?? i }
      holding.formUnion(ancestors(f.error.path))
    }
    var added = Set<String>()
    for e in ([parserError] + more).flatMap({ [$0] + $0.also }) {
      var plain = e
      plain.also = []
      if let i = at[e.path] ?? reading[e.path] {
        if findings[i].kind != .unknown { findings[i].error = plain }
        continue
      }
      guard !holding.contains(e.path), added.insert(e.path).inserted else { continue }
      let kind: Kind =
        e.message.hasPrefix("unknown field")
        ? .unknown : (e.message.hasPrefix("missing") ? .missing : .other)
      findings.append(Finding(kind: kind, error: plain))
    }
    // Sorted by key, with the index last: a stable order for errors at one place.
    let keys = findings.map { f in
      (
        kind: f.kind.rawValue, line: f.error.position?.line ?? Int.max,
        column: f.error.position?.column ?? Int.max
      )
    }
    let ordered = findings.indices.sorted { a, b in
      (keys[a].kind, keys[a].line, keys[a].column, a) < (
        keys[b].kind, keys[b].line, keys[b].column, b
      )
    }.map { findings[$0].error }
    return DataError.combining(ordered) ?? parserError
  }

  /// The paths strictly holding `path`: "", "options", "options[0]" for "options[0].id".
  static func ancestors(_ path: String) -> [String] {
    guard !path.isEmpty else { return [] }
    var out = [""]
    for i in path.indices where i != path.startIndex && (path[i] == "." || path[i] == "[") {
      out.append(String(path[..<i]))
    }
    return out
  }

  // MARK: checking

  /// Every violation in `document`, each path once.
  func check(_ document: JSONNode) -> [Finding] {
    var out: [Finding] = []
    validate(document, schema, "", into: &out)
    return Self.tidy(out)
  }

  /// Drops what another finding explains: a missing key with a mistyped key beside it, a conditional finding
  /// whose condition's field is itself wrong, a whole-object finding with a wrong part; then each path once.
  static func tidy(_ findings: [Finding]) -> [Finding] {
    var out = withoutTypos(findings)
    let paths = Set(out.map(\.error.path))
    out.removeAll { f in f.dependsOn.contains { paths.contains($0) } }
    let holding = Set(out.flatMap { ancestors($0.error.path) })
    out.removeAll { f in f.whole && holding.contains(f.error.path) }
    var seen = Set<String>()
    return out.filter { seen.insert($0.error.path).inserted }
  }

  /// A required key reported missing beside an unknown key one or two edits from it: the unknown key's
  /// did-you-mean says it all.
  static func withoutTypos(_ findings: [Finding]) -> [Finding] {
    let unknown = findings.filter { $0.kind == .unknown }
    guard !unknown.isEmpty else { return findings }
    return findings.filter { f in
      guard f.kind == .missing, let key = f.key else { return true }
      return !unknown.contains {
        $0.parent == f.parent && $0.key.map { Suggest.closest($0, among: [key]) != nil } == true
      }
    }
  }

  private func child(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : "\(path).\(key)"
  }

  private func finding(
    _ node: JSONNode, _ path: String, _ message: String, kind: Kind = .other,
    key: String? = nil, parent: String = "", dependsOn: [String] = [], whole: Bool = false
  ) -> Finding {
    Finding(
      kind: kind,
      error: DataError(file: file, position: node.position, path: path, message: message),
      key: key, parent: parent, dependsOn: dependsOn, whole: whole)
  }

  private func resolve(_ ref: String) -> OrderedJSON? {
    guard ref.hasPrefix("#/$defs/") else { return nil }
    let name = ref.dropFirst("#/$defs/".count)
    return defs.first { $0.key == name }?.value
  }

  /// Whether `node` is valid under `schema` (an `if`, an alternative of `oneOf`).
  private func holds(_ node: JSONNode, _ schema: OrderedJSON, _ path: String) -> Bool {
    var out: [Finding] = []
    validate(node, schema, path, into: &out)
    return out.isEmpty
  }

  /// Checks `node` against `schema`. `condition` is the rule whose branch `schema` is: it words a finding on the
  /// node itself; `memberCondition` is passed to the properties' checks (a branch listing settings).
  private func validate(
    _ node: JSONNode, _ schema: OrderedJSON, _ path: String, condition: Condition? = nil,
    memberCondition: Condition? = nil, into out: inout [Finding]
  ) {
    guard case .object(let keywords) = schema else {
      if case .bool(false) = schema {
        let message: String
        if let c = condition {
          message =
            c.negated ? "allowed only when \(c.predicate)" : "not allowed when \(c.predicate)"
        } else {
          message = "not allowed here"
        }
        out.append(finding(node, path, message, dependsOn: condition?.paths ?? []))
      }
      return
    }
    if case .string(let ref)? = Self.member(schema, "$ref") {
      if let target = resolve(ref) {
        validate(node, target, path, condition: condition, into: &out)
      }
    }
    if let expected = scalarProblem(node, keywords) {
      var message = "expected \(expected)"
      if let c = condition { message += " \(c.negated ? "unless" : "when") \(c.predicate)" }
      message += ", found \(node.value.shortDescription)"
      if case .string(let s) = node.value, case .array(let values)? = Self.member(schema, "enum") {
        let names = values.compactMap { v -> String? in
          if case .string(let t) = v { return t }
          return nil
        }
        if let guess = Suggest.closest(s, among: names) {
          message += "; did you mean \"\(guess)\"?"
        }
      }
      out.append(finding(node, path, message, dependsOn: condition?.paths ?? []))
      // A value of the wrong type is one error, not one per keyword.
      if !Self.typeMatches(node, keywords) { return }
    }
    switch node.value {
    case .array(let items): checkArray(node, items, keywords, path, into: &out)
    case .object(let members):
      checkObject(node, members, keywords, path, memberCondition, into: &out)
    default: break
    }
    for (key, value) in keywords {
      switch key {
      case "allOf":
        guard case .array(let rules) = value else { continue }
        for rule in rules { validate(node, rule, path, into: &out) }
      case "if":
        let holds = holds(node, value, path)
        guard let branch = Self.member(schema, holds ? "then" : "else") else { continue }
        let c = conditionText(value, holds: holds, path: path)
        // A branch that is a whole definition (an option's service) is not worded by its condition.
        let own = Self.member(branch, "$ref") == nil ? c : nil
        validate(node, branch, path, memberCondition: own, into: &out)
      case "oneOf", "anyOf":
        guard case .array(let alternatives) = value else { continue }
        checkAlternatives(node, alternatives, one: key == "oneOf", schema, path, into: &out)
      case "not":
        guard holds(node, value, path) else { continue }
        let together = Self.strings(Self.member(value, "required"))
        if together.count >= 2, case .object(let members) = node.value, Self.isRequiresOnly(value),
          let last = together.last, let n = members.first(where: { $0.key == last })?.node
        {
          let others = together.dropLast().joined(separator: ", ")
          out.append(finding(n, child(path, last), "not allowed together with \(others)"))
        } else {
          out.append(finding(node, path, "expected a value that is not \(describe(value))"))
        }
      default: break
      }
    }
  }

  // MARK: scalars

  /// What the node should have been, when a scalar keyword (type, enum, const, bounds, multipleOf, lengths,
  /// pattern) or the ±1e30 range of numbers fails.
  private func scalarProblem(_ node: JSONNode, _ keywords: [(key: String, value: OrderedJSON)])
    -> String?
  {
    let schema = OrderedJSON.object(keywords)
    if !Self.typeMatches(node, keywords) { return describe(schema) }
    if let e = Self.member(schema, "enum"), case .array(let values) = e,
      !values.contains(where: { Self.equal($0, node.value) })
    {
      return describe(schema)
    }
    if let c = Self.member(schema, "const"), !Self.equal(c, node.value) { return describe(schema) }
    switch node.value {
    case .number(let text):
      let numeric = keywords.contains {
        ["type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
          .contains($0.key)
      }
      guard numeric else { return nil }
      guard let x = Decimal(string: text), !x.isNaN, x.magnitude <= JSONObjectReader.maxMagnitude
      else { return describe(schema) + " within ±1e30" }
      if x != 0 && x.magnitude < JSONObjectReader.minMagnitude {
        return describe(schema) + " of magnitude at least 1e-30"
      }
      for (key, value) in keywords {
        guard case .number(let bound) = value else { continue }
        let ok: Bool
        switch key {
        case "minimum": ok = x >= bound
        case "maximum": ok = x <= bound
        case "exclusiveMinimum": ok = x > bound
        case "exclusiveMaximum": ok = x < bound
        case "multipleOf": ok = bound == 0 || (x / bound).isInteger
        default: ok = true
        }
        if !ok { return describe(schema) }
      }
    case .string(let s):
      let length = s.unicodeScalars.count
      if case .number(let n)? = Self.member(schema, "minLength"), Decimal(length) < n {
        return describe(schema)
      }
      if case .number(let n)? = Self.member(schema, "maxLength"), Decimal(length) > n {
        return describe(schema)
      }
      if case .string(let p)? = Self.member(schema, "pattern"), !matches(s, p) {
        return describe(schema)
      }
    default: break
    }
    return nil
  }

  private func matches(_ text: String, _ pattern: String) -> Bool {
    let re: NSRegularExpression
    if let cached = regexes[pattern] {
      re = cached
    } else {
      guard let made = try? NSRegularExpression(pattern: pattern) else { return true }
      regexes[pattern] = made
      re = made
    }
    return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }

  // MARK: arrays and objects

  private func checkArray(
    _ node: JSONNode, _ items: [JSONNode], _ keywords: [(key: String, value: OrderedJSON)],
    _ path: String, into out: inout [Finding]
  ) {
    let schema = OrderedJSON.object(keywords)
    let low = Self.integer(Self.member(schema, "minItems"))
    let high = Self.integer(Self.member(schema, "maxItems"))
    func values(_ n: Int) -> String { n == 1 ? "1 value" : "\(n) values" }
    if let low, let high, low == high, items.count != low {
      out.append(finding(node, path, "expected \(values(low)), found \(items.count)"))
    } else if let low, items.count < low {
      out.append(finding(node, path, "expected at least \(values(low)), found \(items.count)"))
    } else if let high, items.count > high {
      out.append(finding(node, path, "expected at most \(values(high)), found \(items.count)"))
    }
    if let itemSchema = Self.member(schema, "items") {
      for (i, item) in items.enumerated() {
        validate(item, itemSchema, "\(path)[\(i)]", into: &out)
      }
    }
    if case .bool(true)? = Self.member(schema, "uniqueItems") {
      // Scalars by a key of their value (a long array stays linear); objects and arrays pairwise.
      var first: [String: Int] = [:]
      for i in items.indices {
        let j: Int?
        if let key = Self.uniqueKey(items[i].value) {
          j = first[key]
          if j == nil { first[key] = i }
        } else {
          j = items[..<i].firstIndex { Self.same($0.value, items[i].value) }
        }
        if let j {
          out.append(
            finding(
              items[i], "\(path)[\(i)]",
              "duplicate value \(items[i].value.shortDescription) (also \(path)[\(j)])"))
        }
      }
    }
    if let wanted = Self.member(schema, "contains"),
      !items.enumerated().contains(where: { holds($0.element, wanted, "\(path)[\($0.offset)]") })
    {
      out.append(
        finding(
          node, path, "expected at least one value that is \(describe(wanted)), found none",
          whole: true))
    }
  }

  private func checkObject(
    _ node: JSONNode, _ members: [(key: String, node: JSONNode)],
    _ keywords: [(key: String, value: OrderedJSON)], _ path: String,
    _ memberCondition: Condition?, into out: inout [Finding]
  ) {
    let schema = OrderedJSON.object(keywords)
    let props = Self.member(schema, "properties").flatMap(Self.members) ?? []
    let additional = Self.member(schema, "additionalProperties")
    for m in members {
      let here = child(path, m.key)
      if let p = props.first(where: { $0.key == m.key }) {
        validate(m.node, p.value, here, condition: memberCondition, into: &out)
      } else if case .bool(false)? = additional {
        guard m.key != "$schema" else { continue }
        let names = props.map(\.key).filter { $0 != "$schema" }
        let guess = Suggest.closest(m.key, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        let allowed = names.isEmpty ? "" : " (allowed here: \(names.joined(separator: ", ")))"
        out.append(
          finding(
            m.node, here, "unknown field\(guess)\(allowed)", kind: .unknown, key: m.key,
            parent: path))
      } else if let additional {
        validate(m.node, additional, here, into: &out)
      }
    }
    for key in Self.strings(Self.member(schema, "required"))
    where !members.contains(where: { $0.key == key }) {
      let expected = props.first { $0.key == key }.map { ", expected \(describe($0.value))" } ?? ""
      out.append(
        finding(
          node, child(path, key), "missing\(expected)", kind: .missing, key: key, parent: path))
    }
  }

  /// `oneOf` and `anyOf`. With none matching, a scalar is told every alternative ("expected an integer from 1
  /// to 500 or \"auto\""); an object or array gets the findings of the alternative it comes closest to.
  private func checkAlternatives(
    _ node: JSONNode, _ alternatives: [OrderedJSON], one: Bool, _ schema: OrderedJSON,
    _ path: String, into out: inout [Finding]
  ) {
    let results = alternatives.map { alternative -> [Finding] in
      var found: [Finding] = []
      validate(node, alternative, path, into: &found)
      return Self.tidy(found)
    }
    let matching = results.filter(\.isEmpty).count
    if one ? matching == 1 : matching >= 1 { return }
    let requiresOnly = alternatives.allSatisfy(Self.isRequiresOnly)
    let keys = alternatives.flatMap { Self.strings(Self.member($0, "required")) }
    if case .object(let members) = node.value, requiresOnly, !keys.isEmpty {
      // Either price or tiers: the keys an object must have one of.
      let present = keys.filter { k in members.contains { $0.key == k } }
      if matching > 1, let last = present.last,
        let n = members.first(where: { $0.key == last })?.node
      {
        out.append(
          finding(
            n, child(path, last), "expected either \(keys.joined(separator: " or ")), not both"))
      } else if matching == 0 {
        out.append(
          finding(
            node, child(path, keys[0]), "missing, expected \(Self.either(keys))",
            kind: .missing, key: keys[0], parent: path))
      }
      return
    }
    if matching > 1 {
      out.append(
        finding(
          node, path,
          "expected exactly one of \(alternatives.map(describe).joined(separator: "; ")), found a value matching \(matching)"
        ))
      return
    }
    // At least one of several keys above a bound (a positive weight).
    let single = alternatives.compactMap { a -> (String, OrderedJSON)? in
      let required = Self.strings(Self.member(a, "required"))
      let props = Self.member(a, "properties").flatMap(Self.members) ?? []
      guard required.count == 1, props.count == 1, props[0].key == required[0] else { return nil }
      return (required[0], props[0].value)
    }
    if !one, case .object = node.value, single.count == alternatives.count, let first = single.first
    {
      out.append(
        finding(
          node, path,
          "expected at least one of \(single.map(\.0).joined(separator: ", ")) to be \(describe(first.1)), found none",
          whole: true))
      return
    }
    let candidates = alternatives.indices.filter {
      Self.typeAccepts(resolved($0, alternatives), node)
    }
    switch node.value {
    case .object, .array:
      guard let fewest = candidates.map({ results[$0].count }).min() else { break }
      let closest = candidates.filter { results[$0].count == fewest }
      // Objects that lack only the key telling the alternatives apart (a claim's test): name them all.
      let keys = closest.compactMap { i -> String? in
        let f = results[i]
        return f.count == 1 && f[0].kind == .missing && f[0].parent == path ? f[0].key : nil
      }
      if keys.count == closest.count, keys.count > 1, Set(keys).count == keys.count {
        out.append(
          finding(
            node, child(path, keys[0]), "missing, expected \(Self.either(keys))", kind: .missing,
            key: keys[0], parent: path))
      } else {
        out += results[closest[0]]
      }
      return
    default: break
    }
    out.append(
      finding(
        node, path,
        "expected \(Self.either(alternatives.map(describe))), found \(node.value.shortDescription)")
    )
  }

  /// "a", "a or b", "a, b or c".
  static func either(_ items: [String]) -> String {
    guard items.count > 1, let last = items.last else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " or " + last
  }

  private func resolved(_ i: Int, _ alternatives: [OrderedJSON]) -> OrderedJSON {
    if case .string(let ref)? = Self.member(alternatives[i], "$ref"), let target = resolve(ref) {
      return target
    }
    return alternatives[i]
  }

  private func conditionText(_ condition: OrderedJSON, holds: Bool, path: String) -> Condition? {
    var parts: [String] = []
    var keys: [String] = []
    for (key, sub) in Self.member(condition, "properties").flatMap(Self.members) ?? [] {
      if let c = Self.member(sub, "const") {
        parts.append("\(key) is \(c.render(indent: ""))")
        keys.append(key)
      }
    }
    for key in Self.strings(Self.member(condition, "required")) where !keys.contains(key) {
      parts.append("\(key) is given")
      keys.append(key)
    }
    guard !parts.isEmpty else { return nil }
    return Condition(
      predicate: parts.joined(separator: " and "), negated: !holds,
      paths: keys.map { child(path, $0) })
  }

  // MARK: words

  /// Patterns of the schemas in words; any other is quoted.
  static let patternWords: [String: String] = [
    Scenario.namePattern: "a name of letters, digits, '-' and '_' (at most 100)",
    Scenario.folderPattern:
      "lowercase letters, digits and '-' (it names a folder under the pricing directory, like us-east-1)",
    ScenarioSchema.optionIdPattern: "an id of letters, digits, '-', '_' or '.'",
    RatesSchema.datePattern: "a date YYYY-MM-DD",
    RatesSchema.idPattern: "a non-empty id without spaces or '/'",
    RatesSchema.notBlankPattern: "a string that is not blank",
  ]

  /// What a schema accepts, in the parsers' words: "a positive integer", "one of s3, dynamodb", "true or false".
  func describe(_ schema: OrderedJSON) -> String {
    guard case .object = schema else {
      if case .bool(false) = schema { return "nothing" }
      return "any value"
    }
    if case .string(let ref)? = Self.member(schema, "$ref") {
      if ref == "#/$defs/range" { return "a range {\"low\", \"high\"}" }
      if let target = resolve(ref) { return describe(target) }
    }
    if let c = Self.member(schema, "const") { return c.render(indent: "") }
    if case .array(let values)? = Self.member(schema, "enum") {
      let names = values.map { v -> String in
        if case .string(let s) = v { return s }
        return v.render(indent: "")
      }
      return "one of \(names.joined(separator: ", "))"
    }
    let type: String?
    if case .string(let t)? = Self.member(schema, "type") { type = t } else { type = nil }
    if type == nil {
      for key in ["oneOf", "anyOf"] {
        if case .array(let alternatives)? = Self.member(schema, key), !alternatives.isEmpty {
          return Self.either(alternatives.map(describe))
        }
      }
    }
    switch type {
    case "string":
      if case .string(let p)? = Self.member(schema, "pattern") {
        return Self.patternWords[p] ?? "a string matching \(p)"
      }
      let low = Self.integer(Self.member(schema, "minLength"))
      let high = Self.integer(Self.member(schema, "maxLength"))
      switch (low, high) {
      case (let l?, let h?): return "a string of \(l) to \(h) characters"
      case (let l?, nil): return "a string of at least \(l) characters"
      case (nil, let h?): return "a string of at most \(h) characters"
      default: return "a string"
      }
    case "boolean": return "true or false"
    case "object": return "an object"
    case "array": return "an array"
    case "null": return "null"
    case "number", "integer": return numberWords(schema, integer: type == "integer")
    default:
      let numeric = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
      if numeric.contains(where: { Self.member(schema, $0) != nil }) {
        return numberWords(schema, integer: false)
      }
      if Self.member(schema, "properties") != nil || Self.member(schema, "required") != nil {
        return "an object"
      }
      return "a value"
    }
  }

  private func numberWords(_ schema: OrderedJSON, integer: Bool) -> String {
    func bound(_ key: String) -> Decimal? {
      if case .number(let d)? = Self.member(schema, key) { return d }
      return nil
    }
    let step = bound("multipleOf")
    var noun = integer ? "integer" : "number"
    if step == 1 && !integer { noun = "whole number" }
    let low = bound("minimum").map { ($0, true) } ?? bound("exclusiveMinimum").map { ($0, false) }
    let high = bound("maximum").map { ($0, true) } ?? bound("exclusiveMaximum").map { ($0, false) }
    let positive = low.map { ($0.0 == 0 && !$0.1) || (integer && $0.0 == 1 && $0.1) } ?? false
    func r(_ d: Decimal) -> String { DecimalText.render(d) }
    var text: String
    switch (low, high) {
    case (_?, nil) where positive: text = "positive \(noun)"
    case (let l?, nil): text = l.1 ? "\(noun) ≥ \(r(l.0))" : "\(noun) above \(r(l.0))"
    case (nil, let h?): text = h.1 ? "\(noun) of at most \(r(h.0))" : "\(noun) below \(r(h.0))"
    case (let l?, let h?):
      if l.1 && h.1 {
        text = "\(noun) from \(r(l.0)) to \(r(h.0))"
      } else if positive {
        text = "positive \(noun) \(h.1 ? "of at most" : "below") \(r(h.0))"
      } else {
        text =
          "\(noun) \(l.1 ? "≥" : "above") \(r(l.0)) and \(h.1 ? "at most" : "below") \(r(h.0))"
      }
    case (nil, nil): text = noun
    }
    if let step, step != 1 { text += " in steps of \(r(step))" }
    let article = ["a", "e", "i", "o", "u"].contains(text.prefix(1)) ? "an" : "a"
    return "\(article) \(text)"
  }

  // MARK: JSON helpers

  static func member(_ s: OrderedJSON, _ key: String) -> OrderedJSON? {
    guard case .object(let members) = s else { return nil }
    return members.first { $0.key == key }?.value
  }

  static func members(_ s: OrderedJSON) -> [(key: String, value: OrderedJSON)]? {
    guard case .object(let members) = s else { return nil }
    return members
  }

  static func strings(_ s: OrderedJSON?) -> [String] {
    guard case .array(let items)? = s else { return [] }
    return items.compactMap {
      if case .string(let t) = $0 { return t }
      return nil
    }
  }

  static func integer(_ s: OrderedJSON?) -> Int? {
    guard case .number(let d)? = s else { return nil }
    return Int(DecimalText.plain(d))
  }

  /// A schema that only lists keys an object must have (`JSONSchema.requires`).
  static func isRequiresOnly(_ s: OrderedJSON) -> Bool {
    guard case .object(let keywords) = s else { return false }
    return keywords.count == 1 && keywords[0].key == "required"
  }

  static func typeMatches(_ node: JSONNode, _ keywords: [(key: String, value: OrderedJSON)]) -> Bool
  {
    guard case .string(let type)? = keywords.first(where: { $0.key == "type" })?.value else {
      return true
    }
    switch (type, node.value) {
    case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
      ("null", .null), ("number", .number):
      return true
    case ("integer", .number(let text)): return Decimal(string: text)?.isInteger ?? false
    default: return false
    }
  }

  /// Whether a schema can accept a value of the node's JSON type (by its `type`, `const` or `enum`).
  static func typeAccepts(_ s: OrderedJSON, _ node: JSONNode) -> Bool {
    if case .string(let type)? = member(s, "type") {
      switch (type, node.value) {
      case ("integer", .number): return true
      default: return typeMatches(node, [("type", .string(type))])
      }
    }
    if let c = member(s, "const") { return sameKind(c, node.value) }
    if case .array(let values)? = member(s, "enum") {
      return values.contains { sameKind($0, node.value) }
    }
    return true
  }

  static func sameKind(_ a: OrderedJSON, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.object, .object), (.array, .array), (.string, .string), (.number, .number),
      (.bool, .bool), (.null, .null):
      return true
    default: return false
    }
  }

  /// A schema's value (`const`, `enum`) equals a document's: numbers by value, so 1 equals 1.0.
  static func equal(_ a: OrderedJSON, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let text)): return Decimal(string: text) == x
    case (.string(let x), .string(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    case (.array(let x), .array(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1.value) }
    case (.object(let x), .object(let y)):
      return x.count == y.count
        && x.allSatisfy { m in y.contains { $0.key == m.key && equal(m.value, $0.node.value) } }
    default: return false
    }
  }

  /// A scalar's value as a key: numbers by value (1 and 1.0 are one key); nil for objects and arrays.
  static func uniqueKey(_ v: JSONValue) -> String? {
    switch v {
    case .number(let text): return "n" + (Decimal(string: text).map { "\($0)" } ?? text)
    case .string(let s): return "s" + s
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .object, .array: return nil
    }
  }

  /// Two document values are equal (for uniqueItems).
  static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      return x == y || (Decimal(string: x).map { $0 == Decimal(string: y) } ?? false)
    case (.string(let x), .string(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    case (.array(let x), .array(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { same($0.value, $1.value) }
    case (.object(let x), .object(let y)):
      return x.count == y.count
        && x.allSatisfy { m in y.contains { $0.key == m.key && same(m.node.value, $0.node.value) } }
    default: return false
    }
  }
}
