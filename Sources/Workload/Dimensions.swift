/// Every dimension name any op kind takes. One enum for all kinds keeps an
/// op's dimensions in fixed inline storage (no dictionary, no hashing on the
/// million-op path); `OpKind.dimensions` says which apply to which kind.
public enum DimensionKey: String, Sendable, CaseIterable, Hashable {
    case m, n, k, batch, bias, tied
    case c, h, w, r, s, stride, padding, dilation, groups
    case ceilMode = "ceil_mode"
    case heads
    case kvHeads = "kv_heads"
    case seqQ = "seq_q"
    case seqKV = "seq_kv"
    case headDim = "head_dim"
    case elements, operands, flops, rows, columns, affine, tokens, hidden, vocab
}

/// An op's dimension values, stored inline by `DimensionKey`.
public struct Dimensions: Sendable, Hashable {
    var storage: InlineArray<32, Int>

    public init() { storage = InlineArray(repeating: 0) }

    public subscript(key: DimensionKey) -> Int {
        get { storage[key.offset] }
        set { storage[key.offset] = newValue }
    }

    public static func == (a: Dimensions, b: Dimensions) -> Bool {
        for i in 0..<32 where a.storage[i] != b.storage[i] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for i in 0..<32 { hasher.combine(storage[i]) }
    }
}

extension DimensionKey {
    /// The storage slot: the case's declaration order (a switch, not a lookup).
    var offset: Int {
        switch self {
        case .m: 0
        case .n: 1
        case .k: 2
        case .batch: 3
        case .bias: 4
        case .tied: 5
        case .c: 6
        case .h: 7
        case .w: 8
        case .r: 9
        case .s: 10
        case .stride: 11
        case .padding: 12
        case .dilation: 13
        case .groups: 14
        case .ceilMode: 15
        case .heads: 16
        case .kvHeads: 17
        case .seqQ: 18
        case .seqKV: 19
        case .headDim: 20
        case .elements: 21
        case .operands: 22
        case .flops: 23
        case .rows: 24
        case .columns: 25
        case .affine: 26
        case .tokens: 27
        case .hidden: 28
        case .vocab: 29
        }
    }
}
