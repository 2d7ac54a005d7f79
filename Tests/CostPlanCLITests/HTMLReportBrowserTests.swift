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
    let home = NSTemporaryDirectory() + "costplan-chromium-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: home) }
    return try runTool(
      binary,
      [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
        "--user-data-dir=\(home)", "--enable-logging=stderr", "--v=0",
      ] + args + [url])
  }
}

/// Runs a tool to its end and returns its stdout, stderr and exit status. In an explicit directory: the CLI tests
/// run in-process and change the process's directory to sandboxes they then delete, and a child started there
/// fails ("file doesn't exist") or cannot load its input.
func runTool(_ binary: String, _ args: [String]) throws -> (out: String, err: String, code: Int32) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: binary)
  p.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
  p.arguments = args
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (
    String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus
  )
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

  /// Printed to PDF (A4): the line items, collapsed on screen, are on paper, and no table is wide enough to make
  /// Chromium shrink the whole page to fit. Before: no line item was printed, and an infeasible option's reason
  /// in the never-wrapping score column shrank the chat report's text to 70% (word boxes 5.6 pt high, 8.0 pt at
  /// full size).
  @Test(.enabled(if: PDFText.usable, "pdftotext is not installed (apt-get install poppler-utils)"))
  func printedPageHoldsTheLineItemsAtFullSize() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    for name in ["conversation-history", "ops-review-results"] {
      let pdf = box.root + "/\(name).pdf"
      _ = try Chromium.run(
        ["--print-to-pdf=\(pdf)", "--no-pdf-header-footer"],
        url: "file://" + box.root + "/out/\(name).html")
      let text = try PDFText.text(pdf)
      #expect(text.contains("Rates used"), "\(name): \(text.prefix(300))")
      // A line item's component and its rate, inside a collapsed <details>.
      #expect(text.contains("PUT (one per record") || text.contains("PutItem"), "\(name)")
      #expect(text.contains("s3/requests-tier1"), "\(name)")
      // Shrinking scales every page alike: the document's median word is 8.0 pt high at full size.
      let heights = try PDFText.wordHeightsByPage(pdf).flatMap { $0 }.sorted()
      #expect(heights.count > 200)
      let median = heights.isEmpty ? 0 : heights[heights.count / 2]
      #expect(median > 7, "\(name): words \(median) pt high, shrunk to fit")
    }
  }
}

/// poppler's pdftotext, to read what a printed page says and how large its words are.
enum PDFText {
  static let binary = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var usable: Bool { binary != nil || Chromium.required }

  static func run(_ args: [String]) throws -> String {
    guard let binary else {
      throw CocoaError(
        .fileNoSuchFile,
        userInfo: [
          NSLocalizedDescriptionKey: "pdftotext is not installed (apt-get install poppler-utils)"
        ])
    }
    return try runTool(binary, args).out
  }

  /// The text with lines joined (a table cell wraps "s3/requests-" and "tier1" onto two lines).
  static func text(_ pdf: String) throws -> String {
    try run([pdf, "-"]).replacingOccurrences(of: "-\n", with: "-")
      .replacingOccurrences(of: "\n", with: " ")
  }

  /// Each page's word boxes' heights in points (`pdftotext -bbox`).
  static func wordHeightsByPage(_ pdf: String) throws -> [[Double]] {
    let xhtml = try run(["-bbox", pdf, "-"])
    return xhtml.components(separatedBy: "<page ").dropFirst().map { page in
      page.components(separatedBy: "<word ").dropFirst().compactMap { word -> Double? in
        func attribute(_ name: String) -> Double? {
          guard let r = word.range(of: name + "=\"") else { return nil }
          return Double(word[r.upperBound...].prefix { $0 != "\"" })
        }
        guard let y0 = attribute("yMin"), let y1 = attribute("yMax") else { return nil }
        return y1 - y0
      }
    }
  }
}
