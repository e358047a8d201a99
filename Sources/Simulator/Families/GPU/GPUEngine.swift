import Hardware

/// Tiles GEMMs onto SMs the way a GEMM library does and picks the fastest
/// CTA tile (with split-K for skinny products): the GPU's mapper.
struct GPUEngine: FamilyEngine {
    let spec: GPUFamily
    let device: DeviceFigures
    let tiles: [CTATile]
    let l2Capacity: Double
    let l2BytesPerCycle: Double
    /// ⌈√SMs⌉: the side of a wave's block of tiles under swizzled rasterization.
    let waveSide: Int
    /// ⌈SMs / b⌉ for a wave block b tiles tall (b in 1...waveSide): its width.
    let waveBlockN: [Int]

    init(_ spec: GPUFamily, _ device: DeviceFigures) {
        self.spec = spec
        self.device = device
        tiles = spec.tiles.map { CTATile(m: $0[0], n: $0[1], k: $0[2]) }
        let l2 = device.hardware.memory.first { $0.kind == .cache }
        l2Capacity = l2?.capacityBytes ?? 0
        l2BytesPerCycle = (l2?.bandwidthBytesPerSecond ?? .infinity) / device.hardware.clockHertz
        let sms = spec.streamingMultiprocessors
        waveSide = Int(Double(sms).squareRoot().rounded(.up))
        waveBlockN = (0...waveSide).map { $0 == 0 ? 0 : (sms + $0 - 1) / $0 }
    }

    var fusesKernels: Bool { true }
    var launchOverheadSeconds: Double { spec.launchOverheadSeconds }

    func sustainedFraction(_ format: String) -> Double {
        spec.sustainedFraction.first { $0.format == format }?.macs ?? 1
    }

    /// GEMMs tiled onto SMs: for each CTA tile the library offers, waves of
    /// CTAs (one per SM at a time), padded tiles, split-K when there are
    /// fewer tiles than SMs (as decode GEMV kernels do), the sustained
    /// tensor-core rate, and operand traffic. HBM reads each operand once
    /// when both fit L2; otherwise each wave — a block of about √SMs × √SMs
    /// tiles, as swizzled rasterization arranges them — reads its own A and
    /// B panels. L2 serves every tile its panels. The fastest tile wins;
    /// compute and memory overlap.
    func matrix(_ work: MatrixWork) -> Timing {
        let v = work.view, sms = spec.streamingMultiprocessors
        let inputBytes = work.inputBytes, weightBytes = work.weightBytes, outputBytes = work.outputBytes
        let perSM = work.macsPerCycle / Double(sms) * work.sustained
        let unique = inputBytes + weightBytes + outputBytes
        var best: Timing?
        let fitsL2 = inputBytes + weightBytes <= l2Capacity
        // Integer divisions by the tile sides are shifts (the tiles are powers
        // of two); this loop runs for every tile of every matrix op.
        for (index, tile) in tiles.enumerated() {
            let (tm, tn, tk) = (tile.m, tile.n, tile.k)
            let tilesM = tile.ceilDivM(v.m), tilesN = tile.ceilDivN(v.n)
            let ctas = v.groups * tilesM * tilesN
            let kSteps = tile.ceilDivK(v.k)
            let split = ctas < sms ? max(1, min(sms / max(ctas, 1), kSteps)) : 1
            let waves = Double((ctas * split + sms - 1) / sms)
            let kPerCTA = Double((split == 1 ? kSteps : (kSteps + split - 1) / split) * tk)
            let compute = waves * Double(tm * tn) * kPerCTA / perSM
            let weightCopies = Double(v.sharedWeights ? 1 : v.groups)
            var offChip = unique
            if !fitsL2 {
                let aPanel = inputBytes / Double(v.groups * tilesM), bPanel = weightBytes / (Double(tilesN) * weightCopies)
                let blockM = min(tilesM, waveSide)
                let blockN = Double(min(tilesN, waveBlockN[blockM]))
                let streamed = waves / Double(split) * (Double(blockM) * aPanel + blockN * bPanel) + outputBytes
                offChip = max(unique, streamed)
            }
            let onChip = inputBytes * Double(tilesN) + weightBytes * Double(tilesM) * Double(v.groups) / weightCopies
                + outputBytes * Double(split)
            let memory = max(offChip / device.offChipBytesPerCycle, onChip / l2BytesPerCycle)
            let t = Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory),
                           offChipBytes: offChip, onChipBytes: onChip, overheadSeconds: spec.launchOverheadSeconds,
                           mapping: Mapping(scheme: 2, index, split))
            if best == nil || t.cycles < best!.cycles { best = t }
        }
        return best!
    }

    func describe(_ mapping: Mapping) -> String {
        let tile = tiles[Int(mapping.values[0])], split = Int(mapping.values[1])
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
