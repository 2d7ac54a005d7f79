import Foundation

/// One option's cost month by month over the horizon, at one scale (docs/model.md §11).
public struct OptionProjection: Sendable {
  public var option: OptionSpec
  /// `monthly[t − 1]`: month t's cost, exact.
  public var monthly: [Decimal]
  public var feasible: [Bool]
  /// `cumulative[t − 1]`: months 1…t.
  public var cumulative: [Decimal]
  /// The first month the option is infeasible in, and why.
  public var firstInfeasible: (month: Int, reason: String)?
  /// Months (from 1) in which it is the cheapest feasible option.
  public var cheapestMonths: [Int]
  /// The total over the horizon.
  public var total: Decimal { cumulative.last ?? 0 }
  public var feasibleThroughout: Bool { !feasible.contains(false) }
}

/// Moving the hot stock from one option to another at the start of a month (docs/model.md §11).
public struct Migration: Sendable {
  /// The month it happens at the start of; the stock moved is the source's hot stock of the month before.
  public var month: Int
  /// Entities moved (each with its records).
  public var entities: Decimal
  /// Reads from the source, then writes into the destination, priced on their own.
  public var lines: [CostLine]
  public var total: Decimal
}

/// Cheapest feasible option at month 1 (`from`) and at month H (`to`) differ: what each way through costs.
public struct SwitchPlan: Sendable {
  /// A plan's total over the horizon; infeasible when it runs an option in a month it is infeasible in.
  public struct Total: Sendable {
    public var total: Decimal
    public var feasible: Bool
  }
  /// Switching at the start of `migration.month`: `from` before it, the migration, `to` from it on.
  public struct At: Sendable {
    public var migration: Migration
    public var total: Total
    public var month: Int { migration.month }
  }
  public var from: String
  public var to: String
  public var stay: Total
  public var start: Total
  /// Every month 2…H.
  public var candidates: [At]
  /// The cheapest feasible candidate (ties: the earliest); nil when none is feasible.
  public var best: At?
}

/// Every option over the horizon at one scale.
public struct ScaleProjection: Sendable {
  public var scale: Decimal
  public var options: [OptionProjection]
  /// `cheapest[t − 1]`: the cheapest feasible option in month t (ties: scenario order), nil when none is feasible.
  public var cheapest: [String?]
  /// Present where the cheapest feasible option of month 1 and of month H differ.
  public var plan: SwitchPlan?

  public func option(_ id: String) -> OptionProjection? { options.first { $0.option.id == id } }
}

/// A scenario projected month by month over its horizon at each scale (docs/model.md §11).
public struct ProjectionResult: Sendable {
  public var scenario: Scenario
  /// g, percent a month (0 without a `growth` block).
  public var monthlyPercent: Decimal
  /// H.
  public var months: Int
  public var scales: [ScaleProjection]
}

/// Prices every option in every month 1…H: traffic s × (1 + g/100)^(t − 1), stored quantities the stock of
/// every month's cohort, each month priced by the services' own pricers on a projection-month workload.
public enum Projector {
  public static func project(_ estimator: Estimator, scales: [Decimal]? = nil) throws(DataError)
    -> ProjectionResult
  {
    let s = estimator.scenario
    let H = try months(s)
    let g = s.growth?.monthlyPercent ?? 0
    let table = GrowthTable<Decimal>(monthlyPercent: g, months: H)
    guard table.isValid else {
      // Decimal holds 38 digits with exponents down to −128: a steady decline reaches the bottom of that range
      // (a month's traffic under about 10^−90 of month 1's) as a steady rise reaches the top.
      let why =
        g < 0
        ? "a decline of \(-g)% a month over \(H) months takes the traffic below what can be computed exactly (under about 10^-90 of month 1's); shorten horizonMonths or lessen the decline"
        : "growth of \(g)% a month over \(H) months takes the traffic beyond what can be computed exactly; lower the growth or horizonMonths"
      throw DataError(
        file: s.file,
        position: s.fieldPositions["growth.monthlyPercent"] ?? s.fieldPositions["growth"],
        path: "growth.monthlyPercent",
        message: why)
    }
    let list = scales ?? s.scales
    let options = s.options
    let n = options.count
    // Every (scale, option, month), on every core; the first error in that order is the one thrown.
    struct Priced: Sendable {
      var total: Decimal
      var reason: String?
    }
    let results = parallelMap(0..<(list.count * n * H)) { k -> Result<Priced, DataError> in
      let (i, rest) = k.quotientAndRemainder(dividingBy: n * H)
      let (j, m) = rest.quotientAndRemainder(dividingBy: H)
      do throws(DataError) {
        let w = estimator.workload(at: list[i]).projected(month: m + 1, growth: table)
        let e = try estimator.monthlyTotal(options[j], workload: w)
        return .success(Priced(total: e.total, reason: e.reason))
      } catch { return .failure(error) }
    }
    var out: [ScaleProjection] = []
    for (i, scale) in list.enumerated() {
      var rows: [OptionProjection] = []
      for (j, o) in options.enumerated() {
        var monthly: [Decimal] = []
        var feasible: [Bool] = []
        var cumulative: [Decimal] = []
        var first: (Int, String)?
        var sum = Decimal(0)
        for m in 0..<H {
          let p = try results[(i * n + j) * H + m].get()
          monthly.append(p.total)
          feasible.append(p.reason == nil)
          sum += p.total
          cumulative.append(sum)
          if first == nil, let r = p.reason { first = (m + 1, r) }
        }
        rows.append(
          OptionProjection(
            option: o, monthly: monthly, feasible: feasible, cumulative: cumulative,
            firstInfeasible: first, cheapestMonths: []))
      }
      var cheapest: [String?] = []
      for m in 0..<H {
        var best: Int?
        for (j, r) in rows.enumerated() where r.feasible[m] {
          if let b = best, rows[b].monthly[m] <= r.monthly[m] { continue }
          best = j
        }
        cheapest.append(best.map { rows[$0].option.id })
        if let b = best { rows[b].cheapestMonths.append(m + 1) }
      }
      var scaleProjection = ScaleProjection(
        scale: scale, options: rows, cheapest: cheapest, plan: nil)
      if let a = cheapest.first ?? nil, let b = cheapest.last ?? nil, a != b {
        scaleProjection.plan = try plan(
          from: a, to: b, in: scaleProjection, estimator: estimator, table: table)
      }
      out.append(scaleProjection)
    }
    return ProjectionResult(scenario: s, monthlyPercent: g, months: H, scales: out)
  }

