import Formats

/// What an op computes.
public enum OpKind: String, Sendable, CaseIterable, Hashable {
    case gemm, conv2d
    /// Attention scores QKᵀ: `input` is Q, `weight` is the K cache.
    case attentionQK = "attention_qk"
    /// Attention output PV: `input` is P, `weight` is the V cache.
    case attentionPV = "attention_pv"
    case elementwise, softmax, norm, embedding, quantize, dequantize, requantize

    /// Attention ops: their weight operand is the K or V cache (the `kv_cache` role).
    @inlinable public var readsKVCache: Bool { self == .attentionQK || self == .attentionPV }

    /// Ops whose work is multiply-accumulates.
    @inlinable public var isMatrixProduct: Bool {
        self == .gemm || self == .conv2d || self == .attentionQK || self == .attentionPV
    }

    /// The dimensions this kind takes: required, then optional with defaults.
    public var dimensions: (required: [DimensionKey], optional: [(DimensionKey, Int)]) {
        switch self {
        case .gemm: return Self.gemmDimensions
        case .conv2d: return Self.convDimensions
        case .attentionQK, .attentionPV: return Self.attentionDimensions
        case .elementwise: return Self.elementwiseDimensions
        case .softmax: return Self.softmaxDimensions
        case .norm: return Self.normDimensions
        case .embedding: return Self.embeddingDimensions
        case .quantize, .dequantize, .requantize: return Self.convertDimensions
        }
    }

    static let gemmDimensions: ([DimensionKey], [(DimensionKey, Int)]) =
        ([.m, .n, .k], [(.batch, 1), (.bias, 0), (.tied, 0), (.experts, 0), (.topK, 0), (.expertsTouched, 0)])
    static let convDimensions: ([DimensionKey], [(DimensionKey, Int)]) =
        ([.c, .h, .w, .k, .r, .s], [(.n, 1), (.stride, 1), (.padding, 0), (.dilation, 1), (.groups, 1), (.ceilMode, 0)])
    static let attentionDimensions: ([DimensionKey], [(DimensionKey, Int)]) =
        ([.heads, .seqQ, .seqKV, .headDim], [(.batch, 1), (.kvHeads, 0), (.kvShared, 0), (.causal, 0)])
    static let elementwiseDimensions: ([DimensionKey], [(DimensionKey, Int)]) =
        ([.elements], [(.operands, 1), (.flops, 1)])
    static let softmaxDimensions: ([DimensionKey], [(DimensionKey, Int)]) = ([.rows, .columns], [])
    static let normDimensions: ([DimensionKey], [(DimensionKey, Int)]) = ([.rows, .columns], [(.affine, 1)])
    static let embeddingDimensions: ([DimensionKey], [(DimensionKey, Int)]) = ([.tokens, .hidden, .vocab], [(.tied, 0)])
    static let convertDimensions: ([DimensionKey], [(DimensionKey, Int)]) = ([.elements], [])

    /// The name of an unnamed op: the kind and the op's index in its trace.
    /// (Concatenation keeps short names in a small string; interpolation
    /// would allocate a buffer first, once per op of a million-op trace.)
    func defaultOpName(index: Int) -> String { rawValue + String(index) }

    /// Whether `key` applies to this kind.
    public func takes(_ key: DimensionKey) -> Bool {
        let (required, optional) = dimensions
        return required.contains(key) || optional.contains { $0.0 == key }
    }
}

