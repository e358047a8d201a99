import Documents
import Foundation
import Formats
import Hardware
import Testing
import Yams
@testable import Simulator
@testable import Workload

/// Every key of the hardware language drives a result: on one device per
/// family (and a few more for keys those leave out), each leaf key is changed
/// (several candidate values each) and the device's derived figures and
/// simulations must differ from the original's for at least one candidate.
/// A candidate that fails to load counts only when its error is a semantic
/// one (a budget, a rate table), not a type or range check — the point is
/// that the key is used, not that it is validated. A last test checks that
/// the walks together reach every key of the schema.
@Suite("Every hardware key drives a result")
struct KeyWalkTests {
    /// Descriptive keys: they name or cite, and change no figure by design;
    /// `family` selects which section applies (another value is another device).
    static let descriptive: Set<String> = ["name", "source", "part", "extends", "family"]

    /// The devices walked, each with the changes its walk starts from: where the
    /// shipped file leaves a part of the language idle (the U250 spends no LUTs
    /// on MACs and rates every format itself) or uses no optional key of a kind.
    /// (Values are YAML text; nil removes the key.)
    static let devices: [(file: String, start: [(path: [String], yaml: String?)])] = [
        ("scale-sim-32x32.yaml", [
            (["datapath", "block_scale"], "[mxint8]"),
            (["datapath", "cost_overrides"], "[{unit: multiplier, format: int8, energy: 1 pJ, area: 100 um2, delay: 1 ns}]"),
            (["power", "tdp"], "0.06 W"), (["power", "mac_overhead"], "0.1 pJ"),
            (["systolic", "dram"], "{mode: user, ifmap: 4 GB/s, filter: 4 GB/s, ofmap: 8 GB/s}"),
            (["systolic", "structured_sparsity"], "true"),
        ]),
        ("nvidia-h100-sxm5.yaml", [(["datapath", "accumulator", "promotion_interval"], "128"),
                                   (["datapath", "dot_product_lanes"], "16")]),
        ("nvidia-a100-sxm4-80gb.yaml", []), ("nvidia-a100-bipolar.yaml", []), ("nvidia-b200.yaml", []),
        ("tpu-v1-like.yaml", []),
        ("xilinx-alveo-u250.yaml", [(["fpga", "lut_fraction"], "0.5"), (["fpga", "dsp_packing", "int8"], nil),
                                    (["fpga", "array"], "{cores: 2, pixels: 8, input_channels: 16, output_channels: 16}"),
                                    (["fpga", "io_dma_bits"], "64")]),
        ("hexagon-hvx-like.yaml", [
            (["datapath", "formats"], "[int8, int16, fp16, fp32]"),
            (["dsp", "macs_per_lane_per_cycle", "int8"], nil), (["dsp", "dot_product"], "{int8: 4}"),
            (["dsp", "slots"], "{load_store: 2, multiply: 2, alu: 1}"),
            (["dsp", "scalar_macs_per_cycle"], "{fp32: 2}"), (["dsp", "dma_bandwidth"], "20 GB/s"),
            (["dsp", "thread_clock"], "600 MHz"),
        ]),
        ("bitfusion-16x32.yaml", []),
    ]

    /// A device's document as its walk starts.
    static func start(_ file: String) throws -> Node {
        let text = try String(contentsOf: root.appendingPathComponent("hardware/\(file)"), encoding: .utf8)
        var document = try #require(try Yams.compose(yaml: text))
        for (path, yaml) in devices.first(where: { $0.file == file })!.start {
            let value = try yaml.map { try #require(try Yams.compose(yaml: $0)) }
            document = try #require(value.map { replacing(document, at: path[...], with: $0) }
                                    ?? removing(document, at: path[...]))
        }
        return document
    }

    @Test("each leaf key of each device changes some output", arguments: devices.map(\.file))
    func walk(_ file: String) throws {
        let document = try Self.start(file)
        let baseline = try #require(try Self.fingerprint(document, as: file))
        var idle: [String] = []
        let leaves = Self.leaves(document, path: []).filter { !Self.descriptive.contains($0.0.last!) }
        for (path, leaf) in leaves {
            let changed = try Self.candidates(for: path, leaf).contains { candidate in
                guard let mutated = Self.replacing(document, at: path[...], with: candidate) else { return false }
                // A candidate the loader refuses as mistyped or out of range proves nothing.
                guard let changed = try Self.fingerprint(mutated, as: file) else { return false }
                return changed != baseline
            }
            if !changed { idle.append(path.joined(separator: ".")) }
        }
        let extends = Self.leaves(document, path: []).contains { $0.0 == ["extends"] }
        #expect(leaves.count >= (extends ? 1 : 15), "\(file): only \(leaves.count) keys walked")
        #expect(idle.isEmpty, "\(file): keys that change nothing: \(idle)")
    }

