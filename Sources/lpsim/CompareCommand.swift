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
            Every device runs every plan; plans a device cannot execute are an error. The report, \
            its two charts (REPORT-pareto.svg, REPORT-energy.svg) and the optional JSON are written \
            only after every simulation succeeded, each whole or not at all.
            """
    )

    @Option(name: .customLong("hardware"), help: "A hardware YAML file (repeat for several).") var hardware: [String]
    @Option(help: "A trace (.yaml, .jsonl or SCALE-Sim .csv).") var workload: String
    @Option(help: "Comma-separated precision plans (built-in names or plan files).") var precisions: String
    @Option(help: "The baseline plan (default: the first).") var baseline: String?
    @Option(help: "Report title.") var title: String?
    @Option(name: .shortAndLong, help: "The Markdown report to write (.md).") var output: String
    @Option(help: "Also write every figure as JSON (re-render with 'lpsim report').") var json: String?

    func run() throws {
        try reportingErrors {
            guard output.hasSuffix(".md") else { throw CommandLineError(message: "--output must end in .md, got '\(output)'") }
            let plans = try commaList(precisions, option: "precisions").map { try PrecisionPlan.load($0) }
            guard !plans.isEmpty, !hardware.isEmpty else { throw CommandLineError(message: "give at least one --hardware and one precision") }
            if let baseline, !plans.contains(where: { $0.name == baseline }) {
                throw CommandLineError(message: "--baseline '\(baseline)' is not among --precisions")
            }
            let devices = try hardware.map { try HardwareLoader.load($0) }
            let trace = try TraceReader.load(workload)
            var results: [(HardwareModel, PrecisionPlan, SimulationResult)] = []
            let total = devices.count * plans.count
            var progress = Progress(total: total)
            for device in devices {
                for plan in plans {
                    progress.step("\(plan.name) on \(device.name)")
                    results.append((device, plan, try Simulator(hardware: device, plan: plan).run(trace, traceFile: workload)))
                }
            }
            progress.finish()
            let data = try ComparisonBuilder.build(
                title: title ?? "\(trace.name): \(plans.map(\.name).joined(separator: " vs "))", trace: trace, results: results,
                baseline: (devices[0].name, baseline ?? plans[0].name), inputs: hardware + [workload] + plans.compactMap { plan in
                    FileManager.default.fileExists(atPath: plan.name) ? plan.name : nil },
                command: commandLine(), version: LPSimVersion.string)
            try ReportWriter.write(data, to: output, json: json)
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
        try checkDistinctOutputs([sibling(report.paretoFile), sibling(report.energyFile)] + (json.map { [$0] } ?? []) + [output])
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
