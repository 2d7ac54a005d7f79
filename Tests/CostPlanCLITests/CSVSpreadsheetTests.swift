import Foundation
import Testing

/// The CSV files in a real LibreOffice: each file is converted headless to a flat OpenDocument spreadsheet, and
/// every number column must come through as a number (not text) with the value the CSV holds. Without
/// LibreOffice the suite is skipped with the reason, unless `COSTPLAN_REQUIRE_SERVERS=1` (CI), where it fails.
enum LibreOffice {
  static let binary: String? = [
    "/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice",
  ].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var usable: Bool { binary != nil || Chromium.required }

  /// Converts `files` to .fods in `outDir` with a throwaway profile; returns what soffice printed.
  static func convert(_ files: [String], outDir: String) throws -> String {
    guard let binary else {
      throw CocoaError(
        .fileNoSuchFile,
        userInfo: [
          NSLocalizedDescriptionKey:
            "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
        ])
    }
    let profile = NSTemporaryDirectory() + "costplan-lo-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: profile) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    // An explicit directory: the CLI tests run in-process and change the process's directory to sandboxes they
    // then delete, and a child started there fails ("file doesn't exist") or cannot load its input.
    p.currentDirectoryURL = URL(fileURLWithPath: outDir)
    // CSV import: comma separator (44), double-quote text delimiter (34), UTF-8 (76), from line 1.
    p.arguments =
      [
        "--headless", "--norestore", "-env:UserInstallation=file://\(profile)",
        "--infilter=CSV:44,34,76,1",
        "--convert-to", "fods", "--outdir", outDir,
      ] + files
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: o, as: UTF8.self)
  }

  struct Cell {
    var type: String
    var value: String?
  }

  /// The cells of each row of the first table, with repeated cells expanded (trailing empty ones dropped).
  static func rows(fods: String) -> [[Cell]] {
    var rows: [[Cell]] = []
    for rowText in fods.components(separatedBy: "<table:table-row").dropFirst() {
      let body = rowText.components(separatedBy: "</table:table-row>")[0]
      var cells: [Cell] = []
      for piece in body.components(separatedBy: "<table:table-cell").dropFirst() {
        let tag = String(piece.prefix { $0 != ">" })
        let repeated = attribute("table:number-columns-repeated", in: tag).flatMap { Int($0) } ?? 1
        let cell = Cell(
          type: attribute("office:value-type", in: tag) ?? "empty",
          value: attribute("office:value", in: tag))
        cells += Array(repeating: cell, count: min(repeated, 64))
      }
      while cells.last?.type == "empty" { cells.removeLast() }
      rows.append(cells)
    }
    return rows
  }

  static func attribute(_ name: String, in tag: String) -> String? {
    guard let r = tag.range(of: " \(name)=\"") else { return nil }
    return String(tag[r.upperBound...].prefix { $0 != "\"" })
  }
}

