import Arithmetic
import Documents
import Foundation
import Formats
import Hardware
import Simulator
import Workload

/// Turns simulations of one workload on several devices and plans into
/// `ComparisonData`: per-entry totals, the weight format's QSNR, the ops
/// that took longest, and the facts about each device a reader needs.
public enum ComparisonBuilder {
    /// QSNR is measured on this many normal samples, seed 0, per weight format.
    public static let qsnrSamples = 65_536

    public static func build(title: String, trace: Trace, results: [(HardwareModel, PrecisionPlan, SimulationResult)],
                             baseline: (hardware: String, precision: String), inputs: [String],
                             command: String, version: String, weightFormats: [String: String] = [:]) throws -> ComparisonData {
        var qsnrCache: [String: Double] = [:]
        let entries = try results.map { hardware, plan, result -> ComparisonData.Entry in
            // A plan's default weight format, unless the caller knows better (an ONNX model's own quantization).
            let weightFormat = weightFormats[plan.name] ?? plan.defaults[.weight] ?? "fp32"
            let format = try FormatCatalog.format(named: weightFormat)
            let qsnr = qsnrCache[weightFormat] ?? {
                let q = ErrorStudy(format: format, samples: qsnrSamples, seed: 0).quantizationError()?.qsnrDecibels ?? .nan
                qsnrCache[weightFormat] = q
                return q
            }()
            let e = result.energy
            let memorySeconds = result.ops.filter { $0.bound == .memory }.reduce(0) { $0 + $1.seconds }
            let top = result.ops.sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.name < $1.name }.prefix(5)
            return ComparisonData.Entry(
                hardware: hardware.name, hardwareFile: hardware.file, precision: plan.name, seconds: result.seconds,
                cycles: result.cycles, macs: result.macs, energyJoules: result.energyJoules, computeJoules: e.compute,
                onChipJoules: e.onChipMemory, offChipJoules: e.offChipMemory, staticJoules: e.staticEnergy,
                areaSquareMillimetres: result.areaSquareMillimetres, bitsPerWeight: format.bitsPerElement,
                weightFormat: weightFormat, qsnrDecibels: qsnr,
                memoryBoundFraction: result.seconds > 0 ? memorySeconds / result.seconds : 0,
                topOps: top.map { ComparisonData.TopOp(name: $0.name + ($0.repeatCount > 1 ? " ×\($0.repeatCount)" : ""),
                                                      kind: $0.kind.rawValue, format: $0.computeFormat, seconds: $0.seconds,
                                                      energyJoules: $0.energy.total, bound: $0.bound.rawValue,
                                                      utilization: $0.utilization) })
        }
        var devices: [ComparisonData.Device] = []
        for (hardware, _, _) in results where !devices.contains(where: { $0.file == hardware.file }) {
            let cost = DatapathCost(model: hardware)
            var peaks: [String: Double] = [:], energies: [String: Double] = [:]
            for f in hardware.executableFormats {
                peaks[f] = hardware.peakOpsPerSecond(f) ?? 0
                energies[f] = cost.perMAC(f).energyPicojoules
                    + (hardware.format(named: f).map(hardware.macOverheadPicojoules(for:)) ?? 0)
            }
            let resources = hardware.spec.resourceTable(hardware)?.rows
            devices.append(ComparisonData.Device(
                name: hardware.name, file: hardware.file, source: hardware.source ?? "(no source given)",
                family: hardware.family, clockHertz: hardware.clockHertz,
                node: "\(hardware.technology) (\(hardware.technology.provenance.rawValue) scaling)",
                peaks: peaks, macEnergyPicojoules: energies,
                memory: hardware.memory.map { "\($0.name) (\($0.kind.rawValue)): \(bytes($0.capacityBytes)), \(bytes($0.bandwidthBytesPerSecond))/s, \(trimmed($0.energyPerByteJoules * 1e12)) pJ/B" },
                fpgaResources: resources))
        }
        let (unit, count) = unitsPerInference(trace)
        let summary = try? TraceSummary.of(trace, plan: results.first?.1 ?? PrecisionPlan(name: "-", defaults: [:]))
        var data = ComparisonData(
            title: title, workload: trace.name, unit: unit, unitsPerInference: count,
            baselineHardware: baseline.hardware, baselinePrecision: baseline.precision, entries: entries, devices: devices,
            inputs: try inputs.map { ComparisonData.Input(path: $0, sha256: SHA256.hex(try readInputFile($0))) },
            command: command, version: version,
            qsnrMethod: "QSNR of each plan's weight format on \(qsnrSamples) N(0,1) samples (seed 0), per-tensor absmax scaling for scalar formats, the format's own block scales otherwise")
        data.parameters = summary.map { Double($0.parameters) }
        data.activeParameters = summary.map { Double($0.activeParameters) }
        return data
    }

    /// Tokens (transformers: the rows of the token embedding) or images (the batch of the first convolution) per run.
    static func unitsPerInference(_ trace: Trace) -> (String, Double) {
        if let embed = trace.ops.first(where: { $0.kind == .embedding }), case .embedding(let e) = embed.shape {
            return ("token", Double(e.tokens))
        }
        if let conv = trace.ops.first(where: { $0.kind == .conv2d }), case .conv2d(let c) = conv.shape {
            return ("image", Double(c.n))
        }
        return ("inference", 1)
    }
}

func bytes(_ x: Double) -> String {
    for (scale, unit) in [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")] where x >= scale { return trimmed(x / scale) + " " + unit }
    return trimmed(x) + " B"
}

/// Three significant digits, no exponent for everyday magnitudes.
func trimmed(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "n/a" : (x < 0 ? "−∞" : "∞") }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e6 || magnitude < 1e-3 { return String(format: "%.3g", x) }
    let decimals = max(0, 2 - Int(log10(magnitude).rounded(.down)))
    return String(format: "%.\(decimals)f", x)
}
