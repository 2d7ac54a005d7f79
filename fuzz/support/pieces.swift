// Shared by the store decoders' fuzz targets (scripts/fuzz.sh compiles it with each of them): the pieces a
// reply arrives in, drawn from a generator seeded by the input itself (so a finding replays exactly), and what
// AddressSanitizer counts as allocated now.
import Foundation

/// SplitMix64, seeded with the FNV-1a hash of the input.
struct FuzzRandom {
  var state: UInt64

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    state = h
  }

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Sizes of the reads a reply of `total` bytes arrives in: one byte at a time, a few bytes, up to 512 bytes, or
/// all at once, chosen by the input's hash.
func pieceSizes(total: Int, _ rng: inout FuzzRandom) -> [Int] {
  let most = [1, 16, 512, max(1, total)][rng.below(4)]
  var sizes: [Int] = []
  var left = total
  while left > 0 {
    let n = min(left, most == 1 ? 1 : 1 + rng.below(most))
    sizes.append(n)
    left -= n
  }
  return sizes
}

/// Bytes allocated and not freed, as AddressSanitizer counts them (nil when not running under it).
let asanAllocatedBytes: (@convention(c) () -> Int)? = {
  guard let f = dlsym(dlopen(nil, RTLD_NOW), "__sanitizer_get_current_allocated_bytes") else {
    return nil
  }
  return unsafeBitCast(f, to: (@convention(c) () -> Int).self)
}()

/// Stops the fuzzer with a message: a property that does not hold is a finding, like a crash.
func fuzzFail(_ what: String) -> Never {
  FileHandle.standardError.write(Data("fuzz property failed: \(what)\n".utf8))
  abort()
}
