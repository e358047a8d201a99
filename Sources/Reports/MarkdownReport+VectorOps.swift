extension MarkdownReport {
    /// The assumption behind every non-matrix op's time, and how much of each run it weighs: lpsim runs
    /// elementwise, norm, softmax, embedding and conversion ops one after another, each streaming its
    /// tensors through off-chip memory (`Simulator.vectorTiming`); a GPU's fusion saves only the launch.
    /// A reader of a systolic or DSP report needs that stated, since there those ops can be half the time.
    ///
    /// - Returns: one Models bullet, or "" when no run has such ops (or the results predate the figure).
    func vectorOpsAssumption() -> String {
        let shares = data.entries.compactMap { e in e.vectorOpFraction.map { (label(e), $0) } }
        guard let most = shares.max(by: { $0.1 < $1.1 }), most.1 > 0 else { return "" }
        let least = shares.min { $0.1 < $1.1 }!
        let spread = shares.count == 1 || least.1 == most.1
            ? "\(Statements.percent(most.1)) of \(shares.count == 1 ? most.0 : "every run")'s time"
            : "from \(Statements.percent(least.1)) (\(least.0)) to \(Statements.percent(most.1)) (\(most.0)) "
                + "of a run's time"
        return "- Non-matrix ops (elementwise, norm, softmax, embedding, conversions): run one after another, each "
            + "reading its inputs from and writing its outputs to off-chip memory; no activation stays on chip "
            + "between ops and none is fused into a matrix product's epilogue (a GPU's fusion saves only the "
            + "kernel launch), which overstates them on a device whose buffers hold the activations. "
            + "They take \(spread).\n"
    }
}
