import Formats
import Hardware
import Workload

/// Tiles GEMMs onto SMs the way a GEMM library does and picks the fastest
/// CTA tile (with split-K for deep, skinny products): the GPU's mapper, with
/// the latency model of `GPULatency` under its roofline.
struct GPUEngine: FamilyEngine {
    let spec: GPUFamily
    let device: DeviceFigures
    let tiles: [CTATile]
    /// The tile lists: `tiles` first, then each of `GPUFamily.formatTiles`
    /// (in name order), with each format's index in it.
    let tileLists: [[CTATile]]
    let formatList: [(format: NumberFormat, list: Int)]
    let l2Capacity: Double
    let l2BytesPerCycle: Double
    /// ⌈√SMs⌉: the side of a wave's block of tiles under swizzled rasterization.
    let waveSide: Int
    /// ⌈SMs / b⌉ for a wave block b tiles tall (b in 1...waveSide): its width.
    let waveBlockN: [Int]
    /// `GPULatency`'s times in cycles of the device clock.
    let l2LatencyCycles: Double, memoryLatencyCycles: Double, minKernelCycles: Double
    /// Bytes per cycle per SM at which each CTA's epilogue stores its output
    /// tile: through shared memory (128 B/clk/SM on Ampere and Hopper where
    /// the file has no SRAM level) to off-chip memory, whose bandwidth a
    /// wave's SMs share (estimate: XLA's short-K profiles on H100 take the
    /// sum, not the maximum, of mainloop and write-back time).
    let epilogueBytesPerCycle: Double

    init(_ spec: GPUFamily, _ device: DeviceFigures) {
        self.spec = spec
        self.device = device
        tiles = spec.tiles.map { CTATile(m: $0[0], n: $0[1], k: $0[2]) }
        let formats = spec.formatTiles.sorted { $0.format.name < $1.format.name }
        tileLists = [tiles] + formats.map { $0.tiles.map { CTATile(m: $0[0], n: $0[1], k: $0[2]) } }
        formatList = formats.enumerated().map { ($1.format, $0 + 1) }
        let hardware = device.hardware
        let l2 = hardware.memory.first { $0.kind == .cache }
        l2Capacity = l2?.capacityBytes ?? 0
        l2BytesPerCycle = (l2?.bandwidthBytesPerSecond ?? .infinity) / hardware.clockHertz
        let sms = spec.streamingMultiprocessors
        waveSide = Int(Double(sms).squareRoot().rounded(.up))
        waveBlockN = (0...waveSide).map { $0 == 0 ? 0 : (sms + $0 - 1) / $0 }
        l2LatencyCycles = spec.latency.l2Seconds * hardware.clockHertz
        memoryLatencyCycles = spec.latency.memorySeconds * hardware.clockHertz
        minKernelCycles = spec.latency.minKernelSeconds * hardware.clockHertz
        let smem = hardware.memory.first { $0.kind == .sram }
        let staging = smem.map { $0.bandwidthBytesPerSecond / hardware.clockHertz / Double(sms) } ?? 128
        epilogueBytesPerCycle = min(staging, device.offChipBytesPerCycle / Double(sms))
    }

    /// The largest split-K factor: library heuristics split a deep product a
    /// few ways, not across every idle SM (estimate: cuBLAS's bf16 times for
    /// M = 256, N = 2112, K = 7168 on H100 fit a 2–4-way split, not 7; vLLM PR 23280).
    static let maxSplitK = 4

    var fusesKernels: Bool { true }
    var fusesAttention: Bool { true }
    var skipsMaskedBlocks: Bool { true }
    var launchOverheadSeconds: Double { spec.launchOverheadSeconds }

    func sustainedFraction(_ format: NumberFormat) -> Double {
        spec.sustainedFraction.first { $0.format == format }?.macs ?? GPUFamily.defaultSustained
    }

    /// CUDA-core operations per cycle for a non-tensor op: softmax and norms
    /// reduce in FP32 whatever the storage format (as their kernels do);
    /// elementwise and conversion work runs in the lanes of its storage
    /// format (16-bit and narrower floats packed two per FP32 lane's
    /// slot: the FP16 lanes; integers: INT32 lanes; wider: FP32).
    func vectorOpsPerCycle(_ kind: OpKind, bits: Double, isInteger: Bool) -> Double? {
        let lane: String
        switch kind {
        case .softmax, .norm: lane = "fp32"
        default: lane = isInteger ? "int32" : bits <= 16 ? "fp16" : "fp32"
        }
        return Double(spec.streamingMultiprocessors) * spec.lanes(lane)
    }

