import Formats
extension Op: Hashable {
    /// Ops are equal when everything a trace file would say of them is:
    /// the name compares as text, whether the trace gave it or it is the
    /// default (`gemm3` written out equals an unnamed third gemm).
    public static func == (a: Op, b: Op) -> Bool {
        a.kind == b.kind && a.shape == b.shape && a.repeatCount == b.repeatCount && a.formats == b.formats
            && a.blockSize == b.blockSize && a.sparse24 == b.sparse24
            && a.structuredSparsity == b.structuredSparsity && a.name == b.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(shape)
        hasher.combine(repeatCount)
        hasher.combine(formats)
        hasher.combine(blockSize)
        hasher.combine(sparse24)
        hasher.combine(structuredSparsity)
    }
}
