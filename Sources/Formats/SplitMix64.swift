/// A small, fast, seedable random number generator (SplitMix64, Steele,
/// Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014).
///
/// lpsim draws every random number from an explicit seed so that
/// stochastic rounding and sampled distributions are reproducible bit for
/// bit across runs and machines.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var state: UInt64

    /// Creates a generator whose sequence is fully determined by `seed`.
    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
