import Foundation
import Formats

/// How a processing element accumulates products, with a bit-exact emulation.
public enum Accumulator: Sendable, Hashable, CustomStringConvertible {
    /// A W-bit two's-complement integer that wraps or saturates on overflow.
    /// Products must be integers (integer operands).
    case integer(bits: Int, saturating: Bool)
    /// A floating-point register of the given format, rounded to nearest
    /// even after every addition (fp32 is the usual choice).
    case float(Minifloat)
    /// The FP8 tensor-core accumulation DeepSeek-V3 describes (arXiv
    /// 2412.19437 §3.3.2, §3.5.2) as Khattak & Mikaitis model the H100
    /// (arXiv 2512.07004; their MATLAB-tensor-core `H100TC.m`: fma = 32,
    /// neab = −10, global alignment, truncation): each group of `groupSize`
    /// products is aligned with the running sum to the largest exponent E
    /// among them — a product's exponent is the sum of its operands'
    /// exponents (its significand in [1, 4) is not normalised), the sum's its
    /// own — every term's magnitude is truncated to a multiple of
    /// 2^(E − keptBits + 1), the terms are added exactly and the result is
    /// truncated to `keptBits` significant bits (FP22, e8m13, for 14). With
    /// 14 and 32 this matches all 5,000 H100 FP8 MMA outputs of their
    /// validation set bit for bit (Tests/ArithmeticTests/HopperMMATests).
    case alignedTruncating(keptBits: Int, groupSize: Int)
    /// A fixed-point (Kulisch) accumulator wide enough for every product's
    /// exponent range and for K of them, so that it adds without error and
    /// never overflows: what an FPGA's LUT-built minifloat MAC sums into
    /// (2^(E+1) + 2(M+1) + log2 K bits, `FPGAResources`). Emulated by
    /// compensated double summation (`ExactSum`, TwoSum with the errors
    /// summed apart): exact while the products and their sum lie on one
    /// dyadic grid spanning at most 53 bits (e4m3, e2m3, e2m1 products at
    /// the K of real layers); on a wider span (e5m2, bf16) the result is
    /// the exact sum to about 2^-100 of the largest partial sum, far below
    /// any format's own error.
    case exact

    public var description: String {
        switch self {
        case .exact: return "exact (fixed point)"
        case .integer(let bits, let saturating): return "int\(bits) (\(saturating ? "saturating" : "wrapping"))"
        case .float(let f): return f.name
        case .alignedTruncating(let bits, let group): return "\(bits)-bit aligned truncation per \(group) products"
        }
    }

    /// The accumulator width that cannot overflow for K products of N-bit and
    /// M-bit two's-complement operands: C = ⌈log2(2^(N−1)·2^(M−1)·K + 1)⌉ + 1
    /// (AMD AM004, Versal DSP58 accumulator sizing).
    public static func integerBitsNeeded(operandBits n: Int, by m: Int, products k: Int) -> Int {
        let bound = Double(sign: .plus, exponent: n + m - 2, significand: Double(k)) + 1
        return Int(log2(bound).rounded(.up)) + 1
    }
}

/// A K-long dot product through a chosen multiplier and accumulator, with
/// optional promotion of the partial sum to an FP32 accumulator every
/// `promotionInterval` products (the fix DeepSeek-V3 uses, N_C = 128).
public struct DotProductEmulator: Sendable {
    public var multiplier: Multiplier
    public var accumulator: Accumulator
    public var promotionInterval: Int?
    /// The smallest exponent an operand's significand is taken at (the
    /// minimum normal exponent of its format: −6 for E4M3, −14 for E5M2), so
    /// that a subnormal operand has exponent emin and a significand below 1,
    /// as aligned accumulation sees it; nil takes ⌊log2|x|⌋ unclamped.
    public var operandMinExponent: Int?

    public init(multiplier: Multiplier, accumulator: Accumulator, promotionInterval: Int? = nil,
                operandMinExponent: Int? = nil) {
        self.multiplier = multiplier
        self.accumulator = accumulator
        self.promotionInterval = promotionInterval
        self.operandMinExponent = operandMinExponent
    }

    /// The emulated Σ aᵢ·bᵢ and whether the accumulator overflowed.
    public func dot(_ a: [Double], _ b: [Double]) -> (value: Double, overflowed: Bool) {
        precondition(a.count == b.count)
        let fp32 = Self.fp32
        guard let interval = promotionInterval, interval > 0 else {
            return accumulate(0..<a.count, a, b)
        }
        var total = 0.0, overflowed = false
        var start = 0
        while start < a.count {
            let end = min(start + interval, a.count)
            let partial = accumulate(start..<end, a, b)
            overflowed = overflowed || partial.overflowed
            total = fp32.quantize(total + partial.value)
            start = end
        }
        return (total, overflowed)
    }

    static let fp32 = try! Minifloat(name: "fp32", exponentBits: 8, mantissaBits: 23)

    func accumulate(_ range: Range<Int>, _ a: [Double], _ b: [Double]) -> (value: Double, overflowed: Bool) {
        // One specialised loop per multiplier: no switch per product.
        switch multiplier {
        case .exact(nil): return accumulate(range, a, b, ExactProduct())
        case .exact(let f?): return accumulate(range, a, b, RoundedProduct(format: f))
        case .lmul(let m): return accumulate(range, a, b, LMulProduct(mantissaBits: m))
        case .lmulEquation(let m): return accumulate(range, a, b, LMulEquationProduct(mantissaBits: m))
        }
    }

