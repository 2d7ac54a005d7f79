import Foundation
import Testing

@testable import CostPlanCLI

/// The built `costplan` binary, beside the test bundle.
let costplanBinary: String = {
  let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("costplan").path
  if FileManager.default.isExecutableFile(atPath: beside) { return beside }
  return repoRoot + "/.build/debug/costplan"
}()

/// Runs the built binary as a process, with `stdin` as its input.
func runProcess(_ args: [String], stdin: String = "", cwd: String = repoRoot, shell: String? = nil)
  throws -> RunResult
{
  let p = Process()
  if let shell {
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", shell + " \"$0\" \"$@\"", costplanBinary] + args
  } else {
    p.executableURL = URL(fileURLWithPath: costplanBinary)
    p.arguments = args
  }
  p.currentDirectoryURL = URL(fileURLWithPath: cwd)
  let inPipe = Pipe()
  let out = Pipe()
  let err = Pipe()
  p.standardInput = inPipe
  p.standardOutput = out
  p.standardError = err
  try p.run()
  inPipe.fileHandleForWriting.write(Data(stdin.utf8))
  try inPipe.fileHandleForWriting.close()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return RunResult(
    code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
    stderr: String(decoding: e, as: UTF8.self))
}

struct StoreCommandTests {
  struct Line: Decodable, Equatable {
    var seq: Int
    var at: String
    var body: String
  }

  func lines(_ out: String) throws -> [Line] {
    try out.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
  }

  @Test(arguments: ["object-per-entity", "object-per-record"])
  func appendThenLoadAcrossProcesses(layout: String) throws {
    let box = try Sandbox(copyShipped: false)
    let url = "file:store?layout=\(layout)"
    let entity = "../../etc/passwd \u{1F680} 'quoted'"
    for body in ["first", "second line\nwith \"quotes\" and \\ and \u{7}", "ünïcødé"] {
      let r = try runProcess(
        ["store", "--backend", url, "append", entity], stdin: body, cwd: box.root)
      #expect(r.code == 0 && r.stdout.isEmpty, "\(r.stderr)")
    }
    let r = try runProcess(["store", "--backend", url, "load", entity], cwd: box.root)
    #expect(r.code == 0, "\(r.stderr)")
    let got = try lines(r.stdout)
    #expect(
      got.map(\.body) == ["first", "second line\nwith \"quotes\" and \\ and \u{7}", "ünïcødé"])
    #expect(got.map(\.seq) == [1, 2, 3])
    #expect(got.allSatisfy { $0.at.hasSuffix("Z") && $0.at.count >= 20 })
    // Nothing escaped the store folder.
    #expect(!FileManager.default.fileExists(atPath: box.root + "/etc"))
    // --since the last record's time: at least that record, never the earlier ones from before it.
    let since = try runProcess(
      ["store", "--backend", url, "load", entity, "--since", got[2].at], cwd: box.root)
    #expect(try lines(since.stdout).map(\.body).last == "ünïcødé")
    #expect(!(try lines(since.stdout)).map(\.body).contains("first") || got[0].at == got[2].at)
    let none = try runProcess(["store", "--backend", url, "load", "nobody"], cwd: box.root)
    #expect(none.code == 0 && none.stdout.isEmpty)
  }

  @Test func usageAndDataErrors() throws {
    let box = try Sandbox(copyShipped: false)
    let cases: [([String], Int32, String)] = [
      (["store", "--backend", "ftp://x", "load", "e"], 64, "unknown scheme 'ftp:'"),
      (["store", "--backend", "file:", "load", "e"], 64, "needs a directory"),
      (["store", "--backend", "file:s?layout=diagonal", "load", "e"], 64, "layout=diagonal"),
      (["store", "--backend", "memory:?x=1", "load", "e"], 64, "unknown parameter 'x'"),
      (["store", "load", "e"], 64, "Missing '--backend <url>'"),
      (
        ["store", "--backend", "memory:", "fetch", "e"], 64,
        "Expected 'append <entity>' or 'load <entity>'"
      ),
      (["store", "--backend", "memory:", "load"], 64, "Expected"),
      (["store", "--backend", "memory:", "load", "e", "--since", "yesterday"], 64, "--since"),
      (["store", "--backend", "memory:", "append", ""], 65, "entity id is empty"),
      (["store", "--backend", "file:/etc/passwd/x", "load", "e"], 74, "cannot"),
      (["store", "--backend", "file:/proc/costplan", "append", "e"], 74, "cannot"),
    ]
    for (args, code, text) in cases {
      let r = box.run(args)
      #expect(r.code == code, "\(args): \(r.code) \(r.stderr)")
      #expect(r.stderr.contains(text), "\(args): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(args)")
    }
  }

  @Test func corruptObjectIsExit65NamingTheFile() throws {
    let box = try Sandbox(copyShipped: false)
    #expect(box.run(["store", "--backend", "file:s", "append", "e"]).code == 0)
    try Data("CPS1 garbage".utf8).write(to: URL(fileURLWithPath: box.root + "/s/objects/e"))
    let r = box.run(["store", "--backend", "file:s", "load", "e"])
    #expect(r.code == 65 && r.stderr.contains("s/objects/e") && r.stderr.contains("corrupt"))
  }

  @Test func aFileSizeLimitIsAWriteErrorNotACrash() throws {
    // `ulimit -f 8` (8 × 512 bytes): writing a 16 KB record fails with EFBIG; costplan ignores SIGXFSZ, so it
    // reports the error (74) and the store keeps only what was acknowledged.
    let box = try Sandbox(copyShipped: false)
    let big = String(repeating: "x", count: 16_384)
    let r = try runProcess(
      ["store", "--backend", "file:s", "append", "e"], stdin: big, cwd: box.root,
      shell: "ulimit -f 8; exec")
    #expect(r.code == 74, "\(r.code) \(r.stderr)")
    #expect(r.stderr.contains("File too large"))
    let load = try runProcess(["store", "--backend", "file:s", "load", "e"], cwd: box.root)
    #expect(load.code == 0 && load.stdout.isEmpty)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: box.root + "/s/objects")
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func notUTF8OnStdinIsRefused() {
    let box = try! Sandbox(copyShipped: false)
    let captured = CapturedConsole()
    let code = CostPlan.run(
      ["store", "--backend", "file:" + box.root + "/s", "append", "e"], console: captured.console,
      stdin: { Data([0xff, 0xfe, 0x00]) })
    #expect(code == 65 && captured.stderr.contains("not UTF-8"))
  }
}

