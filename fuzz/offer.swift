// libFuzzer target: price-list offers read by streaming in small chunks (scripts/fuzz.sh offer).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOffer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = NSTemporaryDirectory() + "costplan-fuzz-offer-\(getpid()).json"
  FileManager.default.createFile(atPath: path, contents: Data(UnsafeBufferPointer(start: data, count: size)))
  defer { unlink(path) }
  do {
    _ = try OfferReader.read(path: path, display: "offer.json", chunkSize: 64, keepReserved: { _ in true }) { _ in true }
  } catch {
    _ = error.description
  }
  return 0
}
