import Documents
import Workload

/// The lpsim ops each known ONNX op becomes.
extension ONNXImporter {
    /// The format a tensor's values carry: its quantization, else its storage type when that is not fp32
    /// (fp32 is the exporter's default, not a choice: the plan's default fills it in).
    func formatOf(_ value: TensorValue?) -> String? {
        guard let value else { return nil }
        if let q = value.quant { return q.format }
        if value.dataType == 1 || value.dataType == 0 || value.dataType == 7 || value.dataType == 9 { return nil }
        return ONNXTypes.formatName(value.dataType)
    }

    /// The quantization of a QOperator operand: its stored type (the zero point's, else the data's) and
    /// its scale's shape.
    func linearQuant(_ node: NodeView, data: String?, scale: Int, zeroPoint: Int) -> QuantInfo? {
        let zp = node.input(zeroPoint).flatMap { values[$0] }
        let dataValue = data.flatMap { values[$0] }
        guard let type = zp?.dataType ?? dataValue?.dataType, let element = ONNXTypes.formatName(type) else {
            return nil
        }
        let asymmetric = zp.map { z in z.values.map { $0.contains { $0 != 0 } } ?? true } ?? false
        var info = QuantInfo(format: element, asymmetric: asymmetric, blockSize: nil)
        if let s = node.input(scale).flatMap({ values[$0] }), s.elements > 1, let d = dataValue, d.elements > 0 {
            let group = max(1, d.elements / s.elements)
            info.format = ONNXTypes.grouped(element, group: group, scale: ONNXTypes.formatName(s.dataType) ?? "fp32")
            info.blockSize = group
        }
        return info
    }

    mutating func emit(_ node: NodeView, _ cls: OpClass) throws {
        let outputName = node.node.output.first ?? ""
        let out = values[outputName]?.shape ?? []
        let elements = out.reduce(1, *)
        let first = ops.count
        if elements == 0, cls != .conv, cls != .convTranspose, cls != .matmul, cls != .gemm, cls != .matmulNBits {
            summary.freeOps += 1  // an empty tensor: nothing to compute
            return
        }
        defer { if ops.count > first { for o in node.node.output where !o.isEmpty { opProducing[o] = first } } }
        var formats: [String: String] = [:]
        let input = values[node.input(0) ?? ""]
        if let f = formatOf(input) { formats["input"] = f }
        if node.opType.hasPrefix("QLinear"), cls != .conv, cls != .matmul {
            // (X, X_scale, X_zp, …, Y_scale, Y_zp): the output's zero point is the last input.
            let last = node.node.input.count - 1
            if let y = linearQuant(node, data: outputName, scale: last - 1, zeroPoint: last) {
                values[outputName]?.quant = y
                formats["output"] = y.format
            }
            if cls == .copy, let y = values[outputName]?.quant { formats["input"] = y.format }
        }
        let inputFormat = try formats["input"].map { try typed($0, op: node.name) }
        let outputFormat = try formats["output"].map { try typed($0, op: node.name) }
        func add(_ kind: OpKind, _ dims: [String: Int]) {
            var op = Op(name: node.name, kind: kind, dims: dims)
            if let f = inputFormat { op.formats[.input] = f }
            if let f = outputFormat { op.formats[.output] = f }
            append(op)
        }
        switch cls {
        case .unary:
            add(.elementwise, ["elements": elements, "operands": 1, "flops": Self.unaryFlops(node.opType)])
        case .broadcast:
            let operands = node.opType.hasPrefix("QLinear") ? 2 : node.node.input.filter { !$0.isEmpty }.count
            add(.elementwise, ["elements": elements, "operands": max(1, operands), "flops": max(1, operands - 1)])
        case .softmax:
            let axisDefault = opset >= 13 || node.int("opset", 13) >= 13 ? -1 : 1
            let axis = try normalized(node.int("axis", axisDefault), rank: out.count, node)
            let columns = axisDefault == -1 ? out[axis] : out[axis...].reduce(1, *)
            add(.softmax, ["rows": elements / max(columns, 1), "columns": columns])
        case .norm:
            for (suffix, kind, dims) in try normOps(node, shape: out) {
                if suffix.isEmpty { add(kind, dims) } else {
                    var op = Op(name: node.name + suffix, kind: kind, dims: dims)
                    if let f = inputFormat { op.formats[.input] = f }
                    append(op)
                }
            }
        case .pool, .globalPool:
            let x = try operand(node, 0)
            let window = cls == .globalPool
                ? x.shape[2...].reduce(1, *) : (node.ints("kernel_shape") ?? [1]).reduce(1, *)
            add(.elementwise, ["elements": elements, "operands": window, "flops": window])
            if node.opType.hasSuffix("MaxPool"), let q = x.value.quant { values[outputName]?.quant = q }
        case .reduce:
            let x = try operand(node, 0)
            let window = max(1, x.shape.reduce(1, *) / max(elements, 1))
            add(.elementwise, ["elements": elements, "operands": window, "flops": window])
        case .copy:
            summary.copyOps += 1
            let total = node.node.output.compactMap { values[$0]?.elements }.reduce(0, +)
            if values[outputName]?.quant == nil, let q = input?.quant {
                for o in node.node.output { values[o]?.quant = q }
                formats["output"] = q.format
            }
            add(.elementwise, ["elements": max(total, 1), "operands": 1, "flops": 1])
        default:
            try emitMatrix(node, cls)
        }
    }

