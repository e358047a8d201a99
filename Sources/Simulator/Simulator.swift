import Arithmetic
import Documents
import Formats
import Hardware
import Workload

/// Replays a trace on a device under a precision plan, op by op in O(1)
/// each (no per-cycle loops): the device's family maps and times each
/// matrix product (`FamilyEngine`), energy comes from the `Arithmetic` cost
/// of each MAC plus every byte at every memory level plus static power, and
/// area from the MAC array and on-chip memories.
public struct Simulator: Sendable {
    public let hardware: HardwareModel
    public let plan: PrecisionPlan
    let cost: DatapathCost
    let device: DeviceFigures
    /// `var` for tests, which swap in an engine with a lowered allowance; nothing else sets it.
    var engine: any FamilyEngine
    /// Energy of one non-MAC operation: an FP16 add at the device's node.
    let vectorOpPicojoules: Double
    let offChipEnergyPerByte: Double
    /// Energy per byte of the on-chip level that stages each role from
    /// off-chip memory: the outermost on-chip level whose `holds` names it
    /// (the outermost on-chip level when none does). The engines' on-chip
    /// traffic is charged there.
    let weightEnergyPerByte: Double, inputEnergyPerByte: Double, outputEnergyPerByte: Double
    /// Energy per byte of delivering each role's elements to the datapath
    /// once from the innermost on-chip level that holds it, where that is a
    /// level of its own (registers in front of a GPU's L2); 0 otherwise.
    let weightServing: Double, inputServing: Double, outputServing: Double
    let vectorOpsPerCycle: Double
    /// Each on-chip level on an operand's way between off-chip memory and the
    /// datapath (the levels whose `holds` name a role, or the outermost one for
    /// a role none names): its bandwidth in bytes per cycle and the roles
    /// (weight, input, output) whose share of the on-chip traffic it carries.
    let onChipPath: [(bytesPerCycle: Double, weight: Bool, input: Bool, output: Bool)]
    /// `plan.selectsByKindOnly` and `plan.storesKVCache`, read once.
    let planSelectsByKindOnly: Bool
    let planStoresKVCache: Bool

    /// - Precondition: the device's family is a `DatapathFamily` (every
    ///   family of `FamilyRegistry.standard` is).
    public init(hardware: HardwareModel, plan: PrecisionPlan) {
        self.hardware = hardware
        self.plan = plan
        planSelectsByKindOnly = plan.selectsByKindOnly
        planStoresKVCache = plan.storesKVCache
        cost = DatapathCost(model: hardware)
        device = DeviceFigures(hardware)
        guard let family = hardware.spec as? any DatapathFamily else {
            preconditionFailure("the '\(hardware.family)' family has no simulator: conform it to DatapathFamily")
        }
        engine = family.engine(for: device)
        vectorOpPicojoules = CellCostModel().cost(of: .floatAdder(exponentBits: 5, mantissaBits: 10),
                                                  at: hardware.technology).energyPicojoules
        offChipEnergyPerByte = hardware.offChip?.energyPerByteJoules ?? 0
        let onChip = hardware.memory.filter { !$0.kind.isOffChip }
        func staging(_ role: OperandRole) -> Double {
            (onChip.last { $0.holds.contains(role) } ?? onChip.last)?.energyPerByteJoules ?? 0
        }
        weightEnergyPerByte = staging(.weight)
        inputEnergyPerByte = staging(.input)
        outputEnergyPerByte = staging(.output)
        func serving(_ role: OperandRole) -> Double {
            let holders = onChip.indices.filter { onChip[$0].holds.contains(role) }
            guard let inner = holders.first, let outer = holders.last, inner != outer else { return 0 }
            return onChip[inner].energyPerByteJoules
        }
        weightServing = serving(.weight)
        inputServing = serving(.input)
        outputServing = serving(.output)
        vectorOpsPerCycle = hardware.spec.vectorOpsPerCycle
        func carries(_ i: Int, _ role: OperandRole) -> Bool {
            onChip[i].holds.contains(role) || (i == onChip.count - 1 && !onChip.contains { $0.holds.contains(role) })
        }
        onChipPath = onChip.indices.map { i in
            (onChip[i].bandwidthBytesPerSecond / hardware.clockHertz, carries(i, .weight), carries(i, .input),
             carries(i, .output))
        }
    }

