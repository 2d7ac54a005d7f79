import CostModel
import CostReports
import Foundation

/// `costplan pricing import|diff`: refresh rate tables from AWS Price List offers, and show what a change of
/// prices does to every scenario.
enum PricingCommand {
  static let spec = CommandSpec(
    name: "pricing",
    overview: "Import rate tables from AWS Price List offers, or diff two pricing folders.",
    usage:
      "costplan pricing import --offer <file> --service <name> [--region <r>] [--out <dir>] [--partial] | diff <old-dir> <new-dir> [--scenarios <dir>] [--format <format>] | offers",
    options: [
      OptionDef(
        name: "offer", value: "file",
        help:
          "import: an offer file (index.json of the Price List bulk API) or a GetProducts response."
      ),
      OptionDef(
        name: "service", value: "name",
        help:
          "import: the rate table to write. (values: \(ServiceCatalog.rateFiles.map(\.name).joined(separator: ", ")))"
      ),
      OptionDef(
        name: "region", value: "r",
        help: "import: the Region to take prices for. (default: us-east-1)"),
      OptionDef(
        name: "out", value: "dir",
        help:
          "import: the pricing folder; writes <dir>/aws/<region>/<service>.json. (default: pricing)"
      ),
      OptionDef(
        name: "partial", value: nil,
        help: "import: the offer is an excerpt; rates it lacks keep the table's current price."),
      .scenarios,
      .format(["markdown", "csv"]),
    ],
    arguments: [
      (
        "import",
        "Write or update a rate table from an offer (nothing is written if any needed rate is missing or ambiguous)."
      ),
      (
        "diff <old-dir> <new-dir>",
        "Every changed rate and its effect on every scenario, option and scale."
      ),
      (
        "offers",
        "Each rate table and the AWS Price List offers it is imported from, one `table offer-code` pair a line."
      ),
    ],
    maxPositionals: 3)

  /// The rate tables the service catalog brings, in its order.
  static var services: [String] { ServiceCatalog.rateFiles.map(\.name) }

  static func run(_ p: ParsedArguments, console: Console) throws {
    guard let action = p.positionals.first else {
      throw UsageError(message: "Missing action: import, diff or offers", command: spec)
    }
    switch action {
    case "import": try importOffer(p, console: console)
    case "diff": try diff(p, console: console)
    case "offers":
      // For scripts (the monthly import job): which offer files feed which table, from the service catalog.
      try refuse(
        p, ["offer", "service", "region", "out", "partial", "scenarios", "format"], for: "offers")
      guard p.positionals.count == 1 else {
        throw UsageError(message: "Unexpected argument '\(p.positionals[1])'", command: spec)
      }
      for file in ServiceCatalog.rateFiles {
        for code in file.offerCodes { console.out("\(file.name) \(code)\n") }
      }
    default:
      throw UsageError(
        message: "Unknown action '\(action)' (expected import, diff or offers)", command: spec)
    }
  }

  static func refuse(_ p: ParsedArguments, _ options: [String], for action: String)
    throws(UsageError)
  {
    for o in options where p.value(o) != nil || p.flag(o) {
      throw UsageError(message: "'--\(o)' does not go with \(action)", command: spec)
    }
  }

  static func importOffer(_ p: ParsedArguments, console: Console) throws {
    try refuse(p, ["scenarios", "format"], for: "import")
    guard p.positionals.count == 1 else {
      throw UsageError(message: "Unexpected argument '\(p.positionals[1])'", command: spec)
    }
    guard let offer = p.value("offer") else {
      throw UsageError(message: "Missing '--offer <file>'", command: spec)
    }
    guard let service = p.value("service") else {
      throw UsageError(message: "Missing '--service <name>'", command: spec)
    }
    guard services.contains(service) else {
      throw UsageError(
        message:
          "The value '\(service)' is invalid for '--service <name>' (values: \(services.joined(separator: ", ")))",
        command: spec)
    }
    let region = p.value("region") ?? "us-east-1"
    guard !region.isEmpty,
      region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
    else {
      throw UsageError(
        message:
          "The value '\(region)' is invalid for '--region <r>': expected a Region code like us-east-1",
        command: spec)
    }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: offer, isDirectory: &isDir), !isDir.boolValue
    else {
      throw UsageError(
        message: "The value '\(offer)' is invalid for '--offer <file>': no such file", command: spec
      )
    }
    let out = p.value("out") ?? "pricing"
    let dir = (((out as NSString).appendingPathComponent("aws")) as NSString)
      .appendingPathComponent(region)
    let path = (dir as NSString).appendingPathComponent("\(service).json")
    var existing: RateTable?
    if FileManager.default.fileExists(atPath: path) {
      let table = try RateTable.parse(
        try loadJSON(path: path, display: path), file: path, expectedService: service)
      guard table.provider == "aws", table.region == region else {
        throw DataError(
          file: path,
          message:
            "the table says provider \"\(table.provider)\", region \"\(table.region)\", not aws \(region)"
        )
      }
      existing = table
    }
    let result = try PriceImport.run(
      offerPath: offer, display: offer, service: service, region: region, existing: existing,
      partial: p.flag("partial"))
    if let existing, existing.effectiveDate > result.effectiveDate {
      console.err(
        "warning: the offer (\(result.effectiveDate)) is older than the table it updates (\(existing.effectiveDate))\n"
      )
    }
    try AtomicWriter.createDirectory(dir)
    try AtomicWriter.write(result.text, to: path)
    var s =
      "\(existing == nil ? "wrote" : "updated") \(path) from \(result.offerCode) (effective \(result.effectiveDate), \(result.productsRead) products read)\n"
    for c in result.changes {
      let what =
        c.old == nil
        ? "added: \(c.new)" : c.old == c.new ? "unchanged: \(c.new)" : "\(c.old!) -> \(c.new)"
      s += "  \(c.id): \(what) [SKU \(c.sku)\(c.term.map { ", term \($0)" } ?? "")]\n"
    }
    if !result.kept.isEmpty {
      s += "kept from the table (\(result.kept.count)):\n"
      for k in result.kept { s += "  \(k.id): \(k.why)\n" }
    }
    console.out(s)
  }

  static func diff(_ p: ParsedArguments, console: Console) throws {
    try refuse(p, ["offer", "service", "region", "out", "partial"], for: "diff")
    guard p.positionals.count == 3 else {
      throw UsageError(message: "diff takes two folders: diff <old-dir> <new-dir>", command: spec)
    }
    let format = try OptionValues.format(p, allowed: ["markdown", "csv"], spec: spec)
    let (old, new) = (p.positionals[1], p.positionals[2])
    for (dir, name) in [(old, "old-dir"), (new, "new-dir")] {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw UsageError(
          message: "The value '\(dir)' is invalid for '<\(name)>': no such directory", command: spec
        )
      }
    }
    let inputs = Inputs(scenariosDir: p.value("scenarios") ?? "scenarios", pricingDir: new)
    let scenarios = try Inputs.loadScenarios(try inputs.scenarioFiles([], spec: spec))
    let d = try PriceDiff.compute(oldRoot: old, newRoot: new, scenarios: scenarios)
    console.out(format == "csv" ? d.csv() : d.markdown(oldName: old, newName: new))
  }
}
