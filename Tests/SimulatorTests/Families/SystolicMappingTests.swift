import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

@Suite("Systolic mapping: the best dataflow per op")
struct SystolicMappingTests {
    /// The 32×32 array with its dataflow set to `dataflow`.
    func array(_ dataflow: SystolicFamily.Dataflow) throws -> HardwareModel {
        var model = try device("scale-sim-32x32.yaml")
        var spec = try #require(model.spec as? SystolicFamily)
        spec.dataflow = dataflow
        model.spec = spec
        return model
    }

    @Test("`best` picks, on every ResNet-50 layer, the fastest of os, ws and is, and names it")
    func bestIsFastest() throws {
        let trace = try workload("resnet50.yaml")
        let int8 = try plan("int8")
        let best = try Simulator(hardware: try array(.best), plan: int8).run(trace)
        let each = try [SystolicFamily.Dataflow.os, .ws, .is].map {
            ($0.rawValue, try Simulator(hardware: try array($0), plan: int8).run(trace))
        }
        var differ = 0
        for (i, op) in best.ops.enumerated() where op.kind.isMatrixProduct {
            if Set(each.map { $0.1.ops[i].cycles }).count > 1 { differ += 1 }
            let fastest = each.min { $0.1.ops[i].cycles < $1.1.ops[i].cycles }!
            #expect(op.cycles == fastest.1.ops[i].cycles, "\(op.name)")
            let name = best.mapping(of: op)
            #expect(each.contains { "best: " + $0.0 == name && $0.1.ops[i].cycles == op.cycles }, "\(op.name): \(name)")
        }
        // The choice matters: on many layers the three dataflows take different times.
        #expect(differ >= 20, "\(differ) layers where the dataflows differ")
        #expect(best.cycles <= each.map(\.1.cycles).min()!)
    }

    @Test("each op names its dataflow in the per-op mapping")
    func named() throws {
        let r = try Simulator(hardware: try array(.ws), plan: try plan("int8")).run(gemm(64, 64, 64))
        #expect(r.mapping(of: r.ops[0]) == "ws")
    }
}
