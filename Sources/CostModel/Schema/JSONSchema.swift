import Foundation

/// One JSON Schema (draft 2020-12), built from the few keywords costplan's schemas use: type, description,
/// default, enum, const, bounds, pattern, properties, required, additionalProperties, items, contains, oneOf,
/// anyOf, allOf, not, if/then/else and `$ref` into `$defs`. Keywords are written in the order they are added,
/// so the printed schema is the same on every run.
///
/// The schemas describe what the parsers accept (`Scenario.parse`, each service's `parse`, `RateTable.parse`):
/// a bound appears here only where the parser enforces it. Rules JSON Schema cannot state (low ≤ high in a
/// range, a claim naming an existing option) are left to the parser and said in the description.
public struct JSONSchema: Sendable {
  public private(set) var keywords: [(key: String, value: OrderedJSON)]
  /// The schema `false`: nothing is valid (a setting that is not allowed in this case).
  private var never = false

  public init(_ keywords: [(key: String, value: OrderedJSON)] = []) { self.keywords = keywords }

  /// The schema as JSON.
  public var json: OrderedJSON { never ? .bool(false) : .object(keywords) }

  /// A copy with one more keyword.
  public func with(_ key: String, _ value: OrderedJSON) -> JSONSchema {
    var copy = self
    copy.keywords.append((key, value))
    return copy
  }

  // MARK: types

  static func typed(_ type: String, _ description: String?) -> JSONSchema {
    let s = description.map { JSONSchema([("description", .string($0))]) } ?? JSONSchema()
    return s.with("type", .string(type))
  }

  public static func number(_ description: String? = nil) -> JSONSchema {
    typed("number", description)
  }
  public static func integer(_ description: String? = nil) -> JSONSchema {
    typed("integer", description)
  }
  public static func string(_ description: String? = nil) -> JSONSchema {
    typed("string", description)
  }
  public static func boolean(_ description: String, default value: Bool) -> JSONSchema {
    typed("boolean", description).defaultValue(.bool(value))
  }

  /// A string from a closed set (the parser's `choice`).
  public static func choice(_ values: [String], _ description: String, default value: String? = nil)
    -> JSONSchema
  {
    let s = typed("string", description).with("enum", .array(values.map { .string($0) }))
    return value.map { s.defaultValue(.string($0)) } ?? s
  }

  public static func constant(_ value: OrderedJSON, _ description: String? = nil) -> JSONSchema {
    (description.map { JSONSchema([("description", .string($0))]) } ?? JSONSchema()).with(
      "const", value)
  }

  /// An object with these properties; `closed` objects reject any other key, as `JSONObjectReader.finish` does.
  public static func object(
    _ description: String?, _ properties: [(String, JSONSchema)], required: [String] = [],
    closed: Bool = true
  ) -> JSONSchema {
    var s = typed("object", description)
    if !properties.isEmpty {
      s = s.with("properties", .object(properties.map { ($0.0, $0.1.json) }))
    }
    if !required.isEmpty { s = s.with("required", .array(required.map { .string($0) })) }
    return closed ? s.with("additionalProperties", .bool(false)) : s
  }

  public static func array(_ description: String?, of items: JSONSchema) -> JSONSchema {
    typed("array", description).with("items", items.json)
  }

  /// `{"$ref": "#/$defs/<name>"}`.
  public static func ref(_ name: String, _ description: String? = nil) -> JSONSchema {
    let s = description.map { JSONSchema([("description", .string($0))]) } ?? JSONSchema()
    return s.with("$ref", .string("#/$defs/\(name)"))
  }

  public static func oneOf(_ description: String?, _ schemas: [JSONSchema]) -> JSONSchema {
    (description.map { JSONSchema([("description", .string($0))]) } ?? JSONSchema()).with(
      "oneOf", .array(schemas.map(\.json)))
  }

  public static let forbidden: JSONSchema = {
    var s = JSONSchema()
    s.never = true
    return s
  }()

