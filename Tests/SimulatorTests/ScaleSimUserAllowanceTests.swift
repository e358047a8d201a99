import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// USER mode's exact ifmap walk (`ScaleSimUserClasses`) spends `ScaleSimMemory.exactCountSteps`; past it,
/// the per-position estimate stands and the result says so (the request-by-request replay is only its oracle).
@Suite("USER mode's step allowance: exact within it, and past it an estimate that says so")
struct ScaleSimUserAllowanceTests {
    @Test("the walk counts as the replay does within its allowance, and declines one step short of what it spends")
    func exactWithin() throws {
        let dataflows: [SystolicModel.Dataflow] = [.ws, .os, .is]
        for (dataflow, channels) in zip(dataflows, [6, 5, 3]) {
            let conv = ScaleSimLayer.Convolution(h: 18, w: 18, r: 3, s: 3, c: channels, stride: 1)
            let layer = ScaleSimLayer(convolution: conv, filters: 12)
            let oracle = try #require(ScaleSimUserReplay.ifmap(layer, conv: conv, rows: 8, columns: 8,
                                                               dataflow: dataflow, bufferWords: 300))
            let probe = ScaleSimWork(steps: 1 << 40)
            let full = try #require(ScaleSimUserClasses.ifmap(layer, conv: conv, rows: 8, columns: 8,
                                                              dataflow: dataflow, bufferWords: 300, work: probe))
            let spent = (1 << 40) - probe.left
            #expect(full.advances == oracle.advances && oracle.advances > 0, "\(dataflow)")
            // 8× what it spends: no fold's rate so far can project past that before the walk ends.
            let within = ScaleSimUserClasses.ifmap(layer, conv: conv, rows: 8, columns: 8, dataflow: dataflow,
                                                   bufferWords: 300, work: ScaleSimWork(steps: 8 * spent))
            #expect(within?.advances == oracle.advances, "\(dataflow): \(8 * spent) steps")
            let short = ScaleSimUserClasses.ifmap(layer, conv: conv, rows: 8, columns: 8, dataflow: dataflow,
                                                  bufferWords: 300, work: ScaleSimWork(steps: spent - 1))
            #expect(short == nil, "\(dataflow): \(spent - 1) steps")
        }
    }

    @Test("a walk whose rate projects past the allowance gives up after an eighth of it, not at its end")
    func projection() {
        // 100 parts of 10 steps: 1000 in all. Against 500 the check applies from 62 spent (an eighth) on: first
        // at part 7, 70 spent, projecting 1000 > 500.
        let work = ScaleSimWork(steps: 500)
        var declinedAt: Int?
        for part in 0..<100 {
            guard work.onTrack(done: part, of: 100) else { declinedAt = part; break }
            work.spend(10)
        }
        #expect(declinedAt == 7 && work.exhausted)
        // Against 1000 it never projects past: it runs to the end with nothing left.
        let enough = ScaleSimWork(steps: 1000)
        for part in 0..<100 {
            #expect(enough.onTrack(done: part, of: 100), "part \(part)")
            enough.spend(10)
        }
        #expect(!enough.exhausted && enough.left == 0)
    }

    @Test("a convolution past the allowance keeps the estimate, flagged, with a note; others are not flagged")
    func estimateNoted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = try String(contentsOf: root.appendingPathComponent("Tests/HardwareTests/Fixtures/scale.cfg"),
                             encoding: .utf8)
            .replacingOccurrences(of: "Dataflow : ws", with: "Dataflow : is")
            .replacingOccurrences(of: "InterfaceBandwidth: CALC", with: "InterfaceBandwidth: USER")
        #expect(cfg.contains("InterfaceBandwidth: USER") && cfg.contains("Dataflow : is"))
        let path = dir.appendingPathComponent("user-is.cfg").path
        try cfg.write(toFile: path, atomically: true, encoding: .utf8)
        let device = try HardwareLoader.load(path), plan = try PrecisionPlan.load("int8")
        var simulator = try Simulator(hardware: device, plan: plan)
        var engine = try #require(simulator.engine as? SystolicEngine)
        engine.exactCountSteps = 1000
        simulator.engine = engine
        func conv(_ name: String, _ dims: [String: Int]) -> Op {
            Op(name: name, kind: .conv2d, dims: dims.merging(["stride": 1, "ceil_mode": 1]) { a, _ in a })
        }
        // 8.3 M SRAM ifmap requests on 32×32 under is (SCALE-Sim's own count, scalesim-cycles-large.json).
        let big = conv("Big", ["h": 100, "w": 100, "r": 3, "s": 3, "c": 96, "k": 8])
        // 1×1: each ifmap word at one position, so no walk is called for.
        let pointwise = conv("Pointwise", ["h": 100, "w": 100, "r": 1, "s": 1, "c": 96, "k": 8])
        // A batch folded into M: the walk does not count it, nor does SCALE-Sim; not a decline.
        let batched = conv("Batched", ["n": 2, "h": 100, "w": 100, "r": 3, "s": 3, "c": 96, "k": 8])
        let result = try simulator.run(Trace(name: "allowance", ops: [pointwise, big, batched]))
        #expect(result.ops.map { $0.access?.ifmapReadsEstimated } == [false, true, false])
        #expect(result.notes.contains { $0.contains("1 convolution ('Big')") && $0.contains("USER-mode DRAM ifmap")
                && $0.contains("allowance of 1000 steps") }, "\(result.notes)")
        // Under the default allowance a small 3×3 convolution is walked: exact, as the replay, not flagged.
        let small = conv("Small", ["h": 12, "w": 12, "r": 3, "s": 3, "c": 8, "k": 8])
        let walked = try Simulator(hardware: device, plan: plan).run(Trace(name: "default", ops: [small]))
        #expect(walked.ops[0].access?.ifmapReadsEstimated == false && walked.notes.allSatisfy {
            !$0.contains("USER-mode DRAM ifmap") })
    }
}
