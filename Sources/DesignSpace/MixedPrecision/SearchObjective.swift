import Documents

/// What a mixed-precision budget limits.
public enum SearchObjective: String, Sendable, CaseIterable {
    /// Simulated seconds of one pass of the trace.
    case latency
    /// Simulated joules of one pass (compute, memory and static).
    case energy
    /// The model's weight bytes: each op's parameters (every expert of a mixture-of-experts layer, a tied
    /// head once) × its weight format's bits per element (scales included); the KV cache is not a weight.
    case size

    /// The dimension a budget on the command line is given in.
    public var dimension: Dimension {
        switch self { case .latency: .time; case .energy: .energy; case .size: .bytes }
    }
}
