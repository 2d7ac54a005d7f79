import CostModel
import CostReports
import Foundation
import StorageKit

/// One line of a validation table: a quantity per record, what the model assumes and what the store did.
public struct ValidationRow: Sendable {
  public enum Tolerance: Sendable {
    case relative(Double)
    /// Relative, or this absolute amount per record when that is larger (request counts near zero).
    case relativeOrAbsolute(Double, Double)
    case absolute(Double)
    /// Not a check: an input of the scenario, or something only a real server can measure.
    case none(String)
  }
  public var quantity: String
  public var model: Double?
  public var measured: Double?
  public var tolerance: Tolerance

  public var passes: Bool? {
    guard let m = model, let x = measured else { return nil }
    switch tolerance {
    case .relative(let r): return m == 0 ? abs(x) < 1e-12 : abs(x - m) <= r * abs(m) + 1e-12
    case .relativeOrAbsolute(let r, let a): return abs(x - m) <= max(r * abs(m), a) + 1e-12
    case .absolute(let a): return abs(x - m) <= a + 1e-12
    case .none: return nil
    }
  }

  public var verdict: String {
    switch (passes, tolerance) {
    case (true?, _): return "ok"
    case (false?, _): return "OUTSIDE"
    case (nil, .none(let why)): return why
    default: return "—"
    }
  }
}

/// The validation of one scenario option.
public struct OptionValidation: Sendable {
  public var optionId: String
  public var description: String
  public var backend: String
  public var rows: [ValidationRow]
  public var requests: StoreCounters
  public var notes: [String]
  public var passes: Bool { rows.allSatisfy { $0.passes != false } }
}

/// Runs a scaled-down copy of a scenario through the embedded backend of each option (README.md "The reference store:
/// validate") and compares what the store did with what the cost engine assumed for the same workload.
public struct Validation {
  public static let requestTolerance = 0.01
  /// Requests per record closer than this count as equal however small the model's figure (0.02 = 1 in 50).
  public static let requestFloor = 0.02
  public static let unitTolerance = 0.05
  public static let bytesTolerance = 0.10
  public static let hitRatioTolerance = 0.05
  public static let maxRecordsPerEntity = 1000

  public var scenario: Scenario
  public var book: RateBook
  public var entities: Int
  /// A folder for the file stores; emptied by the caller.
  public var workDir: String
  /// How reports name `workDir` (a temporary folder would make them differ from run to run).
  public var workDirLabel = "$TMPDIR"

  public init(scenario: Scenario, book: RateBook, entities: Int, workDir: String) {
    self.scenario = scenario
    self.book = book
    self.entities = entities
    self.workDir = workDir
  }

  var plan: SessionPlan {
    SessionPlan(scenario.workload, maxRecordsPerEntity: Self.maxRecordsPerEntity)
  }
  var records: Int { plan.recordsPerEntity }

  /// The scenario the engine prices for comparison: `entities` entities a month of `records` records each.
  var scaledScenario: Scenario {
    var s = scenario
    s.workload.entitiesPerMonth = Decimal(entities)
    s.workload.recordsPerEntity = records
    return s
  }

  public var header: String {
    let w = scenario.workload
    var s =
      "\(entities) \(Noun.plural(w.entity, count: Decimal(entities))) × \(records) \(Noun.plural(w.record, count: Decimal(records))) of \(w.recordBytes) bytes"
    s += records < w.recordsPerEntity ? " (cut from \(w.recordsPerEntity))" : ""
    s += ", \(w.loadsPerRecord) loads per \(w.record), \(w.loadsPerEntity) per \(w.entity)"
    return s
  }

  public func run() throws(ValidationError) -> [OptionValidation] {
    var out: [OptionValidation] = []
    for option in scenario.options {
      do {
        out.append(try validate(option))
      } catch let e as StoreError {
        throw .store(option.id, e)
      } catch let e as DataError {
        throw .data(e)
      } catch {
        throw .store(option.id, StoreError(.badData, "\(error)", underlying: error))
      }
    }
    return out
  }

