import Documents

/// Shapes of the data-movement ops and of the matrix products.
extension ONNXImporter {
    mutating func inferCopy(_ node: NodeView) throws {
        switch node.opType {
        case "Transpose":
            let x = try operand(node, 0)
            let perm = node.ints("perm") ?? Array((0..<x.shape.count).reversed())
            guard perm.sorted() == Array(0..<x.shape.count) else {
                throw error("perm \(perm) is not a permutation of the axes", node: node)
            }
            try setOutput(node, shape: perm.map { x.shape[$0] })
        case "Concat", "QLinearConcat":
            // QLinearConcat: (Y_scale, Y_zero_point, then X, X_scale, X_zero_point per input).
            let count = node.node.input.count
            let indices = node.opType == "Concat" ? Array(0..<count) : Array(stride(from: 2, to: count, by: 3))
            let parts = try indices.filter { node.input($0) != nil }.map { try operand(node, $0) }
            guard let first = parts.first else { throw error("Concat has no inputs", node: node) }
            let axis = try normalized(node.int("axis", 0), rank: first.shape.count, node)
            var out = first.shape
            out[axis] = parts.reduce(0) { $0 + ($1.shape.count == first.shape.count ? $1.shape[axis] : 0) }
            var folded: [Double]?
            if first.shape.count == 1, parts.allSatisfy({ $0.value.values != nil }) {
                folded = parts.flatMap { $0.value.values! }
            }
            let type = node.opType == "QLinearConcat"
                ? (node.input(1).flatMap { values[$0]?.dataType } ?? 2) : first.value.dataType
            try setOutput(node, shape: out, type: type, values: folded)
        case "Split":
            let x = try operand(node, 0)
            let axis = try normalized(node.int("axis", 0), rank: x.shape.count, node)
            let count = node.node.output.count
            var sizes = opset >= 13 ? try constantInts(node, 1, "the split sizes") : try boundedInts(node, "split")
            if sizes == nil {
                let parts = node.int("num_outputs", count)
                guard parts >= 1, parts <= ONNXImporter.maxDimension else {
                    throw error("num_outputs must be positive", node: node)
                }
                let each = (x.shape[axis] + parts - 1) / parts
                sizes = (0..<count).map { min(each, max(0, x.shape[axis] - $0 * each)) }
            }
            guard let sizes, sizes.count == count else {
                throw error("split sizes do not match the \(count) outputs", node: node)
            }
            for (i, s) in sizes.enumerated() {
                var shape = x.shape
                shape[axis] = s
                try setOutput(node, i, shape: shape)
            }
        case "Slice":
            let x = try operand(node, 0)
            let starts = opset >= 10 ? try constantInts(node, 1, "starts", bound: nil) : node.ints("starts")
            let ends = opset >= 10 ? try constantInts(node, 2, "ends", bound: nil) : node.ints("ends")
            guard let starts, let ends, starts.count == ends.count else {
                throw error("Slice needs starts and ends", node: node)
            }
            let axes = (opset >= 10 ? try constantInts(node, 3, "axes") : try boundedInts(node, "axes"))
                ?? Array(0..<starts.count)
            let steps = (opset >= 10 ? try constantInts(node, 4, "steps") : nil)
                ?? Array(repeating: 1, count: starts.count)
            guard axes.count == starts.count, steps.count == starts.count,
                  starts.allSatisfy({ abs($0) <= 1 << 62 }), ends.allSatisfy({ abs($0) <= 1 << 62 }) else {
                throw error("starts, ends, axes and steps must have one value per sliced axis", node: node)
            }
            var out = x.shape
            var folded = x.value.values
            for (j, a) in axes.enumerated() {
                let axis = try normalized(a, rank: x.shape.count, node)
                let d = x.shape[axis], step = steps[j]
                guard step != 0 else { throw error("a Slice step is 0", node: node) }
                func clamp(_ v: Int, _ low: Int, _ high: Int) -> Int { min(max(v < 0 ? v + d : v, low), high) }
                let s = step > 0 ? clamp(starts[j], 0, d) : clamp(starts[j], -1, d - 1)
                let e = step > 0 ? clamp(ends[j], 0, d) : clamp(ends[j], -1, d - 1)
                out[axis] = step > 0 ? max(0, (e - s + step - 1) / step) : max(0, (s - e - step - 1) / -step)
                if x.shape.count == 1, let v = folded { folded = stride(from: s, to: e, by: step).map { v[$0] } }
            }
            try setOutput(node, shape: out, values: x.shape.count == 1 ? folded : nil)
        case "Gather", "GatherElements":
            let x = try operand(node, 0), indices = try operand(node, 1)
            let axis = try normalized(node.int("axis", 0), rank: x.shape.count, node)
            if node.opType == "GatherElements" { try setOutput(node, shape: indices.shape); return }
            let out = Array(x.shape[..<axis]) + indices.shape + Array(x.shape[(axis + 1)...])
            var folded: [Double]?
            if x.shape.count == 1, let v = x.value.values, let idx = indices.value.values {
                let picked = idx.compactMap { d -> Double? in
                    guard d.isFinite, abs(d) <= Double(v.count) else { return nil }
                    let i = Int(d) < 0 ? Int(d) + v.count : Int(d)
                    return v.indices.contains(i) ? v[i] : nil
                }
                folded = picked.count == idx.count ? picked : nil
            }
            try setOutput(node, shape: out, values: folded)
        case "Expand":
            let x = try operand(node, 0)
            let target = try constantInts(node, 1, "the target shape") ?? []
            try setOutput(node, shape: try broadcast([x.shape, target], node))
        case "Tile":
            let x = try operand(node, 0)
            let repeats = try constantInts(node, 1, "the repeats") ?? []
            guard repeats.count == x.shape.count else {
                throw error("repeats must give one value per axis", node: node)
            }
            try setOutput(node, shape: zip(x.shape, repeats).map(*))
        case "Pad":
            let x = try operand(node, 0)
            let pads = (opset >= 11 ? try constantInts(node, 1, "the pads") : try boundedInts(node, "pads")) ?? []
            let axes = opset >= 18 ? try constantInts(node, 3, "the axes") : nil
            var out = x.shape
            let list = try (axes ?? Array(0..<x.shape.count)).map { try normalized($0, rank: x.shape.count, node) }
            guard pads.count == 2 * list.count else {
                throw error("pads must give two values per padded axis", node: node)
            }
            for (j, a) in list.enumerated() { out[a] += pads[j] + pads[list.count + j] }
            try setOutput(node, shape: out)
        case "DepthToSpace", "SpaceToDepth":
            let x = try operand(node, 0)
            let b = node.int("blocksize", 1)
            guard x.shape.count == 4, b > 0, b <= 1 << 15 else {
                throw error("needs a 4-D input and a positive blocksize", node: node)
            }
            let s = x.shape
            try setOutput(node, shape: node.opType == "DepthToSpace" ? [s[0], s[1] / (b * b), s[2] * b, s[3] * b]
                                                                   : [s[0], s[1] * b * b, s[2] / b, s[3] / b])
        default:  // Resize, Upsample: scales (input 2 / 1) or sizes (input 3)
            let x = try operand(node, 0)
            if let sizes = node.opType == "Resize" ? try? constantInts(node, 3, "sizes") : nil,
               sizes.count == x.shape.count {
                try setOutput(node, shape: sizes)
                return
            }
            guard let scaleName = node.input(node.opType == "Resize" ? 2 : 1), let scales = values[scaleName]?.values,
                  scales.count == x.shape.count else {
                throw error("the scales or sizes must be constants the importer can read", node: node)
            }
            let sizes = zip(x.shape, scales).map { Double($0) * $1 }
            guard sizes.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= Double(ONNXImporter.maxDimension) }) else {
                throw error("the scales \(scales) give an output beyond 2^31 per axis", node: node)
            }
            try setOutput(node, shape: sizes.map { Int($0.rounded(.down)) })
        }
    }

    /// The data inputs of the matrix ops: (activation, weight) positions.
    static func matrixInputs(_ opType: String) -> (a: Int, b: Int) {
        switch opType {
        case "QLinearConv", "QLinearMatMul", "QGemm": return (0, 3)
        default: return (0, 1)
        }
    }

    mutating func inferMatrix(_ node: NodeView, _ cls: OpClass) throws {
        let (ai, bi) = Self.matrixInputs(node.opType)
        let a = try operand(node, ai)
        let outputType: Int32 = switch node.opType {
        case "MatMulInteger", "ConvInteger": 6
        case "QLinearConv", "QLinearMatMul": node.input(7).flatMap { values[$0]?.dataType } ?? 2
        case "QGemm": node.input(8).flatMap { values[$0]?.dataType } ?? 1
        default: a.value.dataType
        }
        switch cls {
        case .matmulNBits:
            guard (1...8).contains(node.int("bits", 4)), (1...1 << 20).contains(node.int("block_size", 0)) else {
                throw error("bits must be 1…8 and block_size 1…2^20, got \(node.int("bits", 4)) and "
                            + "\(node.int("block_size", 0))", node: node)
            }
            let n = node.int("N", 0)
            guard n > 0, n <= ONNXImporter.maxDimension, node.int("K", 0) == a.shape.last else {
                throw error("attributes K = \(node.int("K", 0)) and N = \(n) do not match the input \(a.shape)",
                            node: node)
            }
            try setOutput(node, shape: Array(a.shape.dropLast()) + [n], type: outputType)
        case .gemm:
            let b = try operand(node, bi)
            guard a.shape.count == 2, b.shape.count == 2 else {
                throw error("Gemm needs 2-D operands, got \(a.shape) and \(b.shape)", node: node)
            }
            let (m, k1) = node.int("transA", 0) != 0 ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
            let (k2, n) = node.int("transB", 0) != 0 ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
            guard k1 == k2 else { throw error("inner dimensions differ: \(a.shape) and \(b.shape)", node: node) }
            try setOutput(node, shape: [m, n], type: outputType)
        case .matmul:
            let b = try operand(node, bi)
            let (shape, _, _, _, _) = try matmulShape(node, a.shape, b.shape)
            try setOutput(node, shape: shape, type: outputType)
        default:  // conv, convTranspose
            let w = try operand(node, bi)
            guard a.shape.count >= 3, w.shape.count == a.shape.count else {
                throw error("needs N×C×spatial input and a weight of the same rank, got \(a.shape) and \(w.shape)",
                            node: node)
            }
            let kernel = try boundedInts(node, "kernel_shape") ?? Array(w.shape[2...])
            let groups = node.int("group", 1)
            guard groups >= 1, groups <= ONNXImporter.maxDimension else {
                throw error("group must be positive, got \(groups)", node: node)
            }
            let window = try windowOutput(node, input: Array(a.shape[2...]), kernel: kernel,
                                          transposed: cls == .convTranspose)
            let channels = cls == .convTranspose ? w.shape[1] * groups : w.shape[0]
            try setOutput(node, shape: [a.shape[0], channels] + window.out, type: outputType)
        }
    }

    /// ONNX MatMul (numpy matmul) shapes: (output, batch dims, m, k, n).
    func matmulShape(_ node: NodeView, _ a: [Int], _ b: [Int]) throws -> ([Int], [Int], Int, Int, Int) {
        guard !a.isEmpty, !b.isEmpty else { throw error("MatMul of a scalar", node: node) }
        let a2 = a.count == 1 ? [1] + a : a, b2 = b.count == 1 ? b + [1] : b
        let (m, k) = (a2[a2.count - 2], a2[a2.count - 1])
        let (k2, n) = (b2[b2.count - 2], b2[b2.count - 1])
        guard k == k2 else { throw error("inner dimensions differ: \(a) and \(b)", node: node) }
        let batch = try broadcast([Array(a2.dropLast(2)), Array(b2.dropLast(2))], node)
        var out = batch
        if a.count > 1 { out.append(m) }
        if b.count > 1 { out.append(n) }
        return (out, batch, m, k, n)
    }
}
