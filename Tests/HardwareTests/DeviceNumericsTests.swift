import Foundation
import Formats
import Testing
@testable import Hardware

@Suite("Device numerics")
struct DeviceNumericsTests {
    /// A shipped device file, loaded from the package's `hardware/`.
    static func device(_ name: String) throws -> HardwareModel {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try HardwareLoader.load(root.appendingPathComponent("hardware/" + name).path)
    }

    /// An unsigned activation format is studied with its mid-range zero point
    /// (codes less 2^(N−1)): the same grid as the signed format of its width,
    /// not N(0, 1) clipped at zero, which gave an ONNX model's uint8 row 1.55 dB.
    @Test("uint8 activations are studied with their zero point: the int8 grid's error, not half the samples clipped")
    func unsignedActivations() throws {
        let a100 = try Self.device("nvidia-a100-sxm4-80gb.yaml")
        let numerics = DeviceNumerics(model: a100)
        let unsigned = try #require(numerics.errors(weightFormat: "int8", inputFormat: "uint8", length: 64))
        let signed = try #require(numerics.errors(weightFormat: "int8", inputFormat: "int8", length: 64))
        #expect(unsigned.output.qsnrDecibels == signed.output.qsnrDecibels)
        #expect(unsigned.output.qsnrDecibels > 25, "\(unsigned.output.qsnrDecibels) dB")
        #expect(NumberFormat("uint4").zeroPointShifted == "int4" && NumberFormat("fp8_e4m3").zeroPointShifted == nil)
    }

    /// The error a GPU's integer MMA makes is that of the INT32 accumulator its cost is priced with
    /// (`GPUFamily.integerAccumulatorBits`), not the file's FP32 float accumulator.
    @Test("a GPU's integer operands accumulate in INT32 in the error study too; float operands keep FP32")
    func gpuIntegerAccumulator() throws {
        let h100 = try Self.device("nvidia-h100-sxm5.yaml")
        let numerics = DeviceNumerics(model: h100)
        #expect(numerics.arithmetic(for: "int8")?.accumulator == .integer(bits: 32, saturating: false))
        let float = try #require(numerics.arithmetic(for: "bf16")?.accumulator)
        if case .float(let f) = float { #expect(f.exponentBits == 8 && f.mantissaBits == 23) }
        else { Issue.record("bf16 accumulates in \(float)") }
        // INT32 holds K = 65536 int8 products (32 bits needed, AM004's bound); K = 2^20 needs 36.
        #expect(numerics.accumulatorBitsNeeded(format: "int8", length: 65536) == nil)
        #expect(numerics.accumulatorBitsNeeded(format: "int8", length: 1 << 20) == 36)
        // The file's promotion interval (the FP8 path's) does not reach the INT32 accumulation.
        var promoted = h100
        promoted.datapath.promotionInterval = 128
        let p = DeviceNumerics(model: promoted)
        #expect(p.arithmetic(for: "int8")?.promotionInterval == nil)
        #expect(p.arithmetic(for: "fp8_e4m3")?.promotionInterval == 128)
        #expect(p.accumulatorBitsNeeded(format: "int8", length: 1 << 20) == 36)
    }

    /// An FPGA's LUT-built minifloat MACs carry a fixed-point accumulator wide enough for their products
    /// (`FPGAResources`), so their error study sums exactly, where the file's int48 (the DSP48E2's, for the
    /// DSP-packed integers) has no emulation of minifloat products.
    @Test("an FPGA's LUT minifloat MACs accumulate exactly; its DSP-packed int8 keeps the file's int48")
    func fpgaExactAccumulation() throws {
        let u250 = try Self.device("xilinx-alveo-u250-lut-macs.yaml")
        let numerics = DeviceNumerics(model: u250)
        #expect(numerics.arithmetic(for: "fp8_e4m3")?.accumulator == .exact)
        #expect(numerics.arithmetic(for: "fp4_e2m1")?.accumulator == .exact)
        #expect(numerics.arithmetic(for: "int8")?.accumulator == .integer(bits: 48, saturating: false))
        #expect(!numerics.floatsFeedIntegerAccumulator(format: "fp8_e4m3"))
        #expect(numerics.noEmulation(for: "fp8_e4m3") == nil)
        let fp8 = try #require(numerics.errors(weightFormat: "fp8_e4m3", inputFormat: "fp8_e4m3", length: 1024))
        #expect(fp8.output.qsnrDecibels > 20 && fp8.output.qsnrDecibels < fp8.weight.qsnrDecibels)
        // The weight's arithmetic sums a mixed pair: fp8 weights accumulate exactly against int8 inputs;
        // int8 weights feed fp8 products into the DSPs' int48, which is said, not left as a bare n/a.
        #expect(numerics.integerAccumulatorFedFloats(weight: "fp8_e4m3", input: "int8") == nil)
        #expect(numerics.errors(weightFormat: "fp8_e4m3", inputFormat: "int8", length: 64) != nil)
        #expect(numerics.integerAccumulatorFedFloats(weight: "int8", input: "fp8_e4m3") == 48)
        #expect(numerics.errors(weightFormat: "int8", inputFormat: "fp8_e4m3", length: 64) == nil)
        #expect(numerics.noEmulation(weight: "int8", input: "fp8_e4m3")
                == "int8 × fp8_e4m3 products summed in the int48 accumulator are not emulated")
        #expect(numerics.noEmulation(weight: "int8", input: "int8") == nil)
        // Block minifloats keep the file's accumulator: their scales widen the range past the priced one.
        #expect(!u250.spec.accumulatesExactly("mxfp8") && u250.spec.accumulatesExactly("fp6_e2m3"))
        // Without LUT MACs the same file's minifloats would have no units; a DSP-only U250 runs no fp8.
        let dspOnly = try Self.device("xilinx-alveo-u250.yaml")
        #expect(!DeviceNumerics(model: dspOnly).model.spec.accumulatesExactly("fp8_e4m3"))
    }
}
