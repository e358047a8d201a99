import DesignSpace
import Testing

/// The streaming Pareto fronts against a brute-force front of the same rows.
@Suite struct SweepSummaryTests {
    @Test func streamingFrontsEqualTheBruteForceFront() {
        var state: UInt64 = 0x9E3779B97F4A7C15
        /// One of `values` values: one figure of each front takes few, so that ties on it are frequent.
        func next(_ values: UInt64) -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double((state >> 33) % values) + 1
        }
        var rows: [SweepRow] = []
        for i in 0..<500 {
            var r = SweepRow(index: i, status: .ok)
            r[.latency] = next(16)
            r[.energy] = next(1024)
            r[.area] = next(16)
            r[.outputQSNR] = next(16)
            rows.append(r)
        }
        // One workload (dimension 0, one value): every row joins the same fronts.
        var summary = SweepSummary(radices: [1, 500], workloadDimension: 0)
        for r in rows { summary.add(r) }
        for front in summary.fronts[0] {
            func v(_ r: SweepRow) -> (Double, Double) {
                (r[front.x], front.y == .outputQSNR ? -r[front.y] : r[front.y])
            }
            // Brute force: not weakly dominated by an earlier row, not strictly dominated by any.
            let expected = rows.indices.filter { i in
                let (a, b) = v(rows[i])
                return !rows.indices.contains { j in
                    let (p, q) = v(rows[j])
                    return (p <= a && q <= b) && (p < a || q < b || j < i)
                }
            }
            #expect(front.points.map(\.index).sorted() == expected, "\(front.x) – \(front.y)")
            #expect(expected.count > 1)
        }
    }
}
