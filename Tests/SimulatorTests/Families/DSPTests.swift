import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// VLIW slot classes, dot-product instructions, TCM double buffering and the
/// scalar fallback of the DSP family.
@Suite("VLIW vector DSPs")
struct DSPTests {
    static func hexagon(_ edit: (inout DSPFamily) -> Void = { _ in }) throws -> HardwareModel {
        var model = try HardwareLoader.load(root.appendingPathComponent("hardware/hexagon-hvx-like.yaml").path)
        var spec = try #require(model.spec as? DSPFamily)
        edit(&spec)
        model.spec = spec
        return model
    }

    static func run(_ model: HardwareModel, _ trace: Trace, _ plan: String = "int8") throws -> SimulationResult {
        try Simulator(hardware: model, plan: try PrecisionPlan.load(plan)).run(trace)
    }

    @Test("a dot-product instruction's rate is its products per 32-bit lane (vrmpy: 4 INT8 into INT32)")
    func dotProduct() throws {
        let model = try Self.hexagon { $0.dotProducts = [FormatRate(format: "int8", macs: 4, source: nil)] }
        // 4 units × (1024 / 32) lanes × 4 products.
        let four: Double = try #require(model.macsPerCycle("int8"))
        #expect(four == 4 * 32 * 4)
        let two = try Self.hexagon { $0.dotProducts = [FormatRate(format: "int8", macs: 2, source: nil)] }
        let rate: Double = try #require(two.macsPerCycle("int8"))
        #expect(rate == 4 * 32 * 2)
    }

    @Test("slot classes bound the issue rate: the scarcest class over its instructions per MAC")
    func slotClasses() throws {
        let gemm = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": 64, "n": 64, "k": 64])])
        let free = try Self.run(try Self.hexagon(), gemm).ops[0].computeCycles
        // One ALU slot for 0.75 ALU ops per MAC: 1/0.75 MACs a cycle, but the 4-slot packet allows 4/2.75.
        let alu = try Self.run(try Self.hexagon { $0.slotClasses = .init(loadStore: 2, multiply: 2, alu: 1) }, gemm)
        let rate = min(2, 2, 1 / 0.75, 4 / 2.75)
        #expect(abs(alu.ops[0].computeCycles - free / rate) < 1e-6)
        // One multiply slot: one MAC per packet, as without classes.
        let one = try Self.run(try Self.hexagon { $0.slotClasses = .init(loadStore: 2, multiply: 1, alu: 2) }, gemm)
        #expect(abs(one.ops[0].computeCycles - free) < 1e-6)
    }

    @Test("TCM double buffering: weights over half the TCM are tiled and the inputs re-streamed per tile")
    func doubleBuffering() throws {
        // 4096 × 4096 INT8 weights = 16 MiB over 4 MiB halves of the 8 MiB VTCM: 4 tiles.
        let gemm = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": 256, "n": 4096, "k": 4096])])
        let r = try Self.run(try Self.hexagon(), gemm)
        let weight = 4096.0 * 4096, input = 256.0 * 4096, output = 256.0 * 4096
        #expect(abs(r.ops[0].offChipBytes - (weight + 4 * input + output)) < 1)
        #expect(r.mapping(of: r.ops[0]) == "vector, 4 weight tiles through TCM")
        // A slow DMA engine stalls the datapath.
        let slow = try Self.run(try Self.hexagon { $0.dmaBytesPerSecond = 1e9 }, gemm)
        #expect(slow.ops[0].stallCycles > 0 && slow.ops[0].bound == .memory)
        #expect(slow.ops[0].cycles > r.ops[0].cycles)
    }

