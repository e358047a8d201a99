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
    @Option(help: """
        A built-in precision plan or a plan file (default: bf16; int8 on a SCALE-Sim .cfg, whose words are one \
        byte; for an ONNX model, 'model', its own formats).
        """)
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
            let plan = try PrecisionPlan.load(precision ?? WorkloadInput.defaultPlan(for: workload, hardware: hardware))
            // The trace streams through the simulator and each op's result, as it is made, into a scratch
            // file (its totals, written first, are known after the last op): nothing is held per op.
            var replay = Simulator.Replay(Simulator(hardware: device, plan: plan), traceFile: workload,
                                          keepingResults: false)
            var name = (workload as NSString).lastPathComponent
            var needs = CapacityNeeds(plan: plan)
            // The checks of a file's integer accumulator run in every mode (their warnings are not for JSON
            // readers only); the error emulation, and with it a family's fixed integer accumulation, only
            // for the JSON and CSV, which carry its figures.
            var numerics = SimulationNumerics(device: device, emulates: json || csv)
            var spool = json || csv ? try ResultSpool() : nil
            var slowest = SlowestOps(15)   // the table's rows
            var usage = OverrideUsage(plan)
            try WorkloadInput.stream(workload, plan: plan.name, onnx: onnx, header: { name = $0.name }, op: { op in
                do throws(ShapeError) { try needs.add(op) } catch {
                    throw Diagnostic(file: workload, message: "op '\(op.name)': \(error.message)")
                }
                usage.add(op)
                let result = try replay.add(op)
                let figures = numerics.active ? numerics.add(result, roles: replay.formats(of: result),
                                                             length: SimulationNumerics.reductionLength(op)) : nil
                guard spool != nil else { return slowest.add(result) }
                spool?.append(result, figures)
            })
            let overflows = try capacityCheck(needs, device, workload: workload, allowOverflow: allowOverflow)
            let result = replay.summary(workload: name), totals = replay.totals
            var stderr = StandardError()
            for w in numerics.warnings { print(w, to: &stderr) }
            for w in usage.warnings(trace: workload) { print(w, to: &stderr) }
            try spool?.rewind()
            // Written as produced (a million-op result is 430 MB of JSON); a file whole or not at all.
            let produce: (inout ChunkedWriter) throws -> Void = { w in
                if let spool, json {
                    SimulationOutput.json(result, totals, ops: spool, numerics: numerics, to: &w, notFitting: overflows)
                } else if let spool {
                    SimulationOutput.csv(result, totals, ops: spool, numerics: true, to: &w)
                } else {
                    w.write(SimulationOutput.table(result, totals, slowest: slowest.ops)
                            + overflows.map { "NOT FITTING: \($0)\n" }.joined())
                }
                try spool?.check()
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
    static func fields(_ t: SimulationTotals) -> [(key: String, value: @Sendable (OpResult, SimulationResult) -> JSON)] {
        t.access == nil ? opFields : opFields + systolicFields
    }

    /// The totals' SCALE-Sim counts, on a systolic array.
    static func systolicTotals(_ t: SimulationTotals) -> [(String, JSON)] {
        guard let a = t.access else { return [] }
        let cycles = t.cyclesInclPrefetch
        let bw = a.averageDRAMBandwidth(over: t.cycles)
        return [("sram_ifmap_reads", .number(a.sramIfmapReads)), ("sram_filter_reads", .number(a.sramFilterReads)),
                ("sram_ofmap_writes", .number(a.sramOfmapWrites)), ("dram_ifmap_reads", .number(a.dramIfmapReads)),
                ("dram_filter_reads", .number(a.dramFilterReads)), ("dram_ofmap_writes", .number(a.dramOfmapWrites)),
                ("cycles_incl_prefetch", .number(cycles)), ("avg_dram_ifmap_bw", .number(bw.ifmap)),
                ("avg_dram_filter_bw", .number(bw.filter)), ("avg_dram_ofmap_bw", .number(bw.ofmap))]
    }

    /// The result as JSON: `r` without its ops, whose sums are `t`; the ops
    /// are read from `spool` one at a time as they are written.
    static func json(_ r: SimulationResult, _ t: SimulationTotals, ops spool: ResultSpool,
                     numerics: SimulationNumerics? = nil, to w: inout ChunkedWriter,
                     notFitting: [CapacityNeeds.Overflow] = []) {
        let e = t.energy, fields = fields(t)
        let fit: [(String, JSON)] = notFitting.isEmpty ? []
            : [("fits", .bool(false)), ("overflows", .array(notFitting.map { .string($0.description) }))]
        JSON.object(fit + [
            ("hardware", .string(r.hardware)), ("workload", .string(r.workload)), ("precision", .string(r.precision)),
            ("clock_hz", .number(r.clockHertz)),
            ("totals", .object([
                ("cycles", .number(t.cycles)), ("seconds", .number(t.seconds)), ("macs", .number(t.macs)),
                ("energy_j", .number(t.energyJoules)), ("area_mm2", .number(r.areaSquareMillimetres)),
                ("off_chip_bytes", .number(t.offChipBytes)),
                ("energy_breakdown_j", .object([("compute", .number(e.compute)), ("on_chip_memory", .number(e.onChipMemory)),
                                                ("off_chip_memory", .number(e.offChipMemory)), ("static", .number(e.staticEnergy))])),
            ] + systolicTotals(t) + (numerics.map { SimulationNumerics.json($0.totals) } ?? []))),
            ("ops", .items(count: spool.count) { _ in
                let (op, figures) = spool.next()
                return .object(fields.map { ($0.key, $0.value(op, r)) }
                               + (numerics == nil ? [] : SimulationNumerics.json(figures)))
            }),
        ] + (r.notes.isEmpty ? [] : [("notes", .array(r.notes.map(JSON.string)))])).render(into: &w)
        w.write("\n")
    }

    /// One row per op with the JSON's per-op fields in its order, the numerics
    /// (`weight_qsnr_db`, `output_qsnr_db`, `overflow_probability`; empty where
    /// JSON has null) last when `numerics`.
    static func csv(_ r: SimulationResult, _ t: SimulationTotals, ops spool: ResultSpool, numerics: Bool = false,
                    to w: inout ChunkedWriter) {
        let fields = fields(t)
        let numericKeys = numerics ? SimulationNumerics.json(nil).map(\.0) : []
        w.write((fields.map(\.key) + numericKeys).joined(separator: ",") + "\n")
        for _ in 0..<spool.count {
            let (op, figures) = spool.next()
            let values = fields.map { $0.value(op, r) } + (numerics ? SimulationNumerics.json(figures).map(\.1) : [])
            for (i, value) in values.enumerated() {
                if i > 0 { w.write(",") }
                switch value {
                case .null: break
                case .string(let text) where text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }:
                    w.write("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                case .string(let text): w.write(text)
                case let value: value.render(into: &w)
                }
            }
            w.write("\n")
        }
    }

    /// The table: `r` without its ops, whose sums are `t`, and its slowest ops, slowest first.
    static func table(_ r: SimulationResult, _ t: SimulationTotals, slowest top: [OpResult]) -> String {
        var out = "\(r.workload) on \(r.hardware), precision \(r.precision)\n\n"
        out += TextTable(header: ["op", "kind", "format", "MACs", "time", "energy", "bound", "util."], rows: top.map {
            [$0.name + ($0.repeatCount > 1 ? " ×\($0.repeatCount)" : ""), $0.kind.rawValue, $0.computeFormat.name, String(sci: $0.macs),
             formatSeconds($0.seconds), String(sci: $0.energy.total) + " J", $0.bound.rawValue, String(format2: $0.utilization * 100) + "%"]
        }).rendered() + "\n"
        if t.ops > top.count { out += "… \(t.ops - top.count) more ops (use --json or --csv for all)\n" }
        let e = t.energy
        out += "\ntotal: \(formatSeconds(t.seconds)), \(String(sci: t.cycles)) cycles, \(String(sci: t.macs)) MACs, "
            + "\(String(sci: t.energyJoules)) J (compute \(String(sci: e.compute)), on-chip \(String(sci: e.onChipMemory)), "
            + "off-chip \(String(sci: e.offChipMemory)), static \(String(sci: e.staticEnergy))), area \(String(format2: r.areaSquareMillimetres)) mm²\n"
        for note in r.notes { out += "note: \(note)\n" }
        return out
    }
}

func formatSeconds(_ s: Double) -> String {
    s >= 1 ? String(format2: s) + " s" : s >= 1e-3 ? String(format2: s * 1e3) + " ms" : String(format2: s * 1e6) + " µs"
}
