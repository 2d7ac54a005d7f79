import Foundation
import StorageKit
import Testing

@testable import CostPlanCLI

/// `ExitCode.of` is the one place store error codes become exit codes: every code has one, and it is the one
/// docs/formats.md's table gives.
struct ExitCodeTests {
  /// Each code's exit code, and words from that exit code's row in docs/formats.md that describe the code. The
  /// switch has no default: a new code does not compile until it is added here (and to the docs).
  static func expected(_ code: StoreError.Code) -> (exit: Int32, docs: String) {
    switch code {
    case .badURL: return (64, "a backend URL that cannot be used")
    case .badData: return (65, "a malformed or error reply from a backend")
    case .recordRefused: return (65, "a record a backend refuses")
    case .tooLarge: return (65, "a load over its `maxLoadBytes=` or `maxLoadItems=`")
    case .unavailable: return (69, "a backend is unreachable")
    case .timeout: return (69, "within its `timeout=`")
    case .credentialsRefused: return (69, "refuses the credentials")
    case .authenticationUnsupported:
      return (69, "password in cleartext without `allowCleartextPassword=true`")
    case .conflict: return (69, "concurrent writers")
    case .cannotRead: return (69, "a `file:` store whose files cannot be read")
    case .readOnly: return (74, "an append to a read-only `file:` store")
    case .cannotWrite: return (74, "a full disk")
    }
  }

  /// The rows of the exit code table in docs/formats.md: code → meaning.
  static func documented() throws -> [Int32: String] {
    let text = try String(contentsOfFile: repoRoot + "/docs/formats.md", encoding: .utf8)
    let section = try #require(text.range(of: "## Exit codes and error messages"))
    var rows: [Int32: String] = [:]
    for line in text[section.upperBound...].split(separator: "\n") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false)
      guard cells.count >= 4, let code = Int32(cells[1].trimmingCharacters(in: .whitespaces))
      else { continue }
      rows[code] = cells[2...].joined(separator: "|")
    }
    return rows
  }

  @Test func everyStoreErrorCodeHasTheExitCodeTheDocsGiveIt() throws {
    let rows = try Self.documented()
    #expect(Set(rows.keys) == [0, 1, 64, 65, 69, 70, 74])
    for code in StoreError.Code.allCases {
      let (exit, words) = Self.expected(code)
      #expect(ExitCode.of(code) == exit, "\(code)")
      #expect(
        rows[exit]?.contains(words) == true,
        "docs/formats.md's row for exit \(exit) does not describe .\(code) ('\(words)')")
    }
  }

  @Test func theConstantsAreTheDocumentedCodes() throws {
    let rows = try Self.documented()
    for c in [
      ExitCode.success, ExitCode.checkFailed, ExitCode.usage, ExitCode.dataError,
      ExitCode.unavailable, ExitCode.internalError, ExitCode.cannotWrite,
    ] {
      #expect(rows[c] != nil, "exit \(c) is not in docs/formats.md")
    }
  }
}