struct CrashTests {
  /// Appends in a loop from a shell, each record acknowledged by `costplan store append` exiting 0, and kills the
  /// whole process group with SIGKILL after a random delay, 25 times per layout. After each kill every
  /// acknowledged record must load, whole; no record may be torn; the store must keep working.
  @Test(arguments: ["object-per-entity", "object-per-record"])
  func killMinus9MidAppendLosesNothingAcknowledged(layout: String) throws {
    let box = try Sandbox(copyShipped: false)
    let url = "file:\(box.root)/s?layout=\(layout)"
    // Records of ~40 KB whose body says its own number and length, so a torn one cannot pass.
    let script = """
      i=$START
      while true; do
        i=$((i+1))
        { printf 'rec-%06d:' "$i"; head -c 40000 /dev/zero | tr '\\0' 'x'; printf ':end-%06d' "$i"; } | "$0" store --backend "$1" append e || exit 3
        echo "$i"
      done
      """
    var rng = SystemRandomNumberGenerator()
    var acknowledged: [Int] = []
    var next = 0
    for round in 0..<25 {
      let p = Process()
      // Foundation starts the child as the leader of its own process group: kill(-pid) reaches the shell and
      // the costplan it is running.
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = ["-c", script, costplanBinary, url]
      p.environment = ["START": String(next), "PATH": "/usr/bin:/bin"]
      let out = Pipe()
      p.standardOutput = out
      p.standardError = FileHandle.nullDevice
      try p.run()
      usleep(UInt32.random(in: 30_000...300_000, using: &rng))
      let pid = p.processIdentifier
      #expect(getpgid(pid) == pid, "the child must lead its own process group")
      kill(-pid, SIGKILL)
      p.waitUntilExit()
      let acks = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .split(separator: "\n").compactMap { Int($0) }
      acknowledged += acks
      // numbers of unacknowledged tries are never reused
      next = max(next, acks.last ?? next) + 1000 * (round + 1)
      let load = try runProcess(["store", "--backend", url, "load", "e"])
      #expect(load.code == 0, "round \(round): \(load.stderr)")
      var seen = Set<Int>()
      for line in load.stdout.split(separator: "\n") {
        let body = try #require(
          (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["body"]
            as? String)
        let n = try #require(
          Int(body.dropFirst(4).prefix(6)), "round \(round): torn record \(body.prefix(20))")
        #expect(
          body.count == 4 + 6 + 1 + 40_000 + 11 && body.hasSuffix(String(format: ":end-%06d", n)),
          "round \(round): torn record \(n)")
        seen.insert(n)
      }
      let missing = acknowledged.filter { !seen.contains($0) }
      #expect(missing.isEmpty, "round \(round): acknowledged but lost: \(missing)")
    }
    // Not vacuous: appends were acknowledged between the kills. (≥ 25 failed once at 24 and ≥ 10 at 9 on a busy
    // machine, where a debug `costplan store` takes longer to start than the shortest wait.)
    #expect(acknowledged.count >= 5, "the child should have acknowledged appends between kills")
  }
}

/// A backend URL that cannot be used is a usage error (64) that never prints its password: passwords holding
/// `/`, `#`, `?` or `@`, wrapped in `cache:`, or in a URL whose query repeats a parameter.
@Suite struct BackendSecretTests {
  @Test func usageErrorsNeverEchoThePassword() {
    let urls = [
      "postgres://u:SECRET/PW@127.0.0.1:1/db?bogus=1",
      "cache:postgres://u:SE#CRET@127.0.0.1:1/db?x=1",
      "redis://u:SEC?RET@127.0.0.1:1/0?nope=2",
      "postgres://u:SECRET@127.0.0.1:1/db?table=a&table=b",
      "cache:redis://u:SE@CRET@127.0.0.1:1/0?entities=x",
    ]
    for url in urls {
      for args in [
        ["store", "--backend", url, "load", "x"], ["bench", "--backend", url],
        ["validate", "--backend", url],
      ] {
        let r = runCLI(args)
        #expect(r.code == 64, "\(args): \(r.stderr)")
        #expect(!r.stderr.contains("SE") && !r.stdout.contains("SE"), "\(args): \(r.stderr)")
        #expect(r.stderr.contains(":***@"), "\(args): \(r.stderr)")
      }
    }
  }
}
