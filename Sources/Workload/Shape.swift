/// An op's dimensions as a typed value per kind: a matrix product's M, N, K,
/// a convolution's window, an attention product's heads and lengths. What an
/// op of one kind does not have cannot be read from it; the readers fill a
/// `Dimensions` buffer key by key and convert it once (`Shape.init`).
public enum Shape: Sendable, Hashable {
    case gemm(GEMMShape)
    case conv2d(ConvShape)
    /// `attention_qk` and `attention_pv` (the kind says which product).
    case attention(AttentionShape)
    case elementwise(ElementwiseShape)
    /// `softmax` and `norm`: rows × columns (a softmax has no `affine`).
    case rows(RowsShape)
    case embedding(EmbeddingShape)
    /// `quantize`, `dequantize`, `requantize`.
    case convert(elements: Int)
}

/// A batch of `batch` M × K by K × N products.
public struct GEMMShape: Sendable, Hashable {
    public var m: Int, n: Int, k: Int, batch: Int
    /// The op adds a bias of N (a parameter it owns).
    public var bias: Bool
    /// The weight is another op's (an LM head tied to the embedding): not counted as a parameter here.
    public var tied: Bool
    /// Mixture-of-experts GEMMs (all three or none): the experts the op's
    /// weight is one of, the experts each token uses, the experts the step touches.
    public var experts: Int, topK: Int, expertsTouched: Int
}

/// A 2-D convolution of `n` C × H × W inputs with K R × S filters.
public struct ConvShape: Sendable, Hashable {
    public var c: Int, h: Int, w: Int, k: Int, r: Int, s: Int, n: Int
    public var stride: Int, padding: Int, dilation: Int, groups: Int
    /// Count a partial last window, as SCALE-Sim does: ⌈(H − R)/S⌉ + 1.
    public var ceilMode: Bool
}

/// Attention products over `heads` query heads sharing `kvHeads` K/V heads.
public struct AttentionShape: Sendable, Hashable {
    public var heads: Int, seqQ: Int, seqKV: Int, headDim: Int, batch: Int, kvHeads: Int
    /// The op reads a cache another op of the layer holds (MLA's PV): not counted again.
    public var kvShared: Bool
    /// A causal mask: the queries are the last `seqQ` positions of the
    /// sequence, and each sees the keys up to its own position, at most
    /// `seqKV` of them (`visibleKeys(query:)`). Without it every query sees
    /// all `seqKV` keys (an encoder, cross-attention).
    public var causal: Bool
}

extension AttentionShape {
    /// The position, among the `seqKV` keys, of the first query's own key
    /// minus one: the keys before the `seqQ` queries (0 when the queries
    /// outnumber the keys, a sliding window's prefill).
    @inlinable public var causalOffset: Int { max(0, seqKV - seqQ) }

    /// The keys query `query` (0-based among the `seqQ`) attends to.
    ///
    /// Causal: min(`seqKV`, `causalOffset` + `query` + 1): a prefill
    /// (`seqQ` = `seqKV`) sees 1…`seqKV`, a decode step (`seqQ` = 1) all
    /// `seqKV`, a chunk of a longer prefill its offset more, and a sliding
    /// window's prefill (`seqQ` > `seqKV`, the window) grows to the window
    /// and stays there. Not causal: `seqKV`.
    @inlinable public func visibleKeys(query: Int) -> Int {
        causal ? min(seqKV, causalOffset + query + 1) : seqKV
    }

    /// The scores of the whole op, masked or not: batch · heads · `seqQ` · `seqKV` (nil past 64 bits).
    public var allScores: Int64? {
        let (a, o1) = Int64(batch).multipliedReportingOverflow(by: Int64(heads))
        let (b, o2) = a.multipliedReportingOverflow(by: Int64(seqQ))
        let (c, o3) = b.multipliedReportingOverflow(by: Int64(seqKV))
        return o1 || o2 || o3 ? nil : c
    }

    /// The share of the `seqQ` × `seqKV` scores the mask leaves visible: 1 without a mask or when it
    /// hides nothing (a decode step).
    public var visibleShare: Double {
        guard causal, let pairs = try? visiblePairs() else { return 1 }
        return Double(pairs) / (Double(seqQ) * Double(seqKV))
    }

    /// Σ `visibleKeys(query:)` over the `seqQ` queries: the scores one head
    /// of one sequence computes (`seqQ` × `seqKV` without a mask).
    ///
    /// - Throws: `ShapeError` when the sum overflows 64 bits.
    public func visiblePairs() throws(ShapeError) -> Int64 {
        let q = Int64(seqQ), kv = Int64(seqKV)
        guard causal else {
            let (all, overflow) = q.multipliedReportingOverflow(by: kv)
            if overflow { throw ShapeError(message: "the dimension product overflows 64 bits", key: nil) }
            return all
        }
        // Queries past the window (q > kv) see kv each; the first min(q, kv) grow by one from offset + 1.
        let growing = min(q, kv), offset = Int64(causalOffset)
        let (full, o1) = (q - growing).multipliedReportingOverflow(by: kv)
        // growing · (growing + 1) / 2, halving the even factor first.
        let (ramp, o2) = growing % 2 == 0 ? (growing / 2).multipliedReportingOverflow(by: growing + 1)
            : growing.multipliedReportingOverflow(by: (growing + 1) / 2)
        let (base, o3) = growing.multipliedReportingOverflow(by: offset)
        let (sum, o4) = full.addingReportingOverflow(ramp)
        let (total, o5) = sum.addingReportingOverflow(base)
        if o1 || o2 || o3 || o4 || o5 { throw ShapeError(message: "the dimension product overflows 64 bits", key: nil) }
        return total
    }
}