/// One op of a trace: a kind, its dimensions, how many times it repeats,
/// and the number format of each operand role. MAC and byte counts are
/// derived (`counts`), never given.
public struct Op: Sendable {
    /// The op's name: as the trace gives it, or else its kind and its index
    /// in the trace (`gemm3`), built when asked for — a million unnamed ops
    /// validate without a million name strings.
    public var name: String {
        get { givenName ?? kind.defaultOpName(index: index) }
        set { givenName = newValue }
    }
    /// The name the trace gives, if any.
    public var givenName: String?
    /// The op's position in its trace (0 for ops made by name).
    public var index: Int
    public var kind: OpKind
    /// The op's dimensions, typed by kind (see `OpKind.dimensions`), defaults filled in.
    public var shape: Shape
    public var repeatCount: Int
    /// Explicit formats by role; a precision plan fills in the rest.
    public var formats: [OperandRole: NumberFormat]
    /// Block or group size for block-scaled formats, when the trace sets one.
    public var blockSize: Int?
    /// 2:4 structured sparsity of the weight.
    public var sparse24: Bool
    /// N:M structured sparsity of the weight, any N:M (a trace's or SCALE-Sim topology's `sparsity`);
    /// nil when dense or when only `sparse24` was set.
    public var structuredSparsity: StructuredSparsity? = nil

    /// An op from dimension names (as generators and tests write them); unset
    /// optional dimensions take their defaults.
    ///
    /// - Precondition: every key names a dimension `kind` takes.
    public init(name: String, kind: OpKind, dims: [String: Int], repeatCount: Int = 1,
                formats: [OperandRole: NumberFormat] = [:], blockSize: Int? = nil, sparse24: Bool = false) {
        var values = Dimensions()
        var given = Set<DimensionKey>()
        for (key, value) in dims {
            guard let k = DimensionKey(rawValue: key), kind.takes(k) else {
                preconditionFailure("a \(kind.rawValue) op has no dimension '\(key)'")
            }
            values[k] = value
            given.insert(k)
        }
        self.init(name: name, kind: kind, dimensions: values, given: { given.contains($0) }, repeatCount: repeatCount,
                  formats: formats, blockSize: blockSize, sparse24: sparse24)
    }

    /// An op from dimension values; `given` says which were set (the others take defaults).
    public init(name: String, kind: OpKind, dimensions: Dimensions, given: (DimensionKey) -> Bool, repeatCount: Int = 1,
                formats: [OperandRole: NumberFormat] = [:], blockSize: Int? = nil, sparse24: Bool = false) {
        self.init(givenName: name, index: 0, kind: kind, dimensions: dimensions, given: given, repeatCount: repeatCount,
                  formats: formats, blockSize: blockSize, sparse24: sparse24)
    }

    /// An op at `index` in a trace, named `givenName` or, if that is nil, by its kind and index.
    init(givenName: String?, index: Int, kind: OpKind, dimensions: Dimensions, given: (DimensionKey) -> Bool,
         repeatCount: Int, formats: [OperandRole: NumberFormat], blockSize: Int?, sparse24: Bool) {
        self.givenName = givenName
        self.index = index
        self.kind = kind
        var filled = dimensions
        for (key, value) in kind.dimensions.optional where !given(key) { filled[key] = value }
        if (kind == .attentionQK || kind == .attentionPV), filled[.kvHeads] == 0 { filled[.kvHeads] = filled[.heads] }
        self.shape = Shape(kind, filled)
        self.repeatCount = repeatCount
        self.formats = formats
        self.blockSize = blockSize
        self.sparse24 = sparse24
    }

    /// The value of the dimension named `key`; 0 when no such dimension
    /// exists or the op's kind does not take it (`shape[key]` says nil).
    public subscript(_ key: String) -> Int {
        guard let k = DimensionKey(rawValue: key) else { return 0 }
        return shape[k] ?? 0
    }
}

/// Per-op work, for one repetition, in elements and MACs.
public struct OpCounts: Sendable, Hashable {
    public var macs: Int64
    /// Elements of each operand read or written.
    public var weightElements: Int64
    public var inputElements: Int64
    public var outputElements: Int64
    /// Non-MAC arithmetic (elementwise, softmax, norm), in operations.
    public var otherOps: Int64
    /// Trainable parameters the op owns (weights; norm scales; embedding tables).
    public var parameters: Int64
}

/// A dimension product that does not fit 64 bits, or a shape that makes no sense.
public struct ShapeError: Error, Sendable, Hashable {
    public var message: String
    /// The dimension key to point at, if one is to blame.
    public var key: String?
}