  /// The engine's quantity of a rate per record written, for the scaled scenario.
  func modelPerRecord(_ option: OptionSpec, _ rateRef: String) throws(DataError) -> Double {
    let est = try Estimator(scenario: scaledScenario, book: book).estimate(
      Self.meteringTwin(option), scale: 1)
    let q = est.lines.filter { $0.rateRef == rateRef }.reduce(Decimal(0)) { $0 + $1.quantity }
    return NSDecimalNumber(decimal: q).doubleValue / Double(entities * records)
  }

  /// The option as the store meters it: DynamoDB consumes the same request units however they are billed
  /// (provisioned capacity, Standard-IA, a savings plan), so they are compared with the on-demand Standard twin's lines.
  static func meteringTwin(_ option: OptionSpec) -> OptionSpec {
    var o = option
    o.savingsPlan = nil
    if var d = o.settings as? DynamoDBSettings {
      d.capacity = .onDemand
      d.tableClass = .standard
      d.reservedWCU = 0
      d.reservedRCU = 0
      o.settings = d
    }
    return o
  }

  /// Runs `sessions` entity sessions (all of them by default) numbered from `offset`, one simulated second per
  /// operation, each append writing the next of `bodies` (one body of the scenario's size by default).
  /// Returns the appends made.
  @discardableResult
  func drive(_ store: RecordStore, sessions: Int? = nil, offset: Int = 0, bodies: [[UInt8]]? = nil)
    throws(StoreError) -> Int
  {
    let bodies = bodies ?? [[UInt8](repeating: 0x61, count: scenario.workload.recordBytes)]
    var t: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    var appends = 0
    for op in plan.interleaved(sessions: sessions ?? entities, concurrent: 4, seed: 11) {
      t += 1000
      switch op {
      case .append(let e, let k):
        try store.append(
          entity: entityName(e + offset), body: bodies[(e * 7 + k) % bodies.count], at: t)
        appends += 1
      case .load(let e): _ = try store.load(entity: entityName(e + offset), since: nil)
      }
    }
    return appends
  }

  func entityName(_ i: Int) -> String {
    "\(scenario.workload.entity)-\(String(format: "%04d", i + 1))"
  }

  func perRecord(_ n: Int) -> Double { Double(n) / Double(entities * records) }

  func validate(_ option: OptionSpec) throws -> OptionValidation {
    switch option.settings {
    case let s as S3Settings: return try validateS3(option, s)
    case let s as DynamoDBSettings: return try validateDynamoDB(option, s)
    default: return try validateOther(option)
    }
  }

