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
        switch op.kind {
        case .gemm: (groups, m, n, k) = (op[.batch], op[.m], op[.n], op[.k])
        case .conv2d:
            let (p, q) = try op.outputSize()
            let g = op[.groups]
            (groups, m, n, k) = (g, op[.n] * p * q, op[.k] / g, op[.c] / g * op[.r] * op[.s])
        case .attentionQK: (groups, m, n, k) = (op[.batch] * op[.heads], op[.seqQ], op[.seqKV], op[.headDim])
        case .attentionPV: (groups, m, n, k) = (op[.batch] * op[.heads], op[.seqQ], op[.headDim], op[.seqKV])
        default: return nil
        }
    }
}
