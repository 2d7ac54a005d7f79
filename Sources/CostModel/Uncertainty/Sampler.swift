import Foundation

/// How many joint draws of a scenario's ranges to price, from which seed (docs/model.md §10).
public struct SamplingPlan: Sendable, Equatable {
  public var samples: Int
  public var seed: UInt64
  public init(samples: Int, seed: UInt64) {
    self.samples = samples
    self.seed = seed
  }
  /// What `report` draws for a scenario with ranges and no `uncertainty` block.
  public static let reportDefault = SamplingPlan(samples: 10_000, seed: 1)
  /// Draws × options × scales that sampling holds (each draw's cost and read p99 per option and scale, 16 bytes:
  /// 1.6 GB at most), whatever the number of draws allowed on its own.
  public static let maxValues = 100_000_000
  /// The most draws of `options` options at `scales` scales within `maxValues`.
  public static func mostDraws(options: Int, scales: Int) -> Int {
    maxValues / Swift.max(1, options * scales)
  }
  /// Why `samples` draws of `options` options at `scales` scales are too many, or nil when they fit.
  public static func tooMany(samples: Int, options: Int, scales: Int) -> String? {
    let columns = Swift.max(1, options * scales)
    guard samples > maxValues / columns else { return nil }
    let g = { (n: Int) in MoneyFormat.grouped(Decimal(n), decimals: 0) }
    return
      "\(g(samples)) draws × \(g(options)) option\(options == 1 ? "" : "s") × \(g(scales)) scale\(scales == 1 ? "" : "s") "
      + "are more than the \(g(maxValues)) priced values sampling holds in memory (16 bytes each); "
      + "at most \(g(mostDraws(options: options, scales: scales))) draws for this scenario"
  }
  /// The generator, named in docs/model.md §10 and the reports.
  public static let generatorName =
    "xoshiro256** seeded by SplitMix64; normal draws by the inverse normal CDF (Wichura AS 241)"
}

/// P10, P50 and P90 of a sampled quantity (nearest rank).
public struct Percentiles: Sendable, Equatable {
  public var p10: Double
  public var p50: Double
  public var p90: Double
}

/// One option at one scale over the draws.
public struct SampledOption: Sendable {
  public var id: String
  public var cost: Percentiles
  /// Read p99 over the draws; nil when the region has no latency table.
  public var readP99: Percentiles?
  /// Share of draws in which the option ranks first among that draw's feasible options.
  public var winProbability: Double
  /// Share of draws in which it is the cheapest feasible option.
  public var cheapestProbability: Double
  /// Share of draws in which it is feasible.
  public var feasibleShare: Double
}

/// The draws at one scale, and how sure the recommendation is.
public struct SampledScale: Sendable {
  public var scale: Decimal
  public var options: [SampledOption]  // scenario order
  /// The recommendation at the medians (the point result).
  public var recommended: String?
  /// The point recommendation's win probability.
  public var recommendedShare: Double?
  /// A tie when the point recommendation wins fewer than 60% of the draws: the options that win at least 20%, by
  /// share (largest first). nil when the recommendation stands.
  public var tie: [(id: String, share: Double)]?

  public func option(_ id: String) -> SampledOption? { options.first { $0.id == id } }
}

/// The result of sampling a scenario's ranges.
public struct SamplingResult: Sendable {
  public var plan: SamplingPlan
  public var inputs: [RangedInput]
  public var scales: [SampledScale]
  /// A tie below this share of the draws (docs/model.md §10).
  public static let tieBelow = 0.6
  /// The options that share a tie win at least this much.
  public static let tieMember = 0.2
}

/// Prices N joint draws of a scenario's ranges at every scale (docs/model.md §10), in `Double`: each draw's workload
/// is derived once and shared by every option and scale, the draws are split over the cores, and the percentiles
/// are found by selection, not by sorting.
public enum Sampler {
  /// Whether eight draws are priced at once where they can be (`LaneBatch`): on unless `COSTPLAN_LANES=0` (the
  /// results are the same either way, bit for bit; the switch is for measuring).
  public static let lanesByDefault = ProcessInfo.processInfo.environment["COSTPLAN_LANES"] != "0"

