import CostModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `costplan report`: writes the committed reports, or with `--check` tells whether they are current.
enum ReportCommand {
  static let spec = CommandSpec(
    name: "report",
    overview: "Write the Markdown and CSV reports of every scenario (or check they are current).",
    usage: "costplan report [--scenarios <dir>] [--pricing <dir>] [--out <dir>] [--check]",
    options: [
      .scenarios,
      .pricing,
      OptionDef(name: "out", value: "dir", help: "Folder to write the reports to. (default: reports)"),
      OptionDef(name: "check", value: nil, help: "Write nothing; exit 1 when a report differs from what would be written."),
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    var inputs = Inputs(scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing")
    inputs.scenariosGiven = p.value("scenarios") != nil
    let outDir = p.value("out") ?? "reports"
    try Inputs.requireDirectory(inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let files = try inputs.scenarioFiles([], spec: spec)
    let results = try inputs.results(try Inputs.loadScenarios(files), scales: nil)
    let rendered = ReportSet.render(results)
    ExitFast.keep(results, rendered)
    if p.flag("check") {
      var differing: [String] = []
      for (name, content) in rendered {
        let path = (outDir as NSString).appendingPathComponent(name)
        let existing = FileManager.default.contents(atPath: path)
        if existing != Data(content.utf8) {
          differing.append("\(path): \(existing == nil ? "missing" : "out of date")")
        }
      }
      if !differing.isEmpty {
        differing.append("\(differing.count) report file\(differing.count == 1 ? "" : "s") differ; run 'costplan report' and commit reports/")
        throw CheckFailed(files: differing)
      }
      console.out("reports are current: \(rendered.count) files in \(outDir)\n")
      return
    }
    try AtomicWriter.createDirectory(outDir)
    // A file whose content is already what would be written is left alone (its time stamp too), as make
    // leaves an up-to-date target: CI's regeneration then shows only the reports a price change touched.
    var unchanged = 0
    for (name, content) in rendered {
      let path = (outDir as NSString).appendingPathComponent(name)
      if FileManager.default.contents(atPath: path) == Data(content.utf8) {
        unchanged += 1
        continue
      }
      try AtomicWriter.write(content, to: path)
    }
    let written = rendered.count - unchanged
    let note = unchanged == 0 ? "" : " (\(unchanged) already current, left as they were)"
    console.out("wrote \(written) file\(written == 1 ? "" : "s") to \(outDir)\(note)\n")
  }
}

/// Writes a file under a temporary name and renames it, so a reader never sees half a report.
enum AtomicWriter {
  /// Creates `dir` level by level; a failure names the level and the system's reason.
  static func createDirectory(_ dir: String) throws(OutputError) {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
      guard isDir.boolValue else { throw OutputError(path: dir, reason: "it exists and is not a folder") }
      return
    }
    var made = dir.hasPrefix("/") ? "" : "."
    for part in dir.split(separator: "/") where !part.isEmpty {
      made += "/" + part
      if mkdir(made, 0o755) != 0 && errno != EEXIST {
        let why = String(cString: strerror(errno))
        throw OutputError(path: dir, reason: "cannot create the folder \(made.hasPrefix("./") ? String(made.dropFirst(2)) : made) (\(why))")
      }
    }
  }

  static func write(_ content: String, to path: String) throws(OutputError) {
    let dir = (path as NSString).deletingLastPathComponent
    let tmp = (dir.isEmpty ? "." : dir) + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
    var bytes = Array(content.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        let why = String(cString: strerror(errno))
        close(fd)
        unlink(tmp)
        throw OutputError(path: path, reason: why)
      }
      offset += n
    }
    if close(fd) != 0 {
      let why = String(cString: strerror(errno))
      unlink(tmp)
      throw OutputError(path: path, reason: why)
    }
    if rename(tmp, path) != 0 {
      let why = String(cString: strerror(errno))
      unlink(tmp)
      throw OutputError(path: path, reason: why)
    }
  }

  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(u.code)))
    }
    return ns.localizedDescription
  }
}
