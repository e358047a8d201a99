import Documents
import Formats
import Hardware
import Workload

/// One matrix layer of a FINN-style dataflow design: a matrix–vector unit
/// (MVAU) that multiplies each of `pixels` input vectors of length
/// `columns` (MW) by a `rows` × `columns` (MH × MW) weight matrix held in
/// the unit itself.
///
/// A convolution is its im2col form behind a sliding-window unit: MW =
/// C/groups · R · S, one vector per output pixel. A grouped or depthwise
/// convolution is one unit over all groups (FINN's VVAU: PE runs over
/// channels), MH = K, MW = C/groups · R · S.
public struct DataflowLayer: Sendable, Hashable {
    public var name: String
    /// MH: output channels (neurons).
    public var rows: Int
    /// MW: the dot-product length.
    public var columns: Int
    /// Input vectors per inference (output pixels × batch).
    public var pixels: Int
    public var weight: NumberFormat
    public var input: NumberFormat
    /// The sliding window in front of a convolution's unit, nil for a
    /// fully connected layer (or a 1 × 1 convolution, which needs none).
    public var window: Window?

    /// A sliding-window unit (FINN's `ConvolutionInputGenerator`): it keeps
    /// `kernelRows + stride` lines of the input image and emits each output
    /// pixel's R·S·C window, SIMD channels at a time — so the unit behind it
    /// takes SIMD from the channels: SIMD divides C.
    public struct Window: Sendable, Hashable {
        public var kernelRows: Int
        public var inputWidth: Int
        /// Input channels per group.
        public var channels: Int
        public var stride: Int

        public init(kernelRows: Int, inputWidth: Int, channels: Int, stride: Int) {
            self.kernelRows = kernelRows
            self.inputWidth = inputWidth
            self.channels = channels
            self.stride = stride
        }
    }

    public init(name: String, rows: Int, columns: Int, pixels: Int, weight: NumberFormat, input: NumberFormat,
                window: Window? = nil) {
        self.name = name
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.weight = weight
        self.input = input
        self.window = window
    }

    /// Weight elements the unit stores.
    public var weightElements: Int { rows * columns }
    /// MACs per inference.
    public var macs: Double { Double(rows) * Double(columns) * Double(pixels) }

    /// Cycles one inference takes at a folding: ⌈MH/PE⌉·⌈MW/SIMD⌉ per input
    /// vector (FINN `MatrixVectorActivation.get_exp_cycles`).
    public func cycles(pe: Int, simd: Int) -> Int {
        ((rows + pe - 1) / pe) * ((columns + simd - 1) / simd) * pixels
    }

    /// Both operands 1-bit ({−1, +1} or {0, 1}): an XNOR-popcount layer.
    public var isBinary: Bool {
        weight.elementFormat.bitWidth == 1 && input.elementFormat.bitWidth == 1
    }

    /// The matrix layers of `trace` under `plan`: gemm and conv2d ops (the
    /// ops with a weight operand). Other matrix kinds (attention products
    /// multiply two activations) have no place in a weight-stationary
    /// dataflow design and are refused; non-matrix ops are left to the
    /// caller (FINN folds them into thresholds and small streaming units).
    ///
    /// - Throws: `Diagnostic` naming the op for an attention product, an
    ///   unknown format, or counts that overflow.
    public static func layers(of trace: Trace, plan: PrecisionPlan, file: String = "") throws -> [DataflowLayer] {
        var layers: [DataflowLayer] = []
        for op in trace.ops where op.kind.isMatrixProduct {
            guard op.kind == .gemm || op.kind == .conv2d else {
                throw Diagnostic(file: file, message: "op '\(op.name)': a dataflow design maps layers with weights "
                                 + "(gemm, conv2d); '\(op.kind.rawValue)' multiplies two activations")
            }
            guard let view = try GEMMView(op) else { continue }
            let roles = plan.formats(for: op)
            func format(_ role: OperandRole) throws -> NumberFormat {
                guard let format = roles[role] else {
                    throw Diagnostic(file: file, message: "op '\(op.name)': the plan gives no \(role) format")
                }
                return format
            }
            let (m, groupsTimesN) = view.multipliedReportingOverflow
            guard let pixels = m, let rows = groupsTimesN else {
                throw Diagnostic(file: file, message: "op '\(op.name)': its dimensions overflow")
            }
            let w = try format(.weight), a = try format(.input)
            var window: Window?
            if case .conv2d(let c) = op.shape, c.r * c.s > 1 {
                window = Window(kernelRows: c.r, inputWidth: c.w + 2 * c.padding, channels: c.c / max(c.groups, 1),
                                stride: c.stride)
            }
            for copy in 0..<max(1, op.repeatCount) {
                let name = op.repeatCount > 1 ? "\(op.name)#\(copy)" : op.name
                layers.append(DataflowLayer(name: name, rows: rows, columns: view.k, pixels: pixels,
                                            weight: w, input: a, window: window))
            }
        }
        return layers
    }
}

extension GEMMView {
    /// (M, groups·N) with overflow checks: the pixels and rows of a unit.
    /// A batched GEMM's batch multiplies the pixels (one shared matrix).
    fileprivate var multipliedReportingOverflow: (Int?, Int?) {
        if sharedWeights {
            let (p, o) = groups.multipliedReportingOverflow(by: m)
            return (o ? nil : p, n)
        }
        let (r, o) = groups.multipliedReportingOverflow(by: n)
        return (m, o ? nil : r)
    }
}
