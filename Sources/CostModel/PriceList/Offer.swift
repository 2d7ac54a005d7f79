import Foundation

/// A product of an AWS Price List offer: its SKU, family and string attributes.
public struct OfferProduct: Sendable {
  public var sku: String
  public var productFamily: String?
  public var attributes: [String: String]
}

/// One price dimension of a term: a price per unit over a usage range (`endRange` nil = "Inf"). A Reserved term's
/// "Upfront Fee" has unit `Quantity` and no range.
public struct OfferDimension: Sendable {
  public var rateCode: String
  public var description: String
  public var unit: String
  public var beginRange: Decimal?
  public var endRange: Decimal?
  public var pricePerUnit: Decimal
  /// Where the dimension is in the file, for errors.
  public var path = ""
  public var position: SourcePosition?
}

/// One OnDemand or Reserved term of a SKU.
public struct OfferTerm: Sendable {
  public var key: String
  public var dimensions: [OfferDimension]
  /// `termAttributes` of a Reserved term (`LeaseContractLength`, `PurchaseOption`, `OfferingClass`); not read for
  /// OnDemand terms.
  public var attributes: [String: String] = [:]
  /// Where the term is: the file as displayed (a GetProducts item names its element), its JSON path and position.
  public var display = ""
  public var path = ""
  public var position: SourcePosition?
}

/// What an import needs from an offer: the header, the products a selector might want with their OnDemand
/// terms, the Reserved terms of the products a reserved rate might want, and the regions present (for "region not
/// in the file"). Everything else is read and dropped.
public struct Offer: Sendable {
  public enum Shape: String, Sendable {
    case bulk = "bulk offer file"
    case getProducts = "GetProducts response"
  }
  public var shape: Shape
  public var offerCodes: Set<String> = []
  public var version: String?
  public var publicationDate: String?
  public var products: [String: OfferProduct] = [:]
  public var terms: [String: [OfferTerm]] = [:]
  /// SKUs whose Reserved terms are kept, and those terms.
  public var reservedSKUs: Set<String> = []
  public var reserved: [String: [OfferTerm]] = [:]
  public var regions: Set<String> = []
  public var productCount = 0
  /// The most bytes of the file held at once while reading it.
  public var peakBufferedBytes = 0
}

/// Reads a bulk offer file (`index.json`, streamed) or a `GetProducts` response (one page, parsed whole).
public enum OfferReader {
  /// `keep` decides which products (already filtered to the offer's own service code) are worth their OnDemand
  /// terms; `keepReserved`, asked only about kept products, which are also worth their Reserved terms.
  public static func read(
    path: String, display: String, chunkSize: Int = 1 << 20,
    keepReserved: (OfferProduct) -> Bool = { _ in false }, keep: (OfferProduct) -> Bool
  ) throws(DataError) -> Offer {
    var offer = Offer(shape: .bulk)
    var termsBeforeProducts = false
    var sawProducts = false
    var sawTerms = false
    let r = try JSONStreamReader(path: path, display: display, chunkSize: chunkSize)
    try r.beginObject(path: "")
    while let (key, _) = try r.nextKey() {
      switch key {
      case "offerCode":
        offer.offerCodes.insert(try string(r.readValue(path: key), display, key))
      case "version": offer.version = try string(r.readValue(path: key), display, key)
      case "publicationDate":
        offer.publicationDate = try string(r.readValue(path: key), display, key)
      case "products":
        sawProducts = true
        try r.beginObject(path: key)
        while let (sku, _) = try r.nextKey() {
          let node = try r.readValue(path: "products.\(sku)")
          let p = try product(node, display: display, path: "products.\(sku)")
          offer.productCount += 1
          if let code = p.attributes["servicecode"], !offer.offerCodes.isEmpty,
            !offer.offerCodes.contains(code)
          {
            continue  // e.g. AWSDataTransfer products inside the Lambda offer
          }
          if let region = p.attributes["regionCode"] ?? p.attributes["location"] {
            offer.regions.insert(region)
          }
          if keep(p) {
            offer.products[p.sku] = p
            if keepReserved(p) { offer.reservedSKUs.insert(p.sku) }
          }
        }
      case "terms":
        sawTerms = true
        if !sawProducts {
          termsBeforeProducts = true
          try r.skipValue(path: key)
          continue
        }
        try readTerms(r, into: &offer, display: display)
      case "PriceList":
        offer.shape = .getProducts
        try readPriceList(
          r.readValue(path: key), into: &offer, display: display, path: key, keep: keep,
          keepReserved: keepReserved)
      case "output":
        // The AWS example file wraps a response as {"input": …, "output": {…}}.
        let node = try r.readValue(path: key)
        let o = try JSONObjectReader(node, file: display, path: key)
        if let pl = o.node("PriceList") {
          offer.shape = .getProducts
          try readPriceList(
            pl, into: &offer, display: display, path: "output.PriceList", keep: keep,
            keepReserved: keepReserved)
        }
      default:
        try r.skipValue(path: key)
      }
    }
    try r.finish()
    offer.peakBufferedBytes = r.peakBufferedBytes
    if offer.shape == .bulk {
      guard sawProducts && sawTerms else {
        throw DataError(
          file: display,
          message:
            "not an AWS Price List offer: expected \"products\" and \"terms\" (a bulk offer file, index.json) or \"PriceList\" (a GetProducts response)"
        )
      }
      if termsBeforeProducts {
        // Rare layout: a second pass for the terms, now that the wanted SKUs are known.
        let again = try JSONStreamReader(path: path, display: display, chunkSize: chunkSize)
        try again.beginObject(path: "")
        while let (key, _) = try again.nextKey() {
          if key == "terms" {
            try readTerms(again, into: &offer, display: display)
          } else {
            try again.skipValue(path: key)
          }
        }
        offer.peakBufferedBytes = max(offer.peakBufferedBytes, again.peakBufferedBytes)
      }
    }
    if offer.offerCodes.isEmpty {
      throw DataError(
        file: display, message: "the offer names no service (no \"offerCode\" or \"serviceCode\")")
    }
    return offer
  }

