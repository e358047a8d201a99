import Hardware
import Testing

@testable import Reports

/// XLA's profiled dots are CUPTI kernel durations (`xla/tools/matmul_perf_table_gen.cc`,
/// `getMedianKernelTimeNs`): the model's figure for them leaves out the launch gap it adds to
/// every op, and every other row (periods of back-to-back calls) keeps it.
@Suite("kernel-only timings are compared without the launch gap")
struct KernelTimeValidationTests {
    static func load(_ file: String) throws -> HardwareModel {
        try HardwareLoader.load(GEMMValidationTests.hardware + "/" + file)
    }

    @Test("every XLA row, and only the XLA rows, is a kernel-only timing")
    func xlaRowsOnly() {
        let all = GEMMMeasurements.largeGEMM + GEMMMeasurements.shortestKernel + GEMMMeasurements.heldOut
            + GEMMMeasurements.xla
        for p in all { #expect(p.kernelOnly == p.source.contains("openxla/xla"), "\(p.source)") }
    }

    @Test("the 256³ fit holds kernel to kernel; with the launch gap counted it would be about 9% slow")
    func calibrationNeedsKernelTime() throws {
        for p in GEMMMeasurements.shortestKernel {
            let kernel = try ModelValidation.simulatedTFLOPS(p, device: Self.load)
            #expect(abs(kernel / p.tflops - 1) < 0.01, "\(p.device): \(kernel) against \(p.tflops)")
            var period = p
            period.kernelOnly = false
            let withGap = try ModelValidation.simulatedTFLOPS(period, device: Self.load)
            #expect(withGap / p.tflops - 1 < -0.08, "\(p.device): \(withGap) against \(p.tflops)")
        }
    }
}
