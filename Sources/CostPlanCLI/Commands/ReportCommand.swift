import CostModel
import CostReports
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `costplan report`: writes the committed reports, or with `--check` tells whether they are current.
enum ReportCommand {
  static let spec = CommandSpec(
    name: "report",
    overview:
      "Write every scenario's reports: Markdown, HTML, CSV and SVG charts (or check they are current).",
    usage:
      "costplan report [--scenarios <dir>] [--pricing <dir>] [--out <dir>] [--check] [--no-sampling]",
    options: [
      .scenarios,
      .pricing,
      OptionDef(
        name: "out", value: "dir", help: "Folder to write the reports to. (default: reports)"),
      OptionDef(
        name: "check", value: nil,
        help: "Write nothing; exit 1 when a report differs from what would be written."),
      OptionDef(
        name: "no-sampling", value: nil,
        help:
          "Leave out the sampled sections (percentiles, win probabilities, ties): point reports only, for a quick look while editing a scenario. Not with --check."
      ),
    ])

  static func run(_ p: ParsedArguments, console: Console) throws {
    var inputs = Inputs(
      scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: p.value("pricing") ?? "pricing"
    )
    inputs.scenariosGiven = p.value("scenarios") != nil
    let outDir = p.value("out") ?? "reports"
    let sampled = !p.flag("no-sampling")
    if !sampled && p.flag("check") {
      throw UsageError(
        message:
          "'--no-sampling' cannot be used with '--check': the committed reports hold the sampled sections",
        command: spec)
    }
    try Inputs.requireDirectory(
      inputs.pricingDir, option: "pricing", spec: spec, given: p.value("pricing") != nil)
    let files = try inputs.scenarioFiles([], spec: spec)
    let scenarios = try Timings.measure("scenarios") { () throws(DataError) in
      try Inputs.loadScenarios(files)
    }
    // A scenario with ranges is sampled (unless --no-sampling): its `uncertainty` block, else 10,000 draws from
    // seed 1.
    let results = try inputs.results(
      scenarios, scales: nil,
      sampling: { s in
        guard sampled else { return nil }
        return s.uncertainty.map { SamplingPlan(samples: $0.samples, seed: $0.seed) }
          ?? (s.rangedInputs.isEmpty ? nil : SamplingPlan.reportDefault)
      }, withProjection: true)
    var rendered = Timings.measure("render") { ReportSet.render(results) }
    // The manifest lists the files report writes, so that the reports of a deleted scenario can be found and
    // removed (report) or flagged (--check); a file report never wrote is never touched.
    let names = Set(rendered.map(\.name))
    let manifestPath = (outDir as NSString).appendingPathComponent(Self.manifest)
    let stale = Self.listed(in: manifestPath).filter { !names.contains($0) }
      .filter {
        FileManager.default.fileExists(atPath: (outDir as NSString).appendingPathComponent($0))
      }
    rendered.append((Self.manifest, Self.manifestText(rendered.map(\.name))))
    ExitFast.keep(results, rendered)
    if p.flag("check") {
      var differing: [String] = stale.map {
        "\((outDir as NSString).appendingPathComponent($0)): stale (its scenario no longer exists)"
      }
      for (name, content) in rendered {
        let path = (outDir as NSString).appendingPathComponent(name)
        let existing = FileManager.default.contents(atPath: path)
        if existing != Data(content.utf8) {
          differing.append("\(path): \(existing == nil ? "missing" : "out of date")")
        }
      }
      if !differing.isEmpty {
        differing.append(
          "\(differing.count) report file\(differing.count == 1 ? "" : "s") differ; "
            + (outDir == "reports"
              ? "run 'costplan report' and commit reports/"
              : "run 'costplan report --out \(outDir)'")
        )
        throw CheckFailed(files: differing)
      }
      console.out("reports are current: \(rendered.count) files in \(outDir)\n")
      return
    }
    try AtomicWriter.createDirectory(outDir)
    // A file whose content is already what would be written is left alone (its time stamp too), as make
    // leaves an up-to-date target: CI's regeneration then shows only the reports a price change touched.
    var changed: [(path: String, content: String)] = []
    for (name, content) in rendered {
      let path = (outDir as NSString).appendingPathComponent(name)
      if FileManager.default.contents(atPath: path) != Data(content.utf8) {
        changed.append((path, content))
      }
    }
    let unchanged = rendered.count - changed.count
    // The set is replaced as a whole: every changed file is first written in full under a temporary name;
    // only when all of them are written (a full disk fails here) are they renamed into place and the stale
    // reports removed. A failed run leaves the previous reports as they were, and no temporary file.
    try AtomicWriter.replaceAll(changed)
    for name in stale {
      let path = (outDir as NSString).appendingPathComponent(name)
      if unlink(path) != 0 && errno != ENOENT {
        throw OutputError(
          path: path,
          reason: "cannot remove this stale report (\(String(cString: strerror(errno))))")
      }
    }
    let written = rendered.count - unchanged
    var notes: [String] = []
    if unchanged > 0 { notes.append("\(unchanged) already current, left as they were") }
    if !stale.isEmpty {
      notes.append("removed \(stale.count) stale: \(stale.joined(separator: ", "))")
    }
    console.out(
      "wrote \(written) file\(written == 1 ? "" : "s") to \(outDir)\(notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")\n"
    )
  }

  /// `reports/.costplan-manifest`: the files the last `report` wrote, one per line.
  static let manifest = ".costplan-manifest"

  static func manifestText(_ names: [String]) -> String {
    "# The files `costplan report` wrote here; it removes those whose scenario no longer exists.\n"
      + (names + [manifest]).sorted().joined(separator: "\n") + "\n"
  }

  /// The plain file names a manifest lists (a name with a path separator or a leading dot-dot is ignored:
  /// report only ever removes files it could have written into this folder).
  static func listed(in path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
      .filter {
        !$0.hasPrefix("#") && !$0.isEmpty && !$0.contains("/") && $0 != ".." && $0 != "."
          && $0 != manifest
      }
  }
}