  public static func run(
    scenario: Scenario, book: RateBook, scales: [Decimal], decisions: [ScaleDecision],
    plan: SamplingPlan, lanes: Bool = Sampler.lanesByDefault
  ) throws(DataError) -> SamplingResult {
    let inputs = scenario.rangedInputs
    let n = plan.samples
    if let why = SamplingPlan.tooMany(
      samples: n, options: scenario.options.count, scales: scales.count)
    {
      throw DataError(
        file: scenario.file, position: scenario.fieldPositions["uncertainty"],
        path: "uncertainty.samples", message: why)
    }
    let k = inputs.count
    // The draws, in one sequential stream: draw i of input j is the (i × k + j)-th normal.
    var rng = Xoshiro256StarStar(seed: plan.seed)
    var values = [Double](repeating: 0, count: n * k)
    let mus = inputs.map(\.mu)
    let sigmas = inputs.map(\.sigma)
    for i in 0..<n {
      for j in 0..<k {
        values[i * k + j] = RangedInput.usable(
          Foundation.exp(mus[j] + sigmas[j] * rng.nextNormal()), inputs[j].kind)
      }
    }
    let job = SamplingJob(
      scenario: scenario, book: book, scales: scales, inputs: inputs, values: values, draws: n,
      lanes: lanes)
    let counts = try job.runAll()

    var out: [SampledScale] = []
    let options = scenario.options
    // Every column's percentiles, the columns spread over the cores: cost columns first, then read p99s.
    let columns = scales.count * options.count
    let hasLatency = book.latency != nil
    let selected = parallelMap(0..<(hasLatency ? 2 * columns : columns)) { c in
      job.percentiles(cost: c < columns, column: c % columns)
    }
    for (i, scale) in scales.enumerated() {
      var row: [SampledOption] = []
      for (j, o) in options.enumerated() {
        let column = i * options.count + j
        let cost = selected[column]
        let read = hasLatency ? selected[columns + column] : nil
        let c = counts.at(i, j)
        row.append(
          SampledOption(
            id: o.id, cost: cost, readP99: read, winProbability: Double(c.wins) / Double(n),
            cheapestProbability: Double(c.cheapest) / Double(n),
            feasibleShare: Double(c.feasible) / Double(n)))
      }
      let recommended = i < decisions.count ? decisions[i].recommended : nil
      let share = recommended.flatMap { id in row.first { $0.id == id }?.winProbability }
      var tie: [(id: String, share: Double)]?
      if let share, share < SamplingResult.tieBelow {
        tie = row.filter { $0.winProbability >= SamplingResult.tieMember }
          .map { ($0.id, $0.winProbability) }
          .enumerated().sorted { a, b in
            a.element.1 != b.element.1 ? a.element.1 > b.element.1 : a.offset < b.offset
          }.map(\.element)
      }
      out.append(
        SampledScale(
          scale: scale, options: row, recommended: recommended, recommendedShare: share, tie: tie))
    }
    return SamplingResult(plan: plan, inputs: inputs, scales: out)
  }
}

/// Win, cheapest and feasible counts per (scale, option).
struct SampleCounts: Sendable {
  var options: Int
  var wins: [Int]
  var cheapest: [Int]
  var feasible: [Int]
  init(scales: Int, options: Int) {
    self.options = options
    wins = Array(repeating: 0, count: scales * options)
    cheapest = wins
    feasible = wins
  }
  func at(_ i: Int, _ j: Int) -> (wins: Int, cheapest: Int, feasible: Int) {
    (wins[i * options + j], cheapest[i * options + j], feasible[i * options + j])
  }
  mutating func add(_ o: SampleCounts) {
    for x in wins.indices {
      wins[x] += o.wins[x]
      cheapest[x] += o.cheapest[x]
      feasible[x] += o.feasible[x]
    }
  }
}

/// The draws' costs and read p99s, one column of N per (scale, option), written by disjoint ranges of draws.
final class SamplingJob: @unchecked Sendable {
  let scenario: Scenario
  let book: RateBook
  let scales: [Decimal]
  let scaleValues: [Double]
  let inputs: [RangedInput]
  let values: [Double]
  let n: Int
  let columns: Int
  let costs: UnsafeMutablePointer<Double>
  let reads: UnsafeMutablePointer<Double>
  /// Per option: durability, ttl and operations scores, and the latency operations (nil: no latency table).
  let traits: [(durability: Double, ttl: Double, operations: Double)]
  let ops: [[String: LatencyDistribution]]?
  let weights:
    (cost: Double, read: Double, write: Double, durability: Double, ttl: Double, ops: Double)

  let lanes: Bool
  /// The p99s of integrals (a LIST, then GETs) whose draw-to-draw changes are whole numbers: shared by the chunks.
  let sharedP99 = SharedP99()
  /// The options whose settings are drawn, in the order of their first range: made again for each draw, priced one
  /// draw at a time, and their latency depends on more than their `LatencyKey`.
  let drawnOptions: [Int]

