import Documents
import Foundation
import Workload

/// Imports an ONNX graph as an lpsim trace, with the formats its quantization chose.
///
/// See README.md beside this file for what each op becomes, how the
/// quantization maps to formats and how zero points are priced.
public struct ONNXImporter {
    public struct Options: Sendable {
        /// Values of the graph's symbolic dimensions (`--dim seq=128`).
        public var dims: [String: Int]
        /// Skip (and count) ops the importer does not know instead of failing.
        public var skipUnknown: Bool

        public init(dims: [String: Int] = [:], skipUnknown: Bool = false) {
            self.dims = dims
            self.skipUnknown = skipUnknown
        }
    }

    /// The newest default-domain opset the importer knows (onnx 1.23.2's); older ones back to 7.
    public static let supportedOpsets = 7...28

    let file: String
    let options: Options
    var values: [String: TensorValue] = [:]
    var consumers: [String: [Int]] = [:]
    /// The node that produces each tensor.
    var producers: [String: Int] = [:]
    var nodes: [NodeView] = []
    var graphOutputs: Set<String> = []
    var opset = 0
    var ops: [Op] = []
    var quantizationOps: [Bool] = []
    var summary = ONNXImport.Summary()

    init(file: String, options: Options) {
        self.file = file
        self.options = options
    }

    /// Reads `path` and imports its main graph.
    ///
    /// - Throws: `Diagnostic` naming the file and, where one is to blame, the node.
    public static func load(_ path: String, options: Options = Options()) throws -> ONNXImport {
        let model = try ONNXFile.read(path)
        var importer = ONNXImporter(file: path, options: options)
        return try importer.run(model)
    }

    mutating func run(_ model: Onnx_ModelProto) throws -> ONNXImport {
        for set in model.opsetImport where set.domain.isEmpty || set.domain == "ai.onnx" { opset = Int(set.version) }
        guard opset > 0 else { throw error("the model imports no default-domain (ai.onnx) opset") }
        guard Self.supportedOpsets.contains(opset) else {
            throw error("unknown opset: ai.onnx opset \(opset) is outside the importer's "
                        + "\(Self.supportedOpsets.lowerBound)"
                        + "…\(Self.supportedOpsets.upperBound) (onnx 1.23.2)")
        }
        let graph = model.graph
        try checkDimensionNames(graph)
        try readInitializers(graph)
        try readInputs(graph)
        for info in graph.valueInfo + graph.output {
            guard values[info.name]?.shape == nil, let (type, dims) = info.tensorDims, let dims else { continue }
            // value_info shapes are hints: used where inference cannot reach (skipped ops).
            let shape = dims.map { d -> Int? in
                switch d.value {
                case .dimValue(let v)?: return Int(v)
                case .dimParam(let p)?: return options.dims[p]
                case nil: return nil
                }
            }
            if shape.allSatisfy({ $0 != nil }), Self.validShape(shape.map { $0! }) {
                hints[info.name] = (type, shape.map { $0! })
            }
        }
        graphOutputs = Set(graph.output.map(\.name))
        nodes = graph.node.enumerated().map { i, node in
            NodeView(node: node, index: i, name: node.name.isEmpty ? "\(node.opType)_\(i)" : node.name)
        }
        for node in nodes {
            for input in node.node.input where !input.isEmpty { consumers[input, default: []].append(node.index) }
            for output in node.node.output where !output.isEmpty { producers[output] = node.index }
        }
        qOperatorGraph = nodes.contains { Self.qOperatorTypes.contains($0.opType) }
        for node in nodes { try visit(node) }
        if ops.isEmpty {
            let skipped = summary.skipped.values.reduce(0, +)
            throw error("the graph has no op lpsim models (\(summary.freeOps) free ops, \(skipped) skipped)")
        }
        let name = graph.name.isEmpty ? (file as NSString).lastPathComponent : graph.name
        return ONNXImport(name: name, source: file, ops: ops, quantizationOps: quantizationOps, summary: summary)
    }

    var hints: [String: (Int32, [Int])] = [:]
    /// A QOperator graph (ONNX Runtime's `QuantFormat.QOperator`, dynamic quantization): its activation
    /// QuantizeLinear/DequantizeLinear nodes are real conversions at the edges of float ops. In a QDQ
    /// graph they only annotate the ops between them, which run quantized.
    var qOperatorGraph = false
    static let qOperatorTypes: Set<String> = ["QLinearConv", "QLinearMatMul", "MatMulInteger", "ConvInteger", "QGemm",
                                               "QLinearAdd", "QLinearMul", "QLinearConcat", "QLinearSoftmax",
                                               "QLinearGlobalAveragePool", "QLinearAveragePool", "QLinearSigmoid",
                                               "QLinearLeakyRelu", "DynamicQuantizeLinear"]
    /// The first op emitted for the node that produced a tensor.
    var opProducing: [String: Int] = [:]
    /// The Softmax nodes whose mask reading is already in `summary`.
    var masksRead: Set<Int> = []

