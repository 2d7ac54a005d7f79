import Foundation

/// The categorical criteria of the decision matrix (docs/model.md §6), from each service's fixed traits.
public enum OptionTraits {
  /// System of record 1, volatile 0. A single ElastiCache node loses its data when the node fails.
  public static func durability(_ o: OptionSpec) -> Double { o.model.traits(o).durability }

  public static func durabilityLabel(_ o: OptionSpec) -> String {
    durability(o) == 1 ? "system of record" : "volatile"
  }

  /// Native 1 (DynamoDB TTL, Redis/Valkey EXPIRE), lifecycle 0.75 (S3), manual 0.25 (Aurora sweeper job).
  public static func ttl(_ o: OptionSpec) -> Double { o.model.traits(o).ttl }

  public static func ttlLabel(_ o: OptionSpec) -> String {
    switch ttl(o) {
    case 1: return "native"
    case 0.75: return "lifecycle"
    default: return "manual"
    }
  }

  /// Setup and upkeep: S3 1, DynamoDB 0.9, S3 + cache 0.7, ElastiCache 0.4, Aurora 0.3.
  public static func operations(_ o: OptionSpec) -> Double { o.model.traits(o).operations }
}