    /// GEMMs tiled onto SMs: for each CTA tile the library offers, waves of
    /// CTAs (one per SM at a time), padded tiles, split-K when there are
    /// fewer tiles than SMs and K is the longest side (as decode GEMV
    /// kernels and cuBLAS's split-K heuristics do), the sustained
    /// tensor-core rate, and operand traffic. HBM reads each operand once
    /// when both fit L2; otherwise each wave — a block of about √SMs × √SMs
    /// tiles, as swizzled rasterization arranges them — reads its own A and
    /// B panels. L2 serves every tile its panels, a cluster's CTAs sharing
    /// the weight panel. Under that roofline, the latency model of
    /// `GPULatency`: each mainloop step waits at least a load latency over
    /// the stages in flight, each wave fills and drains its pipeline, the
    /// first loads and a split-K reduction pay off-chip latency, and the
    /// kernel lasts at least `min_kernel_time`. The fastest tile wins;
    /// compute and memory overlap.
    func matrix(_ work: MatrixWork) -> Timing {
        let v = work.view, sms = spec.streamingMultiprocessors
        let inputBytes = work.inputBytes, weightBytes = work.weightBytes, outputBytes = work.outputBytes
        let perSM = work.macsPerCycle / Double(sms) * work.sustained
        let unique = inputBytes + weightBytes + outputBytes
        var best: Timing?
        let fitsL2 = inputBytes + weightBytes <= l2Capacity
        // Loads in the steady state hit L2 when the operands fit it, else miss to off-chip memory.
        let steadyLatency = fitsL2 ? l2LatencyCycles : memoryLatencyCycles
        let stages = Double(spec.latency.pipelineStages)
        let outputElements = Double(v.groups) * Double(v.m) * Double(v.n)
        let outputElementBytes = outputElements > 0 ? outputBytes / outputElements : 2
        let deep = v.k > max(v.m, v.n)
        let listIndex = formatList.isEmpty ? 0 : formatList.first { $0.format == work.format }?.list ?? 0
        let list = tileLists[listIndex]
        // Integer divisions by the tile sides are shifts (the tiles are powers
        // of two); this loop runs for every tile of every matrix op.
        for (index, tile) in list.enumerated() {
            let (tm, tn, tk) = (tile.m, tile.n, tile.k)
            let tilesM = tile.ceilDivM(v.m), tilesN = tile.ceilDivN(v.n)
            var ctas = v.groups * tilesM * tilesN
            var kSteps = tile.ceilDivK(v.k)
            // A causal mask: QKᵀ runs only the score tiles with a visible key, PV's CTAs only the
            // key blocks their rows see (on average over waves; in one wave the longest CTA, the
            // last row block's, sets the time); L2 serves those tiles' panels.
            var runShare = 1.0
            if let mask = v.mask {
                switch mask.axis {
                case .n:
                    let run = mask.blocks(rowTile: tm, keyTile: tn)
                    runShare = Double(run) / Double(tilesM * tilesN)
                    ctas = v.groups * run
                case .k:
                    let run = mask.blocks(rowTile: tm, keyTile: tk)
                    runShare = Double(run) / Double(tilesM * kSteps)
                    kSteps = ctas <= sms ? mask.longestRowBlock(rowTile: tm, keyTile: tk)
                        : (run + tilesM - 1) / tilesM
                }
            }
            let split = deep && ctas < sms ? max(1, min(sms / max(ctas, 1), kSteps, Self.maxSplitK)) : 1
            let fullWaves = Double((ctas * split + sms - 1) / sms)
            // Stream-K shares the last partial wave out over every SM (a GEMM of at least one wave).
            let waves = spec.latency.streamK && ctas * split > sms ? Double(ctas * split) / Double(sms) : fullWaves
            let stepsPerCTA = split == 1 ? kSteps : (kSteps + split - 1) / split
            let stepCycles = Double(tm * tn * tk) / perSM
            let compute = waves * Double(stepsPerCTA) * stepCycles
            // Little's law: a step lasts at least a load latency over the stages in flight.
            let mainloop = Double(stepsPerCTA) * max(stepCycles, steadyLatency / stages)
            // The epilogue stages the tile through shared memory and writes it back to off-chip
            // memory while the wave's other CTAs do the same: each SM gets its share of the bandwidth.
            let epilogue = Double(tm * tn) * (split > 1 ? 4 : outputElementBytes) / epilogueBytesPerCycle
            let tileCycles = spec.latency.overlappedEpilogue ? max(mainloop, epilogue) : mainloop + epilogue
            // Overlapped, a tile's store runs under the next tile's mainloop; a CTA's last tile has
            // no next one, so the shorter of the two stays exposed once: w·max(m, e) + min(m, e).
            let lastTile = spec.latency.overlappedEpilogue ? min(mainloop, epilogue) : 0
            let pipeline = max(compute, waves * (steadyLatency + tileCycles) + lastTile)
            let weightCopies = Double(v.sharedWeights ? 1 : v.groups)
            var offChip = unique
            if !fitsL2 {
                let aPanel = inputBytes / Double(v.groups * tilesM),
                    bPanel = weightBytes / (Double(tilesN) * weightCopies)
                let blockM = min(tilesM, waveSide)
                let blockN = Double(min(tilesN, waveBlockN[blockM]))
                let streamed = fullWaves / Double(split) * (Double(blockM) * aPanel + blockN * bPanel) + outputBytes
                offChip = max(unique, streamed)
            }
            let cluster = Double(min(spec.latency.cluster, tilesM))
            let onChip = (inputBytes * Double(tilesN)
                + weightBytes * Double(tilesM) * Double(v.groups) / weightCopies / cluster) * runShare
                + outputBytes * Double(split)
            let memory = max(offChip / device.offChipBytesPerCycle, onChip / l2BytesPerCycle)
            // The first loads miss to off-chip memory; split-K partials make one more round trip.
            let fixed = memoryLatencyCycles * (split > 1 ? 2 : 1)
            let cycles = max(max(pipeline, memory) + fixed, minKernelCycles)
            // What bounds the op: the arithmetic (`compute`, waves and padding included), the traffic, or
            // neither (`Bound.latency`: load latencies the stages do not hide, fills, the shortest kernel).
            // A tile whose store outlasts its mainloop (K = 1 outer products, short K) waits on the
            // output's write-back, a memory cost.
            let storeBound = epilogue > mainloop
            let t = Timing(computeCycles: compute,
                           memoryCycles: storeBound ? max(memory, waves * epilogue) : memory, cycles: cycles,
                           offChipBytes: offChip, onChipBytes: onChip, overheadSeconds: spec.launchOverheadSeconds,
                           mapping: Mapping(scheme: 2, index, split, listIndex))
            if best == nil || t.cycles < best!.cycles { best = t }
        }
        return best!
    }

