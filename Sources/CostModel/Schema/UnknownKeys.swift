import Foundation

/// Every unknown key of a document, found by walking it beside its JSON Schema: `properties` (with the
/// branches of `allOf` if/then whose condition holds, and the object alternative of a `oneOf`), `$ref`s into
/// `$defs`, `items`, and `additionalProperties: false`. A parse stops at its first error; this sweep lets one run
/// report every mistyped key of a file, each with its position and a did-you-mean.
enum UnknownKeys {
  static func find(in document: JSONNode, schema: OrderedJSON, file: String) -> [DataError] {
    var out: [DataError] = []
    let defs = member(schema, "$defs").flatMap(objectMembers) ?? []
    func resolve(_ s: OrderedJSON) -> OrderedJSON {
      guard case .string(let ref)? = member(s, "$ref"), ref.hasPrefix("#/$defs/") else { return s }
      let name = String(ref.dropFirst("#/$defs/".count))
      return defs.first { $0.key == name }.map { resolve($0.value) } ?? s
    }
    /// The property schemas that apply to `node` under `schema`, and whether other keys are refused.
    func properties(_ schema: OrderedJSON, for node: JSONNode) -> (
      props: [(key: String, value: OrderedJSON)], closed: Bool
    ) {
      let s = resolve(schema)
      var props = member(s, "properties").flatMap(objectMembers) ?? []
      var closed = false
      if case .bool(false)? = member(s, "additionalProperties") { closed = true }
      if case .array(let rules)? = member(s, "allOf") {
        for rule in rules {
          if let condition = member(rule, "if"), let then = member(rule, "then"),
            holds(condition, node)
          {
            let more = properties(then, for: node)
            props += more.props
            closed = closed || more.closed
          }
        }
      }
      if case .array(let alternatives)? = member(s, "oneOf") {
        for a in alternatives where isObjectSchema(resolve(a)) {
          let more = properties(a, for: node)
          props += more.props
          closed = closed || more.closed
        }
      }
      return (props, closed)
    }
    func walk(_ node: JSONNode, _ schema: OrderedJSON, _ path: String) {
      let s = resolve(schema)
      switch node.value {
      case .object(let members):
        let (props, closed) = properties(s, for: node)
        let names = props.map(\.key)
        for m in members {
          let here = path.isEmpty ? m.key : "\(path).\(m.key)"
          if let p = props.first(where: { $0.key == m.key }) {
            walk(m.node, p.value, here)
          } else if closed && m.key != "$schema" {
            let hint =
              Suggest.closest(m.key, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
            out.append(
              DataError(
                file: file, position: m.node.position, path: here,
                message:
                  "unknown field\(hint) (allowed here: \(names.filter { $0 != "$schema" }.joined(separator: ", ")))"
              ))
          }
        }
      case .array(let items):
        guard let itemSchema = member(s, "items") else { return }
        for (i, item) in items.enumerated() { walk(item, itemSchema, "\(path)[\(i)]") }
      default:
        return
      }
    }
    walk(document, schema, "")
    return out
  }

  static func member(_ s: OrderedJSON, _ key: String) -> OrderedJSON? {
    guard case .object(let members) = s else { return nil }
    return members.first { $0.key == key }?.value
  }

  static func objectMembers(_ s: OrderedJSON) -> [(key: String, value: OrderedJSON)]? {
    guard case .object(let members) = s else { return nil }
    return members
  }

  static func isObjectSchema(_ s: OrderedJSON) -> Bool {
    if case .string("object")? = member(s, "type") { return true }
    return member(s, "properties") != nil
  }

  /// Whether `node` meets an if-condition of the form the schemas use: properties with a `const`.
  static func holds(_ condition: OrderedJSON, _ node: JSONNode) -> Bool {
    guard case .object(let members) = node.value,
      let props = member(condition, "properties").flatMap(objectMembers)
    else { return false }
    for (key, sub) in props {
      guard let want = member(sub, "const") else { continue }
      guard let have = members.first(where: { $0.key == key })?.node else { return false }
      switch (want, have.value) {
      case (.string(let a), .string(let b)) where a == b: continue
      case (.bool(let a), .bool(let b)) where a == b: continue
      default: return false
      }
    }
    return true
  }
}
