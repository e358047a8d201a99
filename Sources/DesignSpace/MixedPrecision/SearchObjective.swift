import Documents

/// What a mixed-precision budget limits.
public enum SearchObjective: String, Sendable, CaseIterable {
    /// Simulated seconds of one pass of the trace.
    case latency
    /// Simulated joules of one pass (compute, memory and static).
    case energy
    /// Weight bytes: each op's weight elements × its weight format's bits per element (scales included).
    case size

    /// The dimension a budget on the command line is given in.
    public var dimension: Dimension {
        switch self { case .latency: .time; case .energy: .energy; case .size: .bytes }
    }
}
