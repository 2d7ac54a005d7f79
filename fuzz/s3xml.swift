// libFuzzer target: S3's replies (scripts/fuzz.sh s3xml): ListObjectsV2 pages and error bodies (XML), and the
// objects a GET returns (ObjectCodec, the format the file store writes too). Each input is read as all three:
// - a ListObjectsV2 page as S3Store.listPage reads it, and an error body as S3Store.decodeError reads it;
// - an object, as is and with its CRC-32 appended (so that the fuzzer gets past the checksum): an object that
//   decodes re-encodes to exactly its bytes.
// And the input's text builds replies that must read back: its lines as keys (URL-encoded, as asked with
// encoding-type=url) with sizes, and a continuation token, in a ListBucketResult; its halves as the code and
// message of an Error; XMLText.decode(XMLText.escape(text)) == text.
import Foundation

/// Every byte but the unreserved ones as %XX, as S3 encodes keys for encoding-type=url.
func urlEncode(_ s: String) -> String {
  let hex = Array("0123456789ABCDEF".utf8)
  var out: [UInt8] = []
  for b in s.utf8 {
    switch b {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.append(b)
    default: out += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
    }
  }
  return String(decoding: out, as: UTF8.self)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzS3(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let bytes = Array(input)
  var rng = FuzzRandom(input)

  // As S3Store reads replies.
  var unbounded: LoadTally? = nil
  if let page = try? S3Store.listPage(bytes, displayURL: "s3://fuzz", tally: &unbounded) {
    _ = page.keys.reduce(0) { $0 &+ $1.size }
  }
  let status = [400, 403, 404, 409, 412, 500, 503][rng.below(7)]
  let e = S3Store.decodeError(HTTPResponse(status: status, headers: [], body: bytes))
  _ = (e.retryable, e.refusesCredentials, e.storeCode)

  // As an object.
  for object in [
    bytes, bytes + withUnsafeBytes(of: CRC32.checksum(bytes).littleEndian, Array.init),
  ] {
    guard let d = try? ObjectCodec.decode(object, what: "fuzz") else { continue }
    guard ObjectCodec.encode(entity: d.entity, records: d.records) == object else {
      fuzzFail("object of \(object.count) bytes does not re-encode to itself")
    }
  }

  // Replies built from the input's text.
  let text = String(decoding: bytes, as: UTF8.self)
  guard XMLText.decode(XMLText.escape(text)) == text else {
    fuzzFail("escape/decode: \(text.prefix(60))")
  }
  let keys = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64).map(
    String.init)
  let sizes = keys.map { _ in rng.below(1 << 20) }
  let token = keys.last ?? ""
  var xml = """
    <?xml version="1.0" encoding="UTF-8"?>
    <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix>\
    <KeyCount>\(keys.count)</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>\
    <IsTruncated>true</IsTruncated>
    """
  for (k, n) in zip(keys, sizes) {
    xml +=
      "<Contents><Key>\(urlEncode(k))</Key><LastModified>2026-11-29T12:00:00.000Z</LastModified>"
      + "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>\(n)</Size>"
      + "<StorageClass>STANDARD</StorageClass></Contents>"
  }
  xml +=
    "<NextContinuationToken>\(XMLText.escape(token))</NextContinuationToken></ListBucketResult>"
  do {
    // Within a load whose limits the page fits exactly: not refused.
    let body = Array(xml.utf8)
    var tally: LoadTally? = LoadTally(
      LoadLimits(maxBytes: body.count, maxItems: max(1, keys.count)), peer: "s3://fuzz")
    let page = try S3Store.listPage(body, displayURL: "s3://fuzz", tally: &tally)
    guard page.keys.map(\.key) == keys, page.keys.map(\.size) == sizes, page.next == token else {
      fuzzFail(
        "\(keys.count) keys read back as \(page.keys.count) (\(page.keys.prefix(2).map(\.key))), token \(page.next?.prefix(40) ?? "none")"
      )
    }
  } catch {
    fuzzFail("a page of \(keys.count) URL-encoded keys was refused: \(error.message)")
  }
  let half = text.index(text.startIndex, offsetBy: text.count / 2)
  let (code, message) = (String(text[..<half]), String(text[half...]))
  if !code.isEmpty, !message.isEmpty {
    let body =
      "<Error><Code>\(XMLText.escape(code))</Code><Message>\(XMLText.escape(message))</Message></Error>"
    let back = S3Store.decodeError(
      HTTPResponse(status: status, headers: [], body: Array(body.utf8)))
    guard back.code == code, back.message.hasPrefix(message) else {
      fuzzFail(
        "Error <\(code.prefix(30))> <\(message.prefix(30))> read back as <\(back.code.prefix(30))>")
    }
  }
  return 0
}