    func describe(_ mapping: Mapping) -> String {
        let tile = tileLists[Int(mapping.values[2])][Int(mapping.values[0])], split = Int(mapping.values[1])
        return "tile \(tile.m)x\(tile.n)x\(tile.k)" + (split > 1 ? " split-k \(split)" : "")
    }
}

/// A GPU CTA tile (M × N × K) with the shifts that divide by its sides
/// when they are powers of two (every shipped tile), so that ⌈x / side⌉
/// costs a shift rather than an integer division.
struct CTATile {
    let m: Int, n: Int, k: Int
    private let shiftM: Int, shiftN: Int, shiftK: Int

    init(m: Int, n: Int, k: Int) {
        (self.m, self.n, self.k) = (m, n, k)
        func shift(_ side: Int) -> Int { side > 0 && side & (side - 1) == 0 ? side.trailingZeroBitCount : -1 }
        (shiftM, shiftN, shiftK) = (shift(m), shift(n), shift(k))
    }

    /// ⌈x / side⌉ for x ≥ 0 (the same value as `(x + side − 1) / side`).
    @inline(__always) static func ceilDiv(_ x: Int, _ side: Int, _ shift: Int) -> Int {
        shift >= 0 ? (x + side - 1) >> shift : (x + side - 1) / side
    }
    @inline(__always) func ceilDivM(_ x: Int) -> Int { Self.ceilDiv(x, m, shiftM) }
    @inline(__always) func ceilDivN(_ x: Int) -> Int { Self.ceilDiv(x, n, shiftN) }
    @inline(__always) func ceilDivK(_ x: Int) -> Int { Self.ceilDiv(x, k, shiftK) }
}
