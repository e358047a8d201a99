import DesignSpace
import Foundation
import Hardware
import Testing
import Workload

/// The size objective is the model's weight bytes: the decode step's KV cache is not in it, and every expert
/// of an MoE layer is, as `trace summary`'s parameter count (an independent sum over `parameterShare`) says.
@Suite("search --objective size counts the model's weights, not the KV cache")
struct SearchSizeObjectiveTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func sizeAndParameters(_ workload: String, device: String) throws -> (bytes: Double, parameters: Double) {
        let file = Self.root.appendingPathComponent(workload).path
        let trace = try TraceReader.load(file)
        let hardware = try HardwareLoader.load(Self.root.appendingPathComponent(device).path)
        let bf16 = try PrecisionPlan.load("bf16")
        let table = try LayerCostTable(hardware: hardware, trace: trace, traceFile: file, candidates: [bf16])
        var summary = TraceSummary()
        for op in trace.ops { try summary.add(op, plan: bf16) }
        return (table.size.reduce(0) { $0 + $1[0] }, Double(summary.parameters))
    }

    @Test("decode steps in bf16: two bytes per parameter, every expert, no KV cache",
          arguments: ["workloads/llama-2-7b-decode-2048.yaml", "workloads/mixtral-8x7b-decode-b32-2048.yaml"])
    func twoBytesPerParameter(workload: String) throws {
        let (bytes, parameters) = try sizeAndParameters(workload, device: "hardware/nvidia-h200-sxm.yaml")
        #expect(abs(bytes / (2 * parameters) - 1) < 1e-9, "\(bytes) bytes for \(parameters) parameters")
    }
}
