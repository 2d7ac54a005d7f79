import Foundation

/// A rate file: `pricing/<provider>/<region>/<service>.json` (docs/formats.md "Rate tables").
public struct RateTable: Sendable {
  public var provider: String
  public var service: String
  public var region: String
  public var currency: String
  public var effectiveDate: String
  public var source: String
  public var rates: [Rate]
  public var file: String
  /// The parsed file, held as long as the table: a command reads its tables once and exits, and freeing the
  /// thousands of nodes of a large table took a quarter of its loading time.
  public internal(set) var document: JSONNode?
  /// The file's `$schema` (an editor's schema reference), kept so that `pricing import` writes it back.
  public var schema: String? = nil

  static let topFields = [
    "$schema", "version", "provider", "service", "region", "currency", "effectiveDate", "source",
    "rates",
  ]
  static let rateFields = [
    "id", "description", "unit", "price", "tiers", "per", "freeQuantity",
    "minimumQuantity", "attributes", "source", "effectiveDate",
  ]

  /// Parses and validates a rate table. `expectedService` is the file's base name. A parse stops at its first
  /// error; when it fails, the file is checked against its schema (`SchemaCheck`) and every rate is read again
  /// on its own, so that the error thrown carries every error of the file (up to 20 are printed).
  public static func parse(_ root: JSONNode, file: String, expectedService: String?)
    throws(DataError) -> RateTable
  {
    do {
      return try parseTable(root, file: file, expectedService: expectedService)
    } catch {
      throw SchemaCheck.report(
        root, schema: RatesSchema.document, file: file, parserError: error,
        more: partErrors(root, file: file, expectedService: expectedService))
    }
  }

  /// The errors the parse finds in each part of a table read on its own: the service's name, and the first
  /// error of each rate (and duplicate ids).
  static func partErrors(_ root: JSONNode, file: String, expectedService: String?) -> [DataError] {
    guard case .object(let members) = root.value else { return [] }
    var out: [DataError] = []
    if let expectedService, let n = members.first(where: { $0.key == "service" })?.node,
      case .string(let service) = n.value, service != expectedService
    {
      out.append(
        DataError(
          file: file, position: n.position, path: "service",
          message: wrongService(expectedService, service)))
    }
    guard case .array(let nodes)? = members.first(where: { $0.key == "rates" })?.node.value else {
      return out
    }
    var seen = Set<String>()
    for (i, n) in nodes.enumerated() {
      do throws(DataError) {
        let rr = try JSONObjectReader(n, file: file, path: "rates[\(i)]")
        let rate = try parseRate(rr, defaultSource: "", defaultDate: "")
        if !seen.insert(rate.id).inserted { throw duplicateRate(rate.id, rr) }
      } catch { out.append(error) }
    }
    return out
  }

  static func wrongService(_ expected: String, _ found: String) -> String {
    "expected \"\(expected)\" (the file's name), found \"\(found)\""
  }

  static func duplicateRate(_ id: String, _ rr: JSONObjectReader) -> DataError {
    rr.error("id", "duplicate rate id \"\(id)\"", at: rr.node("id"))
  }

  static func parseTable(_ root: JSONNode, file: String, expectedService: String?)
    throws(DataError) -> RateTable
  {
    let r = try JSONObjectReader(root, file: file, path: "")
    // An editor's schema reference: ignored by the model, kept for `pricing import` when it is a string.
    var schema: String?
    if case .string(let text)? = r.node("$schema")?.value { schema = text }
    try r.requireVersion1()
    let provider = try r.string("provider")
    let service = try r.string("service")
    if let expectedService, service != expectedService {
      throw r.error("service", wrongService(expectedService, service), at: r.node("service"))
    }
    let region = try r.string("region")
    let currency = try r.string("currency")
    guard currency == "USD" else {
      throw r.error("currency", "expected \"USD\", found \"\(currency)\"", at: r.node("currency"))
    }
    let effectiveDate = try parseDate(r, "effectiveDate")
    let source = try r.string("source")
    if source.trimmingCharacters(in: .whitespaces).isEmpty {
      throw r.error(
        "source", "expected where the prices come from, found an empty string", at: r.node("source")
      )
    }
    let rateNodes = try r.array("rates")
    // A long table's rates are parsed in chunks on every core; each chunk stops at its first error, and the
    // chunks are then read in order with the duplicate check, so the error reported is the one a sequential
    // pass would report.
    let chunkSize = max(64, (rateNodes.count + 3) / 4)
    let chunks = Array(stride(from: 0, to: rateNodes.count, by: chunkSize))
    let parsed = parallelMap(chunks) { start -> (rates: [(Rate, Int)], error: DataError?) in
      var out: [(Rate, Int)] = []
      for i in start..<min(start + chunkSize, rateNodes.count) {
        do throws(DataError) {
          let rr = try JSONObjectReader(rateNodes[i], file: file, path: "rates[\(i)]")
          out.append((try parseRate(rr, defaultSource: source, defaultDate: effectiveDate), i))
        } catch { return (out, error) }
      }
      return (out, nil)
    }
    var rates: [Rate] = []
    rates.reserveCapacity(rateNodes.count)
    var seen = Set<String>()
    for chunk in parsed {
      for (rate, i) in chunk.rates {
        if seen.contains(rate.id) {
          throw duplicateRate(
            rate.id, try JSONObjectReader(rateNodes[i], file: file, path: "rates[\(i)]"))
        }
        seen.insert(rate.id)
        rates.append(rate)
      }
      if let e = chunk.error { throw e }
    }
    try r.finish(allowed: topFields)
    return RateTable(
      provider: provider, service: service, region: region, currency: currency,
      effectiveDate: effectiveDate, source: source, rates: rates, file: file, document: root,
      schema: schema)
  }

