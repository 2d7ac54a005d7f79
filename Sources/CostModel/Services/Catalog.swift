import Foundation

/// An option's service-specific settings (each service has its own type, in its own folder).
public protocol ServiceSettings: Sendable {}

/// What the decision matrix needs from a service beside cost and latency (docs/model.md §6).
public struct ServiceTraits: Sendable {
  /// System of record 1, volatile 0.
  public var durability: Double
  /// Native 1, lifecycle 0.75, manual 0.25.
  public var ttl: Double
  /// Setup and upkeep, from 1 (S3) down.
  public var operations: Double
}

/// A rate table a service prices from, and how `pricing import` finds its rates in AWS's offers.
public struct RateFile: Sendable {
  /// The file name under `pricing/<provider>/<region>/` (without `.json`).
  public var name: String
  /// The offers (service codes) its rates come from.
  public var offerCodes: [String]
  /// The rates to select; ElastiCache is given the node types to price.
  public var selectors: @Sendable (_ nodeTypes: [String]) -> [RateSelector]
}

/// One storage service costplan can price: its settings, pricer, latency, decision traits, description and rate
/// files. Each lives in its own folder under `Services/`; `ServiceCatalog.all` lists them in order.
public protocol StorageService: Sendable {
  /// The `service` value of a scenario option.
  var id: String { get }
  /// The option fields this service reads, beside `id`, `service` and `freeTier`.
  var fields: [String] { get }
  /// The rate tables this service brings (its own first); other services' tables it also uses are theirs.
  var rateFiles: [RateFile] { get }
  /// Reads the option's settings; `note(key, text)` records a default used when `key` is absent.
  /// Settings given as ranges (docs/model.md §10) are kept in `ranges` by JSON path; the settings hold their medians.
  func parse(
    _ r: JSONObjectReader, note: (String, String) -> Void, ranges: inout [String: InputRange]
  ) throws(DataError)
    -> (ServiceSettings, SavingsPlanSpec?)
  /// Prices one option at one scale into `ctx` (docs/model.md §3): exactly, and fast for the break-even search.
  /// Two requirements rather than one generic one, so that each service's pricer is specialized for both number
  /// types (a generic requirement called through `any StorageService` would run unspecialized, several times slower).
  func price(_ option: OptionSpec, into ctx: inout PricingContext<Decimal>) throws(MissingRate)
  func price(_ option: OptionSpec, into ctx: inout PricingContext<Double>) throws(MissingRate)
  /// The option's `Double` pricer with its settings read once: sampling prices the same option at every scale of
  /// every draw. The default calls `price`.
  func doublePricer(_ option: OptionSpec) -> DoublePricer
  /// The option's pricer over eight draws at once (`Lanes`), or nil: sampling then prices it one draw at a time.
  /// The default is nil; a service whose pricer is generic over its number type returns it.
  func lanesPricer(_ option: OptionSpec) -> LanesPricer?
  /// Switching (docs/model.md §11): the entities this option holds in hot storage in the workload's month (each
  /// with its R records; archives stay where they are). In a projection month, that month's stock.
  func hotEntities(_ option: OptionSpec, workload: DerivedWorkload<Decimal>) -> Decimal
  /// Switching: the one-off lines of reading `entities` resident entities out of this option, each loaded once
  /// with all its records by the option's load rules, bypassing any cache. Capacity-priced lines (provisioned
  /// units, ACU-hours, node hours) add nothing.
  func migrationReads(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>)
  /// Switching: the one-off lines of writing `entities` entities with all their records into this option by its
  /// append rules, except that a layout storing an entity as one object or item writes it once.
  func migrationWrites(
    _ option: OptionSpec, entities: Decimal, into ctx: inout PricingContext<Decimal>)
  /// The `latency.json` operations the option's latency needs.
  func latencyOperations(_ option: OptionSpec) -> [String]
  /// Read (load) and write (append) latency distributions from the operations (docs/model.md §5).
  func latency(_ x: LatencyInputs, ops: [String: LatencyDistribution], table: LatencyTable)
    -> (read: LatencyDistribution, write: LatencyDistribution)
  func traits(_ option: OptionSpec) -> ServiceTraits
  /// One line for tables and reports.
  func describe(_ option: OptionSpec) -> String
  /// The settings `parse` accepts, as JSON Schema for `costplan schema scenario` (in the service's folder, beside
  /// `parse`, so that the two are changed together).
  var settingsSchema: OptionSchema { get }
  /// The settings with one setting that a range may stand for (docs/model.md §10) set to `value`: sampling and the
  /// sensitivity analysis price the option at drawn values. nil when the service has no such setting.
  func setting(_ field: String, to value: Decimal, in settings: any ServiceSettings) -> (
    any ServiceSettings
  )?
}

/// A pricer for one option in `Double` (`StorageService.doublePricer`).
public typealias DoublePricer = (inout PricingContext<Double>) throws(MissingRate) -> Void
/// A pricer for one option over eight draws (`StorageService.lanesPricer`).
public typealias LanesPricer = (inout PricingContext<Lanes>) throws(MissingRate) -> Void

extension StorageService {
  public func doublePricer(_ option: OptionSpec) -> DoublePricer {
    { ctx throws(MissingRate) in try self.price(option, into: &ctx) }
  }

  public func setting(_ field: String, to value: Decimal, in settings: any ServiceSettings) -> (
    any ServiceSettings
  )? { nil }

  public func lanesPricer(_ option: OptionSpec) -> LanesPricer? { nil }
}

/// A service's option settings as JSON Schema: each field `parse` reads, and the rules across fields it enforces
/// (`JSONSchema.rule`). `ScenarioSchema` adds `id`, `service` and `freeTier` and closes the object.
public struct OptionSchema: Sendable {
  public var description: String
  /// In the order of `StorageService.fields`.
  public var properties: [(name: String, schema: JSONSchema)]
  public var rules: [JSONSchema] = []
}

/// Every service, in the order tables and help list them. Adding a service: its folder and one line here.
public enum ServiceCatalog {
  public static let all: [any StorageService] = [
    S3Service(),
    DynamoDBService(),
    ElastiCacheService(),
    AuroraService(),
  ]

  public static var ids: [String] { all.map(\.id) }

  public static func service(_ id: String) -> (any StorageService)? { all.first { $0.id == id } }

  /// Every rate table the services bring, each once, in catalog order.
  public static let rateFiles: [RateFile] = {
    var seen = Set<String>()
    return all.flatMap(\.rateFiles).filter { seen.insert($0.name).inserted }
  }()

  public static func rateFile(_ name: String) -> RateFile? { rateFiles.first { $0.name == name } }
}
