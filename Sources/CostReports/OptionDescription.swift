import CostModel
import Foundation

/// One-line descriptions of an option's configuration, for tables and reports (each service describes its own).
public enum OptionDescription {
  public static func describe(_ o: OptionSpec) -> String { o.model.describe(o) }
}
