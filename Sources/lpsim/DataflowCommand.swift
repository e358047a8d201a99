import ArgumentParser
import Documents
import Hardware
import Simulator
import Workload

/// `lpsim dataflow`: fold a workload onto an FPGA as a FINN-style dataflow
/// design (every matrix layer its own unit) and report its rate, latency
/// and per-layer resources. `lpsim simulate` runs the same device as an
/// overlay (one MAC array, layers in sequence).
struct DataflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataflow",
        abstract: "Fold a workload onto an FPGA as a FINN-style dataflow design: rate, latency, per-layer resources.")

    @Option(help: "An fpga hardware YAML file.") var hardware: String
    @Option(help: "A trace (.yaml, .jsonl or SCALE-Sim .csv).") var workload: String
    @Option(help: "A built-in precision plan or a plan file.") var precision = "int8"
    @Option(help: "Fold for this many inferences per second (the cheapest design reaching it), not the fastest.")
    var targetRate: Double?
    @Flag(help: "Sliding windows emit one pixel's channels at a time (FINN 2017's window unit): SIMD divides C.")
    var noParallelWindow = false
    @Option(name: .shortAndLong, help: "Write to FILE instead of standard output.") var output: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let device = try HardwareLoader.load(hardware)
            let plan = try PrecisionPlan.load(precision)
            let trace = try TraceReader.load(workload, command: "dataflow")
            var planner = try DataflowPlanner(hardware: device)
            planner.parallelWindow = !noParallelWindow
            planner.transfer = try DataflowTransfer(trace: trace, plan: plan, file: workload)
            let layers = try DataflowLayer.layers(of: trace, plan: plan, file: workload)
            let design = try planner.search(layers, targetInferencesPerSecond: targetRate, file: workload)
            let skipped = trace.ops.count - trace.ops.filter { $0.kind == .gemm || $0.kind == .conv2d }.count
            let text = json ? DataflowOutput.json(design, device: device, workload: trace.name)
                : DataflowOutput.table(design, device: device, workload: trace.name, skippedOps: skipped)
            if let output { try writeAtomically(text, to: output) } else { try writeStandardOutput { $0.write(text) } }
        }
    }
}

/// Renderings of a `DataflowDesign`.
enum DataflowOutput {
    static func table(_ d: DataflowDesign, device: HardwareModel, workload: String, skippedOps: Int) -> String {
        var out = "\(workload) on \(device.name), dataflow (one unit per matrix layer)\n\n"
        let rows = d.units.map { u -> [String] in
            [u.layer.name, "\(u.layer.rows)×\(u.layer.columns)×\(u.layer.pixels)", String(u.pe), String(u.simd),
             u.style.rawValue, u.store.rawValue, String(u.cycles), String(u.usage.luts), String(u.usage.flipFlops),
             String(u.usage.dsps), trimmed(u.usage.bram36), String(u.usage.uram)]
        }
        out += TextTable(header: ["layer", "MH×MW×pixels", "PE", "SIMD", "mult", "weights", "cycles", "LUT", "FF",
                                  "DSP", "BRAM36", "URAM"], rows: rows).rendered() + "\n\n"
        let t = d.total, b = d.budget
        func share(_ used: Double, _ of: Double) -> String { of > 0 ? String(format2: 100 * used / of) + "%" : "-" }
        out += "resources: LUT \(t.luts) of \(b.luts) (\(share(Double(t.luts), Double(b.luts)))), "
            + "FF \(t.flipFlops) of \(b.flipFlops) (\(share(Double(t.flipFlops), Double(b.flipFlops)))), "
            + "DSP \(t.dsps) of \(b.dsps) (\(share(Double(t.dsps), Double(b.dsps)))), "
            + "BRAM36 \(trimmed(t.bram36)) of \(trimmed(b.bram36)) (\(share(t.bram36, b.bram36))), "
            + "URAM \(t.uram) of \(b.uram) (\(share(Double(t.uram), Double(b.uram))))\n"
        out += "throughput: \(String(sci: d.inferencesPerSecond)) inferences/s (max II \(d.maxII) cycles at "
            + "\(String(sci: d.clockHertz)) Hz; bottleneck: \(d.bottleneck))\n"
        out += "latency: \(formatSeconds(d.latencySeconds))\n"
        if let width = (device.spec as? FPGAFamily)?.ioDMABits {
            out += "I/O DMA (\(width)-bit, one word per cycle): input \(d.inputDMACycles) cycles, output "
                + "\(d.outputDMACycles) cycles per inference\n"
        }
        let e = DataflowEnergy(d, hardware: device)
        let r = e.byResource, rates = e.rates
        let parts: [(String, Double)] = [("LUT", r.lut), ("FF", r.flipFlop), ("DSP", r.dsp), ("BRAM", r.bram),
                                         ("URAM", r.uram), ("off chip", e.offChipJoules), ("static", e.staticJoules)]
        let breakdown = parts.map { "\($0.0) \(String(sci: $0.1))" }.joined(separator: ", ")
        let watts = String(format2: e.watts(at: d.inferencesPerSecond))
        let toggles = "LUT \(percent(rates.lut)), FF \(percent(rates.flipFlop)), DSP \(percent(rates.dsp)), "
            + "BRAM/URAM enabled \(percent(rates.bram))"
        out += "energy per inference: \(String(sci: e.totalJoules)) J (\(breakdown)); \(watts) W at full rate "
            + "(an estimate: per-resource energies at toggle rates \(toggles))\n"
        if d.streamedBytesPerInference > 0 {
            out += "weights streamed from off-chip memory: \(String(sci: d.streamedBytesPerInference)) B "
                + "per inference\n"
        }
        if skippedOps > 0 {
            out += "note: \(skippedOps) non-matrix ops (norms, activations, pooling) are not mapped: FINN folds them "
                + "into thresholds and small streaming units, whose resources are not counted\n"
        }
        return out
    }