  init(
    scenario: Scenario, book: RateBook, scales: [Decimal], inputs: [RangedInput], values: [Double],
    draws: Int, lanes: Bool
  ) {
    self.lanes = lanes
    self.scenario = scenario
    self.book = book
    self.scales = scales
    self.scaleValues = scales.map { DecimalMath.toDouble($0) }
    self.inputs = inputs
    self.values = values
    self.n = draws
    self.columns = scales.count * scenario.options.count
    var drawnOptions: [Int] = []
    for input in inputs {
      if case .option(let o, _) = input.target, !drawnOptions.contains(o) { drawnOptions.append(o) }
    }
    self.drawnOptions = drawnOptions
    costs = .allocate(capacity: Swift.max(1, n * columns))
    reads = .allocate(capacity: Swift.max(1, n * columns))
    traits = scenario.options.map {
      (OptionTraits.durability($0), OptionTraits.ttl($0), OptionTraits.operations($0))
    }
    if let table = book.latency {
      ops = scenario.options.map { o in
        var m: [String: LatencyDistribution] = [:]
        for id in LatencyModel.operationsNeeded(o) {
          if let op = table.operation(id) { m[id] = op.distribution }
        }
        return m
      }
    } else {
      ops = nil
    }
    let w = scenario.weights
    let d = { (x: Decimal) in DecimalMath.toDouble(x) }
    weights = (d(w.cost), d(w.readP99), d(w.writeP99), d(w.durability), d(w.ttl), d(w.operations))
  }

  deinit {
    costs.deallocate()
    reads.deallocate()
  }

  func runAll() throws(DataError) -> SampleCounts {
    let total = n  // with no ranges, every draw is the medians
    // Sixteen chunks at most: enough to keep the cores even, few enough that each chunk's latency memo (which
    // starts empty) rarely solves a p99 that another chunk has solved.
    let chunk = Swift.max(256, (total + 15) / 16)
    let chunks = (total + chunk - 1) / chunk
    let results = parallelMap(0..<chunks) { c -> Result<SampleCounts, DataError> in
      do throws(DataError) {
        return .success(try self.run(from: c * chunk, to: Swift.min(total, (c + 1) * chunk)))
      } catch { return .failure(error) }
    }
    var counts = SampleCounts(scales: scales.count, options: scenario.options.count)
    for r in results {
      switch r {
      case .success(let c): counts.add(c)
      case .failure(let e): throw e
      }
    }
    return counts
  }

  /// Sets the drawn inputs of draw `i` in `workload` and `options` (every draw sets the same fields, so a draw
  /// leaves nothing of the one before).
  func draw(_ i: Int, workload: inout Workload, options: inout [OptionSpec]) {
    drawWorkload(i, into: &workload)
    drawOptions(i, into: &options)
  }

  /// Input `j` of draw `i` as its field holds it.
  func drawnValue(_ i: Int, _ j: Int) -> Decimal {
    let v = values[i * inputs.count + j]
    return inputs[j].kind == .integer
      ? Decimal(Int(Swift.min(v, 1e15))) : DecimalMath.fromDoubleFast(v)
  }

  /// The drawn workload fields of draw `i`.
  func drawWorkload(_ i: Int, into workload: inout Workload) {
    for (j, input) in inputs.enumerated() {
      guard case .workload(let field) = input.target else { continue }
      if input.kind == .integer {
        workload.set(field, whole: Int(Swift.min(values[i * inputs.count + j], 1e15)))
      } else {
        workload.set(field, drawnValue(i, j))
      }
    }
  }

  /// The drawn option settings of draw `i`.
  func drawOptions(_ i: Int, into options: inout [OptionSpec]) {
    for (j, input) in inputs.enumerated() {
      guard case .option(let o, let field) = input.target,
        let s = options[o].model.setting(field, to: drawnValue(i, j), in: options[o].settings)
      else { continue }
      options[o].settings = s
    }
  }

