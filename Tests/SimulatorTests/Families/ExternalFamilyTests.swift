import Arithmetic
import Documents
import Foundation
import Formats
import Hardware
import Simulator
import Testing
import Workload

/// A family defined outside lpsim, through public API only (no `@testable`):
/// a bit-serial array whose MACs take one cycle per weight bit (Stripes,
/// Judd et al., MICRO 2016, in its simplest form).
struct BitSerialFamily: DatapathFamily {
    var lanes: Int
    static let name = "bitserial"
    static let rateKey: String? = nil
    static let schemaSections = ["bitserial": ["lanes"]]
    static let schemaDefinitions = #"{"bitserial": {"type": "object", "properties": {"lanes": {"type": "integer"}}}}"#

    static func decode(_ section: YAMLValue, datapath: Datapath) throws -> BitSerialFamily {
        BitSerialFamily(lanes: try section.mapping(allowedKeys: ["lanes"]).required("lanes").int(in: 1...1 << 20))
    }
    func macsPerCycle(_ format: NumberFormat, datapath: Datapath) -> Double? {
        guard case .scalar(.integer(let i)) = format else { return nil }
        return Double(lanes) / Double(i.bitWidth)
    }
    func executableFormats(_ datapath: Datapath) -> [NumberFormat] { datapath.formats }
    var vectorOpsPerCycle: Double { Double(lanes) }
    func engine(for device: DeviceFigures) -> any FamilyEngine { Engine(device: device) }

    struct Engine: FamilyEngine {
        let device: DeviceFigures
        func matrix(_ work: MatrixWork) -> Timing {
            let v = work.view
            let macs = Double(v.groups) * Double(v.m) * Double(v.n) * Double(v.k)
            return device.overlap(compute: macs / work.macsPerCycle, offChip: work.weightBytes + work.inputBytes,
                                  onChip: 0, mapping: Mapping(scheme: 7, Int(work.weightBits)))
        }
        func describe(_ mapping: Mapping) -> String { "bit-serial, \(mapping.values[0]) passes" }
    }
}

@Suite("A family added from outside lpsim")
struct ExternalFamilyTests {
    @Test("loads, validates its section, and simulates through the public protocols")
    func external() throws {
        let registry = FamilyRegistry(FamilyRegistry.standard.families + [BitSerialFamily.self])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bitserial-\(getpid()).yaml")
        try """
            name: A bit-serial array
            family: bitserial
            technology: {node: 28 nm}
            clock: 1 GHz
            memory:
              - {name: DRAM, kind: dram, capacity: 1 GiB, bandwidth: 100 GB/s, energy_per_byte: 100 pJ/B}
            datapath:
              formats: [int8, int4]
              accumulator: {kind: int, bits: 32}
            bitserial: {lanes: 1024}
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let model = try HardwareLoader.load(file.path, families: registry)
        #expect(model.family == "bitserial")
        #expect(model.macsPerCycle("int4") == 256)
        let plan = PrecisionPlan(name: "int4", defaults: [.weight: "int4", .input: "int4", .output: "int32"])
        let trace = Trace(name: "gemm", ops: [Op(name: "g", kind: .gemm, dims: ["m": 64, "n": 64, "k": 64])])
        let r = try Simulator(hardware: model, plan: plan).run(trace)
        #expect(r.ops[0].computeCycles == 64 * 64 * 64 / 256)
        #expect(r.mapping(of: r.ops[0]) == "bit-serial, 4 passes")
        // The standard registry does not know the family: a positioned error.
        #expect { try HardwareLoader.load(file.path, families: .standard) } throws: { error in
            (error as? Diagnostic)?.message.contains("unknown key 'bitserial'") == true
        }
    }
}
