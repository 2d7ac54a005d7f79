import Foundation

/// SplitMix64 (Steele, Lea and Flood, 2014): expands a 64-bit seed into the state of the main generator; on its own,
/// the repeatable generator of the reference store's benchmarks and fleet simulation.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return Self.mix(state)
  }
  /// SplitMix64's finalizer: every bit of `z` reaches every bit of the result.
  @inline(__always) static func mix(_ z: UInt64) -> UInt64 {
    var z = z
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in (0, 1].
  public mutating func unit() -> Double { (Double(next() >> 11) + 1) / Double(1 << 53) }
}

/// xoshiro256** 1.0 (Blackman and Vigna, 2018), seeded by four SplitMix64 outputs of the seed. Integer arithmetic
/// only: the same seed gives the same numbers on every machine (docs/model.md §10).
public struct Xoshiro256StarStar: Sendable {
  public var s: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    s = (sm.next(), sm.next(), sm.next(), sm.next())
  }

  public init(state: (UInt64, UInt64, UInt64, UInt64)) { s = state }

  @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  public mutating func next() -> UInt64 {
    let result = Self.rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = Self.rotl(s.3, 45)
    return result
  }

  /// A uniform number in the open interval (0, 1): the top 53 bits, centred in their cell.
  public mutating func nextOpenUnit() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1p-53
  }

  /// A standard normal draw, by the inverse of the normal CDF at one uniform (one uniform per draw keeps the
  /// stream's use fixed: draw i of input j is always the (i × inputs + j)-th number).
  public mutating func nextNormal() -> Double { Normal.quantile(nextOpenUnit()) }
}

extension Normal {
  /// The standard normal quantile Φ⁻¹(p), 0 < p < 1: Wichura's algorithm AS 241 (PPND16, Applied Statistics 37,
  /// 1988), accurate to about 1 part in 10^16.
  public static func quantile(_ p: Double) -> Double {
    let q = p - 0.5
    if Swift.abs(q) <= 0.425 {
      let r = 0.180625 - q * q
      let num =
        (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r
          + 6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r
          + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
          + 1.3314166789178437745e+2) * r + 3.3871328727963666080e0)
      let den =
        (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r
          + 3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r
          + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
          + 4.2313330701600911252e+1) * r + 1.0)
      return q * num / den
    }
    var r = q < 0 ? p : 1 - p
    guard r > 0 else { return q < 0 ? -.infinity : .infinity }
    r = Foundation.sqrt(-Foundation.log(r))
    var value: Double
    if r <= 5 {
      r -= 1.6
      let num =
        (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
          + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
          + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
          + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
      let den =
        (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
          + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
          + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
          + 2.05319162663775882187e0) * r + 1.0)
      value = num / den
    } else {
      r -= 5
      let num =
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
          + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
          + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
          + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
      let den =
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
          + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
          + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
          + 5.99832206555887937690e-1) * r + 1.0)
      value = num / den
    }
    return q < 0 ? -value : value
  }
}
