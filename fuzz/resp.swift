// libFuzzer target: RESP2 replies (scripts/fuzz.sh resp). The input is what a Redis server sends: replies one
// after another, as a pipeline gets them. It is read as RedisClient reads it: one RESPDecoder fed the unread
// bytes after each read, the reads' sizes drawn from the input's hash. Checked, for every input:
// - the same replies, bytes used and error as the reference (the recursive decoder RESP.swift had before the
//   decoder resumed where it stopped) gives on all the bytes at once;
// - no reply uses more bytes than it was given;
// - the bytes the decoder examines grow with the bytes given, plus at most 2 per call: it does not parse a reply
//   again from its start on each read;
// - what the decoder holds between reads is bounded by the bytes given, whatever the length prefixes announce
//   (and -malloc_limit_mb stops any single allocation over 64 MB);
// - every reply re-encoded decodes to the same value, using all of its encoding.
import Foundation

/// The decoder as it was before it resumed (it parsed the reply from its start on every call): the oracle.
enum ReferenceRESP {
  static func value(_ b: ArraySlice<UInt8>, _ p: inout Int, depth: Int) throws(RESP.ProtocolError)
    -> RESPValue?
  {
    guard depth <= RESP.maxDepth else {
      throw RESP.ProtocolError(description: "reply nested deeper than \(RESP.maxDepth)")
    }
    guard p < b.endIndex else { return nil }
    let type = b[p]
    var q = p + 1
    var scanned = 0
    guard let l = try RESP.line(b, &q, scanned: &scanned).line else { return nil }
    switch type {
    case 43:
      p = q
      return .simple(String(decoding: l, as: UTF8.self))
    case 45:
      p = q
      return .error(String(decoding: l, as: UTF8.self))
    case 58:
      let v = try RESP.integer(l)
      p = q
      return .integer(v)
    case 36:
      let n = try RESP.integer(l)
      if n == -1 {
        p = q
        return .bulk(nil)
      }
      guard n >= 0, n <= RESP.maxBulkBytes else {
        throw RESP.ProtocolError(description: "bulk length \(n) out of range")
      }
      let len = Int(n)
      guard b.endIndex - q >= len + 2 else { return nil }
      guard b[q + len] == 13, b[q + len + 1] == 10 else {
        throw RESP.ProtocolError(description: "bulk string not terminated by CRLF")
      }
      p = q + len + 2
      return .bulk(Array(b[q..<(q + len)]))
    case 42:
      let n = try RESP.integer(l)
      if n == -1 {
        p = q
        return .array(nil)
      }
      guard n >= 0, n <= RESP.maxArrayCount else {
        throw RESP.ProtocolError(description: "array length \(n) out of range")
      }
      var items: [RESPValue] = []
      items.reserveCapacity(min(Int(n), (b.endIndex - q) / 3 + 1))
      for _ in 0..<n {
        guard let v = try value(b, &q, depth: depth + 1) else { return nil }
        items.append(v)
      }
      p = q
      return .array(items)
    default:
      throw RESP.ProtocolError(description: "unknown reply type byte 0x\(String(type, radix: 16))")
    }
  }
}

enum Outcome: Equatable {
  case reply(RESPValue, Int)
  case error(String)
}

func encode(_ v: RESPValue, _ out: inout [UInt8]) {
  func line(_ type: Character, _ text: String) {
    out.append(type.asciiValue!)
    out += Array(text.utf8) + [13, 10]
  }
  switch v {
  case .simple(let s): line("+", s)
  case .error(let s): line("-", s)
  case .integer(let n): line(":", String(n))
  case .bulk(nil): line("$", "-1")
  case .bulk(let b?):
    line("$", String(b.count))
    out += b + [13, 10]
  case .array(nil): line("*", "-1")
  case .array(let items?):
    line("*", String(items.count))
    for i in items { encode(i, &out) }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let bytes = Array(input)
  var rng = FuzzRandom(input)

  // The reference, on all the bytes at once.
  var expected: [Outcome] = []
  var p = 0
  while p < bytes.count {
    var q = p
    do {
      guard let v = try ReferenceRESP.value(bytes[p...], &q, depth: 0) else { break }
      expected.append(.reply(v, q - p))
      p = q
    } catch {
      expected.append(.error(error.description))
      break
    }
  }

  // The decoder, fed read by read.
  let baseline = asanAllocatedBytes?() ?? 0
  var got: [Outcome] = []
  var d = RESPDecoder()
  var start = 0
  var end = 0
  var calls = 0
  var reads = pieceSizes(total: bytes.count, &rng)[...]
  reading: while true {
    calls += 1
    do {
      if let (v, used) = try d.decode(bytes[start..<end]) {
        guard used >= 1, used <= end - start else {
          fuzzFail("a reply used \(used) bytes of the \(end - start) given")
        }
        got.append(.reply(v, used))
        start += used
        continue
      }
    } catch {
      got.append(.error(error.description))
      break
    }
    // What the replies so far and the decoder hold: a few times the bytes given, never a length prefix's worth.
    if let now = asanAllocatedBytes?(), now - baseline > 256 * end + (1 << 20) {
      fuzzFail("\(now - baseline) bytes held after \(end) bytes given")
    }
    guard let n = reads.popFirst() else { break reading }
    end += n
  }
  guard got == expected else {
    fuzzFail("read in pieces: \(got.prefix(3)); all at once: \(expected.prefix(3))")
  }
  guard d.examined <= end + 2 * calls else {
    fuzzFail("examined \(d.examined) bytes of \(end) in \(calls) calls")
  }

  // Every reply round-trips through its canonical encoding (unless a line grew past the limit when its
  // invalid UTF-8 became U+FFFD).
  func linesFit(_ v: RESPValue) -> Bool {
    switch v {
    case .simple(let s), .error(let s): s.utf8.count < RESP.maxLineBytes
    case .array(let items?): items.allSatisfy(linesFit)
    default: true
    }
  }
  for case .reply(let v, _) in got where linesFit(v) {
    var out: [UInt8] = []
    encode(v, &out)
    var fresh = RESPDecoder()
    let again: (RESPValue, Int)?
    do { again = try fresh.decode(out[...]) } catch {
      fuzzFail("re-encoded \(v) is malformed: \(error)")
    }
    guard let again, again.0 == v, again.1 == out.count else {
      fuzzFail("re-encoded \(v) decodes as \(String(describing: again))")
    }
  }
  return 0
}
