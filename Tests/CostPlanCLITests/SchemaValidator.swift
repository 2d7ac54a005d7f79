import CostModel
@testable import CostReports
import Foundation

/// Checks JSON against a JSON Schema (draft 2020-12) for the keywords costplan's schemas use, so that the tests
/// need no package. Numbers are compared as exact decimals (the files are read with costplan's own parser).
/// `unsupportedKeywords` lists any keyword this check does not implement: the schemas must have none, or a
/// passing test could hide a rule nobody checked.
struct SchemaValidator {
  let root: JSONNode

  static let checked: Set<String> = [
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf",
    "minLength", "maxLength", "pattern", "items", "minItems", "maxItems", "uniqueItems", "contains",
    "properties", "required", "additionalProperties", "oneOf", "anyOf", "allOf", "not", "if",
    "then", "else", "$ref",
  ]
  /// Keywords that say something to a reader and constrain nothing.
  static let annotations: Set<String> = [
    "$schema", "title", "description", "default", "$defs", "$comment", "examples",
  ]

  init(schema text: String) throws {
    root = try JSONParser.parse(Data(text.utf8), file: "schema")
  }

  /// Problems as "path: message"; empty when the document is valid.
  func errors(_ document: String) throws -> [String] {
    var out: [String] = []
    validate(
      try JSONParser.parse(Data(document.utf8), file: "document"), root, path: "", into: &out)
    return out
  }

  func isValid(_ document: String) throws -> Bool { try errors(document).isEmpty }

  /// Every keyword in the schema, at any depth, that this validator neither checks nor ignores as an annotation.
  func unsupportedKeywords() -> [String] {
    var out: [String] = []
    func walk(_ s: JSONNode, _ path: String) {
      guard case .object(let members) = s.value else { return }
      for (key, value) in members {
        let here = "\(path)/\(key)"
        switch key {
        case "properties", "$defs":
          if case .object(let subs) = value.value {
            for (name, sub) in subs { walk(sub, "\(here)/\(name)") }
          }
        case "items", "contains", "additionalProperties", "not", "if", "then", "else":
          walk(value, here)
        case "oneOf", "anyOf", "allOf":
          if case .array(let subs) = value.value {
            for (i, sub) in subs.enumerated() { walk(sub, "\(here)/\(i)") }
          }
        default:
          if !Self.checked.contains(key) && !Self.annotations.contains(key) { out.append(here) }
        }
      }
    }
    walk(root, "#")
    return out
  }

  // MARK: checking

  func validate(_ v: JSONNode, _ s: JSONNode, path: String, into errors: inout [String]) {
    switch s.value {
    case .bool(let b):
      if !b { errors.append("\(path.isEmpty ? "(root)" : path): not allowed here") }
    case .object(let keywords):
      for (key, arg) in keywords { check(key, arg, v, s, path: path, errors: &errors) }
    default:
      errors.append("\(path): schema is not an object or a boolean")
    }
  }

  private func matches(_ v: JSONNode, _ s: JSONNode, path: String) -> Bool {
    var e: [String] = []
    validate(v, s, path: path, into: &e)
    return e.isEmpty
  }

