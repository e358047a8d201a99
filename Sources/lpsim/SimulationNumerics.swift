import Arithmetic
import Foundation
import Formats
import Hardware
import Simulator
import Workload

/// The numerics of a simulation: per op, the QSNR of its weight format and
/// of the dot products the device computes at the op's own K (its
/// multiplier, accumulator, promotion interval; `DeviceNumerics`), and the
/// overflow probability of an integer accumulator; totals weight the
/// noise-to-signal ratios by MACs. The emulation runs at K rounded to the
/// nearest power of two (at most 2^16), once per distinct (formats, K), so a
/// trace of a million distinct shapes costs a few dozen emulations; the
/// accumulator-width check uses each op's exact K. Ops are added one at a
/// time as a streamed simulation makes them: nothing is held per op.
struct SimulationNumerics {
    struct Figures { var weightQSNR: Double; var outputQSNR: Double; var overflowProbability: Double }
    struct Key: Hashable { var weight: String; var input: String; var k: Int }

    let numerics: DeviceNumerics
    let accumulatorBits: Int
    var cache: [Key: Figures?] = [:]
    var flagged: [Key: (first: String, ops: Int, needed: Int, overflow: Double)] = [:]
    var order: [Key] = []
    /// Non-integer operand pairs summed in an integer accumulator: the first op and how many share it.
    var floatFed: [String: (first: String, ops: Int, bits: Int)] = [:], floatFedOrder: [String] = []
    var weighted = (w: 0.0, o: 0.0, p: 0.0, macs: 0.0)

    /// Whether ops get their error emulated (`--json`, `--csv`); without it only the checks of the file's
    /// integer accumulator run (a family's fixed integer accumulation, a GPU's INT32, is checked with the
    /// emulation: at the K of real traces it does not overflow).
    let emulates: Bool
    /// Whether `add` has anything to do: it emulates, or the file's accumulator is an integer one.
    var active: Bool { emulates || accumulatorBits > 0 }

    init(device: HardwareModel, emulates: Bool = true) {
        self.emulates = emulates
        numerics = DeviceNumerics(model: device)
        var bits = 0
        if case .integer(let b, _) = device.datapath.accumulator { bits = b }
        accumulatorBits = bits
    }

    /// The figures of the next op of the trace, whose operand formats are
    /// `roles` and reduction length `k` (`reductionLength`); nil for an op
    /// that is not a matrix product or has no emulation. Ops come in trace
    /// order: the totals are sums in that order.
    mutating func add(_ op: OpResult, roles: RoleFormats, length k: Int) -> Figures? {
        guard op.kind.isMatrixProduct, op.macs > 0, k > 0 else { return nil }
        let input = roles.input ?? op.computeFormat, weight = roles.weight ?? input
        let key = Key(weight: weight.name, input: input.name, k: k)
        let bucket = Key(weight: weight.name, input: input.name, k: min(1 << Int(log2(Double(k)).rounded()), 1 << 16))
        if emulates && cache[bucket] == nil {
            cache[bucket] = numerics.errors(weightFormat: weight, inputFormat: input, length: bucket.k).map {
                Figures(weightQSNR: $0.weight.qsnrDecibels, outputQSNR: $0.output.qsnrDecibels,
                        overflowProbability: $0.overflowProbability)
            }
        }
        let figures = cache[bucket] ?? nil
        if let f = figures {
            weighted.w += op.macs * pow(10, -f.weightQSNR / 10)
            weighted.o += op.macs * pow(10, -f.outputQSNR / 10)
            weighted.p += op.macs * f.overflowProbability
            weighted.macs += op.macs
        }
        if let bits = numerics.integerAccumulatorFedFloats(weight: weight, input: input) {
            let pair = "\(weight.name) × \(input.name)"
            if let seen = floatFed[pair] { floatFed[pair]!.ops = seen.ops + 1 } else {
                floatFed[pair] = (op.name, 1, bits)
                floatFedOrder.append(pair)
            }
        }
        if let needed = numerics.accumulatorBitsNeeded(format: weight, by: input, length: k) {
            if let seen = flagged[key] { flagged[key]!.ops = seen.ops + 1 } else {
                flagged[key] = (op.name, 1, needed, figures?.overflowProbability ?? .nan)
                order.append(key)
            }
        }
        return figures
    }

    /// The totals: noise-to-signal ratios weighted by MACs; nil when no op had figures.
    var totals: Figures? {
        weighted.macs > 0
            ? Figures(weightQSNR: -10 * log10(weighted.w / weighted.macs),
                      outputQSNR: -10 * log10(weighted.o / weighted.macs),
                      overflowProbability: weighted.p / weighted.macs) : nil
    }

    /// One line per distinct (format, K) whose integer accumulator is too
    /// narrow by AM004, naming the first op and how many ops share it, and one
    /// per non-integer operand pair summed in an integer accumulator.
    var warnings: [String] {
        floatFedOrder.map { pair in
            let f = floatFed[pair]!
            return "warning: op '\(f.first)'\(f.ops > 1 ? " (and \(f.ops - 1) more)" : ""): \(pair) products are "
                + "summed in the int\(f.bits) accumulator, which lpsim neither width-checks nor emulates "
                + "for non-integer operands (output QSNR n/a); give the datapath an fp accumulator or run an "
                + "integer plan"
        } + order.map { key in
            let f = flagged[key]!
            let outcome = !emulates ? "--json or --csv emulates how often it overflows"
                : f.overflow.isNaN ? "overflow not emulated"
                : String(format: "%.0f%% of emulated dot products overflowed", f.overflow * 100)
            return "warning: op '\(f.first)'\(f.ops > 1 ? " (and \(f.ops - 1) more)" : ""): K = \(key.k) products of "
                + "\(key.weight) × \(key.input) can overflow the int\(accumulatorBits) accumulator "
                + "(AMD AM004 needs \(f.needed) bits); \(outcome)"
        }
    }

    /// The op's reduction length (`Op.reductionLength`), 0 when it has none.
    static func reductionLength(_ op: Op) -> Int { op.reductionLength }

    static func json(_ f: Figures?) -> [(String, JSON)] {
        [("weight_qsnr_db", f.map { .number($0.weightQSNR) } ?? .null),
         ("output_qsnr_db", f.map { .number($0.outputQSNR) } ?? .null),
         ("overflow_probability", f.map { .number($0.overflowProbability) } ?? .null)]
    }
}
