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
      return "DynamoDB on-demand, \(s.layout.rawValue)\(s.consistentReads ? ", strong reads" : "")\(s.pitr ? ", PITR" : "")"
    case .elasticache(let s):
      let engine = s.engine == .valkey ? "Valkey" : "Redis OSS"
      if s.mode == .serverless { return "ElastiCache Serverless (\(engine))" }
      return "ElastiCache \(s.nodeType) (\(engine))\(s.replicas > 0 ? ", \(s.replicas) replica\(s.replicas > 1 ? "s" : "")" : "")"
    case .aurora(let s):
      let floor = s.autoPause ? "0 ACU, auto-pause \(s.autoPauseMinutes) min" : "min \(s.minACU) ACU"
      return "Aurora Serverless v2 PostgreSQL, \(floor)\(s.ioOptimized ? ", I/O-Optimized" : "")"
    }
  }
}
