import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// `systolic.structured_sparsity` (SCALE-Sim's `SparsitySupport`): whether a sparse op's pruned MACs are skipped.
@Suite("N:M sparse ops run sparse only where the device skips pruned MACs, and the notes say when not")
struct StructuredSparsityRunTests {
    static func device(sparse: Bool) throws -> HardwareModel {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-sparse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("sparse.yaml").path
        let cfg = root.appendingPathComponent("Tests/HardwareTests/Fixtures/scale.cfg").path
        try "extends: \(cfg)\nsystolic:\n  structured_sparsity: \(sparse)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        return try HardwareLoader.load(file)
    }

    static let trace: Trace = {
        var sparse = Op(name: "pruned", kind: .gemm, dims: ["m": 256, "n": 256, "k": 1024])
        sparse.structuredSparsity = StructuredSparsity(n: 1, m: 4)
        let dense = Op(name: "dense", kind: .gemm, dims: ["m": 256, "n": 256, "k": 1024])
        return Trace(name: "sparse", ops: [sparse, dense])
    }()

    @Test("skipping: fewer cycles and a quarter of the MAC energy at 1:4; not skipping: the dense figures and a note")
    func skipOrNot() throws {
        let plan = try PrecisionPlan.load("int8")
        let on = try Simulator(hardware: try Self.device(sparse: true), plan: plan).run(Self.trace)
        let off = try Simulator(hardware: try Self.device(sparse: false), plan: plan).run(Self.trace)
        // Not skipped: the sparse op is the dense op, and the notes name it.
        #expect(off.ops[0].cycles == off.ops[1].cycles)
        #expect(off.ops[0].energy.compute == off.ops[1].energy.compute)
        #expect(off.notes.contains { $0.contains("1 matrix op declares N:M structured sparsity") }, "\(off.notes)")
        // Skipped: SCALE-Sim's condensed K' = K/4 layer, a quarter of the MAC energy, no note.
        #expect(on.ops[0].cycles < on.ops[1].cycles)
        let ratio = on.ops[0].energy.compute / on.ops[1].energy.compute
        #expect(abs(ratio - 0.25) < 1e-12, "\(ratio)")
        #expect(!on.notes.contains { $0.contains("structured sparsity") })
        #expect(on.ops[1].cycles == off.ops[1].cycles)
    }

    @Test("a GPU runs a sparse op dense and says so")
    func gpu() throws {
        let h100 = try HardwareLoader.load(root.appendingPathComponent("hardware/nvidia-h100-sxm5.yaml").path)
        let result = try Simulator(hardware: h100, plan: try PrecisionPlan.load("bf16")).run(Self.trace)
        #expect(result.notes.contains { $0.contains("lpsim models no sparse MACs on a gpu device") }, "\(result.notes)")
    }
}
