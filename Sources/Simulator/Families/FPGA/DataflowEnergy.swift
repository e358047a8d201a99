import Hardware

/// Energy per inference of a dataflow design, from the FPGA's resources
/// (`FPGAPower`): every unit's LUTs, FFs, DSP slices, BRAM and URAM
/// clocked for its own cycles per inference (its initiation interval; a
/// unit faster than the slowest one idles with its clock enable low),
/// each at its type's energy per cycle and toggle rate; every weight
/// streamed from off-chip memory, and the input and output the DMA engines
/// move (where the device has them), at that level's energy per byte; static
/// power (the device file's `power.static`) over one inference interval at
/// the design's rate. An estimate: the FIFOs between units, the non-matrix
/// units and the clock tree are not counted.
public struct DataflowEnergy: Sendable {
    /// Dynamic energy of each resource type.
    public var byResource = ResourceEnergy()
    public var offChipJoules = 0.0
    public var staticJoules = 0.0
    /// The toggle and enable rates the estimate assumes.
    public var rates = FPGAPower.ToggleRates.ug440

    /// LUTs, FFs and DSP slices.
    public var computeJoules: Double { byResource.logic }
    /// BRAM and URAM (weights and line buffers).
    public var onChipJoules: Double { byResource.memory }
    public var totalJoules: Double { byResource.total + offChipJoules + staticJoules }

    public init(_ design: DataflowDesign, hardware: HardwareModel) {
        let offChip = hardware.offChip?.energyPerByteJoules ?? 0
        if let power = FPGAPower(hardware) {
            rates = power.rates
            for unit in design.units {
                byResource = byResource + power.joules(unit.usage, cycles: Double(unit.cycles))
            }
        }
        offChipJoules = (design.streamedBytesPerInference + design.dmaBytesPerInference) * offChip
        staticJoules = design.inferencesPerSecond > 0 ? hardware.staticWatts / design.inferencesPerSecond : 0
    }

    /// Average power at the design's full rate, W.
    public func watts(at inferencesPerSecond: Double) -> Double { totalJoules * inferencesPerSecond }
}
