import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// docs/formats.md "CSV for spreadsheets": ASCII text, at most 10 decimals, cents, no exponent.
struct CSVFormatTests {
  @Test func textIsASCII() {
    #expect(CSVWriter.ascii("2 × cache.t4g.small") == "2 x cache.t4g.small")
    #expect(CSVWriter.ascii("≥ 99.9% — p99 ≤ 5 ms") == ">= 99.9% - p99 <= 5 ms")
    #expect(CSVWriter.ascii("Café Zürich") == "Cafe Zurich")
    #expect(CSVWriter.ascii("日本") == "??")
    #expect(CSVWriter.ascii("plain") == "plain")
    var w = CSVWriter(header: ["a", "b"])
    w.row(["x, “quoted”", "1 × 2"])
    #expect(w.text == "a,b\n\"x, \"\"quoted\"\"\",1 x 2\n")
  }

  @Test func numbersHaveAtMostTenDecimals() {
    // 1000 / 3 = 333.3333333333|3333… → 10 decimals, the 11th digit (3) rounds down.
    let third = Decimal(1000) / Decimal(3)
    #expect(CSVNumber.decimal(third) == "333.3333333333")
    // 2/3 = 0.6666666666|66… → the 11th digit 6 rounds the 10th up.
    #expect(CSVNumber.decimal(Decimal(2) / Decimal(3)) == "0.6666666667")
    // Half away from zero at the 11th decimal: 0.00000000005 → 0.0000000001; -0.00000000005 → -0.0000000001.
    #expect(CSVNumber.decimal(Decimal(string: "0.00000000005")!) == "0.0000000001")
    #expect(CSVNumber.decimal(Decimal(string: "-0.00000000005")!) == "-0.0000000001")
    // Below half a unit of the 10th decimal: 0, not -0 or 0E-10.
    #expect(CSVNumber.decimal(Decimal(string: "0.00000000004")!) == "0")
    #expect(CSVNumber.decimal(Decimal(string: "-0.00000000004")!) == "0")
    // Trailing zeros dropped, integers plain, large values without an exponent.
    #expect(CSVNumber.decimal(Decimal(string: "12.5000")!) == "12.5")
    #expect(CSVNumber.decimal(Decimal(string: "1e12")!) == "1000000000000")
    #expect(CSVNumber.decimal(Decimal(string: "0.000000625")!) == "0.000000625")
  }

  @Test func centsAndDoubles() {
    // 12.305 → 12.31 (half away from zero); 12.30 → 12.3 (trailing zero dropped); 0.004 → 0.
    #expect(CSVNumber.cents(Decimal(string: "12.305")!) == "12.31")
    #expect(CSVNumber.cents(Decimal(string: "12.30")!) == "12.3")
    #expect(CSVNumber.cents(Decimal(string: "0.004")!) == "0")
    #expect(CSVNumber.cents(Decimal(string: "1234567.891")!) == "1234567.89")
    // %.6g of 10^6 is "1e+06": the CSV says 1000000.
    #expect(CSVNumber.double(1_000_000, significant: 6) == "1000000")
    #expect(CSVNumber.double(0.0123456789, significant: 6) == "0.0123457")
    #expect(CSVNumber.double(.nan, significant: 6) == "")
  }
}
