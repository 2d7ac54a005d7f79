import CostModel
@testable import CostReports
import Foundation
import Testing

@testable import CostPlanCLI

/// The repository root, found from this file's path.
let repoRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()

struct RunResult {
  var code: Int32
  var stdout: String
  var stderr: String
}

/// Runs costplan in-process with the working directory set to `cwd` (serialised: cwd is process-wide).
let cwdLock = NSLock()
func runCLI(_ args: [String], cwd: String = repoRoot) -> RunResult {
  cwdLock.lock()
  defer { cwdLock.unlock() }
  let old = FileManager.default.currentDirectoryPath
  _ = FileManager.default.changeCurrentDirectoryPath(cwd)
  defer { _ = FileManager.default.changeCurrentDirectoryPath(old) }
  let captured = CapturedConsole()
  let code = CostPlan.run(args, console: captured.console)
  return RunResult(code: code, stdout: captured.stdout, stderr: captured.stderr)
}

/// A scratch project: a copy of the shipped pricing and scenarios in a temporary folder.
final class Sandbox {
  let root: String
  init(copyShipped: Bool = true) throws {
    root = NSTemporaryDirectory() + "costplan-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    if copyShipped {
      for dir in ["pricing", "scenarios"] {
        try FileManager.default.copyItem(atPath: repoRoot + "/" + dir, toPath: root + "/" + dir)
      }
    }
  }
  deinit { try? FileManager.default.removeItem(atPath: root) }

  func write(_ relative: String, _ text: String) throws {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  func read(_ relative: String) -> String? {
    try? String(contentsOfFile: root + "/" + relative, encoding: .utf8)
  }

  func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: root + "/" + relative)
  }

  func run(_ args: [String]) -> RunResult { runCLI(args, cwd: root) }
}