/// Writes a file under a temporary name and renames it, so a reader never sees half a report.
enum AtomicWriter {
  /// Creates `dir` level by level; a failure names the level and the system's reason.
  static func createDirectory(_ dir: String) throws(OutputError) {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
      guard isDir.boolValue else {
        throw OutputError(path: dir, reason: "it exists and is not a folder")
      }
      return
    }
    var made = dir.hasPrefix("/") ? "" : "."
    for part in dir.split(separator: "/") where !part.isEmpty {
      made += "/" + part
      if mkdir(made, 0o755) != 0 && errno != EEXIST {
        let why = String(cString: strerror(errno))
        throw OutputError(
          path: dir,
          reason:
            "cannot create the folder \(made.hasPrefix("./") ? String(made.dropFirst(2)) : made) (\(why))"
        )
      }
    }
  }

  /// Writes every file under its temporary name, then renames them all; if a write fails, the temporary files
  /// written so far are removed and nothing is renamed.
  static func replaceAll(_ files: [(path: String, content: String)]) throws(OutputError) {
    var written: [(tmp: String, path: String)] = []
    for f in files {
      do throws(OutputError) {
        written.append((try writeTemporary(f.content, for: f.path), f.path))
      } catch {
        for w in written { unlink(w.tmp) }
        throw error
      }
    }
    for (i, w) in written.enumerated() where rename(w.tmp, w.path) != 0 {
      let why = String(cString: strerror(errno))
      for rest in written[i...] { unlink(rest.tmp) }
      throw OutputError(path: w.path, reason: why)
    }
  }

  static func write(_ content: String, to path: String) throws(OutputError) {
    let tmp = try writeTemporary(content, for: path)
    if rename(tmp, path) != 0 {
      let why = String(cString: strerror(errno))
      unlink(tmp)
      throw OutputError(path: path, reason: why)
    }
  }

  /// Like `write`, but never replaces a file: the temporary file is hard-linked to `path`, which fails when
  /// anything is there, even a file that appeared after a check.
  static func writeNew(_ content: String, to path: String) throws(OutputError) {
    let tmp = try writeTemporary(content, for: path)
    defer { unlink(tmp) }
    if link(tmp, path) != 0 {
      let exists = errno == EEXIST
      let why =
        exists
        ? "the file exists, and is left as it is (choose another name, or remove the file first)"
        : String(cString: strerror(errno))
      throw OutputError(path: path, reason: why)
    }
  }

  /// Writes `content` to a temporary file beside `path` and returns its name.
  private static func writeTemporary(_ content: String, for path: String) throws(OutputError)
    -> String
  {
    let dir = (path as NSString).deletingLastPathComponent
    let tmp =
      (dir.isEmpty ? "." : dir) + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
    var bytes = Array(content.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes {
        Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset)
      }
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
    return tmp
  }

  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(u.code)))
    }
    return ns.localizedDescription
  }
}