    mutating func readInitializers(_ graph: Onnx_GraphProto) throws {
        for t in graph.initializer {
            try checkShape(t.dims.map(Int.init), "initializer '\(t.name)'")
            values[t.name] = TensorValue(shape: t.dims.map(Int.init), dataType: t.dataType, values: t.numericValues,
                                         isConstant: true)
        }
        for s in graph.sparseInitializer {
            try checkShape(s.dims.map(Int.init), "sparse initializer '\(s.values.name)'")
            values[s.values.name] = TensorValue(shape: s.dims.map(Int.init), dataType: s.values.dataType,
                                                isConstant: true)
        }
    }

    /// Every `--dim` names a symbolic dimension of the graph's inputs, outputs or value_info: a misspelt
    /// one would otherwise be ignored while the real one takes its default or fails elsewhere.
    func checkDimensionNames(_ graph: Onnx_GraphProto) throws {
        var named = Set<String>()
        for info in graph.input + graph.output + graph.valueInfo {
            for d in info.tensorDims?.dims ?? [] {
                if case .dimParam(let p)? = d.value, !p.isEmpty { named.insert(p) }
            }
        }
        for name in options.dims.keys.sorted() where !named.contains(name) {
            let known = named.isEmpty ? "it has none" : "it has " + named.sorted().joined(separator: ", ")
            throw error("--dim \(name): the model has no dynamic dimension of that name (\(known))")
        }
    }

    mutating func readInputs(_ graph: Onnx_GraphProto) throws {
        for input in graph.input where values[input.name] == nil {
            guard let (type, dims) = input.tensorDims else {
                throw error("graph input '\(input.name)' is not a tensor; the importer reads tensor inputs only")
            }
            guard let dims else {
                throw error("graph input '\(input.name)' has no shape; give a model with input shapes")
            }
            var shape: [Int] = []
            for (axis, d) in dims.enumerated() {
                switch d.value {
                case .dimValue(let v)? where v >= 0: shape.append(Int(v))
                case .dimParam(let p)? where !p.isEmpty:
                    guard let v = options.dims[p] else {
                        throw error("graph input '\(input.name)' has the dynamic dimension '\(p)' (axis \(axis)): "
                                    + "give it with --dim \(p)=VALUE")
                    }
                    shape.append(v)
                default:
                    throw error("graph input '\(input.name)' has an unnamed dynamic dimension (axis \(axis)): "
                                + "the importer cannot set it; name it in the model or fix it")
                }
            }
            try checkShape(shape, "graph input '\(input.name)'")
            values[input.name] = TensorValue(shape: shape, dataType: type)
        }
    }

    /// The largest dimension and tensor the importer accepts: 2^31 and 2^48 elements. Products of a few
    /// such values stay within 64 bits, and anything larger is not a model lpsim can price anyway.
    static let maxDimension = 1 << 31
    static let maxElements = 1 << 48

    /// Whether every dimension is 0…2^31 and the product at most 2^48.
    static func validShape(_ shape: [Int]) -> Bool {
        var product = 1
        for d in shape {
            guard d >= 0, d <= maxDimension else { return false }
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow, p <= maxElements else { return false }
            product = p
        }
        return true
    }

    func checkShape(_ shape: [Int], _ what: String, node: NodeView? = nil) throws {
        guard Self.validShape(shape) else {
            throw error("\(what) has the shape \(shape): dimensions must be 0…2^31 and tensors at most 2^48 elements",
                        node: node)
        }
    }

    func error(_ message: String, node: NodeView? = nil) -> Diagnostic {
        guard let node else { return Diagnostic(file: file, message: message) }
        return Diagnostic(file: file,
                          message: "node '\(node.name)' (\(node.opType), domain \(node.domain)): " + message)
    }
}

/// An imported ONNX model: its ops, which of them exist only because of its
/// quantization, and what was left out.
public struct ONNXImport: Sendable {
    public struct Summary: Sendable, Hashable {
        /// Ops that cost nothing (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout, Shape, Constant,
        /// the Q/DQ of weights and the Q/DQ pairs fused into their neighbours).
        public var freeOps = 0
        /// Ops that move data without arithmetic (Transpose, Concat, Split, Slice, Pad, …), emitted as
        /// one-operand elementwise ops with one operation per element.
        public var copyOps = 0
        /// Unknown ops skipped under `skipUnknown`, by `domain:op_type`.
        public var skipped: [String: Int] = [:]
        /// Attentions (one per Softmax) whose mask the importer read as causal: their products are `causal`.
        public var causalMasks = 0
        /// Masks the importer could not read, by the Softmax they feed ("mask 'm': why"): those attentions
        /// are imported without `causal`, every query–key pair counted.
        public var unreadMasks: [String: String] = [:]
    }

    public var name: String
    public var source: String
    public var ops: [Op]
    /// Per op: whether it prices the model's quantization (a zero-point correction, a standalone
    /// quantize or dequantize) and so disappears when a precision plan replaces the model's formats.
    public var quantizationOps: [Bool]
    public var summary: Summary

    /// The trace: with the model's own formats, or (for a plan that overrides them) without its
    /// formats and quantization-only ops.
    public func trace(keepingQuantization: Bool, generatedBy: String? = nil) -> Trace {
        let chosen: [Op] = keepingQuantization ? ops : zip(ops, quantizationOps).compactMap { op, q in
            guard !q else { return nil }
            var plain = op
            plain.formats = [:]
            plain.blockSize = nil
            return plain
        }
        return Trace(name: name, source: "onnx: " + source, generatedBy: generatedBy, ops: chosen)
    }
}