    @Test("formats the vector unit lacks run on the scalar core at its own rate")
    func scalarFallback() throws {
        var model = try Self.hexagon { $0.scalarRates = [FormatRate(format: "fp32", macs: 2, source: nil)] }
        model.datapath.formats.append("fp32")
        #expect(model.macsPerCycle("fp32") == 2)
        let gemm = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": 8, "n": 8, "k": 8])])
        let r = try Self.run(model, gemm, "fp32")
        #expect(r.ops[0].computeCycles == 8 * 8 * 8 / 2)
        #expect(r.mapping(of: r.ops[0]) == "scalar")
    }

    @Test("a thread clock below the core clock slows each vector context by its share of the core cycles")
    func threadClock() throws {
        let gemm = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": 128, "n": 768, "k": 768])])
        let core = try Self.run(try Self.hexagon(), gemm).ops[0]
        // hexagon-hvx-like.yaml runs at 1.2 GHz: a 300 MHz thread issues in a quarter of its cycles.
        let quarter = try Self.run(try Self.hexagon { $0.threadClockHertz = 300e6 }, gemm).ops[0]
        #expect(abs(quarter.computeCycles - 4 * core.computeCycles) < 1e-6)
        // At the core clock a thread loses nothing.
        let full = try Self.run(try Self.hexagon { $0.threadClockHertz = 1.2e9 }, gemm).ops[0]
        #expect(full.computeCycles == core.computeCycles)
        // The scalar fallback keeps its stated per-cycle rate.
        var model = try Self.hexagon {
            $0.scalarRates = [FormatRate(format: "fp32", macs: 2, source: nil)]
            $0.threadClockHertz = 300e6
        }
        model.datapath.formats.append("fp32")
        let small = Trace(name: "s", ops: [Op(name: "s", kind: .gemm, dims: ["m": 8, "n": 8, "k": 8])])
        #expect(try Self.run(model, small, "fp32").ops[0].computeCycles == 8 * 8 * 8 / 2)
        // Elementwise vector work issues from the same contexts.
        let add = Trace(name: "a", ops: [Op(name: "a", kind: .elementwise, dims: ["elements": 1 << 20])])
        let fast = try Self.run(try Self.hexagon(), add).ops[0].computeCycles
        let slow = try Self.run(try Self.hexagon { $0.threadClockHertz = 300e6 }, add).ops[0].computeCycles
        #expect(abs(slow - 4 * fast) < 1e-6)
    }
}

/// The vector work a matrix product hands the vector units (here: software block scales of a block
/// format the file gives no scale unit) issues from the same HVX contexts as the MACs, so a thread clock
/// slows it as it slows them.
@Suite("DSP side vector work runs at the thread clock")
struct DSPSideWorkTests {
    @Test("mxint8 without a scale unit on a fast MAC rate: side-work-bound, twice as long at half the thread clock")
    func threadClockSlowsSideWork() throws {
        func device(threadClock: Double?) throws -> HardwareModel {
            try DSPTests.hexagon { spec in
                spec.macsPerLanePerCycle.append(FormatRate(format: "mxint8", macs: 64, source: nil))
                spec.threadClockHertz = threadClock
            }
        }
        var fast = try device(threadClock: nil)
        var slow = try device(threadClock: fast.clockHertz / 2)
        fast.datapath.formats.append("mxint8")
        slow.datapath.formats.append("mxint8")
        let gemm = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": 2048, "n": 2048, "k": 2048])])
        let a = try DSPTests.run(fast, gemm, "mxint8").ops[0], b = try DSPTests.run(slow, gemm, "mxint8").ops[0]
        #expect(a.computeFormat.name == "mxint8" && b.computeFormat.name == "mxint8")
        // The MACs alone, at the file's issue rate (at most one vector MAC a packet here), take far less.
        let macCycles = a.macs / (try #require(fast.macsPerCycle("mxint8")))
        #expect(a.computeCycles > 3 * macCycles, "\(a.computeCycles) vs MACs \(macCycles)")
        #expect(abs(b.computeCycles / a.computeCycles - 2) < 1e-9, "\(a.computeCycles) → \(b.computeCycles)")
    }
}
