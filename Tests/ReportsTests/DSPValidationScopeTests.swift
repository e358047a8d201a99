import Hardware
import Simulator
import Testing

@testable import Reports

/// The Hexagon rows: an NPU whose matrix unit the DSP family lacks (shown, never counted) and a held-out
/// HVX kernel on a device file written from citations before the comparison.
@Suite("DSP design validation: the HMX-measured row is out of scope, the HVX kernel is held out")
struct DSPValidationScopeTests {
    @Test("the Snapdragon 8 Gen 2 row is out of scope and left out of the count")
    func hexagonRowNotCounted() throws {
        let (_, rows) = try DSPDesignValidation.rows(hardwareDirectory: DesignValidationTests.hardware)
        let row = try #require(rows.first { $0.quantity.contains("Snapdragon 8 Gen 2") })
        #expect(row.basis == .outOfScope && !row.basis.isCounted)
        #expect(row.note.contains("HMX"))
    }

    @Test("the TVM vrmpy dense row is held out, counted, and names its device file")
    func tvmDenseRowHeldOut() throws {
        let (_, rows) = try DSPDesignValidation.rows(hardwareDirectory: DesignValidationTests.hardware)
        let row = try #require(rows.first { $0.quantity.contains("vrmpy dense") })
        #expect(row.basis == .heldOut && row.basis.isCounted)
        #expect(row.device == "qualcomm-sd888-cdsp-hvx.yaml" && row.published == 440)
    }

    /// Halide PR #1825's loop: 32 `vrmpy` in 19 packets. lpsim's figure follows from the file's slot classes and
    /// the engine's one vector load per vector MAC: the one HVX load pipe (`load_store: 1`) allows one `vrmpy` a
    /// packet, whatever the clock, thread clock or context count, which the row divides out.
    @Test("the Halide packet row is held out, clock-free, and lpsim issues one vrmpy per packet on the SD888 file")
    func halideLoopRowHeldOut() throws {
        let (_, rows) = try DSPDesignValidation.rows(hardwareDirectory: DesignValidationTests.hardware)
        let row = try #require(rows.first { $0.quantity.contains("Halide vrmpy matmul inner loop") })
        #expect(row.basis == .heldOut && row.basis.isCounted)
        #expect(row.device == "qualcomm-sd888-cdsp-hvx.yaml" && row.published == 32.0 / 19)
        let device = try HardwareLoader.load(DesignValidationTests.hardware + "/qualcomm-sd888-cdsp-hvx.yaml")
        let slots = try #require((device.spec as? DSPFamily)?.slotClasses)
        #expect(abs(row.lpsim - Double(slots.loadStore)) < 1e-9, "\(row.lpsim) vrmpy per packet")
    }

    /// The file's int8 peak from its own citations: 4 HVX contexts × 32 lanes × 4 vrmpy products per cycle
    /// at the estimated 1.2 GHz core clock (the dot-product rate replaces the lane rate). The contexts issue
    /// at the 600 MHz thread clock (clock / 2, LLVM's BSB rule), so the file warns they sustain 50% of that peak.
    @Test("the SD888 file's int8 peak is four contexts of 128-MAC vrmpy per core cycle, with a thread-clock warning")
    func sd888Peak() throws {
        let device = try HardwareLoader.load(DesignValidationTests.hardware + "/qualcomm-sd888-cdsp-hvx.yaml")
        let peak = try #require(device.peakOpsPerSecond("int8"))
        #expect(abs(peak / (2 * 4 * 128 * 1.2e9) - 1) < 1e-9)
        #expect(device.warnings.contains {
            $0.contains("qualcomm-sd888-cdsp-hvx.yaml:79:17: warning: dsp.thread_clock:") && $0.contains("50%")
        }, "\(device.warnings)")
    }
}