@Suite(
  .serialized,
  .enabled(
    if: LibreOffice.usable, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
)
struct CSVSpreadsheetTests {
  /// The columns that hold numbers, per file kind.
  static let numeric: Set<String> = [
    "scale", "quantity", "unit_price_usd", "monthly_cost_usd", "monthly_cost_usd_cents",
    "rate_price_usd", "rate_per",
    "read_p50_ms", "read_p99_ms", "write_p50_ms", "write_p99_ms", "score", "rank", "cost_p10_usd",
    "cost_p50_usd",
    "cost_p90_usd", "win_probability", "records_per_month",
  ]

  @Test func everyNumberOfEveryReportCSVOpensAsANumber() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    let be = box.run(["breakeven", "--scenario", "conversation-history", "--format", "csv"])
    #expect(be.code == 0)
    try be.stdout.write(toFile: box.root + "/out/breakeven.csv", atomically: true, encoding: .utf8)
    let names = [
      "conversation-history.csv", "ops-review-results.csv", "summary.csv", "breakeven.csv",
    ]
    let converted = box.root + "/converted"
    var log = try LibreOffice.convert(names.map { box.root + "/out/" + $0 }, outDir: converted)
    // A first start of LibreOffice on a loaded machine sometimes reports "source file could not be loaded";
    // the files that did not come through get a second and third try.
    for _ in 0..<2 {
      let missing = names.filter {
        !box.exists("converted/" + $0.replacingOccurrences(of: ".csv", with: ".fods"))
      }
      if missing.isEmpty { break }
      log += try LibreOffice.convert(missing.map { box.root + "/out/" + $0 }, outDir: converted)
    }
    var checked = 0
    for name in names {
      let csv = try #require(box.read("out/" + name))
      // ASCII only: no encoding guess can garble it.
      #expect(csv.utf8.allSatisfy { $0 < 0x80 }, "\(name) is not ASCII")
      let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
        Self.fields)
      let header = lines[0]
      let fods = try #require(
        box.read("converted/" + name.replacingOccurrences(of: ".csv", with: ".fods")), "\(log)")
      let sheet = LibreOffice.rows(fods: fods)
      #expect(
        sheet.count >= lines.count,
        "\(name): \(sheet.count) rows in the spreadsheet for \(lines.count) lines")
      for (i, fields) in lines.enumerated().dropFirst() where i < sheet.count {
        for (j, column) in header.enumerated()
        where Self.numeric.contains(column) && j < fields.count && !fields[j].isEmpty {
          let cell = j < sheet[i].count ? sheet[i][j] : LibreOffice.Cell(type: "empty", value: nil)
          #expect(
            cell.type == "float",
            "\(name) line \(i + 1) \(column) = \(fields[j]) opened as \(cell.type)")
          // The spreadsheet's value is the CSV's (a Double holds 15 digits; the CSV has at most 10 decimals).
          if let v = cell.value.flatMap(Double.init), let want = Double(fields[j]) {
            #expect(
              Swift.abs(v - want) <= 1e-12 + 1e-12 * Swift.abs(want),
              "\(name) line \(i + 1) \(column): \(v) for \(fields[j])")
          }
          checked += 1
        }
      }
    }
    #expect(checked > 2000, "\(checked) numeric cells checked")
  }

  /// RFC 4180 fields of one line (quotes doubled inside quoted fields).
  static func fields(_ line: Substring) -> [String] {
    var out: [String] = []
    var cur = ""
    var quoted = false
    var i = line.startIndex
    while i < line.endIndex {
      let c = line[i]
      if quoted {
        if c == "\"" {
          let n = line.index(after: i)
          if n < line.endIndex && line[n] == "\"" {
            cur.append("\"")
            i = n
          } else {
            quoted = false
          }
        } else {
          cur.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        out.append(cur)
        cur = ""
      } else {
        cur.append(c)
      }
      i = line.index(after: i)
    }
    out.append(cur)
    return out
  }
}

/// The line items of an option add up to the total that summary.csv gives it (each CSV number is rounded to
/// 10 decimals from the exact value, so they agree within n × 5e-11).
struct CSVTotalsAgreeTests {
  @Test func lineItemsAddUpToTheSummary() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    var sums: [String: (Decimal, Int)] = [:]
    for name in ["conversation-history.csv", "ops-review-results.csv"] {
      let lines = try #require(box.read("out/" + name)).split(separator: "\n").map(
        CSVSpreadsheetTests.fields)
      let h = lines[0]
      let s = try #require(h.firstIndex(of: "scenario"))
      let sc = try #require(h.firstIndex(of: "scale"))
      let o = try #require(h.firstIndex(of: "option"))
      let c = try #require(h.firstIndex(of: "monthly_cost_usd"))
      for f in lines.dropFirst() {
        let key = "\(f[s])|\(f[sc])|\(f[o])"
        let (sum, n) = sums[key] ?? (0, 0)
        sums[key] = (sum + Decimal(string: f[c])!, n + 1)
      }
    }
    let summary = try #require(box.read("out/summary.csv")).split(separator: "\n").map(
      CSVSpreadsheetTests.fields)
    let h = summary[0]
    let s = try #require(h.firstIndex(of: "scenario"))
    let sc = try #require(h.firstIndex(of: "scale"))
    let o = try #require(h.firstIndex(of: "option"))
    let c = try #require(h.firstIndex(of: "monthly_cost_usd"))
    let cents = try #require(h.firstIndex(of: "monthly_cost_usd_cents"))
    #expect(summary.count > 50)
    for f in summary.dropFirst() {
      let (sum, n) = try #require(
        sums["\(f[s])|\(f[sc])|\(f[o])"], "\(f[o]) at \(f[sc]) has no line items")
      let total = Decimal(string: f[c])!
      let gap = (sum - total).magnitude
      #expect(
        gap <= Decimal(n + 1) * Decimal(string: "5e-11")!,
        "\(f[o]) at \(f[sc])×: lines \(sum), summary \(total)")
      // The cents column is the total to 2 decimals.
      #expect((Decimal(string: f[cents])! - total).magnitude <= Decimal(string: "0.005")!)
    }
  }
}
