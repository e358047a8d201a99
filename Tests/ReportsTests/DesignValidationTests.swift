import Foundation
import Testing

@testable import Reports

/// The held-out FPGA rows of `reports/model-validation.md`: published FINN
/// designs beside the dataflow model, each within its tolerance, none fitted.
@Suite("FPGA design validation: held-out rows")
struct DesignValidationTests {
    static let hardware = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("hardware").path

    @Test("finn-examples CNV-w1a1 and TFC-w1a1 on the ZCU104 are held out and within 25%")
    func finnExamples() throws {
        let (_, rows) = try FPGADesignValidation.rows(hardwareDirectory: Self.hardware)
        let finn = rows.filter { $0.quantity.hasPrefix("finn-examples") }
        #expect(finn.count == 2)
        for row in finn {
            #expect(row.basis == .heldOut, "\(row.quantity)")
            #expect(row.passes, "\(row.quantity): \(row.error)")
        }
        // TFC: clock / the 64-bit input DMA's 98 cycles, against the notebook's 837,019 images/s.
        let tfc = try #require(finn.first { $0.quantity.contains("TFC") })
        #expect(abs(tfc.lpsim - 100e6 / 98 / 1e3) < 1e-9)
        #expect(tfc.note.contains("bottleneck input DMA"))
    }
}