  /// H as a whole number of months (the projection counts months one by one).
  static func months(_ s: Scenario) throws(DataError) -> Int {
    let h = s.horizonMonths
    guard h >= 1, h <= 1200, h == DecimalMath.round(h, 0, .plain) else {
      throw DataError(
        file: s.file, position: s.fieldPositions["horizonMonths"], path: "horizonMonths",
        message:
          "expected a whole number of months from 1 to 1200 for the month-by-month projection, found \(h)"
      )
    }
    return NSDecimalNumber(decimal: h).intValue
  }

  /// Staying with `from`, starting with `to`, and switching from one to the other at each month 2…H.
  static func plan(
    from a: String, to b: String, in p: ScaleProjection, estimator: Estimator,
    table: GrowthTable<Decimal>
  ) throws(DataError) -> SwitchPlan {
    let A = p.option(a)!
    let B = p.option(b)!
    let H = A.monthly.count
    // Σ_{m ≥ t} B(m), summed from the end (not the total less a prefix: every figure a plain sum).
    var suffix = [Decimal](repeating: 0, count: H + 1)
    for m in stride(from: H - 1, through: 0, by: -1) { suffix[m] = suffix[m + 1] + B.monthly[m] }
    var candidates: [SwitchPlan.At] = []
    for t in stride(from: 2, through: H, by: 1) {
      let move = try migration(
        from: A.option, to: B.option, month: t, scale: p.scale, estimator: estimator, table: table)
      let total = A.cumulative[t - 2] + move.total + suffix[t - 1]
      let feasible =
        !A.feasible[0..<(t - 1)].contains(false) && !B.feasible[(t - 1)...].contains(false)
      candidates.append(
        SwitchPlan.At(migration: move, total: .init(total: total, feasible: feasible)))
    }
    var best: SwitchPlan.At?
    for c in candidates where c.total.feasible {
      if let b = best, b.total.total <= c.total.total { continue }
      best = c
    }
    return SwitchPlan(
      from: a, to: b, stay: .init(total: A.total, feasible: A.feasibleThroughout),
      start: .init(total: B.total, feasible: B.feasibleThroughout), candidates: candidates,
      best: best)
  }

  /// The one-off cost of moving `from`'s hot stock of month t − 1 into `to` at the start of month t: reads by
  /// `from`'s load rules, writes by `to`'s append rules, priced on their own (no free tier, no savings plan, tiers
  /// from the first).
  public static func migration(
    from a: OptionSpec, to b: OptionSpec, month t: Int, scale: Decimal, estimator: Estimator,
    table: GrowthTable<Decimal>
  ) throws(DataError) -> Migration {
    guard t >= 2 else { return Migration(month: t, entities: 0, lines: [], total: 0) }
    let w = estimator.workload(at: scale).projected(month: t - 1, growth: table)
    let entities = a.model.hotEntities(a, workload: w)
    var ctx = PricingContext(workload: w, book: estimator.book, detailed: true)
    a.model.migrationReads(a, entities: entities, into: &ctx)
    b.model.migrationWrites(b, entities: entities, into: &ctx)
    do {
      let lines = try ctx.lines.build(book: estimator.book, freeTier: false)
      return Migration(
        month: t, entities: entities, lines: lines, total: lines.reduce(0) { $0 + $1.cost })
    } catch {
      throw estimator.dataError(error, b)
    }
  }
}