  func validateS3(_ option: OptionSpec, _ s: S3Settings) throws -> OptionValidation {
    let w = scenario.workload
    let K = Double(w.keyBytes)
    let B = Double(w.recordBytes)
    let R = Double(records)
    let dir = workDir + "/" + EntityName.encode(option.id)
    let layout: FileStore.Layout =
      s.layout == .objectPerEntity ? .objectPerEntity : .objectPerRecord
    var rows: [ValidationRow] = []
    var notes: [String] = []
    let counters: StoreCounters
    let stored: (bytes: Int?, records: Int?)
    var modelOption = option
    var backend = "file:\(dir)?layout=\(layout.rawValue)"
    if let cache = s.cache {
      let real = DerivedWorkload(
        workload: w, scale: Decimal(1), horizonMonths: scenario.horizonMonths)
      let handler = NSDecimalNumber(decimal: cache.handlerMs).doubleValue
      let sim = FleetSimulation(
        plan: plan, sessions: entities, sessionsPerHour: real.sessionsPerHour,
        gapMinutes: real.recordGapMinutes.asDouble, recordBytes: w.recordBytes)
      switch cache.model {
      case .fixed(let h):
        // One process, one cache: what the seed's code does on a single warm instance.
        let store = CacheStore(
          inner: try FileStore(directory: dir, layout: layout), entities: 10_000)
        try drive(store)
        counters = store.counters
        stored = (try store.storedBytes(), try store.storedRecords())
        let measured =
          Double(counters["cache-hit"])
          / Double(max(1, counters["cache-hit"] + counters["cache-miss"]))
        rows.append(
          ValidationRow(
            quantity: "cache hit ratio (one process)",
            model: NSDecimalNumber(decimal: h).doubleValue,
            measured: measured, tolerance: .none("input")))
        let fleet = LambdaFleet(handlerMs: handler, idleTimeoutMinutes: 10) {
          () throws(StoreError) -> RecordStore in MemoryStore()
        }
        let outcome = try sim.run(fleet, entityName: entityName)
        rows.append(
          ValidationRow(
            quantity:
              "cache hit ratio (Lambda fleet simulated at 1× traffic, \(Int(handler)) ms handler, 10 min idle)",
            model: nil, measured: outcome.hitRatio, tolerance: .none("info")))
        notes.append(
          "The hit ratio \(h) is an input of the scenario, not checked. S3 requests are compared at the hit ratio measured here, so the rows test the request accounting."
        )
        modelOption.settings = Self.withHitRatio(s, measured)
      case .lambdaFleet(let idle):
        let fleet = LambdaFleet(
          handlerMs: handler, idleTimeoutMinutes: NSDecimalNumber(decimal: idle).doubleValue
        ) { () throws(StoreError) -> RecordStore in
          try FileStore(directory: dir, layout: layout)
        }
        let outcome = try sim.run(fleet, entityName: entityName)
        counters = outcome.counters
        let probe = try FileStore(directory: dir, layout: layout)
        stored = (try probe.storedBytes(), try probe.storedRecords())
        let model = CacheHitRatio.fleet(
          workload: real, handlerMs: cache.handlerMs, idleTimeoutMinutes: idle)
        rows.append(
          ValidationRow(
            quantity: "cache hit ratio (Lambda fleet at 1× traffic)",
            model: model.hitRatio.asDouble,
            measured: outcome.hitRatio, tolerance: .absolute(Self.hitRatioTolerance)))
        rows.append(
          ValidationRow(
            quantity: "concurrent instances (model c; simulated peak)",
            model: model.concurrency.asDouble,
            measured: Double(outcome.peakInstances), tolerance: .none("info")))
        notes.append(
          "Fleet: \(outcome.coldStarts) cold starts over \(entities) sessions arriving at \(String(format: "%.3f", real.sessionsPerHour)) an hour, one file-store client per instance."
        )
        notes.append(
          "S3 requests are compared at the simulated hit ratio \(String(format: "%.4f", outcome.hitRatio)); the hit ratio row checks the model's own."
        )
        modelOption.settings = Self.withHitRatio(s, outcome.hitRatio)
        backend = "lambda fleet of cache:file:\(dir)?layout=\(layout.rawValue)"
      }
    } else {
      let store = try FileStore(directory: dir, layout: layout)
      try drive(store)
      counters = store.counters
      stored = (try store.storedBytes(), try store.storedRecords())
    }
    if counters["GET before PUT"] > 0 {
      notes.append(
        "\(counters["GET before PUT"]) of the GETs were reads before a rewrite: an append on an instance that had not seen the object's current version must read it first (the model counts 1 PUT per append and no GET; the seed's code skips the read and loses the earlier records)."
      )
    }
    rows.insert(
      contentsOf: [
        ValidationRow(
          quantity: "S3 PUT, COPY, POST, LIST requests (s3/requests-tier1)",
          model: try modelPerRecord(modelOption, "s3/requests-tier1"),
          measured: perRecord(counters["PUT"] + counters["LIST"]),
          tolerance: .relativeOrAbsolute(Self.requestTolerance, Self.requestFloor)),
        ValidationRow(
          quantity: "S3 GET requests (s3/requests-tier2)",
          model: try modelPerRecord(modelOption, "s3/requests-tier2"),
          measured: perRecord(counters["GET"]),
          tolerance: .relativeOrAbsolute(Self.requestTolerance, Self.requestFloor)),
        ValidationRow(
          quantity: "bytes stored", model: s.layout == .objectPerEntity ? (K + R * B) / R : K + B,
          measured: Self.ratio(stored.bytes, stored.records),
          tolerance: .relative(Self.bytesTolerance)),
      ], at: 0)
    return OptionValidation(
      optionId: option.id, description: OptionDescription.describe(option),
      backend: backend.replacingOccurrences(of: workDir, with: workDirLabel), rows: rows,
      requests: counters, notes: notes)
  }

