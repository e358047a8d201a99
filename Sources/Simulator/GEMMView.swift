import Workload

/// A matrix-product op seen as `groups` independent GEMMs of M × K by K × N:
/// how every datapath family maps it.
public struct GEMMView: Sendable, Hashable {
    public var groups: Int
    public var m: Int
    public var n: Int
    public var k: Int
    /// The weight operand is one matrix shared by all groups (a batched
    /// GEMM's weights), not a slice per group (conv groups, attention heads).
    public var sharedWeights: Bool
    /// An attention product under a causal mask: which key positions each
    /// query row sees. The view itself is the whole rectangle; an engine
    /// that skips masked blocks (`FamilyEngine.skipsMaskedBlocks`) counts
    /// its tiles with it, every other engine runs the rectangle.
    public var mask: CausalMask?

    /// nil for ops that are not matrix products.
    public init?(_ op: Op) throws {
        sharedWeights = op.kind == .gemm
        mask = nil
        switch op.shape {
        case .gemm(let g): (groups, m, n, k) = (g.batch, g.m, g.n, g.k)
        case .conv2d(let c):
            let (p, q) = try op.outputSize()
            (groups, m, n, k) = (c.groups, c.n * p * q, c.k / c.groups, c.c / c.groups * c.r * c.s)
        case .attention(let a) where op.kind == .attentionQK:
            (groups, m, n, k) = (a.batch * a.heads, a.seqQ, a.seqKV, a.headDim)
            if a.causal { mask = CausalMask(a, keysOn: .n) }
        case .attention(let a):
            (groups, m, n, k) = (a.batch * a.heads, a.seqQ, a.headDim, a.seqKV)
            if a.causal { mask = CausalMask(a, keysOn: .k) }
        default: return nil
        }
    }
}

/// The causal mask of an attention product seen as a GEMM: row r (a query)
/// sits at position p = `offset` + r of the sequence and sees the keys at
/// positions max(0, p − `keys` + 1)…p, along N (QKᵀ's score columns) or
/// along K (PV's reduction): every key before it when the keys outnumber the
/// queries, a window of `keys` positions in a sliding window's prefill.
public struct CausalMask: Sendable, Hashable {
    public enum Axis: Sendable, Hashable { case n, k }
    public var axis: Axis
    public var rows: Int, keys: Int, offset: Int

    init(_ a: AttentionShape, keysOn axis: Axis) {
        (self.axis, rows, keys, offset) = (axis, a.seqQ, a.seqKV, a.causalOffset)
    }

    /// The key blocks of `keyTile` positions that the row blocks of
    /// `rowTile` rows touch, summed over the row blocks: a block with any
    /// visible key is run whole (FlashAttention masks inside the diagonal
    /// blocks and skips the others). Blocks are aligned to the sequence's
    /// positions, so a sliding window's row block, which spans `rowTile` +
    /// `keys` − 1 positions, may touch ⌈`keys` / `keyTile`⌉ + 1 blocks, more
    /// than the op's own N or K holds. Without a mask it would be
    /// ⌈rows / rowTile⌉ · ⌈keys / keyTile⌉.
    ///
    /// - Precondition: `rowTile` and `keyTile` are positive.
    public func blocks(rowTile: Int, keyTile: Int) -> Int { walk(rowTile: rowTile, keyTile: keyTile).total }

    /// The most key blocks one row block touches (the last one's, or a full window's).
    ///
    /// - Precondition: `rowTile` and `keyTile` are positive.
    public func longestRowBlock(rowTile: Int, keyTile: Int) -> Int {
        walk(rowTile: rowTile, keyTile: keyTile).longest
    }

    func walk(rowTile: Int, keyTile: Int) -> (total: Int, longest: Int) {
        var total = 0, longest = 0, first = 0
        while first < rows {
            let last = min(first + rowTile, rows) - 1
            // Positions of the block's first visible key and of its last query's own key.
            let low = max(0, offset + first - keys + 1), high = offset + last
            let touched = high / keyTile - low / keyTile + 1
            total += touched
            longest = max(longest, touched)
            first += rowTile
        }
        return (total, longest)
    }
}
