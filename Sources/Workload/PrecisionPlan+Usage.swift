import Documents

/// Which overrides of a precision plan the ops of a trace take, so that an
/// override no op takes is a warning rather than silence.
///
/// An override is taken by an op when it is the first override that
/// matches the op (first match wins, as in `PrecisionPlan.formats(for:)`).
/// One that no op takes changes nothing: its glob names no op of this trace
/// (`layers.*.mlp.*` where the ops are `layers.mlp.gate_proj`), its kind is
/// absent (`conv2d` on a transformer), or an earlier override takes every
/// op it matches. A plan meant for another trace is legitimate, so this is
/// a warning, not an error.
///
/// Only a plan file's overrides are checked: a built-in plan's (attention
/// in BF16 under `fp8`) are meant for any trace, a CNN's too.
///
/// Fed one op at a time (a streamed trace is never held); once every
/// override is taken, `add` returns at once.
public struct OverrideUsage: Sendable {
    let plan: PrecisionPlan
    private(set) var taken: [Bool]
    private var remaining: Int
    /// The first matrix product's name (else the first op's), as an example in the warning.
    private var example: String?
    private var exampleIsMatrix = false

    public init(_ plan: PrecisionPlan) {
        self.plan = plan
        taken = Array(repeating: false, count: plan.overrides.count)
        remaining = plan.overrideSources.isEmpty ? 0 : plan.overrides.count
    }

    /// Records which override, if any, `op` takes.
    public mutating func add(_ op: Op) {
        guard remaining > 0 else { return }
        if !exampleIsMatrix, example == nil || op.kind.isMatrixProduct {
            example = op.name
            exampleIsMatrix = op.kind.isMatrixProduct
        }
        guard let i = plan.overrides.firstIndex(where: { $0.matches(op) }), !taken[i] else { return }
        taken[i] = true
        remaining -= 1
    }

    /// One warning per override that no op took, at the override in its plan file.
    ///
    /// - Parameter trace: how to name the trace in the message (its file).
    public func warnings(trace: String) -> [Diagnostic] {
        guard !plan.overrideSources.isEmpty else { return [] }
        return plan.overrides.indices.filter { !taken[$0] }.map { i in
            let o = plan.overrides[i]
            var selector: [String] = []
            if let name = o.namePattern { selector.append("name '\(name)'") }
            if let kind = o.kind { selector.append("kind \(kind.rawValue)") }
            let names = example.map { "; op names in it look like '\($0)'" } ?? ""
            let message = "no op of \(trace) takes this override (\(selector.joined(separator: ", "))): "
                + "none matches it, or an earlier override takes each op it matches, so its formats are "
                + "never used" + (o.namePattern != nil ? names : "")
            var d = i < plan.overrideSources.count ? plan.overrideSources[i]
                : Diagnostic(file: plan.name, keyPath: "overrides[\(i)]", message: "", severity: .warning)
            d.message = message
            return d
        }
    }
}

/// Positions of a plan's overrides in its file. Two plans with the same
/// assignments are equal wherever they were written (a plan written out and
/// read back, a sweep's cache keys), so these compare equal and hash to nothing.
struct OverrideLocations: Sendable, Hashable {
    var items: [Diagnostic] = []
    static func == (_: OverrideLocations, _: OverrideLocations) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

extension PrecisionPlan {
    /// Where each of `overrides` was written in its plan file (a warning with no
    /// message yet), for `OverrideUsage`; empty for a built-in plan.
    public var overrideSources: [Diagnostic] {
        get { overrideLocations.items }
        set { overrideLocations.items = newValue }
    }
}
