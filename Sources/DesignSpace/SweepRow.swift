import Documents
import Foundation

/// The result of one design point: its figures, or why it has none.
public struct SweepRow: Sendable {
    /// What became of a point. Every point has a row: none vanishes silently.
    public enum Status: String, Sendable, CaseIterable {
        /// Simulated; meets every constraint.
        case ok
        /// Over an area or peak-memory constraint: not simulated.
        case pruned
        /// Simulated, but beyond a power, latency, energy or QSNR constraint.
        case rejected
        /// The workload does not fit the device's memory (as `simulate` without `--allow-overflow`).
        case notFitting = "not-fitting"
        /// The device cannot run it (a format its datapath does not execute).
        case notRun = "not-run"
        /// The hardware at this point is not a valid device (the decoder's error).
        case invalid
    }

    /// The figures of a row, in column order; NaN where a row has none.
    public enum Metric: Int, CaseIterable, Sendable {
        case latency, cycles, energy, energyCompute, energyOnChip, energyOffChip, energyStatic, area, edp, power,
             peakMemory, outputQSNR, weightQSNR, utilization, macs

        public var column: String {
            ["latency_s", "cycles", "energy_j", "energy_compute_j", "energy_on_chip_j", "energy_off_chip_j",
             "energy_static_j", "area_mm2", "edp_js", "power_w", "peak_memory_bytes", "output_qsnr_db",
             "weight_qsnr_db", "utilization", "macs"][rawValue]
        }
    }

    public var index: Int
    public var status: Status
    public var reason: String
    public var metrics: [Double]
    /// `memory` or `latency` when that bound holds more than half the time, else `compute`; empty without a
    /// simulation.
    public var bound: String

    public init(index: Int, status: Status, reason: String = "") {
        self.index = index
        self.status = status
        self.reason = reason
        metrics = [Double](repeating: .nan, count: Metric.allCases.count)
        bound = ""
    }

    public subscript(_ m: Metric) -> Double {
        get { metrics[m.rawValue] }
        set { metrics[m.rawValue] = newValue }
    }

    /// The header of the CSV: index, status, reason, one column per axis, the metrics, bound.
    public static func csvHeader(axes: [String]) -> String {
        (["index", "status", "reason"] + axes + Metric.allCases.map(\.column) + ["bound"])
            .map(csvField).joined(separator: ",") + "\n"
    }

    /// The row as one CSV line; `labels` are its axis values.
    public func csvLine(labels: [String]) -> String {
        var fields = [String(index), status.rawValue, Self.csvField(reason)] + labels.map(Self.csvField)
        fields += metrics.map { $0.isFinite ? Self.number($0) : "" }
        fields.append(bound)
        return fields.joined(separator: ",") + "\n"
    }

    /// The row as one JSON object on a line; numeric axis values are numbers.
    public func jsonLine(axes: [String], labels: [String]) -> String {
        var parts = ["\"index\":\(index)", "\"status\":\"\(status.rawValue)\"",
                     "\"reason\":" + jsonQuoted(reason)]
        for (name, label) in zip(axes, labels) {
            parts.append(jsonQuoted(name) + ":" + (Self.isNumber(label) ? label : jsonQuoted(label)))
        }
        for m in Metric.allCases {
            let x = self[m]
            parts.append("\"\(m.column)\":" + (x.isFinite ? Self.number(x) : "null"))
        }
        parts.append("\"bound\":" + (bound.isEmpty ? "null" : "\"\(bound)\""))
        return "{" + parts.joined(separator: ",") + "}\n"
    }

    /// The shortest decimal that reads back as the same double (so rows read
    /// back by `sweep merge` give the unsharded run's figures exactly); an
    /// integral figure (a MAC count, a cycle count) without a `.0` (`decimalText`).
    static func number(_ x: Double) -> String { decimalText(x) }

    static func isNumber(_ s: String) -> Bool {
        guard let first = s.first, first == "-" || first.isNumber, Double(s) != nil else { return false }
        return s.allSatisfy { $0.isNumber || "-+.eE".contains($0) } && !s.hasSuffix(".")
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Reads a line `csvLine` wrote (with `axisCount` axis columns) back into a row.
    ///
    /// - Returns: nil when the line is not such a row.
    public static func parse(csv line: Substring, axisCount: Int) -> SweepRow? {
        let fields = splitCSV(line)
        let metricCount = Metric.allCases.count
        guard fields.count == 3 + axisCount + metricCount + 1, let index = Int(fields[0]),
              let status = Status(rawValue: fields[1]) else { return nil }
        var row = SweepRow(index: index, status: status, reason: fields[2])
        for m in Metric.allCases {
            let text = fields[3 + axisCount + m.rawValue]
            if text.isEmpty { continue }
            guard let x = Double(text) else { return nil }
            row[m] = x
        }
        row.bound = fields[fields.count - 1]
        return row
    }

    /// The fields of one CSV line (RFC 4180 quoting).
    static func splitCSV(_ line: Substring) -> [String] {
        var fields: [String] = [], field = "", quoted = false, i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" {
                        field.append("\"")
                        i = next
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(field); field = "" } else {
                field.append(c)
            }
            i = line.index(after: i)
        }
        fields.append(field)
        return fields
    }
}
