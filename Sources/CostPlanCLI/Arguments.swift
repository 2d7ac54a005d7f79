import CostModel
import Foundation

/// An option a subcommand accepts: `--name VALUE` (or `--name=VALUE`), or a flag.
struct OptionDef {
  var name: String
  var value: String?  // nil for a flag
  var help: String
  var repeatable = false
}

/// Options several subcommands share, defined once.
extension OptionDef {
  static let scenarios = OptionDef(
    name: "scenarios", value: "dir", help: "Folder of scenarios. (default: scenarios)")
  static let pricing = OptionDef(
    name: "pricing", value: "dir", help: "Folder of rate tables. (default: pricing)")
  static func format(_ values: [String]) -> OptionDef {
    OptionDef(
      name: "format", value: "format",
      help: "Output format. (values: \(values.joined(separator: ", ")); default: \(values[0]))")
  }
}

/// A subcommand's interface: what `help` prints and what the parser accepts.
struct CommandSpec {
  var name: String
  var overview: String
  var usage: String
  var options: [OptionDef]
  var arguments: [(String, String)] = []
  var maxPositionals = 0

  var helpText: String {
    var s =
      Self.wrapped("OVERVIEW: \(overview)", indent: 10) + "\n"
      + Self.wrapped("USAGE: \(usage)", indent: 7)
    if !arguments.isEmpty {
      s += "\nARGUMENTS:\n"
      for (name, help) in arguments { s += Self.row(name, help) }
    }
    s += "\nOPTIONS:\n"
    for o in options {
      s += Self.row("--\(o.name)" + (o.value.map { " <\($0)>" } ?? ""), o.help)
    }
    s += Self.row("-h, --help", "Show help information.")
    return s
  }

  /// A line wrapped between words at the terminal's width, its continuation lines indented by `indent`.
  static func wrapped(_ text: String, indent: Int, width: Int = TerminalWidth.current()) -> String {
    wrapped(text, from: 0, indent: indent, width: width)
  }

  /// `left` in the first 26 columns, `help` from column 28, wrapped between words to the terminal's width
  /// (`COLUMNS`, else the terminal's, else 100) with its continuation lines at column 28.
  static func row(_ left: String, _ help: String, width: Int = TerminalWidth.current()) -> String {
    let start =
      left.count >= 25
      ? "  \(left)\n" + String(repeating: " ", count: 28)
      : "  \(left)" + String(repeating: " ", count: 26 - left.count)
    return start + wrapped(help, from: 28, indent: 28, width: width)
  }

  /// `text` set from column `from`, a new line (at column `indent`) before a word that would pass
  /// `max(60, width)`; ends with a newline.
  static func wrapped(_ text: String, from: Int, indent: Int, width: Int) -> String {
    var out = ""
    var column = from
    var first = true
    for word in text.split(separator: " ") {
      if !first && column + 1 + word.count > max(60, width) {
        out += "\n" + String(repeating: " ", count: indent)
        column = indent
      } else if !first {
        out += " "
        column += 1
      }
      out += word
      column += word.count
      first = false
    }
    return out + "\n"
  }
}

/// Parsed options of one invocation.
struct ParsedArguments {
  var values: [String: [String]] = [:]
  var flags: Set<String> = []
  var positionals: [String] = []
  var help = false

  func value(_ name: String) -> String? { values[name]?.last }
  func all(_ name: String) -> [String] { values[name] ?? [] }
  func flag(_ name: String) -> Bool { flags.contains(name) }

