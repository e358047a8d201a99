import Arithmetic
import Formats

/// The error of what a device computes: its multiplier, its accumulator
/// (FP, kept bits with truncation, integer width with wrap or saturate,
/// exact fixed point where the family's units carry one),
/// its promotion interval and the formats' own scale rules, on dot
/// products of a given K (`DotProductErrors`).
public struct DeviceNumerics: Sendable {
    public let model: HardwareModel

    public init(model: HardwareModel) { self.model = model }

    /// The device's arithmetic for operands of `format`; nil where it has
    /// no emulation: L-Mul on integers, an integer accumulator fed by
    /// non-integer (or block-scaled) operands. A format the family's own
    /// units accumulate exactly (`FamilySpec.accumulatesExactly`) gets the
    /// exact accumulator, whatever the file's.
    public func arithmetic(for format: NumberFormat) -> DeviceArithmetic? {
        let multiplier: Multiplier
        switch (model.datapath.multiplier, format.elementFormat) {
        case (.lmul, .minifloat(let f)): multiplier = .lmul(mantissaBits: f.mantissaBits)
        case (.lmul, .integer): return nil
        default: multiplier = .exact(resultFormat: nil)   // bit decomposition is exact for integers
        }
        let accumulator: Accumulator
        // The file's promotion interval belongs to its own accumulator, not to one the family fixes.
        var promotion = model.datapath.promotionInterval
        if model.executableFormats.contains(format), model.spec.accumulatesExactly(format) {
            return DeviceArithmetic(multiplier: multiplier, accumulator: .exact, promotionInterval: nil)
        }
        switch (model.datapath.accumulator, model.spec.integerAccumulatorBits(format)) {
        case (.float, let bits?):
            // The family fixes an integer accumulator for these operands (a GPU's integer MMAs sum into INT32,
            // wrapping: PTX `mma` without `.satfinite`), as DatapathCost prices them.
            accumulator = .integer(bits: bits, saturating: false)
            promotion = nil
        case (.integer(let bits, let saturating), _):
            guard case .scalar(.integer) = format else { return nil }
            accumulator = .integer(bits: min(bits, 62), saturating: saturating)
        case (.float(let f, let kept), nil):
            // Kept bits belong to the FP8 tensor-core path, as DatapathCost prices them (an H100
            // truncates FP8 MMAs to 14 bits, not BF16 ones: Khattak & Mikaitis, arXiv 2512.07004).
            if let kept, DatapathCost.onFP8Path(format) {
                accumulator = .alignedTruncating(keptBits: kept, groupSize: model.datapath.dotProductLanes ?? 32)
            } else {
                accumulator = .float(f)
            }
        }
        return DeviceArithmetic(multiplier: multiplier, accumulator: accumulator,
                                promotionInterval: promotion)
    }

    /// Why `arithmetic(for:)` is nil for `format` (nil when it is not): the
    /// words a report puts beside an "n/a" output QSNR.
    public func noEmulation(for format: NumberFormat) -> String? {
        let format = format.zeroPointShifted ?? format
        guard arithmetic(for: format) == nil else { return nil }
        if case .lmul = model.datapath.multiplier, case .integer = format.elementFormat {
            return "L-Mul is not defined on \(format.name) integer operands"
        }
        if case .integer(let bits, _) = model.datapath.accumulator {
            return "\(format.name) products summed in the int\(bits) accumulator are not emulated"
        }
        return "no emulation of \(format.name) on this datapath"
    }

    /// Why `errors(weightFormat:inputFormat:length:)` is nil for the pair (nil when it is not): either
    /// format's own reason, or the pair's — the weight's arithmetic sums the products, so an integer weight
    /// against a non-integer input feeds floats into its integer accumulator.
    public func noEmulation(weight: NumberFormat, input: NumberFormat) -> String? {
        if let reason = noEmulation(for: weight) ?? noEmulation(for: input) { return reason }
        if let bits = integerAccumulatorFedFloats(weight: weight, input: input) {
            return "\(weight.name) × \(input.name) products summed in the int\(bits) accumulator are not emulated"
        }
        if case .lmul = model.datapath.multiplier,
           [weight, input].contains(where: { if case .integer = $0.elementFormat { true } else { false } }) {
            return "L-Mul is not defined on integer operands (\(weight.name) × \(input.name))"
        }
        return nil
    }