    /// Cycles the on-chip levels need for `onChipBytes` of traffic, each
    /// carrying the share of the roles it holds (weighted by their bytes).
    func onChipCycles(_ onChipBytes: Double, weight: Double, input: Double, output: Double) -> Double {
        let total = weight + input + output
        guard total > 0, onChipBytes > 0 else { return 0 }
        var cycles = 0.0
        for level in onChipPath {
            let share = ((level.weight ? weight : 0) + (level.input ? input : 0) + (level.output ? output : 0)) / total
            cycles = max(cycles, onChipBytes * share / level.bytesPerCycle)
        }
        return cycles
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

    /// One op's figures, before fusion with its neighbours (see `Replay`).
    ///
    /// - Parameters:
    ///   - onScores: the op is a softmax, or an elementwise op (a position
    ///     bias), on the scores of the QKᵀ just before it (`Replay` follows
    ///     the chain): in fused attention it works on them on chip.
    ///   - visibleScores: the share of those scores the QKᵀ's causal mask
    ///     leaves visible (1 without one): on an engine that skips masked
    ///     blocks the fused op works on those only.
    func simulate(_ op: Op, file: String, cache: inout FormatCache, onScores: Bool = false,
                  visibleScores: Double = 1) throws -> OpResult {
        let counts: OpCounts
        do throws(ShapeError) { counts = try op.counts() } catch {
            throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
        }
        let ri = resolvedFormats(op, &cache)
        let resolved = cache.resolved[ri]
        let r = Double(op.repeatCount)
        let weightBytes = Double(counts.weightElements) * resolved.weightBits / 8
        var inputBytes = Double(counts.inputElements) * resolved.inputBits / 8
        var outputBytes = Double(counts.outputElements) * resolved.outputBits / 8
        // FlashAttention: QKᵀ's scores never leave the chip; a position bias, the softmax and PV
        // work on them there (a bias tensor, an elementwise op's second operand, is still read).
        if engine.fusesAttention {
            if op.kind == .attentionQK { outputBytes = 0 }
            if op.kind == .attentionPV { inputBytes = 0 }
            if onScores {
                let operands = if case .elementwise(let e) = op.shape { Double(e.operands) } else { 1.0 }
                (inputBytes, outputBytes) = (inputBytes * (operands - 1) / operands, 0)
            }
        }
        let clock = hardware.clockHertz
        var timing: Timing
        // MACs the datapath runs: the op's own, or its whole rectangle where a causal mask is not skipped.
        var macsRun = Double(counts.macs)
        var otherOps = Double(counts.otherOps)
        var format: NumberFormat = resolved.roles.input ?? "bf16"
        var formatInfo: FormatInfo?
        // The weight's N:M sparsity where the device skips its pruned MACs (else the op runs dense).
        let skipped = engine.skipsStructuredSparsity ? op.weightSparsity : nil
        if op.kind.isMatrixProduct, let view = try GEMMView(op) {
            guard let (computed, found) = resolved.compute else {
                throw cannotExecute(op, resolved.roles, &cache)
            }
            if resolved.dequantized, plan.requiresNative { throw cannotExecute(op, resolved.roles, &cache) }
            format = computed
            formatInfo = found
            if view.mask != nil, !engine.skipsMaskedBlocks {
                macsRun = Double(view.groups) * Double(view.m) * Double(view.n) * Double(view.k)
                // The whole score rectangle is written (QKᵀ) and read (PV), as the softmax between reads it.
                let whole = macsRun / Double(counts.macs)
                if op.kind == .attentionQK { outputBytes *= whole } else { inputBytes *= whole }
            }
            timing = engine.matrix(MatrixWork(
                view: view, shape: op.shape, outputSize: op.kind == .conv2d ? try? op.outputSize() : nil,
                macsPerCycle: found.macsPerCycle ?? 1, sustained: resolved.sustained,
                weightBits: resolved.weightBits, inputBits: resolved.inputBits, outputBits: resolved.outputBits,
                weightBytes: weightBytes, inputBytes: inputBytes, outputBytes: outputBytes, format: computed,
                sparsity: skipped))
            // Work the datapath hands to the vector units per MAC (promoting
            // partial sums, applying block scales it has no unit for), overlapped.
            if found.vectorOpsPerMAC > 0 {
                let rate = engine.sideWorkOpsPerCycle ?? vectorOpsPerCycle
                let side = macsRun * found.vectorOpsPerMAC / rate
                if side > timing.cycles { timing.computeCycles = side; timing.cycles = side }
            }
        } else {
            let rate = engine.vectorOpsPerCycle(op.kind, bits: resolved.inputBits, isInteger: resolved.inputIsInteger)
            if onScores, engine.fusesAttention, engine.skipsMaskedBlocks {
                otherOps *= visibleScores
            }
            timing = vectorTiming(otherOps: otherOps, bytes: weightBytes + inputBytes + outputBytes,
                                  opsPerCycle: rate ?? vectorOpsPerCycle)
        }
        // The on-chip levels' bandwidths bound the op's time like off-chip bandwidth does.
        let onChipTime = onChipCycles(timing.onChipBytes, weight: weightBytes, input: inputBytes, output: outputBytes)
        if onChipTime > timing.cycles {
            timing.memoryCycles = max(timing.memoryCycles, onChipTime)
            timing.cycles = onChipTime
        }
        var perMAC = op.kind.isMatrixProduct ? formatInfo?.macPicojoules ?? 0 : 0
        // A device that skips an N:M-sparse weight's pruned MACs spends energy on the N of every M only.
        if op.kind.isMatrixProduct, let s = skipped { perMAC *= Double(s.n) / Double(s.m) }
        var energy = EnergyBreakdown()
        energy.compute = (macsRun * perMAC + otherOps * vectorOpPicojoules) * 1e-12 * r
        energy.offChipMemory = timing.offChipBytes * offChipEnergyPerByte * r
        energy.onChipMemory = timing.onChipBytes
            * onChipEnergyPerByte(weight: weightBytes, input: inputBytes, output: outputBytes) * r
        if weightServing + inputServing + outputServing > 0 {
            energy.onChipMemory += (weightBytes * weightServing + inputBytes * inputServing
                                    + outputBytes * outputServing) * r
        }
        let cycles = timing.cycles * r
        var seconds = cycles / clock + timing.overheadSeconds * r
        let throttled = holdToPowerCap(&seconds, dynamicJoules: energy.total)
        energy.staticEnergy = hardware.staticWatts * seconds
        let peak = (formatInfo?.macsPerCycle ?? 1) * clock
        var result = OpResult(name: op.name, kind: op.kind, repeatCount: op.repeatCount, computeFormat: format,
                        assignment: ri, macs: Double(counts.macs) * r, cycles: cycles,
                        computeCycles: timing.computeCycles * r,
                        stallCycles: max(0, timing.cycles - timing.computeCycles) * r, seconds: seconds, energy: energy,
                        bound: Bound(computeCycles: timing.computeCycles, memoryCycles: timing.memoryCycles,
                                     totalCycles: timing.cycles + timing.overheadSeconds * clock),
                        offChipBytes: timing.offChipBytes * r,
                        utilization: seconds > 0 ? min(1, Double(counts.macs) * r / (peak * seconds)) : 0,
                        mapping: timing.mapping, throttled: throttled, access: timing.access?.times(r),
                        dequantized: op.kind.isMatrixProduct && resolved.dequantized)
        result.memoryCycles = timing.memoryCycles * r
        return result
    }

    /// Energy per on-chip byte, the roles' staging levels weighted by their bytes.
    @inline(__always)
    func onChipEnergyPerByte(weight: Double, input: Double, output: Double) -> Double {
        if weightEnergyPerByte == inputEnergyPerByte, inputEnergyPerByte == outputEnergyPerByte {
            return weightEnergyPerByte
        }
        let total = weight + input + output
        guard total > 0 else { return inputEnergyPerByte }
        return (weight * weightEnergyPerByte + input * inputEnergyPerByte + output * outputEnergyPerByte) / total
    }

    /// Stretches `seconds` so that the op's power stays within the device's
    /// TDP (the clock is lowered, as GPUs throttle at their power limit), and
    /// says whether it had to. Static power counts against the cap.
    func holdToPowerCap(_ seconds: inout Double, dynamicJoules: Double) -> Bool {
        guard let tdp = hardware.tdpWatts, seconds > 0 else { return false }
        let headroom = tdp - hardware.staticWatts
        guard headroom > 0, dynamicJoules / seconds > headroom else { return false }
        seconds = dynamicJoules / headroom
        return true
    }

    func vectorTiming(otherOps: Double, bytes: Double, opsPerCycle: Double) -> Timing {
        let memory = bytes / device.offChipBytesPerCycle
        let compute = otherOps / opsPerCycle
        return Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory), offChipBytes: bytes,
                      onChipBytes: bytes, overheadSeconds: engine.launchOverheadSeconds, mapping: .vector)
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
