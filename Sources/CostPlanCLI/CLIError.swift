import CostModel
import Foundation
import StorageKit

/// Exit codes (docs/formats.md "Exit codes and errors").
public enum ExitCode {
  public static let success: Int32 = 0
  public static let checkFailed: Int32 = 1
  public static let usage: Int32 = 64
  public static let dataError: Int32 = 65
  public static let unavailable: Int32 = 69
  public static let internalError: Int32 = 70
  public static let cannotWrite: Int32 = 74
}

extension ExitCode {
  /// The exit code of a store failure. This is the one place where `StoreError` codes become exit codes
  /// (StorageKit knows none); keep it in step with docs/formats.md, "Exit codes and error messages", which
  /// ExitCodeTests checks it against.
  public static func of(_ code: StoreError.Code) -> Int32 {
    switch code {
    case .badURL: return usage
    case .badData, .recordRefused, .tooLarge: return dataError
    case .unavailable, .timeout, .credentialsRefused, .authenticationUnsupported, .conflict,
      .cannotRead:
      return unavailable
    case .readOnly, .cannotWrite: return cannotWrite
    }
  }
}

/// A usage error: unknown subcommand or option, bad option value (exit 64).
struct UsageError: Error {
  var message: String
  var command: CommandSpec?
}

/// An output file that cannot be written (exit 74).
struct OutputError: Error {
  var path: String
  var reason: String
}

/// `report --check` found differences (exit 1); the differing files are listed.
struct CheckFailed: Error {
  var files: [String]
}
