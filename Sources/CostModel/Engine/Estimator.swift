import Foundation

/// One option priced at one scale.
public struct OptionEstimate: Sendable {
  public var option: OptionSpec
  public var scale: Decimal
  public var lines: [CostLine]
  /// Sum of the unrounded line costs.
  public var total: Decimal
  public var infeasibleReasons: [String]
  public var warnings: [String]
  public var details: [String]
  public var facts: OptionFacts
  public var feasible: Bool { infeasibleReasons.isEmpty }
}

/// Prices every option of a scenario at its scales, from a rate book.
public struct Estimator: Sendable {
  public var scenario: Scenario { didSet { fastBase = Self.base(scenario) } }
  public var book: RateBook
  /// The workload in `Double` at scale 1, converted once for `quickTotal`.
  private var fastBase: DerivedWorkload<Double>

  public init(scenario: Scenario, book: RateBook) {
    self.scenario = scenario
    self.book = book
    self.fastBase = Self.base(scenario)
  }

  static func base(_ s: Scenario) -> DerivedWorkload<Double> {
    DerivedWorkload(workload: s.workload, scale: 1, horizonMonths: Double(s.horizonMonths))
  }

  public func workload(at scale: Decimal) -> DerivedWorkload<Decimal> {
    DerivedWorkload(
      workload: scenario.workload, scale: scale, horizonMonths: scenario.horizonMonths)
  }

  /// Runs an option's pricer exactly.
  func run(_ option: OptionSpec, scale: Decimal, detailed: Bool) throws(MissingRate)
    -> PricingContext<Decimal>
  {
    try run(option, workload: workload(at: scale), detailed: detailed)
  }

  /// Runs an option's pricer exactly on a given workload (a projection month, docs/model.md §11).
  func run(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>, detailed: Bool)
    throws(MissingRate) -> PricingContext<Decimal>
  {
    var ctx = PricingContext(workload: w, book: book, detailed: detailed)
    try option.model.price(option, into: &ctx)
    return ctx
  }

  /// Runs an option's pricer in `Double`.
  func run(_ option: OptionSpec, scale: Double, detailed: Bool) throws(MissingRate)
    -> PricingContext<Double>
  {
    let w = fastBase.at(scale: scale)
    var ctx = PricingContext(workload: w, book: book, detailed: detailed)
    try option.model.price(option, into: &ctx)
    return ctx
  }

  func dataError(_ missing: MissingRate, _ option: OptionSpec) -> DataError {
    let file = book.fileName(for: missing.service)
    let message =
      missing.detail.map { "\($0) in \(file)" }
      ?? "needs rate \(missing.service)/\(missing.id), which \(file) does not have"
    return DataError(
      file: scenario.file, position: option.position, path: option.path, message: message)
  }

  /// Prices one option; a missing rate is a data error pointing at the option in the scenario file.
  public func estimate(_ option: OptionSpec, scale: Decimal) throws(DataError) -> OptionEstimate {
    try estimate(option, workload: workload(at: scale))
  }

  /// Prices one option on a given workload: a projection month's (docs/model.md §11), or a scale's steady state.
  public func estimate(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>) throws(DataError)
    -> OptionEstimate
  {
    let scale = w.scale
    do {
      let ctx: PricingContext<Decimal> = try run(option, workload: w, detailed: true)
      let lines = try ctx.lines.build(
        book: book, freeTier: option.freeTier, savingsPlan: option.savingsPlan)
      let total = lines.reduce(Decimal(0)) { $0 + $1.cost }
      if total.isNaN || lines.contains(where: { $0.quantity.isNaN }) {
        throw DataError(
          file: scenario.file, position: option.position, path: option.path,
          message: "the numbers at scale \(scale) are too large to compute exactly")
      }
      var warnings = ctx.warnings
      if let plan = option.savingsPlan, plan.coverage > 0, !lines.isEmpty,
        !lines.contains(where: \.isSavingsPlanShare)
      {
        // docs/model.md §3.6: a plan discounts only rates that carry a savingsPlanDiscount.
        warnings.append(
          "the savings plan discounts none of this option's charges: none of its rates carries a savingsPlanDiscount in the rate table, so it bills the listed prices"
        )
      }
      return OptionEstimate(
        option: option, scale: scale, lines: lines, total: total,
        infeasibleReasons: ctx.infeasibleReasons, warnings: warnings, details: ctx.details,
        facts: ctx.facts)
    } catch let missing as MissingRate {
      throw dataError(missing, option)
    } catch let e as DataError {
      throw e
    } catch {
      throw DataError(
        file: scenario.file, position: option.position, path: option.path, message: "\(error)")
    }
  }

  /// The exact monthly total of `estimate` and its first infeasibility reason, without the lines' names (the
  /// projection prices every option in every month): the same lines, built without detail; an infeasible or
  /// uncomputable pricing is done again by `estimate`, for its reason or its error.
  public func monthlyTotal(_ option: OptionSpec, workload w: DerivedWorkload<Decimal>)
    throws(DataError) -> (total: Decimal, reason: String?)
  {
    do throws(MissingRate) {
      let ctx: PricingContext<Decimal> = try run(option, workload: w, detailed: false)
      if ctx.infeasibleReasons.isEmpty {
        let lines = try ctx.lines.build(
          book: book, freeTier: option.freeTier, savingsPlan: option.savingsPlan)
        let total = lines.reduce(Decimal(0)) { DecimalArithmetic.add($0, $1.cost) }
        if !total.isNaN && !lines.contains(where: { $0.quantity.isNaN }) { return (total, nil) }
      }
    } catch {
      throw dataError(error, option)
    }
    let e = try estimate(option, workload: w)
    return (e.total, e.infeasibleReasons.first)
  }

  /// The monthly total and feasibility in `Double`, fast: the break-even search prices thousands of scales.
  public func quickTotal(_ option: OptionSpec, scale: Double) throws(DataError) -> (
    total: Double, feasible: Bool
  ) {
    do {
      let ctx: PricingContext<Double> = try run(option, scale: scale, detailed: false)
      return (
        try ctx.lines.total(book: book, freeTier: option.freeTier, savingsPlan: option.savingsPlan),
        ctx.infeasibleReasons.isEmpty
      )
    } catch {
      throw dataError(error, option)
    }
  }

  /// Every option at every scale, scale-major, options in scenario order.
  /// On every core; the first error in (scale, option) order is the one thrown, as a sequential run would.
  public func estimateAll(scales: [Decimal]? = nil) throws(DataError) -> [[OptionEstimate]] {
    let list = scales ?? scenario.scales
    let options = scenario.options
    let n = options.count
    let results = parallelMap(0..<(list.count * n)) { k -> Result<OptionEstimate, DataError> in
      do throws(DataError) {
        return .success(try estimate(options[k % n], scale: list[k / n]))
      } catch { return .failure(error) }
    }
    var out: [[OptionEstimate]] = []
    for i in list.indices {
      var row: [OptionEstimate] = []
      for j in 0..<n {
        switch results[i * n + j] {
        case .success(let e): row.append(e)
        case .failure(let e): throw e
        }
      }
      out.append(row)
    }
    return out
  }
}