    /// The width of the integer accumulator that would sum non-integer products of the pair (an operand
    /// that is not a scalar integer), nil when it does not: the file's accumulator for a float weight, or
    /// the accumulator the weight's arithmetic uses (a family's INT32, the file's int48) for an integer one.
    public func integerAccumulatorFedFloats(weight: NumberFormat, input: NumberFormat) -> Int? {
        let w = weight.zeroPointShifted ?? weight, x = input.zeroPointShifted ?? input
        func scalarInteger(_ f: NumberFormat) -> Bool { if case .scalar(.integer) = f { true } else { false } }
        if floatsFeedIntegerAccumulator(format: w), case .integer(let bits, _) = model.datapath.accumulator {
            return bits
        }
        guard let a = arithmetic(for: w), case .integer(let bits, _) = a.accumulator else { return nil }
        return scalarInteger(w) && scalarInteger(x) ? nil : bits
    }

    /// `count` seeded N(0, 1) dot products of length `length` on this device;
    /// nil where `arithmetic(for:)` is nil.
    ///
    /// An unsigned integer operand (an ONNX model's uint8 activations) is
    /// studied as the signed format of its width: a zero-point-quantised
    /// tensor with zero point 2^(N−1) has codes q − zp in −2^(N−1)…2^(N−1)−1,
    /// the signed format's grid, which is also what the datapath multiplies
    /// (`Simulator.computeFormat`; `NumberFormat.zeroPointShifted`). Feeding N(0, 1) samples to the unsigned
    /// grid without its zero point would clip every negative value to 0.
    public func errors(weightFormat: NumberFormat, inputFormat: NumberFormat, length: Int, count: Int = 32,
                       seed: UInt64 = 0) -> DotProductErrors? {
        let w = weightFormat.zeroPointShifted ?? weightFormat, x = inputFormat.zeroPointShifted ?? inputFormat
        guard let device = arithmetic(for: w), arithmetic(for: x) != nil else { return nil }
        return try? DotProductErrors.study(weightFormat: w, inputFormat: x, length: max(length, 1), count: count,
                                           device: device, seed: seed)
    }

    /// The AM004 width check of an integer accumulator for K products of
    /// `format` by `input` operands (`format` by itself when nil): the bits
    /// needed, or nil when the accumulator is wide enough or not an integer, or
    /// an operand is not an integer (AM004's bound is for integer products; see
    /// `floatsFeedIntegerAccumulator`).
    public func accumulatorBitsNeeded(format: NumberFormat, by input: NumberFormat? = nil, length k: Int) -> Int? {
        let input = input ?? format
        guard case .integer = format.elementFormat, case .integer = input.elementFormat else { return nil }
        let bits: Int, promotion: Int?
        if case .integer(let b, _) = model.datapath.accumulator {
            (bits, promotion) = (b, model.datapath.promotionInterval)
        } else if let b = model.spec.integerAccumulatorBits(format) { (bits, promotion) = (b, nil) } else { return nil }
        let k = promotion.map { min($0, k) } ?? k
        let needed = Accumulator.integerBitsNeeded(operandBits: format.elementFormat.bitWidth,
                                                   by: input.elementFormat.bitWidth, products: max(k, 1))
        return bits < needed ? needed : nil
    }

    /// Whether the file's integer accumulator sums products of non-integer
    /// `format` operands (a SCALE-Sim `.cfg`'s default datapath, say, run in
    /// bf16): lpsim has neither a width check nor an error emulation for
    /// that pairing, which a report must say rather than leave blank.
    public func floatsFeedIntegerAccumulator(format: NumberFormat) -> Bool {
        guard case .integer = model.datapath.accumulator, !model.spec.accumulatesExactly(format) else { return false }
        if case .integer = format.elementFormat { return false }
        return true
    }
}
