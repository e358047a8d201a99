import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// SCALE-Sim's own scale.cfg (32×32 ws, 64 KiB, CALC) with the CALC fixture's layers run on that array.
@Suite("A SCALE-Sim .cfg and its layers: SCALE-Sim's cycles, with energy and area per format")
struct ScaleSimConfigRunTests {
    static let runs = ScaleSimRun.load("scalesim-cycles.json").filter {
        $0.rows == 32 && $0.columns == 32 && $0.dataflow == .ws
    }

    static func op(_ run: ScaleSimRun) -> Op {
        let d = run.dims
        if run.kind == "gemm" {
            return Op(name: run.layer, kind: .gemm, dims: ["m": d["m"]!, "n": d["n"]!, "k": d["k"]!])
        }
        return Op(name: run.layer, kind: .conv2d,
                  dims: ["h": d["h"]!, "w": d["w"]!, "r": d["r"]!, "s": d["s"]!, "c": d["c"]!, "k": d["k"]!,
                         "stride": d["stride"]!, "ceil_mode": 1])
    }

    @Test("each layer's cycles and access counts are SCALE-Sim's; energy and area come per format")
    func run() throws {
        try #require(Self.runs.count >= 5)
        let device = try HardwareLoader.load(root.appendingPathComponent("Tests/HardwareTests/Fixtures/scale.cfg").path)
        let trace = Trace(name: "fixture layers", ops: Self.runs.map(Self.op))
        var energies: [String: Double] = [:]
        for plan in ["int8", "fp8", "int4"] {
            let result = try Simulator(hardware: device, plan: try PrecisionPlan.load(plan)).run(trace)
            for (op, run) in zip(result.ops, Self.runs) {
                #expect(op.cycles == run.reported["cycles"], "\(plan) \(run)")
                if plan == "int8" {
                    #expect(op.access?.sramIfmapReads == run.reported["sram_ifmap_reads"], "\(run)")
                    #expect(op.access?.sramOfmapWrites == run.reported["sram_ofmap_writes"], "\(run)")
                    #expect(op.access?.dramFilterReads == run.reported["dram_filter_reads"], "\(run)")
                    #expect(op.access?.dramIfmapReads == run.reported["dram_ifmap_reads"], "\(run)")
                }
            }
            #expect(result.energyJoules > 0 && result.areaSquareMillimetres > 0)
            energies[plan] = result.energyJoules
        }
        #expect(energies["int4"]! < energies["int8"]!)
    }
}
