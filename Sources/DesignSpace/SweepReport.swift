import Documents
import Foundation
import Reports

/// The Markdown report of a sweep: what ran and what did not (with reasons),
/// the best point per objective, three Pareto fronts as SVG and tables, and
/// the sensitivity of each objective to each axis. Made from the manifest
/// and the summary only, so that a merged sweep reports byte for byte what
/// the unsharded run does.
public struct SweepReport: Sendable {
    public let manifest: SweepManifest
    public let summary: SweepSummary

    public init(manifest: SweepManifest, summary: SweepSummary) {
        self.manifest = manifest
        self.summary = summary
    }

    static let charts = ["pareto-latency-energy", "pareto-energy-area", "pareto-energy-qsnr"]

    /// The chart of front `i` for workload `w`.
    func chart(_ i: Int, _ w: Int) -> String { Self.charts[i] + "-w\(w).svg" }

    var workloadLabels: [String] {
        manifest.dimensions[manifest.workloadDimension].first { $0.name == "workload" }?.labels ?? [""]
    }
    static let titles = ["latency – energy", "energy – area", "energy – output QSNR"]

    /// Writes the charts, then `report.md`, each atomically.
    public func write(to directory: String) throws {
        let wd = manifest.workloadDimension, radices = manifest.radices
        for (w, fronts) in summary.fronts.enumerated() {
            let sample = summary.sample.filter { ($0.index / radices[(wd + 1)...].reduce(1, *)) % radices[wd] == w }
            for (i, front) in fronts.enumerated() {
                try writeAtomically(SweepChart.svg(title: Self.titles[i] + ": " + workloadLabels[w], front: front,
                                                   sample: sample), to: directory + "/" + chart(i, w))
            }
        }
        try writeAtomically(markdown(), to: directory + "/report.md")
    }

    static func unit(_ m: SweepRow.Metric) -> String {
        switch m {
        case .latency: "s"
        case .energy: "J"
        case .area: "mm²"
        case .edp: "J·s"
        case .outputQSNR, .weightQSNR: "dB"
        default: ""
        }
    }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    static func number(_ x: Double) -> String {
        x.isFinite ? (abs(x) >= 0.01 && abs(x) < 1e5 ? String(format: "%.4g", x) : String(format: "%.3e", x)) : "–"
    }

    /// A point by the lead axis of each dimension that has more than one value, workload left out.
    func describe(_ r: SweepRow) -> String {
        var rest = r.index, parts: [String] = []
        let radices = manifest.radices
        for d in radices.indices.reversed() {
            let v = rest % radices[d]
            rest /= radices[d]
            let lead = manifest.dimensions[d][0]
            if radices[d] > 1 && lead.name != "workload" { parts.insert("\(lead.name)=\(lead.labels[v])", at: 0) }
        }
        return parts.joined(separator: ", ")
    }

    func rowCells(_ r: SweepRow) -> [String] {
        ["\(r.index)", describe(r)] + [SweepRow.Metric.latency, .energy, .area, .edp, .outputQSNR]
            .map { Self.number(r[$0]) } + [r.bound]
    }

    static let rowHeader = ["#", "point", "latency (s)", "energy (J)", "area (mm²)", "EDP (J·s)", "output QSNR (dB)",
                            "bound"]

    public func markdown() -> String {
        let s = summary
        var out = "# Sweep: \(manifest.name)\n\n"
        out += "\(manifest.points) design points: "
            + manifest.dimensions.indices.map { "\(manifest.dimensionName($0)) (\(manifest.radices[$0]))" }
                .joined(separator: " × ")
            + ". Rows: `points.csv`, `points.jsonl` (one per point, in index order).\n\n"
        out += "## Points\n\n"
        out += MarkdownReport.table(["status", "points"], SweepRow.Status.allCases.compactMap { st in
            s.counts[st].map { [st.rawValue, "\($0)"] }
        }) + "\n"
        if !s.reasons.isEmpty {
            out += "Why points did not run or were set aside (first 200 distinct reasons):\n\n"
            out += MarkdownReport.table(["status", "reason", "points"], s.reasons.map {
                [$0.status.rawValue, Self.cell($0.reason), "\($0.count)"]
            }) + "\n"
        }
        let names = ["lowest latency", "lowest energy", "smallest area", "lowest EDP", "highest output QSNR"]
        for (w, label) in workloadLabels.enumerated() {
            out += "## \(Self.cell(label))\n\n### Best point per objective\n\n"
            out += MarkdownReport.table(["objective"] + Self.rowHeader, zip(names, s.best[w]).compactMap { name, r in
                r.map { [name] + rowCells($0).map(Self.cell) }
            }) + "\n"
            for (i, front) in s.fronts[w].enumerated() {
                let sorted = front.points.sorted { ($0[front.x], $0.index) < ($1[front.x], $1.index) }
                out += "### Pareto front, \(Self.titles[i]) (\(sorted.count) points)\n\n"
                    + "![\(Self.titles[i])](\(chart(i, w)))\n\n"
                out += MarkdownReport.table(Self.rowHeader, sorted.prefix(25).map { rowCells($0).map(Self.cell) })
                out += sorted.count > 25 ? "\n… \(sorted.count - 25) more on the front (in `points.csv`).\n\n" : "\n"
            }
        }
        out += "## Sensitivity\n\n"
        out += "For each axis, the spread of each objective's mean over the axis's values: the mean is taken over "
            + "every `ok` point at that value (geometric for latency, energy, area and EDP, given as the ratio of the "
            + "largest "
            + "to the smallest mean, ×; arithmetic for QSNR, as the difference in dB). A main effect: it ignores "
            + "interactions, and pruned or failed points shift the means of the values they belong to.\n\n"
        out += MarkdownReport.table(["axis", "latency", "energy", "area", "EDP", "output QSNR"],
                                    manifest.dimensions.indices.map { d in
            [manifest.dimensionName(d)] + SweepSummary.objectives.indices.map { i in
                s.sensitivity(dimension: d, objective: i).map {
                    SweepSummary.objectives[i] == .outputQSNR ? String(format: "%.2f dB", $0)
                        : String(format: "%.3g×", $0)
                } ?? "–"
            }
        }) + "\n"
        return out
    }
}