extension Op {
    /// The op's counts for one repetition.
    ///
    /// - Throws: `ShapeError` when a product overflows 64 bits or the shape
    ///   is inconsistent (groups not dividing channels, an empty output).
    public func counts() throws(ShapeError) -> OpCounts {
        // Fixed arity rather than variadic: a variadic call allocates an array, and this runs per op.
        func product(_ a: Int, _ b: Int, _ c: Int = 1, _ d: Int = 1, _ e: Int = 1, _ f: Int = 1,
                     _ g: Int = 1) throws(ShapeError) -> Int64 {
            var result = Int64(a), overflowed = false
            @inline(__always) func times(_ x: Int) {
                let (r, o) = result.multipliedReportingOverflow(by: Int64(x))
                result = r
                overflowed = overflowed || o
            }
            times(b); times(c); times(d); times(e); times(f); times(g)
            if overflowed { throw ShapeError(message: "the dimension product overflows 64 bits", key: nil) }
            return result
        }
        /// k × n weights plus n biases where the op has them, checked.
        func withBias(_ weights: Int64, _ g: GEMMShape) throws(ShapeError) -> Int64 {
            let (r, o) = weights.addingReportingOverflow(g.bias ? Int64(g.n) : 0)
            if o { throw ShapeError(message: "the dimension product overflows 64 bits", key: nil) }
            return r
        }
        switch shape {
        case .gemm(let g):
            if g.experts | g.topK | g.expertsTouched != 0 { try checkExperts(g) }
            let macs = try product(g.batch, g.m, g.n, g.k)
            return OpCounts(macs: macs, weightElements: try product(g.k, g.n),
                            inputElements: try product(g.batch, g.m, g.k),
                            outputElements: try product(g.batch, g.m, g.n), otherOps: 0,
                            // A tied weight (an LM head sharing the embedding) is counted where it is owned.
                            parameters: g.tied ? 0 : try withBias(try product(g.k, g.n), g))
        case .conv2d(let d):
            let groups = d.groups
            guard d.c % groups == 0 else {
                throw ShapeError(message: "channels c = \(d.c) are not divisible by groups = \(groups)", key: "groups")
            }
            guard d.k % groups == 0 else {
                throw ShapeError(message: "filters k = \(d.k) are not divisible by groups = \(groups)", key: "groups")
            }
            let (p, q) = try outputSize()
            let weights = try product(d.k, d.c / groups, d.r, d.s)
            return OpCounts(macs: try product(d.n, d.k, p, q, d.c / groups, d.r, d.s),
                            weightElements: weights, inputElements: try product(d.n, d.c, d.h, d.w),
                            outputElements: try product(d.n, d.k, p, q), otherOps: 0, parameters: weights)
        case .attention(let a):
            guard a.heads % a.kvHeads == 0 else {
                throw ShapeError(message: "heads = \(a.heads) are not a multiple of kv_heads = \(a.kvHeads)",
                                 key: "kv_heads")
            }
            // Under a causal mask only the visible query–key pairs are products of the op.
            let pairs = Int(try a.visiblePairs())
            let macs = try product(a.batch, a.heads, pairs, a.headDim)
            let cache = try product(a.batch, a.kvHeads, a.seqKV, a.headDim)
            let scores = try product(a.batch, a.heads, pairs)
            let queries = try product(a.batch, a.heads, a.seqQ, a.headDim)
            return kind == .attentionQK
                ? OpCounts(macs: macs, weightElements: cache, inputElements: queries, outputElements: scores,
                           otherOps: 0, parameters: 0)
                : OpCounts(macs: macs, weightElements: cache, inputElements: scores, outputElements: queries,
                           otherOps: 0, parameters: 0)
        case .elementwise(let e):
            let n = Int64(e.elements)
            return OpCounts(macs: 0, weightElements: 0, inputElements: try product(e.elements, e.operands),
                            outputElements: n, otherOps: try product(e.elements, e.flops), parameters: 0)
        case .rows(let r):
            let n = try product(r.rows, r.columns)
            // Softmax: max, subtract, exp, sum, divide ≈ 5 per element; norm: ≈ 4.
            let perElement: Int64 = kind == .softmax ? 5 : 4
            let (ops, overflow) = n.multipliedReportingOverflow(by: perElement)
            if overflow { throw ShapeError(message: "the dimension product overflows 64 bits", key: nil) }
            // Norm parameters: a scale per column (RMSNorm), or scale and shift (LayerNorm, BatchNorm: affine 2).
            let parameters = try product(r.columns, r.affine ?? 0)
            return OpCounts(macs: 0, weightElements: parameters, inputElements: n,
                            outputElements: n, otherOps: ops, parameters: parameters)
        case .embedding(let e):
            let gathered = try product(e.tokens, e.hidden)
            return OpCounts(macs: 0, weightElements: gathered, inputElements: Int64(e.tokens), outputElements: gathered,
                            // A tied table (T5's decoder reading the shared embedding) is counted where it is owned.
                            otherOps: 0, parameters: e.tied ? 0 : try product(e.vocab, e.hidden))
        case .convert(let elements):
            let n = Int64(elements)
            return OpCounts(macs: 0, weightElements: 0, inputElements: n, outputElements: n, otherOps: n, parameters: 0)
        }
    }

