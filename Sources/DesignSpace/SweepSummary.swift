import Foundation

/// What the report shows, gathered row by row in index order, in memory
/// independent of the number of points: counts per status and reason, three
/// Pareto fronts, the best point per objective, per-axis-value means for the
/// sensitivity, and a bounded, deterministic sample of points for the charts.
/// `sweep merge` feeds it the rows it reads back, so a merged report equals
/// the unsharded one.
public struct SweepSummary: Sendable {
    /// A front over two figures, both minimised (QSNR enters negated).
    public struct Front: Sendable {
        public var x: SweepRow.Metric, y: SweepRow.Metric
        public var negateY = false
        public var points: [SweepRow] = []

        func value(_ r: SweepRow) -> (Double, Double) { (r[x], negateY ? -r[y] : r[y]) }

        /// Adds `r` unless a point already on the front is at least as good in both figures.
        mutating func add(_ r: SweepRow) {
            let (a, b) = value(r)
            guard a.isFinite, b.isFinite else { return }
            let (x, y, negate) = (self.x, self.y, negateY)
            func v(_ r: SweepRow) -> (Double, Double) { (r[x], negate ? -r[y] : r[y]) }
            if points.contains(where: { let (p, q) = v($0); return p <= a && q <= b }) { return }
            points.removeAll { let (p, q) = v($0); return a <= p && b <= q }
            points.append(r)
        }
    }

    public var counts: [SweepRow.Status: Int] = [:]
    /// Reasons in order of first appearance, with their counts (at most 200 distinct; the rest is "other").
    public var reasons: [(status: SweepRow.Status, reason: String, count: Int)] = []
    /// Per workload (the fronts and bests of different workloads are not comparable), three fronts.
    public var fronts: [[Front]]
    /// The objectives with their best rows (lowest, except QSNR: highest).
    public static let objectives: [SweepRow.Metric] = [.latency, .energy, .area, .edp, .outputQSNR]
    /// Per workload, the best row of each objective.
    public var best: [[SweepRow?]]
    /// Per dimension, per value: sums of log10 of each objective (QSNR in dB itself) and counts.
    public var means: [[[(sum: Double, count: Int)]]]
    /// Every `stride`-th ok point, the stride doubling whenever 2000 are held.
    public var sample: [SweepRow] = []
    var stride = 1
    public var rows = 0
    let radices: [Int]
    /// The dimension of the workload axis (its value picks the fronts a row joins).
    let workloadDimension: Int

    public init(radices: [Int], workloadDimension: Int) {
        self.radices = radices
        self.workloadDimension = workloadDimension
        let w = radices[workloadDimension]
        fronts = Array(repeating: [Front(x: .latency, y: .energy), Front(x: .energy, y: .area),
                                   Front(x: .energy, y: .outputQSNR, negateY: true)], count: w)
        best = Array(repeating: Array(repeating: nil, count: Self.objectives.count), count: w)
        means = radices.map { Array(repeating: Array(repeating: (0, 0), count: Self.objectives.count), count: $0) }
    }

    public mutating func add(_ r: SweepRow) {
        rows += 1
        counts[r.status, default: 0] += 1
        if r.status != .ok {
            if let i = reasons.firstIndex(where: { $0.status == r.status && $0.reason == r.reason }) {
                reasons[i].count += 1
            } else if reasons.count < 200 {
                reasons.append((r.status, r.reason, 1))
            } else if let i = reasons.firstIndex(where: { $0.status == r.status && $0.reason == "other" }) {
                reasons[i].count += 1
            } else {
                reasons.append((r.status, "other", 1))
            }
            return
        }
        var rest = r.index, c = [Int](repeating: 0, count: radices.count)
        for d in radices.indices.reversed() {
            c[d] = rest % radices[d]
            rest /= radices[d]
        }
        let w = c[workloadDimension]
        for i in fronts[w].indices { fronts[w][i].add(r) }
        for (i, m) in Self.objectives.enumerated() where r[m].isFinite {
            let better = best[w][i].map { m == .outputQSNR ? r[m] > $0[m] : r[m] < $0[m] } ?? true
            if better { best[w][i] = r }
        }
        for d in radices.indices {
            let v = c[d]
            for (i, m) in Self.objectives.enumerated() where r[m].isFinite && (m == .outputQSNR || r[m] > 0) {
                means[d][v][i].sum += m == .outputQSNR ? r[m] : log10(r[m])
                means[d][v][i].count += 1
            }
        }
        if counts[.ok]! % stride == 0 {
            sample.append(r)
            if sample.count >= 2000 {
                stride *= 2
                sample = sample.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            }
        }
    }

    /// Sensitivity of objective `i` to dimension `d`: the spread (largest minus
    /// smallest) over the dimension's values of the objective's mean over every
    /// ok point at that value — the geometric mean for latency, energy, area
    /// and EDP, given as a ratio (×), the arithmetic mean for QSNR, in dB.
    /// Nil with fewer than two values that have points.
    public func sensitivity(dimension d: Int, objective i: Int) -> Double? {
        let m = means[d].filter { $0[i].count > 0 }.map { $0[i].sum / Double($0[i].count) }
        guard m.count > 1, let lo = m.min(), let hi = m.max() else { return nil }
        return Self.objectives[i] == .outputQSNR ? hi - lo : pow(10, hi - lo)
    }
}
