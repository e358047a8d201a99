import Arithmetic
import Documents
import Formats
import Hardware
import Workload

/// Replays a trace on a device under a precision plan, op by op in O(1)
/// each (no per-cycle loops): cycles from the device family's model, energy
/// from the `Arithmetic` cost of each MAC plus every byte at every memory
/// level plus static power, area from the MAC array and on-chip memories.
public struct Simulator: Sendable {
    public let hardware: HardwareModel
    public let plan: PrecisionPlan
    let cost: DatapathCost

    public init(hardware: HardwareModel, plan: PrecisionPlan) {
        self.hardware = hardware
        self.plan = plan
        self.cost = DatapathCost(model: hardware)
    }

    /// Simulates every op of `trace`.
    ///
    /// - Throws: `Diagnostic` when the device cannot execute a format the
    ///   plan assigns, or an op's counts overflow.
    public func run(_ trace: Trace, traceFile: String = "") throws -> SimulationResult {
        var results: [OpResult] = []
        results.reserveCapacity(trace.ops.count)
        for op in trace.ops { results.append(try simulate(op, file: traceFile)) }
        return SimulationResult(hardware: hardware.name, hardwareFile: hardware.file, workload: trace.name,
                                precision: plan.name, clockHertz: hardware.clockHertz, ops: results,
                                areaSquareMillimetres: area(for: results))
    }

    /// The format the MACs of an op run in: the widest of its weight and
    /// input formats that the datapath executes (W4A16 runs at the FP16
    /// rate; weights are dequantized on the way in).
    func computeFormat(_ formats: [OperandRole: String], op: Op) throws -> String {
        let candidates = [formats[.input], formats[.weight]].compactMap { $0 }
        let widths = candidates.map { (try? FormatCatalog.format(named: $0).bitsPerElement) ?? 32 }
        let ordered = zip(candidates, widths).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
        for name in ordered where hardware.macsPerCycle(name) != nil { return name }
        // A block format whose element the device executes natively.
        for name in ordered {
            if case .block(let b)? = try? FormatCatalog.format(named: name), hardware.macsPerCycle(b.element.name) != nil {
                return b.element.name
            }
        }
        throw Diagnostic(file: hardware.file, message: "\(hardware.name) cannot execute op '\(op.name)' in \(ordered.joined(separator: " or ")) (precision plan '\(plan.name)'); it executes \(hardware.executableFormats.joined(separator: ", "))")
    }

    func bytes(_ elements: Int64, _ format: String?) -> Double {
        let bits = format.flatMap { try? FormatCatalog.format(named: $0).bitsPerElement } ?? 16
        return Double(elements) * bits / 8
    }

    public func simulate(_ op: Op, file: String = "") throws -> OpResult {
        let counts: OpCounts
        do throws(ShapeError) { counts = try op.counts() } catch {
            throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
        }
        let formats = plan.formats(for: op)
        let r = Double(op.repeatCount)
        let weightBytes = bytes(counts.weightElements, formats[.weight])
        let inputBytes = bytes(counts.inputElements, formats[.input])
        let outputBytes = bytes(counts.outputElements, formats[.output])
        let clock = hardware.clockHertz
        var timing: Timing
        var format = formats[.input] ?? "bf16"
        if op.kind.isMatrixProduct, let view = try GEMMView(op) {
            format = try computeFormat(formats, op: op)
            timing = try matrixTiming(view, format: format, weightBytes: weightBytes, inputBytes: inputBytes, outputBytes: outputBytes)
        } else {
            timing = vectorTiming(otherOps: Double(counts.otherOps), bytes: weightBytes + inputBytes + outputBytes)
        }
        let perMAC = op.kind.isMatrixProduct ? cost.perMAC(format).energyPicojoules + hardware.macOverheadPicojoules : 0
        var energy = EnergyBreakdown()
        energy.compute = (Double(counts.macs) * perMAC + Double(counts.otherOps) * vectorOpPicojoules) * 1e-12 * r
        energy.offChipMemory = timing.offChipBytes * (hardware.offChip?.energyPerByteJoules ?? 0) * r
        energy.onChipMemory = timing.onChipBytes * onChipEnergyPerByte * r
        let cycles = timing.cycles * r
        let seconds = cycles / clock + timing.overheadSeconds * r
        energy.staticEnergy = hardware.staticWatts * seconds
        let peak = (hardware.macsPerCycle(format) ?? 1) * clock
        return OpResult(name: op.name, kind: op.kind, repeatCount: op.repeatCount, computeFormat: format, formats: formats,
                        macs: Double(counts.macs) * r, cycles: cycles, computeCycles: timing.computeCycles * r,
                        stallCycles: max(0, timing.cycles - timing.computeCycles) * r, seconds: seconds, energy: energy,
                        bound: timing.memoryCycles > timing.computeCycles ? .memory : .compute,
                        offChipBytes: timing.offChipBytes * r,
                        utilization: seconds > 0 ? min(1, Double(counts.macs) * r / (peak * seconds)) : 0)
    }

    /// Per-repetition timing of an op.
    struct Timing {
        var computeCycles: Double
        var memoryCycles: Double
        var cycles: Double
        var offChipBytes: Double
        var onChipBytes: Double
        var overheadSeconds: Double
    }

    /// Energy of one non-MAC operation: an FP16 add at the device's node.
    var vectorOpPicojoules: Double {
        CellCostModel().cost(of: .floatAdder(exponentBits: 5, mantissaBits: 10), at: hardware.technology).energyPicojoules
    }

    /// Energy per byte of the on-chip level next to off-chip memory (where operands are staged).
    var onChipEnergyPerByte: Double {
        hardware.memory.last { !$0.kind.isOffChip }?.energyPerByteJoules ?? 0
    }

    /// Off-chip bandwidth in bytes per cycle, derated by the level's achievable fraction.
    var offChipBytesPerCycle: Double {
        guard let level = hardware.offChip else { return .infinity }
        return level.bandwidthBytesPerSecond * level.achievableFraction / hardware.clockHertz
    }

    func vectorTiming(otherOps: Double, bytes: Double) -> Timing {
        let memory = bytes / offChipBytesPerCycle
        let compute = otherOps / hardware.vectorOpsPerCycle
        return Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory), offChipBytes: bytes,
                      onChipBytes: bytes, overheadSeconds: hardware.launchOverheadSeconds)
    }
}

extension HardwareModel {
    /// Non-MAC operations per cycle: CUDA-core lanes on a GPU, a row of PEs
    /// on a systolic array, one per DSP slice on an FPGA, 16-bit lanes on a DSP.
    var vectorOpsPerCycle: Double {
        switch details {
        case .gpu(let g): return Double(g.streamingMultiprocessors * 128)
        case .systolic(let s): return Double(s.columns)
        case .fpga(let f): return Double(f.dsps)
        case .dsp(let d): return Double(d.vectorUnits * d.vectorWidthBits / 16)
        }
    }

    var launchOverheadSeconds: Double {
        if case .gpu(let g) = details { return g.launchOverheadSeconds }
        return 0
    }
}
