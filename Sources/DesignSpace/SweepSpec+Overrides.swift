import Documents
import Workload

extension SweepSpec {
    /// One warning per override of a precision axis's plan file that no op of any of the sweep's workloads
    /// takes (`OverrideUsage`), as `simulate` and `compare` warn: its formats would be used at no point.
    public var overrideWarnings: [Diagnostic] {
        plans.filter { !$0.overrides.isEmpty }.flatMap { plan in
            var usage = OverrideUsage(plan)
            for trace in traces { for op in trace.ops { usage.add(op) } }
            let names = traces.map(\.name)
            return usage.warnings(trace: names.count == 1 ? "workload '\(names[0])'"
                                  : "any of the \(names.count) workloads (\(names.joined(separator: ", ")))")
        }
    }
}
