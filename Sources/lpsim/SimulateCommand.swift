import ArgumentParser
import Documents
import Foundation
import Hardware
import Simulator
import Workload

/// `lpsim simulate`: replay a quantized trace on a device.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a workload on a device under a precision plan: cycles, time, energy and area per op and in total."
    )

    @Option(help: "A hardware YAML file or a SCALE-Sim .cfg.") var hardware: String
    @Option(help: "A trace (.yaml, .jsonl, SCALE-Sim .csv or .onnx).") var workload: String
    @Option(help: "A built-in precision plan or a plan file (default: bf16; for an ONNX model, 'model', its own formats).")
    var precision: String?
    @OptionGroup var onnx: ONNXOptions
    @Option(name: .shortAndLong, help: "Write to FILE (written whole or not at all) instead of standard output.") var output: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV, one row per op.") var csv = false
    @Flag(help: "Simulate a workload whose weights, KV cache and activations do not fit the device; mark it.")
    var allowOverflow = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
    }

    func run() throws {
        try reportingErrors {
            let device = try HardwareLoader.load(hardware)
            let plan = try PrecisionPlan.load(precision ?? WorkloadInput.defaultPlan(for: workload))
            // The trace streams through the simulator: its ops are never held, only their results.
            var replay = Simulator.Replay(Simulator(hardware: device, plan: plan), traceFile: workload)
            var name = (workload as NSString).lastPathComponent
            var needs = CapacityNeeds(plan: plan)
            var lengths: [Int] = []   // each op's K, for the device-aware numerics of --json
            var count = 0
            try WorkloadInput.stream(workload, plan: plan.name, onnx: onnx, header: { name = $0.name }, op: { op in
                count += 1
                guard count <= TraceReader.maximumHeldOps else { throw TraceReader.tooManyOps(workload, command: "simulate") }
                do throws(ShapeError) { try needs.add(op) } catch {
                    throw Diagnostic(file: workload, message: "op '\(op.name)': \(error.message)")
                }
                if json { lengths.append(SimulationNumerics.reductionLength(op)) }
                try replay.add(op)
            })
            let overflows = try capacityCheck(needs, device, workload: workload, allowOverflow: allowOverflow)
            let result = replay.result(workload: name)
            let numerics = json ? SimulationNumerics(device: device, result: result, lengths: lengths) : nil
            var stderr = StandardError()
            for w in numerics?.warnings ?? [] { print(w, to: &stderr) }
            // Written as produced (a million-op result is 430 MB of JSON); a file whole or not at all.
            let produce: (inout ChunkedWriter) -> Void = { w in
                if json { SimulationOutput.json(result, numerics: numerics, to: &w, notFitting: overflows) } else if csv {
                    SimulationOutput.csv(result, to: &w)
                } else {
                    w.write(SimulationOutput.table(result) + overflows.map { "NOT FITTING: \($0)\n" }.joined())
                }
            }
            if let output { try writeAtomically(to: output, produce) } else { try writeStandardOutput(produce) }
        }
    }
}

/// The three renderings of a `SimulationResult`.
enum SimulationOutput {
    /// The per-op fields of the contract, in order, for JSON and CSV alike.
    static let opFields: [(key: String, value: @Sendable (OpResult, SimulationResult) -> JSON)] = [
        ("name", { op, _ in .string(op.name) }), ("kind", { op, _ in .string(op.kind.rawValue) }),
        ("repeat", { op, _ in .number(Double(op.repeatCount)) }), ("format", { op, _ in .string(op.computeFormat.name) }),
        ("macs", { op, _ in .number(op.macs) }), ("cycles", { op, _ in .number(op.cycles) }),
        ("compute_cycles", { op, _ in .number(op.computeCycles) }),
        ("stall_cycles", { op, _ in .number(op.stallCycles) }), ("seconds", { op, _ in .number(op.seconds) }),
        ("energy_j", { op, _ in .number(op.energy.total) }), ("bound", { op, _ in .string(op.bound.rawValue) }),
        ("utilization", { op, _ in .number(op.utilization) }), ("off_chip_bytes", { op, _ in .number(op.offChipBytes) }),
        ("mapping", { op, r in .string(r.mapping(of: op)) }),
        ("dequantized", { op, _ in .bool(op.dequantized) }),
    ]

