import Arithmetic
import ArgumentParser
import Documents
import Foundation
import Hardware
import Reports
import Simulator
import Workload

/// `lpsim compare`: one workload, several devices and precision plans, one Markdown report.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare precision plans (and devices) on one workload; write a Markdown report with SVG charts.",
        discussion: """
            Every device runs every plan. A plan whose formats a device lacks runs dequantised to the \
            widest format it executes (the title says so); one it truly cannot execute (or that demands \
            native execution), or a workload that does not fit a device's memory (without \
            --allow-overflow), becomes a row marked "not run" with the reason, and a warning; when \
            nothing runs at all the command fails and writes nothing. The report, its two charts \
            (REPORT-pareto.svg, REPORT-energy.svg) and the optional JSON are written only after every \
            simulation finished, each whole or not at all.
            """
    )

    @Option(name: .customLong("hardware"), help: "A hardware YAML file or SCALE-Sim .cfg (repeat for several).")
    var hardware: [String]
    @Option(help: "A trace (.yaml, .jsonl, SCALE-Sim .csv or .onnx; 'model' among the plans is its own formats).")
    var workload: String
    @Option(help: "Comma-separated precision plans (built-in names or plan files).") var precisions: String
    @Option(help: "The baseline plan (default: the first).") var baseline: String?
    @Option(help: "Report title.") var title: String?
    @Option(name: .shortAndLong, help: "The Markdown report to write (.md).") var output: String
    @Option(help: "Also write every figure as JSON (re-render with 'lpsim report').") var json: String?
    @Flag(help: "Simulate even where the workload does not fit a device's memory; the report's title says so.")
    var allowOverflow = false
    @OptionGroup var onnx: ONNXOptions
    @Option(help: "A checkpoint (.safetensors, .npy, .npz): adds each weight format's QSNR on the model's own weights.")
    var weights: String?

    func run() throws {
        try reportingErrors {
            guard output.hasSuffix(".md") else { throw CommandLineError(message: "--output must end in .md, got '\(output)'") }
            let planArguments = try commaList(precisions, option: "precisions")
            let plans = try planArguments.map { try PrecisionPlan.load($0) }
            guard !plans.isEmpty, !hardware.isEmpty else { throw CommandLineError(message: "give at least one --hardware and one precision") }
            if let baseline, !plans.contains(where: { $0.name == baseline }) {
                throw CommandLineError(message: "--baseline '\(baseline)' is not among --precisions")
            }
            let devices = try hardware.map { try HardwareLoader.load($0) }
            // An ONNX model is simulated with its own formats under the 'model' plan and without them under the others.
            let model = WorkloadInput.isONNX(workload) ? try WorkloadInput.importONNX(workload, onnx) : nil
            let trace = try model?.trace(keepingQuantization: plans[0].name == WorkloadInput.modelPlan)
                ?? TraceReader.load(workload, command: "compare")
            let overridden = model?.trace(keepingQuantization: false)
            func traceFor(_ plan: PrecisionPlan) -> Trace {
                guard let model, let overridden else { return trace }
                return plan.name == WorkloadInput.modelPlan ? model.trace(keepingQuantization: true) : overridden
            }
            var needs: [String: CapacityNeeds] = [:]
            for plan in plans where needs[plan.name] == nil {
                needs[plan.name] = try capacityNeeds(traceFor(plan), plan: plan, file: workload)
            }
            var runs: [ComparisonBuilder.Run] = []
            var progress = Progress(total: devices.count * plans.count)
            var stderr = StandardError()
            for plan in plans where !plan.overrides.isEmpty {
                var usage = OverrideUsage(plan)
                for op in traceFor(plan).ops { usage.add(op) }
                for w in usage.warnings(trace: workload) { print(w, to: &stderr) }
            }
            for device in devices {
                for plan in plans {
                    progress.step("\(plan.name) on \(device.name)")
                    runs.append(try run(plan, on: device, trace: traceFor(plan), needs: needs[plan.name]!))
                    if case .notRun(let reason) = runs.last!.outcome {
                        print("\(workload): warning: \(plan.name) on \(device.name) not run: \(reason)", to: &stderr)
                    } else if case .simulated(_, let over?) = runs.last!.outcome {
                        print("\(workload): warning: does not fit \(device.name) under \(plan.name): \(over)",
                              to: &stderr)
                    }
                }
            }
            progress.finish()
            let ran = runs.filter { if case .simulated = $0.outcome { true } else { false } }
            guard !ran.isEmpty else {
                let reasons = runs.map { run -> String in
                    guard case .notRun(let reason) = run.outcome else { return "" }
                    return "\(run.plan.name) on \(run.hardware.name): \(reason)"
                }
                throw Diagnostic(file: workload,
                                 message: "no plan ran on any device: " + reasons.joined(separator: "; "))
            }
            let notFitting = runs.compactMap { run -> String? in
                guard case .simulated(_, let over?) = run.outcome else { return nil }
                return "\(run.plan.name) on \(run.hardware.name): \(over)"
            }
            let dequantized = runs.compactMap { run -> String? in
                guard case .simulated(let result, _) = run.outcome, result.ops.contains(where: \.dequantized) else {
                    return nil
                }
                let formats = Set(result.ops.filter(\.dequantized).map(\.computeFormat.name)).sorted()
                return "\(run.plan.name) on \(run.hardware.name) runs dequantised to \(formats.joined(separator: ", "))"
            }
            var data = try ComparisonBuilder.build(
                title: (title ?? "\(trace.name): \(plans.map(\.name).joined(separator: " vs "))")
                    + (notFitting.isEmpty ? "" : " (NOT FITTING: \(notFitting.joined(separator: "; ")))")
                    + (dequantized.isEmpty ? "" : " (DEQUANTISED: \(dequantized.joined(separator: "; ")))"),
                trace: trace, runs: runs,
                baseline: (devices[0].name, baseline ?? plans[0].name), inputs: hardware + [workload]
                    // Plan files by the path given (a plan's name is its `name:` key, not its file).
                    + planArguments.filter { PrecisionPlan.named[$0] == nil }
                        .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    + (weights.map { [$0] } ?? []),
                command: commandLine(), version: LPSimVersion.string,
                weightFormats: model.map {
                    [WorkloadInput.modelPlan: WorkloadInput.dominantWeightFormat($0.trace(keepingQuantization: true))]
                } ?? [:])
            if let weights { try Self.addCheckpointQSNR(weights, to: &data) }
            try ReportWriter.write(data, to: output, json: json)
        }
    }
}

