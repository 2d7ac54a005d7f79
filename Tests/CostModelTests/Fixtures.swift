import Foundation
import Testing

@testable import CostModel
@testable import CostReports

/// Test rate tables with distinct, round prices so expected numbers can be worked by hand.
enum Fixtures {
  static let s3 = """
    {"version":1,"provider":"aws","service":"s3","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
     "rates":[
      {"id":"storage-standard","unit":"GB-month","tiers":[{"upTo":1,"price":0.03},{"upTo":3,"price":0.02},{"price":0.01}]},
      {"id":"requests-tier1","unit":"request","price":5,"per":1000},
      {"id":"requests-tier2","unit":"request","price":0.4,"per":1000},
      {"id":"storage-standard-ia","unit":"GB-month","price":0.0125},
      {"id":"storage-glacier-ir","unit":"GB-month","price":0.004},
      {"id":"storage-glacier-flexible","unit":"GB-month","price":0.0036},
      {"id":"storage-glacier-deep-archive","unit":"GB-month","price":0.001},
      {"id":"requests-standard-ia","unit":"request","price":10,"per":1000},
      {"id":"requests-glacier-ir","unit":"request","price":20,"per":1000},
      {"id":"requests-glacier-flexible","unit":"request","price":30,"per":1000},
      {"id":"requests-glacier-deep-archive","unit":"request","price":50,"per":1000}]}
    """
  static let dynamodb = """
    {"version":1,"provider":"aws","service":"dynamodb","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
     "rates":[
      {"id":"write-request-unit","unit":"WRU","price":1,"per":1000},
      {"id":"read-request-unit","unit":"RRU","price":0.2,"per":1000},
      {"id":"storage","unit":"GB-month","price":0.25,"freeQuantity":25},
      {"id":"pitr-storage","unit":"GB-month","price":0.2},
      {"id":"wcu-hour","unit":"WCU-hour","price":0.00065,"freeQuantity":18250,"attributes":{"savingsPlanDiscount":0.12}},
      {"id":"rcu-hour","unit":"RCU-hour","price":0.00013,"freeQuantity":18250,"attributes":{"savingsPlanDiscount":0.12}},
      {"id":"write-request-unit-standard-ia","unit":"WRU","price":1.25,"per":1000},
      {"id":"read-request-unit-standard-ia","unit":"RRU","price":0.25,"per":1000},
      {"id":"storage-standard-ia","unit":"GB-month","price":0.1},
      {"id":"pitr-storage-standard-ia","unit":"GB-month","price":0.2},
      {"id":"wcu-hour-standard-ia","unit":"WCU-hour","price":0.00081},
      {"id":"rcu-hour-standard-ia","unit":"RCU-hour","price":0.00016},
      {"id":"reserved-wcu-100:1y","unit":"hour","price":0.0128},
      {"id":"reserved-wcu-100:1y-upfront","unit":"100 WCU-term","price":150},
      {"id":"reserved-rcu-100:1y","unit":"hour","price":0.0025},
      {"id":"reserved-rcu-100:1y-upfront","unit":"100 RCU-term","price":30},
      {"id":"reserved-wcu-100:3y","unit":"hour","price":0.0081},
      {"id":"reserved-wcu-100:3y-upfront","unit":"100 WCU-term","price":180},
      {"id":"reserved-rcu-100:3y","unit":"hour","price":0.0016},
      {"id":"reserved-rcu-100:3y-upfront","unit":"100 RCU-term","price":36}]}
    """
  static let elasticache = """
    {"version":1,"provider":"aws","service":"elasticache","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
     "rates":[
      {"id":"node:small:valkey","unit":"hour","price":0.01,"attributes":{"memoryGiB":1}},
      {"id":"node:medium:valkey","unit":"hour","price":0.03,"attributes":{"memoryGiB":4}},
      {"id":"node:large:valkey","unit":"hour","price":0.1,"attributes":{"memoryGiB":16,"savingsPlanDiscount":0.2}},
      {"id":"node-reserved:small:valkey:1y:partial-upfront","unit":"hour","price":0.004},
      {"id":"node-reserved-upfront:small:valkey:1y:partial-upfront","unit":"node-term","price":36},
      {"id":"node-reserved:medium:valkey:1y:partial-upfront","unit":"hour","price":0.01},
      {"id":"node-reserved-upfront:medium:valkey:1y:partial-upfront","unit":"node-term","price":120},
      {"id":"node:small:redis","unit":"hour","price":0.02,"attributes":{"memoryGiB":1}},
      {"id":"serverless-storage:valkey","unit":"GB-hour","price":0.1,"minimumQuantity":0.1},
      {"id":"serverless-ecpu:valkey","unit":"ECPU","price":2,"per":1000000},
      {"id":"serverless-storage:redis","unit":"GB-hour","price":0.125,"minimumQuantity":1},
      {"id":"serverless-ecpu:redis","unit":"ECPU","price":3,"per":1000000}]}
    """
  static let aurora = """
    {"version":1,"provider":"aws","service":"aurora","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
     "rates":[
      {"id":"acu-hour","unit":"ACU-hour","price":0.12,"attributes":{"savingsPlanDiscount":0.35}},
      {"id":"acu-hour-io-optimized","unit":"ACU-hour","price":0.16},
      {"id":"storage","unit":"GB-month","price":0.1},
      {"id":"storage-io-optimized","unit":"GB-month","price":0.225},
      {"id":"io-request","unit":"I/O","price":0.2,"per":1000000},
      {"id":"backup-storage","unit":"GB-month","price":0.021}]}
    """
  static let lambda = """
    {"version":1,"provider":"aws","service":"lambda","region":"test-1","currency":"USD","effectiveDate":"2026-01-01","source":"test",
     "rates":[
      {"id":"request","unit":"request","price":0.2,"per":1000000},
      {"id":"gb-second","unit":"GB-second","freeQuantity":50,"tiers":[{"upTo":100,"price":0.01},{"price":0.005}]},
      {"id":"gb-second-arm","unit":"GB-second","price":0.008}]}
    """