  func validateDynamoDB(_ option: OptionSpec, _ s: DynamoDBSettings) throws -> OptionValidation {
    let w = scenario.workload
    let K = Double(w.keyBytes)
    let B = Double(w.recordBytes)
    let R = Double(records)
    let layout: DynamoLayout = s.layout == .itemPerRecord ? .itemPerRecord : .itemPerEntity
    let ttl = w.retentionDays.map { Int(NSDecimalNumber(decimal: $0).doubleValue.rounded(.up)) }
    let store = MemoryStore(dynamo: layout, consistent: s.consistentReads, ttlDays: ttl)
    var notes: [String] = []
    do { try drive(store) } catch {
      guard error.code == .recordRefused else { throw error }
      notes.append("The store refused a write: \(error.message).")
      return OptionValidation(
        optionId: option.id, description: OptionDescription.describe(option),
        backend: store.displayURL,
        rows: [
          ValidationRow(
            quantity: "items fit in 400 KB", model: nil, measured: nil,
            tolerance: .none("infeasible"))
        ],
        requests: store.counters, notes: notes)
    }
    let c = store.counters
    notes.append(
      "Items: partition key entity, sort key seq, at, body (Binary)\(ttl == nil ? "" : ", ttl"); sizes by DynamoDB's rules (attribute names + values), so request units follow the bytes really built."
    )
    let rows = [
      ValidationRow(
        quantity: "write request units (dynamodb/write-request-unit)",
        model: try modelPerRecord(option, "dynamodb/write-request-unit"),
        measured: c.writeUnits / Double(entities * records),
        tolerance: .relative(Self.unitTolerance)),
      ValidationRow(
        quantity: "read request units (dynamodb/read-request-unit)",
        model: try modelPerRecord(option, "dynamodb/read-request-unit"),
        measured: c.readUnits / Double(entities * records), tolerance: .relative(Self.unitTolerance)
      ),
      ValidationRow(
        quantity: layout == .itemPerRecord ? "item bytes" : "item bytes (entity item ÷ records)",
        model: layout == .itemPerRecord ? K + B : (K + R * B) / R,
        measured: Self.ratio(try store.storedBytes(), try store.storedRecords()),
        tolerance: .relative(Self.bytesTolerance)),
    ]
    return OptionValidation(
      optionId: option.id, description: OptionDescription.describe(option),
      backend: store.displayURL,
      rows: rows, requests: c, notes: notes)
  }

  func validateOther(_ option: OptionSpec) throws -> OptionValidation {
    let w = scenario.workload
    let B = Double(w.recordBytes)
    let R = Double(records)
    let store = MemoryStore()
    try drive(store)
    let c = store.counters
    let derived = DerivedWorkload(
      workload: scaledScenario.workload, scale: Decimal(1), horizonMonths: scenario.horizonMonths)
    let isCache = option.settings is ElastiCacheSettings
    let overhead: String
    switch option.settings {
    case let e as ElastiCacheSettings:
      overhead =
        "memory per \(w.record) (perRecordOverheadBytes \(e.perRecordOverheadBytes)): needs --backend redis://"
    case let a as AuroraSettings:
      overhead =
        "disk per \(w.record) (rowOverheadBytes \(a.rowOverheadBytes)): needs --backend postgres://"
    default: overhead = ""
    }
    let rows = [
      ValidationRow(
        quantity: isCache ? "writes (RPUSH + EXPIRE, one round trip)" : "writes (INSERT)", model: 1,
        measured: perRecord(c["append"]), tolerance: .relative(Self.requestTolerance)),
      ValidationRow(
        quantity: isCache ? "reads (LRANGE)" : "reads (SELECT)",
        model: derived.loads.asDouble / Double(entities * records),
        measured: perRecord(c["load"]), tolerance: .relative(Self.requestTolerance)),
      ValidationRow(
        quantity: "\(Noun.plural(w.record)) read", model: derived.recordsReadPerEntity.asDouble / R,
        measured: Double(c.bytesReceived) / B / Double(entities * records),
        tolerance: .relative(Self.requestTolerance)),
      ValidationRow(
        quantity: overhead, model: nil, measured: nil, tolerance: .none("not measured")),
    ]
    return OptionValidation(
      optionId: option.id, description: OptionDescription.describe(option), backend: "memory:",
      rows: rows, requests: c,
      notes: [
        "The embedded store checks the request mix; memory and disk overheads need the real server."
      ])
  }

