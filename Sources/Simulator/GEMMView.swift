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

    /// nil for ops that are not matrix products.
    public init?(_ op: Op) throws {
        sharedWeights = op.kind == .gemm
        switch op.shape {
        case .gemm(let g): (groups, m, n, k) = (g.batch, g.m, g.n, g.k)
        case .conv2d(let c):
            let (p, q) = try op.outputSize()
            (groups, m, n, k) = (c.groups, c.n * p * q, c.k / c.groups, c.c / c.groups * c.r * c.s)
        case .attention(let a) where op.kind == .attentionQK:
            (groups, m, n, k) = (a.batch * a.heads, a.seqQ, a.seqKV, a.headDim)
        case .attention(let a): (groups, m, n, k) = (a.batch * a.heads, a.seqQ, a.headDim, a.seqKV)
        default: return nil
        }
    }
}