  func run(from: Int, to: Int) throws(DataError) -> SampleCounts {
    let nOptions = scenario.options.count
    let horizon = DecimalMath.toDouble(scenario.horizonMonths)
    let estimator = Estimator(scenario: scenario, book: book)
    // The latencies computed per option, by their inputs: most options' latency does not change between draws,
    // and many change among a few values (a whole number of records).
    var latencyMemo = [LatencyMemo](repeating: LatencyMemo(), count: nOptions)
    // The last read and write distributions per option with their p99: a distribution seen before is not solved again.
    var lastRead: [(LatencyDistribution, Double)?] = Array(repeating: nil, count: nOptions)
    var lastWrite: [(LatencyDistribution, Double)?] = Array(repeating: nil, count: nOptions)
    // Where a new p99 is sought, per (scale, option, read or write).
    var hints = [P99Hint](repeating: P99Hint(), count: 2 * scales.count * nOptions)
    // This draw's figures per option, and the counts per (scale, option): buffers, not arrays, since the loop
    // below writes them 60 times a draw and an array checks its uniqueness at every write.
    var scratch: [UnsafeMutableRawPointer] = []
    defer { for b in scratch { b.deallocate() } }
    func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
      let b = UnsafeMutableBufferPointer<T>.allocate(capacity: Swift.max(1, count))
      b.initialize(repeating: value)
      scratch.append(UnsafeMutableRawPointer(b.baseAddress!))
      return b
    }
    let cost = buffer(nOptions, 0.0)
    let read = buffer(nOptions, 0.0)
    let write = buffer(nOptions, 0.0)
    // ln of each (floored at 1e-12, docs/model.md §6): a p99's with the p99, so that only the cost's is taken per
    // pricing (the logarithms were 6% of sampling).
    let logCost = buffer(nOptions, 0.0)
    let logRead = buffer(nOptions, 0.0)
    let logWrite = buffer(nOptions, 0.0)
    let feasible = buffer(nOptions, false)
    let scores = buffer(nOptions, 0.0)
    let wins = buffer(scales.count * nOptions, 0)
    let cheapestCounts = buffer(scales.count * nOptions, 0)
    let feasibleCounts = buffer(scales.count * nOptions, 0)
    var workload = scenario.workload
    var options = scenario.options
    let models = options.map(\.model)
    // The options by reference, those with drawn settings made again for each draw.
    var refs = options.map(OptionRef.init)
    let drawn = drawnOptions
    // One pricing context per option, reset for each pricing, with what its last pricing looked up.
    let start = DerivedWorkload<Double>(workload: workload, scale: 1, horizonMonths: horizon)
    var contexts = options.map { _ in
      PricingContext<Double>(workload: start, book: book, detailed: false, memo: PricingMemo())
    }
    // Eight draws at a time through the options' lane pricers (`Lanes`), where they can be: an option whose settings
    // are drawn differs between draws in more than its workload, and a drawn record count or traffic profile
    // changes loops and groups that the lanes share.
    var lanes = LaneBatch(job: self, options: options, drawn: drawn, start: start)
    var bases = [DerivedWorkload<Double>](repeating: start, count: Lanes.count)
    var blockStart = from
    while blockStart < to {
      let blockEnd = Swift.min(to, blockStart + Lanes.count)
      let batched = lanes.enabled && blockEnd - blockStart == Lanes.count
      if batched {
        for k in 0..<Lanes.count {
          var wk = workload
          drawWorkload(blockStart + k, into: &wk)
          bases[k] = DerivedWorkload<Double>(workload: wk, scale: 1, horizonMonths: horizon)
        }
        lanes.price(bases)
      }
      for d in blockStart..<blockEnd {
        let lane = d - blockStart
        if batched {
          drawOptions(d, into: &options)
        } else if !inputs.isEmpty {
          draw(d, workload: &workload, options: &options)
        }
        for o in drawn { refs[o] = OptionRef(options[o]) }
        let base =
          batched
          ? bases[lane]
          : DerivedWorkload<Double>(workload: workload, scale: 1, horizonMonths: horizon)
        for (i, scale) in scaleValues.enumerated() {
          let w = base.at(scale: scale)
          for j in 0..<nOptions {
            let option = refs[j]
            let hitShare: Double?
            let pausedProbability: Double?
            if batched, let r = lanes.result(scale: i, option: j) {
              cost[j] = r.cost[lane]
              hitShare = r.hitShare?[lane]
              pausedProbability = r.pausedProbability?[lane]
              feasible[j] = r.feasible
            } else {
              contexts[j].reset(workload: w)
              do throws(MissingRate) {
                try option.price(&contexts[j])
                cost[j] = try contexts[j].lines.total(
                  book: book, freeTier: option.spec.freeTier, savingsPlan: option.spec.savingsPlan)
              } catch {
                throw estimator.dataError(error, option.spec)
              }
              hitShare = contexts[j].facts.hitShare
              pausedProbability = contexts[j].facts.pausedProbability
              feasible[j] = contexts[j].infeasibleReasons.isEmpty
            }
            if cost[j].isNaN { cost[j] = .infinity }
            if let ops {
              let key = LatencyKey(
                hit: hitShare ?? -1, paused: pausedProbability ?? -1,
                records: w.R, loads: w.loadsPerEntity, read: w.recordsReadPerEntity)
              if let known = latencyMemo[j].find(key) {
                (read[j], write[j], logRead[j], logWrite[j]) = known
              } else {
                let inputs = LatencyInputs(
                  option: option.spec, hitRatio: hitShare,
                  pausedProbability: pausedProbability, recordsPerEntity: w.R,
                  loadsPerEntity: w.loadsPerEntity, recordsReadPerEntity: w.recordsReadPerEntity)
                let (r, wr) = models[j].latency(inputs, ops: ops[j], table: book.latency!)
                let h = 2 * (i * nOptions + j)
                // A key with no continuous share (a LIST + GETs read, its record count drawn) may be shared.
                let sharable = key.hit < 0 && key.paused < 0 && !drawn.contains(j)
                read[j] = quantile(
                  r, &lastRead[j], &hints[h],
                  shared: sharable ? SharedP99.Key(option: j, read: true, key: key) : nil)
                write[j] = quantile(
                  wr, &lastWrite[j], &hints[h + 1],
                  shared: sharable ? SharedP99.Key(option: j, read: false, key: key) : nil)
                logRead[j] = Self.logFloored(read[j])
                logWrite[j] = Self.logFloored(write[j])
                latencyMemo[j].store(key, (read[j], write[j], logRead[j], logWrite[j]))
              }
            }
            let column = i * nOptions + j
            costs[column * n + d] = cost[j]
            reads[column * n + d] = read[j]
            if feasible[j] { feasibleCounts[column] += 1 }
          }
          // The decision matrix of this draw (docs/model.md §6), over its feasible options.
          var cheapest = -1
          for j in 0..<nOptions where feasible[j] {
            if cheapest < 0 || cost[j] < cost[cheapest] { cheapest = j }
          }
          guard cheapest >= 0 else { continue }
          cheapestCounts[i * nOptions + cheapest] += 1
          for j in 0..<nOptions {
            scores[j] = 0
            if feasible[j] { logCost[j] = Self.logFloored(cost[j]) }
          }
          addLogScores(logCost, feasible, weights.cost, into: scores)
          if ops != nil {
            addLogScores(logRead, feasible, weights.read, into: scores)
            addLogScores(logWrite, feasible, weights.write, into: scores)
          }
          var best = -1
          for j in 0..<nOptions where feasible[j] {
            scores[j] +=
              weights.durability * traits[j].durability + weights.ttl * traits[j].ttl
              + weights.ops * traits[j].operations
            if best < 0 {
              best = j
            } else if Swift.abs(scores[j] - scores[best]) > 1e-12 {
              if scores[j] > scores[best] { best = j }
            } else if cost[j] < cost[best] {
              best = j
            }
          }
          wins[i * nOptions + best] += 1
        }
      }
      blockStart = blockEnd
    }
    var counts = SampleCounts(scales: scales.count, options: nOptions)
    counts.wins = Array(wins)
    counts.cheapest = Array(cheapestCounts)
    counts.feasible = Array(feasibleCounts)
    return counts
  }

  /// The p99 of `dist`: every way sampling finds one, in one place.
  /// - An integral (a LIST, then GETs) under a `shared` key is solved once for the run (`SharedP99`).
  /// - The option's last distribution, when `dist` is the same, gives its p99 again.
  /// - A two-part mixture whose parts stay the same while their weights change (a cache with a drawn hit ratio in
  ///   front of a LIST and GETs), and which is not solved by Newton steps, is solved inside the bracket of its
  ///   neighbouring weights' p99s (`WeightLadder`), where that bracket holds it.
  /// - Otherwise a new one is solved from around the last p99 solved for the option at this scale (`hint.near`),
  ///   which it becomes. Options whose latency is the same in every draw meet the same distributions from the same
  ///   hints, so their p99s stay equal.
  func quantile(
    _ dist: LatencyDistribution, _ last: inout (LatencyDistribution, Double)?,
    _ hint: inout P99Hint,
    shared: SharedP99.Key?
  ) -> Double {
    if let shared, dist.hasIntegral { return sharedP99.p99(of: dist, shared) }
    if let (d, q) = last, dist.same(as: d) { return q }
    let q: Double
    if case .mixture(let parts) = dist, parts.count == 2, !dist.isFlatMixture {
      if hint.ladder.map({ !$0.holds(parts) }) ?? true { hint.ladder = WeightLadder(parts) }
      let w = parts[0].weight
      q =
        hint.ladder!.between(w).flatMap { dist.quantile(0.99, between: $0.0, $0.1) }
        ?? dist.quantileFast(0.99, near: hint.near ?? last?.1)
      hint.ladder!.insert(w, q)
    } else {
      q = dist.quantileFast(0.99, near: hint.near ?? last?.1)
    }
    last = (dist, q)
    hint.near = q
    return q
  }

  /// ln max(x, 1e-12), as `DecisionMatrix.logScores` takes it.
  @inline(__always) static func logFloored(_ x: Double) -> Double {
    Foundation.log(Swift.max(x, 1e-12))
  }

  /// Adds `weight × (1 − (l − min) / (max − min))` over the feasible options, `l` their logarithms (1 when all are
  /// equal).
  func addLogScores(
    _ logs: UnsafeMutableBufferPointer<Double>, _ feasible: UnsafeMutableBufferPointer<Bool>,
    _ weight: Double, into scores: UnsafeMutableBufferPointer<Double>
  ) {
    var lo = Double.infinity
    var hi = -Double.infinity
    for j in logs.indices where feasible[j] {
      lo = Swift.min(lo, logs[j])
      hi = Swift.max(hi, logs[j])
    }
    let flat = !(hi - lo > DecisionMatrix.equalWithin)
    for j in logs.indices where feasible[j] {
      scores[j] += weight * (flat ? 1 : 1 - (logs[j] - lo) / (hi - lo))
    }
  }

  /// P10, P50 and P90 by nearest rank (the ⌈p × N⌉-th smallest) of one column.
  func percentiles(cost: Bool, column: Int) -> Percentiles {
    let base = (cost ? costs : reads) + column * n
    guard n > 0 else { return Percentiles(p10: 0, p50: 0, p90: 0) }
    // A column with one value throughout (the p99 of an option whose latency no draw changes) is every rank.
    let first = base[0].bitPattern
    if !(1..<n).contains(where: { base[$0].bitPattern != first }) {
      return Percentiles(p10: base[0], p50: base[0], p90: base[0])
    }
    var buffer = Array(UnsafeBufferPointer(start: base, count: n))
    let ranks = [0.1, 0.5, 0.9].map { p in
      Swift.min(n - 1, Swift.max(0, Int((p * Double(n)).rounded(.up)) - 1))
    }
    var lower = 0
    var out: [Double] = []
    for r in ranks {
      out.append(Selection.select(&buffer, rank: r, from: lower))
      lower = r
    }
    return Percentiles(p10: out[0], p50: out[1], p90: out[2])
  }
}

