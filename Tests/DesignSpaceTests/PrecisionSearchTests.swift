import DesignSpace
import Documents
import Formats
import Foundation
import Hardware
import Simulator
import Testing
import Workload

/// The search on lpsim's own costs: a small CNN on the shipped T4 (INT8 and INT4 tensor cores, FP16).
@Suite("Mixed-precision search")
struct PrecisionSearchTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func device() throws -> HardwareModel {
        try HardwareLoader.load(root.appendingPathComponent("hardware/nvidia-t4.yaml").path)
    }

    /// Seven layers (six convolutions with norms and activations, a classifier), one op before the first.
    static func conv(_ name: String, _ c: Int, _ hw: Int, _ k: Int, r: Int = 3, stride: Int = 1) -> Op {
        Op(name: name, kind: .conv2d, dims: ["c": c, "h": hw, "w": hw, "k": k, "r": r, "s": r, "stride": stride,
                                             "padding": r / 2])
    }

    static let trace = Trace(name: "small", ops: [
        Op(name: "input.scale", kind: .elementwise, dims: ["elements": 150_528]),
        conv("c1", 3, 112, 32),
        Op(name: "c1.act", kind: .elementwise, dims: ["elements": 401_408]),
        conv("c2", 32, 112, 64, stride: 2),
        Op(name: "c2.bn", kind: .norm, dims: ["rows": 3136, "columns": 64]),
        conv("c3", 64, 56, 128, stride: 2),
        conv("c4", 128, 28, 256, stride: 2),
        Op(name: "c4.act", kind: .elementwise, dims: ["elements": 50_176]),
        conv("c5", 256, 14, 512, r: 1),
        conv("c6", 512, 14, 512, stride: 2),
        Op(name: "fc", kind: .gemm, dims: ["m": 8, "n": 1000, "k": 512]),
    ])

    static func candidates(_ names: [String]) throws -> [PrecisionPlan] {
        try names.map { try PrecisionPlan.load($0) }
    }

    @Test("layers: a matrix product and its followers; ops before the first join the first layer")
    func layers() throws {
        let layers = try SearchLayer.layers(of: Self.trace, file: "t")
        #expect(layers.map(\.name) == ["c1", "c2", "c3", "c4", "c5", "c6", "fc"])
        #expect(layers[0].ops == [1, 0, 2])
        #expect(layers[1].ops == [3, 4])
        #expect(layers[0].parameters == 3 * 32 * 9)
    }

    @Test("the DP on the simulated table equals brute force, and the plan it writes simulates within budget",
          arguments: [["int8", "int4"], ["int8", "int4", "fp16"]])
    func exactOnSimulatedCosts(names: [String]) throws {
        let device = try Self.device()
        let table = try LayerCostTable(hardware: device, trace: Self.trace, traceFile: "small",
                                       candidates: try Self.candidates(names))
        for objective in SearchObjective.allCases {
            let search = try PrecisionSearch(table: table, objective: objective, resolution: 500)
            let k = search.knapsack
            var rng = SplitMix64(seed: UInt64(names.count * 10 + objective.rawValue.count))
            for _ in 0..<4 {
                let budget = search.minimumCost + (k.maximumCost - k.minimumCost) * Double(rng.next() >> 11) / 0x1p53
                let point = try search.solve(budget: budget)
                let oracle = MultipleChoiceKnapsackTests.bruteForce(k, capacity: k.capacity(budget: budget)!)
                #expect(point.choices == oracle.choices, "\(objective) budget \(budget)")
                #expect(point.cost <= budget)
                let plan = search.plan(point, named: "mixed", trace: Self.trace)
                let whole = try Simulator(hardware: device, plan: plan).run(Self.trace)
                let simulated = objective == .latency ? whole.seconds : objective == .energy ? whole.energyJoules : nil
                if let simulated {
                    // Sums over the same ops in another order: equal to rounding.
                    #expect(abs(simulated - point.cost) <= 1e-12 * point.cost,
                            "\(objective): \(simulated) vs \(point.cost)")
                    #expect(simulated <= budget * (1 + 1e-12))
                }
            }
        }
    }

    @Test("every layer in one candidate is that candidate's built-in plan, op by op")
    func uniformIsThePlan() throws {
        let device = try Self.device()
        let plans = try Self.candidates(["int8", "int4"])
        let table = try LayerCostTable(hardware: device, trace: Self.trace, traceFile: "small", candidates: plans)
        let search = try PrecisionSearch(table: table, objective: .latency)
        for j in plans.indices {
            let direct = try Simulator(hardware: device, plan: plans[j]).run(Self.trace)
            let plan = search.plan(search.uniform(j), named: "u", trace: Self.trace)
            let mixed = try Simulator(hardware: device, plan: plan).run(Self.trace)
            #expect(direct.ops.map(\.seconds) == mixed.ops.map(\.seconds))
            #expect(abs(search.uniform(j).cost - direct.seconds) <= 1e-12 * direct.seconds)
        }
        // INT4 is faster here and noisier: the two ends of the front.
        #expect(search.uniform(1).cost < search.uniform(0).cost)
        #expect(search.uniform(1).proxy > search.uniform(0).proxy)
    }

    @Test("the plan's YAML reads back to an equal plan that simulates identically")
    func roundTrip() throws {
        let device = try Self.device()
        let table = try LayerCostTable(hardware: device, trace: Self.trace, traceFile: "small",
                                       candidates: try Self.candidates(["int8", "int4", "fp16"]))
        let search = try PrecisionSearch(table: table, objective: .energy)
        let mid = (search.uniform(0).cost + search.uniform(1).cost) / 2
        let plan = search.plan(try search.solve(budget: mid), named: "round-trip", trace: Self.trace)
        #expect(!plan.overrides.isEmpty)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-plan-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try MixedPlan.yaml(plan, comments: ["a comment"]).write(to: file, atomically: true, encoding: .utf8)
        let loaded = try PrecisionPlan.load(file.path)
        #expect(loaded == plan)
        let a = try Simulator(hardware: device, plan: plan).run(Self.trace)
        let b = try Simulator(hardware: device, plan: loaded).run(Self.trace)
        #expect(a.ops.map(\.seconds) == b.ops.map(\.seconds))
        #expect(a.ops.map(\.energy.total) == b.ops.map(\.energy.total))
    }

    @Test("bad inputs: no candidate, an infeasible budget (the minimum named), names a plan cannot address")
    func badInputs() throws {
        let device = try Self.device()
        let empty = #expect(throws: Diagnostic.self) {
            try LayerCostTable(hardware: device, trace: Self.trace, traceFile: "small", candidates: [])
        }
        #expect(empty?.message.contains("candidate set is empty") == true)
        let table = try LayerCostTable(hardware: device, trace: Self.trace, traceFile: "small",
                                       candidates: try Self.candidates(["int8", "int4"]))
        let search = try PrecisionSearch(table: table, objective: .latency)
        let error = #expect(throws: Diagnostic.self) { try search.solve(budget: search.minimumCost * 0.9) }
        #expect(error?.message.contains("infeasible: the cheapest plan needs "
                                        + PrecisionSearch.format(search.minimumCost, .latency)) == true)
        var twice = Self.trace
        twice.ops[2].name = "c2.bn"
        #expect(throws: Diagnostic.self) { try SearchLayer.layers(of: twice, file: "t") }
        var glob = Self.trace
        glob.ops[1].name = "c*"
        #expect(throws: Diagnostic.self) { try SearchLayer.layers(of: glob, file: "t") }
        let none = Trace(name: "none", ops: [Op(name: "e", kind: .elementwise, dims: ["elements": 4])])
        #expect(throws: Diagnostic.self) { try SearchLayer.layers(of: none, file: "t") }
    }
}
