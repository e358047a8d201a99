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
    /// Energy of one non-MAC operation: an FP16 add at the device's node.
    let vectorOpPicojoules: Double
    // Device figures read once, not per op (a memory level is a struct with strings and arrays).
    /// Off-chip bandwidth in bytes per cycle, derated by the level's achievable fraction.
    let offChipBytesPerCycle: Double
    let offChipEnergyPerByte: Double
    /// Energy per byte of the on-chip level next to off-chip memory (where operands are staged).
    let onChipEnergyPerByte: Double
    let l2Capacity: Double
    let l2BytesPerCycle: Double
    let vectorOpsPerCycle: Double
    let launchOverheadSeconds: Double
    /// The GPU's spec, when the device is one, and its CTA tiles.
    let gpu: GPUSpec?
    let gpuTiles: [CTATile]
    /// ⌈√SMs⌉: the side of a wave's block of tiles under swizzled rasterization.
    let gpuWaveSide: Int
    /// ⌈SMs / b⌉ for a wave block b tiles tall (b in 1...gpuWaveSide): its width.
    let gpuWaveBlockN: [Int]
    /// `plan.selectsByKindOnly`, read once.
    let planSelectsByKindOnly: Bool

    public init(hardware: HardwareModel, plan: PrecisionPlan) {
        self.hardware = hardware
        self.plan = plan
        planSelectsByKindOnly = plan.selectsByKindOnly
        self.cost = DatapathCost(model: hardware)
        self.vectorOpPicojoules = CellCostModel().cost(of: .floatAdder(exponentBits: 5, mantissaBits: 10),
                                                       at: hardware.technology).energyPicojoules
        let offChip = hardware.offChip
        offChipBytesPerCycle = offChip.map { $0.bandwidthBytesPerSecond * $0.achievableFraction / hardware.clockHertz } ?? .infinity
        offChipEnergyPerByte = offChip?.energyPerByteJoules ?? 0
        onChipEnergyPerByte = hardware.memory.last { !$0.kind.isOffChip }?.energyPerByteJoules ?? 0
        let l2 = hardware.memory.first { $0.kind == .cache }
        l2Capacity = l2?.capacityBytes ?? 0
        l2BytesPerCycle = (l2?.bandwidthBytesPerSecond ?? .infinity) / hardware.clockHertz
        vectorOpsPerCycle = hardware.vectorOpsPerCycle
        launchOverheadSeconds = hardware.launchOverheadSeconds
        if case .gpu(let g) = hardware.details { gpu = g } else { gpu = nil }
        gpuTiles = gpu?.tiles.map { CTATile(m: $0[0], n: $0[1], k: $0[2]) } ?? []
        let sms = gpu?.streamingMultiprocessors ?? 1
        gpuWaveSide = Int(Double(sms).squareRoot().rounded(.up))
        gpuWaveBlockN = (0...gpuWaveSide).map { $0 == 0 ? 0 : (sms + $0 - 1) / $0 }
    }

    /// Simulates every op of `trace`.
    ///
    /// - Throws: `Diagnostic` when the device cannot execute a format the
    ///   plan assigns, or an op's counts overflow.
    public func run(_ trace: Trace, traceFile: String = "") throws -> SimulationResult {
        var replay = Replay(self, traceFile: traceFile, expectedOps: trace.ops.count)
        for op in trace.ops { try replay.add(op) }
        return replay.result(workload: trace.name)
    }

    /// One op's figures, before fusion with its neighbours (see `run`).
    func simulate(_ op: Op, file: String, cache: inout FormatCache) throws -> OpResult {
        let counts: OpCounts
        do throws(ShapeError) { counts = try op.counts() } catch {
            throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
        }
        let ri = resolvedFormats(op, &cache)
        let r = Double(op.repeatCount)
        let weightBytes = Double(counts.weightElements) * cache.resolved[ri].weightBits / 8
        let inputBytes = Double(counts.inputElements) * cache.resolved[ri].inputBits / 8
        let outputBytes = Double(counts.outputElements) * cache.resolved[ri].outputBits / 8
        let clock = hardware.clockHertz
        var timing: Timing
        var format = cache.resolved[ri].roles.input ?? "bf16"
        var formatInfo: FormatInfo?
        if op.kind.isMatrixProduct, let view = try GEMMView(op) {
            guard let (name, found) = cache.resolved[ri].compute else {
                throw cannotExecute(op, cache.resolved[ri].roles, &cache)
            }
            format = name
            formatInfo = found
            if case .systolic(let s) = hardware.details {
                let f = cache.resolved[ri]
                timing = systolicTiming(view, op: op, spec: s, macsPerCycle: found.macsPerCycle ?? 1,
                                        bits: (f.inputBits, f.weightBits, f.outputBits))
            } else {
                timing = matrixTiming(view, macsPerCycle: found.macsPerCycle ?? 1, sustained: cache.resolved[ri].sustained,
                                      weightBytes: weightBytes, inputBytes: inputBytes, outputBytes: outputBytes)
            }
        } else {
            timing = vectorTiming(otherOps: Double(counts.otherOps), bytes: weightBytes + inputBytes + outputBytes)
        }
        let perMAC = op.kind.isMatrixProduct ? (formatInfo?.macPicojoules ?? 0) + hardware.macOverheadPicojoules : 0
        var energy = EnergyBreakdown()
        energy.compute = (Double(counts.macs) * perMAC + Double(counts.otherOps) * vectorOpPicojoules) * 1e-12 * r
        energy.offChipMemory = timing.offChipBytes * offChipEnergyPerByte * r
        energy.onChipMemory = timing.onChipBytes * onChipEnergyPerByte * r
        let cycles = timing.cycles * r
        let seconds = cycles / clock + timing.overheadSeconds * r
        energy.staticEnergy = hardware.staticWatts * seconds
        let peak = (formatInfo?.macsPerCycle ?? 1) * clock
        return OpResult(name: op.name, kind: op.kind, repeatCount: op.repeatCount, computeFormat: format, assignment: ri,
                        macs: Double(counts.macs) * r, cycles: cycles, computeCycles: timing.computeCycles * r,
                        stallCycles: max(0, timing.cycles - timing.computeCycles) * r, seconds: seconds, energy: energy,
                        bound: timing.memoryCycles > timing.computeCycles ? .memory : .compute,
                        offChipBytes: timing.offChipBytes * r,
                        utilization: seconds > 0 ? min(1, Double(counts.macs) * r / (peak * seconds)) : 0,
                        access: timing.access?.times(r))
    }

    /// Per-repetition timing of an op.
    struct Timing {
        var computeCycles: Double
        var memoryCycles: Double
        var cycles: Double
        var offChipBytes: Double
        var onChipBytes: Double
        var overheadSeconds: Double
        /// SCALE-Sim's access counts (systolic arrays only).
        var access: SystolicAccess? = nil
    }

    func vectorTiming(otherOps: Double, bytes: Double) -> Timing {
        let memory = bytes / offChipBytesPerCycle
        let compute = otherOps / vectorOpsPerCycle
        return Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory), offChipBytes: bytes,
                      onChipBytes: bytes, overheadSeconds: launchOverheadSeconds)
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

extension OpKind {
    /// The case's position in `allCases`, for per-kind tables (a switch, not a search).
    var index: Int {
        switch self {
        case .gemm: 0
        case .conv2d: 1
        case .attentionQK: 2
        case .attentionPV: 3
        case .elementwise: 4
        case .softmax: 5
        case .norm: 6
        case .embedding: 7
        case .quantize: 8
        case .dequantize: 9
        case .requantize: 10
        }
    }
}
