import Documents
import Foundation
import Formats
import Hardware
import Simulator
import Workload

/// Every layer's latency, energy, weight bytes and output QSNR under every candidate, from lpsim's own
/// Simulator: the trace is simulated once per candidate with every layer in that candidate (the plan
/// `MixedPlan` writes), and each layer's figures are the sums over its ops. A layer's figures do not
/// depend on the formats of the other layers (each op is timed and priced from its own formats; kernel
/// fusion looks only at the previous op's kind), and every op is in one layer, so the cost of any mixture
/// is the sum of one entry per layer — which the round-trip test checks by simulating the written plan.
public struct LayerCostTable: Sendable {
    public var layers: [SearchLayer]
    public var candidates: [PrecisionPlan]
    /// [layer][candidate] seconds, joules and weight bytes.
    public var latency: [[Double]], energy: [[Double]], size: [[Double]]
    /// [layer][candidate] output QSNR of the layer's matrix product, dB, on the device's own arithmetic
    /// (`DeviceNumerics` at the op's K rounded to a power of two, as `simulate --json` reports it).
    public var outputQSNR: [[Double]]

    /// - Throws: `Diagnostic` when the candidate list is empty, a candidate cannot run on the device, or the
    ///   device has no error emulation for a candidate's formats.
    public init(hardware: HardwareModel, trace: Trace, traceFile: String, candidates: [PrecisionPlan]) throws {
        guard !candidates.isEmpty else {
            throw Diagnostic(file: "<command line>", message: "the candidate set is empty: give at least one plan")
        }
        layers = try SearchLayer.layers(of: trace, file: traceFile)
        self.candidates = candidates
        let n = layers.count, k = candidates.count
        latency = Array(repeating: Array(repeating: 0, count: k), count: n)
        energy = latency; size = latency; outputQSNR = latency
        let numerics = DeviceNumerics(model: hardware)
        var qsnrCache: [String: Double] = [:]
        for j in 0..<k {
            let plan = MixedPlan.plan(named: candidates[j].name, trace: trace, layers: layers, candidates: candidates,
                                      choices: Array(repeating: j, count: n))
            let result = try Simulator(hardware: hardware, plan: plan).run(trace, traceFile: traceFile)
            let bytes = try Self.weightBytes(trace, result, file: traceFile)
            for (l, layer) in layers.enumerated() {
                for i in layer.ops {
                    latency[l][j] += result.ops[i].seconds; energy[l][j] += result.ops[i].energy.total
                    size[l][j] += bytes[i]
                }
                let head = layer.ops[0], roles = result.formats(of: result.ops[head])
                let input = roles.input ?? result.ops[head].computeFormat, weight = roles.weight ?? input
                let bucket = Self.lengthBucket(trace.ops[head])
                let key = "\(weight) \(input) \(bucket)"
                if qsnrCache[key] == nil {
                    guard let e = numerics.errors(weightFormat: weight, inputFormat: input, length: bucket) else {
                        throw Diagnostic(file: hardware.file, message: "layer '\(layer.name)' under '\(plan.name)': "
                                         + "\(hardware.name) has no error emulation for \(weight) × \(input) "
                                         + "(an integer accumulator fed by non-integer operands, "
                                         + "or L-Mul on integers)")
                    }
                    qsnrCache[key] = e.output.qsnrDecibels
                }
                outputQSNR[l][j] = qsnrCache[key]!
            }
        }
    }

    /// [layer][candidate] figures of the objective.
    public func costs(_ objective: SearchObjective) -> [[Double]] {
        switch objective { case .latency: latency; case .energy: energy; case .size: size }
    }

    /// K (`Op.reductionLength`) rounded to the nearest power of two, 1…2^16: the length `simulate --json`
    /// emulates, so the search's QSNR is the one simulate reports.
    static func lengthBucket(_ op: Op) -> Int {
        let k = Double(op.reductionLength)
        guard k >= 1 else { return 1 }
        return min(1 << Int(log2(k).rounded()), 1 << 16)
    }

    /// Each op's weight bytes under the formats the simulation gave it.
    static func weightBytes(_ trace: Trace, _ result: SimulationResult, file: String) throws -> [Double] {
        try trace.ops.indices.map { i in
            let op = trace.ops[i]
            // The KV cache an attention op reads is not a weight: it is priced by the plan's cache format.
            guard !op.kind.readsKVCache, let format = result.formats(of: result.ops[i]).weight else { return 0 }
            let share: ParameterShare
            do throws(ShapeError) { share = try op.parameterShare() } catch {
                throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
            }
            // Every expert the model owns, not only those a step touches: the checkpoint holds them all.
            return Double(share.total) / Double(share.denominator) * format.bitsPerElement / 8
        }
    }
}
