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
    /// The GPU's spec, when the device is one, and its CTA tiles as tuples.
    let gpu: GPUSpec?
    let gpuTiles: [(m: Int, n: Int, k: Int)]
    /// ⌈√SMs⌉: the side of a wave's block of tiles under swizzled rasterization.
    let gpuWaveSide: Int
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
        gpuTiles = gpu?.tiles.map { ($0[0], $0[1], $0[2]) } ?? []
        gpuWaveSide = gpu.map { Int(Double($0.streamingMultiprocessors).squareRoot().rounded(.up)) } ?? 1
    }

    /// What the simulator needs to know of a format, looked up once per run
    /// rather than once per op (a catalog lookup and a cost-model walk each).
    struct FormatInfo {
        var bitsPerElement: Double
        var macsPerCycle: Double?
        var elementName: String?
        var macPicojoules: Double?
    }

    /// An op's role formats resolved against the device: operand widths, the
    /// format its MACs run in and the rate the device sustains in it. A trace
    /// has a handful of distinct assignments, so this is worked out once per
    /// assignment, not once per op.
    struct ResolvedFormats {
        var roles: RoleFormats
        var weightBits: Double
        var inputBits: Double
        var outputBits: Double
        /// The MAC format and what the device does in it; nil when the device
        /// executes none of the op's formats (matrix products then fail).
        var compute: (name: String, info: FormatInfo)?
        /// Fraction of the dense rate a GPU sustains in the compute format.
        var sustained: Double
    }

    /// Per-run lookups. A handful of entries each: a linear scan with string
    /// equality (a 16-byte compare for short names) beats hashing here.
    final class FormatCache {
        var names: [String] = []
        var infos: [FormatInfo] = []
        /// Resolved formats per op kind, valid for ops that set no formats of
        /// their own under a plan whose overrides select by kind only.
        var byKind = [ResolvedFormats?](repeating: nil, count: OpKind.allCases.count)
        var byRoles: [ResolvedFormats] = []
    }

    func info(_ name: String, _ cache: FormatCache) -> FormatInfo {
        for i in cache.names.indices where cache.names[i] == name { return cache.infos[i] }
        let format = try? FormatCatalog.format(named: name)
        var element: String?
        if case .block(let b)? = format { element = b.element.name }
        let macs = hardware.macsPerCycle(name)
        let info = FormatInfo(bitsPerElement: format?.bitsPerElement ?? 16, macsPerCycle: macs, elementName: element,
                              macPicojoules: macs != nil ? cost.perMAC(name).energyPicojoules : nil)
        cache.names.append(name)
        cache.infos.append(info)
        return info
    }

    /// The formats of `op` under the plan, resolved against the device.
    func resolvedFormats(_ op: Op, _ cache: FormatCache) -> ResolvedFormats {
        let byKind = op.formats.isEmpty && planSelectsByKindOnly
        if byKind, let known = cache.byKind[op.kind.index] { return known }
        let roles = plan.roleFormats(for: op)
        if !byKind, let known = cache.byRoles.first(where: { $0.roles == roles }) { return known }
        let compute = computeFormat(roles, cache)
        let sustained = compute.flatMap { c in gpu?.sustainedFraction.first { $0.format == c.name }?.macs } ?? 1
        func bits(_ format: String?) -> Double { format.map { info($0, cache).bitsPerElement } ?? 16 }
        let resolved = ResolvedFormats(roles: roles, weightBits: bits(roles.weight), inputBits: bits(roles.input),
                                       outputBits: bits(roles.output), compute: compute, sustained: sustained)
        if byKind { cache.byKind[op.kind.index] = resolved } else if cache.byRoles.count < 64 { cache.byRoles.append(resolved) }
        return resolved
    }

    /// Simulates every op of `trace`.
    ///
    /// - Throws: `Diagnostic` when the device cannot execute a format the
    ///   plan assigns, or an op's counts overflow.
    public func run(_ trace: Trace, traceFile: String = "") throws -> SimulationResult {
        var results: [OpResult] = []
        results.reserveCapacity(trace.ops.count)
        let cache = FormatCache()
        var previousKind: OpKind?
        for op in trace.ops {
            var result = try simulate(op, file: traceFile, cache: cache)
            // On a GPU, an elementwise, softmax, norm or conversion op that follows
            // another op is fused into its neighbour's kernel (epilogue or prologue
            // fusion, as inference engines do), and PV after the softmax of QKᵀ is
            // the second half of one fused attention kernel (FlashAttention): no
            // launch of their own.
            let fusedElementwise = previousKind != nil && !op.kind.isMatrixProduct && op.kind != .embedding
            let fusedAttention = op.kind == .attentionPV && previousKind == .softmax
            if gpu != nil, fusedElementwise || fusedAttention {
                result.seconds -= launchOverheadSeconds * Double(op.repeatCount)
                result.energy.staticEnergy = hardware.staticWatts * result.seconds
            }
            previousKind = op.kind
            results.append(result)
        }
        return SimulationResult(hardware: hardware.name, hardwareFile: hardware.file, workload: trace.name,
                                precision: plan.name, clockHertz: hardware.clockHertz, ops: results,
                                areaSquareMillimetres: area(for: results))
    }

    /// The format the MACs of an op run in: the widest of its weight and
    /// input formats that the datapath executes (W4A16 runs at the FP16
    /// rate; weights are dequantized on the way in); failing that, the
    /// element format of a block format the device executes natively; nil
    /// when neither applies.
    func computeFormat(_ formats: RoleFormats, _ cache: FormatCache) -> (name: String, info: FormatInfo)? {
        let input = formats.input.map { ($0, info($0, cache)) }, weight = formats.weight.map { ($0, info($0, cache)) }
        var first = input, second = weight
        if let i = input, let w = weight, w.1.bitsPerElement > i.1.bitsPerElement || (w.1.bitsPerElement == i.1.bitsPerElement && w.0 < i.0) {
            first = weight; second = input
        }
        if let (name, info) = first, info.macsPerCycle != nil { return (name, info) }
        if let (name, info) = second, info.macsPerCycle != nil { return (name, info) }
        for element in [first?.1.elementName, second?.1.elementName] {
            if let element, case let elementInfo = info(element, cache), elementInfo.macsPerCycle != nil {
                return (element, elementInfo)
            }
        }
        return nil
    }

    /// The error for a matrix product whose formats the device cannot execute.
    func cannotExecute(_ op: Op, _ formats: RoleFormats, _ cache: FormatCache) -> Diagnostic {
        var ordered = [formats.input, formats.weight].compactMap { $0 }
        if ordered.count == 2, info(ordered[1], cache).bitsPerElement > info(ordered[0], cache).bitsPerElement
            || (info(ordered[1], cache).bitsPerElement == info(ordered[0], cache).bitsPerElement && ordered[1] < ordered[0]) {
            ordered.swapAt(0, 1)
        }
        return Diagnostic(file: hardware.file, message: "\(hardware.name) cannot execute op '\(op.name)' in \(ordered.joined(separator: " or ")) (precision plan '\(plan.name)'); it executes \(hardware.executableFormats.joined(separator: ", "))")
    }

    public func simulate(_ op: Op, file: String = "") throws -> OpResult {
        try simulate(op, file: file, cache: FormatCache())
    }

    func simulate(_ op: Op, file: String, cache: FormatCache) throws -> OpResult {
        let counts: OpCounts
        do throws(ShapeError) { counts = try op.counts() } catch {
            throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
        }
        let resolved = resolvedFormats(op, cache)
        let formats = resolved.roles
        let r = Double(op.repeatCount)
        let weightBytes = Double(counts.weightElements) * resolved.weightBits / 8
        let inputBytes = Double(counts.inputElements) * resolved.inputBits / 8
        let outputBytes = Double(counts.outputElements) * resolved.outputBits / 8
        let clock = hardware.clockHertz
        var timing: Timing
        var format = formats.input ?? "bf16"
        var formatInfo: FormatInfo?
        if op.kind.isMatrixProduct, let view = try GEMMView(op) {
            guard let (name, found) = resolved.compute else { throw cannotExecute(op, formats, cache) }
            format = name
            formatInfo = found
            timing = matrixTiming(view, macsPerCycle: found.macsPerCycle ?? 1, sustained: resolved.sustained,
                                  weightBytes: weightBytes, inputBytes: inputBytes, outputBytes: outputBytes)
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
