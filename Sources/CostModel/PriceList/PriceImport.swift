import Foundation

/// `costplan pricing import`: turns an AWS offer into costplan's rate table for one service and Region,
/// updating the table already there (rates the offer does not price keep their values, source and date).
public enum PriceImport {
  public struct Change: Sendable {
    public var id: String
    public var old: String?
    public var new: String
    public var sku: String
  }

  public struct Result: Sendable {
    public var text: String
    public var offerCode: String
    public var effectiveDate: String
    public var source: String
    public var changes: [Change]
    /// Rates the table had that this offer did not price, and why.
    public var kept: [(id: String, why: String)]
    public var productsRead: Int
    public var peakBufferedBytes: Int
  }

  /// - Parameters:
  ///   - existing: the table at the destination, if there is one.
  ///   - partial: accept an offer excerpt: a required rate with no SKU keeps the table's current price.
  public static func run(offerPath: String, display: String, service: String, region: String, existing: RateTable?,
    partial: Bool, chunkSize: Int = 1 << 20) throws(DataError) -> Result
  {
    guard let allowedCodes = RateSelectors.offerCodes[service] else {
      throw DataError(file: display, message: "unknown service \"\(service)\"")
    }
    var nodeTypes: [String] = []
    for r in existing?.rates ?? [] where r.id.hasPrefix("node:") {
      let parts = r.id.split(separator: ":")
      if parts.count == 3, !nodeTypes.contains(String(parts[1])) { nodeTypes.append(String(parts[1])) }
    }
    if nodeTypes.isEmpty { nodeTypes = RateSelectors.defaultNodeTypes }
    let all = RateSelectors.selectors(service: service, nodeTypes: nodeTypes)
    let offer = try OfferReader.read(path: offerPath, display: display, chunkSize: chunkSize) { p in
      RateSelectors.inRegion(p, region) && all.contains { $0.matches(p) }
    }
    let codes = offer.offerCodes.intersection(allowedCodes)
    guard codes.count == 1, let code = codes.first else {
      let found = offer.offerCodes.sorted().joined(separator: ", ")
      throw DataError(file: display, message: codes.isEmpty
        ? "the offer is for \(found), not \(service) (expected \(allowedCodes.joined(separator: " or ")))"
        : "the offer mixes \(found); import one offer at a time")
    }
    let names = [region] + (RateSelectors.locations[region] ?? [])
    guard names.contains(where: offer.regions.contains) else {
      let have = offer.regions.sorted()
      let list = have.prefix(12).joined(separator: ", ") + (have.count > 12 ? ", … (\(have.count) in all)" : "")
      throw DataError(file: display, message: "region \(region) is not in the offer (it prices: \(have.isEmpty ? "no region" : list))")
    }
    let date = try effectiveDate(offer, display: display)
    let version = offer.version ?? "current"
    let source = offer.shape == .bulk
      ? "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/\(code)/\(version)/\(region)/index.json"
      : "AWS Price List Query API GetProducts, ServiceCode=\(code), version \(version)"

    let existingRates = Dictionary((existing?.rates ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var imported: [String: RateDraft] = [:]
    var changes: [Change] = []
    var kept: [(id: String, why: String)] = []
    for sel in all where sel.offerCode == code {
      let matches = offer.products.values.filter { sel.matches($0) }.sorted { $0.sku < $1.sku }
      if matches.count > 1 {
        let list = matches.map { p in
          "\(p.sku) (\(p.attributes["usagetype"] ?? "no usagetype")\(offer.terms[p.sku]?.first?.dimensions.first.map { ", " + DecimalText.plain($0.pricePerUnit) + " USD/" + $0.unit } ?? ""))"
        }
        throw DataError(file: display, message: "rate \(sel.rateId): \(matches.count) SKUs match \(sel.filterDescription) in \(region): \(list.joined(separator: "; ")); refusing to pick one")
      }
      guard let product = matches.first else {
        if let old = existingRates[sel.rateId] {
          if sel.required && !partial {
            throw DataError(file: display, message: "rate \(sel.rateId): no SKU in the offer matches \(sel.filterDescription) in \(region); if the file is an excerpt, pass --partial to keep the table's current price (\(RateDraft(old).priceText))")
          }
          kept.append((sel.rateId, "no SKU matches \(sel.filterDescription)"))
        } else if sel.required {
          throw DataError(file: display, message: "rate \(sel.rateId): no SKU in the offer matches \(sel.filterDescription) in \(region), and the table has no price for it to keep")
        }
        continue
      }
      let draft = try rate(for: sel, product: product, terms: offer.terms[product.sku] ?? [], old: existingRates[sel.rateId], display: display)
      imported[sel.rateId] = draft
      changes.append(Change(id: sel.rateId, old: existingRates[sel.rateId].map { RateDraft($0).priceText }, new: draft.priceText, sku: product.sku))
    }

    if imported.isEmpty {
      throw DataError(file: display, message: "no rate of \(service) is priced in this offer for \(region); nothing to import")
    }
    // Existing rates first, in their order; rates the offer did not price keep their own source and date.
    var rates: [RateDraft] = []
    for r in existing?.rates ?? [] {
      if let d = imported[r.id] {
        rates.append(d)
        continue
      }
      var d = RateDraft(r)
      d.source = d.source == source ? nil : d.source
      d.effectiveDate = d.effectiveDate == date && d.source == nil ? nil : d.effectiveDate
      rates.append(d)
      if !kept.contains(where: { $0.id == r.id }) {
        kept.append((r.id, all.contains { $0.rateId == r.id } ? "priced by another offer" : "not imported from offers (see pricing/README.md)"))
      }
    }
    for sel in all where sel.offerCode == code {
      if existingRates[sel.rateId] == nil, let d = imported[sel.rateId] { rates.append(d) }
    }
    let text = RateTableWriter.render(provider: "aws", service: service, region: region, effectiveDate: date, source: source, rates: rates)
    // What is written must load: check it with the same parser `report` uses.
    let root = try JSONParser.parse(Data(text.utf8), file: "\(service).json (imported)")
    _ = try RateTable.parse(root, file: "\(service).json (imported)", expectedService: service)
    return Result(text: text, offerCode: code, effectiveDate: date, source: source, changes: changes, kept: kept,
      productsRead: offer.productCount, peakBufferedBytes: offer.peakBufferedBytes)
  }

  /// The offer's publication date as YYYY-MM-DD; without one, the date in its version (20230123170643).
  static func effectiveDate(_ offer: Offer, display: String) throws(DataError) -> String {
    for text in [offer.publicationDate, offer.version].compactMap({ $0 }) {
      let digits = text.filter { $0.isASCII && $0.isNumber }
      guard digits.count >= 8 else { continue }
      let d = Array(digits)
      let y = String(d[0..<4]), m = String(d[4..<6]), day = String(d[6..<8])
      if (1...12).contains(Int(m) ?? 0), (1...31).contains(Int(day) ?? 0) { return "\(y)-\(m)-\(day)" }
    }
    throw DataError(file: display, message: "the offer has no publicationDate or version to date its prices")
  }

  static func rate(for sel: RateSelector, product p: OfferProduct, terms: [OfferTerm], old: Rate?, display: String) throws(DataError) -> RateDraft {
    let sku = p.sku
    guard terms.count == 1, let term = terms.first else {
      throw DataError(file: display, message: terms.isEmpty
        ? "rate \(sel.rateId): SKU \(sku) has no OnDemand price"
        : "rate \(sel.rateId): SKU \(sku) has \(terms.count) OnDemand terms (\(terms.map(\.key).joined(separator: ", "))); refusing to pick one")
    }
    var dims = term.dimensions
    guard !dims.isEmpty else { throw DataError(file: display, message: "rate \(sel.rateId): SKU \(sku) term \(term.key) has no price dimensions") }
    for d in dims where !sel.offerUnits.contains(d.unit) {
      throw DataError(file: display, message: "rate \(sel.rateId): SKU \(sku) rate code \(d.rateCode): unit \"\(d.unit)\" is not one the importer knows for this rate (expected \(sel.offerUnits.map { "\"\($0)\"" }.joined(separator: " or ")))")
    }
    dims.sort { ($0.beginRange ?? 0) < ($1.beginRange ?? 0) }
    // Tiers must cover 0 … Inf without gaps or overlaps.
    var expectedBegin: Decimal = 0
    for (i, d) in dims.enumerated() {
      let last = i == dims.count - 1
      guard (d.beginRange ?? 0) == expectedBegin, last == (d.endRange == nil) else {
        throw DataError(file: display, message: "rate \(sel.rateId): SKU \(sku): the price ranges do not run from 0 to Inf without gaps (rate code \(d.rateCode): \(d.beginRange.map { DecimalText.plain($0) } ?? "none")–\(d.endRange.map { DecimalText.plain($0) } ?? "Inf"))")
      }
      if let e = d.endRange {
        guard e > expectedBegin else { throw DataError(file: display, message: "rate \(sel.rateId): SKU \(sku): range ends at \(DecimalText.plain(e)), not above its start") }
        expectedBegin = e
      }
    }
    var draft = old.map(RateDraft.init) ?? RateDraft(id: sel.rateId, unit: sel.unit, per: sel.per)
    draft.source = nil
    draft.effectiveDate = nil
    draft.price = nil
    draft.tiers = nil
    if dims.count > 1, dims[0].pricePerUnit == 0 {
      draft.freeQuantity = dims[0].endRange  // a $0 first tier is a free quantity (applied only with freeTier)
      dims.removeFirst()
    }
    let per = draft.per
    if dims.count == 1 {
      draft.price = dims[0].pricePerUnit * per
    } else {
      draft.tiers = dims.map { Tier(upTo: $0.endRange, price: $0.pricePerUnit * per) }
    }
    if sel.readsMemory {
      if let m = p.attributes["memory"] {
        let number = m.replacingOccurrences(of: "GiB", with: "").trimmingCharacters(in: .whitespaces)
        guard m.hasSuffix("GiB"), let gib = OfferReader.decimal(number), gib > 0 else {
          throw DataError(file: display, message: "rate \(sel.rateId): SKU \(sku): memory \"\(m)\" is not \"<decimal> GiB\"")
        }
        draft.attributes["memoryGiB"] = gib
      } else if draft.attributes["memoryGiB"] == nil {
        throw DataError(file: display, message: "rate \(sel.rateId): SKU \(sku) states no memory, and the table has none for this node")
      }
    }
    if draft.description == nil {
      let text = dims.map(\.description).filter { !$0.isEmpty }.joined(separator: "; ")
      draft.description = text.split(whereSeparator: \.isWhitespace).joined(separator: " ") + " (SKU \(sku))"
    }
    return draft
  }
}