/// Eight draws of a sampling chunk priced at once, option by option and scale by scale, through the options' lane
/// pricers (`Lanes`). A pricing whose lanes took different branches (`LaneDivergence`) or that failed has no result,
/// and the sampler prices those draws one at a time; so does an option at a scale where most batches diverged.
struct LaneBatch {
  struct Result {
    var cost: SIMD8<Double>
    var hitShare: SIMD8<Double>?
    var pausedProbability: SIMD8<Double>?
    var feasible: Bool
  }

  /// Drawn workload fields whose draws the lanes cannot share: the record count sets loop lengths, and the
  /// peak-to-average ratio the traffic profile's groups.
  static let unsharedFields: Set<String> = ["recordsPerEntity", "peakToAverage"]

  let enabled: Bool
  private let job: SamplingJob
  /// Per option: its lane pricer with what `total` needs of it, or nil (one draw at a time).
  private let pricers: [(price: LanesPricer, freeTier: Bool, savingsPlan: SavingsPlanSpec?)?]
  private var contexts: [PricingContext<Lanes>]
  private var results: [Result?]
  private var tries: [Int]
  private var diverged: [Int]

  init(job: SamplingJob, options: [OptionSpec], drawn: [Int], start: DerivedWorkload<Double>) {
    self.job = job
    pricers = options.enumerated().map { j, o in
      drawn.contains(j) ? nil : o.model.lanesPricer(o).map { ($0, o.freeTier, o.savingsPlan) }
    }
    let shareable = job.inputs.allSatisfy { input in
      guard case .workload(let field) = input.target else { return true }
      return !Self.unsharedFields.contains(field)
    }
    enabled = job.lanes && shareable && pricers.contains { $0 != nil }
    let lanes = DerivedWorkload<Lanes>(lanes: Array(repeating: start, count: Lanes.count))
    contexts = options.map { _ in
      PricingContext<Lanes>(workload: lanes, book: job.book, detailed: false, memo: PricingMemo())
    }
    let slots = job.scaleValues.count * options.count
    results = Array(repeating: nil, count: slots)
    tries = Array(repeating: 0, count: slots)
    diverged = tries
  }

