// libFuzzer target: HTTP/1.1 responses (scripts/fuzz.sh http). The input is what a server sends on one kept-alive
// connection: responses one after another (status line, headers, Content-Length, chunked or to-the-end bodies,
// interim 100 Continue). HTTPClient's reader reads them from bytes in memory, in reads whose sizes come from the
// input's hash, for a GET (or, one input in four, a HEAD). Checked, for every input:
// - read in pieces or all at once, the same responses and error, and the same bytes left over after each;
// - the reader never consumes more bytes than it was given;
// - a final response: status 101–599, header names lower-case, no CR, LF or NUL in names or values (RFC 9110
//   §5.5: invalid, and an ETag is sent back in If-Match); no body for HEAD, 204 and 304; a Content-Length body of
//   exactly that length; never a body over the client's bodyLimit (what is left of a load's maxLoadBytes);
// - the input as a body, sent chunked in pieces of random sizes (with chunk extensions and a trailer, after
//   an interim 100 Continue) or with a Content-Length, reads back as the input, leaving nothing unread.
import Foundation

/// Bytes arriving in reads of the given sizes; then the server closes the connection.
final class MemorySource: HTTPByteSource {
  let bytes: [UInt8]
  var reads: ArraySlice<Int>
  var start = 0
  var end = 0
  var closed = false

  init(_ bytes: [UInt8], reads: [Int]) {
    self.bytes = bytes
    self.reads = reads[...]
  }

  var available: ArraySlice<UInt8> { bytes[start..<end] }

  func consume(_ n: Int) {
    guard n >= 0, n <= end - start else {
      fuzzFail("consumed \(n) bytes of the \(end - start) given")
    }
    start += n
  }

  func fill() throws(StoreError) {
    guard !closed, let n = reads.popFirst() else {
      closed = true
      throw StoreError(.unavailable, "fuzz: the server closed the connection")
    }
    end += n
  }

  func close() {
    closed = true
    start = end
  }
}

enum Read: Equatable {
  case response(status: Int, headers: [String], body: [UInt8], left: Int)
  case error(String)
}

func readAll(_ client: HTTPClient, _ bytes: [UInt8], reads: [Int], method: String) -> [Read] {
  let source = MemorySource(bytes, reads: reads)
  var out: [Read] = []
  while !source.closed || !source.available.isEmpty, out.count < 16 {
    do {
      let r = try client.readResponse(source, method: method)
      out.append(
        .response(
          status: r.status, headers: r.headers.map { "\($0.0): \($0.1)" }, body: r.body,
          left: source.bytes.count - source.start))
      check(r, method: method)
      if let limit = client.bodyLimit, r.body.count > limit {
        fuzzFail("a body of \(r.body.count) bytes read with \(limit) left")
      }
    } catch {
      // Over the body limit, the size named is how much had arrived when it was seen: the code is compared.
      out.append(.error(error.code == .tooLarge ? "over the body limit" : error.message))
      break
    }
  }
  return out
}

func check(_ r: HTTPResponse, method: String) {
  guard (101...599).contains(r.status) else { fuzzFail("status \(r.status)") }
  for (name, value) in r.headers {
    guard name == name.lowercased(),
      !(name + value).utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 })
    else { fuzzFail("header '\(name.prefix(40))': '\(value.prefix(40))'") }
  }
  if method == "HEAD" || r.status == 204 || r.status == 304 {
    guard r.body.isEmpty else {
      fuzzFail("a body of \(r.body.count) bytes for \(method) \(r.status)")
    }
  } else if r.header("transfer-encoding")?.lowercased().contains("chunked") != true,
    let length = r.header("content-length")
  {
    guard Int(length) == r.body.count else {
      fuzzFail("Content-Length \(length.prefix(30)) with a body of \(r.body.count) bytes")
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let bytes = Array(input)
  var rng = FuzzRandom(input)
  let client = HTTPClient(host: "fuzz.example", port: 80, timeoutSeconds: 1)
  let method = rng.below(4) == 0 ? "HEAD" : "GET"
  // What is left of a load's maxLoadBytes, one input in three.
  client.bodyLimit = rng.below(3) == 0 ? rng.below(4096) : nil

  let atOnce = readAll(client, bytes, reads: bytes.isEmpty ? [] : [bytes.count], method: method)
  let inPieces = readAll(client, bytes, reads: pieceSizes(total: bytes.count, &rng), method: method)
  guard atOnce == inPieces else {
    fuzzFail("at once: \(atOnce.prefix(2)); in pieces: \(inPieces.prefix(2))")
  }

  // The input as a body, chunked or with a length.
  client.bodyLimit = nil
  var reply = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
  if rng.below(2) == 0 {
    reply += Array("HTTP/1.1 200 OK\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes
  } else {
    reply += Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
    var p = 0
    while p < bytes.count {
      let n = min(bytes.count - p, 1 + rng.below(300))
      reply += Array((String(n, radix: 16) + (rng.below(3) == 0 ? ";ext=1" : "") + "\r\n").utf8)
      reply += bytes[p..<(p + n)] + [13, 10]
      p += n
    }
    reply += Array("0\r\nX-Trailer: t\r\n\r\n".utf8)
  }
  let source = MemorySource(reply, reads: pieceSizes(total: reply.count, &rng))
  do {
    let r = try client.readResponse(source, method: "GET")
    guard r.status == 200, r.body == bytes, source.start == reply.count else {
      fuzzFail("a body of \(bytes.count) bytes read back as \(r.body.count) (status \(r.status))")
    }
  } catch {
    fuzzFail("a well-formed reply was refused: \(error.message)")
  }
  return 0
}
