import Documents
import Hardware

/// What a GEMM kernel spends beyond its roofline: the figures of
/// `GPUEngine`'s latency model, read from the `gpu` section.
///
/// A CTA's mainloop keeps `pipelineStages` K-slices in flight (cp.async or
/// TMA loads into shared memory): by Little's law a step cannot be shorter
/// than the load latency divided by the stages in flight, so small tiles
/// with short steps wait on memory even when bandwidth is idle. Each wave
/// of CTAs fills its pipeline once (one latency) and drains its output tile
/// through shared memory (the epilogue); the kernel's first loads come from
/// off-chip memory (one off-chip latency), a split-K kernel's partial sums
/// make one more round trip to be reduced, and no GEMM kernel is shorter
/// than `minKernelSeconds` (CTA launch, shared-memory carve-out, completion),
/// which overlaps the work rather than adding to it.
public struct GPULatency: Sendable, Hashable {
    /// Mainloop pipeline stages (K-slices in flight per CTA).
    public var pipelineStages = 4
    /// Load latency of an L2 hit, seconds.
    public var l2Seconds = 150e-9
    /// Load latency of an off-chip access (an L2 miss), seconds.
    public var memorySeconds = 500e-9
    /// The shortest GEMM kernel, seconds (0: none).
    public var minKernelSeconds = 0.0
    /// CTAs of a cluster sharing each operand panel they have in common
    /// (TMA multicast on Hopper, the 2-SM MMA on Blackwell): the L2 serves
    /// that panel once per cluster, not once per CTA.
    public var cluster = 1
    /// Whether the tile scheduler is stream-K (Osama et al., PPoPP 2023; CUTLASS 3's
    /// `StreamKScheduler`): the last, partial wave's K-loops are shared out over
    /// every SM, so a GEMM of 5.2 waves of tiles takes 5.2 waves, not 6.
    public var streamK = false
    /// Whether a CTA's epilogue overlaps its next tile's mainloop (Blackwell's
    /// accumulators in tensor memory are double-buffered, so the store of one
    /// tile runs under the MMAs of the next); otherwise it follows it. A CTA's
    /// last tile has no next one: its store (or its mainloop, if shorter) is exposed.
    public var overlappedEpilogue = false

    /// The lane formats `cuda_core_lanes` may rate.
    static let laneFormats = ["fp32", "fp16", "int32"]

    public init() {}

    static func decode(_ g: YAMLMapping) throws -> GPULatency {
        var l = GPULatency()
        if let v = g["pipeline_stages"] { l.pipelineStages = try v.int(in: 1...64) }
        if let v = g["l2_latency"] { l.l2Seconds = try v.quantity(.time) }
        if let v = g["memory_latency"] { l.memorySeconds = try v.quantity(.time) }
        if let v = g["min_kernel_time"] { l.minKernelSeconds = try v.quantity(.time, allowZero: true) }
        if let v = g["cluster"] { l.cluster = try v.int(in: 1...16) }
        func flag(_ key: String) throws -> Bool? {
            guard let v = g[key] else { return nil }
            switch try v.string() {
            case "true": return true
            case "false": return false
            default: throw v.error("expected true or false, got '\(try v.string())'")
            }
        }
        l.streamK = try flag("stream_k") ?? false
        l.overlappedEpilogue = try flag("overlapped_epilogue") ?? false
        if l.l2Seconds > l.memorySeconds, let v = g["l2_latency"] {
            throw v.error("an L2 hit cannot take longer than an off-chip access (gpu.memory_latency)")
        }
        return l
    }
}
