import Documents
import Workload

/// Convolutions, matrix products and the attention pattern.
extension ONNXImporter {
    struct RoleInfo {
        var input: QuantInfo?
        var weight: QuantInfo?
        var output: QuantInfo?
        var inputName: String?
        var weightName: String?
    }

    /// The operand formats of a matrix op, by op type.
    func roles(_ node: NodeView) -> RoleInfo {
        let (ai, bi) = Self.matrixInputs(node.opType)
        func carried(_ i: Int) -> QuantInfo? {
            guard let v = node.input(i).flatMap({ values[$0] }) else { return nil }
            if let q = v.quant { return q }
            return formatOf(v).map { QuantInfo(format: $0, asymmetric: false, blockSize: nil) }
        }
        var r = RoleInfo(inputName: node.input(ai), weightName: node.input(bi))
        switch node.opType {
        case "QLinearConv", "QLinearMatMul":
            r.input = linearQuant(node, data: node.input(0), scale: 1, zeroPoint: 2)
            r.weight = linearQuant(node, data: node.input(3), scale: 4, zeroPoint: 5)
            r.output = linearQuant(node, data: node.node.output.first, scale: 6, zeroPoint: 7)
        case "QGemm":
            r.input = linearQuant(node, data: node.input(0), scale: 1, zeroPoint: 2)
            r.weight = linearQuant(node, data: node.input(3), scale: 4, zeroPoint: 5)
            if node.input(7) != nil {
                r.output = linearQuant(node, data: node.node.output.first, scale: 7, zeroPoint: 8)
            }
        case "MatMulInteger", "ConvInteger":
            r.input = linearQuant(node, data: node.input(0), scale: -1, zeroPoint: 2)
            if let carried = carried(0), carried.asymmetric { r.input?.asymmetric = true }
            r.weight = linearQuant(node, data: node.input(1), scale: -1, zeroPoint: 3)
            r.output = QuantInfo(format: "int32", asymmetric: false, blockSize: nil)
        case "MatMulNBits":
            r.input = carried(0)
            let bits = node.int("bits", 4), block = node.int("block_size", 0)
            let asymmetric = node.input(3) != nil
            let scale = node.input(2).flatMap { values[$0] }.flatMap { ONNXTypes.formatName($0.dataType) } ?? "fp32"
            // Stored unsigned; without zero points the implicit one is 2^(bits−1), i.e. signed values.
            let name = "\(asymmetric ? "uint" : "int")\(bits)_g\(block)_\(scale)"
            r.weight = QuantInfo(format: name, asymmetric: asymmetric, blockSize: block)
        default:
            r.input = carried(ai)
            r.weight = carried(bi)
        }
        return r
    }

