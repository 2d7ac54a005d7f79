import Foundation

/// Bad input data: a rate table, scenario or latency file that is malformed or inconsistent (exit 65).
/// Rendered as `file:line:col: error: path: message`, the way compilers and swift-format report.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var position: SourcePosition?
  public var path: String
  public var message: String

  public init(file: String, position: SourcePosition? = nil, path: String = "", message: String) {
    self.file = file
    self.position = position
    self.path = path
    self.message = message
  }

  public var description: String {
    var s = file
    if let p = position { s += ":\(p.line):\(p.column)" }
    s += ": error: "
    if !path.isEmpty { s += "\(path): " }
    return s + message
  }
}

/// Several data errors found in one pass (lint reports them all).
public struct DataErrors: Error, Sendable {
  public var errors: [DataError]
  public init(_ errors: [DataError]) { self.errors = errors }
}