    @inline(__always)
    func accumulate<P: ProductFunction>(_ range: Range<Int>, _ a: [Double], _ b: [Double],
                                        _ product: P) -> (value: Double, overflowed: Bool) {
        switch accumulator {
        case .integer(let bits, let saturating):
            let maxValue = Int64(1) << (bits - 1) - 1, minValue = -(Int64(1) << (bits - 1))
            let shift = Int64(64 - bits)
            var sum: Int64 = 0, overflowed = false
            for i in range {
                var s = sum &+ Int64(product(a[i], b[i]))
                if s > maxValue || s < minValue {
                    overflowed = true
                    // Saturate, or wrap to W bits in two's complement.
                    s = saturating ? (s > maxValue ? maxValue : minValue) : (s << shift) >> shift
                }
                sum = s
            }
            return (Double(sum), overflowed)
        case .float(let format):
            var sum = 0.0
            if format.isBinary32 {
                for i in range { sum = roundedToFloat32(sum, product(a[i], b[i])) }
            } else {
                for i in range { sum = format.quantize(sum + product(a[i], b[i])) }
            }
            return (sum, !sum.isFinite)
        case .alignedTruncating(let kept, let group):
            let floor = operandMinExponent ?? Int.min / 4
            func exponent(_ x: Double) -> Int { Swift.max(Int(x.exponent), floor) }
            var sum = 0.0
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + group, range.upperBound)
                var largest: Int? = sum == 0 ? nil : Int(sum.exponent)
                for i in start..<end where a[i] != 0 && b[i] != 0 && a[i].isFinite && b[i].isFinite {
                    let e = exponent(a[i]) + exponent(b[i])
                    largest = Swift.max(largest ?? e, e)
                }
                if let top = largest {
                    let quantum = Double(sign: .plus, exponent: top - (kept - 1), significand: 1)
                    var total = (sum / quantum).rounded(.towardZero)
                    for i in start..<end { total += (product(a[i], b[i]) / quantum).rounded(.towardZero) }
                    sum = total * quantum
                    if sum != 0 && sum.isFinite {
                        // The result register keeps `kept` significant bits (truncated).
                        let ulp = Double(sign: .plus, exponent: Int(sum.exponent) - (kept - 1), significand: 1)
                        sum = (sum / ulp).rounded(.towardZero) * ulp
                    }
                } else {
                    // Only zero products and a zero sum, or a non-finite operand.
                    for i in start..<end { sum += product(a[i], b[i]) }
                }
                start = end
            }
            return (sum, !sum.isFinite)
        case .exact:
            var sum = ExactSum()
            for i in range { sum.add(product(a[i], b[i])) }
            return (sum.value, !sum.value.isFinite)
        }
    }
}

@usableFromInline struct LMulEquationProduct: ProductFunction {
    let mantissaBits: Int
    @inline(__always) @usableFromInline func callAsFunction(_ a: Double, _ b: Double) -> Double {
        lmulEquationProduct(a, b, mantissaBits: mantissaBits)
    }
}

/// A multiplier as a specialisable function.
@usableFromInline
protocol ProductFunction {
    func callAsFunction(_ a: Double, _ b: Double) -> Double
}

@usableFromInline struct ExactProduct: ProductFunction {
    @inline(__always) @usableFromInline func callAsFunction(_ a: Double, _ b: Double) -> Double { a * b }
}

@usableFromInline struct RoundedProduct: ProductFunction {
    let format: AnyScalarFormat
    @inline(__always) @usableFromInline func callAsFunction(_ a: Double, _ b: Double) -> Double {
        format.quantize(a * b)
    }
}

@usableFromInline struct LMulProduct: ProductFunction {
    let mantissaBits: Int
    @inline(__always) @usableFromInline func callAsFunction(_ a: Double, _ b: Double) -> Double {
        lmulProduct(a, b, mantissaBits: mantissaBits)
    }
}

extension Minifloat {
    /// IEEE binary32 exactly (E8M23, bias 127, ieee specials).
    var isBinary32: Bool { exponentBits == 8 && mantissaBits == 23 && bias == 127 && specials == .ieee }
}

/// s + p rounded once to binary32 (ties to even), for binary32 `s`.
///
/// The double sum may itself be rounded; TwoSum recovers its error, and a
/// double result that sits exactly on a binary32 midpoint is nudged toward
/// the true sum, so no double rounding can occur. Below the binary32 normal
/// range, where the midpoint test differs, the exact encoder is used.
@inline(__always)
func roundedToFloat32(_ s: Double, _ p: Double) -> Double {
    let hi = s + p
    let t = hi - s
    let lo = (s - (hi - t)) + (p - t)
    if lo != 0, abs(hi) >= Double(Float.leastNormalMagnitude), hi.isFinite,
       hi.bitPattern & 0x1FFF_FFFF == 0x1000_0000 {
        return Double(Float(lo > 0 ? hi.nextUp : hi.nextDown))
    }
    if abs(hi) < Double(Float.leastNormalMagnitude) && hi != 0 {
        return DotProductEmulator.fp32.quantize(hi)   // rare: sums below 2^-126
    }
    return Double(Float(hi))
}
