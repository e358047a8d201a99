import Formats
import Workload

extension OpResult {
    /// An op's figures as they were computed (a result read back from where
    /// a streamed simulation spooled it).
    public init(_ name: String, kind: OpKind, repeatCount: Int, computeFormat: NumberFormat, assignment: Int,
                macs: Double, cycles: Double, computeCycles: Double, stallCycles: Double, seconds: Double,
                energy: EnergyBreakdown, bound: Bound, offChipBytes: Double, utilization: Double, mapping: Mapping,
                throttled: Bool, access: SystolicAccess? = nil, dequantized: Bool = false) {
        self.name = name
        self.kind = kind
        self.repeatCount = repeatCount
        self.computeFormat = computeFormat
        self.assignment = assignment
        self.macs = macs
        self.cycles = cycles
        self.computeCycles = computeCycles
        self.stallCycles = stallCycles
        self.seconds = seconds
        self.energy = energy
        self.bound = bound
        self.offChipBytes = offChipBytes
        self.utilization = utilization
        self.mapping = mapping
        self.throttled = throttled
        self.access = access
        self.dequantized = dequantized
    }
}
