import Documents
import Workload

/// What a known op type is, for the walk.
enum OpClass {
    case free, reshape, copy, unary, broadcast, softmax, norm, pool, globalPool, reduce
    case conv, convTranspose, matmul, gemm, matmulNBits
    case quantize, dequantize, dynamicQuantize, qonnxQuant
    case constant, shape
}

extension ONNXImporter {
    static let qonnxDomains: Set<String> = ["qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas"]

    /// The class of `opType` in `domain`; nil for an op the importer does not know.
    static func classify(_ opType: String, domain: String) -> OpClass? {
        if qonnxDomains.contains(domain) {
            return ["Quant", "IntQuant", "BipolarQuant", "FloatQuant"].contains(opType) ? .qonnxQuant : nil
        }
        if domain == "com.microsoft" {
            switch opType {
            case "QLinearConv": return .conv
            case "QGemm": return .gemm
            case "MatMulNBits": return .matmulNBits
            case "QLinearAdd", "QLinearMul", "BiasGelu", "BiasAdd": return .broadcast
            case "QLinearSigmoid", "QLinearLeakyRelu", "FastGelu", "QuickGelu", "Gelu": return .unary
            case "QLinearSoftmax": return .softmax
            case "QLinearGlobalAveragePool": return .globalPool
            case "QLinearAveragePool": return .pool
            case "QLinearConcat": return .copy
            case "SimplifiedLayerNormalization", "SkipLayerNormalization",
                 "SkipSimplifiedLayerNormalization": return .norm
            case "QuantizeLinear": return .quantize
            case "DequantizeLinear": return .dequantize
            case "DynamicQuantizeLinear": return .dynamicQuantize
            default: return nil
            }
        }
        guard domain == "ai.onnx" else { return nil }
        switch opType {
        case "Identity", "Dropout": return .free
        case "Reshape", "Flatten", "Squeeze", "Unsqueeze": return .reshape
        case "Transpose", "Concat", "Split", "Slice", "Pad", "Expand", "Tile", "Gather", "GatherElements",
             "DepthToSpace", "SpaceToDepth", "Resize", "Upsample": return .copy
        case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs",
             "Clip", "HardSigmoid", "HardSwish", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Mish", "Sin", "Cos",
             "Floor", "Ceil", "Round", "Sign", "Not", "Cast", "CastLike", "IsNaN", "IsInf", "ThresholdedRelu",
             "Swish", "Trilu": return .unary
        case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mean", "Sum", "Equal", "Less", "Greater", "LessOrEqual",
             "GreaterOrEqual", "And", "Or", "Xor", "Where", "Mod", "PRelu", "BitShift": return .broadcast
        case "Softmax", "LogSoftmax": return .softmax
        case "LayerNormalization", "BatchNormalization", "GroupNormalization", "InstanceNormalization",
             "RMSNormalization", "LpNormalization", "MeanVarianceNormalization": return .norm
        case "MaxPool", "AveragePool", "LpPool": return .pool
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool": return .globalPool
        case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
             "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin": return .reduce
        case "Conv", "QLinearConv", "ConvInteger": return .conv
        case "ConvTranspose": return .convTranspose
        case "MatMul", "QLinearMatMul", "MatMulInteger": return .matmul
        case "Gemm": return .gemm
        case "QuantizeLinear": return .quantize
        case "DequantizeLinear": return .dequantize
        case "DynamicQuantizeLinear": return .dynamicQuantize
        case "Constant", "ConstantOfShape", "Range": return .constant
        case "Shape", "Size": return .shape
        default: return nil
        }
    }

    mutating func visit(_ node: NodeView) throws {
        guard let cls = Self.classify(node.opType, domain: node.domain) else {
            guard options.skipUnknown else {
                throw error("unsupported op '\(node.opType)' of domain '\(node.domain)' "
                            + "(use --skip-unknown to skip and count it)", node: node)
            }
            summary.skipped["\(node.domain):\(node.opType)", default: 0] += 1
            for output in node.node.output where !output.isEmpty {
                if let (type, shape) = hints[output] { values[output] = TensorValue(shape: shape, dataType: type) }
                else { values[output] = TensorValue() }
            }
            return
        }
        // A node whose every input is a constant is folded offline (weights transposed, shapes computed): free.
        let inputs = node.node.input.filter { !$0.isEmpty }
        let allConstant = !inputs.isEmpty && inputs.allSatisfy { values[$0]?.isConstant == true }
        switch cls {
        case .free, .reshape, .constant, .shape:
            try inferShapes(node, cls)
            if cls == .free, let input = node.input(0), let output = node.node.output.first {
                let carried = values[input]?.quant
                values[output]?.quant = carried
            }
            summary.freeOps += 1
        case .quantize, .dequantize, .dynamicQuantize, .qonnxQuant:
            try inferShapes(node, cls)
            try quantization(node, cls, allConstant: allConstant)
        default:
            try inferShapes(node, cls)
            if allConstant {
                for output in node.node.output where !output.isEmpty { values[output]?.isConstant = true }
                summary.freeOps += 1
                return
            }
            try emit(node, cls)
            for output in node.node.output where !output.isEmpty { values[output]?.producedByOp = true }
        }
    }