    /// Operations per element of the unary ops: 1, except the transcendental ones. Gelu's 8 is the
    /// figure TransformerGenerator uses; the 4 of sigmoid-like ops (an exp, an add, a divide and a
    /// multiply) is an estimate.
    static func unaryFlops(_ opType: String) -> Int {
        switch opType {
        case "Gelu", "FastGelu", "Erf": 8
        case "Sigmoid", "QLinearSigmoid", "Tanh", "Swish", "QuickGelu", "Softplus", "Mish", "Elu", "Selu", "Celu",
             "Exp", "Log", "HardSwish", "HardSigmoid": 4
        default: 1
        }
    }

    /// The ops of a normalization: (name suffix, kind, dimensions).
    func normOps(_ node: NodeView, shape: [Int]) throws -> [(String, OpKind, [String: Int])] {
        let total = shape.reduce(1, *)
        var result: [(String, OpKind, [String: Int])] = []
        func emitRows(_ columns: Int, affine: Int) {
            result.append(("", .norm, ["rows": total / max(columns, 1), "columns": max(columns, 1), "affine": affine]))
        }
        switch node.opType {
        case "BatchNormalization":
            // Inference: a per-channel scale and shift over N × spatial rows of C channels.
            guard shape.count >= 2 else { throw error("needs an N×C… input", node: node) }
            emitRows(shape[1], affine: 2)
        case "GroupNormalization":
            let groups = node.int("num_groups", 1)
            guard shape.count >= 2, groups > 0, shape[1] % groups == 0 else {
                throw error("channels are not divisible by num_groups", node: node)
            }
            // Statistics per (sample, group); the norm kind counts one row's columns as its parameters.
            emitRows(shape[1] / groups * shape[2...].reduce(1, *), affine: 1)
        case "InstanceNormalization":
            guard shape.count >= 2 else { throw error("needs an N×C… input", node: node) }
            emitRows(shape[2...].reduce(1, *), affine: 1)
        case "LpNormalization":
            let axis = try normalized(node.int("axis", -1), rank: shape.count, node)
            emitRows(shape[axis], affine: 1)
        case "MeanVarianceNormalization":
            emitRows(shape.count >= 2 ? shape[2...].reduce(1, *) : 1, affine: 1)
        default:  // LayerNormalization, RMSNormalization and the com.microsoft (Skip)(Simplified)LayerNormalization
            let axis = try normalized(node.int("axis", -1), rank: shape.count, node)
            let columns = shape[axis...].reduce(1, *)
            let hasBias = node.opType.contains("Simplified") || node.opType == "RMSNormalization"
                ? false : node.input(node.opType.hasPrefix("Skip") ? 3 : 2) != nil
            if node.opType.hasPrefix("Skip") {
                result.append((".skip_add", .elementwise, ["elements": total, "operands": 2, "flops": 1]))
            }
            emitRows(columns, affine: hasBias ? 2 : 1)
        }
        return result
    }
}