  static func table(_ json: String, _ service: String) throws -> RateTable {
    try RateTable.parse(
      try JSONParser.parse(Data(json.utf8), file: "\(service).json"), file: "\(service).json",
      expectedService: service)
  }

  static func book(replacing: String? = nil, with replacement: String = "") throws -> RateBook {
    var tables: [String: RateTable] = [:]
    for (json, service) in [
      (s3, "s3"), (dynamodb, "dynamodb"), (elasticache, "elasticache"), (aurora, "aurora"),
      (lambda, "lambda"),
    ] {
      tables[service] = try table(service == replacing ? replacement : json, service)
    }
    return RateBook(
      provider: "aws", region: "test-1", directory: "pricing/aws/test-1", tables: tables)
  }

  /// A scenario with the given workload fields and one option.
  static func scenario(workload: String, option: String, horizon: Int = 12) throws -> Scenario {
    let json = """
      {"version":1,"name":"t","provider":"aws","region":"test-1","scales":[1],"horizonMonths":\(horizon),
       "workload":{\(workload)},"options":[\(option)]}
      """
    return try Scenario.parse(try JSONParser.parse(Data(json.utf8), file: "t.json"), file: "t.json")
  }

  static func estimate(workload: String, option: String, scale: Decimal = 1, horizon: Int = 12)
    throws -> OptionEstimate
  {
    let s = try scenario(workload: workload, option: option, horizon: horizon)
    return try Estimator(scenario: s, book: try book()).estimate(s.options[0], scale: scale)
  }

  static func d(_ s: String) -> Decimal { Decimal(string: s)! }
}

extension OptionEstimate {
  /// The line for a rate reference (the only one, or the tier given).
  func line(_ ref: String, tier: Int = 0) -> CostLine? {
    lines.filter { $0.rateRef == ref }.dropFirst(tier).first
  }
  func quantity(_ ref: String) -> Decimal {
    lines.filter { $0.rateRef == ref }.reduce(0) { $0 + $1.quantity }
  }
  func cost(_ ref: String) -> Decimal {
    lines.filter { $0.rateRef == ref }.reduce(0) { $0 + $1.cost }
  }
}

/// |a − b| ≤ tolerance × |b| (for figures that pass through a repeating decimal).
func close(_ a: Decimal, _ b: Decimal, _ tolerance: Decimal = Decimal(string: "1e-30")!) -> Bool {
  let diff = (a - b).magnitude
  return diff <= tolerance * Swift.max(b.magnitude, 1)
}
