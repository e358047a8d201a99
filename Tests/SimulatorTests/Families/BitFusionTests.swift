import Documents
import Formats
import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

@Suite("Bit Fusion: throughput scales with operand widths")
struct BitFusionTests {
    @Test("a Fusion Unit of 16 2-bit bricks: 1 MAC at 8×8, 2 at 8×4, 4 at 4×4, 16 at 2×2, ¼ at 16×16 (ISCA 2018)")
    func perUnit() throws {
        let spec = try #require(try device("bitfusion-16x32.yaml").spec as? BitFusionFamily)
        #expect(spec.macsPerUnit(weightBits: 8, inputBits: 8) == 1)
        #expect(spec.macsPerUnit(weightBits: 8, inputBits: 4) == 2)
        #expect(spec.macsPerUnit(weightBits: 2, inputBits: 8) == 4)
        #expect(spec.macsPerUnit(weightBits: 4, inputBits: 4) == 4)
        #expect(spec.macsPerUnit(weightBits: 2, inputBits: 2) == 16)
        #expect(spec.macsPerUnit(weightBits: 3, inputBits: 3) == 4)   // rounded up to 4-bit fusion
        #expect(spec.macsPerUnit(weightBits: 16, inputBits: 16) == 0.25)
        #expect(spec.macsPerUnit(weightBits: 16, inputBits: 8) == 0.5)
    }

    @Test("peaks follow the widths: 512 Fusion Units at 500 MHz")
    func peaks() throws {
        let model = try device("bitfusion-16x32.yaml")
        #expect(model.peakOpsPerSecond("int8") == 2 * 512 * 500e6)
        #expect(model.peakOpsPerSecond("int4") == 4 * 2 * 512 * 500e6)
        #expect(model.peakOpsPerSecond("int2") == 16 * 2 * 512 * 500e6)
    }

    @Test("narrower operands run a compute-bound GEMM faster and cost less energy per MAC")
    func faster() throws {
        let model = try device("bitfusion-16x32.yaml")
        let big = gemm(512, 512, 4096)
        func run(_ w: NumberFormat, _ a: NumberFormat) throws -> SimulationResult {
            let p = PrecisionPlan(name: "w\(w)a\(a)", defaults: [.weight: w, .input: a, .output: "int32", .accumulator: "int32"])
            return try Simulator(hardware: model, plan: p).run(big)
        }
        let w8a8 = try run("int8", "int8"), w4a8 = try run("int4", "int8"), w4a4 = try run("int4", "int4")
        let w2a2 = try run("int2", "int2")
        #expect(w4a8.ops[0].computeCycles < w8a8.ops[0].computeCycles * 0.6)
        #expect(w4a4.ops[0].computeCycles < w4a8.ops[0].computeCycles * 0.6)
        #expect(w2a2.ops[0].computeCycles < w4a4.ops[0].computeCycles * 0.3)
        #expect(w4a8.mapping(of: w4a8.ops[0]).hasPrefix("fused w4a8 (2 MACs/unit)"))
        let cost = DatapathCost(model: model)
        #expect(cost.perMAC("int4").energyPicojoules < cost.perMAC("int8").energyPicojoules / 2)
    }

    @Test("a floating-point format on a Bit Fusion array is an error at the format")
    func integersOnly() throws {
        let text = try String(contentsOf: root.appendingPathComponent("hardware/bitfusion-16x32.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "formats: [int8,", with: "formats: [fp8_e4m3, int8,")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bitfusion-fp-\(getpid()).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect { try HardwareLoader.load(file.path) } throws: { error in
            let d = error as? Diagnostic
            return d?.message.contains("'fp8_e4m3' is not an integer format") == true && d?.line != nil
        }
    }
}
