// libFuzzer target: the JSON parser with positions (scripts/fuzz.sh json).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  do {
    _ = try JSONParser.parse(bytes, file: "fuzz.json").value.shortDescription
  } catch {
    _ = error.description
  }
  return 0
}