  private func check(
    _ key: String, _ arg: JSONNode, _ v: JSONNode, _ s: JSONNode, path: String,
    errors: inout [String]
  ) {
    func fail(_ message: String) { errors.append("\(path.isEmpty ? "(root)" : path): \(message)") }
    switch key {
    case "type":
      let types: [String] = Self.strings(arg)
      if !types.contains(where: { Self.hasType(v, $0) }) {
        fail("expected \(types.joined(separator: " or ")), found \(v.value.kindName)")
      }
    case "enum":
      guard case .array(let options) = arg.value else { return fail("bad enum") }
      if !options.contains(where: { Self.equal($0, v) }) { fail("not one of the allowed values") }
    case "const":
      if !Self.equal(arg, v) { fail("expected \(arg.value.shortDescription)") }
    case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
      guard let x = Self.number(v), let bound = Self.number(arg) else { return }
      let ok: Bool
      switch key {
      case "minimum": ok = x >= bound
      case "maximum": ok = x <= bound
      case "exclusiveMinimum": ok = x > bound
      case "exclusiveMaximum": ok = x < bound
      default: ok = (x / bound).isInteger
      }
      if !ok { fail("\(key) \(bound), found \(x)") }
    case "minLength", "maxLength", "pattern":
      guard case .string(let text) = v.value else { return }
      if key == "pattern" {
        guard case .string(let p) = arg.value, let re = try? NSRegularExpression(pattern: p) else {
          return fail("bad pattern")
        }
        if re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
          fail("does not match \(p)")
        }
      } else {
        let n = text.unicodeScalars.count
        let limit = Int(truncating: NSDecimalNumber(decimal: Self.number(arg) ?? 0))
        if key == "minLength" ? n < limit : n > limit { fail("\(key) \(limit)") }
      }
    case "items", "minItems", "maxItems", "uniqueItems", "contains":
      guard case .array(let items) = v.value else { return }
      switch key {
      case "items":
        for (i, item) in items.enumerated() {
          validate(item, arg, path: "\(path)[\(i)]", into: &errors)
        }
      case "contains":
        if !items.enumerated().contains(where: {
          matches($0.element, arg, path: "\(path)[\($0.offset)]")
        }) {
          fail("no item matches contains")
        }
      case "uniqueItems":
        if case .bool(true) = arg.value {
          for i in items.indices where items[..<i].contains(where: { Self.equal($0, items[i]) }) {
            fail("item \(i) repeats an earlier one")
          }
        }
      default:
        let limit = Int(truncating: NSDecimalNumber(decimal: Self.number(arg) ?? 0))
        if key == "minItems" ? items.count < limit : items.count > limit {
          fail("\(key) \(limit), found \(items.count)")
        }
      }
    case "properties", "required", "additionalProperties":
      guard case .object(let members) = v.value else { return }
      let child = { (k: String) in path.isEmpty ? k : "\(path).\(k)" }
      switch key {
      case "required":
        for k in Self.strings(arg) where !members.contains(where: { $0.key == k }) {
          fail("missing \(k)")
        }
      case "properties":
        guard case .object(let props) = arg.value else { return }
        for (k, sub) in props {
          if let m = members.first(where: { $0.key == k }) {
            validate(m.node, sub, path: child(k), into: &errors)
          }
        }
      default:
        var known: [String] = []
        if case .object(let props)? = Self.member(s, "properties")?.value {
          known = props.map(\.key)
        }
        for m in members where !known.contains(m.key) {
          if case .bool(false) = arg.value {
            errors.append("\(child(m.key)): unknown property")
          } else {
            validate(m.node, arg, path: child(m.key), into: &errors)
          }
        }
      }
    case "oneOf", "anyOf", "allOf":
      guard case .array(let subs) = arg.value else { return fail("bad \(key)") }
      if key == "allOf" {
        for sub in subs { validate(v, sub, path: path, into: &errors) }
        return
      }
      let n = subs.filter { matches(v, $0, path: path) }.count
      if key == "oneOf" && n != 1 {
        fail("matches \(n) of oneOf's \(subs.count) schemas, expected exactly 1")
      }
      if key == "anyOf" && n == 0 { fail("matches none of anyOf's \(subs.count) schemas") }
    case "not":
      if matches(v, arg, path: path) { fail("matches a schema it must not") }
    case "if":
      let branch = matches(v, arg, path: path) ? "then" : "else"
      if let sub = Self.member(s, branch) { validate(v, sub, path: path, into: &errors) }
    case "then", "else":
      break  // applied by "if"
    case "$ref":
      guard case .string(let ref) = arg.value, ref.hasPrefix("#/$defs/"),
        let defs = Self.member(root, "$defs"),
        let target = Self.member(defs, String(ref.dropFirst(8)))
      else { return fail("cannot resolve $ref \(arg.value.shortDescription)") }
      validate(v, target, path: path, into: &errors)
    default:
      if !Self.annotations.contains(key) { fail("unsupported keyword \(key)") }
    }
  }

  // MARK: JSON helpers

  static func member(_ n: JSONNode, _ key: String) -> JSONNode? {
    guard case .object(let members) = n.value else { return nil }
    return members.first { $0.key == key }?.node
  }

  static func strings(_ n: JSONNode) -> [String] {
    switch n.value {
    case .string(let s): return [s]
    case .array(let items):
      return items.compactMap { if case .string(let s) = $0.value { return s } else { return nil } }
    default: return []
    }
  }

  static func number(_ n: JSONNode) -> Decimal? {
    if case .number(let text) = n.value { return Decimal(string: text) }
    return nil
  }

  static func hasType(_ v: JSONNode, _ type: String) -> Bool {
    switch (type, v.value) {
    case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
      ("null", .null), ("number", .number):
      return true
    case ("integer", .number): return number(v)?.isInteger ?? false
    default: return false
    }
  }

  /// JSON equality: numbers by value (1 equals 1.0), objects whatever their key order.
  static func equal(_ a: JSONNode, _ b: JSONNode) -> Bool {
    switch (a.value, b.value) {
    case (.number, .number): return number(a) == number(b)
    case (.string(let x), .string(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    case (.array(let x), .array(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
    case (.object(let x), .object(let y)):
      return x.count == y.count
        && x.allSatisfy { m in y.contains { $0.key == m.key && equal($0.node, m.node) } }
    default: return false
    }
  }
}
