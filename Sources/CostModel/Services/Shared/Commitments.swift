import Foundation

// Commitments shared by DynamoDB, ElastiCache and Aurora (docs/model.md §3.2, §3.3, §3.6).

/// A commitment term: 1 or 3 years.
public enum CommitmentTerm: String, Sendable, CaseIterable {
  case oneYear = "1y"
  case threeYears = "3y"
  public var years: Int { self == .oneYear ? 1 : 3 }
}

/// Database Savings Plans (docs/model.md §3.6): `coverage` of each eligible line's billable quantity is billed
/// at the rate's price × (1 − savingsPlanDiscount).
public struct SavingsPlanSpec: Sendable {
  public var coverage: Decimal
}

extension SavingsPlanSpec {
  /// `savingsPlan {coverage}`: 0 < coverage ≤ 1.
  static func parse(_ r: JSONObjectReader) throws(DataError) -> SavingsPlanSpec? {
    guard let n = r.node("savingsPlan") else { return nil }
    let p = try JSONObjectReader(n, file: r.file, path: r.childPath("savingsPlan"))
    let c = try p.decimal("coverage", .fraction)
    if c == 0 {
      throw p.error(
        "coverage",
        "expected a fraction above 0 and at most 1 (the share of eligible usage the plan covers), found 0",
        at: p.node("coverage"))
    }
    try p.finish(allowed: ["coverage"])
    return SavingsPlanSpec(coverage: c)
  }

  static func describe(_ o: OptionSpec) -> String {
    o.savingsPlan.map { ", Database Savings Plan covering \($0.coverage * 100)%" } ?? ""
  }
}
