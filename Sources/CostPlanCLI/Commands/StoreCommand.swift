import Foundation
import StorageBench
import StorageKit

/// `costplan store`: the reference store by hand (docs/formats.md), for debugging a backend and for tests from
/// outside the process.
enum StoreCommand {
  static let spec = CommandSpec(
    name: "store",
    overview: "Append a record to, or load an entity from, a reference-store backend.",
    usage: "costplan store --backend <url> append <entity> | load <entity> [--since <iso8601>]",
    options: [
      OptionDef(
        name: "backend", value: "url",
        help:
          "The backend: memory:, file:DIR[?layout=…], cache:INNER?entities=N, redis://HOST:PORT/DB, postgres://USER@HOST:PORT/DB, s3://BUCKET?endpoint=URL, dynamodb://TABLE?endpoint=URL (README: the reference store)."
      ),
      OptionDef(
        name: "since", value: "iso8601",
        help: "With load: only records appended at or after this time, e.g. 2026-01-01T00:00:00Z."),
    ],
    arguments: [
      (
        "append <entity>",
        "Read one record (UTF-8 text) from stdin; exit 0 once the backend has it durably."
      ),
      (
        "load <entity>",
        "Print the entity's records, one JSON object a line: {\"seq\", \"at\", \"body\"}."
      ),
    ],
    maxPositionals: 2)

  static func run(_ p: ParsedArguments, console: Console, stdin: () -> Data) throws {
    guard let url = p.value("backend") else {
      throw UsageError(message: "Missing '--backend <url>'", command: spec)
    }
    guard p.positionals.count == 2, ["append", "load"].contains(p.positionals[0]) else {
      throw UsageError(
        message: p.positionals.isEmpty
          ? "Missing action: append <entity> or load <entity>"
          : "Expected 'append <entity>' or 'load <entity>', found '\(p.positionals.joined(separator: " "))'",
        command: spec)
    }
    let entity = p.positionals[1]
    var since: Int64?
    if let s = p.value("since") {
      guard p.positionals[0] == "load" else {
        throw UsageError(message: "'--since' goes with load, not append", command: spec)
      }
      guard let t = ISOTime.parse(s) else {
        throw UsageError(
          message:
            "The value '\(s)' is invalid for '--since <iso8601>': expected a time like 2026-01-01T00:00:00Z",
          command: spec)
      }
      since = t
    }
    let store = try openBackend(url, spec: spec)
    if p.positionals[0] == "append" {
      let data = stdin()
      guard let text = String(data: data, encoding: .utf8) else {
        throw StoreError(.badData, "stdin: the record is not UTF-8 text")
      }
      let at = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
      let seq = try store.append(entity: entity, body: Array(text.utf8), at: at)
      console.err("appended\(seq.map { " record \($0)" } ?? "") to \(store.displayURL)\n")
    } else {
      var out = ""
      for r in try store.load(entity: entity, since: since) {
        out +=
          "{\"seq\": \(r.seq), \"at\": \"\(ISOTime.format(r.at))\", \"body\": \(BenchReport.quote(String(decoding: r.body, as: UTF8.self)))}\n"
      }
      console.out(out)
    }
  }

  /// Opens a backend; a URL it cannot use is a usage error (64).
  static func openBackend(_ url: String, spec: CommandSpec) throws -> RecordStore {
    do {
      return try Backends.open(url)
    } catch {
      guard error.code == .badURL else { throw error }
      throw UsageError(
        message:
          "The value '\(NetworkURL.mask(url))' is invalid for '--backend <url>': \(error.message)",
        command: spec)
    }
  }
}

/// ISO 8601 times in UTC, milliseconds since 1970.
enum ISOTime {
  static func format(_ ms: Int64) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions =
      ms % 1000 == 0 ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
    return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
  }

  static func parse(_ s: String) -> Int64? {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
    f.formatOptions = [.withInternetDateTime]
    if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
    return nil
  }
}
