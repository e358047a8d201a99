import Documents
import Foundation
import Hardware
import Testing

@testable import Simulator

/// A systolic array's buffers are on-chip memory: larger than the file's on-chip levels, the SCALE-Sim
/// counts (from the buffers) and the area and energy (from the levels) would describe two devices.
@Suite("systolic.buffers fit the device's on-chip memory")
struct SystolicBufferCapacityTests {
    @Test("64 MiB of ifmap buffer on the 192 KiB SCALE-Sim array is refused at systolic.buffers")
    func oversizedBuffersAreRefused() throws {
        let text = try String(contentsOf: root.appendingPathComponent("hardware/scale-sim-32x32.yaml"), encoding: .utf8)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("buf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.yaml"), fits = dir.appendingPathComponent("fits.yaml")
        try text.replacingOccurrences(of: "    ifmap: 64 KiB", with: "    ifmap: 64 MiB")
            .write(to: big, atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "    ifmap: 64 KiB", with: "    ifmap: 32 KiB")
            .write(to: fits, atomically: true, encoding: .utf8)
        do {
            _ = try HardwareLoader.load(big.path)
            Issue.record("accepted")
        } catch let d as Diagnostic {
            #expect(d.description.contains("systolic.buffers") && d.description.contains("192.0 KiB"), "\(d)")
            #expect(d.line != nil)
        }
        _ = try HardwareLoader.load(fits.path)
    }
}
