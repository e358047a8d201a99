import Foundation
import Hardware
import Simulator
import Workload

/// Measurements taken on a real GPU by `scripts/gpu/measure_h200.py`, read back as held-out rows.
///
/// The script writes `gemm.csv` (`device,file,plan,m,n,k,tflops,source`: the fields of
/// `GEMMMeasurements.Point`) and `steps.csv` (`device,file,workload,plan,seconds,source`: a whole
/// decode or prefill step of a shipped workload). Committed under `measurements/<gpu>/` beside
/// `hardware/`, they become sections of the validation; nothing is fitted to them. Where no
/// measurement has been committed the report says so instead of showing an empty section.
extension ModelValidation {
    /// The directories `measurements/` may hold, in report order.
    static let measuredGPUs = ["h200"]

    struct MeasuredStep {
        var device: String, file: String, workload: String, plan: String
        var seconds: Double
        var source: String
    }

    enum MeasurementError: Error, CustomStringConvertible {
        case header(String, expected: String)
        case field(String, line: Int, column: Int, message: String)

        var description: String {
            switch self {
            case let .header(file, expected): "\(file):1:1: error: the header must be '\(expected)'"
            case let .field(file, line, column, message): "\(file):\(line):\(column): error: \(message)"
            }
        }
    }

    static let gemmHeader = "device,file,plan,m,n,k,tflops,source"
    static let stepHeader = "device,file,workload,plan,seconds,source"

    /// Splits a CSV the script wrote (no quoting: no field holds a comma), checking its header.
    static func records(_ text: String, header: String, file: String) throws -> [(line: Int, fields: [String])] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == header else { throw MeasurementError.header(file, expected: header) }
        let columns = header.split(separator: ",").count
        return try lines.enumerated().dropFirst().filter { !$0.element.isEmpty }.map { index, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == columns else {
                throw MeasurementError.field(file, line: index + 1, column: 1,
                                             message: "expected \(columns) fields, got \(fields.count)")
            }
            return (index + 1, fields)
        }
    }

    static func number<T: LosslessStringConvertible & Comparable & Numeric>(
        _ fields: [String], _ index: Int, line: Int, file: String, as _: T.Type
    ) throws -> T {
        guard let v = T(fields[index]), v > 0 else {
            let column = fields.prefix(index).reduce(1) { $0 + $1.count + 1 }
            throw MeasurementError.field(file, line: line, column: column,
                                         message: "expected a positive number, got '\(fields[index])'")
        }
        return v
    }

    /// GEMM rows of a `gemm.csv`.
    static func gemmPoints(csv text: String, file: String) throws -> [GEMMMeasurements.Point] {
        try records(text, header: gemmHeader, file: file).map { line, f in
            GEMMMeasurements.Point(
                device: f[0], file: f[1], plan: f[2],
                m: try number(f, 3, line: line, file: file, as: Int.self),
                n: try number(f, 4, line: line, file: file, as: Int.self),
                k: try number(f, 5, line: line, file: file, as: Int.self),
                tflops: try number(f, 6, line: line, file: file, as: Double.self), source: f[7])
        }
    }

    /// Whole-step rows of a `steps.csv`.
    static func measuredSteps(csv text: String, file: String) throws -> [MeasuredStep] {
        try records(text, header: stepHeader, file: file).map { line, f in
            MeasuredStep(device: f[0], file: f[1], workload: f[2], plan: f[3],
                         seconds: try number(f, 4, line: line, file: file, as: Double.self), source: f[5])
        }
    }

    /// The sections of every committed measurement directory, and a line for each GPU without one.
    /// `root` holds `hardware/`, `workloads/` and `measurements/`.
    static func measuredSections(root: String, hardware: (String) throws -> HardwareModel,
                                 gemmRow: (GEMMMeasurements.Point) throws -> Row) throws
        -> (sections: [(String, [Row])], missing: [String]) {
        var sections: [(String, [Row])] = [], missing: [String] = []
        for gpu in measuredGPUs {
            let directory = root + "/measurements/" + gpu
            let gemmFile = directory + "/gemm.csv", stepFile = directory + "/steps.csv"
            guard FileManager.default.fileExists(atPath: gemmFile) else {
                missing.append(gpu.uppercased())
                continue
            }
            let points = try gemmPoints(csv: try String(contentsOfFile: gemmFile, encoding: .utf8), file: gemmFile)
            var rows = try points.map(gemmRow)
            if FileManager.default.fileExists(atPath: stepFile) {
                let text = try String(contentsOfFile: stepFile, encoding: .utf8)
                let steps = try measuredSteps(csv: text, file: stepFile)
                for s in steps {
                    let result = try Simulator(hardware: try hardware(s.file), plan: try PrecisionPlan.load(s.plan))
                        .run(try TraceReader.load(root + "/" + s.workload))
                    let name = (s.workload as NSString).lastPathComponent
                    rows.append(Row(quantity: "\(s.device) \(s.plan) \(name) step",
                                    published: s.seconds * 1e3, lpsim: result.seconds * 1e3, unit: "ms",
                                    tolerance: 0.25, absolute: false, source: s.source, note: "held out",
                                    basis: .heldOut, device: s.file))
                }
            }
            sections.append(("\(gpu.uppercased()) measured through PyTorch — held out (scripts/gpu/measure_h200.py)",
                             rows))
        }
        return (sections, missing)
    }
}
