import Documents

/// Shape inference for the ops the importer knows, following the ONNX
/// operator specification (onnx 1.23.2 docs/Operators.md), with constant
/// folding of small integer tensors (Shape → Gather → Concat → Reshape chains).
extension ONNXImporter {
    mutating func setOutput(_ node: NodeView, _ i: Int = 0, shape: [Int], type: Int32? = nil, values v: [Double]? = nil,
                            constant: Bool? = nil) throws {
        guard i < node.node.output.count, case let name = node.node.output[i], !name.isEmpty else { return }
        try checkShape(shape, "output '\(name)'", node: node)
        let inputs = node.node.input.filter { !$0.isEmpty }
        let isConstant = constant ?? (!inputs.isEmpty && inputs.allSatisfy { values[$0]?.isConstant == true })
        values[name] = TensorValue(shape: shape, dataType: type ?? (try? operand(node, 0))?.value.dataType ?? 1,
                                   values: v.flatMap { $0.count <= 4096 ? $0 : nil }, isConstant: isConstant)
    }

    func normalized(_ axis: Int, rank: Int, _ node: NodeView) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard (0..<rank).contains(a) else { throw error("axis \(axis) is out of range for rank \(rank)", node: node) }
        return a
    }

    func broadcast(_ shapes: [[Int]], _ node: NodeView) throws -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            for (i, d) in s.enumerated() {
                let j = rank - s.count + i
                if out[j] == 1 { out[j] = d } else if d != 1 && d != out[j] {
                    throw error("shapes \(shapes) do not broadcast", node: node)
                }
            }
        }
        return out
    }

    /// Integer values of input `i` (an attribute in older opsets is read by the caller), each within
    /// ±`bound` (Slice's ends, often INT64_MAX, pass nil: clamped to ±2^62).
    func constantInts(_ node: NodeView, _ i: Int, _ what: String,
                      bound: Int? = ONNXImporter.maxDimension) throws -> [Int]? {
        guard let name = node.input(i) else { return nil }
        guard let v = values[name]?.values else {
            throw error("\(what) (input '\(name)') must be a constant the importer can read to infer the shape",
                        node: node)
        }
        let limit = Double(bound ?? 1 << 62)
        return try v.map { x in
            guard !x.isNaN else { throw error("\(what) (input '\(name)') holds NaN", node: node) }
            if bound != nil, abs(x) > limit {
                throw error("\(what) (input '\(name)') holds \(x), beyond ±\(bound!)", node: node)
            }
            return Int(min(max(x, -limit), limit))
        }
    }

    /// Attribute integers used in shape arithmetic, each within ±2^31.
    func boundedInts(_ node: NodeView, _ name: String) throws -> [Int]? {
        guard let v = node.ints(name) else { return nil }
        guard v.allSatisfy({ abs($0) <= ONNXImporter.maxDimension }) else {
            throw error("attribute '\(name)' \(v) has a value beyond ±2^31", node: node)
        }
        return v
    }

    /// Output spatial sizes of a convolution or pooling window (ONNX Conv / MaxPool shape rules).
    func windowOutput(_ node: NodeView, input: [Int], kernel: [Int], transposed: Bool = false) throws
        -> (out: [Int], pads: [Int], strides: [Int], dilations: [Int]) {
        let n = kernel.count
        let strides = try boundedInts(node, "strides") ?? Array(repeating: 1, count: n)
        let dilations = try boundedInts(node, "dilations") ?? Array(repeating: 1, count: n)
        var pads = try boundedInts(node, "pads") ?? Array(repeating: 0, count: 2 * n)
        guard input.count == n, kernel.allSatisfy({ $0 >= 1 && $0 <= ONNXImporter.maxDimension }) else {
            throw error("kernel_shape \(kernel) must give \(input.count) values of 1…2^31", node: node)
        }
        guard strides.count == n, dilations.count == n, pads.count == 2 * n, strides.allSatisfy({ $0 > 0 }),
              dilations.allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 }) else {
            throw error("strides, dilations and pads must give \(n), \(n) and \(2 * n) positive values", node: node)
        }
        let outputPadding = try boundedInts(node, "output_padding") ?? Array(repeating: 0, count: n)
        let outputShape = try boundedInts(node, "output_shape")
        guard outputPadding.count == n, outputShape.map({ $0.count >= n }) ?? true else {
            throw error("output_padding and output_shape must give \(n) values", node: node)
        }
        let autoPad = node.string("auto_pad") ?? "NOTSET"
        let ceilMode = node.int("ceil_mode", 0) != 0
        var out: [Int] = []
        for i in 0..<n {
            let span = dilations[i] * (kernel[i] - 1) + 1
            if transposed {
                let outPad = outputPadding[i]
                if let shape = outputShape { out.append(shape[shape.count - n + i]); continue }
                let total = strides[i] * (input[i] - 1) + outPad + span
                if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" {
                    out.append(input[i] * strides[i])
                } else {
                    out.append(total - pads[i] - pads[n + i])
                }
                continue
            }
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                let o = (input[i] + strides[i] - 1) / strides[i]
                let total = max(0, (o - 1) * strides[i] + span - input[i])
                let small = total / 2, large = total - small
                pads[i] = autoPad == "SAME_UPPER" ? small : large
                pads[n + i] = autoPad == "SAME_UPPER" ? large : small
                out.append(o)
            case "VALID":
                pads[i] = 0; pads[n + i] = 0
                out.append((input[i] - span) / strides[i] + 1)
            default:
                let padded = input[i] + pads[i] + pads[n + i] - span
                guard padded >= 0 else {
                    throw error("the window (\(kernel)) does not fit the padded input \(input)", node: node)
                }
                out.append((ceilMode ? (padded + strides[i] - 1) : padded) / strides[i] + 1)
            }
        }
        return (out, pads, strides, dilations)
    }

    mutating func inferShapes(_ node: NodeView, _ cls: OpClass) throws {
        switch cls {
        case .constant:
            if node.opType == "ConstantOfShape" {
                let shape = try constantInts(node, 0, "the shape") ?? []
                try checkShape(shape, "the shape", node: node)
                let fill = node.attribute("value")?.t.numericValues?.first ?? 0
                let count = shape.reduce(1, *)
                try setOutput(node, shape: shape, type: node.attribute("value")?.t.dataType ?? 1,
                              values: count <= 4096 ? Array(repeating: fill, count: count) : nil, constant: true)
                return
            }
            if node.opType == "Range" {
                try inferRange(node)
                return
            }
            let a = node.node.attribute.first
            switch a?.name {
            case "value"?:
                try checkShape(a!.t.dims.map(Int.init), "the value", node: node)
                try setOutput(node, shape: a!.t.dims.map(Int.init), type: a!.t.dataType, values: a!.t.numericValues,
                              constant: true)
            case "value_float"?: try setOutput(node, shape: [], type: 1, values: [Double(a!.f)], constant: true)
            case "value_floats"?:
                try setOutput(node, shape: [a!.floats.count], type: 1, values: a!.floats.map(Double.init),
                              constant: true)
            case "value_int"?: try setOutput(node, shape: [], type: 7, values: [Double(a!.i)], constant: true)
            case "value_ints"?: try setOutput(node, shape: [a!.ints.count], type: 7, values: a!.ints.map(Double.init),
                                              constant: true)
            default: throw error("a Constant the importer cannot read (attribute \(a?.name ?? "none"))", node: node)
            }
        case .shape:
            let x = try operand(node, 0)
            if node.opType == "Size" {
                try setOutput(node, shape: [], type: 7, values: [Double(x.shape.reduce(1, *))], constant: true)
                return
            }
            let r = x.shape.count
            var start = node.int("start", 0), end = node.int("end", r)
            if start < 0 { start += r }
            if end < 0 { end += r }
            start = min(max(start, 0), r); end = min(max(end, start), r)
            try setOutput(node, shape: [end - start], type: 7, values: x.shape[start..<end].map(Double.init),
                          constant: true)
        case .free, .unary, .softmax, .norm, .quantize, .dequantize, .qonnxQuant:
            let x = try operand(node, 0)
            var type = x.value.dataType
            if node.opType == "Cast" { type = Int32(clamping: node.int("to", Int(type))) }
            if cls == .dequantize { type = 1 }
            if cls == .quantize {
                type = (node.input(2).flatMap { values[$0]?.dataType }) ?? Int32(clamping: node.int("output_dtype", 2))
            }
            let passed = cls == .free || node.opType == "Cast" ? x.value.values : nil
            try setOutput(node, shape: x.shape, type: type, values: passed)
            if node.opType == "SkipLayerNormalization" || node.opType == "SkipSimplifiedLayerNormalization" {
                for i in 1..<node.node.output.count { try setOutput(node, i, shape: x.shape) }
            }
        case .dynamicQuantize:
            let x = try operand(node, 0)
            try setOutput(node, 0, shape: x.shape, type: 2, constant: false)
            try setOutput(node, 1, shape: [], type: 1, constant: false)
            try setOutput(node, 2, shape: [], type: 2, constant: false)
        case .broadcast:
            try inferBroadcast(node)
        case .reshape:
            try inferReshape(node)
        case .copy:
            try inferCopy(node)
        case .pool, .globalPool:
            let x = try operand(node, 0)
            guard x.shape.count >= 3 else {
                throw error("pooling needs an N×C×spatial input, got \(x.shape)", node: node)
            }
            let spatial = Array(x.shape[2...])
            if cls == .globalPool {
                try setOutput(node, shape: Array(x.shape[0..<2]) + spatial.map { _ in 1 })
            } else {
                guard let kernel = node.ints("kernel_shape"), kernel.count == spatial.count else {
                    throw error("kernel_shape must give \(spatial.count) values", node: node)
                }
                let w = try windowOutput(node, input: spatial, kernel: kernel)
                try setOutput(node, shape: Array(x.shape[0..<2]) + w.out)
            }
        case .reduce:
            let x = try operand(node, 0)
            var axes: [Int] = []
            if let list = node.ints("axes") {
                axes = list
            } else if let list = try constantInts(node, 1, "the axes") {
                axes = list
            }
            if node.opType == "ArgMax" || node.opType == "ArgMin" { axes = [node.int("axis", 0)] }
            let keep = node.int("keepdims", 1) != 0
            if axes.isEmpty && node.int("noop_with_empty_axes", 0) == 0 { axes = Array(0..<x.shape.count) }
            let normalized = Set(try axes.map { try self.normalized($0, rank: x.shape.count, node) })
            var out: [Int] = []
            for (i, d) in x.shape.enumerated() {
                if normalized.contains(i) { if keep { out.append(1) } } else { out.append(d) }
            }
            try setOutput(node, shape: out)
        case .conv, .convTranspose, .matmul, .gemm, .matmulNBits:
            try inferMatrix(node, cls)
        }
    }

    /// Range (opset 11): max(⌈(limit − start) / delta⌉, 0) values, computed when start, limit and
    /// delta are constants; otherwise the length the graph's value_info gives.
    mutating func inferRange(_ node: NodeView) throws {
        let scalars = (0..<3).map { i in
            node.input(i).flatMap { values[$0]?.values }.flatMap { $0.count == 1 ? $0[0] : nil }
        }
        let type = (try? operand(node, 0))?.value.dataType ?? 7
        guard let start = scalars[0], let limit = scalars[1], let delta = scalars[2] else {
            guard let output = node.node.output.first, let (hinted, shape) = hints[output] else {
                throw error("start, limit and delta must be scalar constants the importer can read "
                            + "(or the graph's value_info must give the output's length)", node: node)
            }
            values[output] = TensorValue(shape: shape, dataType: hinted)
            return
        }
        guard delta != 0, start.isFinite, limit.isFinite, delta.isFinite else {
            throw error("Range needs finite start, limit and a non-zero delta, got \(start), \(limit), \(delta)",
                        node: node)
        }
        let length = max(((limit - start) / delta).rounded(.up), 0)
        guard length <= Double(Self.maxDimension) else {
            throw error("Range makes \(length) values, beyond 2^31", node: node)
        }
        let count = Int(length)
        try setOutput(node, shape: [count], type: type,
                      values: count <= 4096 ? (0..<count).map { start + Double($0) * delta } : nil)
    }

    mutating func inferBroadcast(_ node: NodeView) throws {
        // QLinearAdd/QLinearMul: (A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp).
        let dataInputs = node.opType.hasPrefix("QLinear")
            ? [0, 3] : Array(0..<node.node.input.count).filter { node.input($0) != nil }
        let operands = try dataInputs.map { try operand(node, $0) }
        let shape = try broadcast(operands.map(\.shape), node)
        var folded: [Double]?
        if operands.count == 2, let a = operands[0].value.values, let b = operands[1].value.values,
           a.count == operands[0].shape.reduce(1, *), b.count == operands[1].shape.reduce(1, *),
           a.count == b.count || a.count == 1 || b.count == 1 {
            let n = max(a.count, b.count)
            let f: ((Double, Double) -> Double)? = switch node.opType {
            case "Add": (+)
            case "Sub": (-)
            case "Mul": (*)
            case "Div": { $1 == 0 ? 0 : ($0 / $1).rounded(.towardZero) }
            default: nil
            }
            if let f { folded = (0..<n).map { f(a[a.count == 1 ? 0 : $0], b[b.count == 1 ? 0 : $0]) } }
        }
        var type = operands[0].value.dataType
        let comparisons = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"]
        if comparisons.contains(node.opType) { type = 9 }  // bool
        if node.opType == "Where" { type = operands[1].value.dataType }
        if node.opType.hasPrefix("QLinear"), let zp = node.input(7).flatMap({ values[$0] }) { type = zp.dataType }
        try setOutput(node, shape: shape, type: type, values: folded)
    }

    mutating func inferReshape(_ node: NodeView) throws {
        let x = try operand(node, 0)
        let rank = x.shape.count
        var out: [Int]
        switch node.opType {
        case "Flatten":
            let axis = try normalized(node.int("axis", 1), rank: rank + 1, node)
            out = [x.shape[..<axis].reduce(1, *), x.shape[axis...].reduce(1, *)]
        case "Squeeze":
            let axes = opset >= 13 ? (try constantInts(node, 1, "the axes")) : node.ints("axes")
            if let axes {
                let drop = Set(try axes.map { try normalized($0, rank: rank, node) })
                out = x.shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            } else { out = x.shape.filter { $0 != 1 } }
        case "Unsqueeze":
            guard let axes = opset >= 13 ? (try constantInts(node, 1, "the axes")) : node.ints("axes") else {
                throw error("Unsqueeze needs axes", node: node)
            }
            let newRank = rank + axes.count
            let insert = Set(try axes.map { try normalized($0, rank: newRank, node) })
            var source = x.shape.makeIterator()
            out = (0..<newRank).map { insert.contains($0) ? 1 : source.next() ?? 1 }
        default:  // Reshape
            let given = opset >= 5 ? try constantInts(node, 1, "the target shape") : try boundedInts(node, "shape")
            guard let target = given else {
                throw error("Reshape needs a shape", node: node)
            }
            let allowZero = node.int("allowzero", 0) != 0
            out = try target.enumerated().map { i, d in
                if d == 0 && !allowZero {
                    guard i < rank else {
                        throw error("shape \(target): 0 at axis \(i) has no input axis to copy", node: node)
                    }
                    return x.shape[i]
                }
                return d
            }
            guard out.filter({ $0 == -1 }).count <= 1, out.allSatisfy({ $0 >= -1 }),
                  Self.validShape(out.map { $0 == -1 ? 1 : $0 }) else {
                throw error("cannot reshape \(x.shape) to \(target)", node: node)
            }
            if let unknown = out.firstIndex(of: -1) {
                let known = out.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
                guard known > 0, x.shape.reduce(1, *) % known == 0 else {
                    throw error("cannot reshape \(x.shape) to \(target)", node: node)
                }
                out[unknown] = x.shape.reduce(1, *) / known
            }
            guard out.allSatisfy({ $0 >= 0 }), out.reduce(1, *) == x.shape.reduce(1, *) else {
                throw error("cannot reshape \(x.shape) (\(x.shape.reduce(1, *)) elements) to \(target)", node: node)
            }
        }
        try setOutput(node, shape: out, values: x.value.values)
        if let output = node.node.output.first { values[output]?.quant = x.value.quant }
    }
}
