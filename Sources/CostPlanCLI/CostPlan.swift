import CostModel
import Foundation
import StorageKit

/// What a command computed and the process ends with anyway: kept here so its thousands of objects are not
/// released one by one on the way out (the kernel takes the memory back at exit). Freeing the priced scenarios
/// and rendered reports took about a tenth of `costplan report`.
enum ExitFast {
  nonisolated(unsafe) static var kept: [Any] = []
  static func keep(_ values: Any...) { kept.append(contentsOf: values) }
}

/// The `costplan` command: dispatches to a subcommand and maps errors to exit codes.
public enum CostPlan {
  public static let version = "0.1.0"

  static let commands: [CommandSpec] = [
    CompareCommand.spec, ReportCommand.spec, BreakEvenCommand.spec, ProjectCommand.spec,
    LintCommand.spec,
    ValidateCommand.spec,
    BenchCommand.spec, StoreCommand.spec, PricingCommand.spec, SchemaCommand.spec, InitCommand.spec,
  ]

  static let usage = "costplan <subcommand> [options]"

  static var rootHelp: String {
    var s =
      CommandSpec.wrapped(
        "OVERVIEW: Price storage options from versioned AWS rate tables and workload scenarios.",
        indent: 10) + "\n"
    s += "USAGE: \(usage)\n\nOPTIONS:\n"
    s += CommandSpec.row("--version", "Show the version.")
    s += CommandSpec.row("-h, --help", "Show help information.")
    s += "\nSUBCOMMANDS:\n"
    for c in commands { s += CommandSpec.row(c.name, c.overview) }
    s += CommandSpec.row("help", "Show help for a subcommand.")
    s += "\n  See 'costplan help <subcommand>' for detailed help.\n"
    return s
  }

  /// `costplan help help`: what the help command itself takes.
  static var helpHelp: String {
    var s = "OVERVIEW: Show help for a subcommand, or list the subcommands.\n\n"
    s += "USAGE: costplan help [<subcommand>]\n\nARGUMENTS:\n"
    s += CommandSpec.row(
      "<subcommand>",
      "The subcommand to explain: \(commands.map(\.name).joined(separator: ", ")) or help. Without it, the list of subcommands."
    )
    s +=
      "\n"
      + CommandSpec.wrapped(
        "  'costplan <subcommand> --help' prints the same as 'costplan help <subcommand>'.",
        indent: 2)
    return s
  }

  /// Runs one invocation (arguments without the program name) and returns the exit code.
  public static func run(
    _ args: [String], console: Console,
    stdin: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }
  ) -> Int32 {
    var spec: CommandSpec?
    do {
      guard let first = args.first else {
        console.out(rootHelp)
        return ExitCode.success
      }
      switch first {
      case "--version":
        console.out("costplan \(version)\n")
        return ExitCode.success
      case "-h", "--help":
        console.out(rootHelp)
        return ExitCode.success
      case "help":
        guard args.count > 1 else {
          console.out(rootHelp)
          return ExitCode.success
        }
        if args.count == 2 && args[1] == "help" {
          console.out(helpHelp)
          return ExitCode.success
        }
        guard let c = commands.first(where: { $0.name == args[1] }), args.count == 2 else {
          throw UsageError(
            message: "Unknown subcommand '\(args.dropFirst().joined(separator: " "))'"
              + Suggest.hint(args[1], among: commands.map(\.name)), command: nil)
        }
        console.out(c.helpText)
        return ExitCode.success
      default: break
      }
      guard let c = commands.first(where: { $0.name == first }) else {
        // An option before any subcommand can only be one of the root's own.
        throw UsageError(
          message: first.hasPrefix("-")
            ? "Unknown option '\(first)'" + Suggest.hint(first, among: ["--version", "--help"])
            : "Unknown subcommand '\(first)'"
              + Suggest.hint(first, among: commands.map(\.name) + ["help"]), command: nil)
      }
      spec = c
      let parsed = try ParsedArguments.parse(Array(args.dropFirst()), spec: c)
      if parsed.help {
        console.out(c.helpText)
        return ExitCode.success
      }
      switch c.name {
      case CompareCommand.spec.name: try CompareCommand.run(parsed, console: console)
      case ReportCommand.spec.name: try ReportCommand.run(parsed, console: console)
      case LintCommand.spec.name: try LintCommand.run(parsed, console: console)
      case BreakEvenCommand.spec.name: try BreakEvenCommand.run(parsed, console: console)
      case ProjectCommand.spec.name: try ProjectCommand.run(parsed, console: console)
      case ValidateCommand.spec.name: try ValidateCommand.run(parsed, console: console)
      case BenchCommand.spec.name: try BenchCommand.run(parsed, console: console)
      case StoreCommand.spec.name: try StoreCommand.run(parsed, console: console, stdin: stdin)
      case PricingCommand.spec.name: try PricingCommand.run(parsed, console: console)
      case SchemaCommand.spec.name: try SchemaCommand.run(parsed, console: console)
      case InitCommand.spec.name: try InitCommand.run(parsed, console: console)
      default: throw UsageError(message: "Unknown subcommand '\(first)'", command: nil)
      }
      return ExitCode.success
    } catch let e as UsageError {
      let command = e.command ?? spec
      console.err("Error: \(e.message)\n")
      if let command {
        console.err(
          "Usage: \(command.usage)\n  See 'costplan \(command.name) --help' for more information.\n"
        )
      } else {
        console.err("Usage: \(usage)\n  See 'costplan --help' for more information.\n")
      }
      return ExitCode.usage
    } catch let e as DataError {
      console.err("\(e)\n")
      return ExitCode.dataError
    } catch let e as DataErrors {
      for d in e.errors { console.err("\(d)\n") }
      return ExitCode.dataError
    } catch let e as OutputError {
      console.err("\(e.path): error: cannot write: \(e.reason)\n")
      return ExitCode.cannotWrite
    } catch let e as StoreError {
      console.err("error: \(e.message)\n")
      return ExitCode.of(e.code)
    } catch let e as CheckFailed {
      for f in e.files { console.err("\(f)\n") }
      return ExitCode.checkFailed
    } catch {
      console.err("internal error: \(error)\n")
      return ExitCode.internalError
    }
  }

  /// Entry point for `main.swift`.
  public static func main() -> Never {
    signal(SIGPIPE, SIG_IGN)
    signal(SIGXFSZ, SIG_IGN)  // a file-size limit is a write error (EFBIG), not a crash
    let code = run(Array(CommandLine.arguments.dropFirst()), console: .standard())
    exit(code)
  }
}
