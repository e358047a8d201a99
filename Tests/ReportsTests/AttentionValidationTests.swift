import Foundation
import Hardware
import Testing

@testable import Reports

/// The fused-attention path against FlashAttention-3's published forward throughput (held out).
@Suite("Fused attention validation: FlashAttention-3 forward on H100, held out")
struct AttentionValidationTests {
    static let hardware = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("hardware").path
    static func load(_ file: String) throws -> HardwareModel { try HardwareLoader.load(hardware + "/" + file) }

    @Test("every attention row is held out and within 25%, causal and not, 512 to 16k tokens")
    func within25() throws {
        let sections = try ModelValidation.deviceSections(device: Self.load)
        let rows = try #require(sections.first { $0.0 == ModelValidation.attentionTitle }?.1)
        #expect(rows.count == AttentionMeasurements.heldOut.count)
        #expect(rows.contains { $0.quantity.hasSuffix("causal") } && rows.contains { !$0.quantity.hasSuffix("causal") })
        for row in rows {
            #expect(row.basis == .heldOut && row.passes, "\(row.quantity): \(row.lpsim) against \(row.published)")
        }
    }

    @Test("run without skipping masked blocks, the causal rows would miss by more than 40%")
    func maskMatters() throws {
        for p in AttentionMeasurements.heldOut where p.causal && p.seq >= 2048 {
            var dense = p
            dense.causal = false
            // The dense kernel's time under the causal benchmark's (halved) FLOP count.
            let tflops = try ModelValidation.simulatedAttentionTFLOPS(dense, device: Self.load) / 2
            #expect(tflops / p.tflops - 1 < -0.4, "seq \(p.seq): \(tflops) against \(p.tflops)")
        }
    }
}