    mutating func emitMatrix(_ node: NodeView, _ cls: OpClass) throws {
        let r = roles(node)
        let outputName = node.node.output.first ?? ""
        if let y = r.output, values[outputName]?.quant == nil, y.format != "int32" { values[outputName]?.quant = y }
        let weightConstant = r.weightName.flatMap { values[$0]?.isConstant } ?? false
        var op: Op
        var correction: (batch: Int, rows: Int, depth: Int, columns: Int, repeats: Int)?
        switch cls {
        case .conv:
            (op, correction) = try convOp(node)
        case .convTranspose:
            let x = try operand(node, 0), w = try operand(node, 1)
            let groups = node.int("group", 1)
            guard groups >= 1, x.shape.count == 4 || x.shape.count == 3, x.shape[1] == w.shape[0],
                  w.shape[0] % groups == 0 else {
                throw error("input \(x.shape) and weight \(w.shape) do not agree (group \(groups))", node: node)
            }
            // col2im form (how ONNX Runtime runs it): per group, a GEMM of the input pixels by the weight's
            // (C_out/g · kernel) columns, then a scatter-add; the groups repeat with their own weights.
            let pixels = x.shape[0] * x.shape[2...].reduce(1, *)
            let depth = w.shape[0] / groups, columns = w.shape[1...].reduce(1, *)
            op = Op(name: node.name, kind: .gemm, dims: ["m": pixels, "n": columns, "k": depth], repeatCount: groups)
            correction = (1, pixels, depth, columns, groups)
        case .gemm:
            let (ai, bi) = Self.matrixInputs(node.opType)
            let a = try operand(node, ai), b = try operand(node, bi)
            let (m, k) = node.int("transA", 0) != 0 ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
            let n = node.int("transB", 0) != 0 ? b.shape[0] : b.shape[1]
            let bias = node.input(node.opType == "QGemm" ? 6 : 2) != nil ? 1 : 0
            op = Op(name: node.name, kind: .gemm, dims: ["m": m, "n": n, "k": k, "bias": bias])
            correction = (1, m, k, n, 1)
        case .matmulNBits:
            let a = try operand(node, 0)
            let m = a.shape.dropLast().reduce(1, *), n = node.int("N", 0), k = node.int("K", 0)
            op = Op(name: node.name, kind: .gemm, dims: ["m": m, "n": n, "k": k, "bias": node.input(5) != nil ? 1 : 0])
            correction = (1, m, k, n, 1)
        default:
            (op, correction) = try matmulOp(node, weightConstant: weightConstant)
        }
        guard op.kind.dimensions.required.allSatisfy({ op.shape[$0] ?? 0 > 0 }), (try? op.counts()) != nil else {
            throw error("the product is empty or too large to count (\(op.kind.rawValue) \(op.shape))", node: node)
        }
        if let f = r.input?.format { op.formats[.input] = try typed(f, op: op.name) }
        if let f = r.weight?.format { op.formats[.weight] = try typed(f, op: op.name) }
        if let f = r.output?.format { op.formats[.output] = try typed(f, op: op.name) }
        if let w = r.weight, w.format.contains("_g"), let b = w.blockSize { op.blockSize = b }
        if let i = r.input?.format, let w = r.weight?.format, ONNXTypes.isInteger(i), ONNXTypes.isInteger(w) {
            // QLinearConv, QLinearMatMul and MatMulInteger accumulate in int32 (ONNX spec).
            op.formats[.accumulator] = "int32"
        }
        append(op)
        if op.kind == .attentionQK || op.kind == .attentionPV, let softmax = attentionKind(node)?.softmax,
           masksRead.insert(softmax).inserted {
            // matmulOp has read the mask already: a causal product needs no second reading.
            switch op.shape[.causal] == 1 ? .causal : maskReading(softmax: softmax) {
            case .causal: summary.causalMasks += 1
            case .unread(let mask, let reason): summary.unreadMasks[nodes[softmax].name] = "mask '\(mask)': " + reason
            case .none: break
            }
        }
        let zp = ZeroPointCorrection(inputAsymmetric: r.input?.asymmetric ?? false,
                                     weightAsymmetric: r.weight?.asymmetric ?? false, weightIsConstant: weightConstant)
        // Only integer MACs on stored codes pay it: a float op fed by QDQ tensors and weight-only
        // MatMulNBits (dequantized before its float MACs) see values with the zero point already removed.
        let integerMACs = [r.input?.format, r.weight?.format].allSatisfy { $0.map(ONNXTypes.isInteger) ?? false }
        if let c = correction, integerMACs, cls != .matmulNBits {
            guard let extra = zp.ops(name: node.name, batch: c.batch, rows: c.rows, depth: c.depth, columns: c.columns,
                                     repeatCount: c.repeats) else {
                throw error("the zero-point correction's element count overflows 64 bits", node: node)
            }
            for op in extra { append(op, quantization: true) }
        }
    }

    /// A convolution as a `conv2d` op (1-D as height 1); unequal pads, strides or dilations per axis are
    /// folded into an equivalent input extent with the same output size and MACs.
    func convOp(_ node: NodeView) throws -> (Op, (Int, Int, Int, Int, Int)) {
        let (ai, bi) = Self.matrixInputs(node.opType)
        let x = try operand(node, ai), w = try operand(node, bi)
        guard x.shape.count == 3 || x.shape.count == 4 else {
            throw error("only 1-D and 2-D convolutions are supported, got input \(x.shape)", node: node)
        }
        let groups = node.int("group", 1)
        let twoD = x.shape.count == 4
        guard groups >= 1 else { throw error("group must be positive, got \(groups)", node: node) }
        let kernel = try boundedInts(node, "kernel_shape") ?? Array(w.shape[2...])
        let window = try windowOutput(node, input: Array(x.shape[2...]), kernel: kernel)
        let (h, wd) = twoD ? (x.shape[2], x.shape[3]) : (1, x.shape[2])
        let (r, s) = twoD ? (kernel[0], kernel[1]) : (1, kernel[0])
        let (p, q) = twoD ? (window.out[0], window.out[1]) : (1, window.out[0])
        let pads = twoD ? window.pads : [0, window.pads[0], 0, window.pads[1]]
        let strides = twoD ? window.strides : [window.strides[0], window.strides[0]]
        let dilations = twoD ? window.dilations : [window.dilations[0], window.dilations[0]]
        guard x.shape[1] == w.shape[1] * groups, w.shape[0] % groups == 0 else {
            throw error("input channels \(x.shape[1]) ≠ weight \(w.shape) × group \(groups)", node: node)
        }
        var dims: [String: Int] = ["n": x.shape[0], "c": x.shape[1], "h": h, "w": wd, "k": w.shape[0], "r": r, "s": s,
                                   "groups": groups]
        let uniform = Set(pads).count == 1 && (strides[0] == strides[1] || !twoD)
            && (dilations[0] == dilations[1] || !twoD)
        if uniform {
            dims["padding"] = pads[0]
            dims["stride"] = strides[twoD ? 0 : 1]
            dims["dilation"] = dilations[twoD ? 0 : 1]
        } else {
            // Height keeps its own stride and dilation, the padding folded into the extent; width gets the
            // extent that gives its output size under the height's stride and dilation.
            let (sh, dh) = twoD ? (strides[0], dilations[0]) : (strides[1], dilations[1])
            dims["stride"] = sh; dims["dilation"] = dh
            dims["h"] = twoD ? (p - 1) * sh + dh * (r - 1) + 1 : 1
            dims["w"] = (q - 1) * sh + dh * (s - 1) + 1
        }
        let op = Op(name: node.name, kind: .conv2d, dims: dims)
        let lp: Int, lq: Int
        do throws(ShapeError) { (lp, lq) = try op.outputSize() } catch { throw self.error(error.message, node: node) }
        guard lp == p, lq == q else {
            throw error("internal: the conv2d op's output \(lp)×\(lq) differs from ONNX's \(p)×\(q)", node: node)
        }
        let rows = x.shape[0] * p * q, depth = w.shape[1] * r * s
        return (op, (groups, rows, depth, w.shape[0] / groups, 1))
    }

