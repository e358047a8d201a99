import Documents
import Workload

/// One decision of the mixed-precision search: a matrix product (a convolution or GEMM, whose weights
/// carry the format) with the non-matrix ops that follow it up to the next matrix product (its norm,
/// activation, residual add); ops before the first matrix product join the first layer. Every op is in
/// exactly one layer and takes its formats, so that "every layer in plan c" is plan c itself, op by op,
/// and the uniform ends of the front are the candidates' own plans.
public struct SearchLayer: Sendable, Hashable {
    /// The matrix product's name: how the report, the sensitivity file and the plan name the layer.
    public var name: String
    /// Indices into the trace: the matrix product first, then the other ops of the layer.
    public var ops: [Int]
    /// Weight parameters of the matrix product, repetitions included (the default sensitivity).
    public var parameters: Double

    public init(name: String, ops: [Int], parameters: Double) {
        self.name = name; self.ops = ops; self.parameters = parameters
    }

    /// The layers of `trace`, in trace order.
    ///
    /// - Throws: `Diagnostic` when the trace has no matrix product, or when an op of a layer cannot be
    ///   addressed by name in a plan: its name holds a glob character (`*`, `?`) or another op shares it.
    public static func layers(of trace: Trace, file: String) throws -> [SearchLayer] {
        var layers: [SearchLayer] = []
        var leaders: [Int] = []
        for (i, op) in trace.ops.enumerated() {
            if op.kind.isMatrixProduct {
                let parameters: Double
                do throws(ShapeError) {
                    parameters = Double(try op.counts().parameters) * Double(op.repeatCount)
                } catch {
                    throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
                }
                let ops = layers.isEmpty ? [i] + leaders : [i]
                layers.append(SearchLayer(name: op.name, ops: ops, parameters: parameters))
            } else if layers.isEmpty {
                leaders.append(i)
            } else {
                layers[layers.count - 1].ops.append(i)
            }
        }
        guard !layers.isEmpty else {
            throw Diagnostic(file: file, message: "the workload has no matrix product (conv2d, gemm, attention): "
                             + "there is no layer whose format the search could choose")
        }
        var count: [String: Int] = [:]
        for op in trace.ops { count[op.name, default: 0] += 1 }
        for layer in layers {
            for i in layer.ops {
                let name = trace.ops[i].name
                if name.contains("*") || name.contains("?") {
                    throw Diagnostic(file: file, message: "op '\(name)': a plan addresses ops by name glob, and this "
                                     + "name holds '*' or '?'; rename the op")
                }
                if count[name]! > 1 {
                    throw Diagnostic(file: file, message: "op name '\(name)' is used by \(count[name]!) ops: a plan "
                                     + "addresses ops by name, so each layer's ops need names of their own")
                }
            }
        }
        return layers
    }
}
