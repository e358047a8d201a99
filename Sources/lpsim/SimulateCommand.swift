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

    @Option(help: "A hardware YAML file.") var hardware: String
    @Option(help: "A trace (.yaml, .jsonl or SCALE-Sim .csv).") var workload: String
    @Option(help: "A built-in precision plan or a plan file.") var precision = "bf16"
    @Option(name: .shortAndLong, help: "Write to FILE (written whole or not at all) instead of standard output.") var output: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV, one row per op.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
    }

    func run() throws {
        try reportingErrors {
            let device = try HardwareLoader.load(hardware)
            let plan = try PrecisionPlan.load(precision)
            // The trace streams through the simulator: its ops are never held, only their results.
            var replay = Simulator.Replay(Simulator(hardware: device, plan: plan), traceFile: workload)
            var name = (workload as NSString).lastPathComponent
            var count = 0
            try TraceReader.stream(workload, header: { name = $0.name }, op: {
                count += 1
                guard count <= TraceReader.maximumHeldOps else { throw TraceReader.tooManyOps(workload, command: "simulate") }
                try replay.add($0)
            })
            let result = replay.result(workload: name)
            // Written as produced (a million-op result is 430 MB of JSON); a file whole or not at all.
            let produce: (inout ChunkedWriter) -> Void = { w in
                if json { SimulationOutput.json(result, to: &w) } else if csv { SimulationOutput.csv(result, to: &w) } else {
                    w.write(SimulationOutput.table(result))
                }
            }
            if let output { try writeAtomically(to: output, produce) } else { try writeStandardOutput(produce) }
        }
    }
}

/// The three renderings of a `SimulationResult`.
enum SimulationOutput {
    /// The per-op fields of the contract, in order, for JSON and CSV alike.
    static let opFields: [(key: String, value: @Sendable (OpResult) -> JSON)] = [
        ("name", { .string($0.name) }), ("kind", { .string($0.kind.rawValue) }),
        ("repeat", { .number(Double($0.repeatCount)) }), ("format", { .string($0.computeFormat) }),
        ("macs", { .number($0.macs) }), ("cycles", { .number($0.cycles) }), ("compute_cycles", { .number($0.computeCycles) }),
        ("stall_cycles", { .number($0.stallCycles) }), ("seconds", { .number($0.seconds) }),
        ("energy_j", { .number($0.energy.total) }), ("bound", { .string($0.bound.rawValue) }),
        ("utilization", { .number($0.utilization) }), ("off_chip_bytes", { .number($0.offChipBytes) }),
    ]

    /// The result as JSON; the ops are made one at a time as they are written.
    static func json(_ r: SimulationResult, to w: inout ChunkedWriter) {
        let e = r.energy
        JSON.object([
            ("hardware", .string(r.hardware)), ("workload", .string(r.workload)), ("precision", .string(r.precision)),
            ("clock_hz", .number(r.clockHertz)),
            ("totals", .object([
                ("cycles", .number(r.cycles)), ("seconds", .number(r.seconds)), ("macs", .number(r.macs)),
                ("energy_j", .number(r.energyJoules)), ("area_mm2", .number(r.areaSquareMillimetres)),
                ("off_chip_bytes", .number(r.offChipBytes)),
                ("energy_breakdown_j", .object([("compute", .number(e.compute)), ("on_chip_memory", .number(e.onChipMemory)),
                                                ("off_chip_memory", .number(e.offChipMemory)), ("static", .number(e.staticEnergy))])),
            ])),
            ("ops", .items(count: r.ops.count) { i in .object(opFields.map { ($0.key, $0.value(r.ops[i])) }) }),
        ]).render(into: &w)
        w.write("\n")
    }

    static func csv(_ r: SimulationResult, to w: inout ChunkedWriter) {
        w.write(opFields.map(\.key).joined(separator: ",") + "\n")
        for op in r.ops {
            for (i, field) in opFields.enumerated() {
                if i > 0 { w.write(",") }
                switch field.value(op) {
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
            [$0.name + ($0.repeatCount > 1 ? " ×\($0.repeatCount)" : ""), $0.kind.rawValue, $0.computeFormat, String(sci: $0.macs),
             formatSeconds($0.seconds), String(sci: $0.energy.total) + " J", $0.bound.rawValue, String(format2: $0.utilization * 100) + "%"]
        }).rendered() + "\n"
        if r.ops.count > top.count { out += "… \(r.ops.count - top.count) more ops (use --json or --csv for all)\n" }
        let e = r.energy
        out += "\ntotal: \(formatSeconds(r.seconds)), \(String(sci: r.cycles)) cycles, \(String(sci: r.macs)) MACs, "
            + "\(String(sci: r.energyJoules)) J (compute \(String(sci: e.compute)), on-chip \(String(sci: e.onChipMemory)), "
            + "off-chip \(String(sci: e.offChipMemory)), static \(String(sci: e.staticEnergy))), area \(String(format2: r.areaSquareMillimetres)) mm²\n"
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