    /// The value of input `i`, whose shape must be known.
    func operand(_ node: NodeView, _ i: Int) throws -> (name: String, value: TensorValue, shape: [Int]) {
        guard let name = node.input(i) else { throw error("input \(i) is missing", node: node) }
        guard let value = values[name] else {
            throw error("input '\(name)' is produced by no node, initializer or graph input", node: node)
        }
        guard let shape = value.shape else {
            throw error("the shape of input '\(name)' cannot be inferred (it comes from a skipped op and the graph's "
                        + "value_info does not give it)", node: node)
        }
        return (name, value, shape)
    }

    mutating func append(_ op: Op, quantization: Bool = false) {
        ops.append(op)
        quantizationOps.append(quantization)
    }

    // MARK: Quantize / dequantize

    /// The quantization a QuantizeLinear/DequantizeLinear node declares for its quantized side.
    func declared(_ node: NodeView, quantizedInput: Bool) throws -> QuantInfo {
        let data = try operand(node, 0)
        var type: Int32
        let zeroPoint = node.input(2).flatMap { values[$0] }
        if quantizedInput { type = data.value.dataType }
        else if let zeroPoint { type = zeroPoint.dataType }
        else { type = Int32(clamping: node.int("output_dtype", 2)) }  // uint8, or opset 21's output_dtype
        if type == 0, let zeroPoint { type = zeroPoint.dataType }
        guard let element = ONNXTypes.formatName(type) else {
            throw error("the quantized type (ONNX data type \(type)) has no lpsim format", node: node)
        }
        let scale = try operand(node, 1)
        let scaleCount = scale.shape.reduce(1, *)
        let scaleFormat = ONNXTypes.formatName(scale.value.dataType) ?? "fp32"
        let block = node.int("block_size", 0)
        guard block <= 1 << 20 else { throw error("block_size \(block) is above 2^20", node: node) }
        var info = QuantInfo(format: element, asymmetric: false, blockSize: nil)
        if block > 0 {
            info.format = ONNXTypes.grouped(element, group: block, scale: scaleFormat)
            info.blockSize = block
        } else if scaleCount > 1 {
            let group = max(1, data.shape.reduce(1, *) / scaleCount)
            info.format = ONNXTypes.grouped(element, group: group, scale: scaleFormat)
            info.blockSize = group
        }
        if let zeroPoint {
            // Unknown values (not kept) count as asymmetric: the costlier reading, and the rarer case.
            info.asymmetric = zeroPoint.values.map { $0.contains { $0 != 0 } } ?? true
        }
        return info
    }

    mutating func quantization(_ node: NodeView, _ cls: OpClass, allConstant: Bool) throws {
        let input = try operand(node, 0)
        guard let output = node.node.output.first, !output.isEmpty else { return }
        let elements = input.shape.reduce(1, *)
        switch cls {
        case .dequantize:
            let info = try declared(node, quantizedInput: true)
            values[output]?.isConstant = input.value.isConstant
            // A dequantized weight, or (QDQ) an activation whose consumers take it quantized: nothing runs.
            if input.value.isConstant || (!qOperatorGraph && !graphOutputs.contains(output)) {
                values[output]?.quant = info
                summary.freeOps += 1
                return
            }
            append(Op(name: node.name, kind: .dequantize, dims: ["elements": elements],
                      formats: [.input: try typed(info.format, op: node.name)]), quantization: true)
        case .quantize:
            let info = try declared(node, quantizedInput: false)
            values[output]?.quant = info
            values[output]?.isConstant = input.value.isConstant
            if input.value.isConstant { summary.freeOps += 1; return }
            if qOperatorGraph {
                append(Op(name: node.name, kind: .quantize, dims: ["elements": elements],
                          formats: [.output: try typed(info.format, op: node.name)]),
                       quantization: true)
                return
            }
            if let carried = input.value.quant {
                // Requantizing a tensor that is already quantized (QDQ around a Reshape): free when the format stays.
                if carried.format == info.format { summary.freeOps += 1; return }
                append(Op(name: node.name, kind: .requantize, dims: ["elements": elements],
                          formats: [.input: try typed(carried.format, op: node.name),
                                    .output: try typed(info.format, op: node.name)]), quantization: true)
                return
            }
            if input.value.producedByOp, let producer = producerOp(of: input.name), consumers[input.name]?.count == 1 {
                // The producer writes quantized values (the Q fused into its epilogue).
                try setOutputFormat(info, opsFrom: producer)
                summary.freeOps += 1
                return
            }
            append(Op(name: node.name, kind: .quantize, dims: ["elements": elements],
                      formats: [.output: try typed(info.format, op: node.name)]),
                   quantization: true)
        case .dynamicQuantize:
            // Scale and zero point from the tensor's min and max at run time: uint8, asymmetric (ONNX spec).
            let info = QuantInfo(format: "uint8", asymmetric: true, blockSize: nil)
            values[output]?.quant = info
            append(Op(name: node.name, kind: .quantize, dims: ["elements": elements], formats: [.output: "uint8"]),
                   quantization: true)
        case .qonnxQuant:
            let info = try qonnxFormat(node)
            values[output]?.quant = info
            values[output]?.isConstant = input.value.isConstant
            if input.value.isConstant || input.value.quant != nil { summary.freeOps += 1; return }
            if input.value.producedByOp, let producer = producerOp(of: input.name), consumers[input.name]?.count == 1 {
                try setOutputFormat(info, opsFrom: producer)
                summary.freeOps += 1
                return
            }
            append(Op(name: node.name, kind: .quantize, dims: ["elements": elements],
                      formats: [.output: try typed(info.format, op: node.name)]),
                   quantization: true)
        default: break
        }
    }

