import CostModel
import Foundation

extension CheapestIntervals {
  /// "`dynamodb` is cheapest below 3.41× and between 12.2× and 40.1×", one sentence per option, in order of
  /// first appearance; with backticks around ids (renderers strip or convert them). A stretch that ends because
  /// the option stops fitting says so: "between 1,458× and 67,385× (infeasible above that)".
  public static func sentences(_ intervals: [CheapestInterval]) -> [String] {
    var order: [String] = []
    for i in intervals where !order.contains(i.option) { order.append(i.option) }
    return order.map { id in
      let parts = intervals.filter { $0.option == id }.map { i -> String in
        let text = stretch(i)
        return i.endsInfeasible && !i.toEdge ? text + " (infeasible above that)" : text
      }
      return "`\(id)` is cheapest " + joinedList(parts)
    }
  }

  static func stretch(_ i: CheapestInterval) -> String {
    switch (i.fromEdge, i.toEdge) {
    case (true, true): return "across the whole range (0.01× to 1,000,000×)"
    case (true, false): return "below \(BreakEvenCSV.scaleText(i.to))×"
    case (false, true): return "above \(BreakEvenCSV.scaleText(i.from))×"
    case (false, false):
      return "between \(BreakEvenCSV.scaleText(i.from))× and \(BreakEvenCSV.scaleText(i.to))×"
    }
  }

  static func joinedList(_ parts: [String]) -> String {
    switch parts.count {
    case 0: return ""
    case 1: return parts[0]
    default: return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
  }
}