  /// Prices the draws whose workloads (at scale 1) are `bases`, one a lane, at every scale.
  mutating func price(_ bases: [DerivedWorkload<Double>]) {
    let all = DerivedWorkload<Lanes>(lanes: bases)
    let n = pricers.count
    for (i, scale) in job.scaleValues.enumerated() {
      let w = all.at(scale: Lanes(repeating: scale))
      for j in 0..<n {
        let slot = i * n + j
        results[slot] = nil
        guard let p = pricers[j] else { continue }
        // Where most batches diverged (a node type that changes with the draw), the draws go one at a time.
        if tries[slot] >= 8 && diverged[slot] * 2 > tries[slot] { continue }
        tries[slot] += 1
        contexts[j].reset(workload: w)
        _ = LaneDivergence.take()
        do throws(MissingRate) {
          try p.price(&contexts[j])
          let total = try contexts[j].lines.total(
            book: job.book, freeTier: p.freeTier, savingsPlan: p.savingsPlan)
          if LaneDivergence.take() {
            diverged[slot] += 1
            continue
          }
          results[slot] = Result(
            cost: total.v, hitShare: contexts[j].laneHitShare,
            pausedProbability: contexts[j].lanePaused,
            feasible: contexts[j].infeasibleReasons.isEmpty)
        } catch {
          // A missing rate: the one-at-a-time pricing reports it.
          _ = LaneDivergence.take()
        }
      }
    }
  }