    /// SCALE-Sim's counts per op, on a systolic array (the interface contract's names).
    static let systolicFields: [(key: String, value: @Sendable (OpResult, SimulationResult) -> JSON)] = [
        ("sram_ifmap_reads", { op, _ in .number(op.access?.sramIfmapReads ?? 0) }),
        ("sram_filter_reads", { op, _ in .number(op.access?.sramFilterReads ?? 0) }),
        ("sram_ofmap_writes", { op, _ in .number(op.access?.sramOfmapWrites ?? 0) }),
        ("dram_ifmap_reads", { op, _ in .number(op.access?.dramIfmapReads ?? 0) }),
        ("dram_filter_reads", { op, _ in .number(op.access?.dramFilterReads ?? 0) }),
        ("dram_ofmap_writes", { op, _ in .number(op.access?.dramOfmapWrites ?? 0) }),
        ("cycles_incl_prefetch", { op, _ in .number(op.access?.cyclesInclPrefetch ?? op.cycles) }),
        ("avg_dram_ifmap_bw", { op, _ in .number(bandwidth(op).ifmap) }),
        ("avg_dram_filter_bw", { op, _ in .number(bandwidth(op).filter) }),
        ("avg_dram_ofmap_bw", { op, _ in .number(bandwidth(op).ofmap) }),
    ]

    /// An op's average DRAM words per cycle per operand (0 for an op without access counts).
    @Sendable static func bandwidth(_ op: OpResult) -> (ifmap: Double, filter: Double, ofmap: Double) {
        (op.access ?? SystolicAccess()).averageDRAMBandwidth(over: op.cycles)
    }

    /// The per-op fields of `r`: the common ones, and SCALE-Sim's counts on a systolic array.
    static func fields(_ r: SimulationResult) -> [(key: String, value: @Sendable (OpResult, SimulationResult) -> JSON)] {
        r.access == nil ? opFields : opFields + systolicFields
    }

    /// The totals' SCALE-Sim counts, on a systolic array.
    static func systolicTotals(_ r: SimulationResult) -> [(String, JSON)] {
        guard let a = r.access else { return [] }
        let cycles = r.ops.reduce(0) { $0 + ($1.access?.cyclesInclPrefetch ?? $1.cycles) }
        let bw = a.averageDRAMBandwidth(over: r.cycles)
        return [("sram_ifmap_reads", .number(a.sramIfmapReads)), ("sram_filter_reads", .number(a.sramFilterReads)),
                ("sram_ofmap_writes", .number(a.sramOfmapWrites)), ("dram_ifmap_reads", .number(a.dramIfmapReads)),
                ("dram_filter_reads", .number(a.dramFilterReads)), ("dram_ofmap_writes", .number(a.dramOfmapWrites)),
                ("cycles_incl_prefetch", .number(cycles)), ("avg_dram_ifmap_bw", .number(bw.ifmap)),
                ("avg_dram_filter_bw", .number(bw.filter)), ("avg_dram_ofmap_bw", .number(bw.ofmap))]
    }

