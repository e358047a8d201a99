/// How a real number that falls between two adjacent representable values
/// is mapped to one of them.
///
/// The names and semantics follow IEEE 754-2019 §4.3, plus stochastic
/// rounding as used in low-precision training:
///
/// - `nearestEven`: the nearer neighbour; on a tie the one whose last stored
///   digit is even (IEEE `roundTiesToEven`, the default everywhere).
///   Formats with no stored mantissa bits (`e8m0`, `e5m0`, …) have no "even"
///   neighbour, so ties go away from zero there, as ml_dtypes does.
/// - `nearestAway`: the nearer neighbour; on a tie the one of larger
///   magnitude (IEEE `roundTiesToAway`).
/// - `towardZero`, `up` (toward +∞), `down` (toward −∞): directed rounding.
/// - `stochastic`: the upper neighbour with probability equal to the
///   distance from the lower one over the gap, driven by an explicit random
///   word so that every run with the same seed gives the same bits.
public enum RoundingMode: String, Sendable, CaseIterable, Hashable {
    case nearestEven = "nearest-even"
    case nearestAway = "nearest-away"
    case towardZero = "toward-zero"
    case up
    case down
    case stochastic
}

/// What happens to a finite value whose rounded result lies beyond the
/// largest finite value of a format.
///
/// - `ieee`: IEEE 754 §7.4 overflow. Round-to-nearest and stochastic
///   rounding give infinity; directed rounding gives ±max when rounding
///   toward zero (or away from the value's infinity) and infinity otherwise.
///   A format with no infinity gives NaN where it has a NaN encoding, and
///   saturates to ±max where it has neither (OCP FP6/FP4, integers).
/// - `saturate`: always clamp to ±max; infinite inputs become ±max too.
///   NaN stays NaN where the format has one.
public enum OverflowRule: String, Sendable, CaseIterable, Hashable {
    case ieee
    case saturate
}

/// Where an exact value lies relative to the midpoint of the two
/// representable neighbours that bracket it.
@usableFromInline
enum MidpointPosition: Sendable {
    case belowMidpoint
    case atMidpoint
    case aboveMidpoint
}

extension RoundingMode {
    /// Decides whether an inexact value rounds to the upper of its two
    /// neighbours (`upper` is the neighbour of larger magnitude for
    /// sign-magnitude formats, and the larger value for integer grids).
    ///
    /// - Parameters:
    ///   - position: the value against the neighbours' midpoint, exactly.
    ///   - fraction: (value − lower) / (upper − lower), in (0, 1); used only
    ///     by stochastic rounding, and accurate to a double's precision.
    ///   - lowerIsEven: the lower neighbour's last digit is even.
    ///   - upperIsAwayFromZero: the upper neighbour has the larger magnitude.
    ///   - upperIsTowardPositive: the upper neighbour is the larger value.
    ///   - random: a uniformly random 64-bit word (stochastic rounding only).
    /// - Returns: `true` to take the upper neighbour.
    @inlinable
    func roundsUp(
        position: MidpointPosition,
        fraction: Double,
        lowerIsEven: Bool,
        upperIsAwayFromZero: Bool,
        upperIsTowardPositive: Bool,
        random: UInt64
    ) -> Bool {
        switch self {
        case .nearestEven:
            switch position {
            case .belowMidpoint: return false
            case .aboveMidpoint: return true
            case .atMidpoint: return !lowerIsEven
            }
        case .nearestAway:
            switch position {
            case .belowMidpoint: return false
            case .aboveMidpoint: return true
            case .atMidpoint: return upperIsAwayFromZero
            }
        case .towardZero: return !upperIsAwayFromZero
        case .up: return upperIsTowardPositive
        case .down: return !upperIsTowardPositive
        case .stochastic:
            // 53 random bits give a uniform double in [0, 1); the comparison
            // is then exact, so P(up) = fraction to within 2^-53.
            let u = Double(random >> 11) * 0x1p-53
            return u < fraction
        }
    }

    /// Whether an overflowing value goes to infinity (`true`) or to the
    /// largest finite value (`false`) under IEEE 754 §7.4.
    @inlinable
    func overflowsToInfinity(negative: Bool) -> Bool {
        switch self {
        case .nearestEven, .nearestAway, .stochastic: return true
        case .towardZero: return false
        case .up: return !negative
        case .down: return negative
        }
    }
}
