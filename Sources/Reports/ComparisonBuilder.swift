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
                             command: String, version: String) throws -> ComparisonData {
        var qsnrCache: [String: Double] = [:]
        let entries = try results.map { hardware, plan, result -> ComparisonData.Entry in
            let weightFormat = plan.defaults[.weight] ?? "fp32"
            let format = try FormatCatalog.format(named: weightFormat)
            let qsnr = qsnrCache[weightFormat] ?? {
                let q = ErrorStudy(format: format, samples: qsnrSamples, seed: 0).quantizationError()?.qsnrDecibels ?? .nan
                qsnrCache[weightFormat] = q
                return q
            }()
            let numerics = outputQSNR(hardware, plan, trace)
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
                                                      utilization: $0.utilization) },
                outputQSNRDecibels: numerics?.qsnr, outputQSNRLength: numerics?.length)
        }
        var devices: [ComparisonData.Device] = []
        for (hardware, _, _) in results where !devices.contains(where: { $0.file == hardware.file }) {
            let cost = DatapathCost(model: hardware)
            var peaks: [String: Double] = [:], energies: [String: Double] = [:]
            for f in hardware.executableFormats {
                peaks[f] = hardware.peakOpsPerSecond(f) ?? 0
                energies[f] = cost.perMAC(f).energyPicojoules + hardware.macOverheadPicojoules
            }
            var fpga: [[String]]?
            if case .fpga(let f) = hardware.details {
                fpga = hardware.executableFormats.map { name in
                    let dsp = f.dspPacking.first { $0.format == name }.map { Double(f.dsps) * $0.macs } ?? 0
                    let luts = (try? FormatCatalog.format(named: name)).map { FPGAResources.lutsPerMAC($0) } ?? 0
                    return [name, trimmed(dsp), trimmed(hardware.lutMACsPerCycle(name)), String(luts)]
                }
            }
            devices.append(ComparisonData.Device(
                name: hardware.name, file: hardware.file, source: hardware.source ?? "(no source given)",
                family: hardware.family.rawValue, clockHertz: hardware.clockHertz,
                node: "\(hardware.technology) (\(hardware.technology.provenance.rawValue) scaling)",
                peaks: peaks, macEnergyPicojoules: energies,
                memory: hardware.memory.map { "\($0.name) (\($0.kind.rawValue)): \(bytes($0.capacityBytes)), \(bytes($0.bandwidthBytesPerSecond))/s, \(trimmed($0.energyPerByteJoules * 1e12)) pJ/B" },
                fpgaResources: fpga))
        }
        let (unit, count) = unitsPerInference(trace)
        return ComparisonData(
            title: title, workload: trace.name, unit: unit, unitsPerInference: count,
            baselineHardware: baseline.hardware, baselinePrecision: baseline.precision, entries: entries, devices: devices,
            inputs: try inputs.map { ComparisonData.Input(path: $0, sha256: SHA256.hex(try readInputFile($0))) },
            command: command, version: version,
            qsnrMethod: "QSNR of each plan's weight format on \(qsnrSamples) N(0,1) samples (seed 0), per-tensor absmax scaling for scalar formats, the format's own block scales otherwise; "
                + "output QSNR of 32 seeded N(0,1) dot products of length K (the op with the most MACs) through the device's multiplier, accumulator and promotion interval with the plan's weight and input formats, against float64 on the unquantised data (n/a where the device has no emulation: L-Mul on integers, an integer accumulator fed by non-integer operands)")
    }

    /// Output (dot-product) QSNR on the device's arithmetic at the reduction
    /// length K = MACs / outputs of the op with the most MACs.
    static func outputQSNR(_ hardware: HardwareModel, _ plan: PrecisionPlan, _ trace: Trace) -> (qsnr: Double, length: Int)? {
        let counted = trace.ops.compactMap { op in (try? op.counts()).map { (op, $0) } }
        guard let (_, c) = counted.filter({ $0.1.outputElements > 0 && $0.1.macs > 0 }).max(by: { $0.1.macs < $1.1.macs })
        else { return nil }
        let k = Int(c.macs / c.outputElements)
        let weight = plan.defaults[.weight] ?? "fp32", input = plan.defaults[.input] ?? weight
        guard let errors = DeviceNumerics(model: hardware).errors(weightFormat: weight, inputFormat: input, length: k) else {
            return nil
        }
        return (errors.output.qsnrDecibels, k)
    }

    /// Tokens (transformers: the rows of the token embedding) or images (the batch of the first convolution) per run.
    static func unitsPerInference(_ trace: Trace) -> (String, Double) {
        if let embed = trace.ops.first(where: { $0.kind == .embedding }) { return ("token", Double(embed[.tokens])) }
        if let conv = trace.ops.first(where: { $0.kind == .conv2d }) { return ("image", Double(conv[.n])) }
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
