// libFuzzer target: rate-table loading (scripts/fuzz.sh rates).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRates(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  do {
    let t = try RateTable.parse(try JSONParser.parse(bytes, file: "s3.json"), file: "s3.json", expectedService: nil)
    _ = RateBook(provider: "aws", region: "us-east-1", directory: "d", tables: [t.service: t])
  } catch {
    _ = error.description
  }
  return 0
}
