import Foundation

/// A scenario with every option priced at every scale: what the renderers work from.
public struct ScenarioResult: Sendable {
  public var scenario: Scenario
  public var book: RateBook
  public var scales: [Decimal]
  /// `estimates[i][j]`: scale i, option j (scenario order).
  public var estimates: [[OptionEstimate]]

  public init(scenario: Scenario, book: RateBook, scales: [Decimal]? = nil) throws(DataError) {
    self.scenario = scenario
    self.book = book
    self.scales = scales ?? scenario.scales
    self.estimates = try Estimator(scenario: scenario, book: book).estimateAll(scales: self.scales)
  }

  /// Every rate the estimates used, sorted by reference, for the sources table.
  public var ratesUsed: [(ref: String, rate: Rate)] {
    var seen = Set<String>()
    var out: [(String, Rate)] = []
    for row in estimates {
      for e in row {
        for l in e.lines where !seen.contains(l.rateRef) {
          seen.insert(l.rateRef)
          let parts = l.rateRef.split(separator: "/", maxSplits: 1).map(String.init)
          if let rate = book.rate(parts[0], parts[1]) { out.append((l.rateRef, rate)) }
        }
      }
    }
    return out.sorted { $0.0 < $1.0 }
  }
}
