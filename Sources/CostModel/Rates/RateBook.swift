import Foundation

/// Computed once, on first use, from any thread.
final class NodeOfferCache: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String: NodeCandidates] = [:]

  func get(_ key: String, _ make: () -> NodeCandidates) -> NodeCandidates {
    lock.lock()
    defer { lock.unlock() }
    if let v = values[key] { return v }
    let made = make()
    values[key] = made
    return made
  }
}

/// All rate tables of one provider and region, keyed by service file name (`s3`, `dynamodb`, …).
public struct RateBook: Sendable {
  public var provider: String
  public var region: String
  public var directory: String
  public var tables: [String: RateTable] {
    didSet {
      index = Self.makeIndex(tables)
      nodeOfferCache = NodeOfferCache()
    }
  }
  /// ElastiCache node offers per engine (and term and payment), gathered on first use and kept: node selection
  /// compares them at every scale the break-even search tries (Services/ElastiCache/NodeOffer.swift).
  var nodeOfferCache = NodeOfferCache()
  /// service/id → rate (RateIndex.swift).
  private(set) var index: RateIndex
  /// `latency.json` of the same folder, when there is one.
  public var latency: LatencyTable?

  public init(
    provider: String, region: String, directory: String, tables: [String: RateTable],
    latency: LatencyTable? = nil
  ) {
    self.provider = provider
    self.region = region
    self.directory = directory
    self.tables = tables
    self.latency = latency
    self.index = Self.makeIndex(tables)
  }

  static func makeIndex(_ tables: [String: RateTable]) -> RateIndex { RateIndex(tables) }

  /// The file a service's rates live in, as shown in messages.
  public func fileName(for service: String) -> String {
    (directory as NSString).appendingPathComponent("\(service).json")
  }

  /// Looks up `service/id`; a missing file or rate is a data error the caller attributes to the option.
  public func rate(_ service: String, _ id: String) -> Rate? {
    index.rate(service, id)
  }

  /// Loads every `*.json` in `pricing/<provider>/<region>/` except `latency.json`.
  /// `for scenario`: a missing folder is reported at the scenario's `provider` (or `region`, when the provider's
  /// folder exists), where the user chose it.
  public static func load(
    pricingRoot: String, provider: String, region: String, for scenario: Scenario? = nil
  ) throws(DataError) -> RateBook {
    let dir = ((pricingRoot as NSString).appendingPathComponent(provider) as NSString)
      .appendingPathComponent(region)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
      let message =
        "no rate tables for provider \"\(provider)\" and region \"\(region)\" (directory \(dir) not found)"
      guard let scenario else { throw DataError(file: dir, message: message) }
      var providerDir: ObjCBool = false
      let providerFound =
        FileManager.default.fileExists(
          atPath: (pricingRoot as NSString).appendingPathComponent(provider),
          isDirectory: &providerDir) && providerDir.boolValue
      throw DataError(
        file: scenario.file,
        position: scenario.fieldPositions[providerFound ? "region" : "provider"],
        path: providerFound ? "region" : "provider", message: message)
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: dir)
    } catch {
      throw DataError(file: dir, message: "cannot list the directory (\(ioReason(error)))")
    }
    // The files are read and parsed on every core, then checked one after another (a long table's rates are
    // checked in chunks on every core: see RateTable.parse); the first error in name order is the one thrown,
    // carrying every other file's errors.
    let files = names.sorted().filter { $0.hasSuffix(".json") && $0 != "latency.json" }
    let documents = parallelMap(files) { name -> Result<JSONNode, DataError> in
      let path = (dir as NSString).appendingPathComponent(name)
      do throws(DataError) { return .success(try loadJSON(path: path, display: path)) } catch {
        return .failure(error)
      }
    }
    var parsed: [Result<RateTable, DataError>] = []
    for (name, document) in zip(files, documents) {
      let path = (dir as NSString).appendingPathComponent(name)
      do throws(DataError) {
        parsed.append(
          .success(
            try RateTable.parse(
              try document.get(), file: path, expectedService: String(name.dropLast(5)))))
      } catch { parsed.append(.failure(error)) }
    }
    var tables: [String: RateTable] = [:]
    var errors: [DataError] = []
    for (name, result) in zip(files, parsed) {
      let path = (dir as NSString).appendingPathComponent(name)
      let table: RateTable
      switch result {
      case .success(let t): table = t
      case .failure(let e):
        errors.append(e)
        continue
      }
      if table.provider != provider || table.region != region {
        // At the field that disagrees with the folder.
        let field = table.provider != provider ? "provider" : "region"
        errors.append(
          DataError(
            file: path, position: table.document.flatMap { Self.position(of: field, in: $0) },
            path: field,
            message:
              "the table says provider \"\(table.provider)\", region \"\(table.region)\" but lives in \(dir)"
          ))
        continue
      }
      tables[String(name.dropLast(5))] = table
    }
    if let error = DataError.combining(errors) { throw error }
    return RateBook(
      provider: provider, region: region, directory: dir, tables: tables,
      latency: try LatencyTable.load(directory: dir))
  }

  /// Where member `key` of a top-level object starts.
  static func position(of key: String, in document: JSONNode) -> SourcePosition? {
    guard case .object(let members) = document.value else { return nil }
    return members.first { $0.key == key }?.node.position
  }
}
