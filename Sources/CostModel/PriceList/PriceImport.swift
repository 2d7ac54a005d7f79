import Foundation

/// `costplan pricing import`: turns an AWS offer into costplan's rate table for one service and Region,
/// updating the table already there (rates the offer does not price keep their values, source and date).
public enum PriceImport {
  public struct Change: Sendable {
    public var id: String
    public var old: String?
    public var new: String
    public var sku: String
    /// The Reserved term (`<sku>.<offerTermCode>`) a reserved rate was read from.
    public var term: String? = nil
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
  public static func run(
    offerPath: String, display: String, service: String, region: String, existing: RateTable?,
    partial: Bool, chunkSize: Int = 1 << 20
  ) throws(DataError) -> Result {
    guard let allowedCodes = RateSelectors.offerCodes[service] else {
      throw DataError(file: display, message: "unknown service \"\(service)\"")
    }
    var nodeTypes: [String] = []
    for r in existing?.rates ?? [] where r.id.hasPrefix("node:") {
      let parts = r.id.split(separator: ":")
      if parts.count == 3, !nodeTypes.contains(String(parts[1])) {
        nodeTypes.append(String(parts[1]))
      }
    }
    if nodeTypes.isEmpty { nodeTypes = RateSelectors.defaultNodeTypes }
    let all = RateSelectors.selectors(service: service, nodeTypes: nodeTypes)
    let reservedSelectors = all.filter { $0.reserved != nil }
    let offer = try OfferReader.read(
      path: offerPath, display: display, chunkSize: chunkSize,
      keepReserved: { p in reservedSelectors.contains { $0.matches(p) } },
      keep: { p in RateSelectors.inRegion(p, region) && all.contains { $0.matches(p) } })
    let codes = offer.offerCodes.intersection(allowedCodes)
    guard codes.count == 1, let code = codes.first else {
      let found = offer.offerCodes.sorted().joined(separator: ", ")
      throw DataError(
        file: display,
        message: codes.isEmpty
          ? "the offer is for \(found), not \(service) (expected \(allowedCodes.joined(separator: " or ")))"
          : "the offer mixes \(found); import one offer at a time")
    }
    let names = [region] + (RateSelectors.locations[region] ?? [])
    guard names.contains(where: offer.regions.contains) else {
      let have = offer.regions.sorted()
      let list =
        have.prefix(12).joined(separator: ", ")
        + (have.count > 12 ? ", … (\(have.count) in all)" : "")
      throw DataError(
        file: display,
        message:
          "region \(region) is not in the offer (it prices: \(have.isEmpty ? "no region" : list))")
    }
    let date = try effectiveDate(offer, display: display)
    let version = offer.version ?? "current"
    let source =
      offer.shape == .bulk
      ? "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/\(code)/\(version)/\(region)/index.json"
      : "AWS Price List Query API GetProducts, ServiceCode=\(code), version \(version)"

    let existingRates = Dictionary(
      (existing?.rates ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var imported: [String: RateDraft] = [:]
    var changes: [Change] = []
    var kept: [(id: String, why: String)] = []
    for sel in all where sel.offerCode == code {
      let matches = offer.products.values.filter { sel.matches($0) }.sorted { $0.sku < $1.sku }
      if matches.count > 1 {
        let list = matches.map { p in
          "\(p.sku) (\(p.attributes["usagetype"] ?? "no usagetype")\(offer.terms[p.sku]?.first?.dimensions.first.map { ", " + DecimalText.plain($0.pricePerUnit) + " USD/" + $0.unit } ?? ""))"
        }
        throw DataError(
          file: display,
          message:
            "rate \(sel.rateId): \(matches.count) SKUs match \(sel.filterDescription) in \(region): \(list.joined(separator: "; ")); refusing to pick one"
        )
      }
      guard let product = matches.first else {
        if let old = existingRates[sel.rateId] {
          if sel.required && !partial {
            throw DataError(
              file: display,
              message:
                "rate \(sel.rateId): no SKU in the offer matches \(sel.filterDescription) in \(region); if the file is an excerpt, pass --partial to keep the table's current price (\(RateDraft(old).priceText))"
            )
          }
          kept.append((sel.rateId, "no SKU matches \(sel.filterDescription)"))
        } else if sel.required {
          throw DataError(
            file: display,
            message:
              "rate \(sel.rateId): no SKU in the offer matches \(sel.filterDescription) in \(region), and the table has no price for it to keep"
          )
        }
        continue
      }
      if let spec = sel.reserved {
        // Reserved rates are never required: a SKU without that term keeps the table's price, if it has one.
        guard
          let term = try reservedTerm(
            sel, spec, sku: product.sku, terms: offer.reserved[product.sku] ?? [])
        else {
          if existingRates[sel.rateId] != nil {
            kept.append(
              (sel.rateId, "SKU \(product.sku) has no Reserved term \(spec.termDescription)"))
          }
          continue
        }
        let draft = try reservedRate(
          for: sel, spec, sku: product.sku, term: term, onDemand: offer.terms[product.sku] ?? [],
          old: existingRates[sel.rateId])
        imported[sel.rateId] = draft
        changes.append(
          Change(
            id: sel.rateId, old: existingRates[sel.rateId].map { RateDraft($0).priceText },
            new: draft.priceText, sku: product.sku, term: term.key))
        continue
      }
      if partial, offer.terms[product.sku] == nil, let old = existingRates[sel.rateId] {
        // An excerpt may hold a product without its OnDemand term (one cut for its Reserved terms, say).
        kept.append(
          (
            sel.rateId,
            "SKU \(product.sku) has no OnDemand term in this excerpt (\(RateDraft(old).priceText) kept)"
          ))
        continue
      }
      let draft = try rate(
        for: sel, product: product, terms: offer.terms[product.sku] ?? [],
        old: existingRates[sel.rateId], display: display)
      imported[sel.rateId] = draft
      changes.append(
        Change(
          id: sel.rateId, old: existingRates[sel.rateId].map { RateDraft($0).priceText },
          new: draft.priceText, sku: product.sku))
    }

    if imported.isEmpty {
      throw DataError(
        file: display,
        message: "no rate of \(service) is priced in this offer for \(region); nothing to import")
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
        kept.append(
          (
            r.id,
            all.contains { $0.rateId == r.id }
              ? "priced by another offer" : "not imported from offers (see pricing/README.md)"
          ))
      }
    }
    for sel in all where sel.offerCode == code {
      if existingRates[sel.rateId] == nil, let d = imported[sel.rateId] { rates.append(d) }
    }
    let text = RateTableWriter.render(
      provider: "aws", service: service, region: region, effectiveDate: date, source: source,
      rates: rates,
      schema: existing?.schema)
    // What is written must load: check it with the same parser `report` uses.
    let root = try JSONParser.parse(Data(text.utf8), file: "\(service).json (imported)")
    _ = try RateTable.parse(root, file: "\(service).json (imported)", expectedService: service)
    return Result(
      text: text, offerCode: code, effectiveDate: date, source: source, changes: changes,
      kept: kept,
      productsRead: offer.productCount, peakBufferedBytes: offer.peakBufferedBytes)
  }

  /// The offer's publication date as YYYY-MM-DD; without one, the date in its version (20230123170643).
  static func effectiveDate(_ offer: Offer, display: String) throws(DataError) -> String {
    for text in [offer.publicationDate, offer.version].compactMap({ $0 }) {
      let digits = text.filter { $0.isASCII && $0.isNumber }
      guard digits.count >= 8 else { continue }
      let d = Array(digits)
      let y = String(d[0..<4])
      let m = String(d[4..<6])
      let day = String(d[6..<8])
      if (1...12).contains(Int(m) ?? 0), (1...31).contains(Int(day) ?? 0) {
        return "\(y)-\(m)-\(day)"
      }
    }
    throw DataError(
      file: display, message: "the offer has no publicationDate or version to date its prices")
  }

  /// The one Reserved term of `sku` a reserved rate reads, or nil when the SKU has none for its lease and purchase
  /// option. Every Reserved term of the SKU must state its lease and purchase option, and no two may share them.
  static func reservedTerm(
    _ sel: RateSelector, _ spec: RateSelector.ReservedTerm, sku: String, terms: [OfferTerm]
  ) throws(DataError) -> OfferTerm? {
    var seen: [String: OfferTerm] = [:]
    for t in terms {
      for name in ["LeaseContractLength", "PurchaseOption"] where (t.attributes[name] ?? "").isEmpty
      {
        throw DataError(
          file: t.display, position: t.position, path: "\(t.path).termAttributes.\(name)",
          message:
            "rate \(sel.rateId): SKU \(sku) Reserved term \(t.key) states no \(name); refusing to guess which reservation it prices"
        )
      }
      let both = "\(t.attributes["LeaseContractLength"]!) \(t.attributes["PurchaseOption"]!)"
      if let other = seen[both] {
        throw DataError(
          file: t.display, position: t.position, path: t.path,
          message:
            "rate \(sel.rateId): SKU \(sku) has two Reserved terms for \(both) (\(other.key) and \(t.key)); refusing to pick one"
        )
      }
      seen[both] = t
    }
    let wanted = terms.filter {
      $0.attributes["LeaseContractLength"] == spec.lease
        && (spec.purchaseOption == nil || $0.attributes["PurchaseOption"] == spec.purchaseOption)
    }
    if wanted.count > 1 {
      let list = wanted.map { "\($0.key) (\($0.attributes["PurchaseOption"]!))" }.joined(
        separator: ", ")
      throw DataError(
        file: wanted[1].display, position: wanted[1].position, path: wanted[1].path,
        message:
          "rate \(sel.rateId): SKU \(sku) has \(wanted.count) Reserved terms for \(spec.lease): \(list); refusing to pick one"
      )
    }
    return wanted.first
  }

  /// A rate from a Reserved term: its recurring hourly fee or its upfront fee, per `block` offer units.
  static func reservedRate(
    for sel: RateSelector, _ spec: RateSelector.ReservedTerm, sku: String, term t: OfferTerm,
    onDemand: [OfferTerm],
    old: Rate?
  ) throws(DataError) -> RateDraft {
    func fail(_ message: String, _ d: OfferDimension? = nil) -> DataError {
      DataError(
        file: t.display, position: d?.position ?? t.position, path: d?.path ?? t.path,
        message:
          "rate \(sel.rateId): SKU \(sku) Reserved term \(t.key) (\(t.attributes["LeaseContractLength"]!) \(t.attributes["PurchaseOption"]!)): \(message)"
      )
    }
    var upfront: [OfferDimension] = []
    var hourly: [OfferDimension] = []
    for d in t.dimensions {
      let isFee =
        d.description.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("Upfront Fee")
        == .orderedSame || d.unit == "Quantity"
      if isFee {
        guard d.unit == "Quantity" else {
          throw fail(
            "rate code \(d.rateCode): upfront fee in unit \"\(d.unit)\", expected \"Quantity\" (one payment per reservation)",
            d)
        }
        upfront.append(d)
      } else {
        guard spec.hourlyUnits.contains(d.unit) else {
          throw fail(
            "rate code \(d.rateCode): unit \"\(d.unit)\" is not one the importer knows for this rate (expected \(spec.hourlyUnits.map { "\"\($0)\"" }.joined(separator: " or ")) or an upfront fee in \"Quantity\")",
            d)
        }
        guard (d.beginRange ?? 0) == 0, d.endRange == nil else {
          throw fail(
            "rate code \(d.rateCode): the recurring fee is tiered (\(d.beginRange.map { DecimalText.plain($0) } ?? "0")–\(d.endRange.map { DecimalText.plain($0) } ?? "Inf")), not one price from 0 to Inf",
            d)
        }
        hourly.append(d)
      }
    }
    guard upfront.count <= 1, hourly.count <= 1 else {
      throw fail(
        "\(upfront.count) upfront fees and \(hourly.count) recurring fees, expected at most one of each; refusing to pick or add them"
      )
    }
    let fee = upfront.first?.pricePerUnit
    let hour = hourly.first?.pricePerUnit
    switch t.attributes["PurchaseOption"]! {
    case "No Upfront":
      guard hour != nil else { throw fail("no recurring fee") }
      if let fee, fee != 0 {
        throw fail(
          "a No Upfront term with an upfront fee of \(DecimalText.plain(fee))", upfront.first)
      }
    case "All Upfront":
      guard fee != nil else { throw fail("no upfront fee") }
      if let hour, hour != 0 {
        throw fail(
          "an All Upfront term with a recurring fee of \(DecimalText.plain(hour))", hourly.first)
      }
    default:  // Partial Upfront, and DynamoDB's "Heavy Utilization": both fees
      guard fee != nil, hour != nil else {
        throw fail(fee == nil ? "no upfront fee" : "no recurring fee")
      }
    }
    let perUnit = spec.fee == .hourly ? hour ?? 0 : fee ?? 0
    if spec.block != 1, let h = hour,
      let od = onDemand.flatMap(\.dimensions).map(\.pricePerUnit).max(), od > 0, h >= od
    {
      // The scaling assumes the offer prices one unit; a reserved hourly fee at or above the on-demand one per unit
      // means it priced the whole block.
      throw fail(
        "the reserved hourly fee \(DecimalText.plain(h)) per unit is not below the on-demand \(DecimalText.plain(od)) per unit; the offer may already price a block of \(DecimalText.plain(spec.block)), refusing to scale it",
        hourly.first)
    }
    var draft = old.map(RateDraft.init) ?? RateDraft(id: sel.rateId, unit: sel.unit, per: 1)
    guard draft.unit == sel.unit else {
      throw DataError(
        file: t.display,
        message:
          "rate \(sel.rateId): the table prices it per \"\(draft.unit)\", the import per \"\(sel.unit)\"; fix the table's unit first"
      )
    }
    draft.source = nil
    draft.effectiveDate = nil
    draft.tiers = nil
    draft.price = perUnit * spec.block * draft.per
    if draft.description == nil {
      let what = t.dimensions.map(\.description).filter { !$0.isEmpty }.joined(separator: "; ")
      let block = spec.block == 1 ? "" : ", × \(DecimalText.plain(spec.block)) units"
      draft.description =
        "\(t.attributes["LeaseContractLength"]!) \(t.attributes["PurchaseOption"]!) reservation: "
        + what.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        + " (SKU \(sku), term \(t.key)\(block))"
    }
    return draft
  }

