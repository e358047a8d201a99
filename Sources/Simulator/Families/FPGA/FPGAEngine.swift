import Formats

/// A pipelined MAC array on an FPGA: the reduction's adder tree fills once
/// per op.
struct FPGAEngine: FamilyEngine {
    let device: DeviceFigures
    var array: FPGAFamily.ArrayShape? = nil

    /// Register stages of a fully pipelined DSP48E2 multiply-add (A/B input,
    /// M and P registers, UG579) plus one input register in fabric: an estimate.
    static let multiplierStages = 4.0

    func matrix(_ work: MatrixWork) -> Timing {
        let v = work.view
        let macs = Double(v.groups) * Double(v.m) * Double(v.n) * Double(v.k)
        // Fill: the multiplier's stages, then a binary adder tree ⌈log2 K⌉ deep.
        let treeDepth = Double(Int.bitWidth - (max(v.k, 1) - 1).leadingZeroBitCount)
        let fill = treeDepth + Self.multiplierStages
        let unique = work.weightBytes + work.inputBytes + work.outputBytes
        guard let a = array else {
            return device.overlap(compute: macs / work.macsPerCycle + fill, offChip: unique, onChip: unique * 2,
                                  mapping: Mapping(scheme: 3))
        }
        // Tiled onto the array: M (pixels) split over the cores, then in tiles of `pixels`;
        // K in tiles of `inputChannels` (K = C·R·S here: a convolution's kernel positions are
        // not told apart, so a 3-channel first layer is charged as if its R·S·C were channels),
        // N in tiles of `outputChannels`. Partial tiles cost full cycles.
        func tiles(_ x: Int, _ t: Int) -> Double { Double((x + t - 1) / t) }
        let rowsPerCore = tiles(v.m, a.cores)
        let cycles = Double(v.groups) * (rowsPerCore / Double(a.pixels)).rounded(.up) * tiles(v.k, a.inputChannels)
            * tiles(v.n, a.outputChannels)
        return device.overlap(compute: cycles + fill, offChip: unique, onChip: unique * 2,
                              mapping: Mapping(scheme: 3, 1))
    }

    /// The MAC's energy from the FPGA's resources (`FPGAPower`), not the cell library.
    func macPicojoules(_ format: NumberFormat) -> Double? {
        guard let spec = device.hardware.spec as? FPGAFamily else { return nil }
        return FPGAPower(device.hardware)?.macPicojoules(format, spec: spec)
    }

    func describe(_ mapping: Mapping) -> String { mapping.values[0] == 1 ? "overlay, tiled" : "overlay" }
}