    /// MatMul, QLinearMatMul or MatMulInteger: an attention product when it matches the pattern, else a GEMM.
    func matmulOp(_ node: NodeView, weightConstant: Bool) throws -> (Op, (Int, Int, Int, Int, Int)) {
        let (ai, bi) = Self.matrixInputs(node.opType)
        let a = try operand(node, ai), b = try operand(node, bi)
        let (_, batch, m, k, n) = try matmulShape(node, a.shape, b.shape)
        let batchCount = batch.reduce(1, *)
        if !weightConstant, !a.value.isConstant, a.shape.count >= 3, b.shape.count == a.shape.count,
           let (kind, softmax) = attentionKind(node),
           let op = attentionOp(node, kind, a.shape, b.shape, m: m, k: k, n: n,
                                causal: maskReading(softmax: softmax) == .causal) {
            return (op, (batchCount, m, k, n, 1))
        }
        if b.shape.count <= 2 {
            // A weight (or any 2-D B) shared by every batch row: one GEMM of all of A's rows.
            let rows = batchCount * m
            return (Op(name: node.name, kind: .gemm, dims: ["m": rows, "n": n, "k": k]), (1, rows, k, n, 1))
        }
        if weightConstant {
            // A batched weight: one GEMM per weight slice, over every row of A that broadcasts against it.
            let slices = b.shape.dropLast(2).reduce(1, *)
            let rows = batchCount / max(slices, 1) * m
            return (Op(name: node.name, kind: .gemm, dims: ["m": rows, "n": n, "k": k], repeatCount: slices),
                    (1, rows, k, n, slices))
        }
        // B has its own batch dimensions: one product per batch element, each with its own B.
        return (Op(name: node.name, kind: .gemm, dims: ["m": m, "n": n, "k": k], repeatCount: batchCount),
                (1, m, k, n, batchCount))
    }

    /// `attentionQK` when the product's output reaches a Softmax through scaling, masking and Q/DQ ops;
    /// `attentionPV` when its first operand comes from a Softmax through such ops; with that Softmax's index.
    func attentionKind(_ node: NodeView) -> (kind: OpKind, softmax: Int)? {
        let passing = Self.scorePassing
        let softmax: Set<String> = ["Softmax", "QLinearSoftmax"]
        var frontier = [node.node.output.first ?? ""], seen = Set<String>()
        for _ in 0..<8 {
            var next: [String] = []
            for tensor in frontier where seen.insert(tensor).inserted {
                for c in consumers[tensor] ?? [] {
                    let t = nodes[c].opType
                    if softmax.contains(t) { return (.attentionQK, c) }
                    if passing.contains(t) { next += nodes[c].node.output }
                }
            }
            frontier = next
        }
        var tensor = node.input(0) ?? ""
        for _ in 0..<8 {
            guard let producer = producers[tensor].map({ nodes[$0] }) else { return nil }
            if softmax.contains(producer.opType) { return (.attentionPV, producer.index) }
            guard ["QuantizeLinear", "DequantizeLinear", "Cast", "Identity", "Dropout"].contains(producer.opType),
                  let source = producer.input(0) else { return nil }
            tensor = source
        }
        return nil
    }

    /// The attention op over A's leading dimensions (…, heads); nil when B's do not line up with them.
    func attentionOp(_ node: NodeView, _ kind: OpKind, _ a: [Int], _ b: [Int], m: Int, k: Int, n: Int,
                     causal: Bool) -> Op? {
        let lead = Array(a.dropLast(2)), bLead = Array(b.dropLast(2))
        guard let heads = lead.last, let kvHeads = bLead.last, kvHeads > 0, heads > 0, heads % kvHeads == 0,
              Array(bLead.dropLast()) == Array(lead.dropLast()) else { return nil }
        let batch = lead.dropLast().reduce(1, *)
        var dims: [String: Int] = kind == .attentionQK
            ? ["batch": batch, "heads": heads, "kv_heads": kvHeads, "seq_q": m, "seq_kv": n, "head_dim": k]
            : ["batch": batch, "heads": heads, "kv_heads": kvHeads, "seq_q": m, "seq_kv": k, "head_dim": n]
        if causal { dims["causal"] = 1 }
        return Op(name: node.name, kind: kind, dims: dims)
    }
}