    static func json(_ d: DataflowDesign, device: HardwareModel, workload: String) -> String {
        func usage(_ u: FPGAUsage) -> JSON {
            .object([("lut", .number(Double(u.luts))), ("ff", .number(Double(u.flipFlops))),
                     ("dsp", .number(Double(u.dsps))), ("bram36", .number(u.bram36)),
                     ("uram", .number(Double(u.uram)))])
        }
        let energy = DataflowEnergy(d, hardware: device)
        return JSON.object([
            ("hardware", .string(device.name)), ("workload", .string(workload)), ("mapping", .string("dataflow")),
            ("clock_hz", .number(d.clockHertz)), ("inferences_per_s", .number(d.inferencesPerSecond)),
            ("max_ii_cycles", .number(Double(d.maxII))), ("latency_s", .number(d.latencySeconds)),
            ("bottleneck", .string(d.bottleneck)),
            ("streamed_bytes_per_inference", .number(d.streamedBytesPerInference)),
            ("input_dma_cycles", .number(Double(d.inputDMACycles))),
            ("output_dma_cycles", .number(Double(d.outputDMACycles))),
            ("resources", usage(d.total)), ("budget", usage(d.budget)),
            ("energy_j", .number(energy.totalJoules)),
            ("energy_breakdown_j", .object([("compute", .number(energy.computeJoules)),
                                            ("on_chip_memory", .number(energy.onChipJoules)),
                                            ("off_chip_memory", .number(energy.offChipJoules)),
                                            ("static", .number(energy.staticJoules)),
                                            ("lut", .number(energy.byResource.lut)),
                                            ("ff", .number(energy.byResource.flipFlop)),
                                            ("dsp", .number(energy.byResource.dsp)),
                                            ("bram", .number(energy.byResource.bram)),
                                            ("uram", .number(energy.byResource.uram))])),
            ("toggle_rates", .object([("lut", .number(energy.rates.lut)), ("ff", .number(energy.rates.flipFlop)),
                                      ("dsp", .number(energy.rates.dsp)), ("bram_enable", .number(energy.rates.bram)),
                                      ("uram_enable", .number(energy.rates.uram))])),
            ("watts", .number(energy.watts(at: d.inferencesPerSecond))),
            ("layers", .array(d.units.map { u in
                .object([("name", .string(u.layer.name)), ("mh", .number(Double(u.layer.rows))),
                         ("mw", .number(Double(u.layer.columns))), ("pixels", .number(Double(u.layer.pixels))),
                         ("pe", .number(Double(u.pe))), ("simd", .number(Double(u.simd))),
                         ("multipliers", .string(u.style.rawValue)), ("weights", .string(u.store.rawValue)),
                         ("cycles", .number(Double(u.cycles))), ("resources", usage(u.usage))])
            })),
        ]).rendered() + "\n"
    }

    static func percent(_ x: Double) -> String { trimmed((x * 1000).rounded() / 10) + "%" }

    static func trimmed(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