extension CompareCommand {
    /// One plan on one device: not run when the workload does not fit (unless
    /// `--allow-overflow`) or the device cannot execute a format the plan
    /// assigns (the simulator's diagnostic is the reason).
    func run(_ plan: PrecisionPlan, on device: HardwareModel, trace: Trace,
             needs: CapacityNeeds) throws -> ComparisonBuilder.Run {
        let over = needs.overflows(on: device)
        if !over.isEmpty && !allowOverflow {
            return .init(hardware: device, plan: plan, outcome: .notRun(
                reason: "does not fit: " + over.map(\.description).joined(separator: "; ")
                    + "; --allow-overflow simulates it anyway"))
        }
        do {
            let result = try Simulator(hardware: device, plan: plan).run(trace, traceFile: workload)
            let overflow = over.isEmpty ? nil : over.map(\.description).joined(separator: "; ")
            return .init(hardware: device, plan: plan, outcome: .simulated(result, overflow: overflow))
        } catch let d as Diagnostic {
            return .init(hardware: device, plan: plan, outcome: .notRun(reason: d.message))
        }
    }
}

/// `lpsim report`: re-render a report from saved results, without simulating.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Re-render a comparison report from its saved JSON.")

    @Argument(help: "The JSON written by 'lpsim compare --json'.") var results: String
    @Option(name: .shortAndLong, help: "The Markdown report to write (.md).") var output: String

    func run() throws {
        try reportingErrors {
            guard output.hasSuffix(".md") else { throw CommandLineError(message: "--output must end in .md, got '\(output)'") }
            let bytes = try readInputFile(results, maximumBytes: 64 << 20)
            try ReportWriter.write(try SavedComparison.decode(bytes, path: results), to: output, json: nil)
        }
    }
}

enum ReportWriter {
    /// Charts first, then the report, each atomically: a report never points at missing charts.
    static func write(_ data: ComparisonData, to output: String, json: String?) throws {
        let directory = (output as NSString).deletingLastPathComponent
        let stem = ((output as NSString).lastPathComponent as NSString).deletingPathExtension
        let report = MarkdownReport(data: data, stem: stem)
        func sibling(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every output named before any is written: two naming one file, or one naming an input, is refused.
        try checkDistinctOutputs([output] + (json.map { [$0] } ?? [])
                                 + [sibling(report.paretoFile), sibling(report.energyFile)])
        let jsonData = json == nil ? nil : try encoder.encode(data)
        let markdown = report.markdown()
        try writeAtomically(report.paretoSVG(), to: sibling(report.paretoFile))
        try writeAtomically(report.energySVG(), to: sibling(report.energyFile))
        if let json, let jsonData { try writeAtomically(jsonData, to: json) }
        try writeAtomically(markdown, to: output)
    }
}

/// A progress line on standard error, only when it is a terminal.
struct Progress {
    let total: Int
    var done = 0
    let interactive = isatty(2) == 1

    init(total: Int) { self.total = total }

    mutating func step(_ what: String) {
        done += 1
        guard interactive else { return }
        var stderr = StandardError()
        print("\r[\(done)/\(total)] \(what)\u{1B}[K", terminator: "", to: &stderr)
    }

    func finish() {
        guard interactive else { return }
        var stderr = StandardError()
        print("\r\u{1B}[K", terminator: "", to: &stderr)
    }
}

extension CompareCommand {
    /// Fills "QSNR on the model's own weights": each entry's weight format
    /// over every tensor of the checkpoint (`lpsim error --tensors`).
    static func addCheckpointQSNR(_ file: String, to data: inout ComparisonData) throws {
        let tensors = try TensorFile.open(file)
        let names = Array(Set(data.entries.map(\.weightFormat))).sorted()
        let formats = try names.map { try lookUpFormat($0) }
        let results = try TensorErrorReport.measure(tensors, formats)
        var byName: [String: Double] = [:]
        for (i, name) in names.enumerated() {
            byName[name] = results.reduce(SignalNoise()) { $0 + $1[i] }.qsnrDecibels
        }
        for i in data.entries.indices { data.entries[i].checkpointQSNRDecibels = byName[data.entries[i].weightFormat] }
        data.qsnrMethod += "; QSNR on the model's own weights: each weight format over every tensor of \(file) (lpsim error --tensors)"
    }
}