  private static func readTerms(_ r: JSONStreamReader, into offer: inout Offer, display: String)
    throws(DataError)
  {
    try r.beginObject(path: "terms")
    while let (kind, _) = try r.nextKey() {
      guard kind == "OnDemand" || kind == "Reserved" else {
        try r.skipValue(path: "terms.\(kind)")
        continue
      }
      let reserved = kind == "Reserved"
      try r.beginObject(path: "terms.\(kind)")
      while let (sku, _) = try r.nextKey() {
        let path = "terms.\(kind).\(sku)"
        // Only the few SKUs a rate can use are parsed; every other term is skipped without being held.
        guard reserved ? offer.reservedSKUs.contains(sku) : offer.products[sku] != nil else {
          try r.skipValue(path: path)
          continue
        }
        let node = try r.readValue(path: path)
        let o = try JSONObjectReader(node, file: display, path: path)
        for key in o.keys {
          let t = try term(
            o.node(key)!, key: key, display: display, path: "\(path).\(key)",
            readAttributes: reserved)
          if reserved {
            offer.reserved[sku, default: []].append(t)
          } else {
            offer.terms[sku, default: []].append(t)
          }
        }
      }
    }
  }

  private static func readPriceList(
    _ node: JSONNode, into offer: inout Offer, display: String, path: String,
    keep: (OfferProduct) -> Bool, keepReserved: (OfferProduct) -> Bool
  ) throws(DataError) {
    guard case .array(let items) = node.value else {
      throw DataError(
        file: display, position: node.position, path: path,
        message: "expected an array of JSON strings, found \(node.value.shortDescription)")
    }
    for (i, item) in items.enumerated() {
      let ipath = "\(path)[\(i)]"
      let text = try string(item, display, ipath)
      let inner = try JSONParser.parse(
        Data(text.utf8), file: "\(display) \(ipath) (decoded string)")
      let o = try JSONObjectReader(inner, file: "\(display) \(ipath)", path: "")
      let code = try o.string("serviceCode")
      offer.offerCodes.insert(code)
      if let v = try o.optionalString("version") { offer.version = max(offer.version ?? "", v) }
      if let d = try o.optionalString("publicationDate") {
        offer.publicationDate = max(offer.publicationDate ?? "", d)
      }
      guard let pn = o.node("product") else {
        throw o.error("product", "missing, expected the product object")
      }
      let p = try product(pn, display: "\(display) \(ipath)", path: "product")
      offer.productCount += 1
      if let region = p.attributes["regionCode"] ?? p.attributes["location"] {
        offer.regions.insert(region)
      }
      guard keep(p) else { continue }
      offer.products[p.sku] = p
      guard let tn = o.node("terms") else { continue }
      let terms = try JSONObjectReader(tn, file: "\(display) \(ipath)", path: "terms")
      if let od = terms.node("OnDemand") {
        let t = try JSONObjectReader(od, file: "\(display) \(ipath)", path: "terms.OnDemand")
        for key in t.keys {
          offer.terms[p.sku, default: []].append(
            try term(
              t.node(key)!, key: key, display: "\(display) \(ipath)", path: "terms.OnDemand.\(key)")
          )
        }
      }
      if keepReserved(p), let rn = terms.node("Reserved") {
        offer.reservedSKUs.insert(p.sku)
        let t = try JSONObjectReader(rn, file: "\(display) \(ipath)", path: "terms.Reserved")
        for key in t.keys {
          offer.reserved[p.sku, default: []].append(
            try term(
              t.node(key)!, key: key, display: "\(display) \(ipath)",
              path: "terms.Reserved.\(key)", readAttributes: true))
        }
      }
    }
  }

