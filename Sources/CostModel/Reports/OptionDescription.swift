import Foundation

/// One-line descriptions of an option's configuration, for tables and reports.
public enum OptionDescription {
  public static func describe(_ o: OptionSpec) -> String {
    switch o.settings {
    case .s3(let s):
      var d = "S3 Standard, \(s.layout.rawValue)"
      if let c = s.cache {
        switch c.model {
        case .fixed(let h): d += ", in-process cache (hit ratio \(h))"
        case .lambdaFleet: d += ", in-process cache (lambda-fleet model)"
        }
      }
      return d
    case .dynamodb(let s):
      var d = "DynamoDB "
      if s.capacity == .onDemand {
        d += "on-demand"
      } else {
        d += "provisioned (auto scaling at \(s.targetUtilization * 100)%"
        var reserved: [String] = []
        if s.reservedWCU > 0 { reserved.append("\(s.reservedWCU) WCU") }
        if s.reservedRCU > 0 { reserved.append("\(s.reservedRCU) RCU") }
        if !reserved.isEmpty { d += ", \(reserved.joined(separator: " + ")) reserved \(s.reservedTerm.rawValue)" }
        d += ")"
      }
      if s.tableClass == .standardIA { d += ", Standard-IA" }
      return d + ", \(s.layout.rawValue)\(s.consistentReads ? ", strong reads" : "")\(s.pitr ? ", PITR" : "")" + plan(o)
    case .elasticache(let s):
      let engine = s.engine == .valkey ? "Valkey" : "Redis OSS"
      if s.mode == .serverless { return "ElastiCache Serverless (\(engine))" }
      var d = "ElastiCache \(s.nodeType) (\(engine))"
      if let n = s.shards { if n > 1 { d += ", \(n) shards" } } else { d += ", shards auto" }
      if s.replicas > 0 { d += ", \(s.replicas) replica\(s.replicas > 1 ? "s" : "")\(s.shards == 1 ? "" : " per shard")" }
      if let r = s.reservation { d += ", reserved \(r.term.rawValue) \(r.payment.rawValue)" }
      return d + plan(o)
    case .aurora(let s):
      let floor = s.autoPause ? "0 ACU, auto-pause \(s.autoPauseMinutes) min" : "min \(s.minACU) ACU"
      let readers = s.readers > 0 ? ", \(s.readers) reader\(s.readers > 1 ? "s" : "")" : ""
      return "Aurora Serverless v2 PostgreSQL, \(floor)\(s.ioOptimized ? ", I/O-Optimized" : "")\(readers)" + plan(o)
    }
  }

  static func plan(_ o: OptionSpec) -> String {
    o.savingsPlan.map { ", Database Savings Plan covering \($0.coverage * 100)%" } ?? ""
  }
}
