import Foundation

/// The categorical criteria of the decision matrix (docs/model.md §6), from a fixed table.
public enum OptionTraits {
  /// System of record 1, volatile 0. A single ElastiCache node loses its data when the node fails.
  public static func durability(_ o: OptionSpec) -> Double {
    if case .elasticache(let s) = o.settings, s.mode == .node, s.replicas == 0 { return 0 }
    return 1
  }

  public static func durabilityLabel(_ o: OptionSpec) -> String { durability(o) == 1 ? "system of record" : "volatile" }

  /// Native 1 (DynamoDB TTL, Redis/Valkey EXPIRE), lifecycle 0.75 (S3), manual 0.25 (Aurora sweeper job).
  public static func ttl(_ o: OptionSpec) -> Double {
    switch o.settings {
    case .s3: return 0.75
    case .dynamodb, .elasticache: return 1
    case .aurora: return 0.25
    }
  }

  public static func ttlLabel(_ o: OptionSpec) -> String {
    switch ttl(o) { case 1: return "native"; case 0.75: return "lifecycle"; default: return "manual" }
  }

  /// Setup and upkeep: S3 1, DynamoDB 0.9, S3 + cache 0.7, ElastiCache 0.4, Aurora 0.3.
  public static func operations(_ o: OptionSpec) -> Double {
    switch o.settings {
    case .s3(let s): return s.cache == nil ? 1 : 0.7
    case .dynamodb: return 0.9
    case .elasticache: return 0.4
    case .aurora: return 0.3
    }
  }
}
