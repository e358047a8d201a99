import Documents
import Workload

extension SweepSpec {
    /// One warning per override of a precision axis's plan file that no op of the workloads the plan runs
    /// with takes (`OverrideUsage`), as `simulate` and `compare` warn: its formats would be used at no point.
    /// A plan zipped with the workload axis (`zip: {precision: …, workload: …}`) runs with its own
    /// workload only, so only that one can take its overrides; otherwise every workload can.
    public var overrideWarnings: [Diagnostic] {
        let paired = pairsPlansWithWorkloads
        return plans.indices.filter { !plans[$0].overrides.isEmpty }.flatMap { p in
            var usage = OverrideUsage(plans[p])
            let runs = paired ? [traces[p]] : traces
            for trace in runs { for op in trace.ops { usage.add(op) } }
            let names = runs.map(\.name)
            return usage.warnings(trace: names.count == 1 ? "workload '\(names[0])'"
                                  : "any of the \(names.count) workloads (\(names.joined(separator: ", ")))")
        }
    }

    /// Whether the precision and workload axes are one `zip` dimension: point i runs plan i on trace i.
    var pairsPlansWithWorkloads: Bool {
        dimensions.contains { d in
            d.axes.contains { $0.target == .precision } && d.axes.contains { $0.target == .workload }
        }
    }
}