    /// The result as JSON; the ops are made one at a time as they are written.
    static func json(_ r: SimulationResult, numerics: SimulationNumerics? = nil, to w: inout ChunkedWriter,
                     notFitting: [CapacityNeeds.Overflow] = []) {
        let e = r.energy, fields = fields(r)
        let fit: [(String, JSON)] = notFitting.isEmpty ? []
            : [("fits", .bool(false)), ("overflows", .array(notFitting.map { .string($0.description) }))]
        JSON.object(fit + [
            ("hardware", .string(r.hardware)), ("workload", .string(r.workload)), ("precision", .string(r.precision)),
            ("clock_hz", .number(r.clockHertz)),
            ("totals", .object([
                ("cycles", .number(r.cycles)), ("seconds", .number(r.seconds)), ("macs", .number(r.macs)),
                ("energy_j", .number(r.energyJoules)), ("area_mm2", .number(r.areaSquareMillimetres)),
                ("off_chip_bytes", .number(r.offChipBytes)),
                ("energy_breakdown_j", .object([("compute", .number(e.compute)), ("on_chip_memory", .number(e.onChipMemory)),
                                                ("off_chip_memory", .number(e.offChipMemory)), ("static", .number(e.staticEnergy))])),
            ] + systolicTotals(r) + (numerics.map { SimulationNumerics.json($0.totals) } ?? []))),
            ("ops", .items(count: r.ops.count) { i in
                .object(fields.map { ($0.key, $0.value(r.ops[i], r)) }
                        + (numerics.map { SimulationNumerics.json($0.perOp[i]) } ?? []))
            }),
        ] + (r.notes.isEmpty ? [] : [("notes", .array(r.notes.map(JSON.string)))])).render(into: &w)
        w.write("\n")
    }

    static func csv(_ r: SimulationResult, to w: inout ChunkedWriter) {
        let fields = fields(r)
        w.write(fields.map(\.key).joined(separator: ",") + "\n")
        for op in r.ops {
            for (i, field) in fields.enumerated() {
                if i > 0 { w.write(",") }
                switch field.value(op, r) {
                case .string(let text) where text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }:
                    w.write("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                case .string(let text): w.write(text)
                case let value: value.render(into: &w)
                }
            }
            w.write("\n")
        }
    }

    static func table(_ r: SimulationResult) -> String {
        var out = "\(r.workload) on \(r.hardware), precision \(r.precision)\n\n"
        let top = slowest(15, of: r.ops)
        out += TextTable(header: ["op", "kind", "format", "MACs", "time", "energy", "bound", "util."], rows: top.map {
            [$0.name + ($0.repeatCount > 1 ? " ×\($0.repeatCount)" : ""), $0.kind.rawValue, $0.computeFormat.name, String(sci: $0.macs),
             formatSeconds($0.seconds), String(sci: $0.energy.total) + " J", $0.bound.rawValue, String(format2: $0.utilization * 100) + "%"]
        }).rendered() + "\n"
        if r.ops.count > top.count { out += "… \(r.ops.count - top.count) more ops (use --json or --csv for all)\n" }
        let e = r.energy
        out += "\ntotal: \(formatSeconds(r.seconds)), \(String(sci: r.cycles)) cycles, \(String(sci: r.macs)) MACs, "
            + "\(String(sci: r.energyJoules)) J (compute \(String(sci: e.compute)), on-chip \(String(sci: e.onChipMemory)), "
            + "off-chip \(String(sci: e.offChipMemory)), static \(String(sci: e.staticEnergy))), area \(String(format2: r.areaSquareMillimetres)) mm²\n"
        for note in r.notes { out += "note: \(note)\n" }
        return out
    }
}

/// The `count` slowest ops, slowest first, ties in trace order: the same as
/// a stable sort by time and a prefix, without sorting (or copying) a
/// million-op result to print fifteen rows.
func slowest(_ count: Int, of ops: [OpResult]) -> [OpResult] {
    var picked: [Int] = []  // indices, slowest first
    picked.reserveCapacity(count + 1)
    for i in ops.indices {
        let t = ops[i].seconds
        if picked.count == count, let last = picked.last, !(t > ops[last].seconds) { continue }
        var at = picked.count
        while at > 0 && t > ops[picked[at - 1]].seconds { at -= 1 }
        picked.insert(i, at: at)
        if picked.count > count { picked.removeLast() }
    }
    return picked.map { ops[$0] }
}

func formatSeconds(_ s: Double) -> String {
    s >= 1 ? String(format2: s) + " s" : s >= 1e-3 ? String(format2: s * 1e3) + " ms" : String(format2: s * 1e6) + " µs"
}
