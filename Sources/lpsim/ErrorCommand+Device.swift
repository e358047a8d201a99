import Arithmetic
import Formats

extension ErrorCommand {
    /// The multiplier, accumulator and promotion interval the options name.
    func deviceArithmetic() throws -> DeviceArithmetic {
        let target = try resolvedFormat(format)
        let mantissa: Int? = { if case .minifloat(let f) = target.elementFormat { return f.mantissaBits } else { return nil } }()
        let mul: Multiplier
        switch multiplier {
        case "exact": mul = .exact(resultFormat: nil)
        case "lmul", "lmul-eq", "lmul-equation":
            guard let m = mantissa else {
                throw CommandLineError(message: "--multiplier \(multiplier) needs a floating-point format, not \(target.name)")
            }
            mul = multiplier == "lmul" ? .lmul(mantissaBits: m) : .lmulEquation(mantissaBits: m)
        default:
            throw CommandLineError(message: "unknown multiplier '\(multiplier)': expected exact, lmul or lmul-eq")
        }
        guard accumulatorOverflow == "wrap" || accumulatorOverflow == "saturate" else {
            throw CommandLineError(message: "--accumulator-overflow must be wrap or saturate, got '\(accumulatorOverflow)'")
        }
        let acc: Accumulator
        if accumulator == "exact" {
            acc = .exact
        } else if accumulator == "tc14" {
            acc = .alignedTruncating(keptBits: 14, groupSize: 32)
        } else if accumulator.hasPrefix("kept"), let n = Int(accumulator.dropFirst(4)) {
            guard (2...52).contains(n) else { throw CommandLineError(message: "--accumulator keptN needs N in 2…52, got \(n)") }
            acc = .alignedTruncating(keptBits: n, groupSize: 32)
        } else if accumulator.hasPrefix("int"), let n = Int(accumulator.dropFirst(3)) {
            guard (2...62).contains(n) else {
                throw CommandLineError(message: "--accumulator intN needs N in 2…62 (the emulator holds sums in 64 bits), got \(n)")
            }
            acc = .integer(bits: n, saturating: accumulatorOverflow == "saturate")
        } else {
            guard case .scalar(.minifloat(let f))? = try? FormatCatalog.format(named: accumulator) else {
                throw CommandLineError(message: "unknown accumulator '\(accumulator)': expected a float format (fp32, bf16, fp16), tc14, keptN, intN or exact")
            }
            acc = .float(f)
        }
        if let n = promoteEvery, n < 1 { throw CommandLineError(message: "--promote-every must be ≥ 1") }
        if promoteEvery != nil, case .exact = acc {
            throw CommandLineError(message: "--promote-every rounds partial sums to FP32, which an exact accumulator "
                                   + "never needs: give one or the other")
        }
        return DeviceArithmetic(multiplier: mul, accumulator: acc, promotionInterval: promoteEvery)
    }

    /// The AM004 check of an integer accumulator against the real K:
    /// C ≥ ⌈log2(2^(N−1)·2^(M−1)·K + 1)⌉ + 1.
    func widthWarnings(_ d: DeviceArithmetic, _ w: NumberFormat, _ x: NumberFormat, _ k: Int) -> [String] {
        guard case .integer(let bits, _) = d.accumulator else { return [] }
        let k = d.promotionInterval.map { min($0, k) } ?? k
        let needed = Accumulator.integerBitsNeeded(operandBits: w.elementFormat.bitWidth, by: x.elementFormat.bitWidth,
                                                   products: k)
        guard bits < needed else { return [] }
        return ["int\(bits) accumulator can overflow on K = \(k) products of \(w.elementFormat.bitWidth)-bit × "
                + "\(x.elementFormat.bitWidth)-bit operands: AMD AM004 needs \(needed) bits"]
    }
}