  static func parseDate(_ r: JSONObjectReader, _ key: String) throws(DataError) -> String {
    let s = try r.string(key)
    return try checkDate(s, r, key)
  }

  static func checkDate(_ s: String, _ r: JSONObjectReader, _ key: String) throws(DataError)
    -> String
  {
    // YYYY-MM-DD, checked on the bytes (a table has hundreds of dates).
    let b = Array(s.utf8)
    func digits(_ r: Range<Int>) -> Int? {
      var v = 0
      for i in r {
        guard b[i] >= 48 && b[i] <= 57 else { return nil }
        v = v * 10 + Int(b[i] - 48)
      }
      return v
    }
    let ok =
      b.count == 10 && b[4] == 45 && b[7] == 45 && digits(0..<4) != nil
      && (1...12).contains(digits(5..<7) ?? 0) && (1...31).contains(digits(8..<10) ?? 0)
    guard ok else {
      throw r.error(key, "expected a date YYYY-MM-DD, found \"\(s)\"", at: r.node(key))
    }
    return s
  }

  static func parseRate(_ rr: JSONObjectReader, defaultSource: String, defaultDate: String)
    throws(DataError) -> Rate
  {
    let id = try rr.string("id")
    // ASCII ids (all of them in practice) are checked on their bytes; others character by character.
    let ascii = id.utf8.allSatisfy { $0 < 128 }
    let spaced =
      ascii
      ? id.utf8.contains { $0 == 32 || (9...13).contains($0) } : id.contains(where: \.isWhitespace)
    guard !id.isEmpty, !id.utf8.contains(47), !spaced else {
      throw rr.error(
        "id", "expected a non-empty id without spaces or '/', found \"\(id)\"", at: rr.node("id"))
    }
    let description = try rr.optionalString("description")
    let unit = try rr.string("unit")
    let per = try rr.decimal("per", .positive, default: 1)
    let hasPrice = rr.has("price")
    let hasTiers = rr.has("tiers")
    if hasPrice && hasTiers {
      throw rr.error("tiers", "a rate has either price or tiers, not both", at: rr.node("tiers"))
    }
    if !hasPrice && !hasTiers {
      throw rr.error("price", "missing, expected a price ≥ 0 (or tiers)")
    }
    var price: Decimal?
    var tiers: [Tier]?
    if hasPrice {
      price = try rr.decimal("price", .nonNegative)
    } else {
      let nodes = try rr.array("tiers")
      guard !nodes.isEmpty else {
        throw rr.error("tiers", "expected at least one tier", at: rr.node("tiers"))
      }
      var list: [Tier] = []
      var previous: Decimal = 0
      for (j, tn) in nodes.enumerated() {
        let tr = try JSONObjectReader(tn, file: rr.file, path: rr.childPath("tiers[\(j)]"))
        let tp = try tr.decimal("price", .nonNegative)
        let upTo = try tr.optionalDecimal("upTo", .positive)
        try tr.finish(allowed: ["upTo", "price"])
        let last = j == nodes.count - 1
        if last && upTo != nil {
          throw tr.error(
            "upTo", "the last tier must have no upTo (it covers the rest)", at: tr.node("upTo"))
        }
        if !last {
          guard let u = upTo else {
            throw tr.error(
              "upTo", "missing, expected the tier's upper bound (only the last tier has none)")
          }
          if u <= previous {
            throw tr.error(
              "upTo", "tiers must be in ascending order: \(u) is not above \(previous)",
              at: tr.node("upTo"))
          }
          previous = u
        }
        list.append(Tier(upTo: upTo, price: tp))
      }
      tiers = list
    }
    let free = try rr.optionalDecimal("freeQuantity", .nonNegative)
    let minimum = try rr.optionalDecimal("minimumQuantity", .nonNegative)
    var attributes: [(key: String, value: Decimal)] = []
    if let ar = try rr.optionalObject("attributes") {
      for key in ar.keys {
        let n = ar.node(key)!
        let rule: NumberRule =
          key == "memoryGiB" ? .positive : (key == "savingsPlanDiscount" ? .fraction : .any)
        let v = try JSONObjectReader.decimal(n, rule, file: rr.file, path: ar.childPath(key))
        if key == "savingsPlanDiscount" && v == 1 {
          throw DataError(
            file: rr.file, position: n.position, path: ar.childPath(key),
            message: "expected a discount below 1 (a fraction off the listed price), found 1")
        }
        attributes.append((key, v))
      }
    }
    let source = try rr.optionalString("source") ?? defaultSource
    let date = rr.has("effectiveDate") ? try parseDate(rr, "effectiveDate") : defaultDate
    try rr.finish(allowed: rateFields)
    return Rate(
      id: id, description: description, unit: unit, price: price, tiers: tiers, per: per,
      freeQuantity: free, minimumQuantity: minimum, attributes: attributes, source: source,
      effectiveDate: date, file: rr.file, position: rr.position)
  }
}
