import Foundation
import Testing

@testable import Workload

/// A DeepSeek config that lost `n_routed_experts` is a dense model: the trace says so (silence is a bug).
@Suite("DeepSeek configs without routed experts warn that they are dense")
struct DeepSeekDenseWarningTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func config(dropping keys: Set<String>) throws -> TransformerConfig {
        let url = Self.root.appendingPathComponent("workloads/configs/deepseek-v3/config.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        for k in keys { json.removeValue(forKey: k) }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ds-\(UUID().uuidString).json")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try TransformerConfig.load(file.path)
    }

    @Test("the shipped DeepSeek-V3 config is MoE and carries no dense warning")
    func shippedIsMoE() throws {
        let c = try config(dropping: [])
        #expect(c.moe != nil)
        #expect(!c.warnings.contains { $0.message.contains("n_routed_experts") })
    }

    @Test("without n_routed_experts every layer is dense, and a warning says so")
    func droppedIsDenseAndSaysSo() throws {
        let c = try config(dropping: ["n_routed_experts"])
        #expect(c.moe == nil)
        #expect(c.warnings.contains { $0.severity == .warning && $0.message.contains("no 'n_routed_experts'") })
    }
}