  /// The lanes' result for (scale, option) of the last `price`, or nil: price those draws one at a time.
  @inline(__always) func result(scale i: Int, option j: Int) -> Result? {
    results[i * pricers.count + j]
  }
}

/// An option behind a reference: passed to its pricer beside an `inout` context, an element of an array of options
/// was copied (its strings and arrays retained) at every pricing; a class's constant is not.
final class OptionRef {
  let spec: OptionSpec
  /// Its `Double` pricer, settings cast once.
  let price: DoublePricer
  init(_ spec: OptionSpec) {
    self.spec = spec
    price = spec.model.doublePricer(spec)
  }
}

/// The p99s that every sampling chunk shares: an integral (a LIST, then the slowest of k GETs) costs about a million
/// instructions to solve, and each of sixteen chunks solved the same few dozen record counts again. A p99 here is
/// solved from no hint, so its bits depend on the distribution alone, not on which chunk solved it first.
final class SharedP99: @unchecked Sendable {
  struct Key: Hashable {
    var option: Int
    var read: Bool
    var key: LatencyKey
  }
  private var known: [Key: Double] = [:]
  private let lock = NSLock()

  func p99(of dist: LatencyDistribution, _ k: Key) -> Double {
    lock.lock()
    let found = known[k]
    lock.unlock()
    if let found { return found }
    let q = dist.quantileFast(0.99, near: nil)
    lock.lock()
    known[k] = q
    lock.unlock()
    return q
  }
}

extension LatencyDistribution {
  /// Holds a sum (a LIST, then GETs), whose CDF is an integral.
  var hasIntegral: Bool {
    switch self {
    case .lognormal: return false
    case .sum: return true
    case .shifted(let d, _), .maxOf(let d, _): return d.hasIntegral
    case .mixture(let parts): return parts.contains { $0.1.hasIntegral }
    }
  }
}

/// Where sampling seeks an option's next read or write p99 at one scale (`SamplingJob.quantile`): the last one
/// solved there, and the two-part mixtures' p99s by weight.
struct P99Hint {
  var near: Double?
  var ladder: WeightLadder?
}

/// The p99s solved for one option's two-part mixture, by the first part's weight, while its parts stay the same.
/// The mixture's CDF moves monotonically with a weight where one part is faster than the other, so a new weight's
/// p99 lies between the p99s of the nearest weights below and above it; `LatencyDistribution.quantile(_:between:)`
/// checks that it does before it solves there (a handful of CDF evaluations, where a bracket grown around the last
/// draw's p99 took about seventeen, each an integral).
struct WeightLadder {
  let first: LatencyDistribution
  let second: LatencyDistribution
  /// Rising weights, and their p99s.
  private(set) var weights: [Double] = []
  private(set) var p99s: [Double] = []
  /// The most weights kept (a weight beyond them is solved, not kept).
  static let capacity = 512

  init(_ parts: [(weight: Double, LatencyDistribution)]) {
    first = parts[0].1
    second = parts[1].1
  }

  func holds(_ parts: [(weight: Double, LatencyDistribution)]) -> Bool {
    parts.count == 2 && parts[0].1.same(as: first) && parts[1].1.same(as: second)
  }

