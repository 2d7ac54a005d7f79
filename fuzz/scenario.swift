// libFuzzer target: scenario loading and pricing (scripts/fuzz.sh scenario). A file that parses is priced at
// its scales with the shipped rates, as `costplan compare` would (no crossovers: they take too long a run).
import Foundation

let fuzzBook: RateBook? = {
  let root = ProcessInfo.processInfo.environment["COSTPLAN_FUZZ_PRICING"] ?? "pricing"
  return try? RateBook.load(pricingRoot: root, provider: "aws", region: "us-east-1")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  do {
    let s = try Scenario.parse(try JSONParser.parse(bytes, file: "fuzz.json"), file: "fuzz.json")
    guard let book = fuzzBook, s.provider == "aws", s.region == "us-east-1", s.scales.count <= 8,
      s.options.count <= 20
    else { return 0 }
    let r = try ScenarioResult(scenario: s, book: book, withCrossovers: false)
    _ = MarkdownReport.render(r, chart: false)
    _ = LineItemCSV.render([r])
  } catch {
    _ = error.description
  }
  return 0
}
