import Arithmetic
import Foundation
import Formats
import Testing

@testable import Hardware

/// Tensor cores are k-term dot-product units (Fasi et al., PeerJ CS 2021;
/// Khattak & Mikaitis, arXiv 2512.07004), and their integer MMAs accumulate in
/// INT32 (A100 whitepaper; PTX ISA `mma` with `.s32` C and D). These checks
/// follow from those sources, not from the figures the model prints.
@Suite("Tensor-core dot-product units")
struct TensorCoreDotProductTests {
    static let gpuFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent(
            "hardware").path)) ?? []
        return names.filter { name in
            name.hasSuffix(".yaml") && ((try? HardwareLoader.load(hardwarePath(name)))?.family == "gpu")
        }.sorted()
    }()

    @Test("the shipped GPU files are found")
    func found() {
        #expect(Self.gpuFiles.count >= 9, "\(Self.gpuFiles)")
    }

    /// Without `dot_product_lanes` every tensor-core MAC was a scalar
    /// multiplier with an FP32 adder of its own.
    @Test("every tensor-core MAC of a shipped GPU is a share of a multi-lane dot-product unit", arguments: gpuFiles)
    func unitsOnEveryGPU(_ file: String) throws {
        let model = try HardwareLoader.load(hardwarePath(file))
        guard model.datapath.multiplier != .binary else { return }   // bit decomposition keeps its own pricing
        let cost = DatapathCost(model: model)
        for format in model.executableFormats {
            let lanes = cost.dotProductUnit(for: format)?.lanes
            #expect(lanes != nil && lanes! > 1, "\(file) \(format)")
        }
    }

    @Test("A100 integer and binary MMAs sum in INT32, its float MMAs in FP32 (A100 whitepaper)")
    func a100Accumulators() throws {
        let cost = DatapathCost(model: try HardwareLoader.load(hardwarePath("nvidia-a100-sxm4-80gb.yaml")))
        for format: NumberFormat in ["int8", "int4", "binary"] {
            #expect(cost.dotProductUnit(for: format)?.accumulator == .integer(bits: 32), "\(format)")
        }
        for format: NumberFormat in ["bf16", "fp16", "tf32"] {
            #expect(cost.dotProductUnit(for: format)?.accumulator == .float(exponentBits: 8, mantissaBits: 23))
        }
    }

    @Test("outside GPUs an FP accumulator stays the file's for integer-element formats")
    func otherFamiliesKeepTheirs() throws {
        let cost = DatapathCost(model: try HardwareLoader.load(hardwarePath("mx-array-7nm.yaml")))
        #expect(cost.dotProductUnit(for: "mxint8")?.accumulator == .float(exponentBits: 8, mantissaBits: 23))
    }

    /// The A100 runs INT1 at 8× its INT8 rate on the same tensor cores
    /// (whitepaper Table 2), and a 1-bit product is one of the 64 bit pairs of
    /// an 8 × 8-bit one: the binary mode's MACs cannot need more silicon than
    /// the INT8 mode's. Priced as scalar MACs with an FP32 adder each they
    /// needed 382 mm² against 51.
    @Test("the A100's binary MACs need no more array than its INT8 MACs")
    func a100BinaryArray() throws {
        let cost = DatapathCost(model: try HardwareLoader.load(hardwarePath("nvidia-a100-sxm4-80gb.yaml")))
        let binary = cost.arrayAreaSquareMillimetres("binary"), int8 = cost.arrayAreaSquareMillimetres("int8")
        #expect(binary > 0 && binary <= int8, "binary \(binary) mm², int8 \(int8) mm²")
        #expect(cost.perMAC("binary").areaSquareMicrometres < cost.perMAC("int4").areaSquareMicrometres)
        #expect(cost.perMAC("int4").areaSquareMicrometres < cost.perMAC("int8").areaSquareMicrometres)
    }

    /// The FP8 accumulation model groups the products the unit is priced
    /// for: 32 on H100, as measured (H100TC.m fma = 32; HopperMMATests), and
    /// the 14 kept bits of the file price its tree.
    @Test("H100 FP8: the priced unit and the numerics use the same 32-product group and 14 kept bits")
    func h100FP8() throws {
        let model = try HardwareLoader.load(hardwarePath("nvidia-h100-sxm5.yaml"))
        let unit = DatapathCost(model: model).dotProductUnit(for: "fp8_e4m3")
        #expect(unit?.lanes == 32 && unit?.keptBits == 14)
        let arithmetic = try #require(DeviceNumerics(model: model).arithmetic(for: "fp8_e4m3"))
        #expect(arithmetic.accumulator == .alignedTruncating(keptBits: 14, groupSize: 32))
    }
}
