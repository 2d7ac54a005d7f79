// libFuzzer target: RESP2 replies (scripts/fuzz.sh resp). The input is what a Redis server sends: replies one
// after another, as a pipeline gets them. It is read as RedisClient reads it: after each read (their sizes drawn
// from the input's hash) RESP.Scanner resumes over the unread bytes until a reply is complete, which RESP.decode
// then decodes once. Checked, for every input:
// - the same replies, bytes used and failure as RESP.decode gives on all the bytes at once;
// - the scanner and the decoder agree on where each reply ends, and neither uses more bytes than it was given;
// - what the scanner declares (the least the reply's length can be, which a load's maxLoadBytes is checked
//   against as the reply arrives) is never more than the reply's length, and its element count is the reply's;
// - what is held between reads is a few times the bytes given, whatever the length prefixes announce (and
//   -malloc_limit_mb stops any single allocation over 64 MB);
// - every reply re-encoded decodes to the same value, using all of its encoding.
import Foundation

enum Outcome: Equatable {
  case reply(RESPValue, Int)
  case failed
}

func encode(_ v: RESPValue, _ out: inout [UInt8]) {
  func line(_ type: Character, _ text: String) {
    out.append(type.asciiValue!)
    out += Array(text.utf8) + [13, 10]
  }
  switch v {
  case .simple(let s): line("+", s)
  case .error(let e): line("-", e.message)
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

/// Whether a re-encoded value's lines stay under the limit (invalid UTF-8 in a line grows into U+FFFD).
func linesFit(_ v: RESPValue) -> Bool {
  switch v {
  case .simple(let s): s.utf8.count < RESP.maxLineBytes
  case .error(let e): e.message.utf8.count < RESP.maxLineBytes
  case .array(let items?): items.allSatisfy(linesFit)
  default: true
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let bytes = Array(input)
  var rng = FuzzRandom(input)

  // All the bytes at once.
  var expected: [Outcome] = []
  var p = 0
  while p < bytes.count {
    do {
      guard let (v, used) = try RESP.decode(bytes[p...]) else { break }
      expected.append(.reply(v, used))
      p += used
    } catch {
      expected.append(.failed)
      break
    }
  }

  // Read by read, as RedisClient reads them.
  let baseline = asanAllocatedBytes?() ?? 0
  var got: [Outcome] = []
  var scanner = RESP.Scanner()
  var start = 0
  var end = 0
  var reads = pieceSizes(total: bytes.count, &rng)[...]
  reading: while true {
    let complete: Int?
    do { complete = try scanner.scan(bytes[start..<end]) } catch {
      got.append(.failed)
      break
    }
    guard let n = complete else {
      if let now = asanAllocatedBytes?(), now - baseline > 256 * end + (1 << 20) {
        fuzzFail("\(now - baseline) bytes held after \(end) bytes given")
      }
      guard let more = reads.popFirst() else { break reading }
      end += more
      continue
    }
    guard n >= 1, n <= end - start else {
      fuzzFail("a reply of \(n) bytes in the \(end - start) given")
    }
    guard scanner.declaredBytes <= n else {
      fuzzFail("a reply of \(n) bytes declared at least \(scanner.declaredBytes)")
    }
    let decoded: (RESPValue, Int)?
    do { decoded = try RESP.decode(bytes[start..<(start + n)]) } catch {
      fuzzFail("the scanner found a reply of \(n) bytes the decoder refuses: \(error)")
    }
    guard let (v, used) = decoded, used == n else {
      fuzzFail(
        "the scanner found a reply of \(n) bytes, the decoder \(String(describing: decoded?.1))")
    }
    if case .array(let items) = v, items?.count ?? 0 != scanner.count {
      fuzzFail(
        "an array of \(items?.count ?? 0) elements counted \(String(describing: scanner.count))")
    }
    got.append(.reply(v, used))
    start += used
    scanner = RESP.Scanner()
  }
  guard got == expected else {
    fuzzFail("read by read: \(got.prefix(3)); all at once: \(expected.prefix(3))")
  }

  for case .reply(let v, _) in got where linesFit(v) {
    var out: [UInt8] = []
    encode(v, &out)
    let again: (RESPValue, Int)?
    do { again = try RESP.decode(out[...]) } catch {
      fuzzFail("re-encoded \(v) is malformed: \(error)")
    }
    guard let again, again.0 == v, again.1 == out.count else {
      fuzzFail("re-encoded \(v) decodes as \(String(describing: again))")
    }
  }
  return 0
}
