import Hardware

/// Energy per inference of a dataflow design, from lpsim's own cost paths:
/// every MAC at the datapath's cost for its compute format (`DatapathCost`,
/// the cell library at the device's node) plus the file's `mac_overhead`
/// (fabric routing and clocking beyond the arithmetic, scaled by operand
/// bits as the simulator does); every weight read once per inference from
/// its store (the innermost on-chip level's energy per byte, or the
/// off-chip level's when streamed); static power over one initiation
/// interval at the design's rate. An estimate: activations passed between
/// units in FIFOs and the control logic are not counted.
public struct DataflowEnergy: Sendable {
    public var computeJoules = 0.0
    public var onChipJoules = 0.0
    public var offChipJoules = 0.0
    public var staticJoules = 0.0
    public var totalJoules: Double { computeJoules + onChipJoules + offChipJoules + staticJoules }

    public init(_ design: DataflowDesign, hardware: HardwareModel) {
        let cost = DatapathCost(model: hardware)
        let onChip = hardware.memory.first { !$0.kind.isOffChip }?.energyPerByteJoules ?? 0
        let offChip = hardware.offChip?.energyPerByteJoules ?? 0
        var perFormat: [String: Double] = [:]
        for unit in design.units {
            let compute = unit.layer.weight.bitsPerElement >= unit.layer.input.bitsPerElement
                ? unit.layer.weight : unit.layer.input
            let picojoules = perFormat[compute.name] ?? {
                let bits = Double(compute.elementFormat.bitWidth)
                let e = cost.perMAC(compute).energyPicojoules + hardware.macOverheadPicojoules * bits / 16
                perFormat[compute.name] = e
                return e
            }()
            computeJoules += unit.layer.macs * picojoules * 1e-12
            let bytes = Double(unit.layer.weightElements) * unit.layer.weight.bitsPerElement / 8
            if unit.store == .ddr { offChipJoules += bytes * offChip } else { onChipJoules += bytes * onChip }
        }
        staticJoules = design.inferencesPerSecond > 0 ? hardware.staticWatts / design.inferencesPerSecond : 0
    }

    /// Average power at the design's full rate, W.
    public func watts(at inferencesPerSecond: Double) -> Double { totalJoules * inferencesPerSecond }
}
