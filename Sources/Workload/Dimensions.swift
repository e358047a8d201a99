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
    /// Mixture-of-experts GEMMs: the experts the op's weight is one of, the
    /// experts each token uses, and the experts the step touches.
    case experts
    case topK = "top_k"
    case expertsTouched = "experts_touched"
    /// An attention op that reads a cache another op of the layer holds (MLA's PV).
    case kvShared = "kv_shared"
    /// An attention op under a causal mask (`AttentionShape.causal`).
    case causal
}

/// An op's dimension values, stored inline.
///
/// No kind takes more than twelve dimensions (a convolution), so twelve
/// slots suffice: keys of different kinds share slots (`DimensionKey.slot`),
/// and the keys of any one kind never do. That keeps an `Op` small enough
/// to copy cheaply on the million-op path (96 bytes of dimensions rather
/// than one slot for each of the 35 keys).
///
/// - Precondition: set only keys that the op's kind takes
///   (`OpKind.takes(_:)`); another kind's key writes over one of this kind's.
public struct Dimensions: Sendable, Hashable {
    /// Slots a kind may fill: the most dimensions any kind takes.
    public static var slotCount: Int { Storage.count }

    @usableFromInline typealias Storage = InlineArray<12, Int>
    @usableFromInline var storage: Storage

    public init() { storage = InlineArray(repeating: 0) }

    @inlinable public subscript(key: DimensionKey) -> Int {
        get { storage[key.slot] }
        set { storage[key.slot] = newValue }
    }

    public static func == (a: Dimensions, b: Dimensions) -> Bool {
        for i in a.storage.indices where a.storage[i] != b.storage[i] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for i in storage.indices { hasher.combine(storage[i]) }
    }
}

extension DimensionKey {
    /// A yes-or-no dimension, written 0 or 1 (any other value is an error).
    @inlinable public var isFlag: Bool {
        switch self {
        case .bias, .tied, .ceilMode, .kvShared, .causal: true
        default: false
        }
    }

    /// The dimensions that may be 0: the flags, a convolution's padding, and
    /// `kv_heads` (0 in an op's buffer means "as many as `heads`").
    @inlinable public var allowsZero: Bool { isFlag || self == .padding || self == .kvHeads }

    /// The key's bit in a set of keys: the case's declaration order.
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
        case .experts: 30
        case .topK: 31
        case .expertsTouched: 32
        case .kvShared: 33
        case .causal: 34
        }
    }

    /// The storage slot in `Dimensions`: distinct among the keys of any one
    /// kind (a test checks every kind), shared across kinds.
    @inlinable var slot: Int {
        switch self {
        // gemm: m n k batch bias tied
        case .m, .c, .heads, .elements, .rows, .tokens: 0
        case .n, .kvHeads, .operands, .columns, .hidden: 1
        case .k, .seqQ, .flops, .affine, .vocab: 2
        case .batch, .h: 3
        case .bias, .w, .seqKV: 4
        case .tied, .r, .headDim: 5
        // conv2d: c n k h w r, then these
        case .s, .experts, .kvShared: 6
        case .stride, .topK, .causal: 7
        case .padding, .expertsTouched: 8
        case .dilation: 9
        case .groups: 10
        case .ceilMode: 11
        }
    }
}
