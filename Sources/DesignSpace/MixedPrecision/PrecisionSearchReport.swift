import Foundation
import Reports

/// The Markdown report of a search: what was searched and how, the chosen plan against the uniform
/// ones, the budget → proxy front (table and SVG chart) and every layer's choice. Deterministic: the
/// same search gives the same bytes.
public struct PrecisionSearchReport: Sendable {
    public var search: PrecisionSearch
    public var title: String
    public var device: String
    public var workload: String
    /// The chosen plan and its cost as re-simulated from the plan written to disk (nil: not re-simulated).
    public var chosen: PrecisionSearch.Point
    public var resimulatedCost: Double?
    public var planFile: String?
    public var front: [PrecisionSearch.Point]
    public var commandLine: String

    public init(search: PrecisionSearch, title: String, device: String, workload: String,
                chosen: PrecisionSearch.Point, resimulatedCost: Double?, planFile: String?,
                front: [PrecisionSearch.Point], commandLine: String) {
        self.search = search; self.title = title; self.device = device; self.workload = workload
        self.chosen = chosen; self.resimulatedCost = resimulatedCost; self.planFile = planFile
        self.front = front; self.commandLine = commandLine
    }

    var names: [String] { search.table.candidates.map(\.name) }
    func cost(_ v: Double) -> String { PrecisionSearch.format(v, search.objective) }
    func db(_ proxy: Double) -> String { String(format: "%.2f", search.decibels(proxy)) }
    func proxy(_ v: Double) -> String { String(format: "%.4g", v) }

    /// A table's header rule, spelled `| --- |` as the other reports (and scripts/check_reports.sh) spell it.
    static func rule(_ columns: Int) -> String { "|" + String(repeating: " --- |", count: columns) + "\n" }

    /// How many layers take each candidate, as `int8 ×40, int4 ×13`.
    func mix(_ p: PrecisionSearch.Point) -> String {
        names.indices.map { j in "\(names[j]) ×\(p.choices.filter { $0 == j }.count)" }.joined(separator: ", ")
    }

    /// The report; `chartFile` is the SVG's name beside it.
    public func markdown(chartFile: String) -> String {
        let s = search, t = s.table, objective = s.objective.rawValue
        let uniforms = t.candidates.indices.map { s.uniform($0) }
        var md = "# \(title)\n\n"
        md += "Mixed-precision search (HAWQ-V3, Yao et al., ICML 2021; FLIQS, Dotzel et al., 2023) of \(workload) on "
            + "\(device): one of \(names.joined(separator: ", ")) per layer, the \(objective) within a budget, the "
            + "accuracy proxy least.\n\n## The chosen plan\n\n"
        md += "- **Budget:** \(cost(chosen.budget)) of \(objective); the chosen plan needs \(cost(chosen.cost))"
        if let r = resimulatedCost { md += " (\(cost(r)) with the plan simulated whole)" }
        md += ".\n- **Mix:** \(mix(chosen)) of \(t.layers.count) layers"
        if let planFile { md += "; plan written to `\(planFile)`" }
        md += ".\n"
        for (j, u) in uniforms.enumerated() {
            md += "- **Uniform \(names[j]):** \(cost(u.cost)), proxy \(db(u.proxy)) dB.\n"
        }
        md += "- **Chosen:** proxy \(db(chosen.proxy)) dB (sensitivity-weighted output QSNR; higher is better).\n\n"
        md += "| plan | \(objective) | proxy Σ s·noise | proxy (dB) | layers per candidate |\n"
            + Self.rule(5)
        for (j, u) in uniforms.enumerated() {
            md += "| uniform \(names[j]) | \(cost(u.cost)) | \(proxy(u.proxy)) | \(db(u.proxy)) | \(mix(u)) |\n"
        }
        md += "| **chosen** | \(cost(chosen.cost)) | \(proxy(chosen.proxy)) | \(db(chosen.proxy)) "
            + "| \(mix(chosen)) |\n\n"
        md += "## The budget → proxy front\n\n![front](\(chartFile))\n\n"
        md += "| point | budget | plan's \(objective) | proxy Σ s·noise | proxy (dB) | layers per candidate |\n"
            + Self.rule(6)
        for (i, p) in front.enumerated() {
            md += "| B\(i + 1) | \(cost(p.budget)) | \(cost(p.cost)) | \(proxy(p.proxy)) | \(db(p.proxy)) "
                + "| \(mix(p)) |\n"
        }
        md += "\n## Layers of the chosen plan\n\n"
        md += "| layer | parameters | sensitivity | format | "
            + names.map { "\(objective) in \($0) | QSNR in \($0) (dB)" }.joined(separator: " | ") + " |\n"
        md += Self.rule(4 + 2 * names.count)
        let costs = t.costs(s.objective)
        for (l, layer) in t.layers.enumerated() {
            let chosenName = names[chosen.choices[l]]
            md += "| \(layer.name) | \(Int64(layer.parameters)) | \(String(format: "%.4g", s.sensitivity[l])) | "
                + (chosen.choices[l] == 0 ? chosenName : "**\(chosenName)**") + " | "
                + names.indices.map { j in
                    cost(costs[l][j]) + " | " + String(format: "%.2f", t.outputQSNR[l][j])
                }.joined(separator: " | ") + " |\n"
        }
        md += "\n" + method() + "\n## Provenance\n\n```\n\(commandLine)\n```\n"
        return md
    }