    /// The longest dot product one output element sums: a matrix product's K (a convolution's
    /// C/groups · R · S, QKᵀ's head_dim, PV's seq_kv — a causal PV's last query still sums every key,
    /// though its MACs count the visible pairs), 0 for an op without MACs or whose counts overflow.
    /// The accumulation length numerics emulate and integer accumulators must hold.
    public var reductionLength: Int {
        guard let c = try? counts(), c.outputElements > 0, c.macs > 0 else { return 0 }
        if kind == .attentionPV, case .attention(let a) = shape { return a.seqKV }
        return Int(c.macs / c.outputElements)
    }

    /// Output height and width of a convolution.
    ///
    /// - Throws: `ShapeError` when the op is not a convolution, or its filter
    ///   does not fit the padded input.
    public func outputSize() throws(ShapeError) -> (Int, Int) {
        guard case .conv2d(let d) = shape else {
            throw ShapeError(message: "a \(kind.rawValue) op has no output size", key: nil)
        }
        // ceil_mode counts a partial last window, as SCALE-Sim does: ⌈(H − R)/S⌉ + 1.
        // Every step is checked: sizes come from the user and a padding of 2^62 must be an error, not a trap.
        func check(_ r: (partialValue: Int, overflow: Bool)) throws(ShapeError) -> Int {
            if r.overflow { throw ShapeError(message: "the padded input size overflows 64 bits", key: "padding") }
            return r.partialValue
        }
        // Built only when thrown: an interpolated message per call was a tenth of a 1 M-op replay.
        func misfit() -> ShapeError {
            ShapeError(message: "the filter (\(d.r)×\(d.s)) does not fit the padded input (\(d.h)×\(d.w), "
                       + "padding \(d.padding))", key: "r")
        }
        func size(_ input: Int, _ filter: Int) throws(ShapeError) -> Int {
            let padded = try check(input.addingReportingOverflow(
                try check(d.padding.multipliedReportingOverflow(by: 2))))
            let reach = try check(try check(d.dilation.multipliedReportingOverflow(by: filter - 1))
                .addingReportingOverflow(1))
            guard padded >= reach else { throw misfit() }
            let span = padded - reach
            let numerator = d.ceilMode ? try check(span.addingReportingOverflow(d.stride - 1)) : span
            return numerator / d.stride + 1
        }
        let p = try size(d.h, d.r), q = try size(d.w, d.s)
        guard p > 0, q > 0 else {
            throw misfit()
        }
        return (p, q)
    }
}
