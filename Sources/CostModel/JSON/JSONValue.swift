import Foundation

/// A position in a source file, 1-based, counted in UTF-8 bytes for columns.
public struct SourcePosition: Sendable, Equatable {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}

/// A parsed JSON value that remembers where it stood, so every data error can name file:line:column.
/// Numbers keep their source text: they become `Decimal` without passing through `Double`.
public indirect enum JSONValue: Sendable {
  case object([(key: String, node: JSONNode)])
  case array([JSONNode])
  case string(String)
  case number(String)
  case bool(Bool)
  case null

  /// The kind of value, in the words an error message uses.
  public var kindName: String {
    switch self {
    case .object: return "an object"
    case .array: return "an array"
    case .string: return "a string"
    case .number: return "a number"
    case .bool: return "a boolean"
    case .null: return "null"
    }
  }

  /// A short rendering of the value for "found …" in error messages.
  public var shortDescription: String {
    switch self {
    case .object: return "an object"
    case .array: return "an array"
    case .string(let s):
      let cut = s.count > 40 ? String(s.prefix(40)) + "…" : s
      return "\"\(cut)\""
    case .number(let n): return n.count > 40 ? String(n.prefix(40)) + "…" : n
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    }
  }
}

/// A JSON value and its position in the file.
public struct JSONNode: Sendable {
  public var value: JSONValue
  public var position: SourcePosition
}
