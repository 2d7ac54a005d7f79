import Foundation

/// What one option's pricer works on and produces at one scale.
public struct PricingContext<Q: CostNumber> {
  private(set) var workload: DerivedWorkload<Q>
  let book: RateBook
  /// What the option's last pricing looked up (sampling; nil elsewhere).
  let memo: PricingMemo?
  var lines: LineBuilder<Q>
  var infeasibleReasons: [String] = []
  var warnings: [String] = []
  /// Facts worth showing beside the bill (node chosen, hit ratio, ACU), in order.
  var details: [String] = []
  /// Figures the latency model needs.
  var facts = OptionFacts()
  /// The hit share of each lane, when `Q` is `Lanes` and the pricer set one (`setHitShare`).
  var laneHitShare: SIMD8<Double>?
  /// Each lane's pause probability, when `Q` is `Lanes` and the option auto-pauses.
  var lanePaused: SIMD8<Double>?
  var detailed: Bool { lines.detailed }

  init(workload: DerivedWorkload<Q>, book: RateBook, detailed: Bool, memo: PricingMemo? = nil) {
    self.workload = workload
    self.book = book
    self.memo = memo
    self.lines = LineBuilder(detailed: detailed, book: book)
  }

  /// The context for another pricing of the same option at `workload`, keeping its storage.
  mutating func reset(workload: DerivedWorkload<Q>) {
    self.workload = workload
    lines.removeAll()
    if !infeasibleReasons.isEmpty { infeasibleReasons = [] }
    if !warnings.isEmpty { warnings = [] }
    if !details.isEmpty { details = [] }
    facts = OptionFacts()
    laneHitShare = nil
    lanePaused = nil
  }

  /// Sets the hit share the latency model reads (`facts.hitShare`); for `Lanes`, each lane's.
  mutating func setHitShare(_ h: Q) {
    if let l = h as? Lanes {
      laneHitShare = l.v
    } else {
      facts.hitShare = h.asDouble
    }
  }

  /// `sumCeil(a:b:m:count:)` of each draw's integers (`Lanes`: lane by lane, as the `Double` pricer computes it).
  func sumCeil(m: Int, _ ab: (WholeSizes) -> (a: Int, b: Int)) -> Q {
    guard let lanes = workload.laneSizes else {
      let x = ab(workload.sizes)
      return sumCeil(a: x.a, b: x.b, m: m, count: workload.sizes.recordsPerEntity)
    }
    // Eight draws: their sums are the same at every scale, so the memo keeps the last few blocks' whole.
    var a = SIMD8<Int>()
    var b = SIMD8<Int>()
    var n = SIMD8<Int>()
    for k in 0..<Lanes.count {
      let x = ab(lanes[k])
      a[k] = x.a
      b[k] = x.b
      n[k] = lanes[k].recordsPerEntity
    }
    let sums =
      memo?.laneSums(a: a, b: b, m: m, count: n)
      ?? PricingMemo.laneSumsComputed(a: a, b: b, m: m, count: n)
    return Lanes(sums) as! Q
  }

  /// `DecimalMath.sumCeil`, through the memo in `Double` (sampling prices the same sizes at every scale).
  func sumCeil(a: Int, b: Int, m: Int, count: Int) -> Q {
    guard Q.self == Double.self, let memo else {
      return DecimalMath.sumCeil(a: a, b: b, m: m, count: count, as: Q.self)
    }
    return memo.sumCeil(a: a, b: b, m: m, count: count) as! Q
  }

  mutating func detail(_ text: @autoclosure () -> String) { if detailed { details.append(text()) } }
  mutating func warn(_ text: @autoclosure () -> String) { if detailed { warnings.append(text()) } }
  /// Infeasibility is always recorded (the decision needs it); its text only with detail.
  mutating func infeasible(_ text: @autoclosure () -> String) {
    infeasibleReasons.append(detailed ? text() : "infeasible")
  }
}

/// Per-option figures that the latency model and the decision matrix use.
public struct OptionFacts: Sendable {
  /// Cache hit ratio h (S3 + cache).
  public var hitRatio: Decimal?
  /// The same hit ratio in `Double`, set in both number types (the latency model's input).
  public var hitShare: Double?
  /// Probability a session finds an auto-paused Aurora cluster paused.
  public var pausedProbability: Double?
  /// ElastiCache node type priced.
  public var nodeType: String?
  /// ElastiCache shards priced.
  public var shards: Int?
  /// Aurora capacity while active (the busiest hour's).
  public var acu: Decimal?
  public init() {}
}

/// Formats a quantity for a detail line: up to 4 significant digits, plain.
func brief<Q: CostNumber>(_ d: Q) -> String { MoneyFormat.significant(d.asDecimal, digits: 4) }
