import Foundation

/// A JSON value whose object keys keep the order they were given in, so that a document built from it (the
/// schemas of `costplan schema`) is written byte for byte the same on every run and can be committed.
public indirect enum OrderedJSON: Sendable {
  case object([(key: String, value: OrderedJSON)])
  case array([OrderedJSON])
  case string(String)
  /// Exact decimals, written without an exponent (0.5, 1000000000).
  case number(Decimal)
  case bool(Bool)
  case null

  /// 2-space indented JSON ending in a newline. Arrays of plain values that fit on a line stay on one line.
  public var pretty: String { render(indent: "") + "\n" }

  func render(indent: String) -> String {
    let inner = indent + "  "
    switch self {
    case .object(let members):
      if members.isEmpty { return "{}" }
      let body = members.map {
        "\(inner)\(JSONText.quote($0.key)): \($0.value.render(indent: inner))"
      }
      return "{\n" + body.joined(separator: ",\n") + "\n\(indent)}"
    case .array(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy(\.isScalar) {
        let line = "[" + items.map { $0.render(indent: inner) }.joined(separator: ", ") + "]"
        if indent.count + line.count <= 100 { return line }
      }
      return "[\n" + items.map { inner + $0.render(indent: inner) }.joined(separator: ",\n")
        + "\n\(indent)]"
    case .string(let s): return JSONText.quote(s)
    case .number(let d): return DecimalText.render(d)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    }
  }

  var isScalar: Bool {
    switch self {
    case .object, .array: return false
    default: return true
    }
  }
}

extension OrderedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .number(Decimal(value)) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}