public struct ElementwiseShape: Sendable, Hashable {
    public var elements: Int
    /// Inputs read per output element, and operations per output element.
    public var operands: Int, flops: Int
}

public struct RowsShape: Sendable, Hashable {
    public var rows: Int, columns: Int
    /// Norm parameters per column: 1 (RMSNorm scale) or 2 (LayerNorm, BatchNorm
    /// scale and shift); nil for a softmax.
    public var affine: Int?
}

public struct EmbeddingShape: Sendable, Hashable {
    public var tokens: Int, hidden: Int, vocab: Int
    /// The table is another op's (T5's decoder reading the shared embedding).
    public var tied: Bool
}

extension Shape {
    /// The typed shape of an op of `kind` from a buffer holding its keys
    /// (defaults filled in).
    init(_ kind: OpKind, _ d: Dimensions) {
        switch kind {
        case .gemm:
            self = .gemm(GEMMShape(m: d[.m], n: d[.n], k: d[.k], batch: d[.batch], bias: d[.bias] > 0,
                                   tied: d[.tied] > 0, experts: d[.experts], topK: d[.topK],
                                   expertsTouched: d[.expertsTouched]))
        case .conv2d:
            self = .conv2d(ConvShape(c: d[.c], h: d[.h], w: d[.w], k: d[.k], r: d[.r], s: d[.s], n: d[.n],
                                     stride: d[.stride], padding: d[.padding], dilation: d[.dilation],
                                     groups: d[.groups], ceilMode: d[.ceilMode] > 0))
        case .attentionQK, .attentionPV:
            self = .attention(AttentionShape(heads: d[.heads], seqQ: d[.seqQ], seqKV: d[.seqKV], headDim: d[.headDim],
                                             batch: d[.batch], kvHeads: d[.kvHeads], kvShared: d[.kvShared] > 0,
                                             causal: d[.causal] > 0))
        case .elementwise:
            self = .elementwise(ElementwiseShape(elements: d[.elements], operands: d[.operands], flops: d[.flops]))
        case .softmax, .norm:
            self = .rows(RowsShape(rows: d[.rows], columns: d[.columns], affine: kind == .norm ? d[.affine] : nil))
        case .embedding:
            self = .embedding(EmbeddingShape(tokens: d[.tokens], hidden: d[.hidden], vocab: d[.vocab],
                                             tied: d[.tied] > 0))
        case .quantize, .dequantize, .requantize:
            self = .convert(elements: d[.elements])
        }
    }

    /// The value of dimension `key`, or nil when the shape has no such dimension.
    public subscript(_ key: DimensionKey) -> Int? {
        switch self {
        case .gemm(let g):
            switch key {
            case .m: g.m
            case .n: g.n
            case .k: g.k
            case .batch: g.batch
            case .bias: g.bias ? 1 : 0
            case .tied: g.tied ? 1 : 0
            case .experts: g.experts
            case .topK: g.topK
            case .expertsTouched: g.expertsTouched
            default: nil
            }
        case .conv2d(let c):
            switch key {
            case .c: c.c
            case .h: c.h
            case .w: c.w
            case .k: c.k
            case .r: c.r
            case .s: c.s
            case .n: c.n
            case .stride: c.stride
            case .padding: c.padding
            case .dilation: c.dilation
            case .groups: c.groups
            case .ceilMode: c.ceilMode ? 1 : 0
            default: nil
            }
        case .attention(let a):
            switch key {
            case .heads: a.heads
            case .seqQ: a.seqQ
            case .seqKV: a.seqKV
            case .headDim: a.headDim
            case .batch: a.batch
            case .kvHeads: a.kvHeads
            case .kvShared: a.kvShared ? 1 : 0
            case .causal: a.causal ? 1 : 0
            default: nil
            }
        case .elementwise(let e):
            switch key {
            case .elements: e.elements
            case .operands: e.operands
            case .flops: e.flops
            default: nil
            }
        case .rows(let r):
            switch key {
            case .rows: r.rows
            case .columns: r.columns
            case .affine: r.affine
            default: nil
            }
        case .embedding(let e):
            switch key {
            case .tokens: e.tokens
            case .hidden: e.hidden
            case .vocab: e.vocab
            case .tied: e.tied ? 1 : 0
            default: nil
            }
        case .convert(let elements):
            key == .elements ? elements : nil
        }
    }
}
