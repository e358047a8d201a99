import Formats

/// Totals of a trace under a precision plan: MACs, parameters, other
/// operations, and bytes per role and per format.
public struct TraceSummary: Sendable {
    public var ops = 0
    public var macs: Int64 = 0
    public var parameters: Int64 = 0
    public var otherOps: Int64 = 0
    public var bytesByRole: [OperandRole: Double] = [:]
    public var bytesByFormat: [String: Double] = [:]

    public init() {}

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
        try add(&parameters, c.parameters)
        let formats = plan.formats(for: op)
        for (role, elements) in [(OperandRole.weight, c.weightElements), (.input, c.inputElements), (.output, c.outputElements)] {
            let name = formats[role] ?? "fp32"
            let bits = (try? FormatCatalog.format(named: name).bitsPerElement) ?? 32
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
