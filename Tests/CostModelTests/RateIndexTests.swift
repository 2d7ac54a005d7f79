import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// The pricers' rate lookup (RateIndex): every rate of every table is found by service and id, nothing else is,
/// and a duplicated id resolves to its first rate as the dictionary it replaced did.
struct RateIndexTests {
  @Test func findsEveryRateAndNothingElse() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().path
    let book = try RateBook.load(
      pricingRoot: root + "/pricing", provider: "aws", region: "us-east-1")
    var count = 0
    for (service, table) in book.tables {
      for r in table.rates {
        #expect(book.rate(service, r.id) === r, "\(service)/\(r.id)")
        count += 1
      }
      #expect(book.rate(service, "no-such-rate") == nil)
      #expect(book.rate(service + "x", table.rates[0].id) == nil)
    }
    #expect(count > 800)
    // A service and id that concatenate to the same text are different keys.
    #expect(book.rate("s3/", "storage-standard") == nil)
    #expect(book.rate("", "") == nil)
  }

  @Test func aDuplicateIdResolvesToItsFirstRate() throws {
    let a = Rate(
      id: "x", description: nil, unit: "u", price: 1, tiers: nil, per: 1, freeQuantity: nil,
      minimumQuantity: nil,
      attributes: [], source: "s", effectiveDate: "2026-01-01", file: "f", position: nil)
    let b = Rate(
      id: "x", description: nil, unit: "u", price: 2, tiers: nil, per: 1, freeQuantity: nil,
      minimumQuantity: nil,
      attributes: [], source: "s", effectiveDate: "2026-01-01", file: "f", position: nil)
    let t = RateTable(
      provider: "aws", service: "t", region: "r", currency: "USD", effectiveDate: "2026-01-01",
      source: "s",
      rates: [a, b], file: "f")
    let index = RateIndex(["t": t])
    #expect(index.rate("t", "x") === a)
  }
}
