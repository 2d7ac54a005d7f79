import CostModel
import Foundation

/// The recommendation's sentence: the model gives the option, its score and strengths with their figures.
extension DecisionReason {
  /// The sentence, with each option id passed through `id` (backticks for Markdown, `<code>` for HTML, as is
  /// for the terminal and JSON).
  public func text(id: (String) -> String) -> String {
    guard let option else { return "No option is feasible at this scale." }
    let parts = strengths.map { s -> String in
      switch s {
      case .cheapest(let m): return "the cheapest at \(MoneyFormat.usd(m)) a month"
      case .fastestReads(let p): return "the fastest reads (p99 \(LatencyFormat.ms(p)))"
      case .fastestWrites(let p): return "the fastest writes (p99 \(LatencyFormat.ms(p)))"
      case .durable: return "a durable system of record"
      case .nativeExpiry: return "native expiry"
      case .leastToOperate: return "the least to operate"
      }
    }
    var s =
      "\(id(option)) has the best weighted score (\(LatencyFormat.fixed(score, 3))) of \(feasibleCount) feasible option\(feasibleCount == 1 ? "" : "s")"
    if !parts.isEmpty {
      s += ": " + parts.joined(separator: ", ")
    } else {
      s += " at \(MoneyFormat.usd(monthly)) a month"
      if let r = readP99Ms { s += " with read p99 \(LatencyFormat.ms(r))" }
    }
    return s + "."
  }

  /// Markdown: ids in backticks.
  public var markdown: String { text { "`\($0)`" } }
  /// Plain text: ids as they are (terminal, JSON).
  public var plain: String { text { $0 } }
}

extension ScaleDecision {
  /// The recommendation's sentence in Markdown (ids in backticks).
  public var reason: String { why.markdown }
}