  static func string(_ n: JSONNode, _ display: String, _ path: String) throws(DataError) -> String {
    guard case .string(let s) = n.value else {
      throw DataError(
        file: display, position: n.position, path: path,
        message: "expected a string, found \(n.value.shortDescription)")
    }
    return s
  }

  static func product(_ node: JSONNode, display: String, path: String) throws(DataError)
    -> OfferProduct
  {
    let o = try JSONObjectReader(node, file: display, path: path)
    let sku = try o.string("sku")
    let family = try o.optionalString("productFamily")
    var attributes: [String: String] = [:]
    if let a = try o.optionalObject("attributes") {
      for key in a.keys { attributes[key] = try a.string(key) }
    }
    return OfferProduct(sku: sku, productFamily: family, attributes: attributes)
  }

  static func term(
    _ node: JSONNode, key: String, display: String, path: String, readAttributes: Bool = false
  ) throws(DataError) -> OfferTerm {
    let o = try JSONObjectReader(node, file: display, path: path)
    var attributes: [String: String] = [:]
    if readAttributes, let ta = try o.optionalObject("termAttributes") {
      for k in ta.keys { attributes[k] = try ta.string(k) }
    }
    var dims: [OfferDimension] = []
    guard let pd = try o.optionalObject("priceDimensions") else {
      throw o.error("priceDimensions", "missing, expected the term's prices")
    }
    for rc in pd.keys.sorted() {
      let d = try JSONObjectReader(pd.node(rc)!, file: display, path: pd.childPath(rc))
      let unit = try d.optionalString("unit") ?? ""
      let desc = try d.optionalString("description") ?? ""
      guard let prices = try d.optionalObject("pricePerUnit") else {
        throw d.error("pricePerUnit", "missing, expected {\"USD\": \"<decimal>\"}")
      }
      guard let usdNode = prices.node("USD") else {
        throw prices.error(
          "USD",
          "missing: only USD prices are imported (found \(prices.keys.joined(separator: ", ")))")
      }
      let usd = try string(usdNode, display, prices.childPath("USD"))
      guard let price = decimal(usd) else {
        throw DataError(
          file: display, position: usdNode.position, path: prices.childPath("USD"),
          message: "price \"\(usd)\" of rate code \(rc) is not a decimal number")
      }
      var begin: Decimal?
      var end: Decimal?
      let beginText = try d.optionalString("beginRange")
      let startText = try d.optionalString("startingRange")
      if let b = beginText ?? startText {
        guard let v = decimal(b) else {
          throw d.error("beginRange", "expected a decimal, found \"\(b)\" (rate code \(rc))")
        }
        begin = v
      }
      let endText = try d.optionalString("endRange")
      let endingText = try d.optionalString("endingRange")
      if let e = endText ?? endingText, e != "Inf" {
        guard let v = decimal(e) else {
          throw d.error(
            "endRange", "expected a decimal or \"Inf\", found \"\(e)\" (rate code \(rc))")
        }
        end = v
      }
      dims.append(
        OfferDimension(
          rateCode: rc, description: desc, unit: unit, beginRange: begin, endRange: end,
          pricePerUnit: price,
          path: pd.childPath(rc), position: pd.node(rc)!.position))
    }
    return OfferTerm(
      key: key, dimensions: dims, attributes: attributes, display: display, path: path,
      position: node.position)
  }

  /// A plain non-negative decimal string as the offer files write them ("0.0000166667", "51200").
  public static func decimal(_ s: String) -> Decimal? {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count),
      parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      s.count <= 40
    else { return nil }
    return Decimal(string: s)
  }
}
