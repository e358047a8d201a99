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

    /// One device and plan of a comparison: simulated (perhaps beyond the
    /// device's memory, `overflow` saying what does not fit) or not run, with why.
    public struct Run {
        public enum Outcome {
            case simulated(SimulationResult, overflow: String?)
            case notRun(reason: String)
        }
        public var hardware: HardwareModel
        public var plan: PrecisionPlan
        public var outcome: Outcome

        public init(hardware: HardwareModel, plan: PrecisionPlan, outcome: Outcome) {
            self.hardware = hardware
            self.plan = plan
            self.outcome = outcome
        }
    }

    /// Every run simulated and fitting: the form before runs could fail.
    public static func build(title: String, trace: Trace, results: [(HardwareModel, PrecisionPlan, SimulationResult)],
                             baseline: (hardware: String, precision: String), inputs: [String],
                             command: String, version: String, weightFormats: [String: NumberFormat] = [:]) throws -> ComparisonData {
        let runs = results.map { Run(hardware: $0.0, plan: $0.1, outcome: .simulated($0.2, overflow: nil)) }
        return try build(title: title, trace: trace, runs: runs, baseline: baseline, inputs: inputs, command: command,
                         version: version, weightFormats: weightFormats)
    }

    /// - Parameter weightFormats: a plan's weight format where the caller knows better than the
    ///   plan's default (an ONNX model's own quantization under the `model` plan).
    public static func build(title: String, trace: Trace, runs: [Run],
                             baseline: (hardware: String, precision: String), inputs: [String],
                             command: String, version: String,
                             weightFormats: [String: NumberFormat] = [:]) throws -> ComparisonData {
        var qsnrCache: [String: Double] = [:]
        var entries: [ComparisonData.Entry] = [], notRun: [ComparisonData.NotRun] = []
        for run in runs {
            let hardware = run.hardware, plan = run.plan
            guard case .simulated(let result, let overflow) = run.outcome else {
                if case .notRun(let reason) = run.outcome {
                    notRun.append(.init(hardware: hardware.name, hardwareFile: hardware.file, precision: plan.name,
                                        reason: reason))
                }
                continue
            }
            func weightQSNR(_ format: NumberFormat) -> Double {
                qsnrCache[format.name] ?? {
                    let q = ErrorStudy(format: format, samples: qsnrSamples, seed: 0).quantizationError()?.qsnrDecibels
                        ?? .nan
                    qsnrCache[format.name] = q
                    return q
                }()
            }
            // The weights' own formats where the run used several (a mixed-precision plan), else the plan's.
            let mix = weightFormats[plan.name] == nil ? weightMix(trace, result) : []
            let format = weightFormats[plan.name] ?? (mix.count == 1 ? mix[0].format : nil)
                ?? plan.defaults[.weight] ?? "fp32"
            var weightFormat = format.name, qsnr = 0.0, bitsPerWeight = format.bitsPerElement
            if mix.count > 1 {
                (weightFormat, bitsPerWeight, qsnr) = mixed(mix, qsnr: weightQSNR)
            } else {
                qsnr = weightQSNR(format)
            }
            let numerics = outputQSNR(hardware, plan, trace, result)
            let e = result.energy
            let memorySeconds = result.ops.filter { $0.bound == .memory }.reduce(0) { $0 + $1.seconds }
            let latencySeconds = result.ops.filter { $0.bound == .latency }.reduce(0) { $0 + $1.seconds }
            let vectorSeconds = result.ops.filter { !$0.kind.isMatrixProduct }.reduce(0) { $0 + $1.seconds }
            let top = result.ops.sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.name < $1.name }.prefix(5)
            entries.append(ComparisonData.Entry(
                hardware: hardware.name, hardwareFile: hardware.file, precision: plan.name, seconds: result.seconds,
                cycles: result.cycles, macs: result.macs, energyJoules: result.energyJoules, computeJoules: e.compute,
                onChipJoules: e.onChipMemory, offChipJoules: e.offChipMemory, staticJoules: e.staticEnergy,
                areaSquareMillimetres: result.areaSquareMillimetres,
                utilisedDatapathSquareMillimetres: result.utilisedDatapathSquareMillimetres(on: hardware),
                overflow: overflow, bitsPerWeight: bitsPerWeight,
                weightFormat: weightFormat, qsnrDecibels: qsnr,
                memoryBoundFraction: result.seconds > 0 ? memorySeconds / result.seconds : 0,
                latencyBoundFraction: result.seconds > 0 ? latencySeconds / result.seconds : 0,
                vectorOpFraction: result.seconds > 0 ? vectorSeconds / result.seconds : 0,
                topOps: top.map { ComparisonData.TopOp(name: $0.name + ($0.repeatCount > 1 ? " ×\($0.repeatCount)" : ""),
                                                      kind: $0.kind.rawValue, format: $0.computeFormat.name, seconds: $0.seconds,
                                                      energyJoules: $0.energy.total, bound: $0.bound.rawValue,
                                                      utilization: $0.utilization) },
                outputQSNRDecibels: numerics?.qsnr, outputQSNRLength: numerics?.qsnr == nil ? nil : numerics?.length,
                outputQSNRMissing: numerics?.missing,
                dequantizedTo: { (d: [String]) in d.isEmpty ? nil : d }(
                    Set(result.ops.filter(\.dequantized).map(\.computeFormat.name)).sorted())))
        }
        var devices: [ComparisonData.Device] = [], models: [HardwareModel] = []
        for run in runs where !models.contains(where: { $0.file == run.hardware.file }) {
            let hardware = run.hardware
            models.append(hardware)
            let cost = DatapathCost(model: hardware)
            var peaks: [String: Double] = [:], energies: [String: Double] = [:]
            for f in hardware.executableFormats {
                peaks[f.name] = hardware.peakOpsPerSecond(f) ?? 0
                energies[f.name] = fpgaMACPicojoules(hardware, f)
                    ?? cost.perMAC(f).energyPicojoules + hardware.macOverheadPicojoules(for: f)
            }
            let resources = hardware.spec.resourceTable(hardware)?.rows
            let area = DeviceArea(hardware)
            devices.append(ComparisonData.Device(
                name: hardware.name, file: hardware.file, source: hardware.source ?? "(no source given)",
                family: hardware.family, clockHertz: hardware.clockHertz,
                node: "\(hardware.technology) (\(hardware.technology.provenance.rawValue) scaling)",
                peaks: peaks, macEnergyPicojoules: energies,
                memory: hardware.memory.map { "\($0.name) (\($0.kind.rawValue)): \(bytes($0.capacityBytes)), \(bytes($0.bandwidthBytesPerSecond))/s, \(trimmed($0.energyPerByteJoules * 1e12)) pJ/B" },
                fpgaResources: resources,
                area: ComparisonData.Area(totalSquareMillimetres: area.totalSquareMillimetres,
                                          macArraySquareMillimetres: area.macArraySquareMillimetres,
                                          sizingFormat: area.sizingFormat?.name,
                                          scaleUnitsSquareMillimetres: area.scaleUnitsSquareMillimetres,
                                          onChipMemorySquareMillimetres: area.onChipMemorySquareMillimetres)))
        }
        let work = Self.work(trace)
        let summary = try? TraceSummary.of(trace, plan: runs.first?.plan ?? PrecisionPlan(name: "-", defaults: [:]))
        var data = ComparisonData(
            title: title, workload: trace.name, unit: work.unit, unitsPerInference: work.count,
            baselineHardware: baseline.hardware, baselinePrecision: baseline.precision, entries: entries, devices: devices,
            inputs: try inputs.map { ComparisonData.Input(path: $0, sha256: SHA256.hex(try readInputFile($0))) },
            command: command, version: version,
            qsnrMethod: "QSNR of each plan's weight format on \(qsnrSamples) N(0,1) samples (seed 0), per-tensor absmax scaling for scalar formats, the format's own block scales otherwise; "
                + "output QSNR of 32 seeded N(0,1) dot products of length K (the op with the most MACs) through the device's multiplier, accumulator and promotion interval with the plan's weight and input formats, against float64 on the unquantised data (n/a where the device has no emulation: L-Mul on integers, an integer accumulator fed by non-integer operands; an FPGA's LUT-built minifloat MACs accumulate exactly, in fixed point)")
        data.parameters = summary.map { Double($0.parameters) }
        data.activeParameters = summary.map { Double($0.activeParameters) }
        data.work = work.work
        data.notRun = notRun
        data.provenance = try ModelValidation.provenance(for: models)
        return data
    }

    /// Output (dot-product) QSNR on the device's arithmetic at the reduction
    /// length K = MACs / outputs of the op with the most MACs, in the formats
    /// that op ran in (its own, e.g. an ONNX graph's under the `model` plan, as
    /// the simulation resolved them; the plan's defaults when it has no result).
    /// nil for a trace without a matrix product; where the device has no
    /// emulation of those formats, no QSNR and the reason (`missing`).
    static func outputQSNR(_ hardware: HardwareModel, _ plan: PrecisionPlan, _ trace: Trace,
                           _ result: SimulationResult) -> (qsnr: Double?, length: Int, missing: String?)? {
        let counted = trace.ops.compactMap { op in (try? op.counts()).map { (op, $0) } }
        guard let (op, _) = counted.filter({ $0.1.outputElements > 0 && $0.1.macs > 0 })
            .max(by: { $0.1.macs < $1.1.macs })
        else { return nil }
        let k = op.reductionLength
        var weight = plan.defaults[.weight] ?? "fp32", input = plan.defaults[.input] ?? weight
        if let ran = result.ops.first(where: { $0.name == op.name && $0.kind == op.kind }) {
            let roles = result.formats(of: ran)
            input = roles.input ?? ran.computeFormat
            weight = roles.weight ?? input
        }
        let numerics = DeviceNumerics(model: hardware)
        guard let errors = numerics.errors(weightFormat: weight, inputFormat: input, length: k) else {
            return (nil, k, numerics.noEmulation(weight: weight, input: input)
                        ?? "the dot-product study of \(weight.name) × \(input.name) failed")
        }
        return (errors.output.qsnrDecibels, k, nil)
    }

    /// What one run of `trace` is, from its ops:
    /// - a transformer (a token embedding and attention): a decode step when the
    ///   first attention has one query per sequence and more than one position,
    ///   else a prefill (forward pass) of `seq_q` tokens; the batch is the
    ///   attention's (decode) or the embedded tokens over `seq_q` (prefill);
    /// - a CNN (a convolution): the first convolution's batch of images;
    /// - otherwise each matrix product (with its repetitions) is one GEMM, and
    ///   a trace without any is one inference.
    static func work(_ trace: Trace) -> (unit: String, count: Double, work: ComparisonData.Work) {
        func plural(_ n: Double, _ noun: String) -> String { "\(trimmedCount(n)) \(noun)\(n == 1 ? "" : "s")" }
        let attention = trace.ops.lazy.compactMap { op -> AttentionShape? in
            if op.kind == .attentionQK, case .attention(let a) = op.shape { return a } else { return nil }
        }.first
        if let embed = trace.ops.first(where: { $0.kind == .embedding }), case .embedding(let e) = embed.shape {
            let tokens = Double(e.tokens)
            guard let a = attention else {
                return ("token", tokens, .init(phase: nil, batch: nil, context: nil,
                                               description: "one pass over \(plural(tokens, "token"))",
                                               label: "pass over \(plural(tokens, "token"))"))
            }
            if a.seqQ == 1 && a.seqKV > 1 {
                let batch = Double(max(1, a.batch))
                let each = batch == 1 ? "1 new token" : "1 new token for each of \(plural(batch, "sequence")) "
                    + "(\(plural(tokens, "token")) in all)"
                return ("token", tokens, .init(
                    phase: "decode", batch: batch, context: Double(a.seqKV),
                    description: "one decode step at batch \(trimmedCount(batch)): \(each), "
                        + "\(a.seqKV) positions attended",
                    label: "decode step, batch \(trimmedCount(batch)) (\(plural(tokens, "token")))"))
            }
            let batch = max(1, (tokens / Double(max(1, a.seqQ))).rounded())
            return ("token", tokens, .init(
                phase: "prefill", batch: batch, context: nil,
                description: "one prefill at batch \(trimmedCount(batch)): "
                    + (batch == 1 ? plural(tokens, "token")
                        : "\(plural(Double(a.seqQ), "token")) for each of \(plural(batch, "sequence")) "
                            + "(\(plural(tokens, "token")) in all)"),
                label: "prefill, batch \(trimmedCount(batch)) (\(plural(tokens, "token")))"))
        }
        if let conv = trace.ops.first(where: { $0.kind == .conv2d }), case .conv2d(let c) = conv.shape {
            let images = Double(max(1, c.n))
            return ("image", images, .init(phase: nil, batch: images, context: nil,
                                           description: "one forward pass over a batch of \(plural(images, "image"))",
                                           label: "batch of \(plural(images, "image"))"))
        }
        let gemms = Double(trace.ops.filter { $0.kind.isMatrixProduct }.reduce(0) { $0 + $1.repeatCount })
        if gemms > 0 {
            return ("GEMM", gemms, .init(phase: nil, batch: nil, context: nil,
                                         description: "one run of the whole trace: \(plural(gemms, "matrix product"))",
                                         label: "trace of \(plural(gemms, "GEMM"))"))
        }
        return ("inference", 1, .init(phase: nil, batch: nil, context: nil, description: "one run of the whole trace",
                                      label: "run"))
    }
}

func bytes(_ x: Double) -> String {
    for (scale, unit) in [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")] where x >= scale { return trimmed(x / scale) + " " + unit }
    return trimmed(x) + " B"
}

/// A count: an integer as such, else three significant digits.
func trimmedCount(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : trimmed(x)
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

/// An FPGA's energy per MAC from its resources (`FPGAPower`), as the simulator prices it; nil on other families.
func fpgaMACPicojoules(_ hardware: HardwareModel, _ format: NumberFormat) -> Double? {
    guard let spec = hardware.spec as? FPGAFamily else { return nil }
    return FPGAPower(hardware)?.macPicojoules(format, spec: spec)
}
