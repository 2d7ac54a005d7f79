import Foundation

/// A scale where two options cost the same (docs/model.md §7).
public struct Crossover: Sendable {
  public var optionA: String
  public var optionB: String
  public var scale: Double
  /// Records written per month at that scale.
  public var recordsPerMonth: Double
  public var cheaperBelow: String
  public var cheaperAbove: String
  /// The options of the pair that are infeasible at the crossover (scenario order): their cost still crosses
  /// (docs/model.md §7 compares costs), but the cheaper side there cannot run the workload.
  public var infeasible: [String] = []
}

/// Each option's monthly cost over the break-even grid, and where pairs cross.
public struct CostCurves: Sendable {
  public var grid: [Double]
  /// option id → cost at each grid scale (scenario order in `order`).
  public var costs: [String: [Double]]
  public var feasible: [String: [Bool]]
  public var order: [String]
  public var crossovers: [Crossover]
  /// Where each option is the cheapest feasible one (only when every option is involved).
  public var cheapest: [CheapestInterval] = []
}

public enum BreakEven {
  public static let lowestScale = 0.01
  public static let highestScale = 1_000_000.0
  public static let gridPoints = 200

  /// The geometric grid of 200 scales from 0.01 to 10^6.
  public static var grid: [Double] {
    (0..<gridPoints).map { i in
      lowestScale * Foundation.pow(highestScale / lowestScale, Double(i) / Double(gridPoints - 1))
    }
  }

  /// The crossovers of one pair, from their grid costs: each sign change narrowed to a relative width of 1e-6.
  static func crossings(
    _ pair: (String, String), cache: [String: [Double]], grid: [Double], estimator: Estimator
  ) throws(DataError)
    -> [Crossover]
  {
    let (a, b) = pair
    guard let ca = cache[a], let cb = cache[b] else { return [] }
    let oa = estimator.scenario.option(a)!
    let ob = estimator.scenario.option(b)!
    func diff(_ s: Double) throws(DataError) -> Double {
      try estimator.quickTotal(oa, scale: s).total - estimator.quickTotal(ob, scale: s).total
    }
    var out: [Crossover] = []
    var previous = ca[0] - cb[0]
    var previousScale = grid[0]
    for i in 1..<grid.count {
      let d = ca[i] - cb[i]
      if d == 0 { continue }
      if previous != 0 && (previous < 0) != (d < 0) {
        // Bracket [lo, hi] holds the sign change; shrink it to a relative width of 1e-6.
        // Costs are nearly linear inside one grid step, so first try the secant point with a
        // ±5e-7 bracket around it; fall back to bisection in log space where that misses.
        var lo = previousScale
        var hi = grid[i]
        var dLo = previous
        var dHi = d
        let loSign = previous < 0
        while hi / lo - 1 > 1e-6 {
          let guess = lo + (hi - lo) * dLo / (dLo - dHi)
          if guess > lo && guess < hi {
            let a = Swift.max(lo, guess * (1 - 4e-7))
            let b = Swift.min(hi, guess * (1 + 4e-7))
            let da = try diff(a)
            let db = try diff(b)
            if (da < 0) == loSign && (db < 0) != loSign && db != 0 {
              lo = a
              hi = b
              break
            }
            if (da < 0) == loSign {
              lo = a
              dLo = da
            } else {
              hi = a
              dHi = da
              continue
            }
            if (db < 0) == loSign {
              lo = b
              dLo = db
            } else {
              hi = b
              dHi = db
            }
          }
          let mid = (lo * hi).squareRoot()
          let m = try diff(mid)
          if m == 0 {
            lo = mid
            hi = mid
            break
          }
          if (m < 0) == loSign {
            lo = mid
            dLo = m
          } else {
            hi = mid
            dHi = m
          }
        }
        let s = (lo * hi).squareRoot()
        let records =
          DecimalMath.toDouble(estimator.scenario.workload.entitiesPerMonth) * s
          * Double(estimator.scenario.workload.recordsPerEntity)
        var infeasible: [String] = []
        for o in [oa, ob] where try !estimator.quickTotal(o, scale: s).feasible {
          infeasible.append(o.id)
        }
        out.append(
          Crossover(
            optionA: a, optionB: b, scale: s, recordsPerMonth: records,
            cheaperBelow: loSign ? a : b, cheaperAbove: loSign ? b : a, infeasible: infeasible))
      }
      previous = d
      previousScale = grid[i]
    }
    return out
  }

  /// Every crossover of every pair (or the pairs given), in scenario order.
  public static func crossovers(estimator: Estimator, pairs: [(String, String)]? = nil)
    throws(DataError) -> [Crossover]
  {
    try curves(estimator: estimator, pairs: pairs).crossovers
  }

  /// Prices every option on the grid (fast `Double` path) and finds every crossover of the pairs.
  public static func curves(estimator: Estimator, pairs: [(String, String)]? = nil)
    throws(DataError) -> CostCurves
  {
    let options = estimator.scenario.options
    let allPairs: [(String, String)] =
      pairs
      ?? options.indices.flatMap { i in
        options.indices.filter { $0 > i }.map { (options[i].id, options[$0].id) }
      }
    let grid = Self.grid
    let involved = options.map(\.id).filter { id in allPairs.contains { $0.0 == id || $0.1 == id } }
    // Each option's curve, then each pair's crossovers, on every core: the work items are independent and the
    // results are gathered in order, so the output does not depend on the schedule.
    let curveResults = parallelMap(involved) {
      id -> Result<(costs: [Double], feasible: [Bool]), DataError> in
      let o = estimator.scenario.option(id)!
      var c: [Double] = []
      var f: [Bool] = []
      c.reserveCapacity(grid.count)
      f.reserveCapacity(grid.count)
      for s in grid {
        do throws(DataError) {
          let q = try estimator.quickTotal(o, scale: s)
          c.append(q.total)
          f.append(q.feasible)
        } catch { return .failure(error) }
      }
      return .success((c, f))
    }
    var cache: [String: [Double]] = [:]
    var feasible: [String: [Bool]] = [:]
    for (id, r) in zip(involved, curveResults) {
      switch r {
      case .success(let v):
        cache[id] = v.costs
        feasible[id] = v.feasible
      case .failure(let e): throw e
      }
    }
    let curves = cache
    let pairResults = parallelMap(allPairs.indices) { p -> Result<[Crossover], DataError> in
      do throws(DataError) {
        return .success(try crossings(allPairs[p], cache: curves, grid: grid, estimator: estimator))
      } catch {
        return .failure(error)
      }
    }
    var out: [Crossover] = []
    for r in pairResults {
      switch r {
      case .success(let c): out += c
      case .failure(let e): throw e
      }
    }
    var result = CostCurves(
      grid: grid, costs: cache, feasible: feasible, order: involved, crossovers: out)
    if pairs == nil {
      result.cheapest = try CheapestIntervals.compute(
        grid: grid, costs: cache, feasible: feasible, order: involved,
        crossovers: out, estimator: estimator)
    }
    return result
  }
}
