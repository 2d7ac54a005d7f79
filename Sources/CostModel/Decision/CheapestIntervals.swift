import Foundation

/// A stretch of traffic over which one option is the cheapest feasible one (docs/model.md §7).
public struct CheapestInterval: Sendable, Equatable {
  public var option: String
  /// Scale bounds; `from` is `BreakEven.lowestScale` and `to` `BreakEven.highestScale` where the stretch
  /// reaches the end of the searched range.
  public var from: Double
  public var to: Double
  /// The stretch ends because the option stops being feasible (at the next grid scale), not because another
  /// became cheaper.
  public var endsInfeasible: Bool = false
  public var fromEdge: Bool { from <= BreakEven.lowestScale }
  public var toEdge: Bool { to >= BreakEven.highestScale }
}

public enum CheapestIntervals {
  /// The cheapest feasible option along the break-even grid, as intervals. Each change of winner is placed to a
  /// relative width of 1e-6 between the two options involved: at their crossover when they cross there, else by
  /// bisection on "the new option is feasible and cheaper, or the old one is no longer feasible". Stretches where
  /// no option is feasible belong to no interval. (Within one grid step, ~10%, a third option is not looked for.)
  static func compute(
    grid: [Double], costs: [String: [Double]], feasible: [String: [Bool]], order: [String],
    crossovers: [Crossover], estimator: Estimator
  ) throws(DataError) -> [CheapestInterval] {
    guard !grid.isEmpty else { return [] }
    func winner(_ g: Int) -> String? {
      var best: (id: String, cost: Double)?
      for id in order {
        guard let f = feasible[id], f[g], let c = costs[id]?[g] else { continue }
        if best == nil || c < best!.cost { best = (id, c) }
      }
      return best?.id
    }
    func beats(_ b: String, _ a: String, at s: Double) throws(DataError) -> Bool {
      let qb = try estimator.quickTotal(estimator.scenario.option(b)!, scale: s)
      guard qb.feasible else { return false }
      let qa = try estimator.quickTotal(estimator.scenario.option(a)!, scale: s)
      return !qa.feasible || qb.total < qa.total
    }
    // The scale in (lo, hi] where `to` takes over from `from` (either may be nil: no feasible option).
    func boundary(_ from: String?, _ to: String?, _ lo: Double, _ hi: Double) throws(DataError)
      -> Double
    {
      if let a = from, let b = to,
        let c = crossovers.first(where: {
          (($0.optionA == a && $0.optionB == b) || ($0.optionA == b && $0.optionB == a))
            && $0.scale >= lo && $0.scale <= hi && $0.cheaperAbove == b
        })
      {
        return c.scale
      }
      var lo = lo
      var hi = hi
      while hi / lo - 1 > 1e-6 {
        let mid = (lo * hi).squareRoot()
        let taken: Bool
        switch (from, to) {
        case (let a?, let b?): taken = try beats(b, a, at: mid)
        case (let a?, nil):
          taken = !(try estimator.quickTotal(estimator.scenario.option(a)!, scale: mid).feasible)
        case (nil, let b?):
          taken = try estimator.quickTotal(estimator.scenario.option(b)!, scale: mid).feasible
        case (nil, nil): taken = true
        }
        if taken { hi = mid } else { lo = mid }
      }
      return (lo * hi).squareRoot()
    }
    var out: [CheapestInterval] = []
    var current = winner(0)
    var start = grid[0]
    for g in 1..<grid.count {
      let w = winner(g)
      guard w != current else { continue }
      let edge = try boundary(current, w, grid[g - 1], grid[g])
      if let c = current {
        let fits = feasible[c]?[g] ?? true
        out.append(CheapestInterval(option: c, from: start, to: edge, endsInfeasible: !fits))
      }
      current = w
      start = edge
    }
    if let c = current {
      out.append(CheapestInterval(option: c, from: start, to: grid[grid.count - 1]))
    }
    return out
  }
}