  static func withHitRatio(_ s: S3Settings, _ h: Double) -> S3Settings {
    var out = s
    out.cache?.model = .fixed(Decimal(h))
    return out
  }

  static func ratio(_ a: Int?, _ b: Int?) -> Double? {
    guard let a, let b, b > 0 else { return nil }
    return Double(a) / Double(b)
  }
}

public enum ValidationError: Error {
  case store(String, StoreError)
  case data(DataError)
}

/// The validation report: Markdown, readable in a terminal and in `reports/validation.md`.
public enum ValidationReport {
  public static func markdown(_ runs: [(Validation, [OptionValidation])]) -> String {
    var s = "# Validation: the model's assumptions against the reference store\n\n"
    s +=
      "Each option's scaled-down workload runs through an embedded backend (`file:` with S3's request accounting for S3, "
    s +=
      "`memory:` with DynamoDB's item sizes for DynamoDB, a simulated Lambda fleet for `cache.model: lambda-fleet`, plain `memory:` for the rest), "
    s +=
      "and what the store did is compared with what the cost engine assumes for the same workload, per record written.\n\n"
    s +=
      "Tolerance: requests ±\(pct(Validation.requestTolerance)) (or ±\(Validation.requestFloor) per record, whichever is larger), request units ±\(pct(Validation.unitTolerance)), "
    s +=
      "bytes ±\(pct(Validation.bytesTolerance)) (the model's keyBytes is an assumption), hit ratio ±\(Validation.hitRatioTolerance) absolute. "
    s += "A row outside its tolerance is marked OUTSIDE and makes `costplan validate` exit 1.\n"
    for (v, options) in runs {
      s += "\n## \(v.scenario.name)\n\n\(v.header).\n"
      for o in options {
        s += "\n### \(o.optionId) — \(o.description)\n\nBackend: `\(o.backend)`\n\n"
        s +=
          "| per \(v.scenario.workload.record) | model | measured | difference | verdict |\n|---|---:|---:|---:|---|\n"
        for r in o.rows {
          s +=
            "| \(r.quantity) | \(num(r.model)) | \(num(r.measured)) | \(diff(r)) | \(r.verdict) |\n"
        }
        let kinds = o.requests.requests.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
          .joined(separator: ", ")
        s += "\nRequests counted: \(kinds.isEmpty ? "none" : kinds)"
        if o.requests.writeUnits > 0 || o.requests.readUnits > 0 {
          s += "; WRU \(num(o.requests.writeUnits)), RRU \(num(o.requests.readUnits))"
        }
        s += ".\n"
        for n in o.notes { s += "\n\(n)\n" }
      }
    }
    let failing = runs.flatMap { v, os in
      os.filter { !$0.passes }.map { "\(v.scenario.name)/\($0.optionId)" }
    }
    s +=
      "\n## Result\n\n"
      + (failing.isEmpty
        ? "Every row is within its tolerance.\n"
        : "Outside tolerance: \(failing.joined(separator: ", ")).\n")
    return s
  }

  static func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

  static func num(_ v: Double?) -> String {
    guard let v else { return "—" }
    if v == v.rounded() && abs(v) < 1e12 { return String(Int64(v)) }
    return String(format: abs(v) >= 100 ? "%.1f" : "%.4f", v)
  }

  static func diff(_ r: ValidationRow) -> String {
    guard let m = r.model, let x = r.measured else { return "" }
    if case .absolute = r.tolerance { return String(format: "%+.4f", x - m) }
    if case .relativeOrAbsolute(_, let a) = r.tolerance, abs(x - m) <= a, abs(m) < 1 {
      return String(format: "%+.4f", x - m)
    }
    if m == 0 { return x == 0 ? "0" : "∞" }
    return String(format: "%+.1f%%", (x - m) / m * 100)
  }
}
