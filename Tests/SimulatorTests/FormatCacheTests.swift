import Foundation
import Testing
import Workload
@testable import Simulator

@Suite("Per-run format cache")
struct FormatCacheTests {
    /// The cache answers per kind where a plan selects by kind only; the
    /// readable `PrecisionPlan.roleFormats(for:)` is its oracle, op by op.
    /// The Llama decode trace writes its KV cache from an elementwise op
    /// named `…kv_cache_append` beside plain elementwise ops (residuals, the
    /// MLP activation), and the fp8-kv-cache plan stores that output in FP8:
    /// two ops of one kind with different formats.
    @Test("every op's resolved formats are the plan's formats for that op",
          arguments: [("llama-2-7b-decode-2048.yaml", "workloads/plans/fp8-kv-cache.yaml"),
                      ("llama-2-7b-decode-2048.yaml", "w4a16"),
                      ("mixtral-8x7b-decode-b32-2048.yaml", "workloads/plans/fp8-kv-cache.yaml"),
                      ("resnet50.yaml", "workloads/plans/mixed-int8-fp8-attention.yaml")])
    func matchesPlan(file: String, precision: String) throws {
        let path = root.appendingPathComponent("workloads/\(file)").path
        let planPath = precision.hasSuffix(".yaml") ? root.appendingPathComponent(precision).path : precision
        let plan = try PrecisionPlan.load(planPath)
        let trace = try TraceReader.load(path)
        let result = try Simulator(hardware: try device("nvidia-h100-sxm5.yaml"), plan: plan).run(trace, traceFile: path)
        #expect(result.ops.count == trace.ops.count)
        var differing: [String] = []
        for (op, r) in zip(trace.ops, result.ops) where result.formats(of: r) != plan.roleFormats(for: op) {
            differing.append(op.name)
        }
        #expect(differing.isEmpty, "ops resolved to formats their plan does not give them: \(differing.prefix(5))")
    }
}
