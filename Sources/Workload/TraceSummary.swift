import Formats

/// Totals of a trace under a precision plan: MACs, parameters (total and
/// active per token), other operations, and bytes per role and per format.
public struct TraceSummary: Sendable {
    public var ops = 0
    public var macs: Int64 = 0
    /// Parameter numerators by denominator (`ParameterShare`): 1 for
    /// ordinary ops, `experts_touched` for routed experts.
    var parameterShares: [Int64: (total: Int64, active: Int64)] = [:]
    public var otherOps: Int64 = 0
    public var bytesByRole: [OperandRole: Double] = [:]
    public var bytesByFormat: [String: Double] = [:]

    public init() {}

    /// Every parameter the model owns (all experts).
    public var parameters: Int64 { parameterShares.reduce(0) { $0 + $1.value.total / $1.key } }
    /// The parameters one token uses: routed experts counted `top_k` per
    /// layer, everything else in full (embeddings included, as the Mixtral,
    /// Qwen and DeepSeek model cards count them). Equal to `parameters` for dense models.
    public var activeParameters: Int64 { parameterShares.reduce(0) { $0 + $1.value.active / $1.key } }

    /// Adds one op (all its repetitions).
    ///
    /// - Throws: `ShapeError` when a total overflows 64 bits.
    public mutating func add(_ op: Op, plan: PrecisionPlan) throws(ShapeError) {
        let c = try op.counts()
        let r = Int64(op.repeatCount)
        func add(_ a: inout Int64, _ b: Int64) throws(ShapeError) {
            let (p, o1) = b.multipliedReportingOverflow(by: r)
            let (s, o2) = a.addingReportingOverflow(p)
            if o1 || o2 { throw ShapeError(message: "a trace total overflows 64 bits", key: nil) }
            a = s
        }
        ops += 1
        try add(&macs, c.macs)
        try add(&otherOps, c.otherOps)
        let share = try op.parameterShare()
        var entry = parameterShares[share.denominator] ?? (0, 0)
        let (t, o1) = entry.total.addingReportingOverflow(share.total)
        let (a, o2) = entry.active.addingReportingOverflow(share.active)
        if o1 || o2 { throw ShapeError(message: "a trace total overflows 64 bits", key: nil) }
        entry = (t, a)
        parameterShares[share.denominator] = entry
        let formats = plan.formats(for: op)
        // Attention's weight operand is the KV cache: counted under its own role.
        let cacheRole: OperandRole = op.kind.readsKVCache ? .kvCache : .weight
        let operands = [(cacheRole, c.weightElements), (OperandRole.input, c.inputElements),
                        (.output, c.outputElements)]
        for (role, elements) in operands {
            let format = formats[role == .kvCache ? .weight : role] ?? "fp32"
            let name = format.name, bits = format.bitsPerElement
            let bytes = Double(elements) * Double(r) * bits / 8
            bytesByRole[role, default: 0] += bytes
            bytesByFormat[name, default: 0] += bytes
        }
    }

    public static func of(_ trace: Trace, plan: PrecisionPlan) throws(ShapeError) -> TraceSummary {
        var s = TraceSummary()
        for op in trace.ops { try s.add(op, plan: plan) }
        return s
    }
}
