/// A pipelined MAC array on an FPGA: the reduction's adder tree fills once
/// per op.
struct FPGAEngine: FamilyEngine {
    let device: DeviceFigures

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
        return device.overlap(compute: macs / work.macsPerCycle + fill, offChip: unique, onChip: unique * 2,
                              mapping: Mapping(scheme: 3))
    }

    func describe(_ mapping: Mapping) -> String { "overlay" }
}