  static func parse(_ args: [String], spec: CommandSpec) throws(UsageError) -> ParsedArguments {
    var p = ParsedArguments()
    var i = 0
    var onlyPositionals = false
    while i < args.count {
      let a = args[i]
      i += 1
      if !onlyPositionals && a == "--" {
        onlyPositionals = true
        continue
      }
      if !onlyPositionals && (a == "-h" || a == "--help") {
        p.help = true
        continue
      }
      if !onlyPositionals && a.hasPrefix("-") && a.count > 1 {
        var name = String(a.drop(while: { $0 == "-" }))
        var inline: String?
        if let eq = name.firstIndex(of: "=") {
          inline = String(name[name.index(after: eq)...])
          name = String(name[..<eq])
        }
        guard a.hasPrefix("--"), let def = spec.options.first(where: { $0.name == name }) else {
          let hint =
            Suggest.closest(name, among: spec.options.map(\.name)).map {
              " (did you mean '--\($0)'?)"
            } ?? ""
          throw UsageError(
            message: "Unknown option '\(a.split(separator: "=").first ?? "")'\(hint)", command: spec
          )
        }
        if def.value == nil {
          if inline != nil {
            throw UsageError(message: "Option '--\(name)' takes no value", command: spec)
          }
          p.flags.insert(name)
          continue
        }
        let v: String
        if let inline {
          v = inline
        } else {
          guard i < args.count else {
            throw UsageError(
              message: "Missing value for '--\(name) <\(def.value!)>'", command: spec)
          }
          v = args[i]
          i += 1
        }
        if !def.repeatable && p.values[name] != nil {
          throw UsageError(message: "Option '--\(name)' given more than once", command: spec)
        }
        p.values[name, default: []].append(v)
        continue
      }
      p.positionals.append(a)
    }
    if p.positionals.count > spec.maxPositionals && !p.help {
      throw UsageError(
        message: "Unexpected argument '\(p.positionals[spec.maxPositionals])'", command: spec)
    }
    return p
  }
}

/// Option values shared by several commands.
enum OptionValues {
  static func format(_ p: ParsedArguments, allowed: [String], spec: CommandSpec) throws(UsageError)
    -> String
  {
    let f = p.value("format") ?? allowed[0]
    guard allowed.contains(f) else {
      throw UsageError(
        message:
          "The value '\(f)' is invalid for '--format <format>' (values: \(allowed.joined(separator: ", ")))",
        command: spec)
    }
    return f
  }

  static func scales(_ p: ParsedArguments, spec: CommandSpec) throws(UsageError) -> [Decimal]? {
    guard let text = p.value("scales") else { return nil }
    var out: [Decimal] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let t = part.trimmingCharacters(in: .whitespaces)
      guard isPlainNumber(t), let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")),
        d > 0, d <= 1_000_000_000, !out.contains(d)
      else {
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--scales <scales>': expected distinct positive numbers up to 1e9 separated by commas, like 1,10,100",
          command: spec)
      }
      out.append(d)
    }
    return out
  }

  /// `--samples N` (1 to 10,000,000) and `--seed S` (0 to 2^64 − 1), both plain decimal integers.
  static func sampling(_ p: ParsedArguments, spec: CommandSpec) throws(UsageError) -> (
    samples: Int?, seed: UInt64?
  ) {
    var samples: Int?
    if let text = p.value("samples") {
      guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text),
        n >= 1,
        n <= 10_000_000
      else {
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--samples <n>': expected a whole number of draws from 1 to 10000000",
          command: spec)
      }
      samples = n
    }
    var seed: UInt64?
    if let text = p.value("seed") {
      guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let s = UInt64(text)
      else {
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--seed <s>': expected a whole number from 0 to 18446744073709551615",
          command: spec)
      }
      seed = s
    }
    return (samples, seed)
  }

  /// Digits with at most one '.', optional exponent: what `Decimal(string:)` reads whole.
  static func isPlainNumber(_ t: String) -> Bool {
    guard !t.isEmpty else { return false }
    var seenDot = false
    var seenDigit = false
    var chars = Array(t)
    if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      let exp = chars[(e + 1)...]
      let digits = exp.first == "-" || exp.first == "+" ? exp.dropFirst() : exp[...]
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
      chars = Array(chars[..<e])
    }
    for c in chars {
      if c == "." {
        if seenDot { return false }
        seenDot = true
      } else if c.isASCII && c.isNumber {
        seenDigit = true
      } else {
        return false
      }
    }
    return seenDigit
  }
}