    /// The index of the first op emitted for the node producing `tensor`.
    func producerOp(of tensor: String) -> Int? { opProducing[tensor] }

    /// Sets the output format of the main op emitted from `first` on (its zero-point ops keep theirs).
    mutating func setOutputFormat(_ info: QuantInfo, opsFrom first: Int) throws {
        guard first < ops.count else { return }
        ops[first].formats[.output] = try typed(info.format, op: ops[first].name)
    }

    /// The QONNX Quant / BipolarQuant / FloatQuant format (qonnx docs/qonnx-custom-ops, opset 1).
    func qonnxFormat(_ node: NodeView) throws -> QuantInfo {
        func scalar(_ i: Int, _ what: String) throws -> Double {
            guard let name = node.input(i), let v = values[name]?.values, let first = v.first,
                  v.allSatisfy({ $0 == first }),
                  first.isFinite, abs(first) <= 1024, first == first.rounded() else {
                throw error("\(what) (input \(i)) must be a constant whole number the importer can read", node: node)
            }
            return first
        }
        switch node.opType {
        case "BipolarQuant":
            return QuantInfo(format: "binary", asymmetric: false, blockSize: nil)
        case "FloatQuant":
            let e = Int(try scalar(2, "exponent_bitwidth")), m = Int(try scalar(3, "mantissa_bitwidth"))
            let bias = Int(try scalar(4, "exponent_bias"))
            guard (1...8).contains(e), (0...23).contains(m) else {
                throw error("FloatQuant e\(e)m\(m) is outside 1…8 exponent and 0…23 mantissa bits", node: node)
            }
            let hasInf = node.int("has_infinity", 0) != 0
            let hasNaN = node.int("has_nan", 0) != 0
            // No ExMy spelling has neither inf nor NaN except the OCP FP6/FP4 ones; others take `fn` (one NaN code),
            // the same width.
            let standard: String? = switch (e, m) {
            case (2, 3): "fp6_e2m3"
            case (3, 2): "fp6_e3m2"
            case (2, 1): "fp4_e2m1"
            default: nil
            }
            if !hasInf && !hasNaN, let name = standard, bias == (1 << (e - 1)) - 1 {
                return QuantInfo(format: name, asymmetric: false, blockSize: nil)
            }
            let biasText = bias == (1 << (e - 1)) - 1 ? "" : "b\(bias)"
            let spelled = "e\(e)m\(m)\(biasText)" + (hasInf ? "" : "fn")
            guard let name = ONNXTypes.canonical(spelled) else {
                throw error("FloatQuant e\(e)m\(m) bias \(bias) is not a format lpsim can express", node: node)
            }
            return QuantInfo(format: name, asymmetric: false, blockSize: nil)
        default:  // Quant / IntQuant
            let bits = Int(try scalar(3, "bitwidth"))
            let signed = node.int("signed", 1) != 0, narrow = node.int("narrow", 0) != 0
            guard (1...32).contains(bits) else {
                throw error("bitwidth \(try scalar(3, "bitwidth")) must be a whole number of 1…32 bits", node: node)
            }
            let spelled = signed ? (narrow ? "int\(bits)_sym" : "int\(bits)") : "uint\(bits)"
            guard let name = ONNXTypes.canonical(spelled) else {
                throw error("Quant of \(bits) bits (\(spelled)) is not a format lpsim can express", node: node)
            }
            let zero = node.input(2).flatMap { values[$0]?.values }
            return QuantInfo(format: name, asymmetric: zero.map { $0.contains { $0 != 0 } } ?? true, blockSize: nil)
        }
    }
}