    func method() -> String {
        let s = search, k = s.knapsack
        var md = "## Method\n\n"
        md += "- A layer is a matrix product and the non-matrix ops after it up to the next one (ops before the first "
            + "join the first layer); the first candidate "
            + "(\(names[0])) is the plan's default, every other choice an override by op name.\n"
        md += "- Cost: lpsim's Simulator, the trace simulated once per candidate; a plan's \(s.objective.rawValue) is "
            + "the sum of each layer's figure under its candidate.\n"
        md += "- Proxy: Σ sensitivity × noise, noise = 10^(−QSNR/10) with QSNR the layer's output QSNR on the "
            + "device "
            + "(as `simulate --json` reports it); sensitivity: "
            + (s.sensitivityFile.map { "Hessian traces from `\($0)`" } ?? "the layer's parameter count (default)")
            + ".\n"
        if s.sensitivityFile == nil, s.table.layers.contains(where: { $0.parameters == 0 }) {
            md += "- **Note:** some layers have no parameters (attention products): under the default sensitivity "
                + "their noise counts for nothing; give a sensitivity file to weigh them.\n"
        }
        md += "- Solver: a multiple-choice knapsack by dynamic programming (HAWQ-V3's integer program). Costs above "
            + "each layer's cheapest are rounded up to units of \(cost(k.step)) (the cost range over "
            + "\(k.resolution) units); the solution is exact on these discretised costs and never over budget; "
            + "ties go to fewer units, then to the earlier candidate.\n"
        return md
    }

    /// The front as a chart: the proxy in dB (higher is better) against the objective above the cheapest
    /// uniform plan (the chart's axis starts at 0, so the front fills it).
    public func chartSVG() -> String {
        let s = search
        let scale: Double, unit: String
        switch s.objective {
        case .latency: (scale, unit) = (1e6, "µs")
        case .energy: (scale, unit) = (1e3, "mJ")
        case .size: (scale, unit) = (1e-6, "MB")
        }
        let uniforms = s.table.candidates.indices.map { s.uniform($0) }
        let floor = uniforms.map(\.cost).min()!
        func y(_ p: PrecisionSearch.Point) -> Double { (p.cost - floor) * scale }
        var points = front.enumerated().map { i, p in
            SVGChart.Point(x: s.decibels(p.proxy), y: y(p), label: "B\(i + 1)", series: "\(device) · front")
        }
        points += uniforms.enumerated().map { j, u in
            SVGChart.Point(x: s.decibels(u.proxy), y: y(u), label: "all \(names[j])", series: "\(device) · uniform")
        }
        points.append(.init(x: s.decibels(chosen.proxy), y: y(chosen), label: "chosen", series: "\(device) · chosen"))
        let cheapest = names[uniforms.firstIndex { $0.cost == floor }!]
        return SVGChart.scatter(title: title, xLabel: "accuracy proxy: sensitivity-weighted output QSNR (dB)",
                                yLabel: "\(s.objective.rawValue) above all \(cheapest) (\(unit))", points: points)
    }
}