  /// Only objects holding every one of `keys` (for `if`, `not` and `anyOf`).
  public static func requires(_ keys: [String]) -> JSONSchema {
    JSONSchema([("required", .array(keys.map { .string($0) }))])
  }

  /// Objects whose `key` is present and equal to `value` (the `if` of a rule keyed on a setting).
  public static func when(_ key: String, is value: OrderedJSON) -> JSONSchema {
    JSONSchema([
      ("properties", .object([(key, constant(value).json)])), ("required", .array([.string(key)])),
    ])
  }

  /// Objects in which none of `keys` appears.
  public static func without(_ keys: [String]) -> JSONSchema {
    JSONSchema([("properties", .object(keys.map { ($0, forbidden.json) }))])
  }

  /// `if` `condition` `then` `then` [`else` `otherwise`].
  public static func rule(
    if condition: JSONSchema, then: JSONSchema? = nil, else otherwise: JSONSchema? = nil
  ) -> JSONSchema {
    var s = JSONSchema([("if", condition.json)])
    if let then { s = s.with("then", then.json) }
    if let otherwise { s = s.with("else", otherwise.json) }
    return s
  }

  // MARK: constraints

  public func minimum(_ d: Decimal) -> JSONSchema { with("minimum", .number(d)) }
  public func exclusiveMinimum(_ d: Decimal) -> JSONSchema { with("exclusiveMinimum", .number(d)) }
  public func maximum(_ d: Decimal) -> JSONSchema { with("maximum", .number(d)) }
  public func exclusiveMaximum(_ d: Decimal) -> JSONSchema { with("exclusiveMaximum", .number(d)) }
  public func multipleOf(_ d: Decimal) -> JSONSchema { with("multipleOf", .number(d)) }
  public func minItems(_ n: Int) -> JSONSchema { with("minItems", .number(Decimal(n))) }
  public func maxItems(_ n: Int) -> JSONSchema { with("maxItems", .number(Decimal(n))) }
  public func uniqueItems() -> JSONSchema { with("uniqueItems", .bool(true)) }
  public func contains(_ s: JSONSchema) -> JSONSchema { with("contains", s.json) }
  public func minLength(_ n: Int) -> JSONSchema { with("minLength", .number(Decimal(n))) }
  public func maxLength(_ n: Int) -> JSONSchema { with("maxLength", .number(Decimal(n))) }
  public func pattern(_ regex: String) -> JSONSchema { with("pattern", .string(regex)) }
  public func defaultValue(_ v: OrderedJSON) -> JSONSchema { with("default", v) }
  public func not(_ s: JSONSchema) -> JSONSchema { with("not", s.json) }
  public func anyOf(_ schemas: [JSONSchema]) -> JSONSchema {
    with("anyOf", .array(schemas.map(\.json)))
  }
  /// Rules across fields (`rule(if:then:else:)`), all of which must hold.
  public func allOf(_ rules: [JSONSchema]) -> JSONSchema {
    rules.isEmpty ? self : with("allOf", .array(rules.map(\.json)))
  }

  /// A number, or a range `{"low", "high"}` standing for one (`numberOrRange`, docs/model.md §10).
  public static func numberOrRange(_ description: String, _ number: JSONSchema) -> JSONSchema {
    oneOf(
      description
        + " A number, or a range {\"low\", \"high\"} (P10 and P90) whose median stands for it.",
      [number, ref("range")])
  }

  /// A whole document: `$schema`, title, description, the root schema's keywords, then `$defs`.
  public static func document(title: String, _ root: JSONSchema, defs: [(String, JSONSchema)])
    -> OrderedJSON
  {
    var members: [(key: String, value: OrderedJSON)] = [
      ("$schema", "https://json-schema.org/draft/2020-12/schema"),
      ("title", .string(title)),
    ]
    members += root.keywords
    if !defs.isEmpty { members.append(("$defs", .object(defs.map { ($0.0, $0.1.json) }))) }
    return .object(members)
  }
}

/// A decimal written as text, so that 0.2 is exactly 0.2 (a float literal would pass through `Double`).
func dec(_ text: String) -> Decimal { Decimal(string: text)! }
