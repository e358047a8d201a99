import Formats
import Foundation
import Simulator
import Workload

extension ComparisonBuilder {
    /// The formats a run stores its parameters in, each with the parameters
    /// it holds, in order of first use: one entry under a uniform plan, several
    /// under a mixed-precision plan whose layers differ in weight format.
    /// Empty when the result keeps no ops or the trace owns no parameters.
    ///
    /// An op's weight format is the one it was simulated with (the plan's, as
    /// the simulator resolved it); its parameters are its share of the model's
    /// total (`Op.parameterShare`: every expert, tied weights once).
    static func weightMix(_ trace: Trace, _ result: SimulationResult) -> [(format: NumberFormat, parameters: Double)] {
        guard result.ops.count == trace.ops.count else { return [] }
        var mix: [(format: NumberFormat, parameters: Double)] = []
        for (op, r) in zip(trace.ops, result.ops) {
            guard let share = try? op.parameterShare(), share.total > 0,
                  let format = result.formats(of: r).weight else { continue }
            let parameters = Double(share.total) / Double(share.denominator)
            if let i = mix.firstIndex(where: { $0.format == format }) { mix[i].parameters += parameters }
            else { mix.append((format, parameters)) }
        }
        return mix
    }

    /// Bits per weight and weight QSNR of a mix: the parameter-weighted mean
    /// width, and the QSNR of the parameter-weighted mean noise power (each
    /// format's noise-to-signal ratio 10^(−QSNR/10), on the same N(0,1)
    /// samples); the label lists each format with its share of the parameters.
    ///
    /// - Precondition: `mix` has at least two entries, each with parameters.
    static func mixed(_ mix: [(format: NumberFormat, parameters: Double)], qsnr: (NumberFormat) -> Double)
        -> (label: String, bitsPerWeight: Double, qsnrDecibels: Double) {
        let total = mix.reduce(0) { $0 + $1.parameters }
        let bits = mix.reduce(0) { $0 + $1.parameters * $1.format.bitsPerElement } / total
        let noise = mix.reduce(0) { $0 + $1.parameters * pow(10, -qsnr($1.format) / 10) } / total
        let label = mix.map { "\($0.format.name) \(Statements.percent($0.parameters / total))" }
            .joined(separator: " + ")
        return ("mixed: " + label, bits, -10 * log10(noise))
    }
}
