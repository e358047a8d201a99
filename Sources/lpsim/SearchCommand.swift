import ArgumentParser
import DesignSpace
import Documents
import Foundation
import Hardware
import Simulator
import Workload

/// `lpsim search`: searches over formats (today: per-layer precision).
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search format assignments under a budget.",
        subcommands: [PrecisionSearchCommand.self])
}

/// `lpsim search precision`: HAWQ-V3's per-layer format assignment, solved exactly on lpsim's own costs.
struct PrecisionSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Choose one candidate plan per layer: the accuracy proxy least, latency, energy or size in budget.",
        discussion: """
            The proxy is Σ sensitivity × 10^(−QSNR/10) over layers (QSNR: the layer's output QSNR on the \
            device); sensitivity is a Hessian trace from --sensitivity (CSV 'layer,trace') or the parameter \
            count. Solved as a multiple-choice knapsack by dynamic programming, exact on costs rounded up to \
            1/--resolution of their range. Writes the plan (--plan, else standard output) and optionally a \
            report with the budget → proxy front (--output REPORT.md, chart REPORT-front.svg).
            """)

    @Option(help: "A hardware YAML file or a SCALE-Sim .cfg.") var hardware: String
    @Option(help: "A trace (.yaml, .jsonl, SCALE-Sim .csv or .onnx).") var workload: String
    @OptionGroup var onnx: ONNXOptions
    @Option(help: "Candidate plans, comma-separated (built-in names or plan files); the first is the default.")
    var candidates: String
    @Option(help: "What the budget limits: latency, energy or size (weight bytes).") var objective = "latency"
    @Option(help: "The budget, with a unit: '500 us', '20 mJ', '12 MB'.") var budget: String
    @Option(help: "A CSV of per-layer Hessian traces: header 'layer,trace', one row per layer.")
    var sensitivity: String?
    @Option(help: "Cost units the cost range is split into for the DP (1…1000000).") var resolution = 20_000
    @Option(help: "Budgets on the front, from the cheapest to the dearest uniform plan (2…200).") var frontPoints = 9
    @Option(help: "Write the chosen plan here (YAML) instead of standard output.") var plan: String?
    @Option(name: .shortAndLong, help: "Write a Markdown report here (and REPORT-front.svg beside it).")
    var output: String?
    @Option(help: "The report's title.") var title: String?
    @Flag(help: "Accept a chosen plan whose weights, KV cache and activations do not fit the device; warn.")
    var allowOverflow = false

    func run() throws {
        try reportingErrors {
            guard let objective = SearchObjective(rawValue: objective) else {
                throw CommandLineError(message: "--objective must be latency, energy or size, got '\(objective)'")
            }
            guard (2...200).contains(frontPoints) else {
                throw CommandLineError(message: "--front-points must be 2…200, got \(frontPoints)")
            }
            let limit: Double
            switch parseQuantity(budget, as: objective.dimension) {
            case .success(let v): limit = v
            case .failure(let e): throw CommandLineError(message: "--budget: \(e.message)")
            }
            if let output, !output.hasSuffix(".md") {
                throw CommandLineError(message: "--output must end in .md, got '\(output)'")
            }
            let names = try commaList(candidates, option: "candidates")
            if let twice = names.indices.first(where: { names[..<$0].contains(names[$0]) }) {
                throw CommandLineError(message: "--candidates: '\(names[twice])' is given twice")
            }
            let plans = try names.map { try PrecisionPlan.load($0) }
            let device = try HardwareLoader.load(hardware)
            let trace = try WorkloadInput.load(workload, plan: plans[0].name, onnx: onnx)
            let table = try LayerCostTable(hardware: device, trace: trace, traceFile: workload, candidates: plans)
            let traces = try sensitivity.map { try SensitivityFile.load($0, layers: table.layers) }
            let search = try PrecisionSearch(table: table, objective: objective, sensitivity: traces,
                                             sensitivityFile: sensitivity, resolution: resolution)
            let chosen = try search.solve(budget: limit)
            let stem = plan.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
            let mixed = search.plan(chosen, named: stem ?? "mixed-precision", trace: trace)
            // The chosen plan must fit the device as `simulate` requires (or --allow-overflow).
            _ = try capacityCheck(try capacityNeeds(trace, plan: mixed, file: workload), device, workload: workload,
                                  allowOverflow: allowOverflow)
            // The whole trace again under the plan itself: the figure the plan file will give `simulate`.
            let whole = try Simulator(hardware: device, plan: mixed).run(trace, traceFile: workload)
            let simulated = objective == .latency ? whole.seconds : objective == .energy ? whole.energyJoules : nil
            let yaml = MixedPlan.yaml(mixed, comments: [
                "Chosen by: \(commandLine())",
                "\(objective.rawValue) \(PrecisionSearch.format(chosen.cost, objective)) within "
                    + "\(PrecisionSearch.format(limit, objective)) on \(device.name); proxy "
                    + String(format: "%.2f dB", search.decibels(chosen.proxy)),
            ])
            var report: (path: String, chart: String, markdown: String, svg: String)?
            if let output {
                let directory = (output as NSString).deletingLastPathComponent
                let chart = ((output as NSString).lastPathComponent as NSString).deletingPathExtension + "-front.svg"
                let r = PrecisionSearchReport(
                    search: search, title: title ?? "Mixed-precision search: \(trace.name) on \(device.name)",
                    device: device.name, workload: trace.name, chosen: chosen, resimulatedCost: simulated,
                    planFile: plan, front: search.front(count: frontPoints), commandLine: commandLine())
                report = (output, directory.isEmpty ? chart : directory + "/" + chart, r.markdown(chartFile: chart),
                          r.chartSVG())
            }
            try checkDistinctOutputs([report?.path, report?.chart, plan].compactMap { $0 })
            if let report { try writeAtomically(report.svg, to: report.chart) }
            if let plan { try writeAtomically(yaml, to: plan) } else { try writeStandardOutput { $0.write(yaml) } }
            if let report { try writeAtomically(report.markdown, to: report.path) }
        }
    }
}
