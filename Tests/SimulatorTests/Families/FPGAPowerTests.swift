import Arithmetic
import Formats
import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// FPGA energy from the resources: each resource type's term, the toggle
/// rates, the node, and both mappings (dataflow and overlay) using it.
@Suite("FPGA power per resource")
struct FPGAPowerTests {
    static let zc706 = "xilinx-zc706.yaml"

    static func design(_ usage: FPGAUsage, cycles: Int, on hardware: HardwareModel) throws -> DataflowDesign {
        let f = try FormatCatalog.format(named: "int8")
        let layer = DataflowLayer(name: "u", rows: 8, columns: 8, pixels: 1, weight: f, input: f)
        let unit = DataflowDesign.Unit(layer: layer, pe: 1, simd: 1, style: .dsp, store: .bram, cycles: cycles,
                                       usage: usage)
        let planner = try DataflowPlanner(hardware: hardware)
        return DataflowDesign(units: [unit], clockHertz: hardware.clockHertz, offChipBytesPerSecond: 1e9,
                              budget: planner.budget)
    }

    @Test("each resource's term moves the dataflow energy, and only its own term",
          arguments: ["lut", "ff", "dsp", "bram", "uram"])
    func eachResource(_ resource: String) throws {
        let hardware = try device("xilinx-alveo-u250.yaml")
        let base = FPGAUsage(luts: 1000, flipFlops: 1000, dsps: 10, bram18: 4, uram: 2)
        var more = base
        switch resource {
        case "lut": more.luts += 500
        case "ff": more.flipFlops += 500
        case "dsp": more.dsps += 5
        case "bram": more.bram18 += 2
        default: more.uram += 1
        }
        let a = DataflowEnergy(try Self.design(base, cycles: 100, on: hardware), hardware: hardware)
        let b = DataflowEnergy(try Self.design(more, cycles: 100, on: hardware), hardware: hardware)
        #expect(b.totalJoules > a.totalJoules)
        let terms: [String: KeyPath<ResourceEnergy, Double>] = ["lut": \.lut, "ff": \.flipFlop, "dsp": \.dsp,
                                                                "bram": \.bram, "uram": \.uram]
        for (name, path) in terms {
            if name == resource { #expect(b.byResource[keyPath: path] > a.byResource[keyPath: path]) } else {
                #expect(b.byResource[keyPath: path] == a.byResource[keyPath: path], "\(name) moved")
            }
        }
        // Static power over one inference interval is the same in both.
        #expect(a.staticJoules == b.staticJoules)
    }

    @Test("dynamic energy grows with the cycles a unit is clocked and with its toggle rate; static from the file")
    func cyclesAndRates() throws {
        let hardware = try device(Self.zc706)
        let usage = FPGAUsage(luts: 5000, flipFlops: 4000, dsps: 20, bram18: 6)
        let short = DataflowEnergy(try Self.design(usage, cycles: 100, on: hardware), hardware: hardware)
        let long = DataflowEnergy(try Self.design(usage, cycles: 300, on: hardware), hardware: hardware)
        #expect(abs(long.byResource.total / short.byResource.total - 3) < 1e-9)
        // Static energy is the file's static power over one interval (1 / rate).
        let d = try Self.design(usage, cycles: 100, on: hardware)
        #expect(abs(short.staticJoules - hardware.staticWatts / d.inferencesPerSecond) < 1e-18)
        var power = try #require(FPGAPower(hardware))
        let before = power.joules(usage, cycles: 100)
        power.rates.dsp *= 2
        let after = power.joules(usage, cycles: 100)
        #expect(abs(after.dsp / before.dsp - 2) < 1e-12)
        #expect(after.lut == before.lut && after.bram == before.bram)
    }

    @Test("coefficients scale with the node: a 16 nm part spends less per resource than a 28 nm one")
    func node() {
        let old = FPGAPower(technology: Technology(nodeNanometres: 28, voltage: 1.0), dspType: .dsp48e2)
        let new = FPGAPower(technology: Technology(nodeNanometres: 16, voltage: 0.85), dspType: .dsp48e2)
        #expect(new.lutPicojoules < old.lutPicojoules)
        #expect(new.dspPicojoules < old.dspPicojoules)
        #expect(new.bram36Picojoules < old.bram36Picojoules)
        // A wider slice multiplier costs more per cycle (27 × 24 against 25 × 18).
        let e1 = FPGAPower(technology: .reference, dspType: .dsp48e1)
        let e58 = FPGAPower(technology: .reference, dspType: .dsp58)
        #expect(e58.dspPicojoules > e1.dspPicojoules)
    }

    @Test("the overlay prices its MACs from the resources: DSP packing and LUT MACs move the compute energy")
    func overlay() throws {
        let hardware = try device("xilinx-zcu104-dpu.yaml")
        let trace = try TraceReader.load(root.appendingPathComponent("workloads/resnet50.yaml").path)
        let plan = try PrecisionPlan.load("int8")
        let result = try Simulator(hardware: hardware, plan: plan).run(trace)
        let spec = try #require(hardware.spec as? FPGAFamily)
        let power = try #require(FPGAPower(hardware))
        let perMAC = try #require(power.macPicojoules(try FormatCatalog.format(named: "int8"), spec: spec))
        // The matrix products' compute energy is their MACs at the resource model's price.
        let matrix = result.ops.filter { $0.kind.isMatrixProduct }
        let macs = matrix.reduce(0) { $0 + $1.macs }, compute = matrix.reduce(0) { $0 + $1.energy.compute }
        #expect(abs(compute / (macs * perMAC * 1e-12) - 1) < 1e-9)
        // Fewer MACs per slice (no WP486 pairing) puts more DSP energy on each MAC.
        var unpacked = spec
        unpacked.dspPacking = [FormatRate(format: "int8", macs: 1, source: "test")]
        let single = try #require(power.macPicojoules(try FormatCatalog.format(named: "int8"), spec: unpacked))
        #expect(single > perMAC)
        // LUT-built MACs (a LUT share) bring the LUT and FF terms in.
        var fabric = spec
        fabric.lutFraction = 0.5
        let mixed = try #require(power.macPicojoules(try FormatCatalog.format(named: "int8"), spec: fabric))
        #expect(mixed != perMAC)
        var hot = power
        hot.rates.lut *= 2
        let hotter = try #require(hot.macPicojoules(try FormatCatalog.format(named: "int8"), spec: fabric))
        #expect(hotter > mixed)
    }
}
