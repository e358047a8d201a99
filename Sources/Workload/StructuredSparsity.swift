/// N:M structured sparsity of a weight: of every M consecutive weights
/// along the reduction dimension K, N are kept (2:4 is NVIDIA's; SCALE-Sim
/// v3's topology column takes any N:M).
///
/// SCALE-Sim prunes the filter's K rows in that pattern (the first N of
/// each group of M), condenses them and drops the ifmap's matching columns
/// (`operand_matrix.create_filter_matrix`, `create_ifmap_matrix`), so the
/// array works on `keptRows(k)` rows instead of K.
public struct StructuredSparsity: Sendable, Hashable, CustomStringConvertible {
    public var n: Int, m: Int

    /// - Precondition: 1 ≤ n ≤ m.
    public init(n: Int, m: Int) {
        precondition(n >= 1 && n <= m, "N:M sparsity needs 1 ≤ N ≤ M")
        (self.n, self.m) = (n, m)
    }

    /// "N:M" parsed; nil for anything else (a positioned error is the reader's).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]), n >= 1, n <= m else { return nil }
        self.init(n: n, m: m)
    }

    public var description: String { "\(n):\(m)" }
    /// M:M keeps every weight.
    public var isDense: Bool { n == m }

    /// Rows of K kept: N per whole group and the first min(K mod M, N) of a partial last group.
    public func keptRows(_ k: Int) -> Int { k / m * n + min(k % m, n) }
}

extension Op {
    /// The weight's N:M sparsity, whichever way the op was given it (nil when dense).
    public var weightSparsity: StructuredSparsity? {
        structuredSparsity.flatMap { $0.isDense ? nil : $0 } ?? (sparse24 ? StructuredSparsity(n: 2, m: 4) : nil)
    }
}
