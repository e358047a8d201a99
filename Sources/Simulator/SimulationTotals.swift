import Formats

/// The totals of a simulation, kept as its op results stream past, so that a
/// trace of any length is summed without holding one result per op.
///
/// Every sum is a left fold from zero in trace order, the order
/// `SimulationResult`'s computed totals use, so a streamed run's totals are
/// bit-identical to the held result's (`SimulationTotalsTests`).
public struct SimulationTotals: Sendable {
    /// Ops added.
    public private(set) var ops = 0
    public private(set) var cycles = 0.0
    public private(set) var seconds = 0.0
    public private(set) var macs = 0.0
    public private(set) var energy = EnergyBreakdown()
    public private(set) var offChipBytes = 0.0
    /// The ops' SCALE-Sim access counts summed; nil when no op has any (not a systolic array).
    public private(set) var access: SystolicAccess?
    /// Σ each op's `cyclesInclPrefetch`, or its cycles where it has no access counts.
    public private(set) var cyclesInclPrefetch = 0.0
    /// Seconds spent in memory-bound ops.
    public private(set) var memoryBoundSeconds = 0.0
    /// Seconds spent in latency-bound ops (`Bound.latency`).
    public private(set) var latencyBoundSeconds = 0.0
    /// Matrix-product MACs per compute format, in order of first use (what sizes the MAC array).
    public private(set) var computeFormats: [NumberFormat] = []
    public private(set) var computeMACs: [Double] = []
    var lastFormat = -1

    public init() {}

    public var energyJoules: Double { energy.total }

    /// Adds the next op's result, in trace order.
    public mutating func add(_ op: OpResult) {
        ops += 1
        cycles += op.cycles
        seconds += op.seconds
        macs += op.macs
        energy = energy + op.energy
        offChipBytes += op.offChipBytes
        if let a = op.access { access = (access ?? SystolicAccess()) + a }
        cyclesInclPrefetch += op.access?.cyclesInclPrefetch ?? op.cycles
        if op.bound == .memory { memoryBoundSeconds += op.seconds }
        if op.bound == .latency { latencyBoundSeconds += op.seconds }
        guard op.kind.isMatrixProduct else { return }
        // A handful of compute formats per run: a linear scan, the last one tried first.
        if lastFormat < 0 || computeFormats[lastFormat] != op.computeFormat {
            lastFormat = computeFormats.firstIndex(of: op.computeFormat) ?? -1
            if lastFormat < 0 {
                computeFormats.append(op.computeFormat)
                computeMACs.append(0)
                lastFormat = computeFormats.count - 1
            }
        }
        computeMACs[lastFormat] += op.macs
    }
}