    @Test("the walks reach every key of the schema but the descriptive ones")
    func coverage() throws {
        var names = Set<String>()
        for (file, _) in Self.devices {
            for (path, _) in Self.leaves(try Self.start(file), path: []) { names.formUnion(path.filter { Int($0) == nil }) }
        }
        let schema = Set(HardwareSchema.sections(.standard).values.joined())
        let missing = schema.subtracting(names).subtracting(Self.descriptive)
        #expect(missing.isEmpty, "schema keys no walk reaches: \(missing.sorted())")
    }

    /// The shipped hardware files copied to a temporary directory, once, so that
    /// a changed file written beside them finds its `extends:` parent.
    static let hardwareCopy = Result<URL, Error> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-keywalk-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = root.appendingPathComponent("hardware")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name),
                                             to: directory.appendingPathComponent(name))
        }
        return directory
    }

    /// Leaf keys: scalars, lists of scalars, and the keys of rate tables.
    static func leaves(_ node: Node, path: [String]) -> [([String], Node)] {
        switch node {
        case .mapping(let m):
            return m.flatMap { key, value in leaves(value, path: path + [key.string ?? "?"]) }
        case .sequence(let s):
            if s.allSatisfy({ if case .scalar = $0 { true } else { false } })
                || s.allSatisfy({ if case .sequence = $0 { true } else { false } }) { return [(path, node)] }
            return s.enumerated().flatMap { leaves($1, path: path + ["\($0)"]) }
        default:
            return [(path, node)]
        }
    }

    /// Values to try in place of `leaf`: numbers and quantities scaled, other
    /// choices for enumerations, shortened lists.
    static func candidates(for path: [String], _ leaf: Node) -> [Node] {
        if case .sequence(let sequence) = leaf {
            let items = Array(sequence)
            var shorter = [Node]()
            for i in items.indices { var copy = items; copy.remove(at: i); shorter.append(Node(copy)) }
            if case .sequence = items.first { shorter.append(Node([Node([Node("64"), Node("64"), Node("32")])])) }
            return shorter
        }
        guard let text = leaf.string else { return [] }
        let choices: [String: [String]] = [
            "dataflow": ["os", "ws", "is", "best"], "multiplier": ["exact", "lmul", "binary"], "kind": ["int", "fp"],
            "overflow": ["wrap", "saturate"], "mode": ["calc", "user"], "dsp_type": ["dsp48e1", "dsp48e2", "dsp58"], "family": [],
            "format": ["fp16", "bf16", "fp32"], "unit": ["multiplier", "lmul", "adder", "accumulator"],
            "stream_k": ["true", "false"], "overlapped_epilogue": ["true", "false"],
            "structured_sparsity": ["true", "false"],
        ]
        if let options = choices[path.last!] {
            if path.last == "kind", path.count >= 2, path[path.count - 2] != "accumulator" {
                return ["sram", "hbm"].filter { $0 != text }.map { Node($0) }
            }
            return options.filter { $0 != text }.map { Node($0) }
        }
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let number = Double(parts[0]) else { return [] }
        let unit = parts.count > 1 ? " " + parts[1] : ""
        let isInteger = Int(parts[0]) != nil && unit.isEmpty
        return [2, 0.5, 0.4, 0.25, 0.125, 1.0 / 16, 16, 1.0 / 1_048_576].map { factor -> Node in
            let scaled = number * factor
            if isInteger { return Node(String(max(1, Int(scaled)))) }
            return Node((unit.isEmpty && number <= 1 ? min(1, scaled) : scaled).description + unit)
        }
    }

    /// `node` with the value at `path` replaced, or nil when the path is not there.
    static func replacing(_ node: Node, at path: ArraySlice<String>, with value: Node) -> Node? {
        guard let key = path.first else { return value }
        switch node {
        case .mapping(var m):
            guard let child = m[Node(key)], let new = replacing(child, at: path.dropFirst(), with: value) else {
                if path.count == 1 { m[Node(key)] = value; return .mapping(m) }
                return nil
            }
            m[Node(key)] = new
            return .mapping(m)
        case .sequence(var s):
            guard let i = Int(key), s.indices.contains(i),
                  let new = replacing(s[i], at: path.dropFirst(), with: value) else { return nil }
            s[i] = new
            return .sequence(s)
        default:
            return nil
        }
    }

    /// `node` without the key at `path`, or nil when the path is not there.
    static func removing(_ node: Node, at path: ArraySlice<String>) -> Node? {
        guard let key = path.first, case .mapping(var m) = node, let child = m[Node(key)] else { return nil }
        if path.count == 1 {
            let pairs = m.filter { $0.key != Node(key) }
            return .mapping(Node.Mapping(pairs.map { ($0.key, $0.value) }))
        }
        guard let new = removing(child, at: path.dropFirst()) else { return nil }
        m[Node(key)] = new
        return .mapping(m)
    }

    /// Everything the device produces: derived figures per format, warnings,
    /// and capacity checks and simulations of the family's workloads under one uniform plan per
    /// format (every dataflow on systolic arrays); or the error, when loading
    /// fails for a reason other than a type or range check (nil for those).
    static func fingerprint(_ document: Node, as name: String) throws -> String? {
        let file = try hardwareCopy.get().appendingPathComponent("walk-\(UUID().uuidString)-\(name)")
        try Yams.serialize(node: document).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let model: HardwareModel
        do { model = try HardwareLoader.load(file.path) } catch let d as Diagnostic {
            let validation = ["must be", "expected", "unknown", "missing required"].contains { d.message.contains($0) }
            return validation ? nil : "error: " + d.message
        }
        var out = model.warnings.joined(separator: "\n").replacingOccurrences(of: file.path, with: "FILE") + "\n"
        let cost = DatapathCost(model: model)
        for f in model.executableFormats {
            let c = cost.perMAC(f)
            out += "\(f) \(model.peakOpsPerSecond(f) ?? 0) \(c.energyPicojoules) \(c.areaSquareMicrometres) "
                + "\(c.pipelineStages(atClockHertz: model.clockHertz)) \(cost.vectorOpsPerMAC(f))\n"
        }
        var variants = [model]
        if let systolic = model.spec as? SystolicFamily {
            variants += SystolicFamily.Dataflow.allCases.map { dataflow in
                var spec = systolic
                spec.dataflow = dataflow
                var copy = model
                copy.spec = spec
                return copy
            }
        }
        // Where SCALE-Sim's own DRAM channels are set, a convolution's ifmap reads are replayed request by
        // request (ScaleSimUserReplay): a 14×14 map keeps that walk to a minute. Elsewhere 28×28, whose
        // 784 output rows fold over a 256-row array and overflow a 1/16 buffer (the TPU's filter and ofmap).
        let (c, side) = (model.spec as? SystolicFamily)?.dram != nil ? (32, 14) : (64, 28)
        let traces = model.family == "gpu"
            ? [try workload("llama-2-7b-decode-2048.yaml"), gemm(8192, 8192, 8192), gemm(1, 4096, 4096)]
            : [gemm(128, 256, 512), gemm(1, 1024, 1024), sparse(gemm(128, 256, 512)), Trace(name: "conv", ops: [
                Op(name: "conv", kind: .conv2d, dims: ["c": c, "h": side, "w": side, "k": c, "r": 3, "s": 3,
                                                       "padding": 1]),
                Op(name: "relu", kind: .elementwise, dims: ["elements": c * side * side]),
            ])]
        // The dataflow mapping: the fastest folding of one layer, its input read in by the shell's DMA.
        if model.spec is FPGAFamily, let f = model.executableFormats.first {
            let plan = PrecisionPlan(name: f.name, defaults: [.weight: f, .input: f, .output: f, .accumulator: "int32"])
            var planner = try DataflowPlanner(hardware: model)
            let trace = gemm(128, 256, 512)
            planner.transfer = try DataflowTransfer(trace: trace, plan: plan)
            do {
                let d = try planner.search(try DataflowLayer.layers(of: trace, plan: plan))
                out += "dataflow \(f) \(d.maxII) \(d.inputDMACycles) \(d.outputDMACycles)\n"
            } catch let e as Diagnostic { out += "dataflow \(f): \(e.message)\n" }
        }
        for device in variants {
            for f in device.executableFormats {
                let accumulator: NumberFormat = f.elementFormat.bitWidth > 8 ? "fp32" : "int32"
                let plan = PrecisionPlan(name: f.name, defaults: [.weight: f, .input: f, .output: f,
                                                                  .accumulator: accumulator])
                for trace in traces {
                    var needs = CapacityNeeds(plan: plan)
                    for op in trace.ops { try needs.add(op) }
                    out += "\(needs.overflows(on: device))\n"
                    let r = try Simulator(hardware: device, plan: plan).run(trace)
                    out += "\(f) \(trace.name) \(r.cycles) \(r.seconds) \(r.energy) \(r.areaSquareMillimetres) "
                        + "\(r.notes) \(Set(r.ops.map { r.mapping(of: $0) }).sorted())\n"
                }
            }
        }
        return out
    }

    /// `trace` with 2:4-sparse weights (what `systolic.structured_sparsity` decides about).
    static func sparse(_ trace: Trace) -> Trace {
        Trace(name: trace.name + " 2:4", ops: trace.ops.map { op in var op = op; op.sparse24 = true; return op })
    }
}
