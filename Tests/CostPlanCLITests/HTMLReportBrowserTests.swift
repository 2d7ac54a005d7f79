import Foundation
import Testing

/// The HTML report in a real headless Chromium: it loads with no console error, its DOM holds the recommendation
/// and every option, and a screenshot is not blank. Without Chromium the suite is skipped with the reason, unless
/// `COSTPLAN_REQUIRE_SERVERS=1` (CI), where a missing browser fails it.
enum Chromium {
  static let required = ProcessInfo.processInfo.environment["COSTPLAN_REQUIRE_SERVERS"] == "1"
  static let binary: String? = [
    "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
  ].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var usable: Bool { binary != nil || required }

  /// Runs Chromium headless on `url` with `args`; returns stdout and stderr.
  static func run(_ args: [String], url: String) throws -> (out: String, err: String, code: Int32) {
    guard let binary else {
      throw CocoaError(
        .fileNoSuchFile,
        userInfo: [
          NSLocalizedDescriptionKey: "Chromium is not installed (apt-get install chromium)"
        ])
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    // An explicit directory: the CLI tests run in-process and change the process's directory to sandboxes they
    // then delete, and a child started there fails ("file doesn't exist") or cannot load its input.
    p.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
    let home = NSTemporaryDirectory() + "costplan-chromium-" + UUID().uuidString
    p.arguments =
      [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
        "--user-data-dir=\(home)", "--enable-logging=stderr", "--v=0",
      ] + args + [url]
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try? FileManager.default.removeItem(atPath: home)
    return (
      String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus
    )
  }
}

@Suite(
  .serialized, .enabled(if: Chromium.usable, "Chromium is not installed (apt-get install chromium)")
)
struct HTMLReportBrowserTests {
  @Test func pageLoadsWithEveryOptionAndTheRecommendation() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    let page = box.root + "/out/conversation-history.html"
    let html = try #require(box.read("out/conversation-history.html"))
    // Self-contained: nothing is fetched.
    #expect(
      !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link"))

    let dom = try Chromium.run(["--dump-dom", "--virtual-time-budget=2000"], url: "file://" + page)
    #expect(dom.out.contains("id=\"recommendation\""), "\(dom.err.suffix(2000))")
    for id in [
      "s3", "dynamodb", "dynamodb-provisioned", "dynamodb-reserved", "dynamodb-savings-plan",
      "elasticache-cluster",
      "elasticache-reserved", "elasticache-serverless", "aurora", "aurora-reader",
      "aurora-autopause",
    ] {
      #expect(dom.out.contains("<code>\(id)</code>"), "\(id)")
    }
    #expect(dom.out.contains("has the best weighted score"))
    #expect(dom.out.contains("<svg"))
    // No console message at all (an error logs `INFO:CONSOLE:1] "Uncaught …"` on stderr with --enable-logging).
    let consoleErrors = dom.err.split(separator: "\n").filter { $0.contains(":CONSOLE") }
    #expect(consoleErrors.isEmpty, "\(consoleErrors)")

    // A screenshot that is not blank: a white page compresses to a few KB; this one holds tables and a chart.
    let png = box.root + "/shot.png"
    _ = try Chromium.run(
      ["--screenshot=\(png)", "--window-size=1280,2000", "--hide-scrollbars"], url: "file://" + page
    )
    let size =
      (try FileManager.default.attributesOfItem(atPath: png)[.size] as? NSNumber)?.intValue ?? 0
    #expect(size > 50_000, "screenshot of \(size) bytes")
  }
}
