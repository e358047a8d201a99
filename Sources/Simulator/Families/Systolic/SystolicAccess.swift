/// SCALE-Sim's access counts for one op (all repetitions), in operand
/// elements — SCALE-Sim's words — as its DETAILED_ACCESS_REPORT and
/// BANDWIDTH_REPORT give them: the interface contract's
/// `sram_ifmap_reads` … `dram_ofmap_writes` and `cycles_incl_prefetch`.
public struct SystolicAccess: Sendable, Hashable {
    public var sramIfmapReads = 0.0, sramFilterReads = 0.0, sramOfmapWrites = 0.0
    public var dramIfmapReads = 0.0, dramFilterReads = 0.0, dramOfmapWrites = 0.0
    /// Cycles from the first DRAM prefetch to the last ofmap write-back.
    public var cyclesInclPrefetch = 0.0
    /// Whether `dramIfmapReads` is the per-fold estimate where SCALE-Sim's exact count was called for
    /// (`ScaleSimReport.ifmapReadsEstimated`); a sum is estimated when any part is.
    public var ifmapReadsEstimated = false

    public init() {}

    public static func + (a: SystolicAccess, b: SystolicAccess) -> SystolicAccess {
        var s = SystolicAccess()
        s.sramIfmapReads = a.sramIfmapReads + b.sramIfmapReads
        s.sramFilterReads = a.sramFilterReads + b.sramFilterReads
        s.sramOfmapWrites = a.sramOfmapWrites + b.sramOfmapWrites
        s.dramIfmapReads = a.dramIfmapReads + b.dramIfmapReads
        s.dramFilterReads = a.dramFilterReads + b.dramFilterReads
        s.dramOfmapWrites = a.dramOfmapWrites + b.dramOfmapWrites
        s.cyclesInclPrefetch = a.cyclesInclPrefetch + b.cyclesInclPrefetch
        s.ifmapReadsEstimated = a.ifmapReadsEstimated || b.ifmapReadsEstimated
        return s
    }

    /// Scaled by an op's repetitions.
    func times(_ r: Double) -> SystolicAccess {
        var s = self
        s.sramIfmapReads *= r; s.sramFilterReads *= r; s.sramOfmapWrites *= r
        s.dramIfmapReads *= r; s.dramFilterReads *= r; s.dramOfmapWrites *= r
        s.cyclesInclPrefetch *= r
        return s
    }

    /// Average DRAM words per cycle of each operand over `cycles`.
    public func averageDRAMBandwidth(over cycles: Double) -> (ifmap: Double, filter: Double, ofmap: Double) {
        guard cycles > 0 else { return (0, 0, 0) }
        return (dramIfmapReads / cycles, dramFilterReads / cycles, dramOfmapWrites / cycles)
    }
}
