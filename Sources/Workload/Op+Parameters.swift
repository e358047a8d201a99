/// Total and per-token ("active") parameters of an op, mixture-of-experts included.
///
/// A routed-expert GEMM stands for one expert and repeats once per expert a
/// step touches (`experts_touched` per layer, possibly split over two ops
/// whose row counts differ by one); the model owns `experts` of them per
/// layer, and each token uses `top_k`. Its share of the totals is
/// therefore `repeat × owned / experts_touched` with owned = `experts`
/// (total) or `top_k` (active): exact once the ops of one layer are summed,
/// which `TraceSummary` does by keeping numerators per denominator.
public struct ParameterShare: Sendable, Hashable {
    /// Parameters × repetitions × experts (total) and × top_k (active), before dividing.
    public var total: Int64
    public var active: Int64
    /// The divisor: `experts_touched`, or 1 for an op that is not a routed expert.
    public var denominator: Int64
}

extension Op {
    /// The op's share of the model's total and active parameters, all repetitions included.
    ///
    /// - Throws: `ShapeError` when a product overflows 64 bits or the expert dimensions are inconsistent.
    public func parameterShare() throws(ShapeError) -> ParameterShare {
        try parameterShare(counts: try counts())
    }

    /// `parameterShare()` from the op's `counts()`, for a caller that has them already.
    public func parameterShare(counts c: OpCounts) throws(ShapeError) -> ParameterShare {
        let r = Int64(repeatCount)
        func times(_ a: Int64, _ b: Int64) throws(ShapeError) -> Int64 {
            let (p, o) = a.multipliedReportingOverflow(by: b)
            if o { throw ShapeError(message: "a parameter total overflows 64 bits", key: nil) }
            return p
        }
        let all = try times(c.parameters, r)
        guard case .gemm(let g) = shape, g.experts > 0 else {
            return ParameterShare(total: all, active: all, denominator: 1)
        }
        return ParameterShare(total: try times(all, Int64(g.experts)), active: try times(all, Int64(g.topK)),
                              denominator: Int64(g.expertsTouched))
    }

    /// The expert dimensions of a GEMM: all three or none, with 1 ≤ top_k,
    /// experts_touched ≤ experts.
    func checkExperts(_ g: GEMMShape) throws(ShapeError) {
        let e = g.experts, k = g.topK, t = g.expertsTouched
        guard e > 0, k > 0, t > 0 else {
            throw ShapeError(message: "an expert GEMM needs experts, top_k and experts_touched together",
                             key: "experts")
        }
        guard k <= e else { throw ShapeError(message: "top_k = \(k) exceeds experts = \(e)", key: "top_k") }
        guard t <= e else {
            throw ShapeError(message: "experts_touched = \(t) exceeds experts = \(e)", key: "experts_touched")
        }
    }
}

extension Op {
    /// An elementwise op that writes a whole prompt's cache (the generators
    /// name it `…kv_cache_write`: an MLA prefill storing its latent). Its
    /// output is cache, stored in the plan's `kv_cache` format.
    public var writesWholeKVCache: Bool { kind == .elementwise && name.hasSuffix("kv_cache_write") }

    /// That op, or a decode step's `…kv_cache_append`: its output goes to the cache.
    public var writesKVCache: Bool {
        kind == .elementwise && (name.hasSuffix("kv_cache_write") || name.hasSuffix("kv_cache_append"))
    }
}