  static func rate(
    for sel: RateSelector, product p: OfferProduct, terms: [OfferTerm], old: Rate?, display: String
  ) throws(DataError) -> RateDraft {
    let sku = p.sku
    guard terms.count == 1, let term = terms.first else {
      throw DataError(
        file: display,
        message: terms.isEmpty
          ? "rate \(sel.rateId): SKU \(sku) has no OnDemand price"
          : "rate \(sel.rateId): SKU \(sku) has \(terms.count) OnDemand terms (\(terms.map(\.key).joined(separator: ", "))); refusing to pick one"
      )
    }
    var dims = term.dimensions
    guard !dims.isEmpty else {
      throw DataError(
        file: display,
        message: "rate \(sel.rateId): SKU \(sku) term \(term.key) has no price dimensions")
    }
    for d in dims where !sel.offerUnits.contains(d.unit) {
      throw DataError(
        file: display,
        message:
          "rate \(sel.rateId): SKU \(sku) rate code \(d.rateCode): unit \"\(d.unit)\" is not one the importer knows for this rate (expected \(sel.offerUnits.map { "\"\($0)\"" }.joined(separator: " or ")))"
      )
    }
    dims.sort { ($0.beginRange ?? 0) < ($1.beginRange ?? 0) }
    // Tiers must cover 0 … Inf without gaps or overlaps.
    var expectedBegin: Decimal = 0
    for (i, d) in dims.enumerated() {
      let last = i == dims.count - 1
      guard (d.beginRange ?? 0) == expectedBegin, last == (d.endRange == nil) else {
        throw DataError(
          file: display,
          message:
            "rate \(sel.rateId): SKU \(sku): the price ranges do not run from 0 to Inf without gaps (rate code \(d.rateCode): \(d.beginRange.map { DecimalText.plain($0) } ?? "none")–\(d.endRange.map { DecimalText.plain($0) } ?? "Inf"))"
        )
      }
      if let e = d.endRange {
        guard e > expectedBegin else {
          throw DataError(
            file: display,
            message:
              "rate \(sel.rateId): SKU \(sku): range ends at \(DecimalText.plain(e)), not above its start"
          )
        }
        expectedBegin = e
      }
    }
    var draft = old.map(RateDraft.init) ?? RateDraft(id: sel.rateId, unit: sel.unit, per: sel.per)
    draft.source = nil
    draft.effectiveDate = nil
    draft.price = nil
    draft.tiers = nil
    if dims.count > 1, dims[0].pricePerUnit == 0 {
      // a $0 first tier is a free quantity (applied only with freeTier)
      draft.freeQuantity = dims[0].endRange
      // 25 units × 744 h = 18,600 unit-hours in the offer become 25 × 730 = 18,250 in costplan's months.
      if sel.freeTierIn744HourMonths, let f = draft.freeQuantity, f > 0, (f / 744).isInteger {
        draft.freeQuantity = f / 744 * DecimalMath.hoursPerMonth
      }
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
        let number = m.replacingOccurrences(of: "GiB", with: "").trimmingCharacters(
          in: .whitespaces)
        guard m.hasSuffix("GiB"), let gib = OfferReader.decimal(number), gib > 0 else {
          throw DataError(
            file: display,
            message: "rate \(sel.rateId): SKU \(sku): memory \"\(m)\" is not \"<decimal> GiB\"")
        }
        draft.attributes["memoryGiB"] = gib
      } else if draft.attributes["memoryGiB"] == nil {
        throw DataError(
          file: display,
          message:
            "rate \(sel.rateId): SKU \(sku) states no memory, and the table has none for this node")
      }
    }
    if draft.description == nil {
      let text = dims.map(\.description).filter { !$0.isEmpty }.joined(separator: "; ")
      draft.description =
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ") + " (SKU \(sku))"
    }
    return draft
  }
}
