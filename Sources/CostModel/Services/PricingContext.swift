import Foundation

/// What one option's pricer works on and produces at one scale.
struct PricingContext {
  let workload: DerivedWorkload
  let book: RateBook
  var lines = LineBuilder()
  var infeasibleReasons: [String] = []
  var warnings: [String] = []
  /// Facts worth showing beside the bill (node chosen, hit ratio, ACU), in order.
  var details: [String] = []
  /// Figures the latency model needs.
  var facts = OptionFacts()

  init(workload: DerivedWorkload, book: RateBook) {
    self.workload = workload
    self.book = book
  }

  /// A rate that must exist now (to read its attributes, not just to price it).
  func rate(_ service: String, _ id: String) throws(MissingRate) -> Rate {
    guard let r = book.rate(service, id) else { throw MissingRate(service: service, id: id) }
    return r
  }
}

/// Per-option figures that the latency model and the decision matrix use.
public struct OptionFacts: Sendable {
  /// Cache hit ratio h (S3 + cache).
  public var hitRatio: Decimal?
  /// Probability a session finds an auto-paused Aurora cluster paused.
  public var pausedProbability: Double?
  /// ElastiCache node type priced.
  public var nodeType: String?
  /// Aurora capacity while active.
  public var acu: Decimal?
  public init() {}
}

/// Formats a quantity for a detail line: up to 4 significant digits, plain.
func brief(_ d: Decimal) -> String { MoneyFormat.significant(d, digits: 4) }