  /// The index of the first weight ≥ w.
  private func index(_ w: Double) -> Int {
    var lo = 0
    var hi = weights.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if weights[mid] < w { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The p99s of the nearest kept weights below and above w, or nil when w is outside them.
  func between(_ w: Double) -> (Double, Double)? {
    let i = index(w)
    guard i > 0, i < weights.count else { return nil }
    return (p99s[i - 1], p99s[i])
  }

  mutating func insert(_ w: Double, _ q: Double) {
    let i = index(w)
    guard weights.count < Self.capacity, i == weights.count || weights[i] != w else { return }
    weights.insert(w, at: i)
    p99s.insert(q, at: i)
  }
}

extension LatencyDistribution {
  /// The p-quantile solved in the bracket of `a` and `b` (either order), or nil when the CDF is not below p at the
  /// lower end and at least p at the upper: the same finish as every solve (`solved`), from a bracket that holds it.
  func quantile(_ p: Double, between a: Double, _ b: Double) -> Double? {
    let lo = Swift.min(a, b)
    let hi = Swift.max(a, b)
    guard lo > 0, hi > lo, hi.isFinite else { return nil }
    let f = PreparedCDF(self)
    let fLo = f.cdf(lo) - p
    guard fLo < 0 else { return nil }
    let fHi = f.cdf(hi) - p
    guard fHi >= 0 else { return nil }
    return solved(p, lo: lo, hi: hi, fLo: fLo, fHi: fHi, f.cdf)
  }
}

/// What an option's latency depends on in one draw.
struct LatencyKey: Hashable {
  var hit: Double
  var paused: Double
  var records: Double
  var loads: Double
  var read: Double
}

/// An option's read and write p99s by their `LatencyKey`: a direct-mapped table of `slots` entries (a key's slot
/// from its bits; a key in a taken slot replaces the one there). Large enough for every whole number of records a
/// range draws, since a p99 decided on the tails (a cache whose hits weigh exactly 0.99) takes milliseconds; and a
/// look-up is one multiply-xorshift hash and one comparison, where a Dictionary's SipHash cost 8% of sampling.
struct LatencyMemo {
  static let slots = 1024
  private var keys: [LatencyKey?] = Array(repeating: nil, count: slots)
  /// Read p99, write p99 and their logarithms.
  private var values: [(Double, Double, Double, Double)] = Array(
    repeating: (0, 0, 0, 0), count: slots)

  static func slot(_ k: LatencyKey) -> Int {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    // SplitMix64's finalizer after each field: every bit of the key reaches the low bits the slot is taken from
    // (a whole number's Double has 40-odd zero low bits, which a bare multiply would leave out of them).
    func mix(_ x: Double) { h = SplitMix64.mix(h ^ x.bitPattern) }
    mix(k.hit)
    mix(k.paused)
    mix(k.records)
    mix(k.loads)
    mix(k.read)
    return Int(truncatingIfNeeded: h) & (slots - 1)
  }

  /// The key last found or stored, and its value: most options meet the same key draw after draw (their latency
  /// depends on nothing drawn), and a comparison is cheaper than the hash.
  private var lastKey: LatencyKey? = nil
  private var lastValue: (Double, Double, Double, Double) = (0, 0, 0, 0)

  mutating func find(_ key: LatencyKey) -> (Double, Double, Double, Double)? {
    if lastKey == key { return lastValue }
    let i = Self.slot(key)
    guard keys[i] == key else { return nil }
    lastKey = key
    lastValue = values[i]
    return lastValue
  }

  mutating func store(_ key: LatencyKey, _ value: (Double, Double, Double, Double)) {
    let i = Self.slot(key)
    keys[i] = key
    values[i] = value
    lastKey = key
    lastValue = value
  }
}

extension LatencyDistribution {
  /// The same distribution: the same cases with the same numbers (a distribution's quantile depends on nothing else).
  func same(as other: LatencyDistribution) -> Bool {
    switch (self, other) {
    case (.lognormal(let m1, let s1), .lognormal(let m2, let s2)):
      return m1 == m2 && s1 == s2
    case (.shifted(let d1, let c1), .shifted(let d2, let c2)):
      return c1 == c2 && d1.same(as: d2)
    case (.mixture(let p1), .mixture(let p2)):
      return p1.count == p2.count
        && zip(p1, p2).allSatisfy { a, b in a.weight == b.weight && a.1.same(as: b.1) }
    case (.maxOf(let d1, let k1), .maxOf(let d2, let k2)):
      return k1 == k2 && d1.same(as: d2)
    case (.sum(let f1, let t1), .sum(let f2, let t2)):
      return f1.same(as: f2) && t1.same(as: t2)
    default:
      return false
    }
  }
}

enum Selection {
  /// The `rank`-th smallest element (0-based) of `a`, moving it to `a[rank]` with smaller elements before it and
  /// larger ones after it (Hoare's selection with a median-of-three pivot). Elements before `from` are already no
  /// larger than any element at or after it.
  static func select(_ a: inout [Double], rank: Int, from: Int = 0) -> Double {
    var lo = from
    var hi = a.count - 1
    while lo < hi {
      let mid = lo + (hi - lo) / 2
      // Median of three as the pivot.
      if a[mid] < a[lo] { a.swapAt(mid, lo) }
      if a[hi] < a[lo] { a.swapAt(hi, lo) }
      if a[hi] < a[mid] { a.swapAt(hi, mid) }
      let pivot = a[mid]
      var i = lo
      var j = hi
      while i <= j {
        while a[i] < pivot { i += 1 }
        while pivot < a[j] { j -= 1 }
        if i <= j {
          a.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if rank <= j {
        hi = j
      } else if rank >= i {
        lo = i
      } else {
        return a[rank]
      }
    }
    return a[rank]
  }
}
